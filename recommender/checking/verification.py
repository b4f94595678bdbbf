"""Check the safety promises for every possible intake, on every change to the rules.

There are about 10^13 valid intakes, far too many to run one by one, so the check works on
classes that provably give the same result and are owed the same promises:

- The result of screening depends on the answers only through which rules fire, and
  `engine.screening.decide` reads a fired rule only through what it contributes: its level, its
  plan limit and its action. Answers that fire rules with the same contributions are
  decided alike.
- A rule fires when all of its conditions hold, each on one answer (see `When.compile`), so
  its conditions on the ticked signs and on the other answers can be evaluated apart.
- The promises read pain only against fixed thresholds and the signs only through
  `safety.flag_signature` (see `safety.promises_from`).
- A plan's exercises depend only on the plan limit, the start tier and the equipment
  (`engine.planning.decide_plan`; the days a week change only the schedule, whose 48 hours between
  strength days the loader checks), so every plan is built and checked for every
  equipment set, once per limit and start tier that screening can reach.

Every red-flag set, health-flag set, equipment set and day count is enumerated; numbers are
cut where a rule or promise changes (see `answerspace`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from recommender.checking.answerspace import (
    OtherAnswers,
    other_answers,
    possible_intakes,
    subsets,
)
from recommender.checking.safety import (
    FlagSignature,
    OutcomeFacts,
    PlanFacts,
    Promises,
    broken,
    flag_signature,
    plan_facts,
    promises_from,
)
from recommender.engine.planning import decide_plan, start_tier_for
from recommender.engine.screening import ScreeningDecision, decide
from recommender.model.intake import EQUIPMENT, HEALTH_FLAGS, RED_FLAGS, Equipment, HealthFlag, Intake, RedFlag, Tier
from recommender.model.problems import Problem, RulesError
from recommender.model.rules import ScreeningRule, When
from recommender.model.ruleset import Ruleset

FLAG_FIELDS = ("red_flags", "health_flags")
OTHER_FIELDS = tuple(name for name in When.model_fields if name not in FLAG_FIELDS)
Ticks = tuple[frozenset[RedFlag], frozenset[HealthFlag]]
ALL_SIGNATURES: tuple[FlagSignature, ...] = tuple(
    tuple(bool(bits >> i & 1) for i in range(6)) for bits in range(64))  # type: ignore[misc]


@dataclass(frozen=True)
class CounterExample:
    intake: Intake
    broken: tuple[str, ...]
    fired: tuple[str, ...]
    never_prescribe: frozenset[str] = frozenset()

    def __str__(self) -> str:
        fired = ", ".join(self.fired) or "none"
        narrowed = (f"\n    with a clinic that never prescribes: {', '.join(sorted(self.never_prescribe))}"
                    if self.never_prescribe else "")
        return (f"answers {self.intake.model_dump_json()}{narrowed}\n    rules fired: {fired}\n"
                + "".join(f"    broken: {promise}\n" for promise in self.broken))


@dataclass
class Verification:
    intakes_covered: int = 0
    classes_checked: int = 0
    plans_checked: int = 0
    seconds: float = 0.0
    counterexamples: list[CounterExample] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.counterexamples

    def summary(self) -> str:
        verdict = "every safety promise holds" if self.holds else \
            f"{len(self.counterexamples)} kinds of broken promise found"
        return (f"checked all {self.intakes_covered:,} possible intakes "
                f"({self.classes_checked:,} answer classes, {self.plans_checked:,} plans) "
                f"in {self.seconds:.1f} s: {verdict}")


class RuleEvaluator:
    """One ruleset's rules, each split into its conditions on the signs and on the other answers."""

    def __init__(self, rules: Ruleset) -> None:
        self.rules = rules
        self.rule_list = list(rules.screening_rules)
        self.checks = [(_part(rule.when, OTHER_FIELDS), _part(rule.when, FLAG_FIELDS)) for rule in self.rule_list]
        uses_flags = [_uses(rule, FLAG_FIELDS) for rule in self.rule_list]
        uses_others = [_uses(rule, OTHER_FIELDS) for rule in self.rule_list]
        self.only_flags = _bits(f and not o for f, o in zip(uses_flags, uses_others, strict=True))
        self.only_others = _bits(o and not f for f, o in zip(uses_flags, uses_others, strict=True))
        self.mixed = _bits(f and o for f, o in zip(uses_flags, uses_others, strict=True))
        self.each = [(rule.level, rules.plan_limit_of(rule), rules.action_of(rule)) for rule in self.rule_list]

    def contribution(self, mask: int) -> frozenset[object]:
        """What a set of fired rules (as a bit mask) contributes to the decision."""
        return frozenset(self.each[index] for index in range(len(self.each)) if mask >> index & 1)

    def flag_key(self, ticks: Ticks) -> tuple[frozenset[object], int]:
        mask = self.mask(1, Intake.model_construct(red_flags=ticks[0], health_flags=ticks[1]))
        return self.contribution(mask & self.only_flags), mask & self.mixed

    def other_key(self, probe: Intake) -> tuple[frozenset[object], int]:
        mask = self.mask(0, probe)
        return self.contribution(mask & self.only_others), mask & self.mixed

    def mask(self, side: int, intake: Intake) -> int:
        return _bits(pair[side](intake) for pair in self.checks)

    def fired(self, intake: Intake) -> list[ScreeningRule]:
        mask = self.mask(0, intake) & self.mask(1, intake)
        return [rule for index, rule in enumerate(self.rule_list) if mask >> index & 1]


