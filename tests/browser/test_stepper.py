"""The questionnaire one step at a time (static/form.js), and the same form without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from recommender.model.intake import HEALTH_FLAGS, RED_FLAGS
from tests.browser.conftest import STEP_ANSWERS, STEPS, answer, next_step, reach_step, settled, shown_step

pytestmark = pytest.mark.browser

ERROR_RED = "rgb(179, 38, 30)"


def progress(page: Page) -> tuple[str, float, float]:
    """What the progress line says, and the bar's value and maximum."""
    bar = page.locator("progress")
    return (page.locator(".progress-text").inner_text(), float(bar.evaluate("b => b.value")),
            float(bar.evaluate("b => b.max")))


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id"))


def test_the_stepper_goes_one_step_at_a_time_with_the_mouse_and_the_progress_bar_reaches_the_end(
        page: Page, service: str) -> None:
    page.goto(service + "/")
    seen = []
    for number, title in enumerate(STEPS, start=1):
        assert shown_step(page) == title
        text, value, most = progress(page)
        seen.append((text, value / most))
        if number == 1:
            expect(page.get_by_role("button", name="Back")).to_be_hidden()
            page.locator("#age").fill("42")
            page.locator("#experience-0").check()
        elif number == 2:
            assert focused_id(page) == "pain_now-0"  # the step's first question has the focus
            for choice in ("pain_now-0", "pain_duration-0", "pain_below_knee-1", "back_surgery_or_injury-1"):
                page.locator(f"#{choice}").check()
        elif number == 3:
            page.locator("#no_red_flags").check()
        elif number == 4:
            page.locator("#no_health_flags").check()
        if number < len(STEPS):
            expect(page.get_by_role("button", name="Show my plan")).to_be_hidden()
            next_step(page)
    assert seen == [(f"Step {n} of 5", n / 5) for n in range(1, 6)]
    expect(page.get_by_role("button", name="Next", exact=True)).to_be_hidden()
    # Back keeps the answers given.
    page.get_by_role("button", name="Back").click()
    assert shown_step(page) == "Your health" and page.locator("#no_health_flags").is_checked()
    next_step(page)
    page.locator("#days_per_week-1").check()
    page.get_by_role("button", name="Show my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You can start")


def test_the_stepper_is_answered_with_the_keyboard_alone(page: Page, service: str) -> None:
    page.goto(service + "/")
    keyboard = page.keyboard
    for _ in range(10):
        keyboard.press("Tab")
        if focused_id(page) == "age":
            break
    keyboard.type("42")
    keyboard.press("Tab")
    assert focused_id(page) == "experience-0"
    keyboard.press("Space")
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Next"
    keyboard.press("Enter")
    settled(page)

    assert shown_step(page) == "Your back pain" and focused_id(page) == "pain_now-0"
    keyboard.press("ArrowRight")  # pain 1
    keyboard.press("ArrowRight")  # pain 2
    keyboard.press("Tab")
    keyboard.press("ArrowDown")  # less than 6 weeks
    keyboard.press("Tab")
    keyboard.press("ArrowRight")  # below the knee: no
    keyboard.press("Tab")
    keyboard.press("ArrowRight")  # surgery or injury: no
    keyboard.press("Enter")  # Enter goes on, as the Next button does
    settled(page)

    assert shown_step(page) == "Warning signs" and focused_id(page) == "red_flags-0"
    for _ in RED_FLAGS:  # past every sign to "None of these"
        keyboard.press("Tab")
    assert focused_id(page) == "no_red_flags"
    keyboard.press("Space")
    keyboard.press("Enter")
    settled(page)

    assert shown_step(page) == "Your health" and focused_id(page) == "health_flags-0"
    for _ in HEALTH_FLAGS:
        keyboard.press("Tab")
    keyboard.press("Space")
    keyboard.press("Tab")
    keyboard.press("Enter")
    settled(page)

    assert shown_step(page) == "Equipment and days" and focused_id(page) == "equipment-0"
    keyboard.press("Space")  # an exercise mat
    for _ in range(12):
        keyboard.press("Tab")
    assert focused_id(page) == "days_per_week-0"
    keyboard.press("ArrowRight")  # 3 days
    assert progress(page)[1:] == (5.0, 5.0)
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Show my plan"
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start gently")
    expect(page.get_by_text("Exercise mat").first).to_be_attached()


