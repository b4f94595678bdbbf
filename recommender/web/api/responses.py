"""Responses more than one blueprint sends: the plan as JSON, FHIR resources, FHIR errors and the
API's errors as problem details (RFC 9457)."""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from http import HTTPStatus
from typing import Any

from flask import Response, current_app

from recommender.fhir import Issue, operation_outcome
from recommender.model.outcome import Recommendation
from recommender.web.app.state import public_url, web_state

# The largest request body any endpoint reads; a larger one is answered 413 before parsing.
MAX_BODY_BYTES = 64 * 1024
FHIR_JSON = "application/fhir+json"
PROBLEM_JSON = "application/problem+json"
# The problem type of a request whose answers (or body) cannot be used: its `errors` member
# names each field to fix. Any other error is "about:blank", titled by its HTTP status.
ANSWERS_PROBLEM_PAGE = "/api#statuses"
ANSWERS_PROBLEM_TITLE = "The answers cannot be used"
# The FHIR issue type for each HTTP error the FHIR endpoints can meet.
ISSUE_TYPES = {400: "structure", 404: "not-found", 405: "not-supported", 413: "too-long", 415: "not-supported"}


def plan_response(recommendation: Recommendation) -> Response:
    return current_app.response_class(recommendation_json(recommendation), mimetype="application/json")


# Where the tiers go in a plan's JSON written without them: `"tiers":[]` can only be the key,
# since a quote inside a string is always escaped.
_NO_TIERS = b'"tiers":[]'


def recommendation_json(recommendation: Recommendation) -> bytes:
    """Exactly `recommendation.model_dump_json()`, with each tier's JSON, most of the whole,
    written once for each tier the engine decides (`tier_json`) and then reused."""
    plan = recommendation.plan
    if plan is None or any(tier.made_from is None for tier in plan.tiers):
        return recommendation.model_dump_json().encode()
    rest = recommendation.model_copy(update={"plan": plan.model_copy(update={"tiers": []})}).model_dump_json()
    tiers = b",".join(web_state().tier_json(tier.made_from) for tier in plan.tiers)
    return rest.encode().replace(_NO_TIERS, b'"tiers":[' + tiers + b"]", 1)


def tier_json(decided_from: Hashable) -> bytes:
    """The JSON of the tier decided from `decided_from`: read from that alone."""
    written: str = web_state().service.tier_decided_from(decided_from).model_dump_json()
    return written.encode()


def fhir_json(resource: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(resource, ensure_ascii=False), status=status, mimetype=FHIR_JSON)


def error_outcome(status: int, message: str) -> Response:
    """An HTTP error on a FHIR endpoint, as an OperationOutcome."""
    return fhir_json(operation_outcome([Issue(ISSUE_TYPES.get(status, "exception"), message)]), status)


def problem(status: int, detail: str, errors: Sequence[dict[str, str]] | None = None) -> Response:
    """An API error as RFC 9457 problem details. With `errors` (each naming a field), it is our
    own problem type, documented on the /api page; without, plain HTTP ("about:blank")."""
    if errors is None:
        kind, title, errors = "about:blank", HTTPStatus(status).phrase, []
    else:
        kind, title = public_url(ANSWERS_PROBLEM_PAGE), ANSWERS_PROBLEM_TITLE
    body = {"type": kind, "title": title, "status": status, "detail": detail, "errors": list(errors)}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
