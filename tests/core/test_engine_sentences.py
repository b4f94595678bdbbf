"""The engine's own sentences: every one a person or a clinician reads is said through the
ruleset's `say`, so a language whose catalogue has it reads it in that language.

The ruleset here says each sentence marked, ⟦like this⟧. A text is then said through `say`
when nothing but the spaces between sentences lies outside the marks: the words put into a
sentence (the rules' own words, ids, numbers) lie inside it, and joined parts are joined by
marked words too. The only text built outside a sentence is an exercise's why, which starts
with the rules' own words: what its slot is for, and what the exercise does.
"""

from __future__ import annotations

import dataclasses
from gettext import NullTranslations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recommender.engine.recommending import Recommender
from recommender.model.intake import Intake, explain_errors
from recommender.model.outcome import PlannedExercise, Recommendation
from recommender.model.ruleset import Ruleset
from tests.strategies import any_answers, check_ins


class Marked(NullTranslations):
    """A catalogue that gives each sentence back marked, so the test can see where it is used."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"


def outside_marks(text: str) -> str:
    """What of `text` lies outside every mark."""
    outside, depth = [], 0
    for character in text:
        if character == "⟦":
            depth += 1
        elif character == "⟧":
            assert depth > 0, f"a mark closed that was never opened: {text!r}"
            depth -= 1
        elif depth == 0:
            outside.append(character)
    assert depth == 0, f"a mark left open: {text!r}"
    return "".join(outside)


@pytest.fixture(scope="module")
def marked(rules: Ruleset) -> Ruleset:
    return dataclasses.replace(rules, sentences=Marked())


@pytest.fixture(scope="module")
def marking(marked: Ruleset) -> Recommender:
    return Recommender(marked, caching=False)


def engine_sentences(result: Recommendation) -> list[str]:
    """Every text of a result that the engine writes itself: reasons, their plain versions, the
    findings' 'because', doses, why an exercise was taken or left out, a held-back check-in."""
    texts: list[str] = []
    for finding in result.triage.reasons:
        texts += [finding.because, finding.said]
    plan = result.plan
    if result.plan_withheld_reason is not None:
        texts += [result.plan_withheld_reason.reason, result.plan_withheld_reason.plain]
    if plan is not None:
        for reason in (plan.start_tier_reason, plan.hidden_tiers_reason):
            if reason is not None:
                texts += [reason.reason, reason.plain]
        for tier in plan.tiers:
            texts += [exercise.dose for exercise in tier.exercises]
            texts += [candidate.reason for slot in tier.slots for candidate in slot.considered]
        for exercise in plan.warm_up + plan.cool_down:
            texts += [exercise.dose, exercise.why_short]
    if result.check_in is not None and result.check_in.held_back is not None:
        texts.append(result.check_in.held_back)
    return texts


def whys(result: Recommendation) -> list[PlannedExercise]:
    plan = result.plan
    if plan is None:
        return []
    return [exercise for tier in plan.tiers for exercise in tier.exercises] + plan.warm_up + plan.cool_down


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.one_of(any_answers(), check_ins()), data=st.data())
def test_every_sentence_the_engine_writes_is_said_in_the_rules_language(
        marking: Recommender, marked: Ruleset, answers: Intake, data: st.DataObject) -> None:
    # A clinic's narrowing too, for the exercises it leaves out.
    never_prescribe = data.draw(st.frozensets(st.sampled_from(sorted(marked.exercises)), max_size=6))
    result = marking.recommend(answers, never_prescribe)
    for text in engine_sentences(result):
        assert text.startswith("⟦") and outside_marks(text).strip() == "", text
    for exercise in whys(result):
        # The rules' words first (the slot's purpose, or the warm-up's marked why), then what
        # the exercise does; what it uses of the ticked equipment is the engine's own.
        start = f"{exercise.why_short} {marked.exercises[exercise.id].benefit}"
        assert exercise.why.startswith(start), exercise.why
        assert outside_marks(exercise.why.removeprefix(start)).strip() == "", exercise.why


FIRST_VISIT: dict[str, Any] = {
    "age": 35, "experience": "none", "pain_now": 0, "pain_duration": "none", "pain_below_knee": False,
    "back_surgery_or_injury": False, "red_flags": [], "health_flags": [], "equipment": [], "days_per_week": 3,
}


@pytest.mark.parametrize("answers", [
    {},  # every answer missing
    [FIRST_VISIT],  # not one object
    {**FIRST_VISIT, "shoe_size": 42},
    {**FIRST_VISIT, "age": None},
    {**FIRST_VISIT, "age": 12},
    {**FIRST_VISIT, "age": 120, "pain_now": 11, "days_per_week": 7},
    {**FIRST_VISIT, "experience": "expert", "red_flags": ["headache"]},
    {**FIRST_VISIT, "pain_now": 4},  # pain now, and no bout of pain
    {**FIRST_VISIT, **{name: {"a": 1} for name in FIRST_VISIT}, "heart_condition_details": 1,
     "cancer_details": 1, "professional_check": 1},
    {**FIRST_VISIT, "progress": 1},
    {**FIRST_VISIT, "progress": {"tier": "expert", "sessions_done": 99, "pain_during_max": "a",
                                 "next_morning": 1, "sets_completed": None, "weeks_on_tier": "a"}},
])
def test_every_problem_with_the_answers_is_said_in_the_rules_language(marked: Ruleset, answers: Any) -> None:
    with pytest.raises(ValidationError) as error:
        Intake.model_validate(answers)
    problems = explain_errors(error.value, say=marked.say)
    assert problems
    for problem in problems:
        assert problem.message.startswith("⟦") and outside_marks(problem.message) == "", problem
