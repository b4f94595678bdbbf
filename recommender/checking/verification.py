"""Check the safety promises for every possible intake, on every change to the rules.

There are about 10^13 valid intakes, far too many to run one by one, so the check works on
classes that provably give the same result and are owed the same promises:

- The result of screening depends on the answers only through which rules fire, and
  `engine.screening.decide` reads a fired rule only through what it contributes: its level, its
  plan limit and its action. Answers that fire rules with the same contributions are
  decided alike.
- A rule fires when all of its conditions hold, each on one answer (see `When.compile`), so
  its conditions on the red flags, on the health flags and on the other answers can be
  evaluated apart, and every red-flag set and every health-flag set is visited on its own.
- The promises read age and pain only against fixed thresholds and the signs only through
  `safety.flag_signature`, each of whose parts reads one list (see `safety.promises_from`).
- The promise about a professional's check compares each answer with the same answers and
  "no": the classes keep apart answers whose "no" counterparts are decided differently.
- A check-in's decision depends only on the report and the experience
  (`engine.progressing.decide_progress`), and what it does to the result only on that decision
  and today's screening decision (`engine.progressing.check_in`): every one of the possible
  reports is decided for every experience, grouped by decision and by what the check-in
  promises read of it, and each group is checked against every screening outcome.
- A plan's exercises depend only on the plan limit, the start tier and the equipment
  (`engine.planning.decide_plan`; the days a week change only the schedule, whose 48 hours between
  strength days the loader checks), so every plan is built and checked for every
  equipment set, once per limit and start tier that screening can reach. Each is built as the
  service builds it (`engine.planning.PlansAsServed`): each tier and routine from the equipment
  and exercises it reads, so a tier met again is not decided again.

Every red-flag set, health-flag set, equipment set and day count is enumerated; numbers are
cut where a rule or promise changes (see `answerspace`).
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import product
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from recommender.checking.answerspace import (
    OtherAnswers,
    cut,
    other_answers,
    possible_intakes,
    subsets,
)
from recommender.checking.safety import (
    AGE_THRESHOLDS,
    PAIN_THRESHOLDS,
    RED_SIGN_GROUPS,
    WEEKS_BEFORE_ADVANCED,
    CheckInFacts,
    CheckInPlanFacts,
    FlagSignature,
    OutcomeFacts,
    PlanFacts,
    Promises,
    ReportFacts,
    broken,
    broken_by_being_checked,
    broken_by_check_in,
    broken_by_the_decision,
    broken_by_the_plan,
    decisive,
    flag_signature,
    plan_facts,
    promises_from,
    report_facts,
)
from recommender.engine.planning import PlansAsServed, start_tier_for
from recommender.engine.progressing import ProgressDecision, check_in, decide_progress
from recommender.engine.screening import ScreeningDecision, decide
from recommender.model.intake import (
    CANCER_DETAILS,
    EQUIPMENT,
    EXPERIENCE_LEVELS,
    HEALTH_FLAGS,
    HEART_DETAILS,
    NEXT_MORNINGS,
    PAIN_RANGE,
    RED_FLAGS,
    SESSIONS_RANGE,
    SETS_COMPLETED,
    TIERS,
    WEEKS_RANGE,
    CancerDetail,
    Equipment,
    Experience,
    HealthFlag,
    HeartDetail,
    Intake,
    Progress,
    RedFlag,
    Tier,
)
from recommender.model.problems import Problem, RulesError
from recommender.model.rules import LEVELS, EndRange, Level, ScreeningRule, When
from recommender.model.ruleset import Ruleset

HEALTH_FIELDS = ("health_flags", "heart_condition_details", "cancer_details")
FLAG_FIELDS = ("red_flags", *HEALTH_FIELDS)
OTHER_FIELDS = tuple(name for name in When.model_fields if name not in FLAG_FIELDS)
# The three parts of the answers a rule's conditions are evaluated on apart: the warning signs;
# the health answers with their follow-ups; the rest.
SIDES = (("red_flags",), HEALTH_FIELDS, OTHER_FIELDS)
RED, HEALTH, OTHER = range(3)


class HealthAnswers(NamedTuple):
    """The health ticks and the answers to their follow-up questions (None: unanswered)."""

    flags: frozenset[HealthFlag]
    heart: frozenset[HeartDetail] | None
    cancer: frozenset[CancerDetail] | None

    def fields(self) -> dict[str, object]:
        return {"health_flags": self.flags, "heart_condition_details": self.heart, "cancer_details": self.cancer}


# What a decision's plans are built from (`_plan_key`).
PlanKey = tuple[str, Tier, frozenset[str], frozenset[str], tuple[EndRange, ...]]


@dataclass
class PlanBook:
    """The plans met so far: per (plan limit, start tier, clinic's narrowing, exercises left out,
    end-range moves avoided), each different set of plan facts, with equipment that leads to it;
    and the plans' tiers and routines, decided as the service decides them."""

    decided: PlansAsServed
    facts: dict[PlanKey, dict[PlanFacts, frozenset[Equipment]]] = field(default_factory=dict)

