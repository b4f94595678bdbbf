"""Real Chromium (Debian's package, driven by Playwright) against the service as the Procfile runs it.

Two origins on one machine: the service on http://127.0.0.1:SERVICE_PORT, and a clinic's page
served by a tiny static server on another port, reached as http://localhost:PORT (which the
demo clinic allows, as http://localhost:*) or as http://127.0.0.1:PORT (which nobody allows).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FrameLocator,
    Locator,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)

from recommender.web.pages.embed import long_form_html, snippet_html
from tests.test_serving import serving

# Chromium's headless shell (Debian's chromium-headless-shell): the same engine as the browser,
# without the browser's own windows and services, as Playwright itself runs headless tests. The
# browser tests ran in 102 s with it against 198 s with the whole chromium, on 2 workers.
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def service() -> Iterator[str]:
    """The app exactly as the Procfile starts it (gunicorn, gthread, --preload)."""
    with serving() as base:
        yield base


# The clinic's page: exactly the snippet our snippet page shows, and a recorder of what arrives.
CLINIC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A clinic's page</title></head>
<body>
<h1>Riverside Physiotherapy</h1>
<script>
  window.received = [];
  window.addEventListener("message", function (event) {
    window.received.push({origin: event.origin, data: event.data});
  });
</script>
{snippet}
<script>
  document.getElementById("lowerback-plan").addEventListener("lowerback:completed", function (event) {
    window.completed = event.detail;
  });
</script>
</body></html>
"""

# A hostile page: a form that posts answers to the service from another website.
CROSS_SITE_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title></head>
<body><form method="post" action="{service}/plan">
  <input name="age" value="40"><button type="submit">Send</button>
</form></body></html>
"""


@pytest.fixture(scope="session")
def clinic_site(service: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A static server for the clinic's pages; returns its port."""
    folder = tmp_path_factory.mktemp("clinic-site")
    (folder / "embed.html").write_text(CLINIC_PAGE.replace(
        "{snippet}", snippet_html(service + "/embed/demo", service + "/static/embed-parent.js")))
    # The long form, for a site that loads no script from us: the frame and the script written out.
    (folder / "embed-long.html").write_text(CLINIC_PAGE.replace("{snippet}", long_form_html(service + "/embed/demo")))
    (folder / "cross-site-form.html").write_text(CROSS_SITE_FORM.replace("{service}", service))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium-headless-shell is not installed (scripts/test installs it with apt when run as root)")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    yield context
    context.close()


@pytest.fixture
def without_javascript(browser: Browser) -> Iterator[BrowserContext]:
    """A browser with JavaScript off: the form shows every question at once."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Errors the page logged, such as a script or style the CSP refused."""
    return []


@pytest.fixture
def page(context: BrowserContext, console_errors: list[str]) -> Iterator[Page]:
    """A page that checks, after the test, that no response it received set a cookie."""
    responses: list[Response] = []
    page = context.new_page()
    page.on("response", lambda response: responses.append(response))
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    yield page
    with_cookies = [r.url for r in responses if "set-cookie" in r.all_headers()]
    assert with_cookies == [], f"responses that set a cookie: {with_cookies}"
    assert context.cookies() == []
    assert responses, "the test loaded nothing"


# A check-in's report after two good weeks on the beginner tier, for `answer(report=...)`.
TWO_GOOD_WEEKS = {"tier": "beginner", "sessions_done": "6", "pain_during_max": "1", "next_morning": "same",
                  "sets_completed": "all"}

# The check-in's report in the order its two steps ask it.
CHECK_IN_ORDER = ("tier", "sessions_done", "sets_completed", "pain_during_max", "next_morning")


