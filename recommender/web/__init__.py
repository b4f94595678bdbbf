"""The web layer: builds the Flask app around a ruleset loaded once at start-up."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g

from recommender.clinics import Clinic, load_clinics
from recommender.loading import Ruleset, load_ruleset
from recommender.verification import ensure_verified

PROJECT = Path(__file__).resolve().parent.parent.parent
MAX_BODY_BYTES = 64 * 1024


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(PROJECT / "templates"),
                static_folder=str(PROJECT / "static"))
    app.config.from_mapping(
        RULES_DIR=str(PROJECT / "rules"),
        CLINICS_DIR=str(PROJECT / "clinics"),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_BODY_BYTES,
        # Signs the sealed answers behind downloads. With gunicorn --preload this is made once in
        # the master, so every worker shares it; set RECOMMENDER_SECRET_KEY to share it wider.
        SECRET_KEY=secrets.token_urlsafe(32),
    )
    app.config.from_prefixed_env("RECOMMENDER")
    if test_config:
        app.config.update(test_config)

    # Loaded and checked once; invalid rules, or rules that break a safety promise for any
    # possible answers, raise RulesError here, so the app never starts (with gunicorn
    # --preload, the whole deploy stops) rather than answer from rules it could not trust.
    rules_dir = Path(app.config["RULES_DIR"])
    ruleset = load_ruleset(rules_dir)
    # Clinic profiles are checked against the rules (narrowing names exercises), and the same way;
    # a clinic's narrowed plans must keep the safety promises too.
    clinics = load_clinics(Path(app.config["CLINICS_DIR"]), ruleset)
    ensure_verified(rules_dir, ruleset, [clinic.never_prescribe for clinic in clinics.values()])
    app.extensions["ruleset"] = ruleset
    app.extensions["clinics"] = clinics

    from recommender.web import api, csrf, docs, embed, errors, fhir, headers, health, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(fhir.bp)
    app.register_blueprint(health.bp)
    app.context_processor(lambda: {"rules_version": ruleset_of(app).version,
                                   "rules_sha256": ruleset_of(app).digest})
    embed.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    csrf.init_app(app)
    return app


def ruleset_of(app: Flask) -> Ruleset:
    ruleset = app.extensions["ruleset"]
    assert isinstance(ruleset, Ruleset)
    return ruleset


def clinics_of(app: Flask) -> dict[str, Clinic]:
    clinics: dict[str, Clinic] = app.extensions["clinics"]
    return clinics


def current_clinic() -> Clinic | None:
    """The clinic whose embedded page this request is for, or None on our own site."""
    clinic: Clinic | None = g.get("clinic")
    return clinic
