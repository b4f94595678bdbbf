from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from recommender.loading.rules import load_ruleset
from recommender.model.intake import Intake
from recommender.model.ruleset import Ruleset

PROJECT = Path(__file__).resolve().parent.parent
RULES_DIR = PROJECT / "rules"

# A person with no pain, no flags and no equipment; each test changes only what it is about.
BASELINE: dict[str, Any] = {
    "age": 35,
    "experience": "none",
    "pain_now": 0,
    "pain_duration": "none",
    "pain_below_knee": False,
    "back_surgery_or_injury": False,
    "red_flags": frozenset(),
    "health_flags": frozenset(),
    "equipment": frozenset(),
    "days_per_week": 3,
}

MakeIntake = Callable[..., Intake]


@pytest.fixture(scope="session")
def rules() -> Ruleset:
    return load_ruleset(RULES_DIR)


@pytest.fixture
def make_intake() -> MakeIntake:
    def make(**changes: Any) -> Intake:
        answers = {**BASELINE, **changes}
        for name in ("red_flags", "health_flags", "equipment"):
            answers[name] = frozenset(answers[name])
        return Intake(**answers)

    return make
