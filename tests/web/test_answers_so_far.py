"""POST /plan/so-far: as a person leaves each step, the stepper asks whether the answers so far
already send them for help at once. The answers travel in the body of a POST, as the form's do."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from recommender.model.rules import When
from recommender.web.app.state import service

# The first three steps (about you, the back pain, the warning signs) as the form sends them.
FIRST_THREE_STEPS: dict[str, Any] = {"age": "35", "experience": "none", "pain_now": "0", "pain_duration": "none",
                                     "pain_below_knee": "no", "back_surgery_or_injury": "no"}
ASKED = [*FIRST_THREE_STEPS, "red_flags", "no_red_flags"]


def sign_of(app: Flask, level: str) -> str:
    """A warning sign that on its own gives `level`, read from the rules."""
    with app.app_context():
        rules = service().ruleset
    return next(rule.when.red_flags.includes_any[0] for rule in rules.screening_rules
                if rule.level == level and rule.when.red_flags is not None and not rule.when.red_flags.includes_all
                and all(getattr(rule.when, name) is None for name in When.model_fields if name != "red_flags"))


def level_title(app: Flask, level: str) -> str:
    with app.app_context():
        return service().ruleset.levels[level].title


def test_an_emergency_sign_on_the_third_step_gives_the_emergency_result_with_the_call_first(
        client: FlaskClient, app: Flask) -> None:
    response = client.post("/plan/so-far", data={**FIRST_THREE_STEPS, "red_flags": sign_of(app, "emergency"),
                                                 "asked": ASKED})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<h1 id="triage-title">{level_title(app, "emergency")}</h1>' in page
    triage = page[page.index('<section class="triage'):page.index("</section>")]
    first_link = re.search(r'<a [^>]*href="([^"]+)"', triage)
    assert first_link and first_link[1].startswith("tel:")
    assert "What to tell the doctor" in page
    # Nothing is sealed for a download: the rest of the answers were never given.
    assert 'name="answers"' not in page


def test_a_same_day_sign_on_the_third_step_gives_the_same_day_result(client: FlaskClient, app: Flask) -> None:
    response = client.post("/plan/so-far", data={**FIRST_THREE_STEPS, "red_flags": sign_of(app, "same_day"),
                                                 "asked": ASKED})
    assert response.status_code == 200
    assert f'<h1 id="triage-title">{level_title(app, "same_day")}</h1>' in response.get_data(as_text=True)


def test_answers_that_send_no_one_for_help_at_once_say_nothing_and_the_person_goes_on(client: FlaskClient) -> None:
    response = client.post("/plan/so-far", data={**FIRST_THREE_STEPS, "no_red_flags": "y", "asked": ASKED})
    assert response.status_code == 204
    assert response.get_data() == b""


def test_a_sign_is_read_only_once_its_step_is_answered(client: FlaskClient, app: Flask) -> None:
    asked_two_steps = list(FIRST_THREE_STEPS)
    response = client.post("/plan/so-far", data={**FIRST_THREE_STEPS, "red_flags": sign_of(app, "emergency"),
                                                 "asked": asked_two_steps})
    assert response.status_code == 204


def test_answers_not_valid_so_far_count_as_not_given(client: FlaskClient, app: Flask) -> None:
    response = client.post("/plan/so-far", data={"age": "nine", "red_flags": ["not-a-sign"], "asked": ASKED})
    assert response.status_code == 204


def test_a_clinic_page_asks_its_own_address_and_shows_the_result_on_its_own_page(
        client: FlaskClient, app: Flask) -> None:
    assert 'data-so-far="/embed/demo/plan/so-far"' in client.get("/embed/demo").get_data(as_text=True)
    response = client.post("/embed/demo/plan/so-far", data={**FIRST_THREE_STEPS, "asked": ASKED,
                                                             "red_flags": sign_of(app, "emergency")})
    assert response.status_code == 200
    assert level_title(app, "emergency") in response.get_data(as_text=True)


def test_the_form_and_the_check_in_tell_the_stepper_where_to_ask(client: FlaskClient) -> None:
    assert 'data-so-far="/plan/so-far"' in client.get("/").get_data(as_text=True)
    assert 'data-so-far="/plan/so-far"' in client.get("/check-in").get_data(as_text=True)


def test_the_early_result_reloaded_or_bookmarked_leads_back_to_the_questions(client: FlaskClient) -> None:
    response = client.get("/plan/so-far")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_what_to_tell_the_doctor_gives_the_answers_in_plain_words_with_a_print_button(
        client: FlaskClient, app: Flask) -> None:
    older_with_new_pain = {**FIRST_THREE_STEPS, "age": "70", "experience": "beginner", "pain_now": "3",
                           "pain_duration": "under_6_weeks"}
    page = client.post("/plan/so-far", data={**older_with_new_pain, "red_flags": sign_of(app, "emergency"),
                                             "asked": ASKED}).get_data(as_text=True)
    told = page[page.index('<section class="card tell-the-doctor"'):]
    told = told[:told.index("</section>")]
    assert "you are 70" in told
    assert "this rule" not in told and "applies from" not in told
    assert "Print this list" in told
