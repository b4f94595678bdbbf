"""The safety promises, written straight from the clinical brief and not from the rules.

They are split in two so they can be checked both ways: `promises_for` says what a set of
answers is owed, naming red flags and answers directly, and `broken` compares that with the
facts of a result. A wrong or missing rule in the rules files shows up as a broken promise
with the answers that break it: on single answers (`broken_promises`) and, through
`recommender.checking.verification`, on every possible answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommender.engine.planning import PlanDecision
from recommender.model.intake import Equipment, Experience, HealthFlag, Intake, PainDuration, RedFlag, Tier
from recommender.model.outcome import Plan, Recommendation
from recommender.model.rules import LEVELS, Level
from recommender.model.ruleset import Ruleset

EMERGENCY_SIGNS = frozenset({"saddle_numbness", "bladder_bowel_change", "both_legs", "major_trauma"})
SAME_DAY_SIGNS = frozenset({"worsening_leg_weakness", "fever_unwell"})
URGENT_SIGNS = frozenset({"cancer_history", "weight_loss", "night_pain"})
SOON_SIGNS = frozenset({"osteoporosis_steroids", "morning_stiffness"})
SEVERE_PAIN = 7
# The answer values at which a promise changes; the exhaustive check splits answers here too.
PAIN_THRESHOLDS = (1, SEVERE_PAIN)
NO_PLAN_LEVELS: tuple[Level, ...] = ("emergency", "same_day", "urgent")
FlagSignature = tuple[bool, bool, bool, bool, bool, bool]
CLEAR_START: dict[Experience, Tier] = {
    "none": "beginner", "beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced",
}


@dataclass(frozen=True)
class Promises:
    """What one set of answers is owed, whatever the rules say."""

    at_least: tuple[tuple[Level, str], ...]  # (the least urgent level allowed, why)
    health_gate: bool  # a health-gate answer: no plan until a professional clears it
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


@dataclass(frozen=True)
class OutcomeFacts:
    level: Level
    has_reasons: bool
    action: str
    plan: PlanFacts | None


def flag_signature(red_flags: frozenset[RedFlag], health_flags: frozenset[HealthFlag]) -> FlagSignature:
    """All that the promises read of the ticked signs: which groups were hit, and whether any."""
    return (bool(red_flags & EMERGENCY_SIGNS), bool(red_flags & SAME_DAY_SIGNS),
            bool(red_flags & URGENT_SIGNS), bool(red_flags & SOON_SIGNS),
            bool(red_flags), bool(health_flags))


def promises_for(intake: Intake) -> Promises:
    return promises_from(intake.pain_now, intake.pain_duration, intake.pain_below_knee,
                         intake.back_surgery_or_injury, intake.experience,
                         flag_signature(intake.red_flags, intake.health_flags))


def promises_from(pain_now: int, pain_duration: PainDuration, pain_below_knee: bool,
                  back_surgery_or_injury: bool, experience: Experience, flags: FlagSignature) -> Promises:
    """The promises, from the answers they read. Pain is read only against PAIN_THRESHOLDS and
    the signs only through `flag_signature`, which lets the exhaustive check cover whole
    classes of answers at once."""
    emergency, same_day, urgent, soon, any_red_flag, any_health_flag = flags
    at_least: list[tuple[Level, str]] = []
    if emergency:
        at_least.append(("emergency", "cauda equina signs or major trauma"))
    if same_day:
        at_least.append(("same_day", "worsening leg weakness or fever"))
    if urgent:
        at_least.append(("urgent", "previous cancer, weight loss or night pain"))
    if soon or pain_now >= SEVERE_PAIN:
        at_least.append(("soon", "osteoporosis/steroids, inflammatory signs or pain of 7+"))
    in_pain = pain_now > 0 or pain_below_knee or back_surgery_or_injury
    if in_pain:
        at_least.append(("caution", "current pain, pain below the knee or past surgery/injury"))
    return Promises(
        at_least=tuple(at_least),
        health_gate=any_health_flag,
        in_pain=in_pain,
        may_be_clear=not (in_pain or any_red_flag or any_health_flag or pain_duration != "none"),
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
    )


def broken(promises: Promises, outcome: OutcomeFacts) -> list[str]:
    """Every promise this outcome breaks, in words; empty when all hold."""
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
    if not plan.start_marked_once:
        found.append("exactly one tier, the start tier, must be marked as the start")
    found += [f"the {tier} tier is empty" for tier in plan.empty_tiers]
    found += [f"{use}, which were not ticked" for use in plan.unticked_equipment]
    if promises.in_pain or level == "soon":
        if plan.start_tier != "beginner":
            found.append(f"with pain or flags the plan must start at beginner, not {plan.start_tier}")
        if plan.loaded_in_starting_tier:
            found.append(f"with pain or flags the starting tier must be unloaded, "
                         f"but uses {list(plan.loaded_in_starting_tier)}")
    if level == "soon" and plan.tiers != ("beginner",):
        found.append("a 'soon' result may show only the gentle beginner tier")
    if level == "clear" and plan.start_tier != promises.clear_start:
        found.append(f"a clear result starts at {promises.clear_start}, not {plan.start_tier}")
    return found


def broken_promises(intake: Intake, result: Recommendation, rules: Ruleset) -> list[str]:
    """Every safety promise this recommendation breaks, in words; empty when all hold."""
    outcome = OutcomeFacts(
        level=result.triage.level,
        has_reasons=bool(result.triage.reasons),
        action=result.triage.action,
        plan=plan_facts(result.plan, intake.equipment, rules) if result.plan else None,
    )
    return broken(promises_for(intake), outcome)
