"""Security headers on every response, and answers kept out of URLs, headers and logs."""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from tests.leaks import DISTINCTIVE_API, DISTINCTIVE_FORM, leaked_answers
from tests.web.conftest import API_BASELINE, FORM_BASELINE

# Each kind of response the service gives: pages, the API, every error it answers, a static file.
# name: (method, address, what is sent, the status it gets)
RESPONSES: dict[str, tuple[str, str, dict[str, Any], int]] = {
    "form page": ("GET", "/", {}, 200),
    "plan page": ("POST", "/plan", {"data": FORM_BASELINE}, 200),
    "form with errors": ("POST", "/plan", {"data": {**FORM_BASELINE, "age": "9"}}, 422),
    "plan address without answers": ("GET", "/plan", {}, 302),
    "page not found": ("GET", "/nowhere", {}, 404),
    "page method not allowed": ("PUT", "/", {}, 405),
    "form over 64 KB": ("POST", "/plan", {"data": {"padding": "x" * (70 * 1024)}}, 413),
    "api plan": ("POST", "/api/v1/plan", {"json": API_BASELINE}, 200),
    "api bad answers": ("POST", "/api/v1/plan", {"json": {**API_BASELINE, "age": 9}}, 422),
    "api body not json": ("POST", "/api/v1/plan", {"data": "{", "content_type": "application/json"}, 400),
    "api not found": ("POST", "/api/v1/nothing", {"json": {}}, 404),
    "api method not allowed": ("GET", "/api/v1/plan", {}, 405),
    "api body over 64 KB": ("POST", "/api/v1/plan", {"data": "[" + " " * (65 * 1024) + "]",
                                                    "content_type": "application/json"}, 413),
    "api wrong content type": ("POST", "/api/v1/plan", {"data": {"age": "40"}}, 415),
    "static stylesheet": ("GET", "/static/style.css", {}, 200),
}
STATIC = {"static stylesheet"}

POLICY_DIRECTIVES = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
}


def send(client: FlaskClient, name: str, **options: Any) -> TestResponse:
    method, address, sent, status = RESPONSES[name]
    response = client.open(address, method=method, **sent, **options)
    assert response.status_code == status
    return response


@pytest.fixture(params=list(RESPONSES))
def response(request: pytest.FixtureRequest, client: FlaskClient) -> Iterator[TestResponse]:
    answer = send(client, request.param)
    yield answer
    answer.close()


def policy_of(response: TestResponse) -> dict[str, list[str]]:
    directives = [part.split() for part in response.headers["Content-Security-Policy"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def test_every_response_carries_the_content_security_policy(response: TestResponse) -> None:
    policy = policy_of(response)
    assert {name: sources for name, sources in policy.items() if name != "frame-ancestors"} == POLICY_DIRECTIVES
    assert policy["frame-ancestors"], "who may frame the page must be said"
    assert "*" not in policy["frame-ancestors"]


def test_every_response_says_each_policy_once(response: TestResponse) -> None:
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
                 "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Cache-Control", "Vary"):
        assert len(response.headers.getlist(name)) <= 1, (name, response.headers.getlist(name))


def test_no_policy_allows_inline_code_or_loads_from_another_site(response: TestResponse) -> None:
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    for name, sources in policy_of(response).items():
        if name != "frame-ancestors":  # the sites allowed to embed us, not sources we load from
            assert set(sources) <= {"'self'", "'none'"}, name


def test_every_response_forbids_sniffing_referrers_and_browser_features(response: TestResponse) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    features = dict(item.strip().split("=") for item in response.headers["Permissions-Policy"].split(","))
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(features)
    assert set(features.values()) == {"()"}, "every feature listed is allowed nowhere"


@pytest.mark.parametrize("name", [name for name in RESPONSES if name not in STATIC])
def test_no_page_or_api_answer_is_kept_in_any_cache(client: FlaskClient, name: str) -> None:
    assert send(client, name).headers["Cache-Control"] == "no-store"


def test_plain_http_gets_no_strict_transport_security(response: TestResponse) -> None:
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("name", list(RESPONSES))
def test_https_gets_strict_transport_security_for_two_years_with_subdomains(client: FlaskClient, name: str) -> None:
    response = send(client, name, base_url="https://localhost")
    match = re.fullmatch(r"max-age=(\d+); includeSubDomains", response.headers["Strict-Transport-Security"])
    assert match is not None
    assert int(match[1]) >= 365 * 24 * 60 * 60
    response.close()


# --- answers stay out of URLs, headers and logs -------------------------------------------

def test_no_answer_appears_in_a_response_header(client: FlaskClient) -> None:
    responses = [client.post("/plan", data=DISTINCTIVE_FORM), client.post("/api/v1/plan", json=DISTINCTIVE_API)]
    for response in responses:
        assert response.status_code == 200
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items()
                            if name != "Content-Length")  # a byte count, not an answer
        assert leaked_answers(headers) == []


def test_no_address_on_the_result_page_carries_an_answer(client: FlaskClient) -> None:
    page = client.post("/plan", data=DISTINCTIVE_FORM).get_data(as_text=True)
    addresses = re.findall(r'\b(?:href|src|action|formaction)="([^"]*)"', page)
    assert addresses
    for address in addresses:
        # An address may name the language to show a page in, and nothing else.
        query = address.partition("?")[2]
        assert query == "" or re.fullmatch(r"lang=[a-z]{2}", query), address
        assert leaked_answers(address) == []
    assert re.search(r'<form method="post"', client.get("/").get_data(as_text=True))


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app behind Werkzeug's own server on 127.0.0.1, which logs every request it answers."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def test_nothing_logged_while_answering_carries_an_answer(served: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    form = urllib.parse.urlencode(DISTINCTIVE_FORM, doseq=True).encode()
    requests = [
        urllib.request.Request(served + "/plan", data=form),
        urllib.request.Request(served + "/api/v1/plan", data=json.dumps(DISTINCTIVE_API).encode(),
                               headers={"Content-Type": "application/json"}),
    ]
    for request in requests:
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    logged = "\n".join(f"{record.name} {record.levelname} {record.getMessage()}" for record in caplog.records)
    assert "werkzeug" in {record.name for record in caplog.records}
    assert '"POST /plan HTTP/1.1" 200' in logged, "the request log is captured"
    assert leaked_answers(logged) == []
