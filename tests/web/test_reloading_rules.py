"""Rules edited while the service runs: a HUP serves them if they pass, else keeps the old ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from recommender.checking.verification import write_stamp
from recommender.service import load_checked_rules
from recommender.web import create_app
from recommender.web.app.reloading import reload_rules
from recommender.web.app.state import service, web_state
from tests.conftest import copy_of_the_clinics, copy_of_the_rules


class Log:
    """gunicorn's logger, as far as the reload speaks to it."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.infos: list[str] = []

    def error(self, message: str, *args: object) -> None:
        self.errors.append(message % args)

    def info(self, message: str, *args: object) -> None:
        self.infos.append(message % args)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def reword_age_question(rules: Path, app: Flask) -> None:
    """A wording change, stamped as `recommender rules check` stamps rules that keep every
    promise (a label cannot break one), which spares the test the 25 s proof."""
    edit(rules / "intake.yaml", 'label: "How old are you?"', 'label: "How old are you today?"')
    write_stamp(rules, load_checked_rules(rules), service(app).narrowings())


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return copy_of_the_rules(tmp_path / "rules")


@pytest.fixture
def app(rules: Path, tmp_path: Path) -> Flask:
    return create_app({"TESTING": True, "RULES_DIR": str(rules),
                       "CLINICS_DIR": str(copy_of_the_clinics(tmp_path / "clinics"))})


def test_rules_that_pass_every_check_are_served_after_a_reload(rules: Path, app: Flask) -> None:
    old_digest = service(app).ruleset.digest
    reword_age_question(rules, app)
    log = Log()
    reload_rules(app, log)
    assert service(app).ruleset.digest != old_digest
    assert "How old are you today?" in app.test_client().get("/").get_data(as_text=True)
    assert log.errors == []
    assert log.infos == [f"Rules reloaded: version 3.0.0 (sha256 {service(app).ruleset.digest})"]


def test_broken_rules_are_not_served_and_every_problem_is_logged_with_file_and_line(
        rules: Path, app: Flask) -> None:
    serving = service(app)
    edit(rules / "plan.yaml", "choose_first_of: [dead-bug]", "choose_first_of: [dead-bugg]")
    edit(rules / "intake.yaml", 'label: "How old are you?"', 'label: "How old are you today?"')
    log = Log()
    assert reload_rules(app, log) is serving
    assert service(app) is serving
    assert "How old are you?" in app.test_client().get("/").get_data(as_text=True)
    [logged] = log.errors
    assert logged.startswith(f"Rules not reloaded; still serving version 3.0.0 (sha256 {serving.ruleset.digest})")
    assert "rules/plan.yaml:" in logged
    assert "there is no exercise 'dead-bugg' (did you mean 'dead-bug'?)" in logged


def test_answers_kept_from_the_old_rules_are_forgotten_on_a_reload(rules: Path, app: Flask) -> None:
    client = app.test_client()
    client.get("/")
    client.post("/api/v1/plan", json={"age": 30, "experience": "beginner", "pain_now": 0, "pain_duration": "none",
                                      "pain_below_knee": False, "back_surgery_or_injury": False, "red_flags": [],
                                      "health_flags": [], "equipment": ["mat"], "days_per_week": 2})
    assert web_state(app).cache_stats()["tiers"].entries > 0
    assert web_state(app).empty_forms
    reword_age_question(rules, app)
    reload_rules(app, Log())
    assert all(counted.entries == 0 for counted in web_state(app).cache_stats().values())
    assert not web_state(app).empty_forms
