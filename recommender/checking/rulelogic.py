"""Checks on what the screening rules mean, beyond their shape: rules that can never fire,
rules that never change a result, and rules that disagree where only one may decide.

Each rule's conditions are a product of per-answer conditions, so they are compared answer
by answer over the same classes the exhaustive check uses (see `answerspace`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from recommender.checking.answerspace import Span, cut, subsets
from recommender.model.intake import (
    AGE_RANGE,
    CANCER_DETAILS,
    EXPERIENCE_LEVELS,
    HEART_DETAILS,
    PAIN_DURATIONS,
    PAIN_RANGE,
    PROFESSIONAL_CHECKS,
)
from recommender.model.problems import Problem
from recommender.model.rules import LEVELS, ScreeningRule, When
from recommender.model.ruleset import Ruleset

LogicProblem = tuple[tuple[Any, ...], str]  # (location in screening.yaml, message)


@dataclass(frozen=True)
class Region:
    """The answers a rule's conditions allow, answer by answer. Each sign list holds the
    "any of" groups that must all be hit: none for a rule that does not look at that list."""

    answers: dict[str, frozenset[Any]]
    red_flags: tuple[frozenset[str], ...]
    health_flags: tuple[frozenset[str], ...]

    def possible(self) -> bool:
        if not all(self.answers.values()):
            return False
        # Pain now with no bout of pain is not a possible answer.
        return any(not (pain.low > 0 and duration == "none")
                   for pain in self.answers["pain_now"] for duration in self.answers["pain_duration"])

    def meet(self, other: Region) -> Region:
        # "Any of" groups can always all be hit together: tick one sign from each.
        return Region({name: values & other.answers[name] for name, values in self.answers.items()},
                      self.red_flags + other.red_flags, self.health_flags + other.health_flags)

    def within(self, other: Region) -> bool:
        def inside(mine: tuple[frozenset[str], ...], theirs: tuple[frozenset[str], ...]) -> bool:
            # Each of their groups is hit whenever one of mine is, if that group holds all of mine.
            return all(any(group <= their_group for group in mine) for their_group in theirs)
        return (all(values <= other.answers[name] for name, values in self.answers.items())
                and inside(self.red_flags, other.red_flags) and inside(self.health_flags, other.health_flags))

    def example(self, domain: dict[str, tuple[Any, ...]]) -> str:
        """Answers in this region, naming only those it narrows from every possible answer (`domain`)."""
        parts = []
        for name, values in self.answers.items():
            if len(values) < len(domain[name]):
                first = min(values, key=lambda value: (len(value), sorted(value)) if isinstance(value, frozenset)
                            else (-1, [str(value)]))
                parts.append(f"{name} {_shown(first)}")
        for name, ticks in (("red_flags", self.red_flags), ("health_flags", self.health_flags)):
            if ticks:
                chosen = sorted({min(group) for group in ticks})
                parts.append(f"{name} {', '.join(chosen)}")
        return ", ".join(parts)


def _shown(value: Any) -> str:
    if isinstance(value, Span):
        return str(value.low)
    if value is None:
        return "unanswered"
    if isinstance(value, frozenset):
        return f"[{', '.join(sorted(value))}]" if value else "none of these"
    return str(value)


# Every answer to each follow-up question: unanswered, or the ones that apply.
HEART_ANSWERS: tuple[Any, ...] = (None, *subsets(HEART_DETAILS))
CANCER_ANSWERS: tuple[Any, ...] = (None, *subsets(CANCER_DETAILS))


def region_of(when: When, ages: list[Span], pains: list[Span]) -> Region:
    def spans(spans: list[Span], test: Any) -> frozenset[Span]:
        return frozenset(s for s in spans if test is None or test.holds(s.low))

    def choices(values: tuple[Any, ...], test: Any) -> frozenset[Any]:
        return frozenset(v for v in values if test is None or v in test.one_of)

    def boolean(test: bool | None) -> frozenset[bool]:
        return frozenset((False, True)) if test is None else frozenset((test,))

    def follow_ups(answers: tuple[Any, ...], test: Any) -> frozenset[Any]:
        return frozenset(a for a in answers if test is None or test.holds(a))

    return Region(
        answers={
            "age": spans(ages, when.age),
            "experience": choices(EXPERIENCE_LEVELS, when.experience),
            "pain_now": spans(pains, when.pain_now),
            "pain_duration": choices(PAIN_DURATIONS, when.pain_duration),
            "pain_below_knee": boolean(when.pain_below_knee),
            "back_surgery_or_injury": boolean(when.back_surgery_or_injury),
            "professional_check": choices(PROFESSIONAL_CHECKS, when.professional_check),
            "heart_condition_details": follow_ups(HEART_ANSWERS, when.heart_condition_details),
            "cancer_details": follow_ups(CANCER_ANSWERS, when.cancer_details),
        },
        red_flags=() if when.red_flags is None else (
            frozenset(when.red_flags.includes_any), *(frozenset({flag}) for flag in when.red_flags.includes_all)),
        health_flags=() if when.health_flags is None else (frozenset(when.health_flags.includes_any),),
    )


def rule_logic_problems(ruleset: Ruleset) -> list[Problem]:
    """Problems in what the screening rules mean, each at its line in screening.yaml."""
    level_plans = {level: wording.plan for level, wording in ruleset.levels.items()}
    return [ruleset.lines.problem("screening.yaml", location, message)
            for location, message in _logic_problems(list(ruleset.screening_rules), level_plans,
                                                     list(ruleset.plan_limits))]


def _logic_problems(rules: list[ScreeningRule], level_plans: dict[str, str],
                    limit_order: list[str]) -> Iterator[LogicProblem]:
    """Problems in what the rules mean. `level_plans` maps each level to its plan limit."""
    ages = cut(*AGE_RANGE, _points(rules, "age"))
    pains = cut(*PAIN_RANGE, _points(rules, "pain_now"))
    domain: dict[str, tuple[Any, ...]] = dict(
        age=tuple(ages), experience=EXPERIENCE_LEVELS, pain_now=tuple(pains), pain_duration=PAIN_DURATIONS,
        pain_below_knee=(False, True), back_surgery_or_injury=(False, True), professional_check=PROFESSIONAL_CHECKS,
        heart_condition_details=HEART_ANSWERS, cancer_details=CANCER_ANSWERS)
    regions = [region_of(rule.when, ages, pains) for rule in rules]

    def limit_of(rule: ScreeningRule) -> str:
        return rule.plan or level_plans[rule.level]

    def limit(rule: ScreeningRule) -> int:
        # Unknown limits are reported elsewhere; rank them last so they raise nothing here.
        return limit_order.index(limit_of(rule)) if limit_of(rule) in limit_order else len(limit_order)

    def urgency(rule: ScreeningRule) -> int:
        return LEVELS.index(rule.level)

    for index, rule in enumerate(rules):
        level_limit = level_plans[rule.level]
        if rule.plan is not None and level_limit in limit_order and rule.plan in limit_order:
            if limit_order.index(rule.plan) > limit_order.index(level_limit):
                yield ("rules", index, "plan"), (f"'{rule.plan}' is less strict than the '{rule.level}' level's "
                                                 f"'{level_limit}': a rule may only narrow its level's plan")
            elif rule.plan != level_limit and rule.action is None:
                yield ("rules", index, "action"), (f"rule '{rule.id}' sets its own plan limit '{rule.plan}', so it "
                                                   f"needs its own action: the '{rule.level}' level's action is "
                                                   f"written for '{level_limit}'")
        if not regions[index].possible():
            yield ("rules", index, "when"), (f"rule '{rule.id}' can never fire: no possible set of answers "
                                             f"meets all of its conditions")

    for index, rule in enumerate(rules):
        if not regions[index].possible():
            continue
        for other_index, other in enumerate(rules):
            if other_index == index or not regions[other_index].possible():
                continue
            if not regions[index].within(regions[other_index]):
                continue
            same_region = regions[other_index].within(regions[index])
            if same_region and other_index > index and _same_decision(rule, other, limit):
                continue  # identical twins: report only the later one
            if _dominates(other, rule, limit, urgency):
                yield ("rules", index, "when"), (
                    f"rule '{rule.id}' never changes a result: whenever it fires, rule '{other.id}' fires "
                    f"too and decides at least as strictly")
                break

    for index, rule in enumerate(rules):
        for other_index in range(index + 1, len(rules)):
            other = rules[other_index]
            if (rule.level != other.level or limit(rule) != limit(other) or rule.action is None
                    or other.action is None or rule.action == other.action):
                continue
            both = regions[index].meet(regions[other_index])
            if both.possible():
                yield ("rules", other_index, "action"), (
                    f"rules '{rule.id}' and '{other.id}' can fire together (for example: {both.example(domain)}) "
                    f"at the same level and plan limit but give different actions, and only one can be "
                    f"shown: give them the same action, or different levels or plan limits")


def _points(rules: list[ScreeningRule], field: str) -> set[int]:
    points: set[int] = set()
    for rule in rules:
        test = getattr(rule.when, field)
        if test is not None:
            points |= {b for b in (test.at_least, None if test.at_most is None else test.at_most + 1)
                       if b is not None}
    return points


def _same_decision(a: ScreeningRule, b: ScreeningRule, limit: Any) -> bool:
    return a.level == b.level and limit(a) == limit(b) and a.action == b.action


def _dominates(stronger: ScreeningRule, weaker: ScreeningRule, limit: Any, urgency: Any) -> bool:
    """Whether `weaker`, firing only alongside `stronger`, can never change the decision."""
    if limit(weaker) < limit(stronger) or urgency(weaker) < urgency(stronger):
        return False  # the weaker rule narrows the plan or raises the level
    if not (set(weaker.leave_out) <= set(stronger.leave_out)
            and set(weaker.avoid_end_range) <= set(stronger.avoid_end_range)):
        return False  # it keeps out of the plan what the stronger rule does not
    if urgency(weaker) > urgency(stronger) or limit(weaker) > limit(stronger):
        return True
    # Same level and plan limit: only its action could still matter.
    return weaker.action is None or weaker.action == stronger.action
