"""Answers no other text on the way out would contain, so finding one means an answer leaked."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import API_BASELINE, FORM_BASELINE

RED_FLAGS = ["osteoporosis_steroids", "morning_stiffness"]
EQUIPMENT = ["reverse_hyper", "back_extension_bench", "stability_ball"]

# As the form sends them (signs ticked, so not "none of these") and as the API is sent them.
DISTINCTIVE_FORM: dict[str, Any] = {
    **{name: value for name, value in FORM_BASELINE.items() if name != "no_red_flags"},
    "age": "73", "experience": "intermediate", "pain_now": "3", "pain_duration": "over_12_weeks",
    "pain_below_knee": "yes", "red_flags": RED_FLAGS, "equipment": EQUIPMENT, "days_per_week": "4",
}
DISTINCTIVE_API: dict[str, Any] = {
    **API_BASELINE,
    "age": 73, "experience": "intermediate", "pain_now": 3, "pain_duration": "over_12_weeks",
    "pain_below_knee": True, "red_flags": RED_FLAGS, "equipment": EQUIPMENT, "days_per_week": 4,
}

FIELD_NAMES = sorted({*DISTINCTIVE_FORM, *DISTINCTIVE_API})
LEAKS = re.compile("|".join([
    *map(re.escape, [*RED_FLAGS, *EQUIPMENT, "over_12_weeks"]),
    r"\b73\b",  # the age
    *(rf"(?<![\w-]){name}=" for name in FIELD_NAMES),  # a form field passed on (max-age= is not one)
    *(rf'"{name}"\s*:' for name in FIELD_NAMES),  # a JSON key passed on
]))


def leaked_answers(text: str) -> list[str]:
    """Every answer, or answer's field name, found in `text`."""
    return LEAKS.findall(text)
