"""What the service sends in FHIR is valid R4 to a second, independent validator: FHIR.js.

fhir.resources checks the same resources in Python; FHIR.js (the npm package `fhir`) reads
them as a JavaScript client of a clinic's system would, against the R4 structure definitions,
and reports any element R4 does not know. scripts/test installs it into .cache/node-tools.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recommender.engine.recommending import recommend
from recommender.fhir import answers_response
from recommender.fhir.questionnaire import BASE
from recommender.model.intake import Intake, Progress
from recommender.web.app.state import service
from tests.conftest import BASELINE, PROJECT

FHIR_JS = PROJECT / ".cache" / "node-tools" / "node_modules" / "fhir"
SCRIPT = PROJECT / "tests" / "web" / "fhir_js_validate.js"
PLAN = "/fhir/QuestionnaireResponse/$plan"
Json = dict[str, Any]

REPORT = Progress(tier="beginner", sessions_done=6, pain_during_max=1, next_morning="same", sets_completed="all")
FIRST_VISIT = Intake.model_validate({**BASELINE, "experience": "beginner", "equipment": frozenset({"mat"})})
CHECK_IN = FIRST_VISIT.model_copy(update={"progress": REPORT})
WITHHELD = FIRST_VISIT.model_copy(update={"red_flags": frozenset({"saddle_numbness"})})


# R4 binds these elements to example value sets, which allow any code: FHIR.js warns about
# every code that is not in the example set, so our own codes there are no problem. The same
# code anywhere else, or any other warning, still is one.
EXAMPLE_BINDINGS = frozenset({
    "Observation.code", "Observation.component.code", "RiskAssessment.prediction.qualitativeRisk",
    "CarePlan.category", "CarePlan.activity.detail.code",
})
OUR_CODE = re.compile(r'^warning at (?P<element>[\w.\[\]]+): Code "[^"]*" \((?P<system>[^)]*)\) '
                      r"not found in value set$")


def is_our_code_in_an_example_binding(problem: str) -> bool:
    found = OUR_CODE.match(problem)
    return bool(found and found["system"].startswith(f"{BASE}/CodeSystem/")
                and re.sub(r"\[\d+\]", "", found["element"]) in EXAMPLE_BINDINGS)


def validate(resources: dict[str, Json]) -> dict[str, list[str]]:
    """The errors and warnings FHIR.js finds in each resource, by name."""
    node = shutil.which("node")
    assert node, "FHIR.js needs Node.js on the PATH"
    assert FHIR_JS.is_dir(), f"FHIR.js is missing: run ./scripts/test, which installs it at {FHIR_JS}"
    run = subprocess.run([node, str(SCRIPT), str(FHIR_JS)], input=json.dumps(resources), capture_output=True,
                         text=True, timeout=120, check=True)
    found: dict[str, list[str]] = json.loads(run.stdout)
    return {name: [problem for problem in problems if not is_our_code_in_an_example_binding(problem)]
            for name, problems in found.items()}


def answers_to(app: Flask, intake: Intake) -> Json:
    rules = service(app).ruleset
    return answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))


def plan_in_fhir(client: FlaskClient, app: Flask, intake: Intake) -> Json:
    parameters = {"resourceType": "Parameters",
                  "parameter": [{"name": "response", "resource": answers_to(app, intake)}]}
    response = client.post(PLAN, json=parameters)
    assert response.status_code == 200
    answer: Json = response.get_json(force=True)
    return answer


@pytest.fixture(scope="module")
def sent(app: Flask) -> dict[str, Json]:
    """Every kind of FHIR resource the service sends, by name."""
    client = app.test_client()
    plan, withheld = plan_in_fhir(client, app, FIRST_VISIT), plan_in_fhir(client, app, WITHHELD)
    outputs = {part["name"]: part["resource"] for part in plan["parameter"]}
    bad_answers = answers_to(app, FIRST_VISIT)
    bad_answers["item"][0]["answer"] = [{"valueInteger": 15}]
    refused = client.post(PLAN, json=bad_answers)
    assert refused.status_code == 422
    return {
        "Questionnaire": client.get("/fhir/Questionnaire/lower-back-intake").get_json(force=True),
        "QuestionnaireResponse, first visit": answers_to(app, FIRST_VISIT),
        "QuestionnaireResponse, check-in": answers_to(app, CHECK_IN),
        "$plan answer": plan,
        "$plan answer, plan withheld": withheld,
        "RiskAssessment": outputs["riskAssessment"],
        "CarePlan": outputs["carePlan"],
        "CapabilityStatement (/fhir/metadata)": client.get("/fhir/metadata").get_json(force=True),
        "OperationDefinition": client.get("/fhir/OperationDefinition/QuestionnaireResponse-plan").get_json(force=True),
        "CodeSystem": client.get("/fhir/CodeSystem/triage-level").get_json(force=True),
        "OperationOutcome": refused.get_json(force=True),
    }


@pytest.fixture(scope="module")
def problems(sent: dict[str, Json]) -> dict[str, list[str]]:
    return validate(sent)


def test_the_resources_checked_are_the_ones_named(sent: dict[str, Json]) -> None:
    assert {name: resource["resourceType"] for name, resource in sent.items()} == {
        "Questionnaire": "Questionnaire",
        "QuestionnaireResponse, first visit": "QuestionnaireResponse",
        "QuestionnaireResponse, check-in": "QuestionnaireResponse",
        "$plan answer": "Parameters",
        "$plan answer, plan withheld": "Parameters",
        "RiskAssessment": "RiskAssessment",
        "CarePlan": "CarePlan",
        "CapabilityStatement (/fhir/metadata)": "CapabilityStatement",
        "OperationDefinition": "OperationDefinition",
        "CodeSystem": "CodeSystem",
        "OperationOutcome": "OperationOutcome",
    }
    check_in = sent["QuestionnaireResponse, check-in"]
    assert "progress" in [item["linkId"] for item in check_in["item"]]
    assert [part["name"] for part in sent["$plan answer"]["parameter"]] == ["riskAssessment", "carePlan"]
    assert [part["name"] for part in sent["$plan answer, plan withheld"]["parameter"]] == ["riskAssessment"]


@pytest.mark.parametrize("name", [
    "Questionnaire", "QuestionnaireResponse, first visit", "QuestionnaireResponse, check-in", "$plan answer",
    "$plan answer, plan withheld", "RiskAssessment", "CarePlan", "CapabilityStatement (/fhir/metadata)",
    "OperationDefinition", "CodeSystem", "OperationOutcome",
])
def test_each_resource_the_service_sends_is_valid_r4_to_fhir_js(problems: dict[str, list[str]], name: str) -> None:
    assert problems[name] == []


def test_fhir_js_finds_what_r4_does_not_allow(sent: dict[str, Json]) -> None:
    # The check above means something only if this validator does report problems.
    broken = {**sent["Questionnaire"], "status": "finished", "colour": "blue"}
    [found] = validate({"broken": broken}).values()
    assert any(problem.startswith("error at Questionnaire.colour") for problem in found)
    assert any('"finished"' in problem for problem in found)


def test_only_our_codes_in_elements_r4_binds_to_examples_are_let_through() -> None:
    assert is_our_code_in_an_example_binding(
        f'warning at CarePlan.activity[2].detail.code: Code "bird-dog" ({BASE}/CodeSystem/exercise) '
        f"not found in value set")
    assert not is_our_code_in_an_example_binding(
        'warning at CarePlan.category[0]: Code "x" (http://other.example/codes) not found in value set')
    assert not is_our_code_in_an_example_binding(
        f'warning at CarePlan.status: Code "x" ({BASE}/CodeSystem/tier) not found in value set')
    assert not is_our_code_in_an_example_binding(
        f'error at CarePlan.category[0]: Code "x" ({BASE}/CodeSystem/tier) not found in value set')
