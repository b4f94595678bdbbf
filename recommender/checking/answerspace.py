"""Every possible set of answers, cut into classes that no rule and no promise can tell apart.

The intake is finite: ages 16-100, pain 0-10, a handful of choices, and three sets of ticks.
Numbers are cut only where some rule or promise changes its mind (a rule `at_least: 51`
cuts ages at 51), so one representative stands for its whole span. Choices and ticks are
taken one by one; nothing there is assumed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, combinations, product
from math import prod
from typing import TypeVar

from recommender.checking.safety import AGE_THRESHOLDS, PAIN_THRESHOLDS
from recommender.model.intake import (
    AGE_RANGE,
    CANCER_DETAILS,
    DAYS_RANGE,
    EQUIPMENT,
    EXPERIENCE_LEVELS,
    HEALTH_FLAGS,
    HEART_DETAILS,
    PAIN_DURATIONS,
    PAIN_RANGE,
    PROFESSIONAL_CHECKS,
    RED_FLAGS,
    Experience,
    Intake,
    PainDuration,
    ProfessionalCheck,
)
from recommender.model.ruleset import Ruleset

DAYS = tuple(range(DAYS_RANGE[0], DAYS_RANGE[1] + 1))


@dataclass(frozen=True)
class Span:
    """Whole numbers from `low` to `high`, inclusive."""

    low: int
    high: int

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class OtherAnswers:
    """One class of the answers other than the ticked signs, equipment and days."""

    age: Span
    experience: Experience
    pain_now: Span
    pain_duration: PainDuration
    pain_below_knee: bool
    back_surgery_or_injury: bool
    professional_check: ProfessionalCheck

    @property
    def size(self) -> int:
        return self.age.size * self.pain_now.size

    def with_check(self, professional_check: ProfessionalCheck) -> OtherAnswers:
        """The same answers, but another answer to whether a professional has checked the back."""
        return OtherAnswers(self.age, self.experience, self.pain_now, self.pain_duration, self.pain_below_knee,
                            self.back_surgery_or_injury, professional_check)

    def example(self, **ticks: object) -> Intake:
        return Intake.model_validate({
            "age": self.age.low, "experience": self.experience, "pain_now": self.pain_now.low,
            "pain_duration": self.pain_duration, "pain_below_knee": self.pain_below_knee,
            "back_surgery_or_injury": self.back_surgery_or_injury,
            "professional_check": self.professional_check, "red_flags": frozenset(),
            "health_flags": frozenset(), "equipment": frozenset(), "days_per_week": DAYS[0], **ticks,
        })


def cut(low: int, high: int, points: Iterable[int]) -> list[Span]:
    """Split low..high into spans, starting a new span at each point inside the range."""
    starts = sorted({low} | {point for point in points if low < point <= high})
    return [Span(start, end - 1) for start, end in zip(starts, starts[1:] + [high + 1], strict=True)]


def cut_points(rulesets: Iterable[Ruleset], field: str) -> set[int]:
    points: set[int] = set()
    for rules in rulesets:
        for rule in rules.screening_rules:
            test = getattr(rule.when, field)
            if test is not None:
                points |= {b for b in (test.at_least, None if test.at_most is None else test.at_most + 1)
                           if b is not None}
    return points


def other_answers(*rulesets: Ruleset) -> list[OtherAnswers]:
    """Every class of the other answers, for the cuts of all the given rulesets together."""
    ages = cut(*AGE_RANGE, cut_points(rulesets, "age") | set(AGE_THRESHOLDS))
    pains = cut(*PAIN_RANGE, cut_points(rulesets, "pain_now") | set(PAIN_THRESHOLDS))
    return [OtherAnswers(age, experience, pain, duration, knee, surgery, check)
            for age, experience, pain, duration, knee, surgery, check
            in product(ages, EXPERIENCE_LEVELS, pains, PAIN_DURATIONS, (False, True), (False, True),
                       PROFESSIONAL_CHECKS)
            # Pain now with no bout of pain is refused by the intake, so it is no possible answer.
            if not (pain.low > 0 and duration == "none")]


T = TypeVar("T")


def subsets(items: tuple[T, ...]) -> Iterator[frozenset[T]]:
    return (frozenset(c) for c in chain.from_iterable(combinations(items, n) for n in range(len(items) + 1)))


RED_FLAG_SETS = 2 ** len(RED_FLAGS)
# Each health-flag set with every answer to the two follow-ups: unanswered, or any of their sets.
HEALTH_FLAG_SETS = 2 ** len(HEALTH_FLAGS) * (1 + 2 ** len(HEART_DETAILS)) * (1 + 2 ** len(CANCER_DETAILS))
EQUIPMENT_SETS = 2 ** len(EQUIPMENT)


def possible_intakes(classes: list[OtherAnswers]) -> int:
    """How many distinct valid intakes the classes stand for, every tick and day included."""
    return sum(c.size for c in classes) * prod((RED_FLAG_SETS, HEALTH_FLAG_SETS, EQUIPMENT_SETS, len(DAYS)))