@dataclass(frozen=True)
class AnswerClass:
    """Answers that every given ruleset screens alike, with one example and how many there are."""

    answers: OtherAnswers
    ticks: Ticks
    other_key: Hashable
    flag_key: Hashable
    intakes_without_equipment_and_days: int

    def example(self, **more: object) -> Intake:
        return self.answers.example(red_flags=self.ticks[0], health_flags=self.ticks[1], **more)


def answer_classes(evaluators: list[RuleEvaluator], classes: list[OtherAnswers],
                   other_extra: Callable[[Intake], Hashable] = lambda _: None,
                   flag_extra: Callable[[Ticks], Hashable] = lambda _: None) -> Iterator[AnswerClass]:
    """Every combination of sign ticks and other answers, up to what no ruleset (and nothing
    in the extras) can tell apart: every red-flag and health-flag set is visited."""
    flag_groups: dict[Hashable, tuple[Ticks, int]] = {}
    for red in subsets(RED_FLAGS):
        for health in subsets(HEALTH_FLAGS):
            ticks = (red, health)
            key = (tuple(e.flag_key(ticks) for e in evaluators), flag_extra(ticks))
            example, count = flag_groups.get(key, (ticks, 0))
            flag_groups[key] = (example, count + 1)
    other_groups: dict[Hashable, tuple[OtherAnswers, int]] = {}
    for answers in classes:
        probe = answers.example()
        key = (tuple(e.other_key(probe) for e in evaluators), other_extra(probe))
        first, size = other_groups.get(key, (answers, 0))
        other_groups[key] = (first, size + answers.size)
    for other_key, (answers, size) in other_groups.items():
        for flag_key, (ticks, count) in flag_groups.items():
            yield AnswerClass(answers, ticks, other_key, flag_key, size * count)


def verify(rules: Ruleset, narrowings: Iterable[frozenset[str]] = (), max_counterexamples: int = 5) -> Verification:
    """Check every possible intake; `narrowings` are clinics' never-prescribe lists, whose
    plans are checked too (the full catalogue always is)."""
    started = time.perf_counter()
    report = Verification()
    evaluator = RuleEvaluator(rules)
    classes = other_answers(rules)
    report.intakes_covered = possible_intakes(classes)

    def owed(probe: Intake) -> tuple[Promises, ...]:
        return tuple(promises_from(probe.pain_now, probe.pain_duration, probe.pain_below_knee,
                                   probe.back_surgery_or_injury, probe.experience, signature)
                     for signature in ALL_SIGNATURES)

    def signature(ticks: Ticks) -> FlagSignature:
        return flag_signature(*ticks)

    catalogues = [frozenset[str]()] + sorted(set(narrowings) - {frozenset()}, key=sorted)
    plans: dict[tuple[str, Tier, frozenset[str]], dict[PlanFacts, frozenset[Equipment]]] = {}
    seen: set[tuple[object, ...]] = set()
    for answer_class in answer_classes([evaluator], classes, owed, signature):
        report.classes_checked += 1
        intake = answer_class.example()
        fired = evaluator.fired(intake)
        decision = decide(fired, rules)
        promises = owed(intake)[ALL_SIGNATURES.index(signature(answer_class.ticks))]
        start = start_tier_for(decision.limit, intake.experience, rules) if decision.limit.shows_plan else None
        outcome_key = (promises, decision.level, decision.limit.id, decision.action, bool(fired), start)
        if outcome_key in seen:
            continue
        seen.add(outcome_key)
        for never_prescribe in catalogues:
            for facts, equipment in _plan_outcomes(decision, start, never_prescribe, rules, plans, report):
                found = broken(promises, OutcomeFacts(level=decision.level, has_reasons=bool(fired),
                                                      action=decision.action, plan=facts))
                if found and len(report.counterexamples) < max_counterexamples:
                    report.counterexamples.append(CounterExample(
                        intake=answer_class.example(equipment=equipment), broken=tuple(found),
                        fired=tuple(rule.id for rule in fired), never_prescribe=never_prescribe))
    report.seconds = time.perf_counter() - started
    return report


