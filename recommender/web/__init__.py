"""The web layer: `create_app` builds the Flask app around the service, opened once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from recommender.service import open_service, shipped
from recommender.web.api.responses import MAX_BODY_BYTES
from recommender.web.app.settings import configure


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(shipped("templates")), static_folder=str(shipped("static")))
    # Settings first: a missing or short key in production stops the start here (SettingsError).
    configure(app, {
        "RULES_DIR": str(shipped("rules")),
        "CLINICS_DIR": str(shipped("clinics")),
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "MAX_FORM_MEMORY_SIZE": MAX_BODY_BYTES,
        # PDFs a worker renders at once (each takes most of a second of one core), each in a
        # renderer process that then stays, holding about 77 MB (bench/pdf-memory): one per
        # worker keeps an instance of two workers near 250 MB, where two made it 406 MB.
        "PDFS_AT_ONCE": 1,
        # PDFs a renderer process makes before a fresh one takes its place (web/pdf/pool.py).
        "PDFS_PER_PROCESS": 25,
        # Keep results between requests (web/app/state.py): off only to compare with on.
        "CACHING": True,
        # The numbers an emergency or same-day result asks to call (recommender/web/pages/calling.py).
        "REGION": "UK",
        "EMERGENCY_NUMBER": None,
        "URGENT_CARE_NUMBER": None,
    }, test_config)

    # Opened and checked once, exactly as `recommender rules check` does: invalid rules, or
    # rules that break a safety promise for any possible answers, raise RulesError here, so
    # the app never starts (with gunicorn --preload, the whole deploy stops) rather than
    # answer from rules it could not trust.
    opened = open_service(Path(app.config["RULES_DIR"]), Path(app.config["CLINICS_DIR"]),
                          caching=app.config["CACHING"])

    from recommender.web.api import docs, fhir, plan
    from recommender.web.app import (
        assets,
        compression,
        cors,
        csrf,
        errors,
        headers,
        health,
        hosts,
        languages,
        sessions,
        state,
    )
    from recommender.web.pages import calling, embed, result, site, views

    # All the app keeps besides Flask's own, in one place.
    app.extensions[state.STATE] = state.WebState(service=opened)

    for blueprint in (site.bp, plan.bp, embed.bp, docs.bp, fhir.bp, health.bp):
        app.register_blueprint(blueprint)
    app.context_processor(state.template_context)
    app.jinja_env.globals.update(state.FIGURE_GLOBALS, fragment=result.fragment)
    hosts.init_app(app)
    languages.init_app(app)
    app.extensions[state.STATE].call_numbers = calling.read_call_numbers(app)
    errors.init_app(app)
    headers.init_app(app)
    csrf.init_app(app)
    cors.init_app(app, list(opened.clinics.values()))
    sessions.init_app(app)
    views.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    return app
