"""The result as four people read it on a phone (390 x 844): what to do first, today's session
one exercise at a time, a call button when it is urgent, and the handout they print."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import reach_result, send_answers
from tests.pdf_tools import page_count, text_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Each person's answers, and the exercises of the tier they start at, in order.
PEOPLE: dict[str, tuple[dict[str, Any], list[str]]] = {
    "beginner-without-pain": ({"experience": "beginner"}, [
        "Drawing-in (deep tummy brace)", "Dead bug", "Bird dog", "Glute bridge", "Lying chest lift",
        "Bodyweight squat"]),
    "intermediate-with-long-lasting-pain": (
        {"experience": "intermediate", "pain_now": "3", "pain_duration": "over_12_weeks"}, [
            "Drawing-in (deep tummy brace)", "Dead bug", "Bird dog", "Glute bridge", "Lying chest lift",
            "Bodyweight squat"]),
    "advanced-lifter-with-a-barbell": ({"experience": "advanced", "equipment": ("barbell",)}, [
        "Deadlift", "Romanian deadlift (light)", "Superman", "Lying leg lift (lower-body Superman)",
        "Single-leg bridge", "Side plank"]),
}


def show_result(page: Page, service: str, answers: dict[str, Any]) -> None:
    """The result on a phone, laid out with its stylesheets in (before then the page is measured
    at its unstyled height)."""
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.goto(service + "/")
    reach_result(page, **answers)


def fully_on_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return bool(box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"])


@pytest.mark.parametrize("person", PEOPLE)
def test_the_result_what_to_do_and_the_first_exercise_are_on_the_first_phone_screen(
        page: Page, service: str, person: str) -> None:
    answers, exercises = PEOPLE[person]
    show_result(page, service, answers)
    assert page.evaluate("window.scrollY") == 0
    for part in ("#triage-title", ".triage-action", "#first-session"):
        assert fully_on_first_screen(page, part), part
    first = page.locator(".tier-start .exercise h3").first
    expect(first).to_have_text(exercises[0])
    assert fully_on_first_screen(page, ".tier-start .exercise h3"), "the first exercise's name"
    assert fully_on_first_screen(page, ".tier-start .exercise .dose"), "the first exercise's dose"
    expect(page.get_by_role("button", name="Start today's session")).to_be_in_viewport()


@pytest.mark.parametrize("person", PEOPLE)
def test_the_starting_tier_comes_first_and_open_and_the_other_tiers_closed_after_it(
        page: Page, service: str, person: str) -> None:
    answers, exercises = PEOPLE[person]
    show_result(page, service, answers)
    expect(page.locator(".tier-start .exercise h3")).to_have_text(exercises)
    others = page.locator("details.tier-other")
    for index in range(others.count()):
        expect(others.nth(index)).not_to_have_attribute("open", "")
        assert others.nth(index).evaluate("(other, start) => !!(start.compareDocumentPosition(other) & 4)",
                                          page.locator(".tier-start").element_handle())


def test_the_beginners_result_is_at_most_five_and_a_half_phone_screens_tall(page: Page, service: str) -> None:
    # Four screens before each exercise's start and end were drawn across the whole card, large
    # enough to learn the movement from (about half a screen more), and before the warning signs
    # to watch for were shown open, as a person must read them without a tap (about half again).
    show_result(page, service, PEOPLE["beginner-without-pain"][0])
    expect(page.locator("details[open]:not(.safety-item)")).to_have_count(0)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 5.5 * PHONE["height"], f"{height} px is {height / PHONE['height']:.2f} screens"


def test_an_emergency_leads_with_a_call_button_and_offers_no_plan(page: Page, service: str) -> None:
    show_result(page, service, {"red_flags": ("saddle_numbness",)})
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emergency help now")
    call = page.get_by_role("link", name="Call 999")
    expect(call).to_have_attribute("href", "tel:999")
    expect(call).to_be_in_viewport()
    for plan_button in ("Print this plan", "Download PDF", "Start today's session"):
        expect(page.get_by_role("button", name=plan_button)).to_have_count(0)
    expect(page.get_by_role("heading", name="What to tell the doctor")).to_be_visible()
    expect(page.locator(".tell-list")).to_contain_text("Numb, tingling or odd feeling around your private parts")
    # The list can be printed to take along, from below the list: the call comes first.
    print_list = page.get_by_role("button", name="Print this list")
    expect(print_list).to_be_visible()
    assert call.evaluate("(call, button) => Boolean(call.compareDocumentPosition(button) & 4)",
                         print_list.element_handle())


def test_a_same_day_result_calls_the_urgent_care_number(page: Page, service: str) -> None:
    show_result(page, service, {"red_flags": ("worsening_leg_weakness",)})
    expect(page.get_by_role("link", name="Call 111")).to_have_attribute("href", "tel:111")
    expect(page.get_by_role("button", name="Print this list")).to_be_visible()


@pytest.mark.parametrize("person", PEOPLE)
def test_session_mode_steps_through_every_exercise_with_the_keyboard(page: Page, service: str, person: str) -> None:
    answers, exercises = PEOPLE[person]
    show_result(page, service, answers)
    page.get_by_role("button", name="Start today's session").focus()
    page.keyboard.press("Enter")
    for number, name in enumerate(exercises, start=1):
        heading = page.get_by_role("heading", level=2, name=name, exact=True)
        expect(heading).to_be_focused()  # a screen reader starts reading at the exercise
        expect(page.locator("[data-session-progress]")).to_have_text(f"Exercise {number} of {len(exercises)}")
        page.keyboard.press("Tab")  # past the heading, to the set counter
        expect(page.get_by_role("button", name="Set done")).to_be_focused()
        page.keyboard.press("Enter")
        next_button = page.get_by_role("button", name="Finish" if number == len(exercises) else "Next exercise")
        next_button.focus()
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Well done: that is today's session")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Start today's session")).to_be_focused()
    expect(page.locator(".tier-start")).to_be_visible()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A touch screen phone: taps, not clicks."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


def test_session_mode_steps_through_every_exercise_with_taps_and_counts_sets_and_rest(
        phone: Page, service: str) -> None:
    answers, exercises = PEOPLE["beginner-without-pain"]
    phone.goto(service + "/")
    send_answers(phone, **answers)
    phone.get_by_role("button", name="Start today's session").tap()
    expect(phone.locator(".tier-start")).to_be_hidden()  # one exercise fills the screen
    for number, name in enumerate(exercises, start=1):
        expect(phone.locator("#session-name")).to_have_text(name)
        if name == "Bird dog":  # 2 sets with 30 s rest between
            expect(phone.locator("[data-session-count]")).to_have_text("Set 1 of 2")
            phone.get_by_role("button", name="Set done").tap()
            expect(phone.locator("[data-session-timer]")).to_contain_text("Rest:")
            phone.get_by_role("button", name="Skip the rest").tap()
            expect(phone.locator("[data-session-count]")).to_have_text("Set 2 of 2")
        phone.get_by_role("button", name="Finish" if number == len(exercises) else "Next exercise").tap()
    expect(phone.get_by_role("heading", name="Well done: that is today's session")).to_be_visible()


def test_this_hurts_shows_the_stop_and_step_back_advice_at_once(page: Page, service: str) -> None:
    show_result(page, service, PEOPLE["beginner-without-pain"][0])
    page.get_by_role("button", name="Start today's session").click()
    page.get_by_role("button", name="Next exercise").click()  # Dead bug, whose easier move is named
    hurts = page.get_by_role("button", name="This hurts")
    hurts.click()
    advice = page.locator("#session-advice")
    expect(advice).to_be_focused()
    expect(advice).to_contain_text("Stop this exercise")
    expect(advice).to_contain_text("Step back")
    expect(advice).not_to_contain_text("Step back: Step back")
    expect(advice).to_contain_text("Chest pain, feeling faint")
    expect(hurts).to_have_attribute("aria-expanded", "true")


def test_session_mode_stores_and_sends_nothing(page: Page, service: str) -> None:
    show_result(page, service, PEOPLE["beginner-without-pain"][0])
    sent: list[tuple[str, str, str | None]] = []
    # The browser fetches the page's icon when it likes, which may be during the session: not ours.
    page.on("request", lambda request: None if "/static/favicon." in request.url else
            sent.append((request.method, request.url, request.post_data)))
    page.get_by_role("button", name="Start today's session").click()
    page.get_by_role("button", name="Set done").click()
    page.get_by_role("button", name="Next exercise").click()
    page.get_by_role("button", name="This hurts").click()
    # The only requests are for the moving figures of the exercises shown, from our own site:
    # the same picture for everyone, with no answer, query or body in them.
    assert [(method, url.removeprefix(service), body) for method, url, body in sent] == [
        ("GET", "/exercises/drawing-in/moving.svg", None), ("GET", "/exercises/dead-bug/moving.svg", None)]
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


@pytest.mark.parametrize("person", PEOPLE)
def test_the_printed_handout_has_every_starting_exercise_in_large_type_on_two_pages_and_a_log(
        page: Page, service: str, person: str) -> None:
    answers, exercises = PEOPLE[person]
    show_result(page, service, answers)
    page.emulate_media(media="print")
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.triage-action, .tier-start .steps li, .tier-start .dose, .pain-guide li, .safety-item li, .stop-signs li'))
        .filter(e => e.offsetParent !== null).map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 14, f"smallest body text {min(sizes)} px; 10.5 pt is 14 px"
    pdf = page.pdf(format="A4")
    text = text_of(pdf)
    for name in exercises:
        assert name in text
    assert "If any of these happen later" in text and "Get emergency help now" in text
    assert "Name:" in text and "Notes from your physiotherapist or doctor" in text
    pages = page_count(pdf)
    assert pages <= 3
    log = "Your log for the first two weeks"
    assert log in text_of(pdf, page=pages) and log not in text_of(pdf, page=pages - 1)


def on_one_screen(page: Page, selector: str) -> bool:
    """Whether all of it shows on the phone's screen as it is, without scrolling."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return bool(page.evaluate("window.scrollY") == 0 and box["y"] >= 0
                and box["y"] + box["height"] <= PHONE["height"])


