"""Planning: fill each tier's slots from the catalogue, and record why each candidate was
taken or left out. The words come later (`explaining`); this module only decides.

The exercises depend only on the plan limit, the starting tier, the equipment ticked and a
clinic's narrowing (the days a week change only the schedule), so the same answers always
give the same plan.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from recommender.model.intake import Equipment, Experience, Tier
from recommender.model.rules import SPINAL_LOADS, EndRange, Exercise, PlanLimit, Slot, SpinalLoad, StartingTierLimits
from recommender.model.ruleset import Ruleset

NO_LIMITS = StartingTierLimits()


# --- why a candidate was taken or left out ------------------------------------------------

@dataclass(frozen=True)
class Picked:
    after_others: bool  # earlier choices in the slot were left out
    starting_tier_limited: bool  # the starting tier's limits applied to the choice
    needs_equipment: bool


@dataclass(frozen=True)
class NotNeeded:
    picked: str  # the earlier choice in the slot that was taken


@dataclass(frozen=True)
class AlreadyUsed:
    slot: str  # the earlier slot of the tier that took it


@dataclass(frozen=True)
class LeftOutByClinic:
    pass


@dataclass(frozen=True)
class LeftOutForSafety:
    rule: str  # the screening rule whose finding keeps it out


@dataclass(frozen=True)
class TooMuchSpinalLoad:
    load: SpinalLoad
    allowed: SpinalLoad


@dataclass(frozen=True)
class WeightsKeptOut:
    weights: tuple[Equipment, ...]


@dataclass(frozen=True)
class EquipmentNotTicked:
    missing: tuple[Equipment, ...]


@dataclass(frozen=True)
class EndRangeAvoided:
    moves: tuple[EndRange, ...]  # the end-range moves the plan limit keeps out


Refusal = TooMuchSpinalLoad | WeightsKeptOut | EquipmentNotTicked
Why = Picked | NotNeeded | AlreadyUsed | LeftOutByClinic | LeftOutForSafety | EndRangeAvoided | Refusal


@dataclass(frozen=True)
class Candidate:
    """One exercise a slot lists, whether it was taken, and what decided it: the slot's id,
    the plan limit's id when the starting tier's limits left it out, or "clinic"."""

    exercise_id: str
    decided_by: str
    why: Why

    @property
    def included(self) -> bool:
        return isinstance(self.why, Picked)


# --- the plan as decided ------------------------------------------------------------------

@dataclass(frozen=True)
class ChosenExercise:
    id: str
    uses: tuple[Equipment, ...]  # the way of doing it that was chosen
    extras: tuple[Equipment, ...]  # optional equipment the person ticked

    @property
    def equipment(self) -> tuple[Equipment, ...]:
        return self.uses + self.extras


@dataclass(frozen=True)
class SlotRecord:
    slot: Slot
    chosen: ChosenExercise | None
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class TierRecord:
    tier: Tier
    is_start: bool
    slots: tuple[SlotRecord, ...]

    @property
    def exercises(self) -> tuple[ChosenExercise, ...]:
        return tuple(record.chosen for record in self.slots if record.chosen is not None)


@dataclass(frozen=True)
class PlanDecision:
    start_tier: Tier
    tiers: tuple[TierRecord, ...]
    warm_up: tuple[ChosenExercise, ...]
    cool_down: tuple[ChosenExercise, ...]


def start_tier_for(limit: PlanLimit, experience: Experience, ruleset: Ruleset) -> Tier:
    """The tier a person starts at, under a limit that shows a plan."""
    if limit.start_tier == "from_experience":
        return ruleset.plan.start_tier_by_experience[experience]
    assert limit.start_tier is not None, "the loader checks a limit that shows a plan has a start tier"
    return limit.start_tier


@dataclass(frozen=True)
class TierBasis:
    """Everything one tier of a plan is decided from, and nothing more: people whose answers
    give the same basis get the same tier."""

    tier: Tier
    start_limit: str | None  # the plan limit whose starting-tier limits apply: only on the start tier
    equipment: frozenset[Equipment]
    never_prescribe: frozenset[str]
    left_out: tuple[tuple[str, str], ...]  # exercise, and the rule that keeps it out
    avoid: frozenset[EndRange]
    avoided_by: str  # the plan limit named as keeping the end-range moves out

    @property
    def is_start(self) -> bool:
        return self.start_limit is not None


@dataclass(frozen=True)
class RoutineBasis:
    """Everything the warm-up or the cool-down is decided from."""

    exercises: tuple[str, ...]  # the routine's list, in order
    tier: Tier  # the starting tier, whose doses it takes
    equipment: frozenset[Equipment]
    left_out: tuple[tuple[str, str], ...]
    avoid: frozenset[EndRange]


@dataclass(frozen=True)
class PlanBases:
    tiers: tuple[TierBasis, ...]
    warm_up: RoutineBasis
    cool_down: RoutineBasis


def plan_bases(ruleset: Ruleset, limit_id: str, start: Tier, equipment: frozenset[Equipment],
               never_prescribe: frozenset[str] = frozenset(), left_out: tuple[tuple[str, str], ...] = (),
               avoid_end_range: tuple[EndRange, ...] = ()) -> PlanBases:
    """What each tier and routine of the plan is decided from: every tier the limit shows; the
    end-range moves of the limit and of screening's findings (`avoid_end_range`), and the
    exercises the findings leave out (`left_out`: each with the rule that does), kept out of all."""
    design, limit = ruleset.plan, ruleset.plan_limits[limit_id]
    avoid = frozenset(limit.avoid_end_range) | frozenset(avoid_end_range)
    tiers = tuple(TierBasis(tier=tier_design.tier, start_limit=limit.id if tier_design.tier == start else None,
                            equipment=equipment, never_prescribe=never_prescribe, left_out=left_out,
                            avoid=avoid, avoided_by=limit.id if avoid else "")
                  for tier_design in design.tiers if tier_design.tier in limit.tiers)
    cool_down = design.cool_down_without_end_range if avoid else design.cool_down
    return PlanBases(tiers=tiers,
                     warm_up=RoutineBasis(tuple(design.warm_up), start, equipment, left_out, avoid),
                     cool_down=RoutineBasis(tuple(cool_down), start, equipment, left_out, avoid))


class PlanReads:
    """What each tier and routine reads of the answers and of a clinic's narrowing: the
    equipment its exercises can use and the exercises it lists. A basis narrowed to these
    decides the same tier as the whole basis, and is shared by many more people."""

    def __init__(self, ruleset: Ruleset) -> None:
        self._ruleset = ruleset
        listed = {design.tier: frozenset(exercise for slot in design.slots for exercise in slot.choose_first_of)
                  for design in ruleset.plan.tiers}
        self._tiers = {tier: (exercises, self._equipment(exercises)) for tier, exercises in listed.items()}
        design = ruleset.plan
        self._routines = {tuple(exercises): (frozenset(exercises), self._equipment(frozenset(exercises)))
                          for exercises in (design.warm_up, design.cool_down, design.cool_down_without_end_range)}

    def _equipment(self, exercises: frozenset[str]) -> frozenset[Equipment]:
        found: set[Equipment] = set()
        for exercise_id in exercises:
            exercise = self._ruleset.exercises[exercise_id]
            found.update(item for alternative in exercise.equipment for item in alternative)
            found.update(exercise.optional_equipment)
        return frozenset(found)

    def tier(self, basis: TierBasis) -> TierBasis:
        listed, equipment = self._tiers[basis.tier]
        return TierBasis(tier=basis.tier, start_limit=basis.start_limit, equipment=basis.equipment & equipment,
                         never_prescribe=basis.never_prescribe & listed,
                         left_out=tuple(pair for pair in basis.left_out if pair[0] in listed),
                         avoid=basis.avoid, avoided_by=basis.avoided_by)

    def routine(self, basis: RoutineBasis) -> RoutineBasis:
        listed, equipment = self._routines[basis.exercises]
        return RoutineBasis(exercises=basis.exercises, tier=basis.tier, equipment=basis.equipment & equipment,
                            left_out=tuple(pair for pair in basis.left_out if pair[0] in listed), avoid=basis.avoid)


def decide_plan(ruleset: Ruleset, limit_id: str, start: Tier, equipment: frozenset[Equipment],
                never_prescribe: frozenset[str] = frozenset(),
                left_out: tuple[tuple[str, str], ...] = (),
                avoid_end_range: tuple[EndRange, ...] = ()) -> PlanDecision:
    """Every tier the limit shows, each slot filled; the warm-up and cool-down (see `plan_bases`)."""
    bases = plan_bases(ruleset, limit_id, start, equipment, never_prescribe, left_out, avoid_end_range)
    return PlanDecision(start_tier=start, tiers=tuple(decide_tier(basis, ruleset) for basis in bases.tiers),
                        warm_up=decide_routine(bases.warm_up, ruleset),
                        cool_down=decide_routine(bases.cool_down, ruleset))


class PlansAsServed:
    """Plans decided as the service decides them (`Recommender`): each tier and routine from
    the answers it reads (`PlanReads`), and each once. For the exhaustive check, which builds a
    plan for every equipment set and so meets each narrowed basis thousands of times; it keeps
    one record per narrowed basis, a few thousand for the shipped rules."""

    def __init__(self, ruleset: Ruleset) -> None:
        self._ruleset = ruleset
        self._reads = PlanReads(ruleset)
        self._tiers: dict[TierBasis, TierRecord] = {}
        self._routines: dict[RoutineBasis, tuple[ChosenExercise, ...]] = {}

    def decide(self, limit_id: str, start: Tier, equipment: frozenset[Equipment],
               never_prescribe: frozenset[str] = frozenset(), left_out: tuple[tuple[str, str], ...] = (),
               avoid_end_range: tuple[EndRange, ...] = ()) -> PlanDecision:
        """What `decide_plan` decides, from the narrowed bases the service decides from."""
        bases = plan_bases(self._ruleset, limit_id, start, equipment, never_prescribe, left_out, avoid_end_range)
        return PlanDecision(start_tier=start, tiers=tuple(self._tier(self._reads.tier(basis)) for basis in bases.tiers),
                            warm_up=self._routine(self._reads.routine(bases.warm_up)),
                            cool_down=self._routine(self._reads.routine(bases.cool_down)))

    def starting_tiers(self, limit_id: str, start: Tier, equipment_sets: Sequence[frozenset[Equipment]],
                       left_out: tuple[tuple[str, str], ...] = (),
                       avoid_end_range: tuple[EndRange, ...] = ()) -> Iterator[tuple[frozenset[Equipment], TierRecord]]:
        """For each of `equipment_sets` in turn, the starting tier of the plan `decide` decides
        (and nothing else of it), with the part of the set that tier reads. Only the equipment
        differs from one set to the next, so the tier's basis is made once, for all the sets
        together, and each set is narrowed to the equipment the tier's exercises can use."""
        bases = plan_bases(self._ruleset, limit_id, start, frozenset[Equipment]().union(*equipment_sets),
                           left_out=left_out, avoid_end_range=avoid_end_range)
        every = self._reads.tier(next(basis for basis in bases.tiers if basis.tier == start))
        decided: dict[frozenset[Equipment], TierRecord] = {}
        for equipment in equipment_sets:
            read = equipment & every.equipment
            if read not in decided:
                decided[read] = self._tier(replace(every, equipment=read))
            yield read, decided[read]

    def _tier(self, basis: TierBasis) -> TierRecord:
        found = self._tiers.get(basis)
        if found is None:
            found = self._tiers[basis] = decide_tier(basis, self._ruleset)
        return found

    def _routine(self, basis: RoutineBasis) -> tuple[ChosenExercise, ...]:
        found = self._routines.get(basis)
        if found is None:
            found = self._routines[basis] = decide_routine(basis, self._ruleset)
        return found


