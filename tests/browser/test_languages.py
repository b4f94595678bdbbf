"""The form in Spanish and German, on a phone, in a real Chromium: the stepper leads to a plan and
to an emergency in each language, and each page passes the accessibility, HTML and reflow gates
as the English does. The buttons are found by their words in the language, from its catalogue."""

from __future__ import annotations

import re
from gettext import NullTranslations
from typing import Any

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from tests.browser.conftest import answer, axe_violations, describe_violations, send_answers
from tests.browser.test_accessibility import SIDEWAYS, open_every_details
from tests.conftest import PROJECT

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LANGUAGES = ("es", "de")


def words(language: str) -> NullTranslations:
    return Translations.load(str(PROJECT / "translations"), [language])


def the_stepper_in(page: Page, service: str, language: str, **answers: Any) -> NullTranslations:
    said = words(language)
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.goto(f"{service}/?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    answer(page, next_button=said.gettext("Next"), submit=said.gettext("Show my plan"), **answers)
    expect(page.locator("html")).to_have_attribute("lang", language)
    return said


def gates(page: Page, where: str) -> None:
    """The accessibility and reflow gates, as every English page passes them."""
    open_every_details(page)
    violations = axe_violations(page)
    assert not violations, f"axe on {where}:\n{describe_violations(violations)}"
    page.set_viewport_size({"width": 320, "height": 640})
    found = page.evaluate(SIDEWAYS)
    assert found["scrollWidth"] <= found["innerWidth"] and found["scrolled"] == 0, (where, found)
    assert not found["wide"], f"{where}: wider than the viewport:\n" + "\n".join(found["wide"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_stepper_leads_to_a_plan_in_the_persons_language(page: Page, service: str, language: str) -> None:
    said = the_stepper_in(page, service, language, equipment=("mat",))
    expect(page.locator(".triage-clear")).to_have_count(1)
    start = {"es": "Principiante", "de": "Einsteiger"}[language]
    expect(page.locator(".tier-start h2")).to_contain_text(start)
    expect(page.get_by_role("button", name=said.gettext("Start today's session"))).to_be_visible()
    # Nothing of the plan is left in English: its first exercise's steps are in the language.
    english_step = re.compile(r"\b(your|the|and|with)\b", re.IGNORECASE)
    first_steps = page.locator(".tier-start .exercise").first.locator("ol li").all_inner_texts()
    assert first_steps and not any(english_step.search(step) for step in first_steps), first_steps
    gates(page, f"plan in {language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_stepper_leads_to_an_emergency_with_the_call_first_in_the_persons_language(
        page: Page, service: str, language: str) -> None:
    the_stepper_in(page, service, language, red_flags=("saddle_numbness",))
    expect(page.locator(".triage-emergency")).to_have_count(1)
    call = page.locator('a[href^="tel:"]').first
    expect(call).to_be_visible()
    # The number is the region's (999 in the UK), whatever the language.
    expect(call).to_have_attribute("href", "tel:999")
    gates(page, f"emergency in {language}")


def test_switching_language_mid_form_keeps_the_answers(page: Page, service: str) -> None:
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.goto(service + "/")
    page.locator("#age").fill("47")
    page.locator('input[name=experience][value="beginner"]').check()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#age")).to_have_value("47")
    expect(page.locator('input[name=experience][value="beginner"]')).to_be_checked()


def test_switching_language_on_a_result_shows_the_same_result_in_the_other_language(page: Page, service: str) -> None:
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.goto(service + "/")
    send_answers(page, experience="beginner", equipment=("mat",))
    first = page.locator(".tier-start .exercise").first.get_attribute("id")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".tier-start h2")).to_contain_text("Principiante")
    assert page.locator(".tier-start .exercise").first.get_attribute("id") == first