SESSION_PARTS = (".session-media", "[data-session-dose]", "[data-session-set-done]")


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_every_session_state_shows_the_figures_the_dose_set_done_and_the_rest_timer_on_one_phone_screen(
        browser: Browser, service: str, motion: str) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion=motion)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(service + "/")
        send_answers(page, **PEOPLE["beginner-without-pain"][0])
        page.get_by_role("button", name="Start today's session").click()
        exercises = PEOPLE["beginner-without-pain"][1]
        for number, name in enumerate(exercises, start=1):
            expect(page.locator("#session-name")).to_have_text(name)
            page.locator(".session-media img, .session-media svg").last.wait_for()
            for part in SESSION_PARTS:
                assert on_one_screen(page, part), (name, part)
            sets = int(page.locator(f".tier-start .exercise:nth-child({number})").get_attribute("data-sets") or 1)
            for _ in range(sets):
                page.get_by_role("button", name="Set done").click()
                if page.locator("[data-session-rest]").is_visible():
                    for part in (*SESSION_PARTS, "[data-session-rest]"):
                        assert on_one_screen(page, part), (name, part)
                    page.get_by_role("button", name="Skip the rest").click()
            page.get_by_role("button", name="Finish" if number == len(exercises) else "Next exercise").click()
    finally:
        context.close()