NO_HEALTH_ANSWERS = HealthAnswers(frozenset(), None, None)
Ticks = tuple[frozenset[RedFlag], HealthAnswers]


def every_health_answers() -> Iterator[HealthAnswers]:
    """Every health-flag set with every answer to each follow-up: unanswered or any subset."""
    hearts: list[frozenset[HeartDetail] | None] = [None, *subsets(HEART_DETAILS)]
    cancers: list[frozenset[CancerDetail] | None] = [None, *subsets(CANCER_DETAILS)]
    for flags, heart, cancer in product(subsets(HEALTH_FLAGS), hearts, cancers):
        yield HealthAnswers(flags, heart, cancer)
SideKey = tuple[int, int]  # (the contribution of the rules that read only this part, as an id; bits)
# Sign groups: per (each evaluator's key, the extra), an example and how many tick sets.
FlagGroups = dict[tuple[tuple[SideKey, ...], Hashable], tuple[Ticks, int]]
OtherGroupKey = tuple[tuple[SideKey, ...], Any]  # (per evaluator, extra)
K = TypeVar("K", bound=Hashable)


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
    reports: int = 0  # the possible progress reports, each checked with every intake
    report_groups_checked: int = 0
    seconds: float = 0.0
    counterexamples: list[CounterExample] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.counterexamples

    def summary(self) -> str:
        verdict = "every safety promise holds" if self.holds else \
            f"{len(self.counterexamples)} kinds of broken promise found"
        return (f"checked all {self.intakes_covered:,} possible intakes "
                f"({self.classes_checked:,} answer classes, {self.plans_checked:,} plans), "
                f"each also as a check-in with every one of the {self.reports:,} possible progress reports "
                f"({self.report_groups_checked:,} report groups checked against the outcomes), "
                f"in {self.seconds:.1f} s: {verdict}")


class Contribution(NamedTuple):
    """All that `engine.screening.decide` reads of a set of fired rules (levels and plan limits
    as their places in the rules' order, most urgent and strictest first)."""

    level: int
    strictest_limit: int
    deciding_limit: int  # the strictest limit among the rules at `level`
    deciding_actions: frozenset[str]  # the own actions of the rules at `level` and that limit
    left_out: frozenset[str]
    avoid_end_range: frozenset[str]
    any_fired: bool


NOTHING_FIRED = Contribution(level=len(LEVELS) - 1, strictest_limit=1 << 30, deciding_limit=1 << 30,
                             deciding_actions=frozenset(), left_out=frozenset(), avoid_end_range=frozenset(),
                             any_fired=False)


