"""Tiers that must fill: every tier a plan shows has exercises whatever equipment a person
ticked, and a clinic's narrowing never leaves a slot with nothing to offer."""

from __future__ import annotations

from recommender.engine.planning import NO_LIMITS, decide_plan, usable_equipment
from recommender.model.clinic import Clinic
from recommender.model.intake import TIERS, Tier
from recommender.model.problems import Problem
from recommender.model.rules import PlanLimit
from recommender.model.ruleset import Ruleset


def starting_tiers(limit: PlanLimit, ruleset: Ruleset) -> list[Tier]:
    """The tiers a plan under this limit can start at."""
    starts = (set(ruleset.plan.start_tier_by_experience.values()) if limit.start_tier == "from_experience"
              else {limit.start_tier})
    return sorted((tier for tier in starts if tier is not None), key=TIERS.index)


def empty_tier_problems(ruleset: Ruleset) -> list[Problem]:
    """Every tier shown must have exercises, whatever equipment a person has.

    Checked with no equipment ticked: ticking more only makes more candidates usable, and a
    tier has an exercise as soon as any candidate in it is usable, so a tier filled with
    nothing is filled with anything.
    """
    problems = []
    tier_index = {design.tier: index for index, design in enumerate(ruleset.plan.tiers)}
    for limit in ruleset.plan_limits.values():
        if not limit.shows_plan:
            continue
        for start in starting_tiers(limit, ruleset):
            plan = decide_plan(ruleset, limit.id, start, frozenset())
            for tier in plan.tiers:
                if not tier.exercises:
                    problems.append(ruleset.lines.problem(
                        "plan.yaml", ("tiers", tier_index[tier.tier], "slots"),
                        f"the {tier.tier} tier is empty for someone with no equipment under the "
                        f"plan limit '{limit.id}' (starting at {start}): end a slot with an "
                        f"exercise that needs nothing and that the limit allows"))
    return problems


def narrowing_problems(clinic: Clinic, ruleset: Ruleset) -> list[Problem]:
    """A clinic's `never_prescribe` that could leave a slot empty, at the line that does it."""
    listed = clinic.profile.never_prescribe
    never = frozenset(listed)
    problems = []
    for tier, slot_id, keep in unfillable_slots(ruleset, never):
        culprit = next(index for index, exercise_id in enumerate(listed) if exercise_id in keep)
        problems.append(clinic.lines.problem(
            clinic.file, ("never_prescribe", culprit),
            f"leaving out {', '.join(repr(e) for e in keep if e in never)} leaves the slot '{slot_id}' "
            f"of the {tier} tier with nothing for a person who has no equipment (or, when it is their "
            f"starting tier, is in pain): keep at least one of {', '.join(keep)}"))
    return problems


def unfillable_slots(ruleset: Ruleset, never_prescribe: frozenset[str]) -> list[tuple[str, str, list[str]]]:
    """Slots that narrowing could leave empty: (tier, slot id, the choices that would fill it).

    A slot is always filled if it keeps a choice that needs no equipment, passes the limits of
    every plan in which its tier can be the starting tier, and is not in an earlier slot of the
    tier (which could have taken it already). Slots the rules alone cannot fill are the rules'
    problem, not the clinic's, and are left to `empty_tier_problems`.
    """
    found: dict[str, tuple[str, str, list[str]]] = {}
    for limit in ruleset.plan_limits.values():
        if not limit.shows_plan:
            continue
        starts = starting_tiers(limit, ruleset)
        for design in ruleset.plan.tiers:
            if design.tier not in limit.tiers:
                continue
            limits = limit.starting_tier if design.tier in starts else NO_LIMITS
            earlier: set[str] = set()
            for slot in design.slots:
                always = [exercise_id for exercise_id in slot.choose_first_of
                          if exercise_id not in earlier
                          and usable_equipment(ruleset.exercises[exercise_id], frozenset(), limits,
                                               ruleset) is not None]
                earlier.update(slot.choose_first_of)
                if always and all(exercise_id in never_prescribe for exercise_id in always):
                    found.setdefault(slot.id, (design.tier, slot.id, always))
    return list(found.values())
