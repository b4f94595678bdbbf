"""What the result page works out for a person from their plan, and the parts of the page
rendered once and reused.

Most of a plan page does not depend on the person but on their plan's tiers, and the engine
hands out the same tier objects to everyone whose plan shares them (recommender/engine/memo.py).
So each tier's HTML is rendered once per tier object and kept, with the object itself so that
its id cannot be reused while the entry lives. The answer space is finite; the bound keeps
memory predictable anyway.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup

from recommender.model.outcome import Plan, PlannedExercise

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


class Fragments:
    """Macros of templates/_plan_parts.html rendered once per set of arguments, by identity."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._kept: dict[tuple[Any, ...], tuple[tuple[Any, ...], Markup]] = {}
        self._writing = threading.Lock()

    def render(self, macro: str, *args: Any) -> Markup:
        key = (macro, *(_identity(arg) for arg in args))
        found = self._kept.get(key)
        if found is not None and _same(found[0], args):
            return found[1]
        module = current_app.jinja_env.get_template("_plan_parts.html").module
        html = Markup(getattr(module, macro)(*args))
        with self._writing:
            if len(self._kept) >= self.capacity:
                del self._kept[next(iter(self._kept))]
            # The arguments are kept with the HTML: while they live, their ids name only them.
            self._kept[key] = (tuple(list(arg) if isinstance(arg, list) else arg for arg in args), html)
        return html


def _identity(arg: Any) -> Any:
    if isinstance(arg, str | bool | int) or arg is None:
        return arg
    if isinstance(arg, list):
        return ("list", *(_identity(item) for item in arg))
    return id(arg)


def _same(kept: tuple[Any, ...], args: tuple[Any, ...]) -> bool:
    if len(kept) != len(args):
        return False
    for was, now in zip(kept, args, strict=True):
        if isinstance(now, list):
            if not isinstance(was, list) or not _same(tuple(was), tuple(now)):
                return False
        elif isinstance(now, str | bool | int) or now is None:
            if was != now:
                return False
        elif was is not now:
            return False
    return True


def fragment(macro: str, *args: Any) -> Markup:
    """`macro` from templates/_plan_parts.html with `args`, rendered once and then reused."""
    fragments: Fragments = current_app.extensions.setdefault("fragments", Fragments())
    return fragments.render(macro, *args)
