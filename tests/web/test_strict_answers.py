"""One strict reading of answers: the form and the API accept the same numbers, and a key
given twice is refused rather than silently read as the last one."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import API_BASELINE

NOT_ASCII_DIGITS = ["٧٧", "７７", "7_7", "+77", "77.0", "0x4d", "77e0", "-77"]


@pytest.mark.parametrize("written", NOT_ASCII_DIGITS)
def test_the_form_reads_an_age_only_in_the_digits_0_to_9(answer_questionnaire: Callable[..., TestResponse],
                                                          written: str) -> None:
    response = answer_questionnaire(age=written)
    assert response.status_code == 422
    assert "Enter your age in years, as a whole number, for example 42." in response.get_data(as_text=True)


@pytest.mark.parametrize("written", ["٧", "７", "+3", "3_0"])
def test_the_form_reads_pain_and_days_only_in_the_digits_0_to_9(
        answer_questionnaire: Callable[..., TestResponse], written: str) -> None:
    assert answer_questionnaire(pain_now=written).status_code == 422
    assert answer_questionnaire(days_per_week=written).status_code == 422


def test_the_form_still_reads_an_age_in_plain_digits(answer_questionnaire: Callable[..., TestResponse]) -> None:
    assert answer_questionnaire(age="77").status_code == 200


@pytest.mark.parametrize("written", NOT_ASCII_DIGITS)
def test_the_api_refuses_the_same_writings_of_a_number(client: FlaskClient, written: str) -> None:
    body = json.dumps(API_BASELINE).replace('"age": 35', f'"age": "{written}"')
    response = client.post("/api/v1/plan", data=body, content_type="application/json")
    assert response.status_code == 422


def test_a_key_given_twice_to_the_api_is_refused_naming_the_key(client: FlaskClient) -> None:
    body = json.dumps(API_BASELINE)[:-1] + ', "age": 17}'
    response = client.post("/api/v1/plan", data=body, content_type="application/json")
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == "age"
    assert "\u201cage\u201d is given more than once" in error["message"]


def test_a_key_given_twice_in_a_nested_object_is_refused_too(client: FlaskClient) -> None:
    body = '{"resourceType": "QuestionnaireResponse", "status": "completed", "status": "amended"}'
    response = client.post("/fhir/QuestionnaireResponse/$plan", data=body, content_type="application/fhir+json")
    assert response.status_code == 400
    assert "\u201cstatus\u201d is given more than once" in response.get_data(as_text=True)
