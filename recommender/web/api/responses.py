"""Responses more than one blueprint sends: the plan as JSON, FHIR resources, FHIR errors and the
API's errors as problem details (RFC 9457)."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from http import HTTPStatus
from typing import Any, TypeVar

from flask import Flask, Response, current_app
from pydantic import BaseModel, TypeAdapter

from recommender.engine.memo import Memo
from recommender.fhir import Issue, operation_outcome
from recommender.model.outcome import Plan, Recommendation
from recommender.web.app.state import public_url
from recommender.web.reuse import ByIdentity

R = TypeVar("R")

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


def init_app(app: Flask) -> None:
    app.extensions["kept_responses"] = Memo(capacity=app.config["RESPONSES_KEPT"])


def kept_response(key: Hashable, work_out: Callable[..., R], *args: Any) -> R:
    """What `work_out(*args)` makes, kept under `key` for the next request with the same key.

    A plan, and so its JSON and its page, is the same for the same answers (and clinic), so
    the body written for one request serves the next with the same answers. Each key names
    its response and everything the body depends on. The bodies stay in the app's memory
    only, at most `RESPONSES_KEPT` of them, the oldest going first, like the engine's plans."""
    kept: Memo = current_app.extensions["kept_responses"]
    return kept.recall(key, work_out, *args)


def plan_response(recommendation: Recommendation) -> Response:
    """The plan as JSON: exactly `recommendation.model_dump_json()`, with the JSON of the parts
    many people's plans share (the tiers, the routines, the safety net) made once and reused."""
    return current_app.response_class(recommendation_json(recommendation), mimetype="application/json")


# Large fields whose objects the engine shares between plans: their JSON is kept.
_REUSED = {(Plan, "tiers"), (Plan, "warm_up"), (Plan, "cool_down"), (Recommendation, "safety_net")}
# Fields written part by part, so that the parts above can be reused inside them.
_BY_PARTS = {(Recommendation, "plan")}
_adapters: dict[tuple[type, str], TypeAdapter[Any]] = {}
_layouts: dict[type[BaseModel], list[tuple[bytes, tuple[type, str], str]]] = {}
_kept_json: ByIdentity[bytes] = ByIdentity()


def recommendation_json(recommendation: Recommendation) -> bytes:
    return _model_json(recommendation)


def _model_json(model: BaseModel) -> bytes:
    parts = []
    for name, key, how in _layout(type(model)):
        value = getattr(model, key[1])
        if how == "parts" and value is not None:
            piece = _model_json(value)
        elif how == "reused":
            piece = _kept_json.recall(key[1], (value,), partial(_adapter(key).dump_json, value))
        else:
            piece = _adapter(key).dump_json(value)
        parts.append(name + piece)
    return b"{" + b",".join(parts) + b"}"


def _layout(cls: type[BaseModel]) -> list[tuple[bytes, tuple[type, str], str]]:
    """The fields a model writes, in order: each as its JSON key, and how its value is written."""
    layout = _layouts.get(cls)
    if layout is None:
        layout = _layouts[cls] = [
            (json.dumps(name).encode() + b":", (cls, name),
             "parts" if (cls, name) in _BY_PARTS else "reused" if (cls, name) in _REUSED else "whole")
            for name, field in cls.model_fields.items() if not field.exclude]
    return layout


def _adapter(key: tuple[type, str]) -> TypeAdapter[Any]:
    adapter = _adapters.get(key)
    if adapter is None:
        cls, name = key
        adapter = _adapters[key] = TypeAdapter(cls.model_fields[name].annotation)  # type: ignore[attr-defined]
    return adapter


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
