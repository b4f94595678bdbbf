"""The plan on paper: what the print layout holds, and the PDF the server renders from sealed answers."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.model.intake import Intake
from recommender.model.ruleset import Ruleset
from recommender.web import create_app
from recommender.web.app.settings import secret_keys
from recommender.web.app.state import web_state
from recommender.web.pages.sealed import seal
from tests.conftest import BASELINE, PROJECT
from tests.pdf_tools import page_count, page_lines, page_size, text_of
from tests.web.conftest import FORM_BASELINE
from tests.web.plan_helpers import answers_token

Answer = Callable[..., TestResponse]

BEGINNER_EXERCISES = ["Drawing-in (deep tummy brace)", "Dead bug", "Bird dog", "Glute bridge", "Lying chest lift",
                      "Bodyweight squat"]


@pytest.fixture
def download(client: FlaskClient, answer_questionnaire: Answer) -> Callable[..., TestResponse]:
    """Answer the questions (changes as for answer_questionnaire), then press Download PDF."""

    def press(path: str = "/plan.pdf", **changes: str | list[str] | None) -> TestResponse:
        return client.post(path, data={"answers": answers_token(answer_questionnaire(**changes))})

    return press


@pytest.fixture(autouse=True)
def rendering_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="weasyprint")  # e.g. a stylesheet or logo that failed to load


def test_the_result_page_has_the_print_header_footer_log_sheet_and_download_form(answer_questionnaire: Answer) -> None:
    page = answer_questionnaire().get_data(as_text=True)
    assert '<div class="print-header print-only">' in page
    assert re.search(r"Made on \d{1,2} [A-Z][a-z]+ \d{4}", page)
    footer = page[page.index('<footer class="print-footer print-only">'):]
    assert re.search(r'<span class="digest">[0-9a-f]{64}</span>', footer[:footer.index("</footer>")]), \
        "the full SHA-256 of the rules is printed"
    assert '<section class="log-sheet print-only"' in page
    for heading in ("Sets", "Pain", "Back pain the next morning (0–10)"):
        assert f">{heading}</th>" in page
    assert re.findall(r"Week \d", page) == ["Week 1", "Week 2"]
    # The sealed answers go in the body of a POST, not the URL: the clinic download's form, sent to the PDF.
    assert '<form method="post" action="/plan/fhir" id="sealed-answers">' in page
    assert re.search(r'<button type="submit" [^>]*form="sealed-answers"\s+formaction="/plan.pdf">Download PDF</button>',
                     page)
    assert '<button type="button" class="button button-secondary" data-print-plan hidden>' in page
    assert re.search(r"<script src=\"/static/plan\.[0-9a-f]{12}\.js\"></script>", page)


def test_a_withheld_plan_still_prints_the_warning_signs_and_what_to_do(answer_questionnaire: Answer) -> None:
    page = answer_questionnaire(red_flags="saddle_numbness", no_red_flags=None).get_data(as_text=True)
    assert '<section class="card safety-net print-only"' in page
    assert "Warning signs and what to do" in page
    assert "Call an ambulance or go to the emergency department now." in page
    assert "log-sheet" not in page


FULL_GYM = ["mat", "stability_ball", "bosu", "dowel", "bench", "back_extension_bench", "reverse_hyper",
            "resistance_band", "kettlebell", "dumbbells", "barbell", "power_rack"]


# The longest handouts: the most exercises, each with standing poses, the most steps and days,
# and the most words before them (a check-in's decision, a plan limit, a clinic's contact).
LONGEST: dict[str, tuple[str, dict[str, str | list[str] | None]]] = {
    "advanced-lifter-full-gym-4-days": (
        "/plan", {"experience": "advanced", "equipment": FULL_GYM, "days_per_week": "4"}),
    "beginner-full-gym-4-days": ("/plan", {"equipment": FULL_GYM, "days_per_week": "4"}),
    "clinic-advanced-lifter-full-gym-4-days": (
        "/embed/demo/plan", {"experience": "advanced", "equipment": FULL_GYM, "days_per_week": "4"}),
    "clinic-thin-bones-long-lasting-pain": (
        "/embed/demo/plan", {"experience": "advanced", "equipment": FULL_GYM, "days_per_week": "4",
                             "red_flags": "osteoporosis_steroids", "no_red_flags": None, "pain_now": "3",
                             "pain_duration": "over_12_weeks"}),
    "check-in-stepping-back-with-pain": (
        "/check-in", {"experience": "advanced", "equipment": FULL_GYM, "days_per_week": "4", "pain_now": "4",
                      "pain_duration": "6_to_12_weeks", "progress_tier": "advanced", "progress_sessions_done": "8",
                      "progress_pain_during_max": "6", "progress_next_morning": "worse",
                      "progress_sets_completed": "all"}),
}


def longest_plan_page(client: FlaskClient, person: str) -> TestResponse:
    path, changes = LONGEST[person]
    answers = {**FORM_BASELINE, **changes}
    return client.post(path, data={name: value for name, value in answers.items() if value is not None})


@pytest.mark.parametrize("person", LONGEST)
def test_the_longest_plans_print_on_three_pages_the_plan_on_two_and_the_log_on_the_third(
        client: FlaskClient, person: str) -> None:
    page = longest_plan_page(client, person)
    where = LONGEST[person][0].rsplit("/", 1)[0]
    pdf = client.post(f"{where}/plan.pdf", data={"answers": answers_token(page)}).data
    assert page_count(pdf) == 3
    assert "If any of these happen later" in text_of(pdf, page=2)
    assert "Your log for the first two weeks" in text_of(pdf, page=3)
    assert "You start on the" in text_of(pdf, page=3)


def test_a_plan_pdf_has_the_exercises_safety_net_and_log_on_at_most_three_a4_pages(
        download: Callable[..., TestResponse], caplog: pytest.LogCaptureFixture, rules: Ruleset) -> None:
    response = download()
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="lower-back-plan.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    pdf = response.data
    assert pdf.startswith(b"%PDF")
    pages = page_count(pdf)
    assert pages <= 3
    assert "(A4)" in page_size(pdf)
    text = text_of(pdf)
    for name in BEGINNER_EXERCISES:
        assert name in text
    assert "Lie face up on the floor, bend your knees" in text  # the steps of the starting tier
    assert "If any of these happen later" in text
    assert "Numb or odd-feeling groin or bottom" in text
    assert f"Rules version {rules.version}" in text
    assert "Your log for the first two weeks" in text_of(pdf, page=pages)
    assert "Your log for the first two weeks" not in text_of(pdf, page=pages - 1)
    assert "Download PDF" not in text and "Answer the questions again" not in text
    assert not caplog.records, [record.getMessage() for record in caplog.records]


def test_the_rules_hash_is_in_the_small_print_at_the_foot_of_every_page_not_beside_the_name_line(
        download: Callable[..., TestResponse], answer_questionnaire: Answer, rules: Ruleset) -> None:
    page = answer_questionnaire().get_data(as_text=True)
    header = page[page.index('<div class="print-header'):]
    assert rules.digest not in header[:header.index("</div>\n</div>")]
    pdf = download(experience="advanced", equipment=FULL_GYM, days_per_week="4").data
    top = page_lines(pdf, 1)[:3]
    assert top[0].startswith("Name:") and rules.digest not in " ".join(top)
    for number in range(1, page_count(pdf) + 1):
        lines = page_lines(pdf, number)
        small_print = " ".join(lines[-3:])
        assert f"Rules version {rules.version}" in small_print and rules.digest in small_print, lines[-3:]
        assert "General advice only" in small_print


SESSION_CELLS = re.compile(r'<td></td><td></td>|<td colspan="2" class="log-rest">Not today</td>')


def log_rows(page: str) -> list[list[tuple[str, list[str]]]]:
    """Each week's table of the printed log: for each exercise's row, its name and what each
    session gets ("write": a blank cell for the sets and one for the pain; "not done": one cell
    that says so, on a day the exercise is not done)."""
    weeks = []
    for table in re.findall(r'<table class="log">(.*?)</table>', page, re.S):
        week = []
        for name, cells in re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S):
            sessions = SESSION_CELLS.findall(cells)
            assert "".join(sessions) == cells, name
            week.append((name, ["write" if cell == "<td></td><td></td>" else "not done" for cell in sessions]))
        weeks.append(week)
    return weeks


@pytest.mark.parametrize(("experience", "days"), [("none", "2"), ("none", "3"), ("none", "4"), ("advanced", "4")])
def test_the_log_has_a_line_for_every_starting_exercise_in_every_session_of_two_weeks(
        answer_questionnaire: Answer, experience: str, days: str) -> None:
    page = answer_questionnaire(experience=experience, equipment=FULL_GYM, days_per_week=days).get_data(as_text=True)
    start = page[page.index('class="card tier tier-start"'):]
    exercises = re.findall(r"<h3>([^<]+)</h3>", start[:start.index("</section>")])
    weeks = log_rows(page)
    assert len(weeks) == 2
    lines = 0
    for week in weeks:
        assert [name for name, _ in week] == exercises
        for _, sessions in week:
            assert len(sessions) == int(days)
            lines += sessions.count("write")
    assert lines >= len(exercises) * 2  # every exercise is written in at least once a week


def test_on_a_light_day_the_log_leaves_out_only_the_exercises_that_load_the_spine(answer_questionnaire: Answer) -> None:
    page = answer_questionnaire(experience="advanced", equipment=FULL_GYM, days_per_week="4").get_data(as_text=True)
    heading = re.search(r'<th scope="colgroup" colspan="2">Tuesday <span class="log-light">'
                        r"\(light day\)</span>", page)
    assert heading, "the log names the light days"
    week = log_rows(page)[0]
    done_on_light_days = {name for name, sessions in week if "not done" not in sessions}
    assert done_on_light_days == {"Side plank"}
    for name, sessions in week:
        if name != "Side plank":  # written in on Monday and Thursday, "not today" on the light days
            assert sessions == ["write", "not done", "write", "not done"], name
    assert page.count(">Not today</td>") == 2 * 2 * 5


def test_every_warm_up_and_stretch_prints_with_a_figure_its_dose_and_one_tip(
        answer_questionnaire: Answer, download: Callable[..., TestResponse]) -> None:
    page = answer_questionnaire().get_data(as_text=True)
    sheet = page[page.index('<section class="every-session print-only"'):]
    sheet = sheet[:sheet.index("</section>")]
    items = re.findall(r"<li>(.*?)</li>", sheet, re.S)
    names = [re.search(r"<strong>([^<]+)</strong>", item)[1] for item in items]  # type: ignore[index]
    assert names == ["Easy walk or cycle", "Hip circles", "Leg swings", "Cat-camel", "Knee to chest stretch",
                     "Lying knee roll", "Seated twist"]
    for name, item in zip(names, items, strict=True):
        assert re.search(rf'<span class="routine-figure"><svg [^>]*role="img"><title>{re.escape(name)}, ', item), name
        assert '<span class="dose">' in item and '<span class="routine-tip">' in item, name
    text = text_of(download().data)
    assert "Hip circles 1 set of 8–10 reps on each side. Keep the circles smooth and gentle." in text
    assert "Seated twist 3 holds of 10 seconds on each side. Sit tall as you turn." in text


MM = 96 / 25.4  # CSS pixels in a millimetre


def pose_widths_on_paper(html: str) -> list[float]:
    """The printed width, in mm, of each pose of the starting tier as the PDF lays out the page.
    WeasyPrint has no public API for its boxes: this walks its pages' own."""
    widths: list[float] = []

    def walk(box: Any, in_start_tier: bool) -> None:
        classes = box.element.get("class", "").split() if getattr(box, "element", None) is not None else []
        in_start_tier = in_start_tier or "tier-start" in classes
        if in_start_tier and box.element_tag == "figure":
            widths.append(box.border_width() / MM)
        for child in getattr(box, "children", []):
            walk(child, in_start_tier)

    # Imported here, not at the top: WeasyPrint takes about a second to import, and every
    # worker collects this module while only the one running these tests lays a page out.
    from recommender.web.pdf.printing import lay_out

    for page in lay_out(html, None, str(PROJECT / "static")).pages:
        walk(page._page_box, in_start_tier=False)
    return widths


