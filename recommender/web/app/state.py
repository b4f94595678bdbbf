"""What a request can ask of the app: the service, and the clinic whose page this is; and the
one object that holds all the app keeps besides Flask's own (`WebState`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from flask import Flask, current_app, g, request, url_for
from markupsafe import Markup

from recommender.model.clinic import Clinic
from recommender.service import CacheStats, Service

if TYPE_CHECKING:
    from functools import _lru_cache_wrapper

    from recommender.web.pages.calling import CallNumbers
    from recommender.web.pdf.pool import PdfPool

# The key under app.extensions.
STATE = "recommender"
# Rendered parts of result pages kept (web/pages/result.py): a tier's part is at most about 40 KB
# of HTML (its exercise cards with their figures), so at most about 40 MB per worker.
PAGE_PARTS_KEPT = 1_024
# A tier's JSON, with every slot's decision, is at most about 12 KB: at most about 12 MB.
TIER_JSON_KEPT = 1_024


@dataclass
class WebState:
    """The service the app answers from, and everything the web layer keeps for it. A reload of
    the rules puts a new service here and starts every cache afresh (`serve`)."""

    service: Service
    # Renders one part of a result page from its key (web/pages/result.py), kept in `page_parts`;
    # writes a tier's JSON from what it was decided from (web/api/responses.py), kept in `tier_json`.
    render_part: Callable[..., Markup]
    write_tier_json: Callable[[Hashable], bytes]
    call_numbers: CallNumbers | None = None
    pdf_slots: threading.Semaphore | None = None
    pdf_pool: PdfPool | None = None
    # Each static file's fingerprint, by its name and time of change: one per file shipped.
    fingerprints: dict[tuple[str, float], str] = field(default_factory=dict)
    # The empty questionnaire, by clinic, framing and day (its only inputs): one a clinic a day.
    empty_forms: dict[tuple[str, bool, date], str] = field(default_factory=dict)
    # What the browser checks on each step of a form, by the form (one per form).
    browser_checks: dict[type, dict[str, dict[str, str]]] = field(default_factory=dict)
    page_parts: _lru_cache_wrapper[Markup] = field(init=False)
    tier_json: _lru_cache_wrapper[bytes] = field(init=False)

    def __post_init__(self) -> None:
        self.serve(self.service)

    def serve(self, fresh: Service) -> None:
        """Answer from `fresh` from now on, keeping nothing worked out from the old service."""
        self.service = fresh
        self.empty_forms.clear()
        self.browser_checks.clear()
        self.page_parts = lru_cache(maxsize=PAGE_PARTS_KEPT if fresh.caching else 0)(self.render_part)
        self.tier_json = lru_cache(maxsize=TIER_JSON_KEPT if fresh.caching else 0)(self.write_tier_json)

    def cache_stats(self) -> dict[str, CacheStats]:
        """Each cache's hits and misses, the engine's and the web layer's."""
        stats = dict(self.service.cache_stats())
        kept: tuple[tuple[str, _lru_cache_wrapper[Any]], ...] = (("page parts", self.page_parts),
                                                                 ("tier JSON", self.tier_json))
        for name, cache in kept:
            info = cache.cache_info()
            stats[name] = CacheStats(info.hits, info.misses, info.currsize, info.maxsize or 0)
        return stats


def web_state(app: Flask | None = None) -> WebState:
    found = (app or current_app).extensions[STATE]
    assert isinstance(found, WebState)
    return found


def service(app: Flask | None = None) -> Service:
    """The service the app (by default, the one handling this request) answers from."""
    return web_state(app).service


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
