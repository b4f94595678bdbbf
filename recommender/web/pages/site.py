"""Our own site: the questionnaire at `/` and the result after sending it (see `views`)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from recommender.web.pages import library, views

bp = Blueprint("pages", __name__)
views.add_to(bp, "/")
library.add_to(bp)


@bp.get("/favicon.ico")
def favicon() -> Response:
    # Browsers and crawlers ask this address whatever a page links to: the same icon.
    return current_app.send_static_file("favicon.svg")