class RuleEvaluator:
    """One ruleset's rules, each split into its conditions on the red flags, on the health
    flags and on the other answers."""

    def __init__(self, rules: Ruleset) -> None:
        self.rules = rules
        self.rule_list = list(rules.screening_rules)
        self.checks = [tuple(_part(rule.when, side) for side in SIDES) for rule in self.rule_list]
        reads = [[_uses(rule, side) for side in SIDES] for rule in self.rule_list]
        # Rules that read one part only decide through what they contribute; rules that read
        # more than one are kept as bits, to be met by the other parts.
        self.only = [_bits(r[side] and sum(r) == 1 for r in reads) for side in range(3)]
        self.multi = _bits(sum(r) > 1 for r in reads)
        self._limit_order = list(rules.plan_limits)
        self._level_limits = [self._limit_order.index(rules.levels[level].plan) for level in LEVELS]
        self.each = [self._alone(rule) for rule in self.rule_list]
        self._contributions: dict[Contribution, int] = {}
        self._by_mask: dict[int, Contribution] = {}
        self._contribution_of: list[Contribution] = []
        self._combined: dict[tuple[int, ...], int] = {}
        self._met: dict[tuple[bool, tuple[SideKey, ...]], SideKey] = {}

    def _alone(self, rule: ScreeningRule) -> Contribution:
        limit = self._limit_order.index(self.rules.plan_limit_of(rule))
        action = self.rules.action_of(rule)
        return self._settled(Contribution(
            level=LEVELS.index(rule.level), strictest_limit=limit, deciding_limit=limit,
            deciding_actions=frozenset({action}) if action else frozenset(),
            left_out=frozenset(rule.leave_out), avoid_end_range=frozenset(rule.avoid_end_range), any_fired=True))

    def combine(self, first: Contribution, second: Contribution) -> Contribution:
        """What two sets of fired rules contribute together, as `decide` reads them: the most
        urgent level; the strictest plan limit; among the deciding level's rules, the strictest
        limit and the actions of the rules at it; what any of them keeps out of the plan."""
        if first.level != second.level:
            deciding = first if first.level < second.level else second
            limit, actions = deciding.deciding_limit, deciding.deciding_actions
        elif first.deciding_limit != second.deciding_limit:
            deciding = first if first.deciding_limit < second.deciding_limit else second
            limit, actions = deciding.deciding_limit, deciding.deciding_actions
        else:
            limit, actions = first.deciding_limit, first.deciding_actions | second.deciding_actions
        return self._settled(Contribution(
            level=min(first.level, second.level), strictest_limit=min(first.strictest_limit, second.strictest_limit),
            deciding_limit=limit, deciding_actions=actions, left_out=first.left_out | second.left_out,
            avoid_end_range=first.avoid_end_range | second.avoid_end_range,
            any_fired=first.any_fired or second.any_fired))

    def _settled(self, contribution: Contribution) -> Contribution:
        # What is kept out of a plan cannot matter once no plan is shown; and adding rules only
        # makes the level more urgent and the limit stricter, so it never comes back.
        limit = min(contribution.strictest_limit, self._level_limits[contribution.level])
        if self.rules.plan_limits[self._limit_order[limit]].shows_plan:
            return contribution
        return contribution._replace(left_out=frozenset(), avoid_end_range=frozenset())

    def contribution(self, mask: int) -> Contribution:
        """What a set of fired rules (as a bit mask) contributes to the decision.

        Kept by mask: comparing the shipped rules with themselves, `rules diff` asks 88,104 times
        for 1,305 masks, and combining the rules again each time was a third of its time."""
        found = self._by_mask.get(mask)
        if found is None:
            found = NOTHING_FIRED
            for index in range(len(self.each)):
                if mask >> index & 1:
                    found = self.combine(found, self.each[index])
            self._by_mask[mask] = found
        return found

    def _intern(self, contribution: Contribution) -> int:
        if contribution not in self._contributions:
            self._contributions[contribution] = len(self._contribution_of)
            self._contribution_of.append(contribution)
        return self._contributions[contribution]

    def side_key(self, side: int, intake: Intake) -> SideKey:
        mask = self.mask(side, intake)
        return self._intern(self.contribution(mask & self.only[side])), mask & self.multi

    def red_key(self, red: frozenset[RedFlag]) -> SideKey:
        return self.side_key(RED, Intake.model_construct(red_flags=red))

    def health_key(self, health: HealthAnswers) -> SideKey:
        return self.side_key(HEALTH, Intake.model_construct(
            health_flags=health.flags, heart_condition_details=health.heart, cancer_details=health.cancer))

    def other_key(self, probe: Intake) -> SideKey:
        return self.side_key(OTHER, probe)

    def meet(self, *keys: SideKey, complete: bool = True) -> SideKey:
        """The key of answers made of these parts: what the rules they fire contribute (as an
        id), and the bits of the rules that read several parts and whose parts hold so far.
        Only once all three parts are met (`complete`) do those rules count as fired."""
        found = self._met.get((complete, keys))
        if found is not None:
            return found
        bits = self.multi
        for _, mask in keys:
            bits &= mask
        ids = (complete, *sorted(contribution for contribution, _ in keys), bits)
        if ids not in self._combined:
            together = self.contribution(bits) if complete else NOTHING_FIRED
            for contribution, _ in keys:
                together = self.combine(together, self._contribution_of[contribution])
            self._combined[ids] = self._intern(together)
        self._met[(complete, keys)] = self._combined[ids], bits
        return self._combined[ids], bits

    def mask(self, side: int, intake: Intake) -> int:
        return _bits(parts[side](intake) for parts in self.checks)

    def fired(self, intake: Intake) -> list[ScreeningRule]:
        mask = self.mask(RED, intake) & self.mask(HEALTH, intake) & self.mask(OTHER, intake)
        return [rule for index, rule in enumerate(self.rule_list) if mask >> index & 1]


def health_groups(evaluators: list[RuleEvaluator],
                  flag_extra: Callable[[Ticks], Hashable] = lambda _: None) -> FlagGroups:
    """Every health-flag set with every answer to its follow-ups, grouped by each evaluator's
    health key and `flag_extra` (called with no red flag ticked), each group with an example
    and how many it holds."""
    return _grouped(((frozenset[RedFlag](), health) for health in every_health_answers()),
                    lambda ticks: (tuple(e.health_key(ticks[1]) for e in evaluators), flag_extra(ticks)))


