"""Each safety rule of the clinical brief, as a named case."""

from __future__ import annotations

import pytest

from recommender.engine.recommending import recommend
from recommender.model.intake import HEALTH_FLAGS
from recommender.model.outcome import Recommendation
from recommender.model.ruleset import Ruleset
from tests.conftest import MakeIntake

FULL_GYM = frozenset({"barbell", "power_rack", "dumbbells", "kettlebell", "reverse_hyper", "bench",
                      "back_extension_bench", "stability_ball", "mat"})


def starting_equipment(result: Recommendation) -> set[str]:
    assert result.plan is not None
    return {item for tier in result.plan.tiers if tier.is_start
            for exercise in tier.exercises for item in exercise.equipment}


LOADED = {"barbell", "dumbbells", "kettlebell", "power_rack", "reverse_hyper"}


@pytest.mark.parametrize("sign", ["saddle_numbness", "bladder_bowel_change", "both_legs", "major_trauma"])
def test_cauda_equina_signs_and_major_trauma_are_an_emergency_with_no_plan(
        sign: str, make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={sign}, experience="advanced", equipment=FULL_GYM), rules)
    assert result.triage.level == "emergency"
    assert result.plan is None
    assert "emergency" in result.triage.action.lower()


def test_saddle_numbness_withholds_the_plan(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={"saddle_numbness"}), rules)
    assert result.plan is None
    assert [reason.id for reason in result.triage.reasons] == ["saddle-numbness"]


@pytest.mark.parametrize("sign", ["worsening_leg_weakness", "fever_unwell", "infection_risk"])
def test_worsening_leg_weakness_fever_or_infection_risk_with_new_back_pain_needs_a_doctor_today_with_no_plan(
        sign: str, make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={sign}, pain_now=2, pain_duration="under_6_weeks"), rules)
    assert result.triage.level == "same_day"
    assert result.plan is None
    assert "today" in result.triage.action


def test_fever_without_back_pain_holds_back_the_plan_until_the_person_is_well_without_a_same_day_visit(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={"fever_unwell"}, pain_now=0, pain_duration="none"), rules)
    assert result.triage.level == "soon"
    assert result.plan is None
    assert "Wait until you feel well again" in result.triage.reasons[0].text


def test_past_cancer_with_new_back_pain_sends_the_person_to_the_cancer_teams_helpline_today(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={"cancer_history"}, pain_now=2, pain_duration="under_6_weeks"), rules)
    assert result.triage.level == "same_day"
    assert result.triage.action.startswith("Call your cancer team's 24-hour helpline now.")


@pytest.mark.parametrize("sign", ["cancer_history", "weight_loss", "night_pain"])
def test_cancer_history_weight_loss_or_night_pain_with_back_pain_is_urgent_with_no_plan(
        sign: str, make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={sign}, pain_now=2, pain_duration="6_to_12_weeks",
                                   professional_check="cleared_to_exercise"), rules)
    assert result.triage.level == "urgent"
    assert result.plan is None


@pytest.mark.parametrize("answer", HEALTH_FLAGS)
def test_any_health_gate_answer_withholds_the_plan_until_a_professional_clears_it(
        answer: str, make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(health_flags={answer}, experience="advanced", equipment=FULL_GYM), rules)
    assert result.plan is None
    assert result.triage.level != "clear"
    assert result.triage.reasons


@pytest.mark.parametrize("changes", [
    {"red_flags": {"osteoporosis_steroids"}, "pain_now": 2, "pain_duration": "over_12_weeks"},
    {"red_flags": {"morning_stiffness"}},
    {"pain_now": 7, "pain_duration": "under_6_weeks"},
    {"pain_now": 10, "pain_duration": "under_6_weeks"},
], ids=["thin-bones-with-pain", "inflammatory-stiffness", "pain-7", "pain-10"])
def test_thin_bones_with_pain_inflammation_or_pain_of_7_plus_is_soon_with_only_a_gentle_unloaded_plan(
        changes: dict[str, object], make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(experience="advanced", equipment=FULL_GYM, **changes), rules)
    assert result.triage.level == "soon"
    assert result.plan is not None
    assert [tier.tier for tier in result.plan.tiers] == ["beginner"]
    assert result.plan.start_tier == "beginner"
    assert not starting_equipment(result) & LOADED


def test_a_health_gate_answer_sets_the_action_even_beside_a_sign_that_allows_a_gentle_plan(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={"osteoporosis_steroids"}, health_flags={"heart_condition"},
                                   pain_now=2, pain_duration="over_12_weeks"), rules)
    assert result.triage.level == "soon"
    assert result.plan is None
    assert result.triage.action.startswith("Do not start these exercises on your own yet.")
    assert "exercises below" not in result.triage.action


def test_pain_of_6_alone_is_caution_not_soon(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(pain_now=6, pain_duration="under_6_weeks"), rules)
    assert result.triage.level == "caution"


@pytest.mark.parametrize("changes", [
    {"pain_now": 1, "pain_duration": "under_6_weeks"},
    {"pain_now": 4, "pain_duration": "under_6_weeks"},
    {"pain_below_knee": True},
    {"back_surgery_or_injury": True},
], ids=["pain-1", "pain-4", "below-knee", "surgery-or-injury"])
def test_current_pain_pain_below_the_knee_or_past_surgery_starts_at_beginner_without_weights(
        changes: dict[str, object], make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(experience="advanced", equipment=FULL_GYM, **changes), rules)
    assert result.triage.level != "clear"
    assert result.plan is not None
    assert result.plan.start_tier == "beginner"
    assert not starting_equipment(result) & LOADED
    assert "physiotherapist" in result.triage.action


def test_a_recent_episode_that_has_eased_is_still_not_clear(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(pain_now=0, pain_duration="under_6_weeks"), rules)
    assert result.triage.level == "caution"
    assert [reason.id for reason in result.triage.reasons] == ["recent-episode"]


def test_the_most_urgent_finding_decides_and_every_finding_is_listed(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={"night_pain", "both_legs", "morning_stiffness"},
                                   pain_now=3, pain_duration="under_6_weeks"), rules)
    assert result.triage.level == "emergency"
    assert [reason.id for reason in result.triage.reasons] == [
        "both-legs", "constant-night-pain", "inflammatory-stiffness", "pain-now"]
    assert result.triage.reasons[0].level == "emergency"


@pytest.mark.parametrize(("experience", "start"), [
    ("none", "beginner"), ("beginner", "beginner"),
    ("intermediate", "intermediate"), ("advanced", "advanced"),
])
def test_no_pain_and_no_flags_is_clear_and_the_start_tier_follows_experience(
        experience: str, start: str, make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(experience=experience), rules)
    assert result.triage.level == "clear"
    assert result.triage.reasons == []
    assert result.plan is not None
    assert result.plan.start_tier == start
    assert [tier.tier for tier in result.plan.tiers] == ["beginner", "intermediate", "advanced"]


def test_new_back_pain_over_50_is_worth_a_check_with_a_doctor(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(age=62, pain_now=2, pain_duration="under_6_weeks"), rules)
    assert result.triage.level == "soon"
    assert "new-pain-over-50" in [reason.id for reason in result.triage.reasons]


def test_the_same_answers_always_give_the_same_plan(make_intake: MakeIntake, rules: Ruleset) -> None:
    answers = make_intake(experience="intermediate", equipment={"kettlebell", "stability_ball"},
                          pain_below_knee=True, days_per_week=4)
    first, second = recommend(answers, rules), recommend(answers, rules)
    assert first == second
    assert first.model_dump_json() == second.model_dump_json()
