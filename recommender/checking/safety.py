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
    RED_FLAGS,
    TIERS,
    CancerDetail,
    Equipment,
    Experience,
    HealthFlag,
    HeartDetail,
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

# Possible pressure on the nerves at the base of the spine, a fracture after a bad accident, or
# a possible leak from the body's main artery (sudden tummy and back pain).
EMERGENCY_SIGNS: frozenset[RedFlag] = frozenset({
    "saddle_numbness", "bladder_bowel_change", "both_legs", "sexual_function_change", "major_trauma",
    "sudden_tummy_and_back_pain"})
# A nerve getting worse.
SAME_DAY_SIGNS: frozenset[RedFlag] = frozenset({"worsening_leg_weakness", "spreading_numbness"})
# Possible cancer in the spine: a reason to see a doctor within days only with back pain.
CANCER_SIGNS: frozenset[RedFlag] = frozenset({"cancer_history", "weight_loss", "night_pain"})
# Signs that the nerves or spinal cord are under pressure: with previous cancer, an emergency.
NERVE_SIGNS: frozenset[RedFlag] = frozenset({
    "worsening_leg_weakness", "spreading_numbness", "both_legs", "saddle_numbness", "bladder_bowel_change",
    "sexual_function_change"})
FRAGILE_BONES: frozenset[RedFlag] = frozenset({"osteoporosis_steroids", "past_fragility_fracture"})
SOON_SIGNS: frozenset[RedFlag] = frozenset({"morning_stiffness", "thoracic_pain", "worsening_pain"})
# Health answers that hold back the plan until a professional clears it. A heart condition
# does only while its follow-ups are unanswered or one applies.
HEALTH_GATE_SIGNS = frozenset({"chest_pain", "fainting_dizziness", "supervised_only", "pregnant",
                               "recent_back_surgery", "fainted_during_exercise"})
# Lifts that load the spine most: never for a cancer survivor, thin bones, or an older beginner.
HIGH_LOAD_LIFTS = frozenset({"deadlift", "rack-pull", "barbell-good-morning", "kettlebell-swing"})
# A dynamic straight-leg raise, which stretches an irritated nerve root.
NERVE_STRETCHING = frozenset({"leg-swings"})
SEVERE_PAIN = 7
FALL_RISK_AGE = 50
OLDER_ADULT_AGE = 65
# The answer values at which a promise changes; the exhaustive check splits answers here too.
PAIN_THRESHOLDS = (1, SEVERE_PAIN)
AGE_THRESHOLDS = (FALL_RISK_AGE, OLDER_ADULT_AGE)
NO_PLAN_LEVELS: tuple[Level, ...] = ("emergency", "same_day", "urgent")
WITH_BACK_PAIN: tuple[PainDuration, ...] = ("under_6_weeks", "6_to_12_weeks", "over_12_weeks")

# What the promises read of the red flags: whether any of each group is ticked. The exhaustive
# check groups the red-flag sets by these (see `verification.red_flag_groups`).
RED_SIGN_GROUPS: dict[str, frozenset[RedFlag]] = {
    "emergency": EMERGENCY_SIGNS, "same_day": SAME_DAY_SIGNS, "fever": frozenset({"fever_unwell"}),
    "infection_risk": frozenset({"infection_risk"}), "cancer_sign": CANCER_SIGNS,
    "previous_cancer": frozenset({"cancer_history"}), "nerve_sign": NERVE_SIGNS, "fragile_bones": FRAGILE_BONES,
    "minor_fall": frozenset({"minor_fall"}), "soon": SOON_SIGNS, "worsening_pain": frozenset({"worsening_pain"}),
    "thoracic_pain": frozenset({"thoracic_pain"}), "blood_thinners": frozenset({"blood_thinners"}),
    "any_red_flag": frozenset(RED_FLAGS),
}


