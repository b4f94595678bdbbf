"""The form a person fills in, and the result page they get back."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

Answer = Callable[..., TestResponse]


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def test_the_form_asks_every_question_in_plain_words(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    for question in ("How old are you?", "How much strength training have you done?",
                     "How bad is your back pain right now?", "How long has this bout of back pain lasted?",
                     "Does pain spread down your leg to below the knee?",
                     "Have you had back surgery or a serious back injury?",
                     "Do you have any of these signs?", "Do any of these apply to you?",
                     "What equipment can you use?", "How many days a week can you exercise?"):
        assert question in page
    assert "Numbness or tingling around your private parts" in page
    assert "You are pregnant, or might be" in page
    assert "Broom handle or long stick" in page
    assert '<script' not in page  # works without JavaScript


def test_a_person_without_pain_gets_a_plan_starting_at_the_beginner_tier(answer_questionnaire: Answer) -> None:
    response = answer_questionnaire()
    page = text_of(response)
    assert response.status_code == 200
    assert "You can start" in page
    assert "Start here" in page
    assert "Glute bridge" in page
    assert "Monday" in page and "Wednesday" in page and "Friday" in page
    assert "Knee to chest stretch" in page


def test_ticked_equipment_shows_up_in_the_plan(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(experience="advanced", equipment=["barbell", "power_rack"]))
    assert "Rack pull" not in page or "Deadlift" in page
    assert "Deadlift" in page
    assert "Barbell and weight plates" in page


def test_an_emergency_sign_shows_what_to_do_now_and_no_exercises(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(red_flags="saddle_numbness", no_red_flags=None))
    assert "Get emergency help now" in page
    assert "Call an ambulance" in page
    assert "Glute bridge" not in page
    assert "Start here" not in page


def test_pain_now_starts_gently_and_says_why(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(pain_now="4", pain_duration="under_6_weeks", experience="advanced",
                                        equipment=["barbell", "power_rack"]))
    assert "Start gently" in page
    assert "You have back pain right now." in page
    assert "You start at the beginner tier with no weights." in page


def test_errors_are_shown_next_to_each_field_and_summarised_and_answers_are_kept(
        answer_questionnaire: Answer) -> None:
    response = answer_questionnaire(age="12", experience=None, pain_now="5", pain_duration="none",
                                    equipment=["kettlebell"])
    page = text_of(response)
    assert response.status_code == 422
    assert "Please check 3 answers" in page
    assert page.count("This plan is for people aged 16 and over. A doctor") == 2  # summary and field
    assert page.count("choose how long this bout has lasted") == 2
    assert page.count("Please answer this question.") == 2
    assert 'href="#q-age"' in page
    assert 'value="12"' in page
    assert '<input checked id="pain_now-5"' in page
    assert 'checked id="equipment-8" name="equipment" type="checkbox" value="kettlebell"' in page


def test_the_warning_signs_need_a_definite_answer(answer_questionnaire: Answer) -> None:
    blank = text_of(answer_questionnaire(no_red_flags=None))
    assert "Tick the signs you have, or tick" in blank
    both = text_of(answer_questionnaire(red_flags="night_pain"))
    assert "You ticked some signs and also" in both


def test_an_answer_that_is_not_a_choice_is_refused_with_a_message(answer_questionnaire: Answer) -> None:
    response = answer_questionnaire(age="forty", experience="expert", pain_now="11", red_flags="headache",
                                    no_red_flags=None)
    page = text_of(response)
    assert response.status_code == 422
    assert "Enter your age in years, as a whole number" in page
    assert "&#39;expert&#39; is not an allowed answer" in page
    assert "Choose a number from 0 to 10." in page
    assert "&#39;headache&#39; in the list is not an allowed answer" in page


def test_the_result_page_cannot_be_reached_without_answers(client: FlaskClient) -> None:
    response = client.get("/plan")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_no_response_sets_a_cookie_or_is_cached(client: FlaskClient, answer_questionnaire: Answer) -> None:
    responses = [client.get("/"), answer_questionnaire(), answer_questionnaire(age="9"),
                 client.post("/api/v1/plan", json={}), client.get("/missing"),
                 client.get("/static/style.css")]
    for response in responses:
        assert "Set-Cookie" not in response.headers
    for response in responses[:-1]:
        assert response.headers["Cache-Control"] == "no-store"
    responses[-1].close()


def test_every_page_shows_the_rules_version(client: FlaskClient, answer_questionnaire: Answer) -> None:
    assert "Rules version 1.2.0" in text_of(client.get("/"))
    assert "Rules version 1.2.0" in text_of(answer_questionnaire())


def test_an_unknown_address_gets_a_friendly_page(client: FlaskClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "There is no page at this address." in text_of(response)


def test_a_form_over_64_kb_gets_a_friendly_413(client: FlaskClient) -> None:
    response = client.post("/plan", data={"age": "40", "padding": "x" * (70 * 1024)})
    assert response.status_code == 413
    assert "too large" in text_of(response)
