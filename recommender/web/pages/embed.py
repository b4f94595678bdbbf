"""The pages a clinic embeds in its own site, at `/embed/<clinic>`, and the snippet to do it.

The form and the plan are the same pages as on our own site (`pages`), shown with the
clinic's name, logo and colour, and with its narrowing of the catalogue. Which clinic a
request is for is settled once, before the view, so the headers (frame-ancestors) and every
template know it; an unknown slug is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, g, render_template, request, url_for

from recommender.model.clinic import Clinic
from recommender.service import shipped
from recommender.web.app.state import current_clinic, public_url, service
from recommender.web.pages import library, views
from recommender.web.pages.branding import theme_css

# clinics/demo.yaml, made up to try the embed locally: served only when DEMO_CLINIC is on.
DEMO_SLUG = "demo"
bp = Blueprint("embed", __name__, url_prefix="/embed/<clinic>")
PARENT_SCRIPT = shipped("static") / "embed-parent.js"

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
library.add_to(bp)


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
    frame_url = public_url(url_for("embed.questionnaire"))
    # The script keeps its plain name: a clinic pastes the snippet once, and the script must
    # follow our releases (a fingerprinted name would pin it to one).
    script_url = public_url(f"{request.script_root}/static/{PARENT_SCRIPT.name}")
    return render_template("embed/snippet.html", snippet=snippet_html(frame_url, script_url),
                           long_form=long_form_html(frame_url), frame_url=frame_url,
                           origins=clinic.profile.embed_origins)


def snippet_html(frame_url: str, script_url: str) -> str:
    """The HTML a clinic pastes into its page: one element, and our script that builds the
    frame in it, fits the frame to its content and passes on the result."""
    return (f'<div id="lowerback-plan" data-url="{frame_url}"></div>\n'
            f'<script src="{script_url}" async></script>\n')


def long_form_html(frame_url: str) -> str:
    """The same without loading a script from us, for a site that allows no script from
    another website: the frame, and the same script pasted in (or saved on the clinic's site)."""
    listener = PARENT_SCRIPT.read_text(encoding="utf-8")
    return (f'<iframe id="lowerback-plan" src="{frame_url}"\n'
            f'        title="Stronger lower back: a safe starting plan"\n'
            f'        style="display: block; width: 100%; height: 640px; border: 0;"></iframe>\n'
            f"<script>\n{listener.strip()}\n</script>\n")


def _clinic() -> Clinic:
    clinic = current_clinic()
    assert clinic is not None, "set for every embed request by _find_clinic"
    return clinic

