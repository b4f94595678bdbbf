"""FHIR R4 for clinics' systems: the intake Questionnaire, a plan from a QuestionnaireResponse,
what the server can do (CapabilityStatement, OperationDefinition, CodeSystems), and the plan
page's "Download answers for your clinic", made on the fly and never stored.

`$plan` answers in FHIR (Parameters holding a RiskAssessment and a CarePlan) when it is sent
Parameters, or a bare QuestionnaireResponse with `Accept: application/fhir+json`; a bare
QuestionnaireResponse sent as before gets the plan JSON of `POST /api/v1/plan`, as it always did."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from recommender.fhir import (
    QUESTIONNAIRE_ID,
    ResponseRejected,
    answers_response,
    build_questionnaire,
    operation_outcome,
    read_response,
)
from recommender.fhir.results import (
    PLAN_OPERATION,
    NotParameters,
    capability_statement,
    code_systems,
    operation_definition,
    plan_parameters,
    response_in,
)
from recommender.model.ruleset import Ruleset
from recommender.web.api import strictjson
from recommender.web.api.responses import FHIR_JSON, error_outcome, fhir_json, plan_response
from recommender.web.api.strictjson import DuplicateKey
from recommender.web.app.settings import secret_keys
from recommender.web.app.state import public_url, service
from recommender.web.pages.sealed import UnreadableAnswers, unseal

bp = Blueprint("fhir", __name__)

ACCEPTED_TYPES = (FHIR_JSON, "application/json")
DOWNLOAD_NAME = "lower-back-answers.fhir.json"


@bp.get(f"/fhir/Questionnaire/{QUESTIONNAIRE_ID}")
def questionnaire() -> Response:
    return fhir_json(build_questionnaire(service().ruleset))


@bp.get("/fhir/metadata")
def metadata() -> Response:
    return fhir_json(capability_statement(service().ruleset, public_url("/fhir"),
                                          datetime.now(UTC).date().isoformat()))


@bp.get(f"/fhir/OperationDefinition/{PLAN_OPERATION}")
def plan_operation() -> Response:
    return fhir_json(operation_definition())


@bp.get("/fhir/CodeSystem/<system_id>")
def code_system(system_id: str) -> Response:
    # Read by its id, or by the end of its canonical URL, which may hold an underscore.
    system = _code_systems(service().ruleset).get(system_id.replace("_", "-"))
    if system is None:
        abort(404)
    return fhir_json(system)


@lru_cache(maxsize=4)
def _code_systems(rules: Ruleset) -> dict[str, Any]:
    return code_systems(rules)


def wants_fhir() -> bool:
    return request.accept_mimetypes.best_match(["application/json", FHIR_JSON]) == FHIR_JSON


@bp.post("/fhir/QuestionnaireResponse/$plan")
def plan() -> Response | tuple[Response, int]:
    """The triage and plan for the answers in a QuestionnaireResponse, sent bare or as the
    `response` of Parameters: as FHIR resources, or as the plan JSON (see above)."""
    if request.mimetype not in ACCEPTED_TYPES:
        return error_outcome(415, "Send the QuestionnaireResponse as JSON, with Content-Type: "
                                  "application/fhir+json.")
    body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 before parsing
    try:
        resource = strictjson.loads(body)
    except DuplicateKey as repeated:
        return error_outcome(400, str(repeated))
    except (ValueError, RecursionError):
        return error_outcome(400, "The body is not valid JSON.")
    as_fhir = wants_fhir()
    if isinstance(resource, dict) and resource.get("resourceType") == "Parameters":
        try:
            resource, as_fhir = response_in(resource), True
        except NotParameters as refused:
            return fhir_json(refused.outcome, 422)
    try:
        intake = read_response(resource, service().ruleset)
    except ResponseRejected as rejected:
        return fhir_json(operation_outcome(rejected.issues), 422)
    recommendation = service().recommend(intake)
    if not as_fhir:
        response = plan_response(recommendation)
    else:
        subject = resource.get("subject")
        response = fhir_json(plan_parameters(intake, recommendation, service().ruleset, datetime.now(UTC),
                                             subject if isinstance(subject, dict) else None))
    response.vary.add("Accept")
    return response, 200


@bp.post("/plan/fhir")
def download() -> Response | tuple[str, int]:
    """The person's answers and triage result as a QuestionnaireResponse file for their clinic.

    The answers arrive sealed in a form field (never in the URL), and the result is worked out
    again with the current rules rather than taken from the page.
    """
    try:
        intake = unseal(request.form.get("answers", ""), secret_keys(current_app))
    except UnreadableAnswers as problem:
        return render_template("errors/error.html", status=400, message=str(problem)), 400
    resource = answers_response(intake, service().recommend(intake), service().ruleset, datetime.now(UTC))
    response = fhir_json(resource)
    response.headers["Content-Disposition"] = f'attachment; filename="{DOWNLOAD_NAME}"'
    response.headers["Cache-Control"] = "no-store"
    return response
