"""Random and hostile input for every way in: a plan or messages that name the fields, never a 5xx.

- schemathesis runs each operation in our OpenAPI description with all of its checks: the
  examples, the boundaries of every field (the coverage phase) and generated requests, both
  schema-valid (they must be answered) and schema-invalid (they must be refused).
- hypothesis sends valid and hostile answers through the JSON API, the form and FHIR $plan.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import markupsafe
import schemathesis
from fhir.resources.R4B.operationoutcome import OperationOutcome
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from recommender.engine.recommending import recommend
from recommender.fhir import answers_response
from recommender.model.intake import Intake
from recommender.web import create_app
from recommender.web.app.state import service
from tests.json_tools import put_at
from tests.strategies import intakes, json_values
from tests.web.conftest import API_BASELINE, FORM_BASELINE

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- schemathesis: every operation in the OpenAPI description, with every check ------------

# Loaded when the tests are collected: schemathesis makes one test per operation from it.
openapi = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app({"TESTING": True}))


# Schemathesis reads a WSGI answer as it comes, without undoing compression.
UNCOMPRESSED = {"Accept-Encoding": "identity"}


@openapi.parametrize()  # type: ignore[untyped-decorator]  # schemathesis is not followed (pyproject.toml)
@settings(max_examples=300, deadline=None)
def test_every_api_operation_passes_every_schemathesis_check(case: schemathesis.Case[Any]) -> None:
    if case.operation.path == "/fhir/QuestionnaireResponse/$plan":
        # Its schema checks the QuestionnaireResponse's shape; which answers fit is the
        # Questionnaire's to say, so a response of the right shape may still get a 422 that
        # names each question, and must not be counted as valid data refused.
        case.call_and_validate(headers=UNCOMPRESSED, excluded_checks=[positive_data_acceptance])
    else:
        case.call_and_validate(headers=UNCOMPRESSED)


# --- the JSON API -------------------------------------------------------------------------

any_json = json_values(max_text=20, max_key=8, max_children=4, max_leaves=12)


@settings(FUZZ, max_examples=400)
@given(changes=st.dictionaries(st.sampled_from([*API_BASELINE, "extra"]), any_json, max_size=4),
       dropped=st.sets(st.sampled_from(list(API_BASELINE)), max_size=2))
def test_any_json_object_gets_a_plan_or_errors_that_name_fields(
        client: FlaskClient, changes: dict[str, Any], dropped: set[str]) -> None:
    body = {k: v for k, v in {**API_BASELINE, **changes}.items() if k not in dropped or k in changes}
    response = client.post("/api/v1/plan", json=body)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        errors = response.get_json()["errors"]
        assert errors
        assert {error["field"] for error in errors} <= set(body) | set(API_BASELINE)
        assert all(error["message"] for error in errors)


@settings(FUZZ, max_examples=200)
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_a_400_or_422_never_a_500(client: FlaskClient, raw: bytes) -> None:
    response = client.post("/api/v1/plan", data=raw, content_type="application/json")
    assert response.status_code in (400, 422)


# --- the form -----------------------------------------------------------------------------

def as_form(intake: Intake) -> dict[str, Any]:
    """The answers as a person would tick them on the form."""
    answers = intake.model_dump(mode="json")
    # A question left unanswered (null) is a field left empty.
    form: dict[str, Any] = {name: str(value) for name, value in answers.items()
                            if value is not None and not isinstance(value, list)}
    for name in ("pain_below_knee", "back_surgery_or_injury"):
        form[name] = "yes" if answers[name] else "no"
    for name in ("red_flags", "health_flags", "equipment"):
        form[name] = answers[name]
    for name in ("red_flags", "health_flags"):
        if not answers[name]:
            form[f"no_{name}"] = "y"
    for name in ("heart_condition_details", "cancer_details"):
        if answers.get(name) is not None:
            form[name] = answers[name]
            if not answers[name]:
                form[f"no_{name}"] = "y"
    return form


@settings(FUZZ, max_examples=150)
@given(intake=intakes())
def test_any_valid_answers_on_the_form_get_the_result_the_api_gives(client: FlaskClient, intake: Intake) -> None:
    page = client.post("/plan", data=as_form(intake))
    api = client.post("/api/v1/plan", json=intake.model_dump(mode="json"))
    assert page.status_code == api.status_code == 200, (intake, page.get_data(as_text=True)[-3000:])
    triage = api.get_json()["triage"]
    assert f">{markupsafe.escape(triage['title'])}</h1>" in page.get_data(as_text=True)


form_fields = [*FORM_BASELINE, "red_flags", "health_flags", "equipment", "unexpected"]


@settings(FUZZ, max_examples=300)
@given(changes=st.dictionaries(st.sampled_from(form_fields),
                               st.lists(st.text(max_size=12), min_size=1, max_size=3), max_size=5))
def test_any_form_post_gets_a_plan_or_the_form_with_messages(client: FlaskClient,
                                                              changes: dict[str, list[str]]) -> None:
    response = client.post("/plan", data={**FORM_BASELINE, **changes})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        page = response.get_data(as_text=True)
        assert "Please check" in page
        assert 'class="field-error"' in page
        named = re.findall(r'<li><a href="#q-(\w+)">', page)
        assert named
        assert set(named) <= set(Intake.model_fields)


# --- FHIR $plan ---------------------------------------------------------------------------

PLAN = "/fhir/QuestionnaireResponse/$plan"
places_in_a_response = st.sampled_from([
    ("item",), ("item", 0), ("item", 0, "answer"), ("item", 0, "answer", 0, "valueInteger"),
    ("item", 1, "answer", 0, "valueCoding", "code"), ("item", 2, "linkId"), ("item", 4, "answer", 0),
    ("item", 6, "answer"), ("item", 7, "answer", 0, "valueCoding"), ("questionnaire",), ("status",),
    ("resourceType",), ("contained",), ("extra",),
])


@settings(FUZZ, max_examples=300)
@given(intake=intakes(), changes=st.lists(st.tuples(places_in_a_response, any_json), max_size=3))
def test_any_questionnaire_response_gets_a_plan_or_an_outcome_naming_each_question(
        client: FlaskClient, app: Flask, intake: Intake, changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    rules = service(app).ruleset
    resource = answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))
    for place, value in changes:
        put_at(resource, place, value)
    response = client.post(PLAN, data=json.dumps(resource), content_type="application/fhir+json")
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        outcome = OperationOutcome.model_validate(response.get_json(force=True))
        for issue in outcome.issue:
            assert issue.severity == "error"
            assert issue.diagnostics
            [expression] = issue.expression or [""]
            assert expression is not None and expression.startswith("QuestionnaireResponse")


@settings(FUZZ, max_examples=150)
@given(raw=st.binary(max_size=200))
def test_any_bytes_sent_to_fhir_get_a_400_or_422_never_a_500(client: FlaskClient, raw: bytes) -> None:
    response = client.post(PLAN, data=raw, content_type="application/fhir+json")
    assert response.status_code in (400, 422)
    OperationOutcome.model_validate(response.get_json(force=True))
