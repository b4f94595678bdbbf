"""Settings: production refuses to start without a real key; keys rotate; hosts are trusted;
static files go out under fingerprinted names and without comments."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recommender.model.intake import Intake
from recommender.web import create_app
from recommender.web.app.settings import SettingsError
from recommender.web.app.static_files import main as write_static_folder
from recommender.web.pages.sealed import seal
from tests.conftest import BASELINE, PROJECT
from tests.web.conftest import FORM_BASELINE

# Old keys are listed separated by commas or spaces, so these have neither.
KEY = "a-key-for-these-tests-never-used-in-production"
OLD_KEY = "an-older-key-for-these-tests-never-used-in-production"


@pytest.mark.parametrize("environment", [{}, {"RECOMMENDER_SECRET_KEY": "12345"},
                                         {"RECOMMENDER_SECRET_KEY": "short but not empty"}])
def test_production_refuses_to_start_without_a_string_key_of_32_bytes(
        monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]) -> None:
    monkeypatch.delenv("RECOMMENDER_SECRET_KEY", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match="RECOMMENDER_SECRET_KEY must be set to a secret string of at least 32"):
        create_app()


def test_a_numeric_key_from_the_environment_stays_a_string_and_plans_are_answered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    digits = "3141592653589793238462643383279502884197"  # valid JSON: Flask alone makes it a number
    monkeypatch.setenv("RECOMMENDER_SECRET_KEY", digits)
    app = create_app()
    assert app.config["SECRET_KEY"] == digits
    assert app.test_client().post("/plan", data=FORM_BASELINE).status_code == 200


@pytest.mark.parametrize("key", ["a" * 32, "ab" * 20, "password" * 4, "0123456789abcdef" * 2, "1234567" * 6])
def test_an_obviously_weak_key_of_32_bytes_or_more_stops_the_start_and_says_the_rule(key: str) -> None:
    with pytest.raises(SettingsError, match="at least 8 different characters and must not be a shorter piece repeated"):
        create_app({"SECRET_KEY": key})


def test_an_obviously_weak_old_key_stops_the_start_too() -> None:
    with pytest.raises(SettingsError, match="RECOMMENDER_OLD_SECRET_KEYS is too easy to guess"):
        create_app({"TESTING": True, "SECRET_KEY": KEY, "OLD_SECRET_KEYS": "o" * 32})


def test_development_runs_with_a_temporary_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECOMMENDER_SECRET_KEY", raising=False)
    monkeypatch.setenv("RECOMMENDER_DEVELOPMENT", "1")
    assert len(create_app().config["SECRET_KEY"]) >= 32


def test_an_old_key_still_opens_its_tokens_after_rotation() -> None:
    rotated = create_app({"TESTING": True, "SECRET_KEY": KEY, "OLD_SECRET_KEYS": f"{OLD_KEY}, {KEY}-third"})
    token = seal(Intake.model_validate(BASELINE), [OLD_KEY])
    # The clinic's file is made from the opened answers, as a PDF is, without a renderer to start.
    response = rotated.test_client().post("/plan/fhir", data={"answers": token})
    assert response.status_code == 200
    assert response.get_json(force=True)["resourceType"] == "QuestionnaireResponse"


def test_an_old_key_shorter_than_32_bytes_stops_the_start() -> None:
    with pytest.raises(SettingsError, match="RECOMMENDER_OLD_SECRET_KEYS"):
        create_app({"TESTING": True, "SECRET_KEY": KEY, "OLD_SECRET_KEYS": "short"})


@pytest.fixture(scope="module")
def hosted() -> Flask:
    return create_app({"TESTING": True, "TRUSTED_HOSTS": "plan.example.org"})


def test_a_forged_host_never_reaches_the_snippet(hosted: Flask) -> None:
    client = hosted.test_client()
    assert client.get("/embed/demo/snippet", headers={"Host": "evil.example"}).status_code == 400
    page = client.get("/embed/demo/snippet", headers={"Host": "plan.example.org"}).get_data(as_text=True)
    assert "evil.example" not in page
    assert "//plan.example.org/embed/demo" in page


def test_a_public_base_url_builds_the_snippet_links_whatever_the_host() -> None:
    app = create_app({"TESTING": True, "PUBLIC_BASE_URL": "https://plan.example.org/"})
    page = app.test_client().get("/embed/demo/snippet", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in page
    assert 'data-url="https://plan.example.org/embed/demo"' in page


def test_trusted_host_names_are_compared_without_case() -> None:
    client = create_app({"TESTING": True, "TRUSTED_HOSTS": "Plan.Example.org"}).test_client()
    assert client.get("/", headers={"Host": "PLAN.EXAMPLE.ORG"}).status_code == 200
    assert client.get("/", headers={"Host": "plan.example.org:8443"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(("public_base_url", "location"), [
    ("", "/exercises/dead-bug?from=plan"),
    ("https://plan.example.org", "https://plan.example.org/exercises/dead-bug?from=plan"),
])
def test_a_redirect_goes_to_our_own_origin_never_to_the_host_a_request_names(
        public_base_url: str, location: str) -> None:
    client = create_app({"TESTING": True, "PUBLIC_BASE_URL": public_base_url}).test_client()
    response = client.get("/exercises//dead-bug?from=plan", headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.headers["Location"] == location


@pytest.mark.parametrize(("origin", "status"), [
    ("https://plan.example.org:8443", 200),
    ("https://PLAN.example.org:8443", 200),
    ("https://plan.example.org", 403),  # another port is another origin
    ("http://evil.example", 403),  # the Host this request names is not our origin
])
def test_a_same_origin_post_is_judged_by_the_public_base_url_when_set(origin: str, status: int) -> None:
    client = create_app({"TESTING": True, "PUBLIC_BASE_URL": "https://plan.example.org:8443"}).test_client()
    response = client.post("/plan", data=FORM_BASELINE, headers={"Host": "evil.example", "Origin": origin})
    assert response.status_code == status


def test_the_demo_clinic_is_served_only_when_switched_on() -> None:
    off = create_app({"TESTING": True, "DEMO_CLINIC": False}).test_client()
    assert off.get("/embed/demo").status_code == 404
    on = create_app({"TESTING": True, "DEMO_CLINIC": True}).test_client()
    assert on.get("/embed/demo").status_code == 200


def test_pages_say_that_no_other_window_may_hold_them(client: FlaskClient) -> None:
    for address in ("/", "/api/v1/openapi.json", "/embed/demo"):
        assert client.get(address).headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_only_a_clinics_pages_and_static_files_may_be_loaded_by_other_sites(client: FlaskClient) -> None:
    assert client.get("/").headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert client.get("/api/v1/openapi.json").headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert client.get("/embed/demo").headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    static = client.get("/static/style.css")
    assert static.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    static.close()


def test_pages_link_static_files_by_a_fingerprint_of_their_content(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    digest = hashlib.sha256((PROJECT / "static" / "style.css").read_bytes()).hexdigest()[:12]
    assert f'href="/static/style.{digest}.css"' in page
    response = client.get(f"/static/style.{digest}.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    response.close()


def test_a_fingerprint_that_does_not_match_the_file_is_not_cached_for_long(client: FlaskClient) -> None:
    response = client.get("/static/style.000000000000.css")
    assert "immutable" not in response.headers.get("Cache-Control", "")
    response.close()


@pytest.mark.parametrize(("name", "kept"), [("style.css", ".site-header .brand{"),
                                            ("form.js", 'form.querySelector("[data-progress]")')])
def test_stylesheets_and_scripts_go_out_without_the_comments_their_files_keep_for_readers(
        client: FlaskClient, name: str, kept: str) -> None:
    on_disk = (PROJECT / "static" / name).read_text(encoding="utf-8")
    sent = client.get(f"/static/{name}").get_data(as_text=True)
    comment = "/*" if name.endswith(".css") else "\n  // "
    assert comment in on_disk
    assert comment not in sent
    assert kept in sent
    assert len(sent) < 0.8 * len(on_disk)


def test_the_folder_written_for_nginx_holds_every_static_file_as_the_service_sends_it(
        client: FlaskClient, tmp_path: Path) -> None:
    assert write_static_folder([str(tmp_path)]) == 0
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(path.name for path in (PROJECT / "static").iterdir() if path.is_file())
    for name in written:
        response = client.get(f"/static/{name}")
        assert response.get_data() == (tmp_path / name).read_bytes(), name
        response.close()
