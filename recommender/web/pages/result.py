"""What the result page works out for a person from their plan, and the parts of the page
rendered once and reused.

Most of a plan page does not depend on the person but on their plan's tiers, and the engine
hands out the same tier objects to everyone whose plan shares them (recommender/engine/memo.py).
So those parts are rendered once per set of those objects and kept (recommender/web/reuse.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup

from recommender.model.outcome import Plan, PlannedExercise
from recommender.web.reuse import ByIdentity

# Seconds for one set's work and for getting into position; warm-up and stretches take 5
# minutes each, as the page says.
_SECONDS_PER_SET = 45
_SECONDS_TO_SET_UP = 30
_WARM_UP_AND_STRETCH_MINUTES = 10


@dataclass(frozen=True)
class FirstSession:
    exercises: int
    minutes: int
    days: list[str]


def first_session(plan: Plan) -> FirstSession:
    """How many exercises, about how many minutes and which days, for "Your first session"."""
    start = next(tier for tier in plan.tiers if tier.is_start)
    seconds = sum(_seconds(exercise) for exercise in start.exercises)
    minutes = _WARM_UP_AND_STRETCH_MINUTES + seconds / 60
    days = [day.day.capitalize() for day in plan.schedule if day.session == "full"]
    return FirstSession(exercises=len(start.exercises), minutes=max(5, 5 * round(minutes / 5)), days=days)


def _seconds(exercise: PlannedExercise) -> int:
    per_side = 2 if "on each side" in exercise.dose else 1
    return _SECONDS_TO_SET_UP + exercise.sets * (_SECONDS_PER_SET * per_side + exercise.rest_seconds)


def fragment(macro: str, *args: Any) -> Markup:
    """`macro` from templates/_plan_parts.html with `args`, rendered once and then reused."""
    kept: ByIdentity[Markup] = current_app.extensions.setdefault("fragments", ByIdentity())

    def render() -> Markup:
        module = current_app.jinja_env.get_template("_plan_parts.html").module
        return Markup(getattr(module, macro)(*args))

    return kept.recall(macro, args, render)
