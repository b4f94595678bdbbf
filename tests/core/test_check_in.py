"""A check-in two weeks on: the report moves a person up, keeps them, steps them back or sends
them to a professional, and never undoes what today's screening says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from recommender.checking.safety import broken_check_in_promises, broken_promises
from recommender.checking.verification import every_report, verify
from recommender.engine.recommending import Recommender, recommend
from recommender.loading.rules import load_ruleset
from recommender.model.intake import (
    NEXT_MORNINGS,
    PAIN_RANGE,
    SESSIONS_RANGE,
    SETS_COMPLETED,
    TIERS,
    Intake,
    Progress,
    explain_errors,
)
from recommender.model.problems import RulesError
from recommender.model.ruleset import Ruleset
from tests.conftest import BASELINE, MakeIntake, copy_of_the_rules
from tests.strategies import check_ins

WENT_WELL = {"tier": "beginner", "sessions_done": 6, "pain_during_max": 1, "next_morning": "same",
             "sets_completed": "all"}


def report(**changes: Any) -> Progress:
    return Progress(**{**WENT_WELL, **changes})


def test_without_a_report_the_result_is_a_first_visit(rules: Ruleset, make_intake: MakeIntake) -> None:
    result = recommend(make_intake(), rules)
    assert result.check_in is None
    assert "check_in" in result.model_dump()


def test_two_good_weeks_on_beginner_move_up_to_intermediate(rules: Ruleset, make_intake: MakeIntake) -> None:
    result = recommend(make_intake(progress=report()), rules)
    assert result.check_in is not None and result.plan is not None
    assert (result.check_in.decision, result.check_in.title) == ("move_up", "Move up to Intermediate")
    assert result.plan.start_tier == "intermediate"
    assert result.plan.start_tier_reason.set_by == ["ready-for-intermediate"]


def test_pain_above_five_on_intermediate_steps_back_a_tier(rules: Ruleset, make_intake: MakeIntake) -> None:
    result = recommend(make_intake(progress=report(tier="intermediate", pain_during_max=6)), rules)
    assert result.check_in is not None and result.plan is not None
    assert (result.check_in.decision, result.plan.start_tier) == ("step_back", "beginner")
    assert [reason.rule for reason in result.check_in.reasons] == ["too-much-pain"]


def test_worse_mornings_again_on_beginner_send_the_person_to_a_physiotherapist_with_only_gentle_moves(
        rules: Ruleset, make_intake: MakeIntake) -> None:
    result = recommend(make_intake(progress=report(next_morning="worse_again")), rules)
    assert result.check_in is not None and result.plan is not None
    assert result.check_in.decision == "see_professional"
    assert result.triage.level == "soon"
    assert "worse-mornings-again-on-beginner" in [finding.id for finding in result.triage.reasons]
    assert [tier.tier for tier in result.plan.tiers] == ["beginner"]


def test_a_first_worse_morning_on_beginner_stays_there_with_fewer_sets(
        rules: Ruleset, make_intake: MakeIntake) -> None:
    result = recommend(make_intake(progress=report(next_morning="worse")), rules)
    assert result.check_in is not None and result.plan is not None
    assert (result.check_in.decision, result.plan.start_tier) == ("stay", "beginner")
    assert any("fewer sets" in reason.reason for reason in result.check_in.reasons)


def test_a_new_warning_sign_withholds_the_plan_whatever_the_report_says(
        rules: Ruleset, make_intake: MakeIntake) -> None:
    result = recommend(make_intake(red_flags=frozenset({"fever_unwell"}), pain_now=2, pain_duration="under_6_weeks",
                                   progress=report()), rules)
    assert result.plan is None and result.triage.level == "same_day"
    assert result.check_in is not None
    assert (result.check_in.decision, result.check_in.next_tier) == ("see_professional", None)
    assert result.check_in.title == rules.progression.plan_withheld.title


def test_a_result_that_shows_only_beginner_holds_a_move_up_back_and_says_why(
        rules: Ruleset, make_intake: MakeIntake) -> None:
    result = recommend(make_intake(red_flags=frozenset({"morning_stiffness"}), progress=report()), rules)
    assert result.check_in is not None and result.plan is not None
    assert (result.check_in.decision, result.plan.start_tier) == ("stay", "beginner")
    assert result.check_in.held_back is not None and "Intermediate" in result.check_in.held_back


def test_pain_today_keeps_the_next_tier_free_of_weights(rules: Ruleset, make_intake: MakeIntake) -> None:
    intake = make_intake(pain_now=2, pain_duration="under_6_weeks", progress=report(),
                         equipment=frozenset({"mat", "kettlebell", "dumbbells", "barbell"}))
    result = recommend(intake, rules)
    assert result.plan is not None and result.plan.start_tier == "intermediate"
    [starting] = [tier for tier in result.plan.tiers if tier.is_start]
    assert all(not rules.equipment[item].external_load for e in starting.exercises for item in e.equipment)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("sessions_done", 31, "Choose a number from 0 to 30."),
    ("pain_during_max", -1, "Choose a number from 0 to 10."),
    ("next_morning", "awful", "'awful' is not an allowed answer. Allowed: 'better', 'same', 'worse' or 'worse_again'."),
])
def test_a_bad_report_answer_is_named_by_its_place_in_the_report(name: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        Intake.model_validate({**BASELINE, "progress": {**WENT_WELL, name: value}})
    assert [(e.field, e.message) for e in explain_errors(error.value)] == [(f"progress.{name}", message)]


def test_every_report_is_enumerated_once_and_the_weeks_left_out_count_as_one_more_answer(rules: Ruleset) -> None:
    reports = list(every_report(rules))
    assert len(reports) == len({report for report, _ in reports})
    # Each tier, session count, pain, morning and sets answer, with the weeks left out or any of 0-52.
    assert sum(count for _, count in reports) == (len(TIERS) * (SESSIONS_RANGE[1] + 1) * (PAIN_RANGE[1] + 1)
                                                  * len(NEXT_MORNINGS) * len(SETS_COMPLETED) * 54) == 662_904


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=check_ins())
def test_every_check_in_promise_holds_for_any_answers_and_report(intake: Intake, rules: Ruleset,
                                                                keeping_nothing: Recommender) -> None:
    result = keeping_nothing.recommend(intake)
    first_visit = keeping_nothing.recommend(intake.model_copy(update={"progress": None}))
    assert broken_check_in_promises(intake, result, first_visit, rules) == []
    assert broken_promises(intake, result, rules) == []


# --- the check proves the promises, and fails when a rule breaks one -----------------------

def edited(tmp_path: Path, *changes: tuple[str, str]) -> Ruleset:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    progression = folder / "progression.yaml"
    text = progression.read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    progression.write_text(text)
    return load_ruleset(folder)


def test_moving_up_after_two_sessions_is_caught_with_a_counter_example(tmp_path: Path) -> None:
    # Both rules must change: while "too few sessions" still fires, its "stay" wins.
    rules = edited(tmp_path, ("when: {tier: {one_of: [beginner]}, sessions_done: {at_least: 4}",
                              "when: {tier: {one_of: [beginner]}, sessions_done: {at_least: 2}"),
                   ("when: {sessions_done: {at_most: 3}}", "when: {sessions_done: {at_most: 1}}"))
    found = verify(rules, max_counterexamples=1).counterexamples
    assert found, "moving up after too few sessions must break a promise"
    example = found[0]
    assert example.intake.progress is not None and example.intake.progress.sessions_done < 4
    assert any("never move up with fewer than 4 sessions" in promise for promise in example.broken)
    # The counter-example is real: the engine moves this person up.
    result = recommend(example.intake, rules)
    assert result.check_in is not None and result.check_in.decision == "move_up"


def test_a_report_that_fires_no_rule_is_caught(tmp_path: Path) -> None:
    rules = edited(tmp_path, ("  - id: some-pain\n    when: {pain_during_max: {at_least: 3, at_most: 5}}",
                              "  - id: some-pain\n    when: {pain_during_max: {at_least: 3, at_most: 4}}"))
    found = verify(rules, max_counterexamples=1).counterexamples
    assert any("fires no progression rule" in promise for c in found for promise in c.broken)


def test_a_progression_rule_naming_an_unknown_source_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as error:
        edited(tmp_path, ("    source: article-by-intensity\n", "    source: article-by-intensty\n"))
    [problem] = error.value.problems
    assert problem.path == "rules/progression.yaml" and problem.line is not None
    assert "there is no source 'article-by-intensty'" in problem.message
