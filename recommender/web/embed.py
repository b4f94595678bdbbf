"""The pages a clinic embeds in its own site, at `/embed/<clinic>`, and the snippet to do it.

The form and the plan are the same pages as on our own site (`pages`), shown with the
clinic's name, logo and colour, and with its narrowing of the catalogue. Which clinic a
request is for is settled once, before the view, so the headers (frame-ancestors) and every
template know it; an unknown slug is a 404.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, render_template, url_for

from recommender.model.clinic import Clinic
from recommender.web import views
from recommender.web.branding import theme_css
from recommender.web.state import current_clinic, service

# clinics/demo.yaml, made up to try the embed locally: served only when DEMO_CLINIC is on.
DEMO_SLUG = "demo"
bp = Blueprint("embed", __name__, url_prefix="/embed/<clinic>")
PARENT_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "embed-parent.js"

@bp.url_value_preprocessor
def _find_clinic(endpoint: str | None, values: dict[str, Any] | None) -> None:
    slug = (values or {}).pop("clinic", None)
    clinic = service().clinics.get(slug or "")
    if clinic is None or (clinic.slug == DEMO_SLUG and not current_app.config["DEMO_CLINIC"]):
        abort(404)
    g.clinic = clinic


@bp.url_defaults
def _add_clinic(endpoint: str, values: dict[str, Any]) -> None:
    clinic = current_clinic()
    if clinic is not None:
        values.setdefault("clinic", clinic.slug)


views.add_to(bp, "")


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
    frame_url = public_url("embed.questionnaire")
    return render_template("embed/snippet.html", snippet=snippet_html(frame_url), frame_url=frame_url,
                           origins=clinic.profile.embed_origins)


def public_url(endpoint: str) -> str:
    """An absolute address clinics copy: from PUBLIC_BASE_URL when set, else from the request's
    Host, which TRUSTED_HOSTS (or the proxy) limits to our own names."""
    base = current_app.config["PUBLIC_BASE_URL"]
    return base + url_for(endpoint) if base else url_for(endpoint, _external=True)


def snippet_html(frame_url: str) -> str:
    """The HTML a clinic pastes into its page: the frame, and the listener that serves it.

    The listener is pasted inline rather than loaded from us, so the clinic runs no script
    it cannot read; the preview on our own page loads the same file (our CSP allows no inline
    script).
    """
    listener = PARENT_SCRIPT.read_text(encoding="utf-8")
    return (f'<iframe id="lowerback-plan" src="{frame_url}"\n'
            f'        title="Stronger lower back: a safe starting plan"\n'
            f'        style="width: 100%; height: 900px; border: 0;"></iframe>\n'
            f"<script>\n{listener.strip()}\n</script>\n")


def _clinic() -> Clinic:
    clinic = current_clinic()
    assert clinic is not None, "set for every embed request by _find_clinic"
    return clinic

