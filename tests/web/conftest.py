from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.web import create_app
from tests.conftest import BASELINE

# The questionnaire as a person who has no pain, no signs and no equipment would send it.
FORM_BASELINE: dict[str, Any] = {
    "age": "35",
    "experience": "none",
    "pain_now": "0",
    "pain_duration": "none",
    "pain_below_knee": "no",
    "back_surgery_or_injury": "no",
    "no_red_flags": "y",
    "no_health_flags": "y",
    "days_per_week": "3",
}

# A check-in's report after two good weeks on the beginner tier, as the form sends it.
TWO_GOOD_WEEKS_FORM: dict[str, str] = {
    "progress_tier": "beginner", "progress_sessions_done": "6", "progress_pain_during_max": "1",
    "progress_next_morning": "same", "progress_sets_completed": "all",
}

# The same person as the API would be sent them: sets become JSON lists.
API_BASELINE: dict[str, Any] = {
    name: sorted(value) if isinstance(value, frozenset) else value for name, value in BASELINE.items()
}


@pytest.fixture(scope="session")
def app() -> Flask:
    return create_app({"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def answer_questionnaire(client: FlaskClient) -> Callable[..., TestResponse]:
    """Send the form with the baseline answers, changed or removed (value None) as given."""

    def send(**changes: Any) -> TestResponse:
        answers = {**FORM_BASELINE, **changes}
        return client.post("/plan", data={k: v for k, v in answers.items() if v is not None})

    return send


@pytest.fixture
def ask_api(client: FlaskClient) -> Callable[..., TestResponse]:
    def send(**changes: Any) -> TestResponse:
        return client.post("/api/v1/plan", json={**API_BASELINE, **changes})

    return send
