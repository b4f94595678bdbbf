"""Review a change to the rules by its effects: which answers get a different triage level,
starting tier or starting exercises, grouped by the change and counted over every possible
intake (the same answer classes as the exhaustive safety check, cut for both versions)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from recommender.checking.answerspace import DAYS, EQUIPMENT_SETS, other_answers, possible_intakes, subsets
from recommender.checking.verification import RuleEvaluator, answer_classes
from recommender.engine.planning import decide_plan, start_tier_for
from recommender.engine.screening import decide
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
    diff = RulesDiff(max_examples=max_examples)
    classes = other_answers(old, new)
    diff.total = possible_intakes(classes)
    evaluators = [RuleEvaluator(old), RuleEvaluator(new)]
    per_equipment_and_days = EQUIPMENT_SETS * len(DAYS)
    starting: dict[tuple[str, Tier, str, Tier], dict[tuple[str, str], list[frozenset[Equipment]]]] = {}
    sides = (_StartingExercises(old), _StartingExercises(new))
    same_plans = (old.plan == new.plan and old.exercises == new.exercises and old.equipment == new.equipment
                  and old.plan_limits == new.plan_limits)
    # The start tier can follow experience, so experience is kept apart in the classes.
    for answer_class in answer_classes(evaluators, classes, other_extra=lambda probe: probe.experience):
        intake = answer_class.example()
        count = answer_class.intakes_without_equipment_and_days * per_equipment_and_days
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
        if same_plans and key[:2] == key[2:]:
            continue  # the same plan rules under the same limit and start give the same exercises
        if key not in starting:
            starting[key] = _exercise_changes(sides[0].of(before.limit.id, old_start),
                                              sides[1].of(after.limit.id, new_start))
        for (taken_out, put_in), equipment_sets in starting[key].items():
            share = count // EQUIPMENT_SETS * len(equipment_sets)
            diff.add(("starting exercises", taken_out, put_in), share,
                     intake.model_copy(update={"equipment": equipment_sets[0]}))
    return diff


class _StartingExercises:
    """The starting tier's exercise ids for every equipment set, per limit and start tier."""

    def __init__(self, rules: Ruleset) -> None:
        self.rules = rules
        self.known: dict[tuple[str, Tier], list[tuple[frozenset[Equipment], list[str]]]] = {}

    def of(self, limit: str, start: Tier) -> list[tuple[frozenset[Equipment], list[str]]]:
        if (limit, start) not in self.known:
            self.known[(limit, start)] = [
                (equipment, [exercise.id for tier in decide_plan(self.rules, limit, start, equipment).tiers
                             if tier.is_start for exercise in tier.exercises])
                for equipment in subsets(EQUIPMENT)]
        return self.known[(limit, start)]


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