def red_flag_groups(evaluators: list[RuleEvaluator], flag_extra: Callable[[Ticks], Hashable] = lambda _: None,
                    red_extra_reads: Sequence[frozenset[RedFlag]] = ()) -> FlagGroups:
    """Every red-flag set (2 to the number of flags of them), grouped by each evaluator's red
    key and `flag_extra`, each group with its first set and how many sets it holds.

    Visiting each set one by one grows twofold with every new flag, so the sets are built
    flag by flag instead, keeping only what can still matter: a rule's red-flag condition
    (any of some flags, and all of others) is open until its last flag is decided, and is
    then folded into what the rule contributes, as `RuleEvaluator.red_key` does; the extra's
    reads are kept as one bit each. Sets that agree on all of that so far go on as one.
    """
    position = {flag: index for index, flag in enumerate(RED_FLAGS)}

    def bits(flags: Iterable[RedFlag]) -> int:
        return sum(1 << position[flag] for flag in set(flags))

    # Each condition: (any of, all of, whose: (evaluator, rule) or (-1, the extra's read)).
    conditions: list[tuple[int, int, tuple[int, int]]] = []
    always: list[int] = []  # per evaluator: its rules that read no red flag hold here
    for number, evaluator in enumerate(evaluators):
        holding = 0
        for index, rule in enumerate(evaluator.rule_list):
            test = rule.when.red_flags
            if test is None:
                holding |= 1 << index
            else:
                conditions.append((bits(test.includes_any), bits(test.includes_all), (number, index)))
        always.append(holding)
    conditions += [(bits(read), 0, (-1, index)) for index, read in enumerate(red_extra_reads)]
    touching = [[c for c, (any_of, all_of, _) in enumerate(conditions) if (any_of | all_of) >> flag & 1]
                for flag in range(len(RED_FLAGS))]
    finishing = [[c for c in touching[flag] if (conditions[c][0] | conditions[c][1]) >> flag + 1 == 0]
                 for flag in range(len(RED_FLAGS))]
    # State: (per evaluator (contribution id, multi bits), extra bits, open "any" hits, open "all" misses).
    State = tuple[tuple[tuple[int, int], ...], int, int, int]
    start: State = (tuple((e._intern(NOTHING_FIRED), always[n] & e.multi) for n, e in enumerate(evaluators)), 0, 0, 0)
    states: dict[State, tuple[int, int]] = {start: (0, 1)}  # state -> (first set as bits, how many)
    for flag in range(len(RED_FLAGS)):
        following: dict[State, tuple[int, int]] = {}
        for (kept, extra, hits, misses), (example, count) in states.items():
            for ticked in (False, True):
                hit, miss = hits, misses
                for c in touching[flag]:
                    any_of, all_of, _ = conditions[c]
                    if ticked and any_of >> flag & 1:
                        hit |= 1 << c
                    if not ticked and all_of >> flag & 1:
                        miss |= 1 << c
                now = list(kept)
                more = extra
                for c in finishing[flag]:
                    holds = bool(hit >> c & 1) and not miss >> c & 1
                    hit &= ~(1 << c)
                    miss &= ~(1 << c)
                    number, index = conditions[c][2]
                    if not holds:
                        continue
                    if number < 0:
                        more |= 1 << index
                        continue
                    evaluator = evaluators[number]
                    contribution, multi = now[number]
                    if evaluator.only[RED] >> index & 1:
                        contribution = evaluator._intern(evaluator.combine(
                            evaluator._contribution_of[contribution], evaluator.each[index]))
                    multi |= (1 << index) & evaluator.multi
                    now[number] = (contribution, multi)
                state = (tuple(now), more, hit, miss)
                first, total = following.get(state, (example | ticked << flag, 0))
                following[state] = (first, total + count)
        states = following
    groups: FlagGroups = {}
    for (kept, _, _, _), (example, count) in states.items():
        red = frozenset(flag for flag in RED_FLAGS if example >> position[flag] & 1)
        keys = tuple(e.red_key(red) for e in evaluators)
        assert keys == kept, "the flag-by-flag grouping must agree with the rules' own evaluation"
        key = (keys, flag_extra((red, NO_HEALTH_ANSWERS)))
        ticks, total = groups.get(key, ((red, NO_HEALTH_ANSWERS), 0))
        groups[key] = (ticks, total + count)
    return groups


def other_groups(evaluators: list[RuleEvaluator], classes: list[OtherAnswers],
                 other_extra: Callable[[Intake], Hashable] = lambda _: None,
                 ) -> dict[OtherGroupKey, tuple[OtherAnswers, int]]:
    """The other answers' classes, grouped by what the rules (and `other_extra`) make of them.
    Key: (each evaluator's key, the extra)."""
    groups: dict[OtherGroupKey, tuple[OtherAnswers, int]] = {}
    for answers in classes:
        probe = answers.example()
        key = (tuple(e.other_key(probe) for e in evaluators), other_extra(probe))
        first, size = groups.get(key, (answers, 0))
        groups[key] = (first, size + answers.size)
    return groups


