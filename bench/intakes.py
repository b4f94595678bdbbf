"""Realistic answers for the benchmark and the load tests, as the API and the form send them.

INTAKES: 14 fixed people, mostly ones who get a plan (no pain, some pain, a home or gym kit), with
a few who are sent to a professional, so every branch of the engine is exercised. Sent over and
over they measure a cache, so bench/run uses them only for its "repeated bodies" lines.
distinct_intakes(): as many different people as a run needs, drawn from a seeded spread in
roughly the mix a clinic might see: what bench/run's budgets are measured with.
"""

from __future__ import annotations

import json
import random
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from recommender.model.intake import CANCER_DETAILS, EQUIPMENT, HEALTH_FLAGS, HEART_DETAILS, RED_FLAGS, Intake

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


# How often each answer comes up in the distinct spread: most people get a plan; a few tick a
# warning sign or a health condition, as a clinic's screening page would see.
_EXPERIENCE = {"none": 35, "beginner": 30, "intermediate": 25, "advanced": 10}
_DURATION_IN_PAIN = {"under_6_weeks": 40, "6_to_12_weeks": 25, "over_12_weeks": 35}
_KITS = [[], ["mat"], HOME, ["mat", "stability_ball"], ["mat", "dowel", "kettlebell"], GYM]
# Most people who tick a warning sign tick one of these; the others are rarer.
_COMMON_RED_FLAGS = ["morning_stiffness", "minor_fall", "night_pain", "osteoporosis_steroids", "cancer_history",
                     "blood_thinners", "past_fragility_fracture", "worsening_pain"]
_COMMON_HEALTH_FLAGS = ["heart_condition", "pregnant", "fainting_dizziness", "recent_back_surgery"]
# People per wrk run: a 10-second run, warm-up included, at up to about 4,000 requests a second
# then sends each once (bench/run warns when a run sent someone twice).
SPREAD = 45_000
SEED = 2026


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _some(rng: random.Random, choices: Sequence[str], most: int) -> list[str]:
    return rng.sample(list(choices), rng.randint(0, most))


def realistic_intake(rng: random.Random) -> dict[str, Any]:
    """One person's answers, drawn from `rng`: a plausible mix of age, training, pain and kit."""
    pain_now = rng.choices(range(11), weights=[30, 8, 10, 10, 9, 8, 7, 6, 5, 4, 3])[0]
    # Some are between bouts: no pain today, but a bout that has lasted weeks.
    in_pain = pain_now > 0 or rng.random() < 0.2
    equipment = set(rng.choice(_KITS)) | {item for item in EQUIPMENT if rng.random() < 0.08}
    red_flags = set(rng.sample(_COMMON_RED_FLAGS, rng.choice([1, 1, 2]))) if rng.random() < 0.2 else set()
    if rng.random() < 0.03:
        red_flags.add(rng.choice([flag for flag in RED_FLAGS if flag not in _COMMON_RED_FLAGS]))
    health_flags = {rng.choice(_COMMON_HEALTH_FLAGS)} if rng.random() < 0.12 else set()
    if rng.random() < 0.02:
        health_flags.add(rng.choice([flag for flag in HEALTH_FLAGS if flag not in _COMMON_HEALTH_FLAGS]))
    intake: dict[str, Any] = {
        # Back pain is most common in middle age; the questionnaire is for adults.
        "age": round(rng.triangular(18, 85, 45)), "experience": _pick(rng, _EXPERIENCE), "pain_now": pain_now,
        "pain_duration": _pick(rng, _DURATION_IN_PAIN) if in_pain else "none",
        "pain_below_knee": in_pain and rng.random() < 0.15, "back_surgery_or_injury": rng.random() < 0.1,
        "red_flags": sorted(red_flags), "health_flags": sorted(health_flags), "equipment": sorted(equipment),
        "days_per_week": rng.choice([2, 3, 3, 4]),
    }
    # Left out, as the first clients send it, it means "no".
    if rng.random() < 0.15:
        intake["professional_check"] = rng.choice(["checked", "cleared_to_exercise"])
    # Follow-ups are asked only after their sign; some leave them blank, which stays unanswered.
    if "heart_condition" in health_flags and rng.random() < 0.8:
        intake["heart_condition_details"] = sorted(_some(rng, HEART_DETAILS, 2))
    if "cancer_history" in red_flags and rng.random() < 0.8:
        intake["cancer_details"] = sorted(_some(rng, CANCER_DETAILS, 2))
    return intake


def distinct_intakes(count: int = SPREAD, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` different people's answers, the same ones for the same seed: what a benchmark must
    serve, since real people rarely share every answer and a handful would all be cache hits.

    Each is read as the API reads it, so the spread holds only answers the API accepts, and no
    two read the same (two bodies could differ and still be one person's answers)."""
    rng = random.Random(seed)
    seen: set[Intake] = set()
    people: list[dict[str, Any]] = []
    while len(people) < count:
        intake = realistic_intake(rng)
        read = Intake.model_validate_json(as_json(intake))  # raises on any answer the API refuses
        if read not in seen:
            seen.add(read)
            people.append(intake)
    return people


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
    for signs, none_box in (("red_flags", "no_red_flags"), ("health_flags", "no_health_flags"),
                            ("heart_condition_details", "no_heart_condition_details"),
                            ("cancer_details", "no_cancer_details")):
        if signs in intake and not intake[signs]:
            fields.append((none_box, "y"))
    return urllib.parse.urlencode(fields)


CONTENT_TYPES = {"json": "application/json", "form": "application/x-www-form-urlencoded"}


def write_bodies(folder: Path, people: Sequence[dict[str, Any]] = INTAKES, name: str = "intakes") -> dict[str, Path]:
    """`people` as request bodies for bench/wrk.lua, one per line, in the same order in both
    forms: {"json": file, "form": file}."""
    files = {"json": folder / f"{name}.json.txt", "form": folder / f"{name}.form.txt"}
    files["json"].write_text("".join(as_json(intake) + "\n" for intake in people))
    files["form"].write_text("".join(as_form(intake) + "\n" for intake in people))
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
