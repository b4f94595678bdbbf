"""What a request can ask of the app: the service, and the clinic whose page this is."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from flask import Flask, current_app, g, request, url_for
from markupsafe import Markup

from recommender.model.clinic import Clinic
from recommender.service import Service


def service(app: Flask | None = None) -> Service:
    """The service the app (by default, the one handling this request) opened at start-up."""
    found = (app or current_app).extensions["service"]
    assert isinstance(found, Service)
    return found


def current_clinic() -> Clinic | None:
    """The clinic whose embedded page this request is for, or None on our own site."""
    clinic: Clinic | None = g.get("clinic")
    return clinic


def in_frame() -> bool:
    """Whether the browser is loading this page into a frame (its `Sec-Fetch-Dest` header says
    so), as on a clinic's website: the clinic's own page around it then names the clinic."""
    return request.headers.get("Sec-Fetch-Dest") == "iframe"


def page_url(name: str) -> str:
    """The address of one of our pages (questionnaire, plan, plan_pdf) on this site or embed."""
    return url_for(("embed." if current_clinic() else "pages.") + name)


def public_url(path: str) -> str:
    """An absolute address people and clinics copy or print: from PUBLIC_BASE_URL when set,
    else from the request's Host, which TRUSTED_HOSTS (or the proxy) limits to our own names."""
    return (current_app.config["PUBLIC_BASE_URL"] or request.host_url.rstrip("/")) + path


def page_address(name: str) -> str:
    """The absolute address of one of our pages, to print."""
    return public_url(page_url(name))


# Prefix of every message the embedded page posts to its parent, so a clinic's own code can
# tell ours apart from any other frame's.
EMBED_EVENTS = "lowerback"


def exercise_drawings(exercise_id: str, ghosted: bool = True) -> list[Figure]:
    """The drawn poses of a catalogue entry, start first, as SVG ready to put in a page;
    without `ghosted`, each pose alone, without the faint start pose under it."""
    return [Figure(drawing.pose, Markup(drawing.svg if ghosted else drawing.without_ghost))
            for drawing in service().drawings.get(exercise_id, [])]


def has_moving_figure(exercise_id: str) -> bool:
    """Whether a catalogue entry has a moving figure (none for a view from the front)."""
    return exercise_id in service().motions


def moving_figure_url(exercise_id: str) -> str:
    """Where a catalogue entry's moving figure is served as an image on this site or embed."""
    return url_for(("embed." if current_clinic() else "pages.") + "moving_figure", exercise_id=exercise_id)


# Globals rather than context: macros imported without context (the exercise card's) use them.
FIGURE_GLOBALS = {
    "exercise_drawings": exercise_drawings,
    "has_moving_figure": has_moving_figure,
    "moving_figure_url": moving_figure_url,
    "pose_names": {"start": "Start", "middle": "Middle", "end": "End"},
}


class Figure(NamedTuple):
    pose: str
    svg: Markup


def template_context() -> dict[str, Any]:
    """What every template may use besides what its view passes."""
    today = date.today()
    ruleset = service().ruleset
    return {

        "clinic": current_clinic(),
        "in_frame": in_frame(),
        "page_url": page_url,
        "page_address": page_address,
        "embed_events": EMBED_EVENTS,
        "made_on": f"{today.day} {today:%B %Y}",
        "rules_version": ruleset.version,
        "rules_sha256": ruleset.digest,
    }