def _grouped(items: Iterable[Ticks], key: Callable[[Ticks], K]) -> dict[K, tuple[Ticks, int]]:
    groups: dict[K, tuple[Ticks, int]] = {}
    for item in items:
        found = key(item)
        example, count = groups.get(found, (item, 0))
        groups[found] = (example, count + 1)
    return groups


# A decision whose own promises were asked, waiting for its plans and check-ins: its promises'
# number, its key, the decision, and the answers and signs of an example.
Planned = tuple[int, int, ScreeningDecision, OtherAnswers, Ticks]
# How many groups of other answers have their decisions asked before the plans of the first wait
# no longer: about a second of deciding.
DECISIONS_AHEAD = 64


def verify(rules: Ruleset, narrowings: Iterable[frozenset[str]] = (), max_counterexamples: int = 5) -> Verification:
    """Check every possible intake; `narrowings` are clinics' never-prescribe lists, whose
    plans are checked too (the full catalogue always is)."""
    with cycle_collection_paused():
        return _verify(rules, narrowings, max_counterexamples)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's collector of reference cycles held back while a check over every answer class
    runs. Such a check keeps millions of small records (decisions, promises, plan facts), none
    in a cycle; each full collection walks them all and frees nothing: with it on, the proof of
    the shipped rules took 65 s rather than 38 s, and `rules diff` 9 s rather than 6 s. What the
    check leaves behind is freed by reference counting, or by the first collection after it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _verify(rules: Ruleset, narrowings: Iterable[frozenset[str]], max_counterexamples: int) -> Verification:
    started = time.perf_counter()
    report = Verification()
    evaluator = RuleEvaluator(rules)
    classes = other_answers(rules)
    report.intakes_covered = possible_intakes(classes)

    def other_extra(probe: Intake) -> Hashable:
        # What the promises read of the other answers (see `safety.promises_from`), and how
        # the same answers with "no" to a professional's check are screened.
        unchecked = probe.model_copy(update={"professional_check": "no"})
        return (_band(probe.age, AGE_THRESHOLDS), _band(probe.pain_now, PAIN_THRESHOLDS), probe.pain_duration,
                probe.pain_below_knee, probe.back_surgery_or_injury, probe.experience,
                probe.professional_check, evaluator.other_key(unchecked))

    def signature(ticks: Ticks) -> Hashable:
        return decisive(flag_signature(ticks[0], *ticks[1]))

    decisions: dict[int, tuple[ScreeningDecision, OutcomeFacts]] = {}

    def decided(key: int, answers: OtherAnswers, ticks: Ticks) -> tuple[ScreeningDecision, OutcomeFacts]:
        # The decision depends only on what the fired rules contribute (see `decide`).
        if key not in decisions:
            decision = decide(evaluator.fired(_example(answers, ticks)), rules)
            decisions[key] = decision, _screening_facts(decision)
        return decisions[key]

    owed: dict[Hashable, Promises] = {}
    catalogues = [frozenset[str]()] + sorted(set(narrowings) - {frozenset()}, key=sorted)
    plans = PlanBook(PlansAsServed(rules))
    seen: set[tuple[object, ...]] = set()
    checked_in: set[tuple[object, ...]] = set()
    # Each experience's report groups, worked out when first needed: a check that stops at its
    # first counter-example may need only one.
    reports: dict[Experience, ReportGroups] = {}

    def reports_for(experience: Experience) -> ReportGroups:
        if experience not in reports:
            reports[experience] = report_groups(experience, rules)
        return reports[experience]

    report.reports = sum(count for _, _, count in reports_for(EXPERIENCE_LEVELS[0]).values())
    reds = red_flag_groups([evaluator], signature, list(RED_SIGN_GROUPS.values()))
    healths = health_groups([evaluator], signature)
    signatures: dict[tuple[int, int], FlagSignature] = {}
    # Classes that meet the rules alike and are owed the same are checked once: per way the
    # other answers (and their "no" counterparts) meet the rules, the sign groups that differ.
    # Only the rules the other answers leave open can still tell sign groups apart, so the red
    # and health groups are first narrowed to those rules, then met.
    Distinct = dict[tuple[int, int | None, int, int], Ticks]
    by_meeting: dict[tuple[SideKey, SideKey | None], Distinct] = {}

    extra_numbers: dict[Hashable, int] = {}

    def narrowed(groups: FlagGroups, relevant: int) -> dict[tuple[int, int, int], Ticks]:
        found: dict[tuple[int, int, int], Ticks] = {}
        for (keys, extra), (ticks, _) in groups.items():
            (contribution, bits), = keys
            number = extra_numbers.setdefault(extra, len(extra_numbers))
            found.setdefault((contribution, bits & relevant, number), ticks)
        return found

    def distinct_signs(other_key: SideKey, unchecked_other: SideKey | None) -> Distinct:
        if (other_key, unchecked_other) not in by_meeting:
            relevant = other_key[1] | (unchecked_other[1] if unchecked_other is not None else 0)
            found: Distinct = {}
            red_groups, health_groups = narrowed(reds, relevant), narrowed(healths, relevant)
            for (red_contribution, red_bits, red_extra), (red, _) in red_groups.items():
                for (health_contribution, health_bits, health_extra), (_, health) in health_groups.items():
                    flag_key = evaluator.meet((red_contribution, red_bits), (health_contribution, health_bits),
                                              complete=False)
                    unchecked_key = (None if unchecked_other is None
                                     else evaluator.meet(unchecked_other, flag_key)[0])
                    found.setdefault((evaluator.meet(other_key, flag_key)[0], unchecked_key, red_extra, health_extra),
                                     (red, health))
            by_meeting[(other_key, unchecked_other)] = found
        return by_meeting[(other_key, unchecked_other)]

    # The same promises and decisions recur across millions of classes: each is numbered once,
    # and each combination is checked once.
    promise_ids: dict[tuple[Hashable, int, int], int] = {}
    promise_list: list[Promises] = []
    promise_numbers: dict[Promises, int] = {}
    done: set[tuple[object, ...]] = set()
    pending: deque[list[Planned]] = deque()

    def keep(found: list[str], answers: OtherAnswers, ticks: Ticks, never_prescribe: frozenset[str] = frozenset(),
             **more: object) -> None:
        """A counter-example of these answers and signs (with `more` answers, such as equipment)
        for each broken promise `found`, until enough are kept."""
        if found and len(report.counterexamples) < max_counterexamples:
            report.counterexamples.append(CounterExample(
                intake=_example(answers, ticks, **more), broken=tuple(found),
                fired=tuple(rule.id for rule in evaluator.fired(_example(answers, ticks))),
                never_prescribe=never_prescribe))

    def plans_and_check_ins(items: list[Planned]) -> None:
        """The plans and check-ins of decisions whose own promises were asked."""
        for promise_id, decision_key, decision, answers, ticks in items:
            if len(report.counterexamples) >= max_counterexamples:
                break
            promises = promise_list[promise_id]
            # The first visit before its check-ins: a broken promise there is found without
            # deciding a check-in, and is the plainer counter-example.
            start = (start_tier_for(decision.limit, answers.experience, rules)
                     if decision.limit.shows_plan else None)
            outcome_key = (promise_id, decision_key, start)
            if outcome_key not in seen:
                seen.add(outcome_key)
                for never_prescribe in catalogues:
                    for facts, equipment in _plan_outcomes(decision, start, never_prescribe, rules, plans, report):
                        keep(broken_by_the_plan(promises, OutcomeFacts(
                            level=decision.level, has_reasons=bool(decision.fired), action=decision.action,
                            plan=facts)), answers, ticks, never_prescribe, equipment=equipment)
            check_in_key = (promise_id, decision_key, answers.experience)
            if check_in_key in checked_in or len(report.counterexamples) >= max_counterexamples:
                continue
            checked_in.add(check_in_key)
            for never_prescribe in catalogues:
                for found, equipment, report_example in _check_in_problems(
                        decision, promises, reports_for(answers.experience), never_prescribe, rules, plans, report):
                    keep(found, answers, ticks, never_prescribe, equipment=equipment, progress=report_example)

    for ((other_key, ), extra), (answers, _) in other_groups([evaluator], classes, other_extra).items():
        if len(report.counterexamples) >= max_counterexamples:
            break  # enough to show: a check that has found a broken promise need not go on
        check = extra[6]
        owed_here = extra[:6]
        distinct = distinct_signs(other_key, extra[7] if check != "no" else None)
        report.classes_checked += len(reds) * len(healths)
        to_plan: list[Planned] = []

        for (decision_key, unchecked_key, red_extra, health_extra), ticks in distinct.items():
            promise_id = promise_ids.get((owed_here, red_extra, health_extra))
            if promise_id is None:
                if (red_extra, health_extra) not in signatures:
                    signatures[(red_extra, health_extra)] = decisive(flag_signature(ticks[0], *ticks[1]))
                flags = signatures[(red_extra, health_extra)]
                promise_key = (owed_here, flags)
                if promise_key not in owed:
                    owed[promise_key] = promises_from(
                        answers.age.low, answers.pain_now.low, answers.pain_duration, answers.pain_below_knee,
                        answers.back_surgery_or_injury, answers.experience, flags)
                promises = owed[promise_key]
                if promises not in promise_numbers:
                    promise_numbers[promises] = len(promise_list)
                    promise_list.append(promises)
                promise_id = promise_ids[(owed_here, red_extra, health_extra)] = promise_numbers[promises]
            work = (promise_id, decision_key, unchecked_key, check, answers.experience)
            if work in done or len(report.counterexamples) >= max_counterexamples:
                continue
            done.add(work)
            promises = promise_list[promise_id]
            decision, screened = decided(decision_key, answers, ticks)
            if unchecked_key is not None:
                unchecked = decided(unchecked_key, answers.with_check("no"), ticks)[1]
                keep(broken_by_being_checked(check, screened, unchecked), answers, ticks)
            keep(broken_by_the_decision(promises, screened), answers, ticks)
            to_plan.append((promise_id, decision_key, decision, answers, ticks))
        # The plans and check-ins cost far more than the decisions: they wait until the
        # decisions of the next few groups of other answers are asked too, so a rule that
        # breaks a promise about a decision is found without building plans, and one that breaks
        # a promise about a plan or a check-in still with the first classes it meets.
        pending.append(to_plan)
        if len(pending) > DECISIONS_AHEAD:
            plans_and_check_ins(pending.popleft())
    while pending:
        plans_and_check_ins(pending.popleft())
    report.seconds = time.perf_counter() - started
    return report