class FlagSignature(NamedTuple):
    """All that the promises read of the ticked signs. Each field reads the red flags only or
    the health answers only, which the exhaustive check relies on."""

    emergency: bool
    same_day: bool
    fever: bool
    infection_risk: bool
    cancer_sign: bool
    previous_cancer: bool
    nerve_sign: bool
    fragile_bones: bool
    minor_fall: bool
    soon: bool
    worsening_pain: bool
    thoracic_pain: bool
    blood_thinners: bool
    any_red_flag: bool
    # The health answers'.
    health_gate: bool  # a health answer that holds back the plan
    heart_cleared: bool  # a heart condition whose follow-ups all say no
    fainted_during_exercise: bool
    cancer_unclear: bool  # the cancer follow-ups are unanswered, or one applies
    any_health_flag: bool


CLEAR_START: dict[Experience, Tier] = {
    "none": "beginner", "beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced",
}


class Promises(NamedTuple):
    """What one set of answers is owed, whatever the rules say."""

    at_least: tuple[tuple[Level, str], ...]  # (the least urgent level allowed, why)
    health_gate: bool  # a health-gate answer: no plan until a professional clears it
    beginner_only: bool  # a plan may show the beginner tier only
    fragile_bones: bool  # no end-range bending or twisting anywhere in the plan, and a cool-down
    no_high_load: bool  # none of the lifts that load the spine most, anywhere in the plan
    no_nerve_stretch: bool  # no dynamic straight-leg raise (pain below the knee)
    no_barbell_good_morning: bool  # any back pain
    in_pain: bool  # pain now, pain below the knee or past surgery/injury
    pain_today: bool  # pain now above 0
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
    exercises: frozenset[str]  # every exercise anywhere in the plan, warm-up and cool-down too
    cool_down_empty: bool

    @property
    def for_check_in(self) -> CheckInPlanFacts:
        return CheckInPlanFacts(tiers=self.tiers, start_tier=self.start_tier,
                                loaded_in_starting_tier=self.loaded_in_starting_tier,
                                heaviest_spinal_load_in_starting_tier=self.heaviest_spinal_load_in_starting_tier)


@dataclass(frozen=True)
class CheckInPlanFacts:
    """What the check-in promises read of a plan (`broken_by_check_in`): its tiers, where it
    starts, and its starting tier's weights and heaviest spinal load."""

    tiers: tuple[Tier, ...]
    start_tier: Tier
    loaded_in_starting_tier: tuple[Equipment, ...]
    heaviest_spinal_load_in_starting_tier: SpinalLoad | None


@dataclass(frozen=True)
class OutcomeFacts:
    level: Level
    has_reasons: bool
    action: str
    plan: PlanFacts | None


def flag_signature(red_flags: frozenset[RedFlag], health_flags: frozenset[HealthFlag],
                   heart: frozenset[HeartDetail] | None = None,
                   cancer: frozenset[CancerDetail] | None = None) -> FlagSignature:
    """All that the promises read of the ticked signs and the follow-up answers."""
    red = {name: not group.isdisjoint(red_flags) for name, group in RED_SIGN_GROUPS.items()}
    heart_condition = "heart_condition" in health_flags
    return FlagSignature(
        **red,
        health_gate=not HEALTH_GATE_SIGNS.isdisjoint(health_flags) or (heart_condition and (heart is None
                                                                                            or bool(heart))),
        heart_cleared=heart_condition and heart == frozenset(),
        fainted_during_exercise="fainted_during_exercise" in health_flags,
        cancer_unclear=cancer is None or bool(cancer),
        any_health_flag=bool(health_flags))


_NO_RED_SIGNS = dict.fromkeys(RED_SIGN_GROUPS, False)
_URGENCY = {level: rank for rank, level in enumerate(LEVELS)}


