"""The safety promises, written straight from the clinical brief and not from the rules.

`broken_promises` checks one answer set against its recommendation. It is an independent
oracle: it names red flags and answers directly, so a wrong or missing rule in the rules
files shows up here as a broken promise with the answers that break it.
"""

from __future__ import annotations

from recommender.intake import Intake
from recommender.loading import Ruleset
from recommender.outcome import Recommendation
from recommender.ruleset import LEVELS

EMERGENCY_SIGNS = frozenset({"saddle_numbness", "bladder_bowel_change", "both_legs", "major_trauma"})
SAME_DAY_SIGNS = frozenset({"worsening_leg_weakness", "fever_unwell"})
URGENT_SIGNS = frozenset({"cancer_history", "weight_loss", "night_pain"})
SOON_SIGNS = frozenset({"osteoporosis_steroids", "morning_stiffness"})
SEVERE_PAIN = 7


def broken_promises(intake: Intake, result: Recommendation, rules: Ruleset) -> list[str]:
    """Every safety promise this recommendation breaks, in words; empty when all hold."""
    broken: list[str] = []
    level, plan = result.triage.level, result.plan

    def at_least(required: str, why: str) -> None:
        if LEVELS.index(level) > LEVELS.index(required):
            broken.append(f"{why} must be at least '{required}', got '{level}'")

    if intake.red_flags & EMERGENCY_SIGNS:
        at_least("emergency", "cauda equina signs or major trauma")
    if intake.red_flags & SAME_DAY_SIGNS:
        at_least("same_day", "worsening leg weakness or fever")
    if intake.red_flags & URGENT_SIGNS:
        at_least("urgent", "previous cancer, weight loss or night pain")
    if intake.red_flags & SOON_SIGNS or intake.pain_now >= SEVERE_PAIN:
        at_least("soon", "osteoporosis/steroids, inflammatory signs or pain of 7+")
    in_pain = intake.pain_now > 0 or intake.pain_below_knee or intake.back_surgery_or_injury
    if in_pain:
        at_least("caution", "current pain, pain below the knee or past surgery/injury")

    if level in ("emergency", "same_day", "urgent") and plan is not None:
        broken.append(f"a '{level}' result must not show a plan")
    if intake.health_flags and plan is not None:
        broken.append("a health-gate answer must withhold the plan until a professional clears it")
    if not result.triage.reasons and level != "clear":
        broken.append("a level other than clear needs at least one listed reason")
    if level == "clear" and (in_pain or intake.red_flags or intake.health_flags
                             or intake.pain_duration != "none"):
        broken.append("'clear' needs no pain and no flags")

    if plan is None:
        if "exercises below" in result.triage.action:
            broken.append("the action points to exercises below, but no plan is shown")
        return broken
    starting = [tier for tier in plan.tiers if tier.is_start]
    if len(starting) != 1 or starting[0].tier != plan.start_tier:
        broken.append("exactly one tier, the start tier, must be marked as the start")
    for tier in plan.tiers:
        if not tier.exercises:
            broken.append(f"the {tier.tier} tier is empty")
    for exercise in [e for tier in plan.tiers for e in tier.exercises] + plan.warm_up + plan.cool_down:
        missing = set(exercise.equipment) - intake.equipment
        if missing:
            broken.append(f"{exercise.id} uses {sorted(missing)}, which were not ticked")
    if in_pain or level == "soon":
        if plan.start_tier != "beginner":
            broken.append(f"with pain or flags the plan must start at beginner, not {plan.start_tier}")
        loaded = {item for tier in starting for e in tier.exercises for item in e.equipment
                  if rules.equipment[item].external_load}
        if loaded:
            broken.append(f"with pain or flags the starting tier must be unloaded, but uses {sorted(loaded)}")
    if level == "soon" and [tier.tier for tier in plan.tiers] != ["beginner"]:
        broken.append("a 'soon' result may show only the gentle beginner tier")
    if level == "clear":
        expected = {"none": "beginner", "beginner": "beginner"}.get(intake.experience, intake.experience)
        if plan.start_tier != expected:
            broken.append(f"a clear result with {intake.experience} experience starts at {expected}, "
                          f"not {plan.start_tier}")
    return broken
