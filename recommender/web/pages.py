"""Our own site: the questionnaire at `/` and the result after sending it (see `views`)."""

from __future__ import annotations

from flask import Blueprint

from recommender.web import library, views

bp = Blueprint("pages", __name__)
views.add_to(bp, "/")
library.add_to(bp)