def decisive(flags: FlagSignature) -> FlagSignature:
    """The same signs, less what can no longer change whether a result keeps its promises:
    signs that call for an emergency (or, without previous cancer's pain below the knee, a
    same-day visit) on their own are owed no plan and nothing short of that level, so the
    other red-flag groups add nothing. The exhaustive check groups answers by this."""
    if flags.emergency or (flags.previous_cancer and flags.nerve_sign):
        return flags._replace(**{**_NO_RED_SIGNS, "emergency": True, "any_red_flag": True})
    if flags.same_day:
        return flags._replace(**{**_NO_RED_SIGNS, "same_day": True, "any_red_flag": True,
                                 "previous_cancer": flags.previous_cancer})
    return flags


def promises_for(intake: Intake) -> Promises:
    return promises_from(intake.age, intake.pain_now, intake.pain_duration, intake.pain_below_knee,
                         intake.back_surgery_or_injury, intake.experience,
                         flag_signature(intake.red_flags, intake.health_flags, intake.heart_condition_details,
                                        intake.cancer_details))


def promises_from(age: int, pain_now: int, pain_duration: PainDuration, pain_below_knee: bool,
                  back_surgery_or_injury: bool, experience: Experience, flags: FlagSignature) -> Promises:
    """The promises, from the answers they read. Age is read only against AGE_THRESHOLDS, pain
    only against PAIN_THRESHOLDS and the signs only through `flag_signature`, which lets the
    exhaustive check cover whole classes of answers at once. Whether a professional has
    checked the back is not read at all: it never lowers what a sign is owed."""
    at_least: list[tuple[Level, str]] = []
    back_pain = pain_duration in WITH_BACK_PAIN or pain_now > 0 or pain_below_knee
    new_pain = pain_duration == "under_6_weeks"
    new_or_worse = new_pain or flags.worsening_pain
    if flags.emergency:
        at_least.append(("emergency", "cauda equina signs, major trauma or sudden tummy and back pain"))
    if flags.previous_cancer and (flags.nerve_sign or pain_below_knee):
        at_least.append(("emergency", "previous cancer with a nerve sign or pain below the knee "
                                      "(possible spinal cord compression, NICE NG234)"))
    if flags.same_day:
        at_least.append(("same_day", "worsening leg weakness or spreading numbness"))
    if flags.fever and back_pain:
        at_least.append(("same_day", "fever or feeling very unwell with back pain (possible infection)"))
    if flags.infection_risk and new_or_worse:
        at_least.append(("same_day", "a risk of spinal infection with new or worsening back pain"))
    if flags.previous_cancer and (new_or_worse or flags.thoracic_pain):
        at_least.append(("same_day", "previous cancer with new, worsening or mid-back pain"))
    if flags.cancer_sign and back_pain:
        at_least.append(("urgent", "previous cancer, weight loss or night pain with back pain now or lately"))
    if flags.fragile_bones and (new_pain or pain_now >= SEVERE_PAIN or flags.minor_fall):
        at_least.append(("urgent", "thin bones or long-term steroids with new or severe pain or a fall"))
    if flags.minor_fall and age >= FALL_RISK_AGE and back_pain:
        at_least.append(("urgent", f"a fall or knock at {FALL_RISK_AGE} or over, with back pain"))
    if flags.blood_thinners and (flags.minor_fall or (new_pain and pain_now >= SEVERE_PAIN)):
        at_least.append(("urgent", "blood thinners with a fall or sudden severe pain (possible bleeding)"))
    if flags.fainted_during_exercise:
        at_least.append(("urgent", "fainting during exercise"))
    if flags.soon or pain_now >= SEVERE_PAIN:
        at_least.append(("soon", "inflammatory signs, mid-back pain, steadily worsening pain or pain of 7+"))
    in_pain = pain_now > 0 or pain_below_knee or back_surgery_or_injury
    if in_pain:
        at_least.append(("caution", "current pain, pain below the knee or past surgery/injury"))
    if flags.any_red_flag or flags.any_health_flag:
        at_least.append(("caution", "any warning sign or health answer ticked"))
    cancer_gate = flags.previous_cancer and flags.cancer_unclear
    # A result keeps every "at least" exactly when it keeps the most urgent one; and when that
    # withholds the plan, no promise about a plan can matter. Keeping only what can decide lets
    # the exhaustive check treat alike the answers that are owed alike.
    strictest = None
    for required in at_least:
        if strictest is None or _URGENCY[required[0]] < _URGENCY[strictest[0]]:
            strictest = required
    if strictest is not None and strictest[0] in NO_PLAN_LEVELS:
        return Promises(at_least=(strictest,), health_gate=False, beginner_only=False, fragile_bones=False,
                        no_high_load=False, no_nerve_stretch=False, no_barbell_good_morning=False,
                        in_pain=True, pain_today=False, may_be_clear=False, clear_start="beginner")
    return Promises(
        at_least=(strictest,) if strictest is not None else (),
        health_gate=flags.health_gate or (flags.fever and not back_pain) or cancer_gate,
        beginner_only=flags.heart_cleared,
        fragile_bones=flags.fragile_bones,
        no_high_load=(flags.previous_cancer or flags.fragile_bones
                      or (age >= OLDER_ADULT_AGE and experience != "advanced")),
        no_nerve_stretch=pain_below_knee,
        no_barbell_good_morning=back_pain,
        in_pain=in_pain,
        pain_today=pain_now > 0,
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
        exercises=frozenset(e.id for e in everything),
        cool_down_empty=not plan.cool_down,
    )


