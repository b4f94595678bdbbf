"""The check-in page: the questionnaire with a first step on the last two weeks, and a result
that gives the check-in's decision first."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import FORM_BASELINE, TWO_GOOD_WEEKS_FORM


def shown(response: TestResponse) -> str:
    """The page's words, without tags or attributes, on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def check_in(client: FlaskClient, where: str = "", **changes: Any) -> TestResponse:
    answers = {**FORM_BASELINE, "equipment": ["mat"], **TWO_GOOD_WEEKS_FORM, **changes}
    return client.post(f"{where}/check-in", data={k: v for k, v in answers.items() if v is not None})


def test_the_check_in_asks_the_last_two_weeks_first_then_what_may_have_changed_and_the_training_last(
        client: FlaskClient) -> None:
    page = client.get("/check-in").get_data(as_text=True)
    headings = re.findall(r'<h2 id="[^"]+"><span class="step">(\d)</span> ([^<]+)</h2>', page)
    assert headings == [("1", "How did the last two weeks go?"), ("2", "Your back after the sessions"),
                        ("3", "Warning signs"), ("4", "Your back pain"), ("5", "Your health"),
                        ("6", "Training and days"), ("7", "Equipment")]
    assert 'action="/check-in"' in page
    assert "Which tier have you been doing?" in page


def test_the_check_in_asks_age_with_the_health_questions_and_experience_days_and_equipment_last(
        client: FlaskClient) -> None:
    page = client.get("/check-in").get_data(as_text=True)
    steps = re.split(r'<section class="card"', page)[1:]
    where = {name: next(i for i, step in enumerate(steps, start=1) if f'name="{name}"' in step)
             for name in ("progress_tier", "red_flags", "pain_now", "age", "health_flags", "experience",
                          "equipment", "days_per_week")}
    assert where == {"progress_tier": 1, "red_flags": 3, "pain_now": 4, "age": 5, "health_flags": 5,
                     "experience": 6, "days_per_week": 6, "equipment": 7}


def test_the_first_visit_keeps_its_order(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    headings = re.findall(r'<h2 id="[^"]+"><span class="step">(\d)</span> ([^<]+)</h2>', page)
    assert headings == [("1", "About you"), ("2", "Your back pain"), ("3", "Warning signs"), ("4", "Your health"),
                        ("5", "Equipment and days")]


def test_two_good_weeks_show_the_move_up_before_the_safety_check(client: FlaskClient) -> None:
    response = check_in(client)
    assert "<title>Move up to Intermediate" in response.get_data(as_text=True)
    text = shown(response)
    assert text.index("Your check-in Move up to Intermediate") < text.index("Your safety check You can start")
    assert "Your pain stayed at 2 or less" in text


def test_worse_mornings_again_on_beginner_say_see_a_physiotherapist_and_keep_to_gentle_moves(
        client: FlaskClient) -> None:
    response = check_in(client, progress_next_morning="worse_again")
    text = shown(response)
    assert "See a physiotherapist before you go on" in text
    assert "Book a check-up with your doctor" in text
    assert 'id="tier-intermediate"' not in response.get_data(as_text=True)


def test_a_warning_sign_at_a_check_in_puts_whom_to_see_first_and_shows_no_plan(client: FlaskClient) -> None:
    response = check_in(client, no_red_flags=None, red_flags="saddle_numbness")
    text = shown(response)
    assert text.index("Get emergency help now") < text.index("Stop the exercises for now")
    assert "Your first session" not in text


def test_a_missing_report_answer_is_named_and_the_other_answers_are_kept(client: FlaskClient) -> None:
    response = check_in(client, progress_next_morning=None)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'href="#q-progress_next_morning">The morning after a session, was your back better, '
                     r"the same or worse than usual\?</a>: Please answer this question\.", page)
    assert 'name="progress_sessions_done"' in page and 'value="6"' in page


def test_a_session_count_above_thirty_is_refused_by_name(client: FlaskClient) -> None:
    response = check_in(client, progress_sessions_done="31")
    assert response.status_code == 422
    assert "How many sessions did you do in the last two weeks?</a>: Choose a number from 0 to 30." in \
        response.get_data(as_text=True)


def test_the_result_page_the_session_end_and_the_printout_lead_to_the_check_in(client: FlaskClient) -> None:
    page = client.post("/plan", data={**FORM_BASELINE, "equipment": ["mat"]}).get_data(as_text=True)
    first_session = page[page.index('class="card first-session"'):]
    assert re.search(r'After two weeks, <a href="/check-in">check in</a>', first_session[:1500])
    done = page[page.index("data-session-done"):]
    assert '<a href="/check-in">check in</a>' in done[:600]
    log = shown_log(page)
    assert "You start on the Beginner tier." in log and "http://localhost/check-in" in log


def shown_log(page: str) -> str:
    start = page.index('class="log-sheet')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:page.index("</section>", start)]))


def test_each_clinic_embed_has_its_own_check_in(client: FlaskClient) -> None:
    page = client.get("/embed/demo/check-in").get_data(as_text=True)
    assert 'action="/embed/demo/check-in"' in page
    result = check_in(client, where="/embed/demo").get_data(as_text=True)
    assert "Move up to Intermediate" in result
    assert 'href="/embed/demo/check-in"' in result


def test_a_check_in_with_a_plan_has_one_headline_and_speaks_of_the_next_session(client: FlaskClient) -> None:
    page = check_in(client).get_data(as_text=True)
    # (Session mode's own heading, "Today's session", stays hidden until a session starts.)
    assert re.findall(r'<h1 id="[^"]+">([^<]+)</h1>', page) == ["Move up to Intermediate"]
    # Today's safety check stays, said under the decision, not as a second headline.
    assert not re.search(r"<h2[^>]*>You can start</h2>", page)
    text = shown(check_in(client))
    assert "Your safety check You can start" in text
    assert "Your next session" in text and "Your first session" not in text
