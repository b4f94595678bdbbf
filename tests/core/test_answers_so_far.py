"""A result said before the last step: only when the answers given so far already settle a level
that sends the person for help at once, and then always the level the whole answers give."""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from typing import Any

from recommender.engine.recommending import Recommender
from recommender.engine.screening import decided_so_far, screen
from recommender.model.intake import HEALTH_FLAGS, RED_FLAGS, Intake, ScreenedAnswers, valid_on_their_own
from recommender.model.rules import HealthFlagTest, NumberTest, RedFlagTest, When
from recommender.model.ruleset import Ruleset
from tests.conftest import BASELINE

# The questions screening reads, in the order the form asks them, a step at a time.
STEPS = [("age", "experience"), ("pain_now", "pain_duration", "pain_below_knee", "back_surgery_or_injury"),
         ("red_flags",), ("professional_check", "health_flags")]


def given_up_to(intake: Intake, step: int) -> dict[str, Any]:
    """The answers of `intake` to the questions of the first `step` steps."""
    return {name: getattr(intake, name) for names in STEPS[:step] for name in names}


def sample_intakes() -> list[Intake]:
    """Every red flag and every health sign alone and with none, with young and old, no pain
    and long pain, with and without pain below the knee."""
    intakes = []
    for red, health, age, (pain, duration), below_knee in product(
            [frozenset()] + [frozenset({flag}) for flag in RED_FLAGS],
            [frozenset()] + [frozenset({flag}) for flag in HEALTH_FLAGS],
            (35, 80), ((0, "none"), (6, "over_12_weeks")), (False, True)):
        intakes.append(Intake(**{**BASELINE, "red_flags": red, "health_flags": health, "age": age,
                                 "pain_now": pain, "pain_duration": duration, "pain_below_knee": below_knee}))
    return intakes


def test_a_result_said_early_is_the_one_the_whole_answers_give(rules: Ruleset) -> None:
    said_early = 0
    for intake in sample_intakes():
        whole = screen(ScreenedAnswers.of(intake), rules)
        for step in range(1, len(STEPS) + 1):
            early = decided_so_far(given_up_to(intake, step), rules)
            if early is not None:
                said_early += 1
                assert early.verdict == whole.verdict, (intake, step)
    assert said_early > 0, "no answers in the sample settle a result early"


def satisfying(when: When) -> dict[str, Any]:
    """Answers that meet every condition of `when`, for the questions it reads."""
    answers: dict[str, Any] = {}
    for name in When.model_fields:
        test = getattr(when, name)
        if test is None:
            continue
        if isinstance(test, NumberTest):
            answers[name] = test.at_least if test.at_least is not None else test.at_most
        elif isinstance(test, RedFlagTest):
            answers[name] = frozenset([test.includes_any[0], *test.includes_all])
        elif isinstance(test, HealthFlagTest):
            answers[name] = frozenset(test.includes_any[:1])
        elif isinstance(test, bool):
            answers[name] = test
        else:
            answers[name] = test.one_of[0]
    return answers


def test_every_emergency_sign_is_said_as_soon_as_the_step_that_asks_it_is_answered(rules: Ruleset) -> None:
    emergencies = [rule for rule in rules.screening_rules if rule.level == "emergency"]
    assert emergencies
    for rule in emergencies:
        needed = satisfying(rule.when)
        step = max(number for number, names in enumerate(STEPS, start=1) if set(names) & needed.keys())
        calm = {name: value for name, value in BASELINE.items() if name in given_up_to(Intake(**BASELINE), step)}
        early = decided_so_far(valid_on_their_own({**calm, **needed}), rules)
        assert early is not None and early.level == "emergency", rule.id
        assert rule in early.fired


def test_answers_that_settle_nothing_urgent_say_nothing_early(rules: Ruleset) -> None:
    calm = Intake(**BASELINE)
    for step in range(1, len(STEPS) + 1):
        assert decided_so_far(given_up_to(calm, step), rules) is None
        assert Recommender(rules).recommend_so_far(given_up_to(calm, step)) is None


def test_a_same_day_result_waits_while_a_later_answer_could_still_make_it_an_emergency(rules: Ruleset) -> None:
    same_day = next(rule for rule in rules.screening_rules
                    if rule.level == "same_day" and set(satisfying(rule.when)) == {"red_flags"})
    signs = satisfying(same_day.when)
    assert decided_so_far(signs, rules) is not None  # nothing more urgent can follow these signs
    # With a rule that makes the same signs an emergency together with a health sign, asked
    # on a later step, the same answers no longer settle anything.
    later = same_day.model_copy(update={"id": "with-a-health-sign", "level": "emergency", "when": When(
        red_flags=same_day.when.red_flags, health_flags=HealthFlagTest(includes_any=[HEALTH_FLAGS[0]]))})
    stricter = replace(rules, screening_rules=(*rules.screening_rules, later))
    assert decided_so_far(signs, stricter) is None
    assert decided_so_far({**signs, "health_flags": frozenset()}, stricter) == decided_so_far(signs, rules)


def test_the_early_result_has_no_plan_and_names_the_findings_with_their_reasons(rules: Ruleset) -> None:
    emergency = next(rule for rule in rules.screening_rules
                     if rule.level == "emergency" and set(satisfying(rule.when)) == {"red_flags"})
    result = Recommender(rules).recommend_so_far(satisfying(emergency.when))
    assert result is not None
    assert result.plan is None and result.plan_withheld_reason is not None
    assert result.triage.title == rules.levels["emergency"].title
    assert [finding.text for finding in result.triage.reasons] == [emergency.finding]


def test_an_answer_that_is_not_valid_counts_as_not_given() -> None:
    assert valid_on_their_own({"age": 300, "pain_now": 3, "red_flags": frozenset({"not a sign"})}) == {"pain_now": 3}