def test_an_error_in_step_2_keeps_the_person_on_step_2_with_the_focus_on_the_field(page: Page, service: str) -> None:
    page.goto(service + "/")
    page.locator("#age").fill("42")
    page.locator("#experience-0").check()
    next_step(page)
    next_step(page)  # nothing answered
    assert shown_step(page) == "Your back pain" and progress(page)[0] == "Step 2 of 5"
    assert focused_id(page) == "pain_now-0"
    expect(page.locator("#pain_now-error")).to_have_text("Error: Please answer this question.")
    expect(page.locator("#q-pain_now")).to_have_class("question has-error")
    assert page.locator("#q-pain_now").get_attribute("aria-describedby") == "pain_now-help pain_now-error"

    # Pain now, but "no back pain": the server's words for it, on that question.
    for choice in ("pain_now-4", "pain_duration-0", "pain_below_knee-1", "back_surgery_or_injury-1"):
        page.locator(f"#{choice}").check()
    next_step(page)
    assert shown_step(page) == "Your back pain" and focused_id(page) == "pain_duration-0"
    expect(page.locator("#pain_now-error")).to_have_count(0)
    expect(page.locator("#pain_duration-error")).to_have_text(
        "Error: You said you have pain now, so choose how long this bout has lasted.")
    page.locator("#pain_duration-1").check()
    next_step(page)
    assert shown_step(page) == "Warning signs"


def test_the_professional_check_is_asked_on_the_health_step_only_of_people_with_back_pain_now_or_lately(
        page: Page, service: str) -> None:
    page.goto(service + "/")
    reach_step(page, 2)
    for choice in ("pain_now-3", "pain_duration-1", "pain_below_knee-1", "back_surgery_or_injury-1"):
        page.locator(f"#{choice}").check()
    next_step(page)
    page.locator("#no_red_flags").check()
    next_step(page)
    assert shown_step(page) == "Your health"
    check = page.locator("#q-professional_check")
    expect(check).to_be_visible()
    page.locator("#professional_check-2").check()
    for _ in range(2):
        page.get_by_role("button", name="Back").click()
    assert shown_step(page) == "Your back pain"
    page.locator("#pain_now-0").check()
    page.locator("#pain_duration-0").check()  # no pain now and no bout: not asked, and left blank
    next_step(page)
    next_step(page)
    expect(check).to_be_hidden()
    expect(page.locator("input[name=professional_check]:checked")).to_have_count(0)
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()
    page.locator("#pain_duration-1").check()  # a bout in the last few weeks, now eased
    assert check.evaluate("question => !question.hidden")  # asked again, on the health step,
    expect(page.locator("input[name=professional_check]:checked")).to_have_count(0)  # with nothing ticked


def test_a_wrong_age_is_outlined_with_the_servers_message(page: Page, service: str) -> None:
    page.goto(service + "/")
    page.locator("#age").fill("12")
    next_step(page)
    assert focused_id(page) == "age"
    expect(page.locator("#age-error")).to_have_text(
        "Error: This plan is for people aged 16 and over. A doctor or physiotherapist can advise younger people.")
    expect(page.locator("#age")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#age")).to_have_css("border-top-color", ERROR_RED)


def test_after_a_failed_post_the_error_summary_has_the_focus_and_each_field_is_outlined(
        page: Page, service: str) -> None:
    page.goto(service + "/")
    page.evaluate("document.querySelector('form').submit()")  # past the browser's checks, as if they failed
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check 9 answers")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert shown_step(page) == "About you"
    expect(page.locator("#age")).to_have_css("border-top-color", ERROR_RED)
    expect(page.locator("#q-experience .choices label").first).to_have_css("border-top-color", ERROR_RED)
    # A link in the summary leads to its question, on its own step.
    summary.get_by_role("link", name="Do any of these warning signs apply to you?").click()
    assert shown_step(page) == "Warning signs" and focused_id(page) == "red_flags-0"


def test_none_of_these_and_the_signs_clear_each_other(page: Page, service: str) -> None:
    page.goto(service + "/")
    reach_step(page, 3)
    page.locator("#red_flags-3").check()
    page.locator("#no_red_flags").check()
    assert not page.locator("#red_flags-3").is_checked()
    page.locator("#red_flags-5").check()
    assert not page.locator("#no_red_flags").is_checked()


def test_equipment_quick_picks_tick_the_boxes_which_can_then_be_changed(page: Page, service: str) -> None:
    page.goto(service + "/")
    reach_step(page, 5)
    boxes = page.locator("input[name=equipment]")

    def ticked() -> list[str]:
        return [str(value) for value in boxes.evaluate_all("bs => bs.filter(b => b.checked).map(b => b.value)")]

    page.get_by_role("button", name="A gym").click()
    assert len(ticked()) == 12
    page.get_by_role("button", name="Things at home").click()
    assert ticked() == ["mat", "dowel"]
    page.locator("input[value=resistance_band]").check()
    assert ticked() == ["mat", "dowel", "resistance_band"]
    page.get_by_role("button", name="Nothing").click()
    assert ticked() == []


def test_without_javascript_the_whole_form_shows_at_once(without_javascript: BrowserContext, service: str) -> None:
    page = without_javascript.new_page()
    page.goto(service + "/")
    for title in STEPS:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".progress")).to_be_hidden()
    expect(page.get_by_role("button", name="Next", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="A gym")).to_be_hidden()  # quick picks need the script
    page.get_by_role("button", name="Show my plan").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check 9 answers")


