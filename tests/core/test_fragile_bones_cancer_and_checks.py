"""A professional's check, fragile bones, previous cancer and the new nerve signs.

Each test states one rule from the clinical brief; the exhaustive check proves the same
promises for every possible answer (`test_exhaustive_safety`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.checking.safety import OutcomeFacts, broken_by_being_checked, broken_promises
from recommender.checking.verification import verify
from recommender.engine.explaining import safety_net
from recommender.engine.recommending import recommend
from recommender.loading.rules import load_ruleset
from recommender.model.intake import EQUIPMENT, Intake
from recommender.model.ruleset import Ruleset
from tests.conftest import MakeIntake, copy_of_the_rules


def _plan_ids(intake: Intake, rules: Ruleset) -> set[str]:
    result = recommend(intake, rules)
    assert result.plan is not None, "this test needs answers that get a plan"
    return ({e.id for tier in result.plan.tiers for e in tier.exercises}
            | {e.id for e in result.plan.warm_up} | {e.id for e in result.plan.cool_down})


def test_professional_check_may_be_left_out_of_the_api_and_means_no(make_intake: MakeIntake) -> None:
    answers = make_intake().model_dump()
    del answers["professional_check"]
    assert Intake.model_validate(answers).professional_check == "no"


def test_thin_bones_keep_end_range_bending_and_twisting_out_of_the_whole_plan(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    intake = make_intake(pain_now=2, pain_duration="over_12_weeks", professional_check="cleared_to_exercise",
                         red_flags={"osteoporosis_steroids"}, equipment=set(EQUIPMENT))
    end_range = {e.id for e in rules.exercises.values() if e.spine_end_range}
    assert end_range, "the catalogue must mark some exercises as end-range"
    assert _plan_ids(intake, rules).isdisjoint(end_range)


def test_without_thin_bones_the_cool_down_keeps_its_stretches(make_intake: MakeIntake, rules: Ruleset) -> None:
    intake = make_intake(pain_now=0, pain_duration="none", red_flags=set())
    assert {"knee-to-chest", "floor-rotation"} <= _plan_ids(intake, rules)


@pytest.mark.parametrize(("red_flags", "health_flags"), [
    ({"saddle_numbness"}, set()), ({"cancer_history"}, set()), ({"osteoporosis_steroids", "minor_fall"}, set()),
    ({"spreading_numbness"}, set()), (set(), {"heart_condition"}), (set(), {"recent_back_surgery"}),
])
def test_being_cleared_never_shows_a_plan_that_no_withholds(
        make_intake: MakeIntake, rules: Ruleset, red_flags: set[str], health_flags: set[str]) -> None:
    unchecked = make_intake(pain_now=3, pain_duration="over_12_weeks", red_flags=red_flags,
                            health_flags=health_flags)
    cleared = unchecked.model_copy(update={"professional_check": "cleared_to_exercise"})
    assert recommend(unchecked, rules).plan is None
    assert recommend(cleared, rules).plan is None
    assert broken_promises(cleared, recommend(cleared, rules), rules, recommend(unchecked, rules)) == []


def test_the_promise_catches_a_check_that_unlocks_a_withheld_plan() -> None:
    shown = OutcomeFacts(level="caution", has_reasons=True, action="", plan=None)
    withheld = OutcomeFacts(level="urgent", has_reasons=True, action="", plan=None)
    assert broken_by_being_checked("cleared_to_exercise", shown, withheld) == [
        "'cleared_to_exercise' lowers 'urgent' to 'caution'"]
    assert broken_by_being_checked("no", shown, withheld) == []


def test_a_weak_leg_is_not_listed_as_an_emergency_sign_on_its_own(rules: Ruleset) -> None:
    levels = {item.level: item.signs for item in safety_net(rules)}
    weak_leg = "A leg or foot getting weaker"
    assert weak_leg in levels["same_day"]
    assert weak_leg not in levels["emergency"]


def test_a_rule_that_lets_a_professional_check_lift_previous_cancer_is_caught(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    screening = folder / "screening.yaml"
    text = screening.read_text()
    old = ("when: {red_flags: {includes_any: [cancer_history]}, "
           "pain_duration: {one_of: [under_6_weeks, 6_to_12_weeks, over_12_weeks]}}")
    assert text.count(old) == 1
    screening.write_text(text.replace(old, old[:-1] + ", professional_check: {one_of: [\"no\"]}}"))
    found = verify(load_ruleset(folder), max_counterexamples=1).counterexamples
    assert any("cancer_history" in c.intake.red_flags
               and any("shows a plan that the same answers with 'no' withhold" in b for b in c.broken)
               for c in found)
