"""$plan answers in FHIR resources an EHR can store, and the server says what it can do."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.operationdefinition import OperationDefinition
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.parameters import Parameters
from fhir.resources.R4B.riskassessment import RiskAssessment
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.engine.recommending import recommend
from recommender.fhir import answers_response
from recommender.fhir.questionnaire import BASE
from recommender.model.ruleset import Ruleset
from tests.conftest import MakeIntake

PLAN = "/fhir/QuestionnaireResponse/$plan"
FHIR_JSON = "application/fhir+json"
Json = dict[str, Any]


@pytest.fixture
def answers(rules: Ruleset, make_intake: MakeIntake) -> Json:
    """A QuestionnaireResponse: a beginner with no pain and a mat."""
    intake = make_intake(experience="beginner", equipment={"mat"})
    return answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))


def as_parameters(response: Json) -> Json:
    return {"resourceType": "Parameters", "parameter": [{"name": "response", "resource": response}]}


def post(client: FlaskClient, resource: Json, **headers: str) -> TestResponse:
    return client.post(PLAN, data=json.dumps(resource), content_type=FHIR_JSON, headers=headers)


def outputs(response: TestResponse) -> dict[str, Json]:
    assert response.status_code == 200
    assert response.mimetype == FHIR_JSON
    body = response.get_json(force=True)
    Parameters.model_validate(body)
    return {part["name"]: part["resource"] for part in body["parameter"]}


def test_parameters_get_a_risk_assessment_and_a_care_plan_that_validate_as_r4(
        client: FlaskClient, answers: Json) -> None:
    found = outputs(post(client, as_parameters(answers)))
    assert set(found) == {"riskAssessment", "carePlan"}
    RiskAssessment.model_validate(found["riskAssessment"])
    CarePlan.model_validate(found["carePlan"])
    risk, plan = found["riskAssessment"], found["carePlan"]
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == "clear"
    assert (plan["status"], plan["intent"]) == ("active", "proposal")
    assert plan["category"][0]["coding"][0]["code"] == "beginner"
    assert plan["activity"] and all(activity["detail"]["status"] == "not-started" for activity in plan["activity"])
    # Both can go into the EHR together, as a transaction or a collection.
    Bundle.model_validate({"resourceType": "Bundle", "type": "collection",
                           "entry": [{"resource": resource} for resource in found.values()]})


def test_the_plan_is_the_one_the_json_api_gives(client: FlaskClient, answers: Json, rules: Ruleset,
                                                make_intake: MakeIntake) -> None:
    found = outputs(post(client, as_parameters(answers)))
    intake = make_intake(experience="beginner", equipment={"mat"})
    plan = recommend(intake, rules).plan
    assert plan is not None
    start = next(tier for tier in plan.tiers if tier.is_start)
    assert [activity["detail"]["code"]["coding"][0]["code"] for activity in found["carePlan"]["activity"]] == [
        exercise.id for exercise in start.exercises]


def test_a_withheld_plan_gets_a_risk_assessment_with_each_finding_and_no_care_plan(
        client: FlaskClient, rules: Ruleset, make_intake: MakeIntake) -> None:
    intake = make_intake(red_flags={"bladder_bowel_change"})
    response = answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))
    found = outputs(post(client, as_parameters(response)))
    assert set(found) == {"riskAssessment"}
    RiskAssessment.model_validate(found["riskAssessment"])
    predictions = found["riskAssessment"]["prediction"]
    assert predictions[0]["outcome"]["coding"][0]["code"] == "emergency"
    assert len(predictions) == 1 + len(recommend(intake, rules).triage.reasons)


SNOMED_LOW_BACK_PAIN = {"system": "http://snomed.info/sct", "code": "279039007", "display": "Low back pain"}


@pytest.mark.parametrize(("pain", "filed"), [
    ({}, False),
    ({"pain_now": 3, "pain_duration": "under_6_weeks"}, True),
    ({"pain_now": 0, "pain_duration": "over_12_weeks"}, True),
])
def test_low_back_pain_is_filed_as_the_reason_only_for_a_person_who_reports_pain(
        client: FlaskClient, rules: Ruleset, make_intake: MakeIntake, pain: dict[str, Any], filed: bool) -> None:
    intake = make_intake(experience="beginner", equipment={"mat"}, **pain)
    response = answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))
    found = outputs(post(client, as_parameters(response)))
    assert set(found) == {"riskAssessment", "carePlan"}
    reasons = [coding for reason in found["riskAssessment"].get("reasonCode", []) for coding in reason["coding"]]
    assert (SNOMED_LOW_BACK_PAIN in reasons) is filed
    assert ("addresses" in found["carePlan"]) is filed


def test_the_results_are_about_the_subject_the_response_names(client: FlaskClient, answers: Json) -> None:
    found = outputs(post(client, as_parameters({**answers, "subject": {"reference": "Patient/123"}})))
    assert found["riskAssessment"]["subject"] == found["carePlan"]["subject"] == {"reference": "Patient/123"}


def test_a_bare_response_asking_for_fhir_gets_fhir_resources(client: FlaskClient, answers: Json) -> None:
    found = outputs(post(client, answers, Accept=FHIR_JSON))
    assert set(found) == {"riskAssessment", "carePlan"}


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
def test_a_bare_response_sent_as_before_keeps_the_plan_json(client: FlaskClient, answers: Json,
                                                            accept: str | None) -> None:
    response = post(client, answers, **({"Accept": accept} if accept else {}))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["triage"]["level"] == "clear"
    assert "Accept" in response.headers["Vary"]


def test_an_answer_to_a_clinics_origin_says_it_varies_by_accept_and_by_origin(client: FlaskClient,
                                                                             answers: Json) -> None:
    response = post(client, answers, Origin="https://clinic.example", **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://clinic.example"
    varies_by = {name.strip() for header in response.headers.getlist("Vary") for name in header.split(",")}
    assert {"Accept", "Origin", "Accept-Encoding", "Accept-Language"} <= varies_by


@pytest.mark.parametrize("parameters", [
    {"resourceType": "Parameters"},
    {"resourceType": "Parameters", "parameter": [{"name": "answers", "resource": {}}]},
    {"resourceType": "Parameters", "parameter": [{"name": "response", "valueString": "x"}]},
])
def test_parameters_without_one_response_get_a_422_naming_the_parameter(client: FlaskClient, parameters: Json) -> None:
    response = post(client, parameters)
    assert response.status_code == 422
    [issue] = OperationOutcome.model_validate(response.get_json(force=True)).issue
    assert issue.expression == ["Parameters.parameter"]
    assert "'response'" in (issue.diagnostics or "")


def test_the_answers_in_parameters_are_checked_like_a_bare_response(client: FlaskClient, answers: Json) -> None:
    answers["item"][0]["answer"] = [{"valueInteger": 15}]
    response = post(client, as_parameters(answers))
    assert response.status_code == 422
    [issue] = OperationOutcome.model_validate(response.get_json(force=True)).issue
    assert issue.expression == ["QuestionnaireResponse.item.where(linkId='age')"]


# --- what the server can do ---------------------------------------------------------------

def fhir_get(client: FlaskClient, path: str) -> Json:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == FHIR_JSON
    body: Json = response.get_json(force=True)
    return body


def test_metadata_is_a_capability_statement_naming_the_plan_operation(client: FlaskClient) -> None:
    statement = fhir_get(client, "/fhir/metadata")
    CapabilityStatement.model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    [rest] = statement["rest"]
    resources = {resource["type"]: resource for resource in rest["resource"]}
    [operation] = resources["QuestionnaireResponse"]["operation"]
    assert operation["name"] == "plan"
    definition = fhir_get(client, "/fhir/OperationDefinition/QuestionnaireResponse-plan")
    assert OperationDefinition.model_validate(definition).url == operation["definition"]


def test_the_operation_definition_names_its_input_and_outputs(client: FlaskClient) -> None:
    definition = fhir_get(client, "/fhir/OperationDefinition/QuestionnaireResponse-plan")
    assert {(part["name"], part["use"], part["type"]) for part in definition["parameter"]} == {
        ("response", "in", "QuestionnaireResponse"), ("riskAssessment", "out", "RiskAssessment"),
        ("carePlan", "out", "CarePlan")}


def codings(value: Any) -> list[Json]:
    if isinstance(value, dict):
        own = [value] if "system" in value and "code" in value else []
        return own + [coding for item in value.values() for coding in codings(item)]
    if isinstance(value, list):
        return [coding for item in value for coding in codings(item)]
    return []


def test_every_code_of_ours_is_in_a_code_system_the_service_serves(
        client: FlaskClient, rules: Ruleset, make_intake: MakeIntake, answers: Json) -> None:
    intake = make_intake(red_flags={"night_pain"})
    urgent = answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))
    used = codings([fhir_get(client, "/fhir/Questionnaire/lower-back-intake"), answers, urgent,
                    post(client, as_parameters(answers)).get_json(force=True),
                    post(client, as_parameters(urgent)).get_json(force=True)])
    ours = {(coding["system"], coding["code"]) for coding in used if coding["system"].startswith(BASE)}
    systems = {system for system, _ in ours}
    assert len(systems) >= 8
    for system in systems:
        served = fhir_get(client, "/fhir/" + system.removeprefix(f"{BASE}/"))
        assert CodeSystem.model_validate(served).url == system
        codes = {concept["code"] for concept in served["concept"]}
        assert {code for named, code in ours if named == system} <= codes, system


def test_an_unknown_code_system_is_a_404_operation_outcome(client: FlaskClient) -> None:
    response = client.get("/fhir/CodeSystem/knee")
    assert response.status_code == 404
    assert OperationOutcome.model_validate(response.get_json(force=True)).issue[0].code == "not-found"


def test_the_questionnaire_declares_the_sdc_profile(client: FlaskClient) -> None:
    questionnaire = fhir_get(client, "/fhir/Questionnaire/lower-back-intake")
    assert questionnaire["meta"]["profile"] == ["http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"]
