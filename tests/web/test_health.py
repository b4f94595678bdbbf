"""GET /healthz: the service is up, and which code and rules it answers from."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.web.app.state import service


def test_healthz_names_the_service_version_and_the_rules_it_answers_from(client: FlaskClient, app: Flask) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    rules = service(app).ruleset
    assert response.get_json() == {
        "status": "ok",
        "service_version": version("lower-back-recommender"),
        "rules_version": rules.version,
        "rules_sha256": rules.digest,
    }


def test_the_plan_page_footer_shows_the_full_rules_hash(
        app: Flask, answer_questionnaire: Callable[..., TestResponse]) -> None:
    digest = service(app).ruleset.digest
    assert len(digest) == 64
    page = answer_questionnaire().get_data(as_text=True)
    assert f'<span class="digest">{digest}</span>' in page