def decide_tier(basis: TierBasis, ruleset: Ruleset) -> TierRecord:
    design = next(design for design in ruleset.plan.tiers if design.tier == basis.tier)
    limit = ruleset.plan_limits[basis.start_limit] if basis.start_limit is not None else None
    return TierRecord(tier=basis.tier, is_start=basis.is_start,
                      slots=fill_slots(design.slots, basis.equipment, limit, ruleset, basis.never_prescribe,
                                       basis.avoid, basis.avoided_by, dict(basis.left_out)))


def decide_routine(basis: RoutineBasis, ruleset: Ruleset) -> tuple[ChosenExercise, ...]:
    return _routine(list(basis.exercises), basis.equipment, ruleset, basis.avoid, dict(basis.left_out))


def fill_slots(slots: list[Slot], ticked: frozenset[Equipment], limit: PlanLimit | None, ruleset: Ruleset,
               never_prescribe: frozenset[str] = frozenset(), avoid: frozenset[EndRange] = frozenset(),
               avoided_by: str = "", left_out: dict[str, str] | None = None) -> tuple[SlotRecord, ...]:
    """Each slot's exercise, and every candidate with why it was taken or left out. `limit`
    is the plan limit whose starting-tier limits apply here, if any; `avoid` the end-range
    moves that plan limit (`avoided_by`) keeps out of every tier.

    The choice and its reasons come from this one loop, so they cannot disagree.
    """
    limits = limit.starting_tier if limit else NO_LIMITS
    records: list[SlotRecord] = []
    used: dict[str, str] = {}  # exercise id -> the slot that took it
    for slot in slots:
        chosen: ChosenExercise | None = None
        candidates: list[Candidate] = []
        for exercise_id in slot.choose_first_of:
            exercise = ruleset.exercises[exercise_id]
            if chosen is not None:
                candidates.append(Candidate(exercise_id, slot.id, NotNeeded(chosen.id)))
                continue
            if exercise_id in used:
                candidates.append(Candidate(exercise_id, slot.id, AlreadyUsed(used[exercise_id])))
                continue
            if exercise_id in never_prescribe:
                candidates.append(Candidate(exercise_id, "clinic", LeftOutByClinic()))
                continue
            if left_out and exercise_id in left_out:
                candidates.append(Candidate(exercise_id, left_out[exercise_id],
                                            LeftOutForSafety(left_out[exercise_id])))
                continue
            if moves := end_range_moves(exercise, avoid):
                candidates.append(Candidate(exercise_id, avoided_by, EndRangeAvoided(moves)))
                continue
            found = equipment_or_refusal(exercise, ticked, limits, ruleset)
            if not isinstance(found, tuple):
                by_limit = limit is not None and not isinstance(found, EquipmentNotTicked)
                candidates.append(Candidate(exercise_id, limit.id if limit and by_limit else slot.id, found))
                continue
            used[exercise_id] = slot.id
            chosen = _chosen(exercise, found, ticked)
            candidates.append(Candidate(exercise_id, slot.id, Picked(
                after_others=bool(candidates), starting_tier_limited=limits != NO_LIMITS,
                needs_equipment=bool(found))))
        records.append(SlotRecord(slot=slot, chosen=chosen, candidates=tuple(candidates)))
    return tuple(records)


