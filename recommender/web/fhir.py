"""FHIR R4 for clinics' systems: the intake Questionnaire, a plan from a QuestionnaireResponse,
and the plan page's "Download answers for your clinic", made on the fly and never stored."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, render_template, request

from recommender.fhir import (
    QUESTIONNAIRE_ID,
    ResponseRejected,
    answers_response,
    build_questionnaire,
    operation_outcome,
    read_response,
)
from recommender.web import strictjson
from recommender.web.responses import FHIR_JSON, error_outcome, fhir_json, plan_response
from recommender.web.sealed import UnreadableAnswers, unseal
from recommender.web.settings import secret_keys
from recommender.web.state import service
from recommender.web.strictjson import DuplicateKey

bp = Blueprint("fhir", __name__)

ACCEPTED_TYPES = (FHIR_JSON, "application/json")
DOWNLOAD_NAME = "lower-back-answers.fhir.json"
@bp.get(f"/fhir/Questionnaire/{QUESTIONNAIRE_ID}")
def questionnaire() -> Response:
    return fhir_json(build_questionnaire(service().ruleset))


@bp.post("/fhir/QuestionnaireResponse/$plan")
def plan() -> Response | tuple[Response, int]:
    """The same plan JSON as POST /api/v1/plan, from answers in a QuestionnaireResponse."""
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
    try:
        intake = read_response(resource, service().ruleset)
    except ResponseRejected as rejected:
        return fhir_json(operation_outcome(rejected.issues), 422)
    return plan_response(service().recommend(intake)), 200


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
