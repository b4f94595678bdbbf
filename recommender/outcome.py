"""What the service tells a person: the triage result and, when it is safe, the plan."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from recommender.intake import Equipment, Tier
from recommender.ruleset import Level, SessionKind, SpinalLoad, Weekday


class Outcome(BaseModel):
    model_config = ConfigDict(frozen=True)


class Finding(Outcome):
    id: str
    level: Level
    text: str


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
    dose: str
    why: str
    spinal_load: SpinalLoad
    light_day: bool
    muscles: list[str]
    steps: list[str]
    cues: list[str]
    common_mistake: str
    easier: ExerciseRef | None
    harder: ExerciseRef | None


class TierPlan(Outcome):
    tier: Tier
    title: str
    summary: str
    is_start: bool
    exercises: list[PlannedExercise]
    move_on_when: str
    step_back_when: str


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


class SafetyNetItem(Outcome):
    level: Level
    action: str
    signs: list[str]


class Plan(Outcome):
    start_tier: Tier
    limit_note: str | None
    tiers: list[TierPlan]
    warm_up: list[PlannedExercise]
    cool_down: list[PlannedExercise]
    schedule: list[ScheduleDay]
    pain_guide: PainGuide
    stop_signs: list[str]


class Recommendation(Outcome):
    triage: Triage
    plan: Plan | None
    safety_net: list[SafetyNetItem]
    rules_version: str
    rules_sha256: str
