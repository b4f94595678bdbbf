"""`GET /healthz`: that the service is up, and which code and which rules it answers from."""

from __future__ import annotations

from functools import cache
from importlib.metadata import version

from flask import Blueprint, Response, jsonify

from recommender.web.app.state import service

DISTRIBUTION = "lower-back-recommender"

bp = Blueprint("health", __name__)


@cache
def service_version() -> str:
    return version(DISTRIBUTION)


@bp.get("/healthz")
def healthz() -> Response:
    # The app only starts with validated rules, so answering at all means they are sound.
    rules = service().ruleset
    return jsonify(status="ok", service_version=service_version(),
                   rules_version=rules.version, rules_sha256=rules.digest)