def test_an_emergency_sign_on_step_3_shows_the_emergency_result_at_once_with_the_call_first(
        page: Page, service: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(service + "/")
    reach_step(page, 3)
    page.locator('input[name=red_flags][value="saddle_numbness"]').check()
    next_step(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emergency help now")
    call = page.locator("main a[href^='tel:']").first
    expect(call).to_be_in_viewport()
    assert call.evaluate("link => link === document.querySelector('main a, main button')")
    assert page.locator("form[data-stepper]").count() == 0  # the health and equipment steps never came
    # Back, the form is there to answer again, and it goes on as before.
    page.go_back()
    reach_step(page, 4)


def test_a_step_that_settles_nothing_urgent_goes_on_to_the_next_step(page: Page, service: str) -> None:
    page.goto(service + "/")
    reach_step(page, 3)
    page.locator('input[name=red_flags][value="night_pain"]').check()
    next_step(page)
    assert shown_step(page) == "Your health"


@pytest.mark.parametrize("answers", [
    {},
    {"pain_now": "3", "pain_duration": "under_6_weeks", "equipment": ("mat", "kettlebell")},
    {"experience": "advanced", "equipment": ("barbell", "power_rack", "bench"), "days_per_week": "4"},
    {"red_flags": ("night_pain", "weight_loss")},
], ids=["no-pain", "pain-now", "advanced", "warning-signs"])
def test_the_same_answers_give_the_same_result_through_the_stepper_and_the_plain_form(
        page: Page, without_javascript: BrowserContext, service: str, answers: dict[str, object]) -> None:
    plain = without_javascript.new_page()
    results = []
    for target in (page, plain):
        target.goto(service + "/")
        answer(target, **answers)  # type: ignore[arg-type]
        results.append((target.locator("#triage-title").inner_text(),
                        target.locator("article.exercise h3").all_inner_texts(),
                        target.locator(".reasons li").all_inner_texts()))
    assert results[0] == results[1]
    assert page.locator(".progress").count() == 0  # the stepper's page was the result, not the form


def test_a_result_brought_back_from_the_back_forward_cache_is_cleared(page: Page, service: str) -> None:
    page.goto(service + "/")
    answer(page)
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get a safe starting plan for a stronger lower back")
    assert page.url == service + "/"


def test_the_pain_scale_is_two_even_rows_on_a_phone_and_one_row_when_there_is_room(page: Page, service: str) -> None:
    rows = ("() => [...document.querySelectorAll('#q-pain_now .choices label')]"
            ".map(c => Math.round(c.getBoundingClientRect().y))")
    # 640 px wide is a 1280 px window at 200% zoom.
    for width, expected in ((320, [6, 5]), (390, [6, 5]), (640, [11])):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(service + "/")
        reach_step(page, 2)
        tops: list[int] = page.evaluate(rows)
        assert [tops.count(top) for top in sorted(set(tops))] == expected, (width, tops)


@pytest.mark.parametrize("in_pain", [False, True], ids=["no-pain", "in-pain"])
@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_each_step_fits_in_one_and_a_half_phone_screens(page: Page, service: str, number: int,
                                                        in_pain: bool) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(service + "/")
    if in_pain and number > 2:
        # Pain now, so the health step asks whether a professional has checked the back.
        reach_step(page, 2)
        page.locator("#pain_now-3").check()
        page.locator("#pain_duration-1").check()
        for choice in ("pain_below_knee-1", "back_surgery_or_injury-1"):
            page.locator(f"#{choice}").check()
        next_step(page)
        for step in range(3, number):
            page.locator(f"#{STEP_ANSWERS[step - 1][0]}").check()
            next_step(page)
        assert shown_step(page) == STEPS[number - 1]
    else:
        reach_step(page, number)
        if in_pain and number == 2:
            page.locator("#pain_now-3").check()
            page.locator("#pain_duration-1").check()
    # The height of the whole page while this step shows (the step's Next button is above the foot).
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 1.5 * 844, f"step {number}: {height} px"