def test_a_one_set_exercise_with_a_rest_counts_the_rest_before_the_next_exercise(page: Page, service: str) -> None:
    show_result(page, service, PEOPLE["beginner-without-pain"][0])
    first = page.locator(".tier-start .exercise").first
    assert first.get_attribute("data-sets") == "1" and first.get_attribute("data-rest") != "0"
    page.get_by_role("button", name="Start today's session").click()
    page.get_by_role("button", name="Set done").click()
    expect(page.locator("[data-session-count]")).to_have_text("Set 1 of 1: all sets done")
    expect(page.locator("[data-session-timer]")).to_contain_text("Rest:")
    expect(page.get_by_role("button", name="Next exercise")).to_be_focused()


def test_the_last_exercise_ends_without_a_rest(page: Page, service: str) -> None:
    show_result(page, service, PEOPLE["beginner-without-pain"][0])
    page.get_by_role("button", name="Start today's session").click()
    for _ in PEOPLE["beginner-without-pain"][1][1:]:
        page.get_by_role("button", name="Next exercise").click()
    last = page.locator(".tier-start .exercise").last
    for _ in range(int(last.get_attribute("data-sets") or 1)):
        page.get_by_role("button", name="Set done").click()
        if page.locator("[data-session-rest]").is_visible():
            page.get_by_role("button", name="Skip the rest").click()
    expect(page.locator("[data-session-rest]")).to_be_hidden()
    expect(page.locator("[data-session-status]")).to_have_text("All sets done. Go on when you are ready.")