@pytest.mark.parametrize("experience", ["none", "advanced"])
def test_each_pose_of_the_starting_tier_prints_at_least_35_mm_wide(
        answer_questionnaire: Answer, experience: str) -> None:
    page = answer_questionnaire(experience=experience, equipment=FULL_GYM).get_data(as_text=True)
    widths = pose_widths_on_paper(page)
    assert len(widths) == 12 and min(widths) >= 35, widths


def test_a_withheld_plan_pdf_is_one_page_with_the_safety_net(download: Callable[..., TestResponse]) -> None:
    pdf = download(red_flags="saddle_numbness", no_red_flags=None).data
    assert page_count(pdf) == 1
    text = text_of(pdf)
    assert "Get emergency help now" in text
    assert "Warning signs and what to do" in text
    assert "Your log for the first two weeks" not in text


def test_a_clinic_pdf_carries_its_name_logo_and_contact_line_and_its_narrowing(
        download: Callable[..., TestResponse], caplog: pytest.LogCaptureFixture) -> None:
    pdf = download("/embed/demo/plan.pdf", experience="advanced", equipment=["kettlebell", "bench"]).data
    text = text_of(pdf)
    assert "Riverside Physiotherapy (demo)" in text
    assert "Riverside Physiotherapy, 1 River Lane, Riverside · 020 7946 0000 · clinic.example" in text
    assert "Kettlebell swing" not in text
    assert page_count(pdf) <= 3
    assert not caplog.records, [record.getMessage() for record in caplog.records]  # the logo and theme loaded


