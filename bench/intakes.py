"""A spread of realistic answers for the benchmark and the load tests, as the API and the form send them.

Mostly people who get a plan (no pain, some pain, a home or gym kit), with a few who are sent to
a professional, so every branch of the engine is exercised in roughly the mix a clinic might see.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

BASE: dict[str, Any] = {
    "age": 35, "experience": "none", "pain_now": 0, "pain_duration": "none", "pain_below_knee": False,
    "back_surgery_or_injury": False, "red_flags": [], "health_flags": [], "equipment": [], "days_per_week": 3,
}
HOME = ["mat", "resistance_band", "dowel"]
GYM = ["mat", "stability_ball", "bench", "back_extension_bench", "kettlebell", "dumbbells", "barbell",
       "power_rack"]

INTAKES: list[dict[str, Any]] = [{**BASE, **changes} for changes in [
    {},
    {"age": 28, "experience": "beginner", "equipment": ["mat"], "days_per_week": 2},
    {"age": 41, "experience": "intermediate", "equipment": HOME},
    {"age": 33, "experience": "advanced", "equipment": GYM, "days_per_week": 4},
    {"age": 52, "experience": "intermediate", "equipment": [*GYM, "reverse_hyper"], "days_per_week": 4},
    {"age": 45, "pain_now": 3, "pain_duration": "under_6_weeks", "equipment": ["mat", "stability_ball"]},
    {"age": 38, "experience": "beginner", "pain_now": 0, "pain_duration": "under_6_weeks", "equipment": HOME},
    {"age": 60, "pain_now": 4, "pain_duration": "over_12_weeks", "pain_below_knee": True, "equipment": ["mat"]},
    {"age": 47, "experience": "advanced", "pain_now": 8, "pain_duration": "under_6_weeks", "equipment": GYM},
    {"age": 55, "back_surgery_or_injury": True, "equipment": ["mat", "bosu"], "days_per_week": 2},
    {"age": 66, "red_flags": ["osteoporosis_steroids"], "equipment": ["mat"]},
    {"age": 30, "health_flags": ["pregnant"], "equipment": ["mat", "stability_ball"]},
    {"age": 58, "red_flags": ["cancer_history", "night_pain"], "pain_now": 5, "pain_duration": "6_to_12_weeks"},
    {"age": 44, "red_flags": ["saddle_numbness"], "pain_now": 6, "pain_duration": "under_6_weeks"},
]]


def as_json(intake: dict[str, Any]) -> str:
    return json.dumps(intake, separators=(",", ":"))


def as_form(intake: dict[str, Any]) -> str:
    """The answers as the questionnaire posts them (application/x-www-form-urlencoded)."""
    fields: list[tuple[str, str]] = []
    for name, value in intake.items():
        if isinstance(value, bool):
            fields.append((name, "yes" if value else "no"))
        elif isinstance(value, list):
            fields += [(name, item) for item in value]
        else:
            fields.append((name, str(value)))
    for signs, none_box in (("red_flags", "no_red_flags"), ("health_flags", "no_health_flags")):
        if not intake[signs]:
            fields.append((none_box, "y"))
    return urllib.parse.urlencode(fields)


CONTENT_TYPES = {"json": "application/json", "form": "application/x-www-form-urlencoded"}


def write_bodies(folder: Path) -> dict[str, Path]:
    """The spread as request bodies for bench/wrk.lua, one per line: {"json": file, "form": file}."""
    files = {"json": folder / "intakes.json.txt", "form": folder / "intakes.form.txt"}
    files["json"].write_text("".join(as_json(intake) + "\n" for intake in INTAKES))
    files["form"].write_text("".join(as_form(intake) + "\n" for intake in INTAKES))
    return files


def answer_words() -> set[str]:
    """Every field name and every text value in the spread: none may reach the access log."""
    words = set(BASE) | {"no_red_flags", "no_health_flags"}
    for intake in INTAKES:
        for value in intake.values():
            if isinstance(value, str):
                words.add(value)
            elif isinstance(value, list):
                words.update(value)
    return words