def answer(target: Page | FrameLocator, experience: str = "none", pain_now: str = "0",
           pain_duration: str = "none", red_flags: tuple[str, ...] = (), equipment: tuple[str, ...] = (),
           days_per_week: str = "3", report: dict[str, str] | None = None, submit: str = "Show my plan",
           next_button: str = "Next") -> None:
    """Fill in the questionnaire as a person would, then press "Show my plan".

    With JavaScript the form shows one step at a time: "Next" (`next_button`, in another
    language) leads on to each question in turn. Without it, every question is on the page at once.
    """
    result = target.locator("#for-your-clinician")

    def reach(question: Locator) -> Locator:
        for _ in range(7):
            if question.is_visible():
                break
            target.get_by_role("button", name=next_button, exact=True).click()
            # Leaving a step asks the server whether the answers so far send the person for
            # help at once: the form is busy until it answers, or until that result arrives.
            expect(target.locator("form[aria-busy=true]")).to_have_count(0)
            # A result arrives as a new page, read in as it comes: until either the form or the
            # result's last section is there, neither can be told apart from the other.
            expect(result.or_(target.locator("form[data-so-far]"))).to_be_attached()
            if result.count():
                raise ResultShown
        return question

    try:
        for name, value in answers_in_order(experience, pain_now, pain_duration, red_flags, equipment,
                                            days_per_week, report):
            if name in TYPED:
                reach(target.locator(f"#{name}")).fill(value)
            else:
                reach(target.locator(f'input[name={name}][value="{value}"]')).check()
        reach(target.get_by_role("button", name=submit)).click()  # a check-in's equipment is a step of its own
    except ResultShown:
        pass  # the answers so far settled it: the rest are never asked
    # The result page has arrived once its "For your clinician" section is there (on every result page).
    expect(result).to_be_attached()
    if isinstance(target, Page):
        # And it is laid out as a person sees it once its stylesheets are in: what a test
        # measures before then is the unstyled page.
        target.wait_for_load_state("load")


class ResultShown(Exception):
    """The result came before the last step: the answers so far already settle it."""


def send_answers(page: Page, experience: str = "none", pain_now: str = "0", pain_duration: str = "none",
                 equipment: tuple[str, ...] = (), days_per_week: str = "3",
                 report: dict[str, str] | None = None) -> None:
    """The result page for these answers, reached by sending the whole form at once, as its last
    step does: for tests about the result page rather than the way to it.

    Stepping through the form (`answer`) takes a second and a half of every such test; the
    stepper leads to the very page the form sends for the same answers, which
    tests/browser/test_stepper.py holds. A warning sign can bring its result before the last
    step, on a page of its own, so answers with one go through `answer`.
    """
    given = answers_in_order(experience, pain_now, pain_duration, (), equipment, days_per_week, report)
    with page.expect_navigation():
        page.evaluate("""(given) => {
            const form = document.getElementById("intake");
            for (const [name, value] of given) {
                const field = form.querySelector(`input[name="${name}"]:not([type=radio]):not([type=checkbox])`)
                    || form.querySelector(`input[name="${name}"][value="${value}"]`);
                if (field.type === "radio" || field.type === "checkbox") field.checked = true;
                else field.value = value;
            }
            HTMLFormElement.prototype.submit.call(form);
        }""", given)
    expect(page.locator("#for-your-clinician")).to_be_attached()
    page.wait_for_load_state("load")


def reach_result(page: Page, **answers: Any) -> None:
    """The result page for these answers: sent at once (`send_answers`), or through the stepper
    (`answer`) when a warning sign is among them, as its result can come before the last step."""
    (answer if answers.get("red_flags") else send_answers)(page, **answers)


# The questions answered by typing; every other answer is a box or a button to tick.
TYPED = ("age", "progress_sessions_done")


