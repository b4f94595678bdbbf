"""Why: each finding, the starting tier and each exercise taken or left out, with its rule.

The reasons are built from the rules and the person's answers, so these tests state what a
person is told for each kind of condition and decision.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.engine.explaining import because
from recommender.engine.recommending import recommend
from recommender.model.intake import EQUIPMENT, RED_FLAGS
from recommender.model.outcome import ExerciseDecision, Finding, Plan, Recommendation
from recommender.model.rules import Slot, StartingTierLimits, When
from recommender.model.ruleset import Ruleset
from tests.conftest import MakeIntake


def finding(result: Recommendation, rule: str) -> Finding:
    return next(reason for reason in result.triage.reasons if reason.id == rule)


def shown_plan(result: Recommendation) -> Plan:
    assert result.plan is not None
    return result.plan


def decision(result: Recommendation, tier: str, slot: str, exercise: str) -> ExerciseDecision:
    tier_plan = next(t for t in shown_plan(result).tiers if t.tier == tier)
    slot_decision = next(s for s in tier_plan.slots if s.slot == slot)
    return next(c for c in slot_decision.considered if c.id == exercise)


def with_beginner_slot(rules: Ruleset, choose_first_of: list[str],
                       starting_tier: StartingTierLimits | None = None) -> Ruleset:
    """The shipped rules with one beginner slot listing `choose_first_of` and, if given,
    other starting-tier limits for start-gentle: for decisions no shipped slot reaches."""
    slot = Slot(id="beginner-test", purpose="A slot for this test.", choose_first_of=choose_first_of)
    tiers = [design.model_copy(update={"slots": [slot]}) if design.tier == "beginner" else design
             for design in rules.plan.tiers]
    limits = dict(rules.plan_limits)
    if starting_tier is not None:
        limits["start-gentle"] = limits["start-gentle"].model_copy(update={"starting_tier": starting_tier})
    return replace(rules, plan=rules.plan.model_copy(update={"tiers": tiers}), plan_limits=limits)


IN_PAIN = {"pain_now": 3, "pain_duration": "under_6_weeks"}


def red_flag_label(rules: Ruleset, value: str) -> str:
    return next(o.label for o in rules.wording.questions["red_flags"].options if o.value == value)


# --- findings: because you ... ------------------------------------------------------------

def test_a_ticked_sign_is_named_in_the_words_of_the_form(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={"saddle_numbness"}), rules)
    label = red_flag_label(rules, "saddle_numbness")
    assert label.startswith("Numb, tingling or odd feeling around your private parts")
    assert finding(result, "saddle-numbness").because == f"Because you ticked: {label}."


def test_only_the_ticks_a_rule_looks_for_are_named(make_intake: MakeIntake, rules: Ruleset) -> None:
    when = When.model_validate({"red_flags": {"includes_any": ["both_legs", "saddle_numbness"]}})
    intake = make_intake(red_flags={"saddle_numbness", "night_pain"})
    label = red_flag_label(rules, "saddle_numbness")
    assert because(when, dict(intake), rules) == f"Because you ticked: {label}."


def test_every_tick_a_rule_looks_for_is_named_and_no_other(make_intake: MakeIntake, rules: Ruleset) -> None:
    when = When.model_validate({"health_flags": {"includes_any": ["pregnant", "chest_pain", "heart_condition"]}})
    intake = make_intake(health_flags={"chest_pain", "pregnant", "fainting_dizziness"})
    assert because(when, dict(intake), rules) == (
        "Because you ticked: You are pregnant, or might be; Pain or tightness in your chest, at rest or when active.")


def test_a_pain_score_is_given_with_the_score_the_rule_applies_from(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(pain_now=8, pain_duration="under_6_weeks"), rules)
    assert finding(result, "severe-pain").because == (
        "Because you rated your pain 8 out of 10 (this rule applies from 7).")


def test_age_and_pain_duration_are_both_given_when_a_rule_needs_both(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(age=55, pain_now=2, pain_duration="under_6_weeks"), rules)
    assert finding(result, "new-pain-over-50").because == (
        "Because you are 55 (this rule applies from 51), your answer to "
        "“How long has this bout of back pain lasted?” was “Less than 6 weeks” and your answer to "
        "“Has a doctor or physiotherapist checked your back for this pain?” was “No, or I am not sure”.")


def test_an_upper_bound_is_given_as_up_to(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(age=17, pain_now=2, pain_duration="under_6_weeks"), rules)
    assert finding(result, "new-pain-under-20").because.startswith("Because you are 17 (this rule applies up to 19)")


def test_a_bound_at_the_end_of_the_scale_is_given_as_only_that_value(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(pain_now=0, pain_duration="6_to_12_weeks"), rules)
    assert finding(result, "recent-episode").because == (
        "Because you rated your pain 0 out of 10 (this rule applies only at 0) and your answer to "
        "“How long has this bout of back pain lasted?” was “6 to 12 weeks”.")


def test_a_range_is_given_from_and_to(make_intake: MakeIntake, rules: Ruleset) -> None:
    when = When.model_validate({"age": {"at_least": 30, "at_most": 40}})
    said = because(when, dict(make_intake(age=35)), rules)
    assert said == "Because you are 35 (this rule applies from 30 to 40)."


def test_a_yes_or_no_answer_is_quoted_with_its_question(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(pain_below_knee=True), rules)
    assert finding(result, "pain-below-knee").because == (
        "Because your answer to “Does pain spread down your leg to below the knee?” was “Yes”.")


def test_a_choice_is_quoted_with_its_help_text(make_intake: MakeIntake, rules: Ruleset) -> None:
    when = When.model_validate({"experience": {"one_of": ["intermediate", "advanced"]}})
    assert because(when, dict(make_intake(experience="intermediate")), rules) == (
        "Because your answer to “How much strength training have you done?” was "
        "“Some” (6 months to 2 years of regular training).")


def test_every_kind_of_condition_has_wording(make_intake: MakeIntake, rules: Ruleset) -> None:
    conditions = {
        "age": {"at_least": 16}, "experience": {"one_of": ["none"]}, "pain_now": {"at_most": 0},
        "pain_duration": {"one_of": ["none"]}, "pain_below_knee": False, "back_surgery_or_injury": False,
        "professional_check": {"one_of": ["no"]},
        "red_flags": {"includes_any": ["night_pain"], "includes_all": ["minor_fall"]},
        "health_flags": {"includes_any": ["pregnant"]},
        "heart_condition_details": {"answered": False},
        "cancer_details": {"includes_any": ["treatment_now"]},
    }
    assert set(conditions) == set(When.model_fields)
    intake = make_intake(red_flags={"night_pain", "minor_fall"}, health_flags={"pregnant"},
                         cancer_details=frozenset({"treatment_now"}))
    text = because(When.model_validate(conditions), dict(intake), rules)
    for words in ("you are 35", "“None”", "pain 0 out of 10", "“I have no back pain”",
                  "“No”", "Constant pain at night", "You are pregnant", "“No, or I am not sure”",
                  "A fall or knock", "you did not answer “About your heart problem",
                  "You have cancer treatment now"):
        assert words in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ticked=st.frozensets(st.sampled_from(RED_FLAGS)))
def test_a_finding_never_names_a_sign_that_was_not_ticked(
        ticked: frozenset[str], make_intake: MakeIntake, rules: Ruleset) -> None:
    labels = {option.value: option.label for option in rules.wording.questions["red_flags"].options}
    result = recommend(make_intake(red_flags=ticked), rules)
    for reason in result.triage.reasons:
        assert reason.because.startswith("Because ")
        for flag, label in labels.items():
            assert (label in reason.because) <= (flag in ticked), (reason.id, flag)


# --- the starting tier, hidden tiers and a withheld plan -----------------------------------

def test_pain_now_starts_at_beginner_through_plan_limit_start_gentle(make_intake: MakeIntake, rules: Ruleset) -> None:
    plan = shown_plan(recommend(make_intake(experience="advanced", **IN_PAIN), rules))
    assert plan.start_tier == "beginner"
    assert plan.start_tier_reason.rule == "start-gentle"
    assert plan.start_tier_reason.set_by == ["pain-now"]
    assert plan.start_tier_reason.reason == (
        "You start at Beginner because you have back pain right now (rule pain-now), which keeps your "
        "starting tier to moves with no weights and low load on your spine (plan limit start-gentle).")
    assert plan.hidden_tiers_reason is None


def test_several_rules_setting_the_limit_are_all_named(make_intake: MakeIntake, rules: Ruleset) -> None:
    plan = shown_plan(recommend(make_intake(pain_below_knee=True, back_surgery_or_injury=True, **IN_PAIN), rules))
    assert plan.start_tier_reason.set_by == ["pain-now", "pain-below-knee", "past-surgery-or-injury"]
    for rule in plan.start_tier_reason.set_by:
        assert f"(rule {rule})" in plan.start_tier_reason.reason


def test_a_clear_result_starts_from_experience_and_says_nothing_calls_for_a_gentler_start(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    plan = shown_plan(recommend(make_intake(experience="intermediate"), rules))
    assert plan.start_tier == "intermediate"
    assert plan.start_tier_reason.rule == "by-experience"
    assert plan.start_tier_reason.set_by == []
    assert plan.start_tier_reason.reason == (
        "You start at Intermediate because your answer to “How much strength training have you done?” was "
        "“Some” (6 months to 2 years of regular training), and nothing in your answers calls for a gentler "
        "start (plan limit by-experience).")


def test_a_soon_result_shows_only_the_gentle_tier_and_says_why_the_others_are_hidden(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    plan = shown_plan(recommend(make_intake(experience="advanced", pain_now=8, pain_duration="under_6_weeks"), rules))
    assert plan.start_tier_reason.rule == "gentle-start-only"
    assert plan.start_tier_reason.set_by == ["severe-pain"]
    hidden = plan.hidden_tiers_reason
    assert hidden is not None
    assert (hidden.rule, hidden.set_by) == ("gentle-start-only", ["severe-pain"])
    assert hidden.reason == (
        "The Intermediate and Advanced tiers are not shown because your pain is 7 or more out of 10 "
        "(rule severe-pain), so plan limit gentle-start-only shows only the Beginner tier.")


def test_a_withheld_plan_names_the_rule_and_the_limit_that_withheld_it(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(red_flags={"saddle_numbness"}), rules)
    assert result.plan is None
    withheld = result.plan_withheld_reason
    assert withheld is not None
    assert (withheld.rule, withheld.set_by) == ("no-plan", ["saddle-numbness"])
    assert "(rule saddle-numbness)" in withheld.reason and "Plan limit no-plan" in withheld.reason


def test_a_health_gate_rule_withholds_the_plan_by_its_own_limit_not_its_level(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(health_flags={"heart_condition"}, red_flags={"morning_stiffness"}), rules)
    assert result.plan_withheld_reason is not None
    assert result.plan_withheld_reason.set_by == ["heart-condition-unanswered"]


def test_a_plan_that_is_shown_has_no_withheld_reason(make_intake: MakeIntake, rules: Ruleset) -> None:
    assert recommend(make_intake(), rules).plan_withheld_reason is None


def test_the_start_reason_is_each_persons_own_even_when_their_plans_are_alike(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    # Same limit, start, equipment and days: the tiers can be shared, the reasons cannot.
    first = shown_plan(recommend(make_intake(**IN_PAIN), rules))
    second = shown_plan(recommend(make_intake(pain_below_knee=True), rules))
    assert [tier.exercises for tier in first.tiers] == [tier.exercises for tier in second.tiers]
    assert first.start_tier_reason.set_by == ["pain-now"]
    assert second.start_tier_reason.set_by == ["pain-below-knee"]


# --- each exercise: chosen or left out -----------------------------------------------------

def test_the_chosen_exercise_names_its_slot(make_intake: MakeIntake, rules: Ruleset) -> None:
    chosen = decision(recommend(make_intake(), rules), "beginner", "beginner-hinge", "bodyweight-squat")
    assert chosen.included
    assert chosen.rule == "beginner-hinge"
    assert chosen.reason == "the first choice in slot beginner-hinge that you have the equipment for"


@pytest.mark.parametrize(("ticked", "slot", "exercise", "reason"), [
    (set(), "beginner-brace", "drawing-in", "the first choice in slot beginner-brace, and it needs no equipment"),
    ({"dowel"}, "beginner-hinge", "hip-hinge-dowel",
     "the first choice in slot beginner-hinge, and you ticked what it needs"),
])
def test_a_slots_first_choice_says_so(ticked: set[str], slot: str, exercise: str, reason: str,
                                      make_intake: MakeIntake, rules: Ruleset) -> None:
    chosen = decision(recommend(make_intake(equipment=ticked), rules), "beginner", slot, exercise)
    assert (chosen.included, chosen.reason) == (True, reason)


def test_missing_equipment_is_named_in_the_words_of_the_equipment_list(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    left_out = decision(recommend(make_intake(), rules), "beginner", "beginner-hinge", "hip-hinge-dowel")
    assert not left_out.included
    assert left_out.rule == "beginner-hinge"
    assert left_out.reason == "needs equipment you did not tick: broom handle or long stick"


@pytest.mark.parametrize(("ticked", "slot", "exercise", "missing"), [
    (set(), "advanced-main-lift", "rack-pull", "barbell and weight plates, power rack or squat rack"),
    ({"barbell"}, "advanced-second-hinge", "barbell-good-morning", "power rack or squat rack"),
    ({"dumbbells"}, "advanced-back-muscles", "weighted-back-extension", "back extension bench (Roman chair)"),
    # Of three ways to do a hip thrust, the one needing the fewest more items is named.
    ({"dumbbells"}, "advanced-hip-power", "hip-thrust", "flat exercise bench"),
    ({"bench"}, "advanced-hip-power", "hip-thrust", "barbell and weight plates"),
])
def test_missing_equipment_names_only_what_is_missing_for_the_closest_alternative(
        ticked: set[str], slot: str, exercise: str, missing: str, make_intake: MakeIntake, rules: Ruleset) -> None:
    left_out = decision(recommend(make_intake(experience="advanced", equipment=ticked), rules),
                        "advanced", slot, exercise)
    assert left_out.reason == f"needs equipment you did not tick: {missing}"


def test_weights_are_kept_out_of_the_starting_tier_under_pain_by_the_plan_limit(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    # No shipped beginner slot lists a weighted exercise, and the shipped limit also caps the
    # spinal load, so this test lists one and allows any load to reach the weights rule.
    changed = with_beginner_slot(rules, ["romanian-deadlift", "bird-dog"],
                                 StartingTierLimits(no_external_load=True))
    result = recommend(make_intake(equipment={"kettlebell"}, **IN_PAIN), changed)
    left_out = decision(result, "beginner", "beginner-test", "romanian-deadlift")
    assert left_out.rule == "start-gentle"
    assert left_out.reason == ("uses weights (kettlebell), which are kept out of your starting tier for now "
                               "(plan limit start-gentle)")
    assert decision(result, "beginner", "beginner-test", "bird-dog").reason.endswith(
        "that you have the equipment for and that your starting tier allows")


def test_weights_not_ticked_and_not_allowed_are_refused_for_the_weights(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    # Ticking a kettlebell would not help, so the person is not told to get one.
    changed = with_beginner_slot(rules, ["kettlebell-deadlift", "bird-dog"], StartingTierLimits(no_external_load=True))
    left_out = decision(recommend(make_intake(**IN_PAIN), changed), "beginner", "beginner-test", "kettlebell-deadlift")
    assert left_out.reason.startswith("uses weights (kettlebell)")


def test_spinal_load_above_the_starting_tier_limit_is_left_out_by_the_plan_limit(
        make_intake: MakeIntake, rules: Ruleset) -> None:
    changed = with_beginner_slot(rules, ["superman", "bird-dog"])
    left_out = decision(recommend(make_intake(**IN_PAIN), changed), "beginner", "beginner-test", "superman")
    assert left_out.rule == "start-gentle"
    assert left_out.reason == ("puts moderate load on your spine, and your starting tier keeps to low load "
                               "(plan limit start-gentle)")


def test_the_limit_applies_only_to_the_starting_tier(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(equipment={"kettlebell"}, **IN_PAIN), rules)
    assert decision(result, "intermediate", "intermediate-hinge", "romanian-deadlift").included


def test_an_exercise_already_in_the_tier_is_left_out_of_a_later_slot(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(experience="advanced", equipment={"kettlebell"}), rules)
    assert decision(result, "advanced", "advanced-main-lift", "romanian-deadlift").included
    again = decision(result, "advanced", "advanced-second-hinge", "romanian-deadlift")
    assert not again.included
    assert again.rule == "advanced-second-hinge"
    assert again.reason == "already used earlier in this tier (slot advanced-main-lift)"


def test_choices_after_the_chosen_one_are_not_needed(make_intake: MakeIntake, rules: Ruleset) -> None:
    result = recommend(make_intake(experience="advanced", equipment={"kettlebell"}), rules)
    later = decision(result, "advanced", "advanced-main-lift", "single-leg-rdl")
    assert not later.included
    assert later.reason == "not needed: Romanian deadlift (light), an earlier choice in this slot, was picked"


def candidate_ids(slot: Slot) -> set[str]:
    return set(slot.choose_first_of)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ticked=st.frozensets(st.sampled_from(EQUIPMENT)),
       experience=st.sampled_from(["none", "intermediate", "advanced"]),
       pain=st.sampled_from([{}, IN_PAIN, {"pain_now": 8, "pain_duration": "under_6_weeks"}]))
def test_every_candidate_of_every_slot_is_accounted_for_once_and_the_chosen_ones_are_the_exercises(
        ticked: frozenset[str], experience: str, pain: dict[str, object],
        make_intake: MakeIntake, rules: Ruleset) -> None:
    plan = shown_plan(recommend(make_intake(equipment=ticked, experience=experience, **pain), rules))
    names = {item.name[:1].lower() + item.name[1:]: item.id for item in rules.equipment.values()}
    designs = {design.tier: design for design in rules.plan.tiers}
    for tier in plan.tiers:
        slots = designs[tier.tier].slots
        assert [decision.slot for decision in tier.slots] == [slot.id for slot in slots]
        for slot, slot_decision in zip(slots, tier.slots, strict=True):
            assert [c.id for c in slot_decision.considered] == slot.choose_first_of
            included = [c.id for c in slot_decision.considered if c.included]
            assert included == ([slot_decision.chosen] if slot_decision.chosen else [])
            # A finding that leaves an exercise out of the whole plan (e.g. for back pain) names itself.
            leaving_out = {rule.id for rule in rules.screening_rules if candidate_ids(slot) & set(rule.leave_out)}
            for candidate in slot_decision.considered:
                assert candidate.rule in (slot.id, plan.start_tier_reason.rule, *leaving_out)
                missing = candidate.reason.removeprefix("needs equipment you did not tick: ")
                if missing != candidate.reason:
                    assert all(names[name] not in ticked for name in missing.split(", "))
        assert [e.id for e in tier.exercises] == [s.chosen for s in tier.slots if s.chosen]
