"""Every route the app serves, found from its URL map: no cookie, no X-Frame-Options, the right CSP.

New routes are picked up on their own; a route with a new kind of URL part needs a sample here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from recommender.model.intake import Intake
from recommender.web import create_app
from tests.conftest import BASELINE
from tests.web.conftest import API_BASELINE, FORM_BASELINE, TWO_GOOD_WEEKS_FORM
from tests.web.plan_helpers import answers_token
from tests.web.test_fhir import response_for

SAMPLES = {"clinic": "demo", "filename": "style.css", "exercise_id": "bird-dog", "system_id": "tier"}
DEMO_ORIGINS = "https://clinic.example https://www.clinic.example http://localhost:*"
CSP = ("default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'self'")


def routes(app: Flask) -> Iterator[tuple[str, str]]:
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, _sample_path(rule)


def _sample_path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda part: SAMPLES[part[1]], rule.rule)


ROUTES = sorted(set(routes(create_app({"TESTING": True}))))


def send(client: FlaskClient, method: str, path: str, **headers: str) -> TestResponse:
    if method == "GET":
        return client.get(path, headers=headers)
    if path.startswith("/api/"):
        return client.open(path, method=method, json=API_BASELINE, headers=headers)
    if path.startswith("/fhir/"):
        resource = response_for(client.application, Intake.model_validate(BASELINE))
        return client.open(path, method=method, json=resource, headers=headers)
    token = answers_token(client.post("/plan", data=FORM_BASELINE))
    # With a check-in's report: the check-in's post reads it, and the other posts leave it aside.
    answers = {**FORM_BASELINE, **TWO_GOOD_WEEKS_FORM, "answers": token}
    return client.open(path, method=method, data=answers, headers=headers)


def test_the_sample_routes_cover_the_pages_of_this_issue() -> None:
    assert {("POST", "/plan.pdf"), ("POST", "/embed/demo/plan.pdf"), ("GET", "/embed/demo"),
            ("GET", "/embed/demo/snippet"), ("GET", "/embed/demo/theme.css")} <= set(ROUTES)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_route_sets_a_cookie_or_x_frame_options_and_each_sends_its_frame_ancestors(
        client: FlaskClient, method: str, path: str) -> None:
    response = send(client, method, path)
    assert response.status_code < 400, response.get_data(as_text=True)[:300]
    assert "Set-Cookie" not in response.headers
    assert "X-Frame-Options" not in response.headers
    expected = CSP + (" " + DEMO_ORIGINS if path.startswith("/embed/demo") else "")
    assert response.headers["Content-Security-Policy"] == expected
    if not path.startswith("/static/"):
        assert response.headers["Cache-Control"] == "no-store"
    response.close()


def test_error_pages_set_no_cookie_either(client: FlaskClient) -> None:
    for response in (client.get("/embed/nowhere"), client.get("/nowhere"), client.put("/plan"),
                     client.post("/plan.pdf", data={"answers": "x"}),
                     client.post("/plan", data={}, headers={"Sec-Fetch-Site": "cross-site"})):
        assert response.status_code >= 400
        assert "Set-Cookie" not in response.headers
        assert response.headers["Content-Security-Policy"] == CSP


@pytest.mark.parametrize("path", [path for method, path in ROUTES if method == "GET"])
def test_no_page_has_inline_script_or_style(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    if response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        assert "<style" not in page and not re.search(r"\sstyle=[\"']", page)  # escaped text is fine
        assert all(' src="' in tag for tag in re.findall(r"<script[^>]*>", page)), path
    response.close()
