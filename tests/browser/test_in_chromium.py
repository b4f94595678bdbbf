"""The whole product in a real browser: the form, the plan, printing, and a clinic's embed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from recommender.model.ruleset import Ruleset
from tests.browser.conftest import answer, reach_result
from tests.pdf_tools import page_count, text_of

pytestmark = pytest.mark.browser


def test_a_person_fills_in_the_form_gets_a_plan_and_downloads_it(page: Page, service: str,
                                                                 console_errors: list[str]) -> None:
    page.goto(service + "/")
    answer(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You can start")
    expect(page.get_by_text("Start here")).to_be_visible()
    # plan.js ran under our CSP and showed the button it handles.
    expect(page.get_by_role("button", name="Print this plan")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == "lower-back-plan.pdf"
    pdf = download.value.path().read_bytes()
    assert "Glute bridge" in text_of(pdf)
    assert not [error for error in console_errors if "Content Security Policy" in error], console_errors


PRINTED = [
    pytest.param({}, ["Drawing-in (deep tummy brace)", "Dead bug", "Bird dog", "Glute bridge", "Lying chest lift",
                      "Bodyweight squat"], "If any of these happen later", id="beginner"),
    pytest.param({"experience": "intermediate", "equipment": ("mat", "kettlebell", "stability_ball")},
                 ["Forearm plank", "Side plank", "Ball bridge roll-in", "Romanian deadlift (light)"],
                 "If any of these happen later", id="intermediate"),
    pytest.param({"experience": "advanced", "days_per_week": "4",
                  "equipment": ("mat", "stability_ball", "bosu", "dowel", "bench", "back_extension_bench",
                                "reverse_hyper", "resistance_band", "kettlebell", "dumbbells", "barbell",
                                "power_rack")},
                 ["Deadlift", "Barbell good morning", "Weighted back extension", "Reverse hyper on a machine",
                  "Kettlebell swing", "Side plank"], "If any of these happen later", id="longest"),
    pytest.param({"red_flags": ("saddle_numbness",)}, [], "Warning signs and what to do", id="withheld"),
]


@pytest.mark.parametrize(("answers", "exercises", "safety_heading"), PRINTED)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_plan_fits_two_pages_and_a_log_and_keeps_the_safety_net(
        page: Page, service: str, answers: dict[str, object], exercises: list[str], safety_heading: str,
        paper: str, rules: Ruleset) -> None:
    page.goto(service + "/")
    reach_result(page, **answers)
    page.emulate_media(media="print")
    pdf = page.pdf(format=paper)
    text = text_of(pdf)
    pages = page_count(pdf)
    assert safety_heading in text
    assert "Numb or odd-feeling groin or bottom" in text
    assert f"Rules version {rules.version}" in text
    assert "Print this plan" not in text and "Download PDF" not in text and "Skip to main content" not in text
    if exercises:
        assert pages <= 3
        for name in exercises:
            assert name in text
        # The steps, in closed "How to do it" sections, print: the first exercise's last one.
        first = next(exercise for exercise in rules.exercises.values() if exercise.name == exercises[0])
        assert first.steps[-1] in text
        assert "Your log for the first two weeks" in text_of(pdf, page=pages)
        assert "Your log for the first two weeks" not in text_of(pdf, page=pages - 1)
    else:
        assert pages == 1
        assert "Get emergency help now" in text


# The one-line snippet (our script builds the frame in the element), and the long form (the
# frame and the same script written out) for a site that loads no script from another website.
SNIPPETS = [pytest.param("embed.html", "#lowerback-plan iframe", id="snippet"),
            pytest.param("embed-long.html", "iframe#lowerback-plan", id="long-form")]


@pytest.mark.parametrize(("clinic_page", "frame_element"), SNIPPETS)
def test_an_allowed_clinic_page_embeds_the_form_and_hears_only_the_outcome(
        page: Page, service: str, clinic_site: int, clinic_page: str, frame_element: str) -> None:
    page.goto(f"http://localhost:{clinic_site}/{clinic_page}")
    frame = page.frame_locator(frame_element)
    expect(frame.get_by_text("How old are you?")).to_be_visible()
    page.wait_for_function("window.received.some(m => m.data.type === 'lowerback.resize')")
    answer(frame, pain_now="3", pain_duration="under_6_weeks")
    expect(frame.get_by_role("heading", level=1)).to_have_text("Start gently")
    expect(frame.get_by_role("heading", name="Get help from Riverside Physiotherapy (demo)")).to_be_visible()
    page.wait_for_function("window.completed !== undefined")

    # The demo clinic's profile shares only that the form was completed, not the level.
    assert page.evaluate("JSON.stringify(window.completed)") == "{}"
    received = page.evaluate("window.received")
    assert {message["origin"] for message in received} == {service}
    assert {message["data"]["type"] for message in received} == {"lowerback.resize", "lowerback.completed"}
    completed = [m["data"] for m in received if m["data"]["type"] == "lowerback.completed"]
    assert completed == [{"type": "lowerback.completed"}]
    # The frame grows to the last height it reported (a whole plan): no inner scroll bar.
    page.wait_for_function("""(selector) => {
        const sizes = window.received.filter(m => m.data.type === "lowerback.resize");
        const reported = sizes[sizes.length - 1].data.height;
        const shown = document.querySelector(selector).getBoundingClientRect().height;
        return reported > 1500 && Math.abs(shown - reported) <= 1;
    }""", arg=frame_element)


def test_the_empty_embed_starts_compact_without_the_clinics_header_and_grows_step_by_step(
        page: Page, clinic_site: int) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"http://localhost:{clinic_site}/embed.html")
    frame = page.frame_locator("#lowerback-plan iframe")
    expect(frame.get_by_text("Step 1 of 5")).to_be_visible()
    height = """() => {
        const sizes = window.received.filter(m => m.data.type === "lowerback.resize");
        const shown = document.querySelector("#lowerback-plan iframe").getBoundingClientRect().height;
        return sizes.length && Math.abs(shown - sizes[sizes.length - 1].data.height) <= 1 ? shown : 0;
    }"""
    page.wait_for_function(height)
    first = page.evaluate(height)
    assert 0 < first <= 900, first
    # The clinic's page names the clinic: the frame does not repeat its header.
    expect(frame.locator(".site-header")).to_have_count(0)
    expect(frame.get_by_text("Riverside Physiotherapy (demo)")).to_have_count(0)
    frame.locator("#age").fill("42")
    frame.locator("#experience-0").check()
    frame.get_by_role("button", name="Next", exact=True).click()
    frame.get_by_role("button", name="Next", exact=True).click()  # step 2 unanswered: it stays
    frame.locator("#pain_now-0").check()
    frame.locator("#pain_duration-0").check()
    frame.locator("#pain_below_knee-1").check()
    frame.locator("#back_surgery_or_injury-1").check()
    frame.get_by_role("button", name="Next", exact=True).click()
    expect(frame.get_by_text("Step 3 of 5")).to_be_visible()
    page.wait_for_function(f"() => ({height})() > {first}")


def test_a_page_on_an_origin_the_clinic_does_not_allow_cannot_frame_it(
        page: Page, clinic_site: int, console_errors: list[str]) -> None:
    page.goto(f"http://127.0.0.1:{clinic_site}/embed.html")
    page.wait_for_load_state("load")
    expect(page.frame_locator("#lowerback-plan iframe").get_by_text("How old are you?")).to_have_count(0)
    framed = [frame for frame in page.frames if frame != page.main_frame]
    assert [frame.url for frame in framed] == ["chrome-error://chromewebdata/"]
    assert page.evaluate("window.received") == []
    assert any("frame-ancestors" in error for error in console_errors), console_errors


def test_the_snippet_page_previews_the_embed_on_our_own_site(page: Page, service: str) -> None:
    page.goto(service + "/embed/demo/snippet")
    frame = page.frame_locator("#lowerback-plan iframe")
    answer(frame, experience="advanced", equipment=("kettlebell",))
    # The demo clinic's profile shares only that the form was completed, not the result.
    expect(page.locator("#preview-events")).to_have_text(
        "Completed. (Your profile shares only that the form was completed.)")
    # The demo clinic never prescribes it: no exercise card, and "Why this plan?" says so.
    expect(frame.locator("article.exercise", has_text="Kettlebell swing")).to_have_count(0)
    expect(frame.locator(".why", has_text="your clinic does not prescribe it")).to_have_count(1)


@pytest.mark.parametrize("site", ["localhost", "127.0.0.1"], ids=["cross-site", "same-site-other-port"])
def test_a_form_posted_from_another_website_is_refused(page: Page, service: str, clinic_site: int,
                                                       site: str) -> None:
    page.goto(f"http://{site}:{clinic_site}/cross-site-form.html")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not accept this form")
