"""Hostile and random input: a plan or messages that name the fields, never a 5xx."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import API_BASELINE, FORM_BASELINE

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from([*API_BASELINE, "extra"]), json_values, max_size=4),
       dropped=st.sets(st.sampled_from(list(API_BASELINE)), max_size=2))
def test_any_json_object_gets_a_plan_or_errors_that_name_fields(
        client: FlaskClient, changes: dict[str, Any], dropped: set[str]) -> None:
    body = {k: v for k, v in {**API_BASELINE, **changes}.items() if k not in dropped or k in changes}
    response = client.post("/api/v1/plan", json=body)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        errors = response.get_json()["errors"]
        assert errors
        assert {error["field"] for error in errors} <= set(body) | set(API_BASELINE)
        assert all(error["message"] for error in errors)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_a_400_or_422_never_a_500(client: FlaskClient, raw: bytes) -> None:
    response = client.post("/api/v1/plan", data=raw, content_type="application/json")
    assert response.status_code in (400, 422)


form_fields = [*FORM_BASELINE, "red_flags", "health_flags", "equipment", "unexpected"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(form_fields),
                               st.lists(st.text(max_size=12), min_size=1, max_size=3), max_size=5))
def test_any_form_post_gets_a_plan_or_the_form_with_messages(client: FlaskClient,
                                                              changes: dict[str, list[str]]) -> None:
    response = client.post("/plan", data={**FORM_BASELINE, **changes})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        page = response.get_data(as_text=True)
        assert "Please check" in page
        assert 'class="field-error"' in page