def broken(promises: Promises, outcome: OutcomeFacts, *, check_in: bool = False) -> list[str]:
    """Every promise this outcome breaks, in words; empty when all hold. At a `check_in` the
    starting tier is the check-in's to decide (see `broken_by_check_in`), so the first visit's
    promises about where to start are not asked; the rest are."""
    return broken_by_the_decision(promises, outcome) + broken_by_the_plan(promises, outcome, check_in=check_in)


def broken_by_the_decision(promises: Promises, outcome: OutcomeFacts) -> list[str]:
    """The promises `broken` asks of the level, the reasons, the action and whether a plan is
    shown, but not of what the plan holds: asked of a decision before any of its plans is built,
    they find most broken rules without building one."""
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
    if plan is None and "exercises below" in outcome.action:
        found.append("the action points to exercises below, but no plan is shown")
    return found


def broken_by_the_plan(promises: Promises, outcome: OutcomeFacts, *, check_in: bool = False) -> list[str]:
    """The promises `broken` asks of what a shown plan holds (none when no plan is shown)."""
    found: list[str] = []
    level, plan = outcome.level, outcome.plan
    if plan is None:
        return found
    if promises.fragile_bones and plan.end_range:
        found.append(f"with thin bones or long-term steroids no exercise may take the spine to end-range "
                     f"bending or twisting, but the plan has {list(plan.end_range)}")
    if promises.fragile_bones and plan.cool_down_empty:
        found.append("with thin bones the cool-down must not be empty")
    if promises.beginner_only and plan.tiers != ("beginner",):
        found.append(f"a heart condition cleared by its follow-ups shows the beginner tier only, not {plan.tiers}")
    for keep_out, owed, why in (
            (HIGH_LOAD_LIFTS, promises.no_high_load, "previous cancer, thin bones, or 65 and over without "
                                                     "advanced experience"),
            (NERVE_STRETCHING, promises.no_nerve_stretch, "pain below the knee"),
            (frozenset({"barbell-good-morning"}), promises.no_barbell_good_morning, "back pain")):
        if owed and (found_here := sorted(plan.exercises & keep_out)):
            found.append(f"with {why} the plan must leave out {found_here}")
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
# Pain this high during a session needs a professional, whatever the tier.
SEVERE_SESSION_PAIN = 8
# The plan's own rule: at least this many weeks on intermediate before the advanced tier.
WEEKS_BEFORE_ADVANCED = 6


