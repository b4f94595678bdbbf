"""Responses more than one blueprint sends: the plan as JSON, FHIR resources, FHIR errors and the
API's errors as problem details (RFC 9457)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from http import HTTPStatus
from typing import Any

from flask import Response, current_app
from pydantic import BaseModel

from recommender.fhir import Issue, operation_outcome
from recommender.model.outcome import Recommendation
from recommender.web.app.state import chosen_language, part_key, public_url, web_state

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


def recommendation_json(recommendation: Recommendation) -> bytes:
    """Exactly `recommendation.model_dump_json()`, with the JSON of the parts many people share
    (each tier, the warm-up, the cool-down, the safety net: most of the whole) written once for
    each key (see `part_key`) and then reused."""
    plan = recommendation.plan
    if plan is None or plan.made_from is None:
        return recommendation.model_dump_json().encode()
    shared: dict[str, Any] = {"warm_up": plan.warm_up, "cool_down": plan.cool_down}
    rest = recommendation.model_copy(update={
        "safety_net": [], "plan": plan.model_copy(update={"tiers": [], **{name: [] for name in shared}})})
    written = rest.model_dump_json().encode()
    kept = web_state().json_parts
    # The words of equal parts differ by language, so each key has the language too.
    language = chosen_language()
    pieces = {
        "tiers": b",".join(kept.recall((language, part_key(tier)), partial(_items_json, [tier]))
                           for tier in plan.tiers),
        **{name: kept.recall((language, name, part_key(plan)), partial(_items_json, value))
           for name, value in shared.items()},
        "safety_net": kept.recall((language, part_key(recommendation.safety_net)),
                                  partial(_items_json, recommendation.safety_net)),
    }
    # Each emptied field, `"name":[]`, is found in the short JSON written without the pieces (it
    # can only be the field: a quote inside a string is always escaped), then filled in one pass.
    places = sorted((written.index(f'"{name}":[]'.encode()) + len(name) + 4, piece) for name, piece in pieces.items())
    parts, start = [], 0
    for place, piece in places:
        parts += [written[start:place], piece]
        start = place
    return b"".join([*parts, written[start:]])


def _items_json(items: Sequence[BaseModel]) -> bytes:
    return b",".join(item.model_dump_json().encode() for item in items)


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
