"""Result pages and API answers are kept for the next request with the same answers: only
the sealed answers are made afresh, the rest is what a fresh rendering gives, and the store
stays within its bound."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.web import create_app
from recommender.web.app.settings import secret_keys
from recommender.web.pages.sealed import unseal
from tests.web.conftest import API_BASELINE, FORM_BASELINE
from tests.web.plan_helpers import answers_token

TOKEN = re.compile(r'name="answers" value="[^"]+"')


def without_tokens(page: TestResponse) -> str:
    return TOKEN.sub('name="answers" value=""', page.get_data(as_text=True))


def test_the_same_answers_get_a_new_sealed_token_on_every_page(
        app: Flask, answer_questionnaire: Callable[..., TestResponse]) -> None:
    first, second = answer_questionnaire(age="61"), answer_questionnaire(age="61")
    assert answers_token(first) != answers_token(second)
    assert len(TOKEN.findall(first.get_data(as_text=True))) == 2  # the PDF and the FHIR downloads
    assert set(TOKEN.findall(first.get_data(as_text=True))) == {f'name="answers" value="{answers_token(first)}"'}
    opened = {unseal(answers_token(page), secret_keys(app)) for page in (first, second)}
    assert len(opened) == 1
    assert next(iter(opened)).age == 61


def test_a_kept_page_is_the_page_rendered_afresh(app: Flask, answer_questionnaire: Callable[..., TestResponse]) -> None:
    for changes in ({}, {"experience": "advanced", "equipment": ["barbell", "power_rack"]},
                    {"red_flags": "saddle_numbness", "no_red_flags": None}):
        kept = answer_questionnaire(**changes)
        kept = answer_questionnaire(**changes)
        app.extensions["kept_responses"].forget()
        fresh = answer_questionnaire(**changes)
        assert without_tokens(kept) == without_tokens(fresh)


def test_a_page_kept_for_our_site_is_not_served_on_a_clinics_page(client: FlaskClient) -> None:
    ours = client.post("/plan", data=FORM_BASELINE).get_data(as_text=True)
    clinics = client.post("/embed/demo/plan", data=FORM_BASELINE).get_data(as_text=True)
    assert "Riverside Physiotherapy (demo)" not in ours
    assert "Riverside Physiotherapy (demo)" in clinics


def test_the_api_answers_the_same_json_when_kept(client: FlaskClient, app: Flask) -> None:
    first = client.post("/api/v1/plan", json=API_BASELINE)
    second = client.post("/api/v1/plan", json=API_BASELINE)
    app.extensions["kept_responses"].forget()
    fresh = client.post("/api/v1/plan", json=API_BASELINE)
    assert first.status_code == second.status_code == fresh.status_code == 200
    assert first.data == second.data == fresh.data


def test_no_more_responses_are_kept_than_the_bound() -> None:
    app = create_app({"TESTING": True, "RESPONSES_KEPT": 3})
    client = app.test_client()
    for age in range(30, 40):
        assert client.post("/plan", data={**FORM_BASELINE, "age": str(age)}).status_code == 200
        assert client.post("/api/v1/plan", json={**API_BASELINE, "age": age}).status_code == 200
    assert len(app.extensions["kept_responses"]) == 3


def test_a_refused_api_body_is_answered_each_time_and_never_kept(client: FlaskClient, app: Flask) -> None:
    app.extensions["kept_responses"].forget()
    for body in ('{"age": 17, "age": 40}', "{not json", '{"age": "forty"}'):
        first = client.post("/api/v1/plan", data=body, content_type="application/json")
        second = client.post("/api/v1/plan", data=body, content_type="application/json")
        assert first.status_code == second.status_code and first.status_code in (400, 422)
        assert first.get_json() == second.get_json()
    assert len(app.extensions["kept_responses"]) == 0
