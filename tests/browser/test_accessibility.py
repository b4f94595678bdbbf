"""The accessibility gate, in a real Chromium: axe finds nothing on any page, the form can be
answered with the keyboard alone and shows where the focus is, and every page reflows without
scrolling sideways on a 320 px wide phone and at 200% zoom.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import (
    LEVEL_ANSWERS,
    TWO_GOOD_WEEKS,
    axe_violations,
    describe_violations,
    next_step,
    reach_result,
    reach_step,
    send_answers,
)

pytestmark = pytest.mark.browser


def open_every_details(page: Page) -> None:
    """Open every closed section (in every frame), so that axe checks what is inside them too."""
    for frame in page.frames:
        frame.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def a_plan(level: str) -> Callable[[Page, str], None]:
    def show(page: Page, service: str) -> None:
        page.goto(service + "/")
        reach_result(page, **LEVEL_ANSWERS[level])
        expect(page.locator(f".triage-{level}")).to_have_count(1)
    return show


def a_session(hurts: bool) -> Callable[[Page, str], None]:
    """Session mode on the third exercise (Bird dog, two sets), resting after its first set, and
    with "This hurts" pressed when `hurts`."""
    def show(page: Page, service: str) -> None:
        a_plan("clear")(page, service)
        page.get_by_role("button", name="Start today's session").click()
        for _ in range(2):
            page.get_by_role("button", name="Next exercise").click()
        page.get_by_role("button", name="Set done").click()
        expect(page.locator("[data-session-timer]")).to_be_visible()
        if hurts:
            page.get_by_role("button", name="This hurts").click()
            expect(page.locator("#session-advice")).to_be_visible()
        page.locator(".session-title").click()  # Tab goes on from the top of the session
    return show


def form_with_errors(page: Page, service: str) -> None:
    # Sent empty, past the browser's own checks: the page the server sends back.
    page.goto(service + "/")
    page.evaluate("document.querySelector('form').submit()")
    expect(page.get_by_role("alert")).to_contain_text("Please check")


def form_step(number: int) -> Callable[[Page, str], None]:
    def reach(page: Page, service: str) -> None:
        page.goto(service + "/")
        reach_step(page, number)
    return reach


def step_with_errors(page: Page, service: str) -> None:
    page.goto(service + "/")
    reach_step(page, 2)
    next_step(page)
    expect(page.locator(".field-error")).to_have_count(4)


def embedded_plan(page: Page, service: str) -> None:
    page.goto(service + "/embed/demo")
    send_answers(page, **LEVEL_ANSWERS["caution"])
    expect(page.get_by_role("heading", name="Get help from Riverside Physiotherapy (demo)")).to_be_visible()


def snippet_page(page: Page, service: str) -> None:
    page.goto(service + "/embed/demo/snippet")
    expect(page.frame_locator("#lowerback-plan iframe").get_by_text("How old are you?")).to_be_visible()


def error_404(page: Page, service: str) -> None:
    response = page.goto(service + "/nowhere")
    assert response is not None and response.status == 404


def a_check_in(report: dict[str, str]) -> Callable[[Page, str], None]:
    def show(page: Page, service: str) -> None:
        page.goto(service + "/check-in")
        send_answers(page, report=report)
        expect(page.locator(".check-in")).to_have_count(1)
    return show


def check_in_step(number: int) -> Callable[[Page, str], None]:
    def reach(page: Page, service: str) -> None:
        page.goto(service + "/check-in")
        if number >= 2:
            page.locator('input[name=progress_tier][value="beginner"]').check()
            page.locator("#progress_sessions_done").fill("6")
            page.locator('input[name=progress_sets_completed][value="all"]').check()
            next_step(page)
        if number >= 6:
            for choices in (["progress_pain_during_max-1", "progress_next_morning-1"], ["no_red_flags"],
                            ["pain_now-0", "pain_duration-0", "pain_below_knee-1", "back_surgery_or_injury-1"],
                            ["no_health_flags"]):
                if "no_health_flags" in choices:
                    page.locator("#age").fill("42")
                for choice in choices:
                    page.locator(f"#{choice}").check()
                next_step(page)
            if number == 7:
                page.locator("#experience-0").check()
                page.locator("#days_per_week-1").check()
                next_step(page)
            expect(page.locator("section[data-step]:visible h2")).to_contain_text(
                "Training and days" if number == 6 else "Equipment")
    return reach


def visit(page: Page, url: str) -> None:
    page.goto(url)


# Every kind of page a person or a clinic sees, as they would reach it (a result without a warning
# sign by sending the whole form at once: the very page the stepper's last step brings).
PAGES: dict[str, Callable[[Page, str], None]] = {
    "form": lambda page, service: visit(page, service + "/"),
    "form-with-errors": form_with_errors,
    **{f"form-step-{number}": form_step(number) for number in range(2, 6)},
    "form-step-2-with-errors": step_with_errors,
    **{f"plan-{level}": a_plan(level) for level in LEVEL_ANSWERS},
    "plan-session-resting": a_session(hurts=False),
    "plan-session-this-hurts": a_session(hurts=True),
    "embed-form": lambda page, service: visit(page, service + "/embed/demo"),
    "embed-plan": embedded_plan,
    "embed-snippet": snippet_page,
    "api": lambda page, service: visit(page, service + "/api"),
    "library": lambda page, service: visit(page, service + "/exercises"),
    "library-entry": lambda page, service: visit(page, service + "/exercises/dead-bug"),
    "embed-library": lambda page, service: visit(page, service + "/embed/demo/exercises"),
    "library-narrowed": lambda page, service: visit(page, service + "/exercises?group=advanced&equipment=kettlebell"),
    "error-404": error_404,
    **{f"check-in-step-{number}": check_in_step(number) for number in (1, 2, 6, 7)},
    "check-in-move-up": a_check_in(TWO_GOOD_WEEKS),
    "check-in-see-a-physiotherapist": a_check_in({**TWO_GOOD_WEEKS, "next_morning": "worse"}),
}


# A small phone's screen (where the layout changes and more has to scroll), and a laptop's window.
AXE_VIEWPORTS = {"phone": {"width": 320, "height": 640}, "wide": {"width": 1000, "height": 900}}


def seen_at(page: Page, size: dict[str, int]) -> None:
    """The page in a window of `size`, laid out again, its frames too: the layout follows the
    window's width alone (media queries), as when a phone is turned or a window widened, so a
    page reached once is checked at each size. A frame from another site is laid out in a
    process of its own, so its new width is waited for."""
    page.set_viewport_size(size)  # type: ignore[arg-type]
    for frame in page.frames[1:]:
        width = frame.frame_element().evaluate("element => element.clientWidth")
        frame.wait_for_function("width => window.innerWidth === width", arg=width)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation_on_a_phone_or_a_laptop(page: Page, service: str, name: str) -> None:
    page.set_viewport_size(AXE_VIEWPORTS["phone"])  # type: ignore[arg-type]
    PAGES[name](page, service)
    open_every_details(page)
    found = {}
    for viewport, size in AXE_VIEWPORTS.items():
        seen_at(page, size)
        found[viewport] = axe_violations(page)
    assert not any(found.values()), "\n".join(
        f"axe on {name}, {viewport}:\n{describe_violations(violations)}"
        for viewport, violations in found.items() if violations)


def test_axe_runs_in_the_page_under_our_strict_policy_and_finds_what_is_wrong(
        page: Page, service: str, console_errors: list[str]) -> None:
    """The gate is real: axe runs under our CSP without being refused, and it does see a fault."""
    response = page.goto(service + "/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe" not in policy and "script-src" not in policy
    page.evaluate("""() => {
        window.refused = [];
        document.addEventListener("securitypolicyviolation", e => window.refused.push(e.violatedDirective));
    }""")
    assert axe_violations(page) == []
    page.evaluate("""() => {
        const picture = document.createElement("img");
        picture.src = "/static/nothing.png";
        document.querySelector("main").append(picture);
    }""")
    assert [violation["id"] for violation in axe_violations(page)] == ["image-alt"]
    assert page.evaluate("window.refused") == []
    assert not [error for error in console_errors if "Content Security Policy" in error], console_errors


# --- the keyboard alone ------------------------------------------------------------------------

# Where the focus is: the focused element, inside a frame of ours when the focus is in one.
FOCUSED = """() => {
    let element = document.activeElement;
    while (element && element.tagName === "IFRAME" && element.contentDocument) {
        element = element.contentDocument.activeElement;
    }
    const style = getComputedStyle(element);
    let background = "rgb(255, 255, 255)";
    for (let node = element.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    }
    const box = element.getBoundingClientRect();
    return {
        tag: element.tagName.toLowerCase(), id: element.id, type: element.type || "", name: element.name || "",
        value: element.value === undefined ? "" : String(element.value), checked: Boolean(element.checked),
        text: (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50),
        focusVisible: element.matches(":focus-visible"), outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0, outlineColour: style.outlineColor,
        boxShadow: style.boxShadow, background: background,
        page: element.ownerDocument.location.pathname,
        onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < window.innerWidth,
    };
}"""


def focused(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(FOCUSED)
    return state


def _luminance(colour: str) -> float:
    red, green, blue = (float(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_problem(state: dict[str, Any]) -> str | None:
    """Why the focused element does not show it has the focus (None when it plainly does).

    It must match :focus-visible and draw an outline (2 px or more) or a box-shadow from it, and
    one of the colours drawn must stand out 3:1 from the background behind it (WCAG 1.4.11).
    """
    where = f"{state['tag']}#{state['id']} {state['text']!r}"
    if not state["focusVisible"]:
        return f"{where}: does not match :focus-visible"
    colours = re.findall(r"rgba?\([^)]*\)", state["boxShadow"]) if state["boxShadow"] != "none" else []
    if state["outlineStyle"] not in ("none", "hidden") and state["outlineWidth"] >= 2:
        colours.append(state["outlineColour"])
    if not colours:
        return f"{where}: no outline or box-shadow when focused"
    if max(contrast(colour, state["background"]) for colour in colours) < 3:
        return f"{where}: focus colours {colours} against {state['background']} are under 3:1"
    return None


# The answers given with the keyboard: the value of each radio group, and the boxes to tick.
KEYBOARD_RADIOS = {"experience": "beginner", "pain_now": "3", "pain_duration": "under_6_weeks",
                   "pain_below_knee": "no", "back_surgery_or_injury": "no", "professional_check": "no",
                   "days_per_week": "3"}
KEYBOARD_BOXES = {("no_red_flags", "y"), ("no_health_flags", "y"), ("equipment", "mat"), ("equipment", "kettlebell")}


def test_the_whole_form_is_answered_and_sent_with_the_keyboard_alone_without_javascript(
        without_javascript: BrowserContext, service: str) -> None:
    # With JavaScript, tests/browser/test_stepper.py answers the form a step at a time by keyboard.
    page = without_javascript.new_page()
    page.goto(service + "/")
    keyboard = page.keyboard
    answered: set[str] = set()
    ticked: set[tuple[str, str]] = set()
    unseen_focus: list[str] = []
    for _ in range(200):
        keyboard.press("Tab")
        state = focused(page)
        if (problem := focus_problem(state)) is not None:
            unseen_focus.append(problem)
        if state["id"] == "age":
            keyboard.type("42")
            answered.add("age")
        elif state["type"] == "radio":
            # Tab enters a group on its first button; the arrow keys move along it and choose.
            wanted = KEYBOARD_RADIOS[state["name"]]
            if state["value"] == wanted:
                keyboard.press("Space")
                state = focused(page)
            for _ in range(12):
                if state["value"] == wanted:
                    break
                keyboard.press("ArrowRight" if len(answered) % 2 else "ArrowDown")
                state = focused(page)
            assert state["value"] == wanted and state["checked"], state
            answered.add(state["name"])
        elif state["type"] == "checkbox" and (state["name"], state["value"]) in KEYBOARD_BOXES:
            keyboard.press("Space")
            assert focused(page)["checked"], state
            ticked.add((state["name"], state["value"]))
        elif state["tag"] == "button" and state["name"] != "switch_language":  # the language switch comes first
            break
    assert state["text"] == "Show my plan", f"Tab never reached the button; the focus is on {state}"
    assert answered == {"age", *KEYBOARD_RADIOS}
    assert ticked == KEYBOARD_BOXES
    assert not unseen_focus, "\n".join(unseen_focus)

    # Shift+Tab goes back into the last group, onto its chosen button, and Tab comes back.
    keyboard.press("Shift+Tab")
    state = focused(page)
    assert (state["name"], state["value"], state["checked"]) == ("days_per_week", "3", True)
    keyboard.press("Tab")
    assert focused(page)["text"] == "Show my plan"
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start gently")
    expect(page.locator(".triage-caution")).to_have_count(1)


@pytest.mark.parametrize("name", ["form", "plan-clear", "embed-form"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_the_focus_to_the_main_content(
        page: Page, service: str, name: str) -> None:
    PAGES[name](page, service)
    if name == "plan-clear":
        page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["text"] == "Skip to main content", state
    assert state["onScreen"] and focus_problem(state) is None, (state, focus_problem(state))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes on from the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("name", ["form-with-errors", "plan-clear", "plan-emergency", "plan-same_day",
                                  "plan-session-this-hurts", "embed-plan", "embed-snippet", "api", "error-404"])
def test_every_tab_stop_shows_where_the_focus_is(page: Page, service: str, name: str) -> None:
    PAGES[name](page, service)
    page.evaluate("document.activeElement.blur()")
    seen: list[str] = []
    problems: list[str] = []
    for _ in range(300):
        page.keyboard.press("Tab")
        state = focused(page)
        stop = f"{state['page']}: {state['tag']}#{state['id']} {state['text']!r}"
        if state["tag"] == "body" or stop in seen:
            break  # through every stop, out of the page or back round to the first
        seen.append(stop)
        if (problem := focus_problem(state)) is not None:
            problems.append(problem)
    assert len(seen) >= 3, seen  # the skip link, the header and the page's own
    assert not problems, "\n".join(problems)


# --- reflow ------------------------------------------------------------------------------------

# WCAG 1.4.10: no scrolling sideways at 320 CSS px wide, nor at 200% zoom. Zooming a 1280 px
# window to 200% lays the page out exactly as a 640 CSS px wide viewport does, so that is the
# viewport used for the zoom (a 1280 x 1024 window: 640 x 512).
REFLOW_VIEWPORTS = {"320px": {"width": 320, "height": 640}, "zoom-200%": {"width": 640, "height": 512}}

# Anything sticking out sideways past the frame's edge, other than inside an element that scrolls
# sideways on its own by design (the code on the snippet and API pages): that element must then
# itself fit, so that it is the element that scrolls and not the page.
SIDEWAYS = """() => {
    const width = window.innerWidth;
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.classList.length ? "." + [...el.classList].join(".") : "");
    const scrollsSideways = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
    const wide = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.right <= 0) continue;  // wholly off to the left: the skip link, until it has the focus
        if (box.right <= width + 0.5 && box.left >= -0.5) continue;
        let scroller = element.parentElement;
        while (scroller && scroller !== document.body && !scrollsSideways(scroller)) scroller = scroller.parentElement;
        if (scroller && scroller !== document.body) continue;  // that element's own box is checked in turn
        wide.push(`${name(element)} spans ${Math.round(box.left)} to ${Math.round(box.right)}`);
    }
    return {
        scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
        scrolled: (window.scrollTo(10000, window.scrollY), window.scrollX), wide: wide,
    };
}"""


@pytest.mark.parametrize("name", ["form", "form-with-errors", "form-step-2", "form-step-3", "form-step-4",
                                  "form-step-5", "form-step-2-with-errors", "plan-clear", "plan-emergency",
                                  "plan-same_day", "plan-session-resting", "plan-session-this-hurts",
                                  "embed-form", "embed-plan", "embed-snippet", "api", "library", "library-entry",
                                  "error-404"])
def test_the_page_reflows_without_scrolling_sideways_at_320_px_or_at_200_percent_zoom(
        page: Page, service: str, name: str) -> None:
    page.set_viewport_size(REFLOW_VIEWPORTS["320px"])  # type: ignore[arg-type]
    PAGES[name](page, service)
    open_every_details(page)
    for viewport, size in REFLOW_VIEWPORTS.items():
        seen_at(page, size)
        # Each frame too: the snippet page's preview is narrower still, as on a clinic's page.
        for frame in page.frames:
            # A result arrives by a form's post, which nothing waits for: measured before its
            # stylesheets are in, the print-only log would count as on the screen.
            frame.wait_for_load_state("load")
            found = frame.evaluate(SIDEWAYS)
            where = f"{name} at {viewport}, frame {frame.url}"
            assert found["scrollWidth"] <= found["innerWidth"] and found["scrolled"] == 0, (where, found)
            assert not found["wide"], f"{where}: wider than the viewport ({found['innerWidth']} px):\n" + "\n".join(
                found["wide"])
