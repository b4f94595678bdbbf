"""The plan on paper: what the print layout holds, and the PDF the server renders from sealed answers."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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
from tests.pdf_tools import page_count, page_size, text_of
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


def test_the_result_page_has_the_print_header_log_sheet_and_download_form(answer_questionnaire: Answer) -> None:
    page = answer_questionnaire().get_data(as_text=True)
    assert '<div class="print-header print-only">' in page
    assert re.search(r"Made on \d{1,2} [A-Z][a-z]+ \d{4}", page)
    digest = re.search(r'<span class="digest">([0-9a-f]{64})</span>', page)
    assert digest, "the full SHA-256 of the rules is printed"
    assert '<section class="log-sheet print-only"' in page
    for heading in ("Date", "Exercise", "Sets done", "Pain after (0–10)", "Pain next morning (0–10)"):
        assert f">{heading}</th>" in page
    assert [f"Week {n}" for n in range(1, 5)] == re.findall(r"Week \d", page)
    assert '<form method="post" action="/plan.pdf">' in page  # sealed answers in the body, not the URL
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


@pytest.mark.parametrize("path", ["/plan.pdf", "/embed/demo/plan.pdf"])
def test_the_longest_plan_an_advanced_lifter_with_a_full_gym_four_days_a_week_prints_on_three_pages(
        client: FlaskClient, path: str) -> None:
    where = path.removesuffix("/plan.pdf")
    result = client.post(f"{where}/plan", data={**FORM_BASELINE, "experience": "advanced", "equipment": FULL_GYM,
                                                 "days_per_week": "4"})
    pdf = client.post(path, data={"answers": answers_token(result)}).data
    assert page_count(pdf) == 3
    assert "If any of these happen later" in text_of(pdf, page=2)
    assert "You start on the Advanced tier." in text_of(pdf, page=3)


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
    assert "Your 4-week log" in text_of(pdf, page=pages)  # the log has the last page to itself
    assert "Download PDF" not in text and "Answer the questions again" not in text
    assert not caplog.records, [record.getMessage() for record in caplog.records]


def test_a_withheld_plan_pdf_is_one_page_with_the_safety_net(download: Callable[..., TestResponse]) -> None:
    pdf = download(red_flags="saddle_numbness", no_red_flags=None).data
    assert page_count(pdf) == 1
    text = text_of(pdf)
    assert "Get emergency help now" in text
    assert "Warning signs and what to do" in text
    assert "Your 4-week log" not in text


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