def usable_equipment(exercise: Exercise, ticked: frozenset[Equipment], limits: StartingTierLimits,
                     ruleset: Ruleset) -> tuple[Equipment, ...] | None:
    """The first equipment alternative this person has and may use, or None if there is none."""
    found = equipment_or_refusal(exercise, ticked, limits, ruleset)
    return found if isinstance(found, tuple) else None


def equipment_or_refusal(exercise: Exercise, ticked: frozenset[Equipment], limits: StartingTierLimits,
                         ruleset: Ruleset) -> tuple[Equipment, ...] | Refusal:
    if SPINAL_LOADS.index(exercise.spinal_load) > SPINAL_LOADS.index(limits.max_spinal_load):
        return TooMuchSpinalLoad(exercise.spinal_load, limits.max_spinal_load)

    def loaded(items: list[Equipment]) -> tuple[Equipment, ...]:
        if not limits.no_external_load:
            return ()
        return tuple(item for item in items if ruleset.equipment[item].external_load)

    refused_for_load: list[Equipment] | None = None
    for alternative in exercise.equipment:
        if not ticked.issuperset(alternative):
            continue
        if loaded(alternative):
            refused_for_load = refused_for_load or alternative
            continue
        return tuple(alternative)
    # Name what stands in the way of the nearest way to do it: weights the limits refuse if
    # the person has them (or if every way needs weights), else the fewest items to get.
    allowed = [alternative for alternative in exercise.equipment if not loaded(alternative)]
    if refused_for_load is not None or not allowed:
        return WeightsKeptOut(loaded(refused_for_load or exercise.equipment[0]))
    nearest = min(allowed, key=lambda alternative: len(set(alternative) - ticked))
    return EquipmentNotTicked(tuple(item for item in nearest if item not in ticked))


def end_range_moves(exercise: Exercise, avoid: frozenset[EndRange]) -> tuple[EndRange, ...]:
    """The end-range moves of this exercise that are to be avoided; () if none."""
    return tuple(move for move in exercise.spine_end_range if move in avoid)


def _routine(ids: list[str], ticked: frozenset[Equipment], ruleset: Ruleset,
             avoid: frozenset[EndRange], left_out: dict[str, str]) -> tuple[ChosenExercise, ...]:
    chosen = []
    for exercise_id in ids:
        exercise = ruleset.exercises[exercise_id]
        if exercise_id in left_out or end_range_moves(exercise, avoid):
            continue
        equipment = usable_equipment(exercise, ticked, NO_LIMITS, ruleset)
        if equipment is not None:
            chosen.append(_chosen(exercise, equipment, ticked))
    return tuple(chosen)


def _chosen(exercise: Exercise, uses: tuple[Equipment, ...], ticked: frozenset[Equipment]) -> ChosenExercise:
    extras = tuple(item for item in exercise.optional_equipment if item in ticked and item not in uses)
    return ChosenExercise(id=exercise.id, uses=uses, extras=extras)
