"""What the result page works out for a person from their plan, and the parts of the page
rendered once and reused.

Most of a plan page does not depend on the person but on their plan's tiers: a tier's exercise
cards with their figures. A part is kept by its key, which is everything its macro is given:
each argument a plain value, or a tier, which counts as what it was decided from (the engine
makes equal tiers from equal bases, and tests hold it to that). The part is rendered from the
key alone, so nothing of the person or the request that is not in the key can reach it.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import current_app
from markupsafe import Markup

from recommender.model.outcome import Plan, PlannedExercise, TierPlan
from recommender.web.app.state import web_state

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


class TierKey(NamedTuple):
    decided_from: Hashable


def fragment(macro: str, *args: Any) -> Markup:
    """`macro` from templates/_plan_parts.html with `args`, rendered once and then reused."""
    return web_state().page_parts(macro, *(_key(arg) for arg in args))


def _key(arg: Any) -> Hashable:
    if isinstance(arg, TierPlan):
        if arg.made_from is None:
            raise TypeError("a tier the engine did not make has no key")
        return TierKey(arg.made_from)
    if arg is None or isinstance(arg, str | bool | int):
        return arg
    raise TypeError(f"a page part cannot be kept by a {type(arg).__name__}; give it plain values or tiers")


def render_part(macro: str, *keys: Hashable) -> Markup:
    """The part `macro` renders from `keys` alone (see `fragment`)."""
    service = web_state().service
    args = [service.tier_decided_from(key.decided_from) if isinstance(key, TierKey) else key for key in keys]
    module = current_app.jinja_env.get_template("_plan_parts.html").module
    # The templates' indentation is a tenth of a part. A run of white space shows the same as
    # one newline (the parts have no <pre> or <textarea>), so each such run is kept as one.
    return Markup(_INDENTATION.sub("\n", str(getattr(module, macro)(*args))))


_INDENTATION = re.compile(r"\n\s+")
