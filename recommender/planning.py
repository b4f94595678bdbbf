"""Build the tiered plan: fill each tier's slots from the catalogue, dose, schedule.

The whole result depends only on the answers and the rules, so the same answers always
give the same plan.
"""

from __future__ import annotations

from functools import lru_cache

from recommender.intake import Equipment, Intake, Tier
from recommender.loading import Ruleset
from recommender.outcome import (
    ExerciseRef,
    PainGuide,
    Plan,
    PlannedExercise,
    Recommendation,
    ScheduleDay,
    TierPlan,
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
        plan=build_plan(intake, rules, limit, never_prescribe) if limit.shows_plan else None,
        safety_net=safety_net(rules),
        rules_version=rules.version,
        rules_sha256=rules.digest,
    )


def build_plan(intake: Intake, rules: Ruleset, limit: PlanLimit,
               never_prescribe: frozenset[str] = frozenset()) -> Plan:
    start: Tier = (rules.plan.start_tier_by_experience[intake.experience]
                   if limit.start_tier == "from_experience" else limit.start_tier)  # type: ignore[assignment]
    return _plan_for(rules, limit.id, start, intake.equipment, intake.days_per_week, never_prescribe)


# A plan depends on nothing but these six things, and there are few enough combinations
# in use that keeping recent ones saves rebuilding the same plan on every request.
@lru_cache(maxsize=4096)
def _plan_for(rules: Ruleset, limit_id: str, start: Tier, equipment: frozenset[Equipment],
              days_per_week: int, never_prescribe: frozenset[str]) -> Plan:
    design, limit = rules.plan, rules.plan_limits[limit_id]
    tiers = []
    for tier_design in design.tiers:
        if tier_design.tier not in limit.tiers:
            continue
        limits = limit.starting_tier if tier_design.tier == start else NO_LIMITS
        tiers.append(TierPlan(
            tier=tier_design.tier,
            title=tier_design.title,
            summary=tier_design.summary,
            is_start=tier_design.tier == start,
            exercises=_fill_slots(tier_design.tier, tier_design.slots, equipment, limits, rules,
                                  never_prescribe),
            move_on_when=tier_design.move_on_when,
            step_back_when=tier_design.step_back_when,
        ))
    return Plan(
        start_tier=start,
        limit_note=limit.note,
        tiers=tiers,
        warm_up=_routine(design.warm_up, start, equipment, rules,
                         "It gets your body warm and your joints moving before you start."),
        cool_down=_routine(design.cool_down, start, equipment, rules,
                           "Stretching after exercise, once your muscles are warm, keeps your hips and back supple."),
        schedule=[ScheduleDay(day=day.day, session=day.session,
                              title=design.sessions[day.session].title,
                              description=design.sessions[day.session].description)
                  for week in design.weekly_schedule if week.days_per_week == days_per_week
                  for day in week.days],
        pain_guide=PainGuide(**design.pain_monitoring.model_dump()),
        stop_signs=list(design.stop_signs),
    )


def usable_equipment(exercise: Exercise, ticked: frozenset[Equipment], limits: StartingTierLimits,
                     rules: Ruleset) -> list[Equipment] | None:
    """The first equipment alternative this person has and may use, or None if there is none."""
    if SPINAL_LOADS.index(exercise.spinal_load) > SPINAL_LOADS.index(limits.max_spinal_load):
        return None
    for alternative in exercise.equipment:
        if not ticked.issuperset(alternative):
            continue
        if limits.no_external_load and any(rules.equipment[item].external_load for item in alternative):
            continue
        return list(alternative)
    return None


def _fill_slots(tier: Tier, slots: list[Slot], ticked: frozenset[Equipment],
                limits: StartingTierLimits, rules: Ruleset,
                never_prescribe: frozenset[str]) -> list[PlannedExercise]:
    chosen: list[PlannedExercise] = []
    used: set[str] = set()
    for slot in slots:
        for exercise_id in slot.choose_first_of:
            if exercise_id in used or exercise_id in never_prescribe:
                continue
            exercise = rules.exercises[exercise_id]
            equipment = usable_equipment(exercise, ticked, limits, rules)
            if equipment is None:
                continue
            used.add(exercise_id)
            chosen.append(_planned(exercise, tier, equipment, ticked, slot.purpose, rules))
            break
    return chosen


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
    dose = exercise.dose.for_tier(tier)
    assert dose is not None, "the loader checks every exercise has a dose for the tiers it can be in"
    extras = [item for item in exercise.optional_equipment if item in ticked and item not in equipment]
    uses = equipment + extras
    why = f"{purpose} {exercise.benefit}"
    if equipment:
        names = ", ".join(_in_sentence(rules.equipment[item].name) for item in equipment)
        why += f" Uses what you ticked: {names}."
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


def _in_sentence(name: str) -> str:
    return name[:1].lower() + name[1:]


def _ref(exercise_id: str | None, rules: Ruleset) -> ExerciseRef | None:
    if exercise_id is None:
        return None
    return ExerciseRef(id=exercise_id, name=rules.exercises[exercise_id].name)