@pytest.fixture(scope="module")
def letter_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    folder: Path = tmp_path_factory.mktemp("clinics")
    profile = (PROJECT / "clinics" / "demo.yaml").read_text()
    profile = profile.replace("slug: demo", "slug: letter").replace("paper: A4", "paper: Letter")
    (folder / "letter.yaml").write_text(profile.replace("logo: demo-logo.svg\n", ""))
    return create_app({"TESTING": True, "CLINICS_DIR": str(folder)}).test_client()


def test_a_clinic_can_ask_for_us_letter_paper(letter_client: FlaskClient) -> None:
    token = answers_token(letter_client.post("/embed/letter/plan", data=FORM_BASELINE))
    pdf = letter_client.post("/embed/letter/plan.pdf", data={"answers": token}).data
    assert "612 x 792 pts (letter)" in page_size(pdf)
    assert page_count(pdf) <= 3


def test_the_longest_plan_still_prints_on_three_us_letter_pages(letter_client: FlaskClient) -> None:
    answers = {**FORM_BASELINE, "experience": "advanced", "equipment": FULL_GYM, "days_per_week": "4"}
    token = answers_token(letter_client.post("/embed/letter/plan", data=answers))
    pdf = letter_client.post("/embed/letter/plan.pdf", data={"answers": token}).data
    assert "612 x 792 pts (letter)" in page_size(pdf)
    assert page_count(pdf) == 3


