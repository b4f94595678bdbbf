"""The exercise library on a phone: any group is close at hand."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}


def test_every_group_is_reached_within_three_phone_screens_through_the_filter(browser: Browser, service: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(service + "/exercises")
    groups = page.locator("#filter-group option").all_inner_texts()[1:]
    assert len(groups) >= 5
    for title in groups:
        page.goto(service + "/exercises")
        page.get_by_label("Group", exact=True).select_option(label=title)
        page.get_by_role("button", name="Show").click()
        heading = page.get_by_role("heading", level=2, name=title)
        expect(heading).to_be_visible()
        first_entry = page.locator(".library-item h3").first
        box = first_entry.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 3 * PHONE["height"], (title, box)
        assert page.locator("h2[id^=group-]").all_inner_texts() == [title]
    page.close()


def test_equipment_and_group_are_chosen_together_without_javascript(browser: Browser, service: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(service + "/exercises")
    page.get_by_label("Group", exact=True).select_option(label="Intermediate")
    page.get_by_label("Equipment", exact=True).select_option(label="Kettlebell")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Group", exact=True)).to_have_value("intermediate")
    expect(page.get_by_label("Equipment", exact=True)).to_have_value("kettlebell")
    tags = page.locator(".library-item .tags .tag:first-child").all_inner_texts()
    assert tags and all("kettlebell" in tag.lower() for tag in tags)
    page.get_by_role("link", name="Show them all").click()
    assert len(page.locator("h2[id^=group-]").all_inner_texts()) >= 5
    context.close()
