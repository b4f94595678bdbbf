"""FHIR R4 for clinics' systems: the intake Questionnaire, a plan from a QuestionnaireResponse,
and the plan page's "Download answers for your clinic", made on the fly and never stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

from recommender.fhir import (
    QUESTIONNAIRE_ID,
    Issue,
    ResponseRejected,
    answers_response,
    build_questionnaire,
    operation_outcome,
    read_response,
)
from recommender.planning import recommend
from recommender.web import ruleset_of
from recommender.web.api import plan_response
from recommender.web.sealed import UnreadableAnswers, unseal

bp = Blueprint("fhir", __name__)

FHIR_JSON = "application/fhir+json"
ACCEPTED_TYPES = (FHIR_JSON, "application/json")
DOWNLOAD_NAME = "lower-back-answers.fhir.json"
# The FHIR issue type for each HTTP error the FHIR endpoints can meet.
ISSUE_TYPES = {400: "structure", 404: "not-found", 405: "not-supported", 413: "too-long", 415: "not-supported"}


def fhir_json(resource: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(resource, ensure_ascii=False), status=status, mimetype=FHIR_JSON)


def error_outcome(status: int, message: str) -> Response:
    """An HTTP error on a FHIR endpoint, as an OperationOutcome."""
    return fhir_json(operation_outcome([Issue(ISSUE_TYPES.get(status, "exception"), message)]), status)


@bp.get(f"/fhir/Questionnaire/{QUESTIONNAIRE_ID}")
def questionnaire() -> Response:
    return fhir_json(build_questionnaire(ruleset_of(current_app)))


@bp.post("/fhir/QuestionnaireResponse/$plan")
def plan() -> Response | tuple[Response, int]:
    """The same plan JSON as POST /api/v1/plan, from answers in a QuestionnaireResponse."""
    if request.mimetype not in ACCEPTED_TYPES:
        return error_outcome(415, "Send the QuestionnaireResponse as JSON, with Content-Type: "
                                  "application/fhir+json.")
    body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 before parsing
    try:
        resource = json.loads(body)
    except (ValueError, RecursionError):
        return error_outcome(400, "The body is not valid JSON.")
    rules = ruleset_of(current_app)
    try:
        intake = read_response(resource, rules)
    except ResponseRejected as rejected:
        return fhir_json(operation_outcome(rejected.issues), 422)
    return plan_response(recommend(intake, rules)), 200


@bp.post("/plan/fhir")
def download() -> Response | tuple[str, int]:
    """The person's answers and triage result as a QuestionnaireResponse file for their clinic.

    The answers arrive sealed in a form field (never in the URL), and the result is worked out
    again with the current rules rather than taken from the page.
    """
    rules = ruleset_of(current_app)
    try:
        intake = unseal(request.form.get("answers", ""), current_app.config["SECRET_KEY"])
    except UnreadableAnswers as problem:
        return render_template("errors/error.html", status=400, message=str(problem)), 400
    resource = answers_response(intake, recommend(intake, rules), rules, datetime.now(UTC))
    response = fhir_json(resource)
    response.headers["Content-Disposition"] = f'attachment; filename="{DOWNLOAD_NAME}"'
    response.headers["Cache-Control"] = "no-store"
    return response