@pytest.mark.parametrize(("token", "message"), [
    ("", "These answers could not be read. Please answer the questions again."),
    ("not a token", "These answers could not be read. Please answer the questions again."),
    (None, "These answers could not be read. Please answer the questions again."),
], ids=["empty", "garbage", "missing"])
def test_an_unreadable_token_asks_to_answer_again(client: FlaskClient, token: str | None, message: str) -> None:
    response = client.post("/plan.pdf", data={} if token is None else {"answers": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Please answer the questions again" in page and message in page
    assert 'href="/"' in page


def test_a_tampered_token_is_refused(client: FlaskClient, answer_questionnaire: Answer) -> None:
    token = answers_token(answer_questionnaire())
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post("/embed/demo/plan.pdf", data={"answers": tampered})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "could not be read" in page
    assert 'href="/embed/demo"' in page  # back to the clinic's own form
    assert "Riverside Physiotherapy (demo)" in page


def test_an_expired_token_asks_to_answer_again(client: FlaskClient) -> None:
    token = seal(Intake.model_validate(BASELINE), secret_keys(client.application), made_at=time.time() - 3 * 60 * 60)
    response = client.post("/plan.pdf", data={"answers": token})
    assert response.status_code == 400
    assert "This page is more than two hours old. Please answer the questions again." in response.get_data(as_text=True)


def test_a_pdf_beyond_the_few_rendering_at_once_is_refused_at_once_with_retry_after(
        answer_questionnaire: Callable[..., TestResponse], client: FlaskClient) -> None:
    token = answers_token(answer_questionnaire())
    slots = web_state(client.application).pdf_slots
    assert slots is not None
    taken = 0
    while slots.acquire(blocking=False):  # every slot busy, as if that many PDFs were rendering
        taken += 1
    try:
        response = client.post("/plan.pdf", data={"answers": token})
    finally:
        for _ in range(taken):
            slots.release()
    assert taken == client.application.config["PDFS_AT_ONCE"]
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "try again" in response.get_data(as_text=True)
    assert client.post("/plan.pdf", data={"answers": token}).status_code == 200


def test_a_pdf_is_rendered_in_another_process_and_the_web_worker_never_loads_weasyprint() -> None:
    # In a fresh interpreter, as a gunicorn worker is: the test session may have loaded it.
    script = (
        "import sys, re\n"
        "from recommender.web import create_app\n"
        "from tests.web.conftest import FORM_BASELINE\n"
        "client = create_app({'TESTING': True}).test_client()\n"
        "page = client.post('/plan', data=FORM_BASELINE).get_data(as_text=True)\n"
        "token = re.search(r'name=\"answers\" value=\"([^\"]+)\"', page)[1]\n"
        "pdf = client.post('/plan.pdf', data={'answers': token})\n"
        "print(pdf.status_code, pdf.data[:5].decode(), 'weasyprint' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.stdout.split() == ["200", "%PDF-", "False"], run.stderr[-2000:]


@pytest.mark.parametrize(("language", "starting_tier", "exercise", "step"), [
    ("es", "Principiante", "Perro de caza (bird dog)", "Ponte a cuatro patas"),
    ("de", "Einsteiger", "Vierfüßlerstand mit Arm- und Beinheben (Bird Dog)", "Gehen Sie auf Hände und Knie"),
])
def test_a_spanish_or_german_pdf_is_in_that_language_with_every_letter(
        client: FlaskClient, answer_questionnaire: Answer, caplog: pytest.LogCaptureFixture, rules: Ruleset,
        language: str, starting_tier: str, exercise: str, step: str) -> None:
    token = answers_token(answer_questionnaire())
    response = client.post(f"/plan.pdf?lang={language}", data={"answers": token})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.data
    assert page_count(pdf) <= 3
    text = text_of(pdf)
    # Read back with pdftotext: the letters are there as letters (ü, ß, ñ, ¿), not missing glyphs.
    assert starting_tier in text
    assert exercise in text
    assert step in text
    sign = rules.in_language(language).wording.questions["red_flags"].options[0]
    assert (sign.short_label or sign.label) in text
    assert "Drawing-in (deep tummy brace)" not in text
    assert not caplog.records, [record.getMessage() for record in caplog.records]


def test_the_pdf_renderers_end_when_the_worker_that_started_them_is_killed() -> None:
    # A worker killed outright (gunicorn's timeout, the out-of-memory killer) cannot stop its
    # renderers itself; left alone, they would each keep a renderer's memory for ever.
    script = (
        "import multiprocessing, time\n"
        "from recommender.web.pdf.pool import PdfPool\n"
        "pool = PdfPool(2, 10, 'static')\n"
        "assert pool.render('<p>A plan</p>', None).startswith(b'%PDF-')\n"
        "print(*(child.pid for child in multiprocessing.active_children()), flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT, stdout=subprocess.PIPE, text=True) as worker:
        assert worker.stdout is not None
        renderers = [int(pid) for pid in worker.stdout.readline().split()]
        worker.kill()
    assert renderers, "the pool started no renderer"
    deadline = time.monotonic() + 10
    while (left := [pid for pid in renderers if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], f"renderers still running 10 s after their worker was killed: {left}"


def running(pid: int) -> bool:
    """Whether the process is there and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
