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
