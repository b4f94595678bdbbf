"""The figures as Chromium shows them: the moving one only to people who welcome motion, and
the still ones large enough to read in print."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import send_answers

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


def test_the_printed_figures_are_large_enough_to_read_on_paper(page: Page, service: str) -> None:
    page.goto(service + "/")
    send_answers(page)
    page.emulate_media(media="print")
    widths = page.evaluate("""() => Array.from(document.querySelectorAll('.tier-start .figures > figure'))
        .map(figure => figure.getBoundingClientRect().width)""")
    # CSS pixels are 96 to the inch: 35 mm is 132.3 px. The figures were 19 mm.
    assert len(widths) == 12 and min(widths) >= 35 * 96 / 25.4, widths


POSE_BOXES = """() => Array.from(document.querySelectorAll('.tier-start .figures > figure')).map(figure => {
    const drawing = figure.querySelector('svg').getBoundingClientRect();
    const name = figure.querySelector('figcaption').getBoundingClientRect();
    return {width: drawing.width, drawingBottom: drawing.bottom, nameTop: name.top};
})"""


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_each_pose_on_a_card_is_at_least_160_px_wide_with_its_name_under_the_drawing(
        page: Page, service: str, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)  # type: ignore[arg-type]
    page.goto(service + "/")
    send_answers(page)
    poses = page.evaluate(POSE_BOXES)
    assert len(poses) == 12
    for pose in poses:
        assert pose["width"] >= 160, pose
        assert pose["nameTop"] >= pose["drawingBottom"] - 0.5, pose  # never over the drawing


@pytest.mark.parametrize(("motion", "moving_shown"), [("no-preference", True), ("reduce", False)])
def test_session_mode_shows_the_moving_figure_of_the_exercise_it_shows_unless_motion_is_unwelcome(
        browser: Browser, service: str, motion: str, moving_shown: bool) -> None:
    context = browser.new_context(reduced_motion=motion)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(service + "/")
        send_answers(page)
        page.get_by_role("button", name="Start today's session").click()
        page.get_by_role("button", name="Next exercise").click()
        expect(page.locator("#session-name")).to_have_text("Dead bug")
        moving = page.get_by_role("img", name="Dead bug, moving slowly from the start to the end and back")
        if moving_shown:
            expect(moving).to_be_visible()
            # Loaded from its own address, same origin, and drawn: an image that failed has no width.
            assert moving.evaluate("image => image.complete && image.naturalWidth") > 0
            assert moving.get_attribute("src") == "/exercises/dead-bug/moving.svg"
        else:
            expect(page.locator(".session-moving")).to_be_hidden()
        # The still start and end poses stay either way.
        stills = page.locator(".session-figures")
        expect(stills.get_by_role("img", name="Dead bug, start:", exact=False)).to_be_visible()
        expect(stills.get_by_role("img", name="Dead bug, end:", exact=False)).to_be_visible()
    finally:
        context.close()



# Every drawing in the library, and every part of it other than the floor and what stands on
# it (a mat or a wall may run off the edge): where it lies against the drawing's own box.
DRAWN_PARTS = """() => Array.from(document.querySelectorAll('.figures > figure')).map(figure => {
    const svg = figure.querySelector('svg');
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const floor = svg.querySelector(':scope > g');
    const outside = [];
    for (const part of svg.querySelectorAll('path, circle, ellipse, rect')) {
        if (floor.contains(part)) continue;
        // The line's width as drawn: the page's stylesheet gives most of them (figure_classes.py).
        const style = getComputedStyle(part);
        const half = (style.stroke === 'none' ? 0 : parseFloat(style.strokeWidth)) * scale / 2;
        const r = part.getBoundingClientRect();
        if (r.left - half < box.left - 1 || r.right + half > box.right + 1 || r.top - half < box.top - 1
            || r.bottom + half > box.bottom + 1) outside.push(part.outerHTML.slice(0, 60));
    }
    return {title: svg.querySelector('title').textContent.slice(0, 50), outside,
            drawingBottom: box.bottom, nameTop: figure.querySelector('figcaption').getBoundingClientRect().top};
})"""


def test_no_part_of_any_figure_reaches_past_its_drawing_so_the_pose_names_never_cover_it(
        page: Page, service: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(service + "/exercises")
    figures = page.evaluate(DRAWN_PARTS)
    assert len(figures) >= 80
    for figure in figures:
        # Bodies, heads, bars, bells and arrows stay inside the drawing, and the name sits under it.
        assert figure["outside"] == [], figure
        assert figure["nameTop"] >= figure["drawingBottom"] - 0.5, figure
