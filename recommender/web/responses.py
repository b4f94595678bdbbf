"""Responses more than one blueprint sends: the plan as JSON, FHIR resources and FHIR errors."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app

from recommender.fhir import Issue, operation_outcome
from recommender.model.outcome import Recommendation

# The largest request body any endpoint reads; a larger one is answered 413 before parsing.
MAX_BODY_BYTES = 64 * 1024
FHIR_JSON = "application/fhir+json"
# The FHIR issue type for each HTTP error the FHIR endpoints can meet.
ISSUE_TYPES = {400: "structure", 404: "not-found", 405: "not-supported", 413: "too-long", 415: "not-supported"}


def plan_response(recommendation: Recommendation) -> Response:
    """The plan as JSON, serialised by pydantic's own encoder: several times faster than
    building Python dicts for Flask's, and the same bytes whichever endpoint answers."""
    return current_app.response_class(recommendation.model_dump_json(), mimetype="application/json")


def fhir_json(resource: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(resource, ensure_ascii=False), status=status, mimetype=FHIR_JSON)


def error_outcome(status: int, message: str) -> Response:
    """An HTTP error on a FHIR endpoint, as an OperationOutcome."""
    return fhir_json(operation_outcome([Issue(ISSUE_TYPES.get(status, "exception"), message)]), status)
