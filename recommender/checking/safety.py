"""The safety promises, written straight from the clinical brief and not from the rules.

They are split in two so they can be checked both ways: `promises_for` says what a set of
answers is owed, naming red flags and answers directly, and `broken` compares that with the
facts of a result. A wrong or missing rule in the rules files shows up as a broken promise
with the answers that break it: on single answers (`broken_promises`) and, through
`recommender.checking.verification`, on every possible answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from recommender.engine.planning import PlanDecision
from recommender.model.intake import (
    TIERS,
    Equipment,
    Experience,
    HealthFlag,
    Intake,
    PainDuration,
    ProfessionalCheck,
    Progress,
    RedFlag,
    Tier,
)
from recommender.model.outcome import Plan, Recommendation
from recommender.model.rules import LEVELS, SPINAL_LOADS, Decision, Level, PlanLimit, SpinalLoad
from recommender.model.ruleset import Ruleset

# Possible pressure on the nerves at the base of the spine, or a fracture after a bad accident.
EMERGENCY_SIGNS = frozenset({"saddle_numbness", "bladder_bowel_change", "both_legs", "sexual_function_change",
                             "major_trauma"})
# A nerve getting worse, or a possible infection.
SAME_DAY_SIGNS = frozenset({"worsening_leg_weakness", "spreading_numbness", "fever_unwell"})
# Possible cancer in the spine: a reason to see a doctor within days only with back pain.
CANCER_SIGNS = frozenset({"cancer_history", "weight_loss", "night_pain"})
# Signs that the nerves or spinal cord are under pressure: with previous cancer, an emergency.
NERVE_SIGNS = frozenset({"worsening_leg_weakness", "spreading_numbness", "both_legs", "saddle_numbness",
                         "bladder_bowel_change", "sexual_function_change"})
FRAGILE_BONES = frozenset({"osteoporosis_steroids"})
SOON_SIGNS = frozenset({"osteoporosis_steroids", "morning_stiffness"})
SEVERE_PAIN = 7
FALL_RISK_AGE = 50
# The answer values at which a promise changes; the exhaustive check splits answers here too.
PAIN_THRESHOLDS = (1, SEVERE_PAIN)
AGE_THRESHOLDS = (FALL_RISK_AGE,)
NO_PLAN_LEVELS: tuple[Level, ...] = ("emergency", "same_day", "urgent")
WITH_BACK_PAIN: tuple[PainDuration, ...] = ("under_6_weeks", "6_to_12_weeks", "over_12_weeks")


class FlagSignature(NamedTuple):
    """All that the promises read of the ticked signs. Each field reads one list only (the
    red flags or the health flags), which the exhaustive check relies on."""

    emergency: bool
    same_day: bool
    cancer_sign: bool
    previous_cancer: bool
    nerve_sign: bool
    fragile_bones: bool
    minor_fall: bool
    soon: bool
    any_red_flag: bool
    any_health_flag: bool
CLEAR_START: dict[Experience, Tier] = {
    "none": "beginner", "beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced",
}


@dataclass(frozen=True)
class Promises:
    """What one set of answers is owed, whatever the rules say."""

    at_least: tuple[tuple[Level, str], ...]  # (the least urgent level allowed, why)
    health_gate: bool  # a health-gate answer: no plan until a professional clears it
    fragile_bones: bool  # no end-range bending or twisting anywhere in the plan
    in_pain: bool  # pain now, pain below the knee or past surgery/injury
    may_be_clear: bool
    clear_start: Tier


@dataclass(frozen=True)
class PlanFacts:
    start_tier: Tier
    tiers: tuple[Tier, ...]
    start_marked_once: bool
    empty_tiers: tuple[Tier, ...]
    unticked_equipment: tuple[str, ...]  # "exercise-id uses [...]"
    loaded_in_starting_tier: tuple[Equipment, ...]
    heaviest_spinal_load_in_starting_tier: SpinalLoad | None
    end_range: tuple[str, ...]  # "exercise-id (bending)", anywhere in the plan


@dataclass(frozen=True)
class OutcomeFacts:
    level: Level
    has_reasons: bool
    action: str
    plan: PlanFacts | None


def flag_signature(red_flags: frozenset[RedFlag], health_flags: frozenset[HealthFlag]) -> FlagSignature:
    """All that the promises read of the ticked signs: which groups were hit, and whether any."""
    return FlagSignature(
        emergency=bool(red_flags & EMERGENCY_SIGNS), same_day=bool(red_flags & SAME_DAY_SIGNS),
        cancer_sign=bool(red_flags & CANCER_SIGNS), previous_cancer="cancer_history" in red_flags,
        nerve_sign=bool(red_flags & NERVE_SIGNS), fragile_bones=bool(red_flags & FRAGILE_BONES),
        minor_fall="minor_fall" in red_flags, soon=bool(red_flags & SOON_SIGNS),
        any_red_flag=bool(red_flags), any_health_flag=bool(health_flags))


def promises_for(intake: Intake) -> Promises:
    return promises_from(intake.age, intake.pain_now, intake.pain_duration, intake.pain_below_knee,
                         intake.back_surgery_or_injury, intake.experience,
                         flag_signature(intake.red_flags, intake.health_flags))


def promises_from(age: int, pain_now: int, pain_duration: PainDuration, pain_below_knee: bool,
                  back_surgery_or_injury: bool, experience: Experience, flags: FlagSignature) -> Promises:
    """The promises, from the answers they read. Age is read only against AGE_THRESHOLDS, pain
    only against PAIN_THRESHOLDS and the signs only through `flag_signature`, which lets the
    exhaustive check cover whole classes of answers at once. Whether a professional has
    checked the back is not read at all: it never lowers what a sign is owed."""
    at_least: list[tuple[Level, str]] = []
    if flags.emergency:
        at_least.append(("emergency", "cauda equina signs or major trauma"))
    if flags.previous_cancer and flags.nerve_sign:
        at_least.append(("emergency", "previous cancer with a nerve sign (possible spinal cord pressure)"))
    if flags.same_day:
        at_least.append(("same_day", "worsening leg weakness, spreading numbness or fever"))
    back_pain = pain_duration in WITH_BACK_PAIN or pain_now > 0 or pain_below_knee
    if flags.cancer_sign and back_pain:
        at_least.append(("urgent", "previous cancer, weight loss or night pain with back pain now or lately"))
    new_pain = pain_duration == "under_6_weeks"
    if flags.fragile_bones and (new_pain or pain_now >= SEVERE_PAIN or flags.minor_fall):
        at_least.append(("urgent", "thin bones or long-term steroids with new or severe pain or a fall"))
    if flags.minor_fall and age >= FALL_RISK_AGE:
        at_least.append(("urgent", f"a fall or knock at {FALL_RISK_AGE} or over"))
    if flags.soon or pain_now >= SEVERE_PAIN:
        at_least.append(("soon", "osteoporosis/steroids, inflammatory signs or pain of 7+"))
    in_pain = pain_now > 0 or pain_below_knee or back_surgery_or_injury
    if in_pain:
        at_least.append(("caution", "current pain, pain below the knee or past surgery/injury"))
    if flags.any_red_flag:
        at_least.append(("caution", "any warning sign ticked"))
    return Promises(
        at_least=tuple(at_least),
        health_gate=flags.any_health_flag,
        fragile_bones=flags.fragile_bones,
        in_pain=in_pain,
        may_be_clear=not (in_pain or flags.any_red_flag or flags.any_health_flag or pain_duration != "none"),
        clear_start=CLEAR_START[experience],
    )


def plan_facts(plan: Plan | PlanDecision, ticked: frozenset[Equipment], rules: Ruleset) -> PlanFacts:
    starting = [tier for tier in plan.tiers if tier.is_start]
    everything = [e for tier in plan.tiers for e in tier.exercises] + [*plan.warm_up, *plan.cool_down]
    return PlanFacts(
        start_tier=plan.start_tier,
        tiers=tuple(tier.tier for tier in plan.tiers),
        start_marked_once=len(starting) == 1 and starting[0].tier == plan.start_tier,
        empty_tiers=tuple(tier.tier for tier in plan.tiers if not tier.exercises),
        unticked_equipment=tuple(f"{e.id} uses {sorted(set(e.equipment) - ticked)}"
                                 for e in everything if not ticked.issuperset(e.equipment)),
        loaded_in_starting_tier=tuple(sorted({item for tier in starting for e in tier.exercises
                                              for item in e.equipment if rules.equipment[item].external_load})),
        heaviest_spinal_load_in_starting_tier=max(
            (rules.exercises[e.id].spinal_load for tier in starting for e in tier.exercises),
            key=SPINAL_LOADS.index, default=None),
        end_range=tuple(f"{e.id} ({', '.join(moves)})" for e in everything
                        if (moves := rules.exercises[e.id].spine_end_range)),
    )


def broken(promises: Promises, outcome: OutcomeFacts, *, check_in: bool = False) -> list[str]:
    """Every promise this outcome breaks, in words; empty when all hold. At a `check_in` the
    starting tier is the check-in's to decide (see `broken_by_check_in`), so the first visit's
    promises about where to start are not asked; the rest are."""
    found: list[str] = []
    level, plan = outcome.level, outcome.plan
    for required, why in promises.at_least:
        if LEVELS.index(level) > LEVELS.index(required):
            found.append(f"{why} must be at least '{required}', got '{level}'")
    if level in NO_PLAN_LEVELS and plan is not None:
        found.append(f"a '{level}' result must not show a plan")
    if promises.health_gate and plan is not None:
        found.append("a health-gate answer must withhold the plan until a professional clears it")
    if not outcome.has_reasons and level != "clear":
        found.append("a level other than clear needs at least one listed reason")
    if level == "clear" and not promises.may_be_clear:
        found.append("'clear' needs no pain and no flags")
    if plan is None:
        if "exercises below" in outcome.action:
            found.append("the action points to exercises below, but no plan is shown")
        return found
    if promises.fragile_bones and plan.end_range:
        found.append(f"with thin bones or long-term steroids no exercise may take the spine to end-range "
                     f"bending or twisting, but the plan has {list(plan.end_range)}")
    if not plan.start_marked_once:
        found.append("exactly one tier, the start tier, must be marked as the start")
    found += [f"the {tier} tier is empty" for tier in plan.empty_tiers]
    found += [f"{use}, which were not ticked" for use in plan.unticked_equipment]
    if promises.in_pain or level == "soon":
        if plan.start_tier != "beginner" and not check_in:
            found.append(f"with pain or flags the plan must start at beginner, not {plan.start_tier}")
        if plan.loaded_in_starting_tier:
            found.append(f"with pain or flags the starting tier must be unloaded, "
                         f"but uses {list(plan.loaded_in_starting_tier)}")
    if level == "soon" and plan.tiers != ("beginner",):
        found.append("a 'soon' result may show only the gentle beginner tier")
    if level == "clear" and plan.start_tier != promises.clear_start and not check_in:
        found.append(f"a clear result starts at {promises.clear_start}, not {plan.start_tier}")
    return found


def broken_by_being_checked(professional_check: ProfessionalCheck, outcome: OutcomeFacts,
                            unchecked: OutcomeFacts) -> list[str]:
    """What saying a professional has checked the back must never do, compared with the same
    answers and "no": show a plan that "no" withholds (that is always for a warning sign or a
    health-gate answer), or lower a level at which "no" withholds the plan."""
    if professional_check == "no" or unchecked.plan is not None:
        return []
    found = []
    if outcome.plan is not None:
        found.append(f"'{professional_check}' shows a plan that the same answers with 'no' withhold")
    if LEVELS.index(outcome.level) > LEVELS.index(unchecked.level):
        found.append(f"'{professional_check}' lowers '{unchecked.level}' to '{outcome.level}'")
    return found


def outcome_facts(intake: Intake, result: Recommendation, rules: Ruleset) -> OutcomeFacts:
    return OutcomeFacts(
        level=result.triage.level,
        has_reasons=bool(result.triage.reasons),
        action=result.triage.action,
        plan=plan_facts(result.plan, intake.equipment, rules) if result.plan else None,
    )


def broken_promises(intake: Intake, result: Recommendation, rules: Ruleset,
                    unchecked: Recommendation | None = None) -> list[str]:
    """Every safety promise this recommendation breaks, in words; empty when all hold.
    `unchecked` is the result for the same answers with professional_check "no"."""
    outcome = outcome_facts(intake, result, rules)
    found = broken(promises_for(intake), outcome, check_in=intake.progress is not None)
    if unchecked is not None:
        found += broken_by_being_checked(intake.professional_check, outcome, outcome_facts(intake, unchecked, rules))
    return found


# --- the check-in, written from the brief and not from progression.yaml ----------------------

# The pain-monitoring model: above 5 out of 10 during or just after a session is too much.
TOO_MUCH_PAIN = 5
# Fewer sessions than this in two weeks is too little to judge a move up on.
FEWEST_SESSIONS_TO_MOVE_UP = 4


class ReportFacts(NamedTuple):
    """All that the check-in promises read of a progress report."""

    tier: Tier
    too_much_pain: bool
    worse_mornings: bool
    all_sets: bool
    enough_sessions: bool


def report_facts(progress: Progress) -> ReportFacts:
    return ReportFacts(tier=progress.tier, too_much_pain=progress.pain_during_max > TOO_MUCH_PAIN,
                       worse_mornings=progress.next_morning == "worse", all_sets=progress.sets_completed == "all",
                       enough_sessions=progress.sessions_done >= FEWEST_SESSIONS_TO_MOVE_UP)


@dataclass(frozen=True)
class CheckInFacts:
    decision: Decision  # what the person is told to do next
    start: Tier | None  # the tier they go on with; None when no plan is shown


def broken_by_check_in(report: ReportFacts, check_in: CheckInFacts, plan: PlanFacts | None,
                       first_visit: PlanFacts | None, today: PlanLimit) -> list[str]:
    """Every check-in promise broken: `first_visit` is the plan the same answers get without a
    report, and `today` the plan limit today's screening sets."""
    found: list[str] = []
    reported = TIERS.index(report.tier)
    moved_up = check_in.decision == "move_up" or (check_in.start is not None and TIERS.index(check_in.start) > reported)
    not_ready = [why for why, holds in (
        (f"pain above {TOO_MUCH_PAIN}", report.too_much_pain), ("worse next mornings", report.worse_mornings),
        ("sets not all finished", not report.all_sets),
        (f"fewer than {FEWEST_SESSIONS_TO_MOVE_UP} sessions", not report.enough_sessions)) if holds]
    if moved_up and not_ready:
        found.append(f"a check-in must never move up with {' and '.join(not_ready)}")
    if report.too_much_pain or report.worse_mornings:
        stepped_back = (check_in.decision == "step_back" and check_in.start is not None
                        and TIERS.index(check_in.start) < reported)
        if not (stepped_back or check_in.decision == "see_professional"):
            found.append(f"pain above {TOO_MUCH_PAIN} or worse next mornings must step back a tier or refer, "
                         f"not '{check_in.decision}'")
    if first_visit is None and plan is not None:
        found.append("a check-in must not show a plan that the same answers without a report withhold")
    if plan is not None and first_visit is not None:
        if not set(plan.tiers) <= set(first_visit.tiers) or \
                TIERS.index(plan.start_tier) > max(TIERS.index(tier) for tier in first_visit.tiers):
            found.append(f"a check-in must not start above the highest tier today's answers show "
                         f"({list(first_visit.tiers)}), but starts at {plan.start_tier}")
        if today.starting_tier.no_external_load and plan.loaded_in_starting_tier:
            found.append(f"the starting tier must keep today's limit of no weights, but uses "
                         f"{list(plan.loaded_in_starting_tier)}")
        heaviest, allowed = plan.heaviest_spinal_load_in_starting_tier, today.starting_tier.max_spinal_load
        if heaviest is not None and SPINAL_LOADS.index(heaviest) > SPINAL_LOADS.index(allowed):
            found.append(f"the starting tier must keep today's limit of {allowed} spinal load, but has {heaviest}")
    if (plan is None) != (check_in.start is None):
        found.append("the check-in's next tier and the plan shown must agree")
    return found


def broken_check_in_promises(intake: Intake, result: Recommendation, first_visit: Recommendation,
                             rules: Ruleset) -> list[str]:
    """Every check-in promise a check-in's result breaks; `first_visit` is the result for the
    same answers without the report."""
    assert intake.progress is not None and result.check_in is not None, "a check-in has a report and a decision"
    # Today's plan limit, as the first visit's result names it.
    limit_reason = first_visit.plan.start_tier_reason if first_visit.plan else first_visit.plan_withheld_reason
    assert limit_reason is not None, "a result without a plan says why"
    today = rules.plan_limits[limit_reason.rule]
    plan = plan_facts(result.plan, intake.equipment, rules) if result.plan else None
    first = plan_facts(first_visit.plan, intake.equipment, rules) if first_visit.plan else None
    return broken_by_check_in(report_facts(intake.progress),
                              CheckInFacts(decision=result.check_in.decision, start=result.check_in.next_tier),
                              plan, first, today)
