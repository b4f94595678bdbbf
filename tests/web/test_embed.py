"""A clinic's embedded page: its branding, its narrowing, its snippet, and what it tells the parent."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.web import create_app
from tests.conftest import PROJECT
from tests.web.conftest import FORM_BASELINE

Answer = Callable[..., TestResponse]


def embedded(client: FlaskClient, **changes: str | list[str] | None) -> TestResponse:
    answers = {**FORM_BASELINE, **changes}
    return client.post("/embed/demo/plan", data={k: v for k, v in answers.items() if v is not None})


def body_attributes(page: str) -> dict[str, str]:
    body = re.search(r"<body([^>]*)>", page)
    assert body
    return dict(re.findall(r'([\w-]+)="([^"]*)"', body[1]))


def test_the_embedded_form_carries_the_clinic_name_logo_and_colour(client: FlaskClient) -> None:
    page = client.get("/embed/demo").get_data(as_text=True)
    assert "Riverside Physiotherapy (demo)" in page
    assert 'src="/embed/demo/logo"' in page
    assert 'href="/embed/demo/theme.css"' in page
    assert 'action="/embed/demo/plan"' in page
    assert re.search(r"<script src=\"/static/embed\.[0-9a-f]{12}\.js\">", page)
    assert "How old are you?" in page


def test_our_own_site_loads_no_clinic_and_no_embed_script(client: FlaskClient,
                                                          answer_questionnaire: Answer) -> None:
    for page in (client.get("/").get_data(as_text=True), answer_questionnaire().get_data(as_text=True)):
        assert "embed.js" not in page and "data-embed" not in page and "theme.css" not in page


def test_the_theme_and_logo_are_served_with_their_types(client: FlaskClient) -> None:
    theme = client.get("/embed/demo/theme.css")
    assert theme.mimetype == "text/css"
    assert "--accent: #5b3f8c;" in theme.get_data(as_text=True)
    logo = client.get("/embed/demo/logo")
    assert logo.mimetype == "image/svg+xml"
    assert logo.data == (PROJECT / "clinics" / "demo-logo.svg").read_bytes()


def test_an_unknown_clinic_is_a_404_page(client: FlaskClient) -> None:
    for path in ("/embed/nowhere", "/embed/nowhere/snippet", "/embed/nowhere/theme.css"):
        response = client.get(path)
        assert response.status_code == 404
        assert "There is no page at this address." in response.get_data(as_text=True)
    assert client.post("/embed/nowhere/plan", data=FORM_BASELINE).status_code == 404


def test_by_default_the_result_tells_the_parent_only_that_the_form_was_completed(client: FlaskClient) -> None:
    page = embedded(client, age="47", pain_now="3", pain_duration="under_6_weeks").get_data(as_text=True)
    attributes = body_attributes(page)
    assert attributes == {
        "class": "embedded",
        "data-embed-events": "lowerback",
        "data-embed-origins": "https://clinic.example https://www.clinic.example http://localhost:*",
        "data-outcome": "completed",
    }
    script = (PROJECT / "static" / "embed.js").read_text()
    assert 'body.dataset.outcome === "completed"' in script
    assert "completed.level = body.dataset.outcomeLevel" in script
    assert '"*"' not in script.replace('never to\n// "*"', "")
    assert "postMessage(message, origin)" in script


@pytest.fixture(scope="module")
def sharing_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """The demo clinic with a profile that shares the level and starting tier."""
    clinics = tmp_path_factory.mktemp("sharing") / "clinics"
    shutil.copytree(PROJECT / "clinics", clinics)
    profile = clinics / "demo.yaml"
    profile.write_text(profile.read_text().replace("outcome_events: completed", "outcome_events: level_and_tier"))
    return create_app({"TESTING": True, "CLINICS_DIR": str(clinics)}).test_client()


def test_a_clinic_that_asks_for_it_is_told_the_level_and_starting_tier(sharing_client: FlaskClient) -> None:
    page = embedded(sharing_client, age="47", pain_now="3", pain_duration="under_6_weeks").get_data(as_text=True)
    attributes = body_attributes(page)
    assert attributes["data-outcome"] == "completed"
    assert attributes["data-outcome-level"] == "caution"
    assert attributes["data-outcome-start-tier"] == "beginner"


def test_a_withheld_plan_tells_the_parent_there_is_no_starting_tier(sharing_client: FlaskClient) -> None:
    client = sharing_client
    page = embedded(client, red_flags="saddle_numbness", no_red_flags=None).get_data(as_text=True)
    attributes = body_attributes(page)
    assert attributes["data-outcome-level"] == "emergency"
    assert attributes["data-outcome-start-tier"] == ""


def test_form_errors_stay_inside_the_clinic_page(client: FlaskClient) -> None:
    response = embedded(client, age="9")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'action="/embed/demo/plan"' in page and "Riverside Physiotherapy (demo)" in page
    assert "data-outcome" not in page


def test_a_result_that_says_see_a_professional_offers_the_clinic_phone_and_booking(client: FlaskClient) -> None:
    caution = embedded(client, pain_now="3", pain_duration="under_6_weeks").get_data(as_text=True)
    assert "Get help from Riverside Physiotherapy (demo)" in caution
    assert 'href="tel:02079460000"' in caution
    assert 'href="https://clinic.example/book" target="_blank" rel="noopener noreferrer"' in caution
    soon = embedded(client, red_flags="morning_stiffness", no_red_flags=None).get_data(as_text=True)
    assert "Get help from Riverside" in soon


def test_an_emergency_or_a_clear_result_offers_no_booking(client: FlaskClient) -> None:
    # An emergency must go to emergency care, not to an appointment.
    emergency = embedded(client, red_flags="both_legs", no_red_flags=None).get_data(as_text=True)
    assert "Get emergency help now" in emergency
    assert "Get help from" not in emergency and "clinic.example/book" not in emergency
    clear = embedded(client).get_data(as_text=True)
    assert "Get help from" not in clear


def test_the_clinic_plan_leaves_out_what_it_never_prescribes(client: FlaskClient, answer_questionnaire: Answer) -> None:
    answers: dict[str, str | list[str] | None] = {"experience": "advanced", "equipment": ["kettlebell", "bench"]}
    ours = answer_questionnaire(**answers).get_data(as_text=True)
    theirs = embedded(client, **answers).get_data(as_text=True)
    assert 'id="ex-advanced-kettlebell-swing"' in ours
    assert 'id="ex-advanced-kettlebell-swing"' not in theirs
    assert 'id="ex-advanced-hip-thrust"' in theirs  # the slot's next choice
    assert "your clinic does not prescribe it" in theirs


def test_a_refreshed_embedded_result_goes_back_to_the_clinic_form(client: FlaskClient) -> None:
    response = client.get("/embed/demo/plan")
    assert response.status_code == 302
    assert response.headers["Location"] == "/embed/demo"


def shown_code(page: str, code_id: str) -> str:
    code = re.search(rf'<pre class="snippet"[^>]*><code id="{code_id}">(.*?)</code></pre>', page, re.S)
    assert code, code_id
    return html.unescape(code[1])


def test_the_snippet_is_one_element_and_one_script_tag_that_builds_the_frame(client: FlaskClient) -> None:
    page = client.get("/embed/demo/snippet").get_data(as_text=True)
    assert shown_code(page, "snippet-code") == (
        '<div id="lowerback-plan" data-url="http://localhost/embed/demo"></div>\n'
        '<script src="http://localhost/static/embed-parent.js" async></script>\n')
    assert 'data-copy="snippet-code">Copy the code</button>' in page
    # The preview on the page is that same code at work.
    assert '<div id="lowerback-plan" class="embed-preview" data-url="http://localhost/embed/demo"></div>' in page
    assert re.search(r"<script src=\"/static/embed-parent\.[0-9a-f]{12}\.js\"></script>", page)
    assert re.search(r"<script src=\"/static/snippet-preview\.[0-9a-f]{12}\.js\"></script>", page)
    assert "<code>http://localhost:*</code>" in page


def test_the_snippet_page_also_gives_the_frame_with_our_script_written_out(client: FlaskClient) -> None:
    page = client.get("/embed/demo/snippet").get_data(as_text=True)
    listener = (PROJECT / "static" / "embed-parent.js").read_text().strip()
    assert "If your website allows no script from other websites" in page
    long_form = shown_code(page, "long-form-code")
    assert long_form.startswith('<iframe id="lowerback-plan" src="http://localhost/embed/demo"')
    assert f"<script>\n{listener}\n</script>" in long_form
    assert 'data-copy="long-form-code">Copy this code</button>' in page


def test_the_code_to_paste_wraps_inside_its_box() -> None:
    style = (PROJECT / "static" / "integration.css").read_text()
    assert "pre.snippet, pre.snippet code { white-space: pre-wrap; overflow-wrap: anywhere; }" in style


def test_inside_a_clinics_page_the_frame_does_not_repeat_the_clinics_header(client: FlaskClient) -> None:
    framed = client.get("/embed/demo", headers={"Sec-Fetch-Dest": "iframe"}).get_data(as_text=True)
    opened = client.get("/embed/demo", headers={"Sec-Fetch-Dest": "document"}).get_data(as_text=True)
    assert 'class="site-header clinic-header"' not in framed and "SHA-256" not in framed
    assert "How old are you?" in framed and 'action="/embed/demo/plan"' in framed
    assert 'class="site-header clinic-header"' in opened and "Riverside Physiotherapy (demo)" in opened
    result = client.post("/embed/demo/plan", data=FORM_BASELINE, headers={"Sec-Fetch-Dest": "iframe"})
    assert 'class="site-header clinic-header"' not in result.get_data(as_text=True)


def test_the_parent_listener_trusts_only_our_frame_and_origin() -> None:
    listener = Path(PROJECT / "static" / "embed-parent.js").read_text()
    assert "event.source !== frame.contentWindow || event.origin !== origin" in listener
    assert "lowerback.resize" in listener and "lowerback.completed" in listener