# Key: (the fired rules' ids, the decided tier, what the promises read); value: (the decision,
# an example report, how many reports the group holds).
ReportGroups = dict[tuple[tuple[str, ...], Tier, ReportFacts], tuple[ProgressDecision, Progress, int]]


def every_report(rules: Ruleset) -> Iterator[tuple[Progress, int]]:
    """Every possible progress report, each with how many reports it stands for: each tier,
    session count, pain, morning and sets answer, and the weeks on the tier left out or cut
    where a progression rule or promise changes its mind (as ages are, see `answerspace`)."""
    points = {WEEKS_BEFORE_ADVANCED} | {bound for rule in rules.progression.rules
                                        if (test := rule.when.weeks_on_tier) is not None
                                        for bound in (test.at_least, None if test.at_most is None
                                                      else test.at_most + 1) if bound is not None}
    weeks: list[tuple[int | None, int]] = [(None, 1)] + [(span.low, span.size) for span in cut(*WEEKS_RANGE, points)]
    for tier, sessions, pain, morning, sets, (week, size) in product(
            TIERS, range(SESSIONS_RANGE[0], SESSIONS_RANGE[1] + 1), range(PAIN_RANGE[0], PAIN_RANGE[1] + 1),
            NEXT_MORNINGS, SETS_COMPLETED, weeks):
        yield Progress(tier=tier, sessions_done=sessions, pain_during_max=pain, next_morning=morning,
                       sets_completed=sets, weeks_on_tier=week), size


