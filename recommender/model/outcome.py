"""What the service tells a person: the triage result and, when it is safe, the plan."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from recommender.model.intake import Equipment, Tier
from recommender.model.rules import Decision, Level, SessionKind, SpinalLoad, Weekday


class Outcome(BaseModel):
    model_config = ConfigDict(frozen=True)


class Decided(Outcome):
    """A part of the outcome the engine decides from a few of the answers (a tier, the plan).
    `made_from` says from what: equal for two parts only when they are the same, so a page or
    an answer can keep what it writes for one by it. It is never sent."""

    _made_from: Hashable = PrivateAttr(default=None)

    @property
    def made_from(self) -> Hashable:
        # Read from pydantic's store of private values: through `self._made_from` pydantic
        # looks the name up among the class's private attributes each time, about 2 µs, and
        # a result page reads it for each part it keeps.
        private = self.__pydantic_private__
        assert private is not None, "a model with a private attribute always has their store"
        made_from: Hashable = private["_made_from"]
        return made_from

    def decided_from(self, basis: Hashable) -> Self:
        """This part, marked as decided from `basis` (once, as the engine makes it)."""
        self._made_from = basis
        return self


class Finding(Outcome):
    id: str
    level: Level
    text: str
    # The answers that made this rule fire, in the words of the questionnaire.
    because: str
    # The same answers without the rule's thresholds, for the person's own list to show a
    # doctor; a clinic's system reads `because`, so this stays out of the API's answers.
    said: str = Field(exclude=True)


class Triage(Outcome):
    level: Level
    title: str
    action: str
    reasons: list[Finding]


class ExerciseRef(Outcome):
    id: str
    name: str


class PlannedExercise(Outcome):
    id: str
    name: str
    equipment: list[Equipment]
    # What a page shows for `equipment`; the API's clients have the ids.
    equipment_names: list[str] = Field(exclude=True)
    dose: str
    why: str
    # What a page shows for `why`: said once and short, without the name or the benefit the
    # card already carries; the API keeps the whole `why`.
    why_short: str = Field(exclude=True)
    # The dose's numbers, for the session player's set counter and rest timer.
    sets: int = Field(exclude=True)
    per_side: bool = Field(exclude=True)
    rest_seconds: int = Field(exclude=True)
    spinal_load: SpinalLoad
    light_day: bool
    muscles: list[str]
    steps: list[str]
    cues: list[str]
    common_mistake: str
    easier: ExerciseRef | None
    harder: ExerciseRef | None


class ExerciseDecision(Outcome):
    """One candidate of a slot: taken or left out, the rule that decided and why."""

    id: str
    name: str
    included: bool
    rule: str  # the slot's id, or the plan limit's id when the limit left it out
    reason: str


class SlotDecision(Outcome):
    """How a slot was filled: every candidate it lists, in order, with its decision."""

    slot: str
    purpose: str
    chosen: str | None  # the exercise id, as listed in the tier's `exercises`
    considered: list[ExerciseDecision]


class TierPlan(Decided):
    tier: Tier
    title: str
    summary: str
    is_start: bool
    exercises: list[PlannedExercise]
    move_on_when: str
    step_back_when: str
    slots: list[SlotDecision]


class ScheduleDay(Outcome):
    day: Weekday
    session: SessionKind
    title: str
    description: str


class PainGuide(Outcome):
    how_to_rate: str
    move_up: str
    stay: str
    step_back: str


class SafetyNetItem(Decided):
    level: Level
    # The level's title, for a page; the API's clients have the level.
    title: str = Field(exclude=True)
    action: str
    signs: list[str]


class LimitReason(Outcome):
    """Why the plan is shown as it is, or withheld: the plan limit and what set it."""

    rule: str  # the plan limit's id
    set_by: list[str]  # the screening rules that set that limit; empty when no rule did
    reason: str
    # The same reason for a person, without rule or plan-limit ids (those are for clinicians).
    plain: str = Field(exclude=True)


class Plan(Decided):
    # made_from: the tiers', warm-up's and cool-down's bases, the days a week and the plan limit;
    # a page part kept by it may show only those parts (tests/web/test_kept_pages.py holds it).
    start_tier: Tier
    start_tier_reason: LimitReason
    hidden_tiers_reason: LimitReason | None  # None when every tier is shown
    limit_note: str | None
    tiers: list[TierPlan]
    warm_up: list[PlannedExercise]
    cool_down: list[PlannedExercise]
    schedule: list[ScheduleDay]
    pain_guide: PainGuide
    stop_signs: list[str]


class ProgressReason(Outcome):
    rule: str  # the progression rule's id
    reason: str


class CheckInResult(Outcome):
    """What a check-in decided, as the person is told it: the decision comes first."""

    # What the person does next: today's screening can make it more careful than the
    # progression rules alone (`held_back` then says why).
    decision: Decision
    title: str
    advice: str
    reported_tier: Tier
    next_tier: Tier | None  # None when today's answers show no plan
    reasons: list[ProgressReason]
    held_back: str | None


class Recommendation(Outcome):
    triage: Triage
    plan: Plan | None
    plan_withheld_reason: LimitReason | None  # None when there is a plan
    check_in: CheckInResult | None = None  # only when the answers include a progress report
    safety_net: list[SafetyNetItem]
    rules_version: str
    rules_sha256: str
