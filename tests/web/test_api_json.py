"""The API's JSON, written part by part with the shared parts reused, is byte for byte what
pydantic writes for the whole recommendation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recommender.model.intake import Intake
from recommender.web.app.state import service
from tests.web.conftest import API_BASELINE

ANSWERS: list[dict[str, Any]] = [
    {},
    {"experience": "advanced", "equipment": ["barbell", "bench"], "days_per_week": 4},
    {"experience": "intermediate", "pain_now": 3, "pain_duration": "over_12_weeks", "equipment": ["kettlebell"]},
    {"red_flags": ["saddle_numbness"]},
    {"red_flags": ["worsening_leg_weakness"]},
    {"red_flags": ["osteoporosis_steroids"], "equipment": ["mat", "stability_ball"]},
]


@pytest.mark.parametrize("changes", ANSWERS)
def test_the_api_answers_exactly_the_json_of_the_whole_recommendation(
        app: Flask, client: FlaskClient, changes: dict[str, Any]) -> None:
    answers = {**API_BASELINE, **changes}
    for _ in range(2):  # the second answer comes from the parts kept from the first
        response = client.post("/api/v1/plan", json=answers)
        assert response.status_code == 200
        with app.app_context():
            expected = service().recommend(Intake.model_validate_json(json.dumps(answers))).model_dump_json()
        assert response.get_data(as_text=True) == expected
