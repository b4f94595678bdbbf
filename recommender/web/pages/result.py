"""What the result page works out for a person from their plan, and the parts of the page
rendered once and reused.

Most of a plan page does not depend on the person but on their plan: its tiers' exercise cards
with their figures, the warm-up and stretches, the week. A part is kept by its key, which is
the language it is in and everything its macro is given, each argument by its value; a part the
engine decides counts as what it was decided from, since the engine makes equal parts from equal
bases (tests hold it to that, and hold every kept page to the page made afresh). Nothing of the
person or the request that is not in a key can reach a kept part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup

from recommender.model.outcome import Plan, PlannedExercise
from recommender.web.app.languages import weekday_name
from recommender.web.app.state import chosen_language, language_chosen, part_key, web_state

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
    days = [weekday_name(day.day) for day in plan.schedule if day.session == "full"]
    return FirstSession(exercises=len(start.exercises), minutes=max(5, 5 * round(minutes / 5)), days=days)


def _seconds(exercise: PlannedExercise) -> int:
    per_side = 2 if exercise.per_side else 1
    return _SECONDS_TO_SET_UP + exercise.sets * (_SECONDS_PER_SET * per_side + exercise.rest_seconds)


def fragment(macro: str, *args: Any) -> Markup:
    """`macro` from templates/_plan_parts.html with `args`, rendered once for each key and then
    reused (see the module's docstring, and `part_key`)."""
    key = (chosen_language(), language_chosen(), macro, *(part_key(arg) for arg in args))
    return web_state().page_parts.recall(key, lambda: _render(macro, args))


def _render(macro: str, args: tuple[Any, ...]) -> Markup:
    module = current_app.jinja_env.get_template("_plan_parts.html").module
    # The templates' indentation is a tenth of a part. A run of white space shows the same as
    # one newline (the parts have no <pre> or <textarea>), so each such run is kept as one.
    return Markup(_INDENTATION.sub("\n", str(getattr(module, macro)(*args))))


_INDENTATION = re.compile(r"\n\s+")
