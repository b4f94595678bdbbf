"""The JSON API: `POST /api/v1/plan`. Its field names are a public contract."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from pydantic import ValidationError

from recommender.model.intake import Intake, explain_errors
from recommender.web import strictjson
from recommender.web.responses import plan_answer
from recommender.web.strictjson import DuplicateKey

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error_response(status: int, errors: list[dict[str, str]]) -> tuple[Response, int]:
    return jsonify(errors=errors), status


@bp.post("/plan")
def plan() -> tuple[Response, int]:
    if not request.is_json:
        return error_response(415, [{"field": "body", "message":
                                     "Send the answers as JSON, with Content-Type: application/json."}])
    body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 before parsing
    try:
        strictjson.loads(body)
    except DuplicateKey as repeated:
        return error_response(400, [{"field": repeated.key, "message": str(repeated)}])
    except (ValueError, RecursionError):
        return error_response(400, [{"field": "body", "message": "The body is not valid JSON."}])
    try:
        # Parsed again by pydantic, strictly against the contract (no string "42" for 42).
        intake = Intake.model_validate_json(body)
    except ValidationError as error:
        if any(detail["type"] == "json_invalid" for detail in error.errors()):
            return error_response(400, [{"field": "body", "message": "The body is not valid JSON."}])
        return error_response(422, [e.model_dump() for e in explain_errors(error)])
    return plan_answer(intake), 200
