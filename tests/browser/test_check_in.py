"""A check-in in real Chromium: through the stepper, and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import TWO_GOOD_WEEKS, answer, next_step, shown_step

pytestmark = pytest.mark.browser

CHECK_IN = "Show my next two weeks"


def test_a_check_in_through_the_stepper_starts_with_the_last_two_weeks_and_moves_up(
        page: Page, service: str) -> None:
    page.goto(service + "/check-in")
    assert shown_step(page) == "How did the last two weeks go?"
    expect(page.locator(".progress-text")).to_have_text("Step 1 of 7")
    answer(page, equipment=("mat",), report=TWO_GOOD_WEEKS, submit=CHECK_IN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Move up to Intermediate")
    expect(page.locator("#tier-intermediate")).to_contain_text("Start here")


@pytest.mark.parametrize("step", [1, 2])
def test_each_check_in_step_fits_in_one_and_a_half_phone_screens(browser: Browser, service: str, step: int) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(service + "/check-in")
    if step == 2:
        page.locator('input[name=progress_tier][value="beginner"]').check()
        page.locator("#progress_sessions_done").fill("6")
        page.locator('input[name=progress_sets_completed][value="all"]').check()
        next_step(page)
        assert shown_step(page) == "Your back after the sessions"
    height = page.evaluate("document.documentElement.scrollHeight")
    page.close()
    assert height <= 1.5 * 844


def test_the_stepper_stops_on_the_check_in_step_until_it_is_answered(page: Page, service: str) -> None:
    page.goto(service + "/check-in")
    page.get_by_role("button", name="Next", exact=True).click()
    assert shown_step(page) == "How did the last two weeks go?"
    expect(page.locator("#q-progress_tier")).to_contain_text("Please answer this question.")


def test_a_check_in_without_javascript_steps_back_after_worse_mornings(
        without_javascript: BrowserContext, service: str) -> None:
    page = without_javascript.new_page()
    page.goto(service + "/check-in")
    expect(page.locator("section[data-step]")).to_have_count(7)
    answer(page, equipment=("mat",), report={**TWO_GOOD_WEEKS, "tier": "intermediate", "next_morning": "worse"},
           submit=CHECK_IN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Step back to Beginner")
    expect(page.locator("#tier-beginner")).to_contain_text("Start here")


CHECK_IN_STEPS = ["How did the last two weeks go?", "Your back after the sessions", "Warning signs",
                  "Your back pain", "Your health", "Training and days", "Equipment"]


def report_two_good_weeks(page: Page) -> None:
    """Answer the check-in's two report steps and go on to the third."""
    page.locator('input[name=progress_tier][value="beginner"]').check()
    page.locator("#progress_sessions_done").fill("6")
    page.locator('input[name=progress_sets_completed][value="all"]').check()
    next_step(page)
    page.locator('input[name=progress_pain_during_max][value="1"]').check()
    page.locator('input[name=progress_next_morning][value="same"]').check()
    next_step(page)


def to_the_training_step(page: Page) -> list[str]:
    """Answer a check-in up to its training step, with nothing changed; the steps seen on the way."""
    seen = [shown_step(page)]
    report_two_good_weeks(page)
    seen.append(shown_step(page))
    page.locator("#no_red_flags").check()
    next_step(page)
    seen.append(shown_step(page))
    for choice in ("pain_now-0", "pain_duration-0", "pain_below_knee-1", "back_surgery_or_injury-1"):
        page.locator(f"#{choice}").check()
    next_step(page)
    seen.append(shown_step(page))
    page.locator("#age").fill("42")
    page.locator("#no_health_flags").check()
    next_step(page)
    seen.append(shown_step(page))
    return seen


def ticked(page: Page, name: str) -> list[str]:
    return [str(value) for value in page.locator(f"input[name={name}]:checked").evaluate_all(
        "inputs => inputs.map(input => input.value)")]


def test_a_check_in_asks_what_may_have_changed_first_and_the_training_last_keeping_choices_on_going_back(
        browser: Browser, service: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(service + "/check-in")
    assert to_the_training_step(page) == CHECK_IN_STEPS[:1] + CHECK_IN_STEPS[2:6]
    assert ticked(page, "experience") == ticked(page, "days_per_week") == []  # nothing answered for them
    page.locator('input[name=experience][value="intermediate"]').check()
    page.locator('input[name=days_per_week][value="4"]').check()
    assert page.evaluate("document.documentElement.scrollHeight") <= 1.5 * 844
    next_step(page)
    assert shown_step(page) == "Equipment"
    assert ticked(page, "equipment") == []
    for item in ("mat", "kettlebell"):
        page.locator(f'input[name=equipment][value="{item}"]').check()
    assert page.evaluate("document.documentElement.scrollHeight") <= 1.5 * 844

    page.get_by_role("button", name="Back").click()
    assert shown_step(page) == "Training and days"
    assert ticked(page, "experience") == ["intermediate"] and ticked(page, "days_per_week") == ["4"]
    next_step(page)
    assert ticked(page, "equipment") == ["mat", "kettlebell"]
    page.get_by_role("button", name=CHECK_IN).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move up to Intermediate")
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    context.close()


def test_an_emergency_sign_at_a_check_in_shows_the_emergency_result_as_the_warning_signs_step_is_left(
        browser: Browser, service: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(service + "/check-in")
    report_two_good_weeks(page)
    assert shown_step(page) == "Warning signs"
    page.locator('input[name=red_flags][value="saddle_numbness"]').check()
    next_step(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emergency help now")
    expect(page.locator("main a[href^='tel:']").first).to_be_in_viewport()
    assert page.locator("form[data-stepper]").count() == 0  # pain, health and training never came
    page.close()


def test_without_javascript_the_check_in_is_one_page_in_the_same_order(
        without_javascript: BrowserContext, service: str) -> None:
    page = without_javascript.new_page()
    page.goto(service + "/check-in")
    titles = [title.split(" ", 1)[1] for title in page.locator("section[data-step] h2").all_inner_texts()]
    assert titles == CHECK_IN_STEPS
