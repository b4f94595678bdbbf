"""The pages a clinic embeds in its own site, at `/embed/<clinic>`, and the snippet to do it.

The form and the plan are the same pages as on our own site (`pages`), shown with the
clinic's name, logo and colour, and with its narrowing of the catalogue. Which clinic a
request is for is settled once, before the view, so the headers (frame-ancestors) and every
template know it; an unknown slug is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from recommender.clinics import Clinic
from recommender.web import PROJECT, clinics_of, current_clinic, pages
from recommender.web.branding import theme_css

bp = Blueprint("embed", __name__, url_prefix="/embed/<clinic>")

# Prefix of every message the embedded page posts to its parent, so a clinic's own code can
# tell ours apart from any other frame's.
EVENTS = "lowerback"
PARENT_SCRIPT = PROJECT / "static" / "embed-parent.js"


def init_app(app: Flask) -> None:
    app.context_processor(_template_context)


def _template_context() -> dict[str, Any]:
    today = date.today()
    return {
        "clinic": current_clinic(),
        "page_url": page_url,
        "embed_events": EVENTS,
        "made_on": f"{today.day} {today:%B %Y}",
    }


def page_url(name: str) -> str:
    """The address of one of our pages (questionnaire, plan, plan_pdf) on this site or embed."""
    return url_for(("embed." if current_clinic() else "pages.") + name)


@bp.url_value_preprocessor
def _find_clinic(endpoint: str | None, values: dict[str, Any] | None) -> None:
    slug = (values or {}).pop("clinic", None)
    clinic = clinics_of(current_app).get(slug or "")
    if clinic is None:
        abort(404)
    g.clinic = clinic


@bp.url_defaults
def _add_clinic(endpoint: str, values: dict[str, Any]) -> None:
    clinic = current_clinic()
    if clinic is not None:
        values.setdefault("clinic", clinic.slug)


@bp.get("")
def questionnaire() -> str:
    return pages.questionnaire()


@bp.post("/plan")
def plan() -> tuple[str, int]:
    return pages.plan()


@bp.get("/plan")
def plan_without_answers() -> BaseResponse:
    return redirect(url_for("embed.questionnaire"))


@bp.post("/plan.pdf")
def plan_pdf() -> tuple[Response | str, int]:
    return pages.plan_pdf()


@bp.get("/theme.css")
def theme() -> Response:
    return Response(theme_css(_clinic()), mimetype="text/css")


@bp.get("/logo")
def logo() -> Response:
    found = _clinic().logo
    if found is None:
        abort(404)
    return Response(found.content, mimetype=found.media_type)


@bp.get("/snippet")
def snippet() -> str:
    clinic = _clinic()
    frame_url = url_for("embed.questionnaire", _external=True)
    return render_template("embed/snippet.html", snippet=snippet_html(frame_url), frame_url=frame_url,
                           origins=clinic.profile.embed_origins)


def snippet_html(frame_url: str) -> str:
    """The HTML a clinic pastes into its page: the frame, and the listener that serves it.

    The listener is pasted inline rather than loaded from us, so the clinic runs no script
    it cannot read; the preview on our own page loads the same file (our CSP allows no inline
    script).
    """
    listener = PARENT_SCRIPT.read_text(encoding="utf-8").strip()
    return (f'<iframe id="lowerback-plan" src="{frame_url}"\n'
            f'        title="Stronger lower back: a safe starting plan"\n'
            f'        style="width: 100%; height: 900px; border: 0;"></iframe>\n'
            f"<script>\n{listener}\n</script>\n")


def _clinic() -> Clinic:
    clinic = current_clinic()
    assert clinic is not None, "set for every embed request by _find_clinic"
    return clinic

