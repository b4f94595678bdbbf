"""Review a change to the rules by its effects: which answers get a different triage level,
starting tier or starting exercises, grouped by the change and counted over every possible
intake (the same answer classes as the exhaustive safety check, cut for both versions)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recommender.checking.answerspace import (
    DAYS,
    EQUIPMENT_SETS,
    OtherAnswers,
    other_answers,
    possible_intakes,
    subsets,
)
from recommender.checking.verification import (
    RuleEvaluator,
    SideKey,
    Ticks,
    cycle_collection_paused,
    health_groups,
    other_groups,
    red_flag_groups,
)
from recommender.engine.planning import PlansAsServed, start_tier_for
from recommender.engine.screening import ScreeningDecision, decide
from recommender.model.intake import EQUIPMENT, Equipment, Intake, Tier
from recommender.model.ruleset import Ruleset

Change = tuple[str, str, str]  # (what changed, old, new)


@dataclass
class RulesDiff:
    total: int = 0
    changes: dict[Change, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[Change, list[Intake]] = field(default_factory=lambda: defaultdict(list))
    max_examples: int = 3

    def add(self, change: Change, count: int, example: Intake) -> None:
        self.changes[change] += count
        if len(self.examples[change]) < self.max_examples:
            self.examples[change].append(example)

    def report(self, old: Path, new: Path) -> str:
        lines = [f"Comparing {old} with {new} over all {self.total:,} possible intakes."]
        if not self.changes:
            lines.append("No intake changes triage level, starting tier or starting exercises.")
        for heading, kind in (("Triage level", "level"), ("Starting tier", "start tier"),
                              ("Starting exercises", "starting exercises")):
            found = sorted((c for c in self.changes if c[0] == kind), key=lambda c: -self.changes[c])
            if not found:
                continue
            lines.append(f"\n{heading}:" + (" (taken out -> put in)" if kind == "starting exercises" else ""))
            for change in found:
                share = self.changes[change] / self.total
                lines.append(f"  {change[1]} -> {change[2]}: {self.changes[change]:,} intakes "
                             f"({share * 100:.2g}% of all)")
                lines += [f"      e.g. {describe(example)}" for example in self.examples[change]]
        return "\n".join(lines)


def describe(intake: Intake) -> str:
    def listed(items: frozenset[str]) -> str:
        return "[" + ", ".join(sorted(items)) + "]"

    return (f"age {intake.age}, experience {intake.experience}, pain {intake.pain_now} "
            f"({intake.pain_duration}), below knee {'yes' if intake.pain_below_knee else 'no'}, "
            f"surgery/injury {'yes' if intake.back_surgery_or_injury else 'no'}, "
            f"checked {intake.professional_check}, "
            f"red flags {listed(intake.red_flags)}, health {listed(intake.health_flags)}, "
            f"equipment {listed(intake.equipment)}")


def compare(old: Ruleset, new: Ruleset, max_examples: int = 3) -> RulesDiff:
    with cycle_collection_paused():
        return _compare(old, new, max_examples)


def _compare(old: Ruleset, new: Ruleset, max_examples: int) -> RulesDiff:
    diff = RulesDiff(max_examples=max_examples)
    classes = other_answers(old, new)
    diff.total = possible_intakes(classes)
    evaluators = [RuleEvaluator(old), RuleEvaluator(new)]
    per_equipment_and_days = EQUIPMENT_SETS * len(DAYS)
    starting: dict[tuple[object, ...], dict[tuple[str, str], list[frozenset[Equipment]]]] = {}
    sides = (_StartingExercises(old), _StartingExercises(new))
    same_plans = (old.plan == new.plan and old.exercises == new.exercises and old.equipment == new.equipment
                  and old.plan_limits == new.plan_limits)
    # The start tier can follow experience, so experience is kept apart in the classes.
    for intake, count in decided_alike(evaluators, classes):
        count *= per_equipment_and_days
        before, after = (decide(e.fired(intake), e.rules) for e in evaluators)
        if before.level != after.level:
            diff.add(("level", before.level, after.level), count, intake)
        old_start = start_tier_for(before.limit, intake.experience, old) if before.limit.shows_plan else None
        new_start = start_tier_for(after.limit, intake.experience, new) if after.limit.shows_plan else None
        if old_start != new_start:
            diff.add(("start tier", old_start or "no plan", new_start or "no plan"), count, intake)
        if old_start is None or new_start is None:
            continue
        key = (before.limit.id, old_start, after.limit.id, new_start)
        if same_plans and key[:2] == key[2:] and before.left_out == after.left_out \
                and before.avoid_end_range == after.avoid_end_range:
            continue  # the same plan rules under the same limit and start give the same exercises
        full_key = (*key, before.left_out, before.avoid_end_range, after.left_out, after.avoid_end_range)
        if full_key not in starting:
            starting[full_key] = _exercise_changes(sides[0].of(before, old_start), sides[1].of(after, new_start))
        for (taken_out, put_in), equipment_sets in starting[full_key].items():
            share = count // EQUIPMENT_SETS * len(equipment_sets)
            diff.add(("starting exercises", taken_out, put_in), share,
                     intake.model_copy(update={"equipment": equipment_sets[0]}))
    return diff


def decided_alike(evaluators: list[RuleEvaluator], classes: list[OtherAnswers]) -> Iterator[tuple[Intake, int]]:
    """Every possible intake without its equipment and days, in groups that each ruleset decides
    alike (and of one experience), each group as an example and how many intakes it holds.

    As in the exhaustive check, the red-flag and health groups are narrowed to the rules the
    other answers leave open before they are met, and counted rather than listed."""
    reds = red_flag_groups(evaluators)
    healths = health_groups(evaluators)
    by_other: dict[tuple[SideKey, ...], list[tuple[OtherAnswers, int]]] = defaultdict(list)
    for (other_keys, _), (answers, size) in other_groups(evaluators, classes,
                                                         other_extra=lambda probe: probe.experience).items():
        by_other[other_keys].append((answers, size))

    def narrowed(groups: dict[Any, tuple[Ticks, int]], relevant: list[int]) -> dict[Any, tuple[Ticks, int]]:
        found: dict[Any, tuple[Ticks, int]] = {}
        for (keys, _), (ticks, count) in groups.items():
            key = tuple((contribution, bits & mask) for (contribution, bits), mask in zip(keys, relevant, strict=True))
            example, total = found.get(key, (ticks, 0))
            found[key] = (example, total + count)
        return found

    outcomes: dict[tuple[Any, ...], tuple[Intake, int]] = {}
    for other_keys, members in by_other.items():
        relevant = [bits for _, bits in other_keys]
        decided: dict[tuple[int, ...], tuple[Ticks, int]] = {}
        for red_keys, ((red, _), red_count) in narrowed(reds, relevant).items():
            for health_keys, ((_, health), health_count) in narrowed(healths, relevant).items():
                key = tuple(e.meet(other, e.meet(r, h, complete=False))[0]
                            for e, other, r, h in zip(evaluators, other_keys, red_keys, health_keys, strict=True))
                example, total = decided.get(key, ((red, health), 0))
                decided[key] = (example, total + red_count * health_count)
        for answers, size in members:
            for key, (ticks, count) in decided.items():
                found = outcomes.get((key, answers.experience))
                outcomes[(key, answers.experience)] = (
                    found[0] if found else answers.example(red_flags=ticks[0], **ticks[1].fields()),
                    (found[1] if found else 0) + count * size)
    yield from outcomes.values()


EVERY_EQUIPMENT_SET = list(subsets(EQUIPMENT))


class _StartingExercises:
    """The starting tier's exercise ids for every equipment set, per limit and start tier."""

    def __init__(self, rules: Ruleset) -> None:
        self.plans = PlansAsServed(rules)
        self.known: dict[tuple[object, ...], list[tuple[frozenset[Equipment], list[str]]]] = {}

    def of(self, decision: ScreeningDecision, start: Tier) -> list[tuple[frozenset[Equipment], list[str]]]:
        key = (decision.limit.id, start, decision.left_out, decision.avoid_end_range)
        if key not in self.known:
            ids: dict[frozenset[Equipment], list[str]] = {}
            found = []
            tiers = self.plans.starting_tiers(decision.limit.id, start, EVERY_EQUIPMENT_SET,
                                              left_out=decision.left_out, avoid_end_range=decision.avoid_end_range)
            for equipment, (read, tier) in zip(EVERY_EQUIPMENT_SET, tiers, strict=True):
                if read not in ids:
                    ids[read] = [exercise.id for exercise in tier.exercises]
                found.append((equipment, ids[read]))
            self.known[key] = found
        return self.known[key]


def _exercise_changes(before: list[tuple[frozenset[Equipment], list[str]]],
                      after: list[tuple[frozenset[Equipment], list[str]]],
                      ) -> dict[tuple[str, str], list[frozenset[Equipment]]]:
    changes: dict[tuple[str, str], list[frozenset[Equipment]]] = defaultdict(list)
    for (equipment, was), (_, now) in zip(before, after, strict=True):
        if was != now:
            taken_out = ", ".join(e for e in was if e not in now) or "(same exercises, new order)"
            put_in = ", ".join(e for e in now if e not in was) or "(same exercises, new order)"
            changes[(taken_out, put_in)].append(equipment)
    return changes