class ReportFacts(NamedTuple):
    """All that the check-in promises read of a progress report."""

    tier: Tier
    too_much_pain: bool
    severe_pain: bool
    worse_mornings: bool
    worse_again: bool  # worse next mornings, as at the last check-in
    all_sets: bool
    enough_sessions: bool
    enough_weeks: bool  # long enough on the tier to move past intermediate


def report_facts(progress: Progress) -> ReportFacts:
    return ReportFacts(tier=progress.tier, too_much_pain=progress.pain_during_max > TOO_MUCH_PAIN,
                       severe_pain=progress.pain_during_max >= SEVERE_SESSION_PAIN,
                       worse_mornings=progress.next_morning in ("worse", "worse_again"),
                       worse_again=progress.next_morning == "worse_again",
                       all_sets=progress.sets_completed == "all",
                       enough_sessions=progress.sessions_done >= FEWEST_SESSIONS_TO_MOVE_UP,
                       # An unknown count of weeks is never enough.
                       enough_weeks=(progress.weeks_on_tier or 0) >= WEEKS_BEFORE_ADVANCED)


@dataclass(frozen=True)
class CheckInFacts:
    decision: Decision  # what the person is told to do next
    start: Tier | None  # the tier they go on with; None when no plan is shown
    level: Level  # today's level, after the check-in


def broken_by_check_in(report: ReportFacts, check_in: CheckInFacts, plan: CheckInPlanFacts | None,
                       first_visit: CheckInPlanFacts | None, today: PlanLimit, pain_today: bool = False) -> list[str]:
    """Every check-in promise broken: `first_visit` is the plan the same answers get without a
    report, `today` the plan limit today's screening sets, and `pain_today` whether the person
    has pain now."""
    found: list[str] = []
    reported = TIERS.index(report.tier)
    moved_up = check_in.decision == "move_up" or (check_in.start is not None and TIERS.index(check_in.start) > reported)
    not_ready = [why for why, holds in (
        (f"pain above {TOO_MUCH_PAIN}", report.too_much_pain), ("worse next mornings", report.worse_mornings),
        ("sets not all finished", not report.all_sets),
        (f"fewer than {FEWEST_SESSIONS_TO_MOVE_UP} sessions", not report.enough_sessions)) if holds]
    if moved_up and not_ready:
        found.append(f"a check-in must never move up with {' and '.join(not_ready)}")
    if check_in.start == "advanced" and reported < TIERS.index("advanced"):
        if not (report.tier == "intermediate" and report.enough_weeks):
            found.append(f"a check-in may reach advanced only after {WEEKS_BEFORE_ADVANCED} weeks or more "
                         f"on intermediate")
        if pain_today:
            found.append("a check-in must not reach advanced with pain today")
    if report.severe_pain:
        if check_in.decision != "see_professional":
            found.append(f"session pain of {SEVERE_SESSION_PAIN} or more must refer, not '{check_in.decision}'")
        if check_in.level == "clear":
            found.append(f"session pain of {SEVERE_SESSION_PAIN} or more must never be 'clear'")
    first_worse_on_beginner = report.tier == "beginner" and report.worse_mornings and not report.worse_again
    if report.too_much_pain or (report.worse_mornings and not first_worse_on_beginner):
        stepped_back = (check_in.decision == "step_back" and check_in.start is not None
                        and TIERS.index(check_in.start) < reported)
        if not (stepped_back or check_in.decision == "see_professional"):
            found.append(f"pain above {TOO_MUCH_PAIN} or worse next mornings must step back a tier or refer "
                         f"(a first worse morning on beginner may stay, with fewer sets), "
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
    plan = plan_facts(result.plan, intake.equipment, rules).for_check_in if result.plan else None
    first = plan_facts(first_visit.plan, intake.equipment, rules).for_check_in if first_visit.plan else None
    return broken_by_check_in(report_facts(intake.progress),
                              CheckInFacts(decision=result.check_in.decision, start=result.check_in.next_tier,
                                           level=result.triage.level),
                              plan, first, today, pain_today=intake.pain_now > 0)
