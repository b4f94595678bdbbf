"""The OpenAPI description and the /api page: generated from the models, true to what is sent."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs
import markupsafe
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.model.intake import PAIN_DURATIONS, PAIN_RANGE, Intake, contradictions
from recommender.model.outcome import Recommendation
from recommender.web.api.openapi import REF
from recommender.web.app.state import service
from tests.conftest import PROJECT

Json = dict[str, Any]


@pytest.fixture(scope="module")
def document(app: Flask) -> Json:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body: Json = response.get_json()
    return body


def validator(document: Json, schema: Json) -> jsonschema_rs.Draft202012Validator:
    """A validator for `schema` that resolves references into the document's components."""
    return jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]})


def references(value: Any) -> list[str]:
    if isinstance(value, dict):
        return ([value["$ref"]] if "$ref" in value else []) + [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


def enums_inlined(document: Json, schema: Any) -> Any:
    """`schema` with each reference to a shared enum replaced by the enum itself."""
    schemas = document["components"]["schemas"]
    if isinstance(schema, dict):
        name = schema.get("$ref", "").rsplit("/", 1)[-1]
        if "enum" in schemas.get(name, {}):
            rest = {key: value for key, value in schema.items() if key != "$ref"}
            return {"type": "string", "enum": schemas[name]["enum"], **rest}
        return {key: enums_inlined(document, value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [enums_inlined(document, value) for value in schema]
    return schema


def response_named(document: Json, response: Json) -> Json:
    """A response, or the shared one it refers to."""
    if "$ref" in response:
        shared: Json = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        return shared
    return response


def without_descriptions(schema: Json) -> Json:
    return {**schema, "properties": {name: {k: v for k, v in field.items() if k != "description"}
                                     for name, field in schema["properties"].items()}}


def test_it_is_openapi_3_1_with_every_reference_in_components(document: Json) -> None:
    assert document["openapi"] == "3.1.0"
    assert "$defs" not in json.dumps(document)
    for reference in references(document):
        kind, name = reference.removeprefix("#/components/").split("/")
        assert name in document["components"][kind]


def test_it_names_its_server_tags_and_license(document: Json) -> None:
    assert document["servers"] == [{"url": "/", "description": "This service"}]
    assert document["info"]["license"]["identifier"] == "Apache-2.0"
    tags = {tag["name"] for tag in document["tags"]}
    for path in document["paths"].values():
        for operation in path.values():
            assert operation["tags"] and set(operation["tags"]) <= tags


@pytest.mark.parametrize("name", ["Tier", "Level", "Equipment"])
def test_each_shared_enum_is_written_once_and_referred_to(document: Json, name: str) -> None:
    values = document["components"]["schemas"][name]["enum"]
    assert json.dumps(document).count(json.dumps(values)) == 1
    assert json.dumps(document).count(f'"#/components/schemas/{name}"') >= 2


def test_the_schemas_are_the_models_own(document: Json) -> None:
    schemas = enums_inlined(document, document["components"]["schemas"])
    intake = Intake.model_json_schema(ref_template=REF)
    for name, schema in intake.pop("$defs", {}).items():
        shown = {key: value for key, value in schemas[name].items() if key != "examples"}
        assert without_descriptions(shown) == without_descriptions(schema)
    assert without_descriptions(schemas["Intake"]) == without_descriptions(intake)
    answer = Recommendation.model_json_schema(mode="serialization", ref_template=REF)
    for name, schema in answer.pop("$defs", {}).items():
        assert schemas[name] == schema
    assert schemas["Recommendation"] == answer


def test_each_field_is_described_by_its_question(document: Json, app: Flask) -> None:
    rules = service(app).ruleset
    schemas = document["components"]["schemas"]
    for name, field in schemas["Intake"]["properties"].items():
        if name == "progress":
            assert rules.progression.title in field["description"]
        else:
            assert field["description"].startswith(rules.wording.questions[name].label)
    for name, field in schemas["Progress"]["properties"].items():
        assert field["description"].startswith(rules.progression.questions[name].label)


def test_the_check_in_example_fits_the_report_schema_and_moves_up(document: Json, client: FlaskClient) -> None:
    [report] = document["components"]["schemas"]["Progress"]["examples"]
    validator(document, {"$ref": REF.format(model="Progress")}).validate(report)
    body = {**document["paths"]["/api/v1/plan"]["post"]["requestBody"]["content"]["application/json"]["example"],
            "pain_now": 0, "progress": report}
    answer = client.post("/api/v1/plan", json=body).get_json()
    assert answer["check_in"]["decision"] == "move_up"


@pytest.mark.parametrize("pain_now", range(PAIN_RANGE[0], PAIN_RANGE[1] + 1))
@pytest.mark.parametrize("pain_duration", PAIN_DURATIONS)
def test_the_schema_states_the_contradiction_the_model_refuses(document: Json, pain_now: int,
                                                              pain_duration: str) -> None:
    intake = {**Intake.model_validate({
        "age": 40, "experience": "none", "pain_now": 0, "pain_duration": "none", "pain_below_knee": False,
        "back_surgery_or_injury": False, "red_flags": frozenset(), "health_flags": frozenset(),
        "equipment": frozenset(), "days_per_week": 3}).model_dump(mode="json"),
        "pain_now": pain_now, "pain_duration": pain_duration}
    valid = validator(document, {"$ref": REF.format(model="Intake")}).is_valid(intake)
    assert valid is not bool(contradictions(pain_now, pain_duration))


def test_the_examples_fit_their_schemas(document: Json) -> None:
    operation = document["paths"]["/api/v1/plan"]["post"]
    request = operation["requestBody"]["content"]["application/json"]
    validator(document, request["schema"]).validate(request["example"])
    for response in operation["responses"].values():
        for content in response_named(document, response).get("content", {}).values():
            if "example" in content:
                validator(document, content["schema"]).validate(content["example"])


REDOCLY = PROJECT / ".cache" / "node-tools" / "node_modules" / ".bin" / "redocly"


def redocly_lint(document: Json, folder: Path) -> list[str]:
    """Each problem Redocly's linter finds with its recommended rules, errors and warnings alike."""
    assert REDOCLY.is_file(), f"Redocly's linter is missing: run ./scripts/test, which installs it at {REDOCLY}"
    node = shutil.which("node")
    assert node, "Redocly's linter needs Node.js on the PATH"
    (folder / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    # No usage data sent from a test run, and no notice of newer versions.
    environment = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    run = subprocess.run([node, str(REDOCLY), "lint", "--extends", "recommended", "--format", "json",
                          "openapi.json"], cwd=folder, env=environment, capture_output=True, text=True, timeout=120)
    found = json.loads(run.stdout)
    return [f"{problem['severity']} {problem['ruleId']} at {problem['location'][0]['pointer']}: {problem['message']}"
            for problem in found["problems"]]


def test_redocly_finds_no_error_or_warning_in_the_description(document: Json, tmp_path: Path) -> None:
    assert redocly_lint(document, tmp_path) == []


def test_redocly_does_report_an_example_that_breaks_its_schema(document: Json, tmp_path: Path) -> None:
    # The check above means something only if the linter does read our examples against their schemas.
    broken = json.loads(json.dumps(document))
    example = broken["paths"]["/api/v1/plan"]["post"]["requestBody"]["content"]["application/json"]["example"]
    example.update(pain_now=3, pain_duration="none")
    [problem] = redocly_lint(broken, tmp_path)
    assert "no-invalid-media-type-examples" in problem


SENT: dict[str, dict[str, Any]] = {
    "200": {"json": {"age": 42, "experience": "beginner", "pain_now": 2.0, "pain_duration": "under_6_weeks",
                     "pain_below_knee": False, "back_surgery_or_injury": False, "red_flags": [],
                     "health_flags": [], "equipment": ["mat", "mat"], "days_per_week": 3}},
    "400": {"data": "{not json", "content_type": "application/json"},
    "413": {"data": '{"pad": "' + "x" * 64 * 1024 + '"}', "content_type": "application/json"},
    "415": {"data": "age=40", "content_type": "application/x-www-form-urlencoded"},
    "422": {"json": {"age": 15}},
    "405": {"method": "GET"},
}
# What any address can answer: 404 elsewhere, 500 on a fault of ours, and 429 and 503 from the
# proxy in front of the service in production.
SHARED = {"404", "429", "500", "503"}


def test_the_documented_status_codes_are_the_ones_the_api_sends(document: Json) -> None:
    assert set(document["paths"]["/api/v1/plan"]["post"]["responses"]) == set(SENT) | SHARED


@pytest.mark.parametrize("status", SENT)
def test_each_answer_fits_its_documented_schema(client: FlaskClient, document: Json, status: str) -> None:
    response: TestResponse = client.open("/api/v1/plan", **{"method": "POST", **SENT[status]})
    assert str(response.status_code) == status
    documented = response_named(document, document["paths"]["/api/v1/plan"]["post"]["responses"][status])[
        "content"]
    assert list(documented) == [response.mimetype]
    validator(document, documented[response.mimetype]["schema"]).validate(response.get_json())


def test_the_questionnaire_operation_describes_what_is_served(client: FlaskClient, document: Json) -> None:
    operation = document["paths"]["/fhir/Questionnaire/lower-back-intake"]["get"]
    [(mimetype, content)] = operation["responses"]["200"]["content"].items()
    response = client.get("/fhir/Questionnaire/lower-back-intake")
    assert response.mimetype == mimetype
    validator(document, content["schema"]).validate(response.get_json(force=True))


# --- the /api page ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(app: Flask) -> str:
    response = app.test_client().get("/api")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    text: str = response.get_data(as_text=True)
    return text


def test_the_api_page_lists_every_field_sent_and_received(page: str, document: Json) -> None:
    schemas = document["components"]["schemas"]
    for name in Intake.model_fields:
        assert f'<dt id="field-{name}"><code>{name}</code>' in page
    for model in ("Recommendation", "Triage", "Plan"):
        assert f'<h3 id="model-{model}">{model}</h3>' in page
        for name in schemas[model]["properties"]:
            assert f"<code>{name}</code>" in page


def test_the_api_page_shows_the_question_and_choices_for_each_field(page: str, app: Flask) -> None:
    wording = service(app).ruleset.wording.questions
    for question in wording.values():
        assert str(markupsafe.escape(question.label)) in page
        for option in question.options:
            if isinstance(option.value, str):
                assert f"<code>{option.value}</code>: {markupsafe.escape(option.label)}" in page


def test_the_api_page_lists_the_status_codes_and_fhir_addresses(page: str, document: Json) -> None:
    for status in document["paths"]["/api/v1/plan"]["post"]["responses"]:
        assert f"<dt><code>{status}</code></dt>" in page
    assert "/fhir/Questionnaire/lower-back-intake" in page
    assert "/fhir/QuestionnaireResponse/$plan" in page


def test_the_api_page_example_is_the_documented_one(page: str, document: Json) -> None:
    [first] = re.findall(r"<h3>Example</h3>\s*<pre[^>]*><code>(.*?)</code></pre>", page, re.S)
    shown = json.loads(str(markupsafe.Markup(first).unescape()))
    assert shown == document["paths"]["/api/v1/plan"]["post"]["requestBody"]["content"]["application/json"][
        "example"]


def test_the_api_page_needs_no_script_styles_or_other_sites(page: str) -> None:
    assert "<script" not in page
    assert "style=" not in page
    assert "<style" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


# --- what JSON Schema allows, the API accepts --------------------------------------------

def test_a_whole_number_written_with_a_decimal_point_is_that_number(ask_api: Callable[..., TestResponse]) -> None:
    # JSON Schema counts 42.0 as an integer, so a client that writes it must get an answer.
    assert ask_api(age=42.0).status_code == 200
    assert ask_api(age=42.5).status_code == 422


def test_a_value_listed_twice_counts_once(ask_api: Callable[..., TestResponse]) -> None:
    twice = ask_api(equipment=["kettlebell", "kettlebell"]).get_json()
    assert twice == ask_api(equipment=["kettlebell"]).get_json()
