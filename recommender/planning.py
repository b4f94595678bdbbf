"""Build the tiered plan: fill each tier's slots from the catalogue, dose, schedule.

The whole result depends only on the answers and the rules, so the same answers always
give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from recommender.explaining import hidden_tiers_reason, in_sentence, plan_withheld_reason, start_tier_reason
from recommender.intake import Equipment, Experience, Intake, Tier
from recommender.loading import Ruleset
from recommender.outcome import (
    ExerciseDecision,
    ExerciseRef,
    LimitReason,
    PainGuide,
    Plan,
    PlannedExercise,
    Recommendation,
    ScheduleDay,
    SlotDecision,
    TierPlan,
    Triage,
)
from recommender.ruleset import SPINAL_LOADS, Exercise, PlanLimit, Slot, StartingTierLimits
from recommender.screening import safety_net, screen

NO_LIMITS = StartingTierLimits()


def recommend(intake: Intake, rules: Ruleset, never_prescribe: frozenset[str] = frozenset()) -> Recommendation:
    """Screen the answers and, when screening allows, build the plan.

    `never_prescribe` narrows the catalogue for a clinic: a slot skips those exercises and
    takes its next choice. Screening is never narrowed.
    """
    triage, limit = screen(intake, rules)
    return Recommendation(
        triage=triage,
        plan=build_plan(intake, rules, limit, triage, never_prescribe) if limit.shows_plan else None,
        plan_withheld_reason=None if limit.shows_plan else plan_withheld_reason(rules, triage, limit),
        safety_net=safety_net(rules),
        rules_version=rules.version,
        rules_sha256=rules.digest,
    )


def build_plan(intake: Intake, rules: Ruleset, limit: PlanLimit, triage: Triage,
               never_prescribe: frozenset[str] = frozenset()) -> Plan:
    start = start_tier(limit, intake.experience, rules)
    built = plan_for(rules, limit.id, start, intake.equipment, never_prescribe)
    # The reasons name the person's own answers and findings, so they are added per request
    # around the cached part.
    start_reason, hidden_reason = _limit_reasons(intake, rules, triage, limit, start)
    return Plan(
        start_tier=start,
        start_tier_reason=start_reason,
        hidden_tiers_reason=hidden_reason,
        limit_note=limit.note,
        tiers=built.tiers,
        warm_up=built.warm_up,
        cool_down=built.cool_down,
        schedule=weekly_schedule(rules, intake.days_per_week),
        pain_guide=built.pain_guide,
        stop_signs=built.stop_signs,
    )


# These reasons read only the experience, the fired rules, the limit and the start tier, and
# the same few combinations recur: keep the recent ones (bounded, cleared when full).
_REASONS_KEPT = 4096
_reasons_kept: dict[tuple[object, ...], tuple[LimitReason, LimitReason | None]] = {}


def _limit_reasons(intake: Intake, rules: Ruleset, triage: Triage, limit: PlanLimit,
                   start: Tier) -> tuple[LimitReason, LimitReason | None]:
    key = (rules.digest, limit.id, start, intake.experience, tuple(finding.id for finding in triage.reasons))
    reasons = _reasons_kept.get(key)
    if reasons is None:
        if len(_reasons_kept) >= _REASONS_KEPT:
            _reasons_kept.clear()
        reasons = _reasons_kept[key] = (start_tier_reason(intake, rules, triage, limit, start),
                                        hidden_tiers_reason(rules, triage, limit))
    return reasons


def start_tier(limit: PlanLimit, experience: Experience, rules: Ruleset) -> Tier:
    """The tier a person starts at, under a limit that shows a plan."""
    if limit.start_tier == "from_experience":
        return rules.plan.start_tier_by_experience[experience]
    assert limit.start_tier is not None, "the loader checks a limit that shows a plan has a start tier"
    return limit.start_tier


@dataclass(frozen=True)
class BuiltPlan:
    """The part of a plan that depends only on the arguments of `plan_for`."""

    start_tier: Tier
    tiers: list[TierPlan]
    warm_up: list[PlannedExercise]
    cool_down: list[PlannedExercise]
    pain_guide: PainGuide
    stop_signs: list[str]


# The exercises depend on nothing but these things (the days a week change only the
# schedule), and there are few enough combinations in use that keeping recent ones saves
# rebuilding the same plan on every request.
@lru_cache(maxsize=4096)
def plan_for(rules: Ruleset, limit_id: str, start: Tier, equipment: frozenset[Equipment],
             never_prescribe: frozenset[str] = frozenset()) -> BuiltPlan:
    design, limit = rules.plan, rules.plan_limits[limit_id]
    tiers = []
    for tier_design in design.tiers:
        if tier_design.tier not in limit.tiers:
            continue
        is_start = tier_design.tier == start
        exercises, slots = _fill_slots(tier_design.tier, tier_design.slots, equipment,
                                       limit if is_start else None, rules, never_prescribe)
        tiers.append(TierPlan(
            tier=tier_design.tier,
            title=tier_design.title,
            summary=tier_design.summary,
            is_start=is_start,
            exercises=exercises,
            move_on_when=tier_design.move_on_when,
            step_back_when=tier_design.step_back_when,
            slots=slots,
        ))
    return BuiltPlan(
        start_tier=start,
        tiers=tiers,
        warm_up=_routine(design.warm_up, start, equipment, rules,
                         "It gets your body warm and your joints moving before you start."),
        cool_down=_routine(design.cool_down, start, equipment, rules,
                           "Stretching after exercise, once your muscles are warm, keeps your hips and back supple."),
        pain_guide=PainGuide(**design.pain_monitoring.model_dump()),
        stop_signs=list(design.stop_signs),
    )


def forget_built_plans() -> None:
    """Empty the caches of built plans, so the next plan is built from scratch (for timing)."""
    plan_for.cache_clear()
    _planned_with.cache_clear()


@lru_cache(maxsize=16)
def weekly_schedule(rules: Ruleset, days_per_week: int) -> list[ScheduleDay]:
    design = rules.plan
    return [ScheduleDay(day=day.day, session=day.session, title=design.sessions[day.session].title,
                        description=design.sessions[day.session].description)
            for week in design.weekly_schedule if week.days_per_week == days_per_week
            for day in week.days]


@dataclass(frozen=True)
class _Refusal:
    """Why an exercise cannot be used: `by_limit` when the starting tier's limits refuse it,
    otherwise because equipment it needs was not ticked."""

    by_limit: bool
    reason: str


def usable_equipment(exercise: Exercise, ticked: frozenset[Equipment], limits: StartingTierLimits,
                     rules: Ruleset) -> list[Equipment] | None:
    """The first equipment alternative this person has and may use, or None if there is none."""
    found = _equipment_or_refusal(exercise, ticked, limits, rules)
    return None if isinstance(found, _Refusal) else found


def _equipment_or_refusal(exercise: Exercise, ticked: frozenset[Equipment], limits: StartingTierLimits,
                          rules: Ruleset) -> list[Equipment] | _Refusal:
    if SPINAL_LOADS.index(exercise.spinal_load) > SPINAL_LOADS.index(limits.max_spinal_load):
        return _Refusal(True, f"puts {exercise.spinal_load} load on your spine, and your starting tier "
                              f"keeps to {limits.max_spinal_load} load")

    def loaded(items: list[Equipment]) -> list[Equipment]:
        return [item for item in items if rules.equipment[item].external_load] if limits.no_external_load else []

    refused_for_load: list[Equipment] | None = None
    for alternative in exercise.equipment:
        if not ticked.issuperset(alternative):
            continue
        if loaded(alternative):
            refused_for_load = refused_for_load or alternative
            continue
        return list(alternative)
    # Say what stands in the way of the nearest way to do it: weights the limits refuse if
    # the person has them (or if every way needs weights), else the fewest items to get.
    allowed = [alternative for alternative in exercise.equipment if not loaded(alternative)]
    if refused_for_load is not None or not allowed:
        weights = loaded(refused_for_load or exercise.equipment[0])
        return _Refusal(True, f"uses weights ({_names(weights, rules)}), which are kept out of your "
                              f"starting tier for now")
    nearest = min(allowed, key=lambda alternative: len(set(alternative) - ticked))
    missing = [item for item in nearest if item not in ticked]
    return _Refusal(False, f"needs equipment you did not tick: {_names(missing, rules)}")


def _fill_slots(tier: Tier, slots: list[Slot], ticked: frozenset[Equipment], limit: PlanLimit | None,
                rules: Ruleset, never_prescribe: frozenset[str] = frozenset(),
                ) -> tuple[list[PlannedExercise], list[SlotDecision]]:
    """Each slot's exercise, and for each slot every candidate with why it was taken or left
    out. `limit` is the plan limit whose starting-tier limits apply here, if any.

    The choice and its explanation come from this one loop, so they cannot disagree.
    """
    limits = limit.starting_tier if limit else NO_LIMITS
    allows = " and that your starting tier allows" if limits != NO_LIMITS else ""
    chosen: list[PlannedExercise] = []
    decisions: list[SlotDecision] = []
    used: dict[str, str] = {}  # exercise id -> the slot that took it
    for slot in slots:
        picked: Exercise | None = None
        considered: list[ExerciseDecision] = []
        for exercise_id in slot.choose_first_of:
            exercise = rules.exercises[exercise_id]
            if picked is not None:
                considered.append(_left_out(exercise, slot.id, f"not needed: {picked.name}, an earlier "
                                                               f"choice in this slot, was picked"))
                continue
            if exercise_id in used:
                considered.append(_left_out(exercise, slot.id, f"already used earlier in this tier "
                                                               f"(slot {used[exercise_id]})"))
                continue
            if exercise_id in never_prescribe:
                considered.append(_left_out(exercise, "clinic", "your clinic does not prescribe it"))
                continue
            found = _equipment_or_refusal(exercise, ticked, limits, rules)
            if isinstance(found, _Refusal):
                if found.by_limit and limit is not None:
                    considered.append(_left_out(exercise, limit.id, f"{found.reason} (plan limit {limit.id})"))
                else:
                    considered.append(_left_out(exercise, slot.id, found.reason))
                continue
            used[exercise_id] = slot.id
            picked = exercise
            chosen.append(_planned(exercise, tier, found, ticked, slot.purpose, rules))
            if considered:
                why = f"the first choice in slot {slot.id} that you have the equipment for{allows}"
            else:
                why = (f"the first choice in slot {slot.id}, and "
                       f"{'you ticked what it needs' if found else 'it needs no equipment'}")
            considered.append(ExerciseDecision(id=exercise.id, name=exercise.name, included=True,
                                               rule=slot.id, reason=why))
        decisions.append(SlotDecision(slot=slot.id, purpose=slot.purpose,
                                      chosen=picked.id if picked else None, considered=considered))
    return chosen, decisions


def _left_out(exercise: Exercise, rule: str, reason: str) -> ExerciseDecision:
    return ExerciseDecision(id=exercise.id, name=exercise.name, included=False, rule=rule, reason=reason)


def _names(items: list[Equipment], rules: Ruleset) -> str:
    return ", ".join(in_sentence(rules.equipment[item].name) for item in items)


def _routine(ids: list[str], tier: Tier, ticked: frozenset[Equipment], rules: Ruleset,
             why: str) -> list[PlannedExercise]:
    planned = []
    for exercise_id in ids:
        exercise = rules.exercises[exercise_id]
        equipment = usable_equipment(exercise, ticked, NO_LIMITS, rules)
        if equipment is not None:
            planned.append(_planned(exercise, tier, equipment, ticked, why, rules))
    return planned


def _planned(exercise: Exercise, tier: Tier, equipment: list[Equipment],
             ticked: frozenset[Equipment], purpose: str, rules: Ruleset) -> PlannedExercise:
    extras = [item for item in exercise.optional_equipment if item in ticked and item not in equipment]
    return _planned_with(rules, exercise.id, tier, tuple(equipment), tuple(extras), purpose)


# The same exercise, tier, equipment and purpose recur across many plans: build each once.
@lru_cache(maxsize=4096)
def _planned_with(rules: Ruleset, exercise_id: str, tier: Tier, equipment: tuple[Equipment, ...],
                  extras: tuple[Equipment, ...], purpose: str) -> PlannedExercise:
    exercise = rules.exercises[exercise_id]
    dose = exercise.dose.for_tier(tier)
    assert dose is not None, "the loader checks every exercise has a dose for the tiers it can be in"
    uses = list(equipment + extras)
    why = f"{purpose} {exercise.benefit}"
    if equipment:
        why += f" Uses what you ticked: {_names(list(equipment), rules)}."
    return PlannedExercise(
        id=exercise.id,
        name=exercise.name,
        equipment=uses,
        dose=dose.describe(),
        why=why,
        spinal_load=exercise.spinal_load,
        light_day=exercise.spinal_load == "low",
        muscles=list(exercise.muscles),
        steps=list(exercise.steps),
        cues=list(exercise.cues),
        common_mistake=exercise.common_mistake,
        easier=_ref(exercise.easier, rules),
        harder=_ref(exercise.harder, rules),
    )


def _ref(exercise_id: str | None, rules: Ruleset) -> ExerciseRef | None:
    if exercise_id is None:
        return None
    return ExerciseRef(id=exercise_id, name=rules.exercises[exercise_id].name)