def answers_in_order(experience: str, pain_now: str, pain_duration: str, red_flags: tuple[str, ...],
                     equipment: tuple[str, ...], days_per_week: str,
                     report: dict[str, str] | None) -> list[tuple[str, str]]:
    """Each answer as (the field's name, its value), in the order the form asks them."""
    about_you = [("age", "42"), ("experience", experience)]
    back_pain = [("pain_now", pain_now), ("pain_duration", pain_duration), ("pain_below_knee", "no"),
                 ("back_surgery_or_injury", "no")]
    warning_signs = [("red_flags", flag) for flag in red_flags] or [("no_red_flags", "y")]
    kit = [("equipment", item) for item in equipment]
    days = [("days_per_week", days_per_week)]
    if report is None:
        return [*about_you, *back_pain, *warning_signs, ("no_health_flags", "y"), *kit, *days]
    # A check-in asks the report, then what may have changed, then age with the health
    # questions, and experience, days and equipment last.
    return [*((f"progress_{name}", report[name]) for name in CHECK_IN_ORDER), *warning_signs, *back_pain,
            ("age", "42"), ("no_health_flags", "y"), ("experience", experience), *days, *kit]


# The form's steps (with JavaScript), and the least a person must answer on each to go on.
STEPS = ["About you", "Your back pain", "Warning signs", "Your health", "Equipment and days"]
STEP_ANSWERS = [["experience-0"], ["pain_now-0", "pain_duration-0", "pain_below_knee-1", "back_surgery_or_injury-1"],
                ["no_red_flags"], ["no_health_flags"]]


def shown_step(page: Page) -> str:
    """The title of the one step on show."""
    headings = page.locator("section[data-step]:visible h2")
    expect(headings).to_have_count(1)
    return headings.inner_text().split(" ", 1)[1].strip()


def next_step(page: Page) -> None:
    page.get_by_role("button", name="Next", exact=True).click()
    settled(page)


def settled(page: Page) -> None:
    """Wait while the stepper asks the server whether the answers so far send the person for
    help at once: the form is busy until the next step (or that result) is on show."""
    expect(page.locator("form[aria-busy=true]")).to_have_count(0)


def reach_step(page: Page, number: int) -> None:
    """Answer the steps before `number` and go on to it, as a person would."""
    for step in range(1, number):
        if step == 1:
            page.locator("#age").fill("42")
        for choice in STEP_ANSWERS[step - 1]:
            page.locator(f"#{choice}").check()
        next_step(page)
    assert shown_step(page) == STEPS[number - 1]


# Answers (for `answer()`) that give each triage level; rules/cases/*.yaml hold more of them.
LEVEL_ANSWERS: dict[str, dict[str, Any]] = {
    "emergency": {"red_flags": ("saddle_numbness",)},
    "same_day": {"red_flags": ("worsening_leg_weakness",)},
    "urgent": {"red_flags": ("cancer_history",), "pain_now": "2", "pain_duration": "6_to_12_weeks"},
    "soon": {"red_flags": ("morning_stiffness",)},
    "caution": {"pain_now": "2", "pain_duration": "under_6_weeks"},
    "clear": {"experience": "intermediate", "equipment": ("mat", "kettlebell", "stability_ball")},
}

# Every rule tagged for WCAG 2.0, 2.1 or 2.2 at level A or AA is switched on, on top of the rules
# axe runs by default (which leave out a few of these, such as the WCAG 2.2 target size).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

RUN_AXE = """async (tags) => {
    const rules = {};
    for (const rule of axe.getRules(tags)) rules[rule.ruleId] = {enabled: true};
    return await axe.run(document, {rules: rules, resultTypes: ["violations"]});
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core (as bundled with axe-playwright-python) finds wrong on the page and its frames.

    The script goes in through Playwright's evaluate, which the page's Content-Security-Policy does
    not govern, so our policy (no inline script, default-src 'self') does not stop it. It goes into
    every frame too, so that axe checks the content of a frame (the snippet page's preview) as well;
    once a document, as a page checked at several sizes keeps the copy it was given.
    """
    script = Axe().axe_script
    for frame in page.frames:
        if frame.evaluate("typeof axe === 'undefined'"):
            frame.evaluate(script)
    results = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert results["passes"], "axe ran no check at all"
    return list(results["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation (id, impact and what it asks for), then the elements it found."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    {' >> '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)
