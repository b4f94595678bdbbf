"""What the web layer keeps between requests cannot change a page: a page or an API answer made
with every cache is the one made with none, a page never carries another request's host or
clinic, and every cache stays within its bound."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from recommender.model.intake import Intake
from recommender.web import create_app
from recommender.web.app.settings import secret_keys
from recommender.web.app.state import web_state
from recommender.web.pages.sealed import unseal
from tests.strategies import any_answers
from tests.web.conftest import API_BASELINE, FORM_BASELINE
from tests.web.plan_helpers import answers_token

TOKEN = re.compile(r'name="answers" value="[^"]+"')
NONE_BOXES = {"red_flags": "no_red_flags", "health_flags": "no_health_flags",
              "heart_condition_details": "no_heart_condition_details", "cancer_details": "no_cancer_details"}


def without_tokens(page: TestResponse) -> str:
    return TOKEN.sub('name="answers" value=""', page.get_data(as_text=True))


def as_form(intake: Intake) -> MultiDict[str, str]:
    """The answers as the questionnaire (or the check-in form) posts them."""
    fields: list[tuple[str, str]] = []
    for name, value in intake:
        if name == "progress":
            if value is not None:
                fields += [(f"progress_{key}", str(item)) for key, item in value if item is not None]
        elif isinstance(value, bool):
            fields.append((name, "yes" if value else "no"))
        elif isinstance(value, frozenset):
            fields += [(name, item) for item in sorted(value)]
            if not value and name in NONE_BOXES:
                fields.append((NONE_BOXES[name], "y"))
        elif value is not None:
            fields.append((name, str(value)))
    return MultiDict(fields)


def as_json(intake: Intake) -> dict[str, Any]:
    return intake.model_dump(mode="json", exclude_none=True)


@pytest.fixture(scope="module")
def keeping() -> FlaskClient:
    return create_app({"TESTING": True}).test_client()


@pytest.fixture(scope="module")
def keeping_nothing() -> FlaskClient:
    return create_app({"TESTING": True, "CACHING": False}).test_client()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intake=any_answers(), on_a_clinics_page=st.booleans())
def test_a_page_and_an_api_answer_made_with_every_cache_are_those_made_with_none(
        intake: Intake, on_a_clinics_page: bool, keeping: FlaskClient, keeping_nothing: FlaskClient) -> None:
    page = ("/embed/demo" if on_a_clinics_page else "") + ("/check-in" if intake.progress else "/plan")
    kept, fresh = (client.post(page, data=as_form(intake)) for client in (keeping, keeping_nothing))
    assert kept.status_code == fresh.status_code == 200, kept.get_data(as_text=True)[:2000]
    assert without_tokens(kept) == without_tokens(fresh)
    kept, fresh = (client.post("/api/v1/plan", json=as_json(intake)) for client in (keeping, keeping_nothing))
    assert kept.status_code == fresh.status_code == 200
    assert kept.data == fresh.data


def test_a_forged_host_never_reaches_another_requests_page() -> None:
    app = create_app({"TESTING": True})
    client = app.test_client()
    for _ in range(8):
        forged = client.post("/plan", data=FORM_BASELINE, headers={"Host": "evil.example"})
        assert forged.status_code == 200
        assert "evil.example" in forged.get_data(as_text=True)  # its own page may say the host it was sent
        client.get("/", headers={"Host": "evil.example"})
        client.get("/check-in", headers={"Host": "evil.example"})
    for _ in range(10):
        for answered in (client.post("/plan", data=FORM_BASELINE), client.get("/"), client.get("/check-in"),
                         client.post("/embed/demo/plan", data=FORM_BASELINE)):
            assert answered.status_code == 200
            assert "evil.example" not in answered.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/check-in", "/embed/demo", "/embed/demo/check-in"])
def test_an_empty_form_kept_from_other_requests_is_the_one_made_afresh(
        path: str, keeping: FlaskClient, keeping_nothing: FlaskClient) -> None:
    # Each form is asked for in every language and framing first, so that a kept page for any
    # of them would be met; then each must be the page made with nothing kept.
    asked = [(f"{path}?lang={language}" if language else path, {"Sec-Fetch-Dest": dest} if dest else {})
             for language in ("", "es", "de") for dest in ("", "iframe", "document")]
    for address, headers in asked:
        keeping.get(address, headers=headers)
    for address, headers in asked:
        kept, fresh = (client.get(address, headers=headers) for client in (keeping, keeping_nothing))
        assert kept.status_code == fresh.status_code == 200
        assert kept.data == fresh.data, (address, headers)


def test_the_same_answers_get_a_new_sealed_token_on_every_page(
        app: Flask, answer_questionnaire: Callable[..., TestResponse]) -> None:
    first, second = answer_questionnaire(age="61"), answer_questionnaire(age="61")
    assert answers_token(first) != answers_token(second)
    assert len(TOKEN.findall(first.get_data(as_text=True))) == 1  # one field for both the PDF and the FHIR downloads
    assert set(TOKEN.findall(first.get_data(as_text=True))) == {f'name="answers" value="{answers_token(first)}"'}
    opened = {unseal(answers_token(page), secret_keys(app)) for page in (first, second)}
    assert len(opened) == 1
    assert next(iter(opened)).age == 61


def test_a_page_for_our_site_is_never_served_on_a_clinics_page(client: FlaskClient) -> None:
    ours = client.post("/plan", data=FORM_BASELINE).get_data(as_text=True)
    clinics = client.post("/embed/demo/plan", data=FORM_BASELINE).get_data(as_text=True)
    assert "Riverside Physiotherapy (demo)" not in ours
    assert "Riverside Physiotherapy (demo)" in clinics


def test_every_cache_stays_within_its_bound_and_says_how_often_it_is_hit() -> None:
    app = create_app({"TESTING": True})
    client = app.test_client()
    for age in range(20, 80):
        for kit in ([], ["mat"], ["mat", "kettlebell"], ["barbell", "power_rack", "bench"]):
            answers = {**API_BASELINE, "age": age, "equipment": kit, "pain_now": age % 8,
                       "pain_duration": "none" if age % 8 == 0 else "over_12_weeks"}
            assert client.post("/api/v1/plan", json=answers).status_code == 200
            form = {**FORM_BASELINE, "age": str(age), "equipment": kit}
            assert client.post("/plan", data=form).status_code == 200
    stats = web_state(app).cache_stats()
    assert {"screening decisions", "tiers", "page parts", "JSON parts"} <= set(stats)
    for name, counted in stats.items():
        assert counted.entries <= counted.bound, name
    assert stats["tiers"].hit_rate > 0.9
    assert stats["page parts"].hit_rate > 0.9


def test_a_refused_api_body_is_answered_alike_each_time(client: FlaskClient) -> None:
    for body in ('{"age": 17, "age": 40}', "{not json", '{"age": "forty"}'):
        first = client.post("/api/v1/plan", data=body, content_type="application/json")
        second = client.post("/api/v1/plan", data=body, content_type="application/json")
        assert first.status_code == second.status_code and first.status_code in (400, 422)
        assert first.get_json() == second.get_json()
