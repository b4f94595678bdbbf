"""The JSON API: `POST /api/v1/plan`. Its field names are a public contract."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from pydantic import ValidationError

from recommender.model.intake import Intake, explain_errors
from recommender.web.api import strictjson
from recommender.web.api.responses import problem, recommendation_json
from recommender.web.api.strictjson import DuplicateKey
from recommender.web.app.state import service
from recommender.web.app.words import gettext

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error_response(status: int, errors: list[dict[str, str]]) -> Response:
    """Problem details whose `detail` sums up the errors, each of which names its field."""
    detail = errors[0]["message"] if len(errors) == 1 else f"{len(errors)} answers need fixing; see errors."
    return problem(status, detail, errors)


class Refused(Exception):
    """Answers the API cannot plan for, with the response that says why."""

    def __init__(self, status: int, errors: list[dict[str, str]]) -> None:
        super().__init__(status)
        self.status, self.errors = status, errors


@bp.post("/plan")
def plan() -> Response | tuple[Response, int]:
    if not request.is_json:
        return error_response(415, [{"field": "body", "message":
                                     "Send the answers as JSON, with Content-Type: application/json."}])
    body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 before parsing
    try:
        answer = _plan_json(body)
    except Refused as refused:
        return error_response(refused.status, refused.errors)
    return current_app.response_class(answer, mimetype="application/json"), 200


def _plan_json(body: bytes) -> bytes:
    """The plan for the answers in `body` as JSON; Refused when they are not answers."""
    try:
        strictjson.loads(body)
    except DuplicateKey as repeated:
        raise Refused(400, [{"field": repeated.key, "message": str(repeated)}]) from repeated
    except (ValueError, RecursionError) as error:
        raise Refused(400, [{"field": "body", "message": gettext("The body is not valid JSON.")}]) from error
    try:
        # Parsed again by pydantic, strictly against the contract (no string "42" for 42).
        intake = Intake.model_validate_json(body)
    except ValidationError as error:
        if any(detail["type"] == "json_invalid" for detail in error.errors()):
            raise Refused(400, [{"field": "body", "message": gettext("The body is not valid JSON.")}]) from error
        raise Refused(422, [e.model_dump() for e in explain_errors(error, service().ruleset.say)]) from error
    return recommendation_json(service().recommend(intake))
