"""The figures as Chromium shows them: the moving one only to people who welcome motion."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("motion", "moving_shown"), [("no-preference", True), ("reduce", False)])
def test_the_moving_figure_shows_only_to_people_who_have_not_asked_for_less_motion(
        browser: Browser, service: str, motion: str, moving_shown: bool) -> None:
    context = browser.new_context(reduced_motion=motion)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(service + "/exercises/bird-dog")
        moving = page.locator(".figure-moving")
        expect(moving).to_be_visible() if moving_shown else expect(moving).to_be_hidden()
        # The still start and end poses are there either way.
        expect(page.get_by_role("img", name="Bird dog, start:", exact=False)).to_be_visible()
        expect(page.get_by_role("img", name="Bird dog, end:", exact=False)).to_be_visible()
    finally:
        context.close()