def report_groups(experience: Experience, rules: Ruleset) -> ReportGroups:
    """Every report, decided for this experience and grouped by the decision and by what the
    check-in promises read of it; each group with an example and how many reports it holds."""
    groups: ReportGroups = {}
    for progress, size in every_report(rules):
        decided = decide_progress(progress, experience, rules)
        key = (tuple(rule.id for rule in decided.fired), decided.decided_tier, report_facts(progress))
        _, example, count = groups.get(key, (decided, progress, 0))
        groups[key] = (decided, example, count + size)
    return groups


def _check_in_problems(decision: ScreeningDecision, promises: Promises, groups: ReportGroups,
                       never_prescribe: frozenset[str], rules: Ruleset,
                       plans: PlanBook,
                       report: Verification) -> Iterator[tuple[list[str], frozenset[Equipment], Progress]]:
    """The broken promises of every check-in on top of this screening decision: each report
    group, with every equipment set's plan."""
    first_visit_start = start_tier_for(decision.limit, "none", rules) if decision.limit.shows_plan else None
    first_visit_plan = next(iter(_plan_outcomes(decision, first_visit_start, never_prescribe, rules, plans, report)))[0]
    first_visit = first_visit_plan.for_check_in if first_visit_plan is not None else None
    # The hundreds of report groups lead to a few check-ins, as the promises read them: its
    # level, whether it gives reasons, its action and its plans. For each, the first visit's
    # promises are asked once of every plan, and the plans are told apart only by what the
    # check-in promises read of them, which each group then asks once.
    visits: dict[tuple[Level, bool, str, PlanKey | None], _CheckInPlans] = {}
    for (_, _, facts), (progress, example, _) in groups.items():
        report.report_groups_checked += 1
        if not progress.fired:
            yield [f"the report fires no progression rule ({example.model_dump_json()})"], frozenset(), example
        visit = check_in(decision, progress, rules)
        screened = visit.screening
        outcome = CheckInFacts(decision=visit.decision, start=visit.start, level=screened.level)
        has_reasons = bool(screened.fired) or progress.decision == "see_professional"
        asked = (screened.level, has_reasons, screened.action, _plan_key(screened, visit.start, never_prescribe))
        met = visits.get(asked)
        if met is None:
            met = visits[asked] = _CheckInPlans.of(
                _plan_outcomes(screened, visit.start, never_prescribe, rules, plans, report), promises,
                OutcomeFacts(level=screened.level, has_reasons=has_reasons, action=screened.action, plan=None))
        by_check_in = [broken_by_check_in(facts, outcome, read, first_visit, decision.limit, promises.pain_today)
                       for read in met.check_in_reads]
        for equipment, found_at_first_visit, read in met.plans:
            found = found_at_first_visit + by_check_in[read]
            if found:
                yield found, equipment, example