def _plan_outcomes(decision: ScreeningDecision, start: Tier | None, never_prescribe: frozenset[str], rules: Ruleset,
                   plans: dict[tuple[str, Tier, frozenset[str]], dict[PlanFacts, frozenset[Equipment]]],
                   report: Verification) -> list[tuple[PlanFacts | None, frozenset[Equipment]]]:
    """Each different set of plan facts this decision can lead to, with equipment that leads
    to it; built for every equipment set the first time."""
    if start is None:
        return [(None, frozenset())]
    key = (decision.limit.id, start, never_prescribe)
    if key not in plans:
        found: dict[PlanFacts, frozenset[Equipment]] = {}
        for equipment in subsets(EQUIPMENT):
            report.plans_checked += 1
            plan = decide_plan(rules, decision.limit.id, start, equipment, never_prescribe)
            found.setdefault(plan_facts(plan, equipment, rules), equipment)
        plans[key] = found
    return list(plans[key].items())


def _part(when: When, names: tuple[str, ...]) -> Callable[[Intake], bool]:
    """The rule's conditions on these answers only, compiled by the engine's own compiler."""
    return When.model_construct(**{name: getattr(when, name) for name in names}).compile()


def _uses(rule: ScreeningRule, names: tuple[str, ...]) -> bool:
    return any(getattr(rule.when, name) is not None for name in names)


def _bits(flags: Iterable[bool]) -> int:
    return sum(1 << index for index, flag in enumerate(flags) if flag)


# --- Start-up: answer only from rules that passed the exhaustive check ---------------------

STAMP_FILE = "verified.sha256"
_PACKAGE = Path(__file__).resolve().parent.parent
# The code a verification vouches for: everything that loads, decides and checks.
CORE_PACKAGES = ("model", "loading", "engine", "checking")


class UnsafeRules(RulesError):
    """The rules break a safety promise for some possible answers; `verification` has them."""

    def __init__(self, folder: Path, verification: Verification) -> None:
        self.verification = verification
        super().__init__([Problem(f"{folder.name} (exhaustive safety check)", None,
                                  "a safety promise is broken for these answers: " + str(example).strip())
                          for example in verification.counterexamples])


def fingerprint(rules: Ruleset, narrowings: Iterable[frozenset[str]] = ()) -> str:
    """What a verification vouches for: the validated rules, the clinics' narrowings and the
    core code that runs them. A change to any, even one that cannot matter, asks for a new check.
    """
    digest = hashlib.sha256(rules.digest.encode())
    for never_prescribe in sorted({",".join(sorted(n)) for n in narrowings if n}):
        digest.update(b"never_prescribe:" + never_prescribe.encode())
    for package in CORE_PACKAGES:
        for source in sorted((_PACKAGE / package).glob("*.py")):
            digest.update(f"{package}/{source.name}".encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def write_stamp(folder: Path, rules: Ruleset, narrowings: Iterable[frozenset[str]] = ()) -> None:
    (folder / STAMP_FILE).write_text(fingerprint(rules, narrowings) + "\n")


def is_stamped(folder: Path, rules: Ruleset, narrowings: Iterable[frozenset[str]] = ()) -> bool:
    try:
        return (folder / STAMP_FILE).read_text().strip() == fingerprint(rules, narrowings)
    except OSError:
        return False


def ensure_verified(folder: Path, rules: Ruleset, narrowings: Iterable[frozenset[str]] = (),
                    *, always: bool = False) -> Verification | None:
    """Raise UnsafeRules unless these rules, with this code, keep every safety promise.

    `recommender rules check` (which passes `always`) leaves a stamp when the check passes,
    so a normal start reads one line; rules or code without a matching stamp are checked in
    full before serving. None means the stamp vouched for them.
    """
    narrowings = list(narrowings)
    if not always and is_stamped(folder, rules, narrowings):
        return None
    verification = verify(rules, narrowings)
    if not verification.holds:
        raise UnsafeRules(folder, verification)
    return verification
