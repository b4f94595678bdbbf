"""The FHIR endpoints and the plan page's download of answers for a clinic."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from werkzeug.test import TestResponse

from recommender.engine.recommending import recommend
from recommender.fhir import answers_response, build_questionnaire, check_response, read_response
from recommender.model.intake import Intake, Progress
from recommender.model.ruleset import Ruleset
from recommender.web.app.settings import secret_keys
from recommender.web.app.state import service
from recommender.web.pages.sealed import seal
from tests.conftest import BASELINE, MakeIntake
from tests.strategies import intakes

QUESTIONNAIRE = "/fhir/Questionnaire/lower-back-intake"
PLAN = "/fhir/QuestionnaireResponse/$plan"
FHIR_JSON = "application/fhir+json"


def response_for(app: Flask, intake: Intake) -> dict[str, Any]:
    rules = service(app).ruleset
    return answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))


def post_fhir(client: FlaskClient, resource: object, content_type: str = FHIR_JSON) -> TestResponse:
    return client.post(PLAN, data=json.dumps(resource), content_type=content_type)


def outcome_of(response: TestResponse) -> OperationOutcome:
    assert response.mimetype == FHIR_JSON
    return OperationOutcome.model_validate(response.get_json(force=True))


# --- the Questionnaire ------------------------------------------------------------------

def test_the_questionnaire_is_served_as_fhir_json(client: FlaskClient, app: Flask) -> None:
    response = client.get(QUESTIONNAIRE)
    assert response.status_code == 200
    assert response.mimetype == FHIR_JSON
    body = response.get_json(force=True)
    Questionnaire.model_validate(body)
    assert body == build_questionnaire(service(app).ruleset)


# --- $plan ------------------------------------------------------------------------------

# The round trip the issue asks for: intake -> QuestionnaireResponse -> $plan == /api/v1/plan.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=intakes())
def test_a_response_gets_exactly_the_plan_the_api_gives(client: FlaskClient, app: Flask, intake: Intake) -> None:
    from_fhir = post_fhir(client, response_for(app, intake))
    from_api = client.post("/api/v1/plan", json=intake.model_dump(mode="json"))
    assert from_fhir.status_code == from_api.status_code == 200
    assert from_fhir.mimetype == from_api.mimetype == "application/json"
    assert from_fhir.get_data() == from_api.get_data()


def test_plain_json_is_accepted_too(client: FlaskClient, app: Flask) -> None:
    response = post_fhir(client, response_for(app, Intake.model_validate(BASELINE)), "application/json")
    assert response.status_code == 200
    assert response.get_json()["triage"]["level"] == "clear"


def test_bad_answers_get_a_422_operation_outcome_naming_the_question(client: FlaskClient, app: Flask) -> None:
    resource = response_for(app, Intake.model_validate(BASELINE))
    resource["item"][0]["answer"] = [{"valueInteger": 15}]
    response = post_fhir(client, resource)
    assert response.status_code == 422
    [issue] = outcome_of(response).issue
    assert (issue.severity, issue.code) == ("error", "value")
    assert issue.expression == ["QuestionnaireResponse.item.where(linkId='age')"]
    assert "16 and over" in (issue.diagnostics or "")


def test_answers_to_another_questionnaire_are_refused(client: FlaskClient, app: Flask) -> None:
    resource = {**response_for(app, Intake.model_validate(BASELINE)),
                "questionnaire": "http://other.example/Questionnaire/knee"}
    response = post_fhir(client, resource)
    assert response.status_code == 422
    assert outcome_of(response).issue[0].expression == ["QuestionnaireResponse.questionnaire"]


@pytest.mark.parametrize(("send", "status"), [
    ({"data": "{not json", "content_type": FHIR_JSON}, 400),
    ({"data": "[" * 5000 + "]" * 5000, "content_type": FHIR_JSON}, 400),
    ({"data": "age=40", "content_type": "application/x-www-form-urlencoded"}, 415),
    ({"data": "{}", "content_type": "text/plain"}, 415),
    ({"data": '{"pad": "' + "x" * 64 * 1024 + '"}', "content_type": FHIR_JSON}, 413),
    ({"data": "[]", "content_type": FHIR_JSON}, 422),
])
def test_a_body_that_cannot_be_read_gets_an_operation_outcome(client: FlaskClient, send: dict[str, str],
                                                               status: int) -> None:
    response = client.post(PLAN, **send)
    assert response.status_code == status
    assert outcome_of(response).issue[0].diagnostics


def test_other_methods_and_addresses_under_fhir_answer_in_fhir(client: FlaskClient) -> None:
    wrong_method = client.get(PLAN)
    assert wrong_method.status_code == 405
    assert "POST" in wrong_method.headers["Allow"]
    assert outcome_of(wrong_method).issue[0].code == "not-supported"
    missing = client.get("/fhir/Questionnaire/knee")
    assert missing.status_code == 404
    assert outcome_of(missing).issue[0].code == "not-found"


def test_the_api_names_the_allowed_methods_too(client: FlaskClient) -> None:
    response = client.get("/api/v1/plan")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


# --- the download on the plan page ------------------------------------------------------

def token_on(page: TestResponse) -> str:
    found = re.search(r'<form method="post" action="/plan/fhir" id="sealed-answers">\s*'
                      r'<input type="hidden" name="answers" value="([^"]+)">', page.get_data(as_text=True))
    assert found, "the plan page offers the download as a POST form"
    return found.group(1)


def test_the_plan_page_downloads_the_answers_and_result_for_a_clinic(
        client: FlaskClient, app: Flask, answer_questionnaire: Callable[..., TestResponse]) -> None:
    page = answer_questionnaire(pain_now="3", pain_duration="under_6_weeks", equipment=["mat", "kettlebell"])
    response = client.post("/plan/fhir", data={"answers": token_on(page)})
    assert response.status_code == 200
    assert response.mimetype == FHIR_JSON
    assert response.headers["Content-Disposition"] == 'attachment; filename="lower-back-answers.fhir.json"'
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    resource = response.get_json(force=True)
    QuestionnaireResponse.model_validate(resource)
    rules = service(app).ruleset
    assert check_response(build_questionnaire(rules), resource) == []
    intake = read_response(resource, rules)
    assert (intake.pain_now, intake.pain_duration, intake.equipment) == (3, "under_6_weeks",
                                                                         frozenset({"mat", "kettlebell"}))
    [observation] = resource["contained"]
    assert observation["valueCodeableConcept"]["coding"][0]["code"] == recommend(intake, rules).triage.level


def test_a_withheld_plan_can_be_downloaded_for_the_clinic_too(
        client: FlaskClient, answer_questionnaire: Callable[..., TestResponse]) -> None:
    page = answer_questionnaire(no_red_flags=None, red_flags=["night_pain"], pain_now="3",
                                pain_duration="under_6_weeks")
    response = client.post("/plan/fhir", data={"answers": token_on(page)})
    assert response.status_code == 200
    assert response.get_json(force=True)["contained"][0]["valueCodeableConcept"]["coding"][0]["code"] == "urgent"


def old_token(app: Flask) -> str:
    return seal(Intake.model_validate(BASELINE), secret_keys(app), made_at=time.time() - 3 * 60 * 60)


@pytest.mark.parametrize(("answers", "message"), [
    (lambda app: "not-a-token", "could not be read"),
    (lambda app: None, "could not be read"),
    (old_token, "more than two hours old"),
])
def test_an_unreadable_or_old_download_gets_a_clear_page(client: FlaskClient, app: Flask,
                                                         answers: Callable[[Flask], str | None],
                                                         message: str) -> None:
    token = answers(app)
    response = client.post("/plan/fhir", data={} if token is None else {"answers": token})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)


def test_the_download_is_never_a_get(client: FlaskClient) -> None:
    assert client.get("/plan/fhir").status_code == 405


def test_a_check_in_sent_as_a_questionnaire_response_gets_the_same_decision_as_the_api(
        client: FlaskClient, rules: Ruleset, make_intake: MakeIntake) -> None:
    report = Progress(tier="beginner", sessions_done=6, pain_during_max=1, next_morning="same",
                      sets_completed="all")
    intake = make_intake(progress=report)
    resource = answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))
    answer = client.post("/fhir/QuestionnaireResponse/$plan", json=resource).get_json()
    assert answer["check_in"]["decision"] == "move_up"
    assert answer == client.post("/api/v1/plan", json=intake.model_dump(mode="json")).get_json()
