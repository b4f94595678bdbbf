"""The form a person fills in, and the result page they get back."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

Answer = Callable[..., TestResponse]


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def shown_text(page: str) -> str:
    """The page's text without its tags (and so without the messages kept in attributes)."""
    return re.sub(r"<[^>]+>", " ", page)


def test_the_form_asks_every_question_in_plain_words(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    for question in ("How old are you?", "How much strength training have you done?",
                     "How bad is your back pain right now?", "How long has this bout of back pain lasted?",
                     "Does pain spread down your leg to below the knee?",
                     "Have you had back surgery or a serious back injury?",
                     "Do any of these warning signs apply to you?", "Do any of these apply to you?",
                     "What equipment can you use?", "How many days a week can you exercise?"):
        assert question in page
    assert "Numb, tingling or odd feeling around your private parts" in page
    assert "You are pregnant, or might be" in page
    assert "Broom handle or long stick" in page
    # One script, which only shows the same form a step at a time: every question is in the page.
    # One script of our own, under its fingerprinted name (see recommender/web/app/assets.py).
    assert re.fullmatch(r'<script src="/static/form\.[0-9a-f]{12}\.js">', " ".join(re.findall(r"<script[^>]*>", page)))


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
    assert "Your plan starts gently, with no weights at first." in page


def test_errors_are_shown_next_to_each_field_and_summarised_and_answers_are_kept(
        answer_questionnaire: Answer) -> None:
    response = answer_questionnaire(age="12", experience=None, pain_now="5", pain_duration="none",
                                    equipment=["kettlebell"])
    page = text_of(response)
    assert response.status_code == 422
    assert "Please check 3 answers" in page
    shown = shown_text(page)
    assert shown.count("This plan is for people aged 16 and over. A doctor") == 2  # summary and field
    assert shown.count("choose how long this bout has lasted") == 2
    assert shown.count("Please answer this question.") == 2
    assert 'href="#q-age"' in page
    assert 'value="12"' in page
    assert '<input checked id="pain_now-5"' in page
    assert '<input checked data-presets="gym" id="equipment-8" name="equipment" type="checkbox" value="kettlebell"' \
        in page


def test_the_warning_signs_need_a_definite_answer(answer_questionnaire: Answer) -> None:
    blank = text_of(answer_questionnaire(no_red_flags=None))
    assert "Tick each one that applies to you, or tick" in blank
    both = text_of(answer_questionnaire(red_flags="night_pain"))
    assert "You ticked some of these and also" in both


def test_a_shortened_warning_sign_keeps_its_whole_wording_one_tap_away_and_on_the_result(
        client: FlaskClient, answer_questionnaire: Answer) -> None:
    page = text_of(client.get("/"))
    signs = page.split('id="q-red_flags"')[1].split("</fieldset>")[0]
    box = re.search(r'<input aria-describedby="([\w-]+)" id="red_flags-\d+" name="red_flags" type="checkbox" '
                    r'value="night_pain"><span>([^<]+)</span>', signs)
    assert box is not None and box[2] == "Night pain that moving doesn&#39;t ease"
    # Behind "What do these mean?", and read with the box: the sign as the rules word it.
    assert "<summary>What do these mean?</summary>" in signs
    assert (f'<dt>Night pain that moving doesn&#39;t ease</dt><dd id="{box[1]}">Constant pain at night that '
            "does not ease when you change position.</dd>") in signs
    result = shown_text(text_of(answer_questionnaire(red_flags="night_pain", no_red_flags=None)))
    assert "Constant pain at night that does not ease when you change position" in result


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
    assert "Rules version 3.0.0" in text_of(client.get("/"))
    assert "Rules version 3.0.0" in text_of(answer_questionnaire())


def test_an_unknown_address_gets_a_friendly_page(client: FlaskClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "There is no page at this address." in text_of(response)


def test_a_form_over_64_kb_gets_a_friendly_413(client: FlaskClient) -> None:
    response = client.post("/plan", data={"age": "40", "padding": "x" * (70 * 1024)})
    assert response.status_code == 413
    assert "too large" in text_of(response)


def data_checks(attributes: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in re.findall(r'data-check-([\w-]+)="([^"]*)"', attributes)}


def checks_on(page: str, question: str) -> dict[str, str]:
    """The data-check-* messages the browser shows for a question as a step is left: the question's
    own, over those most questions share, which the form carries; an empty `missing` on the
    question says it may be left blank."""
    element = re.search(rf'id="q-{question}"([^>]*)>', page)
    form = re.search(r'<form [^>]*id="intake"([^>]*)>', page)
    assert element and form, question
    checks = data_checks(form[1]) | data_checks(element[1])
    return {name: message for name, message in checks.items() if message}


def test_the_browser_checks_each_step_with_the_servers_own_messages(client: FlaskClient,
                                                                    answer_questionnaire: Answer) -> None:
    page = text_of(client.get("/"))
    empty = text_of(client.post("/plan", data={}))
    for question in ("age", "experience", "pain_now", "pain_duration", "pain_below_knee",
                     "back_surgery_or_injury", "red_flags", "health_flags", "days_per_week"):
        missing = checks_on(page, question)["missing"]
        assert html.escape(missing, quote=False) in empty.split(f'id="{question}-error"')[1].split("</p>")[0]
    assert "missing" not in checks_on(page, "equipment")  # equipment may be left blank

    age = checks_on(page, "age")
    for typed, kind in (("42.5", "whole"), ("15", "low"), ("101", "high")):
        assert html.escape(age[kind], quote=False) in text_of(answer_questionnaire(age=typed))
    assert 'min="16" max="100"' in page
    both = checks_on(page, "red_flags")["both"]
    assert html.escape(both, quote=False) in text_of(answer_questionnaire(red_flags="night_pain"))
    duration = checks_on(page, "pain_duration")
    assert (duration["refuse"], duration["refuse-when"]) == ("none", "pain_now")
    assert duration["refuse-message"] in text_of(answer_questionnaire(pain_now="1", pain_duration="none"))


def test_the_warning_signs_and_health_questions_end_with_an_explicit_none_of_these(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    for question, box in (("red_flags", "no_red_flags"), ("health_flags", "no_health_flags")):
        fieldset = page.split(f'id="q-{question}"')[1].split("</fieldset>")[0]
        assert re.search(rf'<p class="choices-or">or</p>\s*<label class="choice-none"><input[^>]* id="{box}"',
                         fieldset)
        assert "None of these apply to me" in fieldset


def test_equipment_quick_picks_tick_nothing_things_at_home_or_everything_at_a_gym(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    assert re.findall(r'data-preset="(\w+)">([^<]+)</button>', page) == [
        ("nothing", "Nothing"), ("home", "Things at home"), ("gym", "A gym")]
    by_item = {item: picks.split() for picks, item in re.findall(
        r'data-presets="([^"]*)" id="equipment-\d+" name="equipment" type="checkbox" value="(\w+)"', page)}
    assert {item for item, picks in by_item.items() if "home" in picks} == {"mat", "dowel"}
    assert all("gym" in picks and "nothing" not in picks for picks in by_item.values())
    assert len(by_item) == 12


def test_health_answers_are_not_remembered_by_the_browser(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    assert re.search(r'<form method="post" action="/plan" id="intake" class="intake" novalidate '
                     r'autocomplete="off"', page)


def test_the_professional_check_is_left_for_the_person_to_answer_and_says_when_to(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    question = page.split('id="q-professional_check"')[1].split("</fieldset>")[0]
    inputs = re.findall(r'<input [^>]*name="professional_check"[^>]*>', question)
    assert len(inputs) == 3
    assert not any(re.search(r"\s(checked|required)[\s>=]", tag) for tag in inputs)
    assert "Answer this only if you have back pain now, or had it in the last few months. " \
        "If not, leave it blank." in question


def test_the_professional_check_left_blank_is_read_as_not_checked(answer_questionnaire: Answer) -> None:
    # New pain over 50 is worth a doctor's check unless a professional has seen it: a blank
    # answer must not lift that.
    text = shown_text(text_of(answer_questionnaire(age="60", pain_now="2", pain_duration="under_6_weeks",
                                                   professional_check=None)))
    assert "Your back pain is new and you are over 50." in text


def test_the_form_s_scripts_keep_nothing_in_the_browser(client: FlaskClient) -> None:
    # On a clinic's shared tablet the next person would find whatever a script kept there.
    for form in ("/", "/check-in"):
        scripts = re.findall(r'<script src="([^"]+)"', text_of(client.get(form)))
        assert any("/form." in src for src in scripts)  # form.js, fingerprinted
        for src in scripts:
            script = text_of(client.get(html.unescape(src)))
            assert script.strip()
            for storage in ("localStorage", "sessionStorage", "indexedDB", "document.cookie"):
                assert storage not in script, f"{src} uses {storage}"


def test_the_warning_signs_for_later_are_open_on_the_result(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire())
    net = page[page.index('id="safety-net"'):]
    net = net[:net.index("</section>")]
    items = re.findall(r'<details class="safety-item safety-(\w+)"( open)?>\s*<summary><strong>([^<]+)</strong> '
                       r"if you notice:</summary>\s*<ul>", net)
    assert [(level, opened) for level, opened, _ in items] == [("emergency", " open"), ("same_day", " open")]


def test_each_how_to_do_it_is_named_for_its_exercise_for_a_screen_reader(answer_questionnaire: Answer) -> None:
    page = text_of(answer_questionnaire(equipment=["mat", "kettlebell"]))
    named = r'<h3>([^<]+)</h3>.*>How to do it<span class="visually-hidden">: ([^<]+)</span></(?:summary|a)>'
    articles = [article.split("</article>")[0] for article in page.split('<article class="exercise"')[1:]]
    cards = [found.groups() for found in (re.search(named, article, flags=re.S) for article in articles) if found]
    assert len(cards) == len(articles) >= 6
    assert all(html.unescape(name) == html.unescape(said) for name, said in cards)
    # Only session mode's is unnamed: it shows one exercise at a time, named just above it.
    assert page.count(">How to do it</summary>") == 1 and ">How to do it</a>" not in page
