"""POST /api/v1/plan: the public contract clinics integrate with, and its bad-input answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import API_BASELINE

AskApi = Callable[..., TestResponse]


def test_a_valid_intake_gets_triage_plan_and_rules_version(ask_api: AskApi) -> None:
    response = ask_api(experience="intermediate", equipment=["kettlebell", "mat"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["triage"]["level"] == "clear"
    assert isinstance(body["triage"]["action"], str)
    assert body["triage"]["reasons"] == []
    assert body["rules_version"] == "3.0.0"
    assert len(body["rules_sha256"]) == 64
    plan = body["plan"]
    assert plan["start_tier"] == "intermediate"
    assert [tier["tier"] for tier in plan["tiers"]] == ["beginner", "intermediate", "advanced"]
    for tier in plan["tiers"]:
        assert tier["move_on_when"]
        for exercise in tier["exercises"]:
            assert set(exercise) >= {"id", "name", "equipment", "dose", "why"}
            assert set(exercise["equipment"]) <= {"kettlebell", "mat"}


def test_reasons_carry_an_id_and_a_text(ask_api: AskApi) -> None:
    body = ask_api(red_flags=["night_pain"], pain_now=2, pain_duration="under_6_weeks").get_json()
    assert body["triage"]["level"] == "urgent"
    assert body["plan"] is None
    assert {"id": "constant-night-pain"}.items() <= body["triage"]["reasons"][0].items()
    assert body["triage"]["reasons"][0]["text"]


def test_an_emergency_answer_gets_no_plan(ask_api: AskApi) -> None:
    body = ask_api(red_flags=["bladder_bowel_change"], experience="advanced",
                   equipment=["barbell", "power_rack"]).get_json()
    assert body["triage"]["level"] == "emergency"
    assert body["plan"] is None


def fields_named(response: TestResponse) -> list[str]:
    return [error["field"] for error in response.get_json()["errors"]]


@pytest.mark.parametrize(("changes", "field"), [
    ({"age": "35"}, "age"),
    ({"age": 35.5}, "age"),
    ({"pain_below_knee": "no"}, "pain_below_knee"),
    ({"pain_below_knee": 0}, "pain_below_knee"),
    ({"experience": "expert"}, "experience"),
    ({"red_flags": ["saddle_numbness", "headache"]}, "red_flags"),
    ({"red_flags": "saddle_numbness"}, "red_flags"),
    ({"equipment": ["treadmill"]}, "equipment"),
    ({"age": 15}, "age"),
    ({"age": 101}, "age"),
    ({"pain_now": -1}, "pain_now"),
    ({"pain_now": 11}, "pain_now"),
    ({"days_per_week": 5}, "days_per_week"),
    ({"pain_now": 4, "pain_duration": "none"}, "pain_duration"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
], ids=lambda v: str(v))
def test_each_bad_answer_is_a_422_naming_its_field(ask_api: AskApi, changes: dict[str, object], field: str) -> None:
    response = ask_api(**changes)
    assert response.status_code == 422
    assert fields_named(response) == [field]
    assert response.get_json()["errors"][0]["message"]


def test_every_missing_field_is_named_at_once(client: FlaskClient) -> None:
    response = client.post("/api/v1/plan", json={"age": 40})
    assert response.status_code == 422
    assert fields_named(response) == [name for name in API_BASELINE if name != "age"]


def test_a_json_value_that_is_not_an_object_is_a_422(client: FlaskClient) -> None:
    response = client.post("/api/v1/plan", json=[API_BASELINE])
    assert response.status_code == 422
    assert fields_named(response) == ["body"]


def test_a_body_that_is_not_json_is_refused(client: FlaskClient) -> None:
    as_form = client.post("/api/v1/plan", data={"age": "40"})
    assert as_form.status_code == 415
    broken = client.post("/api/v1/plan", data="{not json", content_type="application/json")
    assert broken.status_code == 400
    assert fields_named(broken) == ["body"]


def test_a_body_over_64_kb_is_a_413(client: FlaskClient) -> None:
    padding = "x" * (64 * 1024)
    response = client.post("/api/v1/plan", data=f'{{"age": 40, "pad": "{padding}"}}',
                           content_type="application/json")
    assert response.status_code == 413
    assert "64 KB" in response.get_json()["detail"]


def test_a_422_is_problem_details_naming_the_field(ask_api: AskApi) -> None:
    response = ask_api(age=15)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 422
    assert problem["type"] == "http://localhost/api#statuses"
    assert problem["title"] == "The answers cannot be used"
    assert problem["detail"] == problem["errors"][0]["message"]
    assert fields_named(response) == ["age"]


@pytest.mark.parametrize(("method", "path", "status", "title"), [
    ("GET", "/api/v1/plan", 405, "Method Not Allowed"),
    ("POST", "/api/v1/nothing", 404, "Not Found"),
])
def test_other_methods_and_addresses_answer_with_plain_http_problem_details(
        client: FlaskClient, method: str, path: str, status: int, title: str) -> None:
    response = client.open(path, method=method, json={})
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {"type": "about:blank", "title": title, "status": status,
                                   "detail": response.get_json()["detail"], "errors": []}
    assert response.get_json()["detail"]
