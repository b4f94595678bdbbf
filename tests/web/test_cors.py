"""A clinic's own pages may call the API and FHIR endpoints from the browser; no other site may."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from recommender.web import create_app
from tests.web.conftest import API_BASELINE

CROSS_ORIGIN_ENDPOINTS = ["/api/v1/plan", "/fhir/QuestionnaireResponse/$plan"]
DEMO_CLINIC_ORIGIN = "https://clinic.example"


def preflight(client: FlaskClient, path: str, origin: str) -> Headers:
    response = client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "Content-Type"})
    assert response.status_code == 200
    return response.headers


@pytest.mark.parametrize("path", CROSS_ORIGIN_ENDPOINTS)
@pytest.mark.parametrize("origin", [DEMO_CLINIC_ORIGIN, "https://www.clinic.example", "http://localhost:5173"])
def test_a_preflight_from_a_clinics_listed_origin_is_allowed(client: FlaskClient, path: str, origin: str) -> None:
    headers = preflight(client, path, origin)
    assert headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in headers
    assert "Origin" in ", ".join(headers.get_all("Vary"))


@pytest.mark.parametrize("path", CROSS_ORIGIN_ENDPOINTS)
@pytest.mark.parametrize("origin", [
    "https://attacker.example",
    "http://clinic.example",  # the listed origin is https only
    "https://clinic.example.attacker.example",
    "https://evilclinic.example",
    "null",
])
def test_a_preflight_from_any_other_origin_gets_no_cors_headers(client: FlaskClient, path: str, origin: str) -> None:
    headers = preflight(client, path, origin)
    assert not [name for name, _ in headers if name.startswith("Access-Control-")]


def test_the_plan_itself_is_readable_by_a_listed_origin_only(client: FlaskClient) -> None:
    allowed = client.post("/api/v1/plan", json=API_BASELINE, headers={"Origin": DEMO_CLINIC_ORIGIN})
    other = client.post("/api/v1/plan", json=API_BASELINE, headers={"Origin": "https://attacker.example"})
    assert allowed.status_code == other.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == DEMO_CLINIC_ORIGIN
    assert "Access-Control-Allow-Origin" not in other.headers


def test_a_clinics_page_can_post_to_fhir_plan_from_its_own_site(client: FlaskClient) -> None:
    # fetch() from the clinic's page says it is cross-site; CORS, not the form guard, decides.
    response = client.post("/fhir/QuestionnaireResponse/$plan", data="{}", content_type="application/fhir+json",
                           headers={"Origin": DEMO_CLINIC_ORIGIN, "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 422
    assert response.headers["Access-Control-Allow-Origin"] == DEMO_CLINIC_ORIGIN


def test_pages_and_form_posts_get_no_cors_headers(client: FlaskClient) -> None:
    for path in ("/", "/embed/demo", "/healthz"):
        response = client.get(path, headers={"Origin": DEMO_CLINIC_ORIGIN})
        assert response.status_code == 200, path
        assert "Access-Control-Allow-Origin" not in response.headers, path


def test_the_demo_clinics_origins_are_not_allowed_when_it_is_not_served() -> None:
    client = create_app({"TESTING": True, "DEMO_CLINIC": False}).test_client()
    headers = preflight(client, "/api/v1/plan", DEMO_CLINIC_ORIGIN)
    assert "Access-Control-Allow-Origin" not in headers