@dataclass
class _CheckInPlans:
    """A check-in's plans: for each, equipment that leads to it, the first visit's promises it
    breaks and which of `check_in_reads` it is, the different things the check-in promises
    read of a plan."""

    plans: list[tuple[frozenset[Equipment], list[str], int]]
    check_in_reads: list[CheckInPlanFacts | None]

    @classmethod
    def of(cls, outcomes: list[tuple[PlanFacts | None, frozenset[Equipment]]], promises: Promises,
           without_plan: OutcomeFacts) -> _CheckInPlans:
        """`outcomes` of a check-in whose outcome is `without_plan` but for its plan."""
        numbered: dict[CheckInPlanFacts | None, int] = {}
        plans = [(equipment, broken(promises, replace(without_plan, plan=plan), check_in=True),
                  numbered.setdefault(plan.for_check_in if plan is not None else None, len(numbered)))
                 for plan, equipment in outcomes]
        return cls(plans, list(numbered))


def _plan_outcomes(decision: ScreeningDecision, start: Tier | None, never_prescribe: frozenset[str], rules: Ruleset,
                   plans: PlanBook,
                   report: Verification) -> list[tuple[PlanFacts | None, frozenset[Equipment]]]:
    """Each different set of plan facts this decision can lead to, with equipment that leads
    to it; built for every equipment set the first time."""
    key = _plan_key(decision, start, never_prescribe)
    if key is None or start is None:
        return [(None, frozenset())]
    if key not in plans.facts:
        found: dict[PlanFacts, frozenset[Equipment]] = {}
        for equipment in subsets(EQUIPMENT):
            report.plans_checked += 1
            plan = plans.decided.decide(decision.limit.id, start, equipment, never_prescribe, decision.left_out,
                                        decision.avoid_end_range)
            found.setdefault(plan_facts(plan, equipment, rules), equipment)
        plans.facts[key] = found
    return list(plans.facts[key].items())


def _plan_key(decision: ScreeningDecision, start: Tier | None, never_prescribe: frozenset[str]) -> PlanKey | None:
    """What a decision's plans are built from (see `_plan_outcomes`); None when it shows none."""
    if start is None:
        return None
    # Which rule leaves an exercise out changes only the words, not the plan's facts.
    return (decision.limit.id, start, never_prescribe, frozenset(exercise for exercise, _ in decision.left_out),
            decision.avoid_end_range)


def _example(answers: OtherAnswers, ticks: Ticks, **more: object) -> Intake:
    return answers.example(red_flags=ticks[0], **ticks[1].fields(), **more)


def _band(value: int, thresholds: tuple[int, ...]) -> int:
    """How many of the thresholds the value reaches: all a promise reads of it."""
    return sum(value >= threshold for threshold in thresholds)


def _screening_facts(decision: ScreeningDecision) -> OutcomeFacts:
    """Whether a decision shows a plan, and its level: what `broken_by_being_checked` compares.
    The plan's details do not matter there, so an empty stand-in marks a plan that is shown."""
    shown = _SHOWN_PLAN if decision.limit.shows_plan else None
    return OutcomeFacts(level=decision.level, has_reasons=bool(decision.fired), action=decision.action, plan=shown)


_SHOWN_PLAN = PlanFacts(start_tier="beginner", tiers=(), start_marked_once=True, empty_tiers=(),
                        unticked_equipment=(), loaded_in_starting_tier=(), heaviest_spinal_load_in_starting_tier=None,
                        end_range=(), exercises=frozenset(), cool_down_empty=False)


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
    """Vouch for the rules alone and with each narrowing: the check proves each on its own (the
    whole catalogue always among them), so any of them, or none, starts without a new check."""
    vouched = [fingerprint(rules)] + [fingerprint(rules, [narrowing]) for narrowing in narrowings if narrowing]
    (folder / STAMP_FILE).write_text("".join(f"{line}\n" for line in dict.fromkeys(vouched)))


def is_stamped(folder: Path, rules: Ruleset, narrowings: Iterable[frozenset[str]] = ()) -> bool:
    try:
        vouched = set((folder / STAMP_FILE).read_text().split())
    except OSError:
        return False
    return fingerprint(rules) in vouched and all(
        fingerprint(rules, [narrowing]) in vouched for narrowing in narrowings if narrowing)


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
