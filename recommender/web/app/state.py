"""What a request can ask of the app: the service, and the clinic whose page this is; and the
one object that holds all the app keeps besides Flask's own (`WebState`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import format_date
from markupsafe import Markup
from pydantic import BaseModel
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from recommender.model.clinic import Clinic
from recommender.model.outcome import Decided, Plan
from recommender.service import CacheStats, Service
from recommender.web.app.figure_classes import by_class
from recommender.web.app.words import lazy_gettext

if TYPE_CHECKING:
    from recommender.web.pages.calling import CallNumbers
    from recommender.web.pdf.pool import PdfPool

# The key under app.extensions.
STATE = "recommender"
T = TypeVar("T")
# Rendered parts of result pages kept (web/pages/result.py): the largest, a plan's shared middle
# with its tiers' exercise cards and figures, is about 60 KB of HTML, so at most about 120 MB
# per worker; most parts are far smaller.
PAGE_PARTS_KEPT = 2_048
# A tier's JSON, with every slot's decision, is at most about 12 KB: at most about 24 MB.
JSON_PARTS_KEPT = 2_048
# The language each Accept-Language header asks for, by the header's text and the languages
# offered: browsers send a few dozen different ones. A header is at most 8 KB (gunicorn's
# limit on a header line), so at most about 2 MB.
LANGUAGE_HEADERS_KEPT = 256


class Kept(Generic[T]):
    """Results by key, at most `bound` of them (the least recently used go first), counting
    hits and misses. The caller's key must say everything the result depends on."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._kept: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def recall(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        made = make()
        if self.bound:
            with self._lock:
                self._kept[key] = made
                if len(self._kept) > self.bound:
                    self._kept.popitem(last=False)
        return made

    def stats(self) -> CacheStats:
        return CacheStats(self.hits, self.misses, len(self._kept), self.bound)


@dataclass(frozen=True)
class SentFile:
    """A static file as the app sends it (web/app/assets.py)."""

    fingerprinted: str
    body: bytes


@dataclass
class WebState:
    """The service the app answers from, and everything the web layer keeps for it. A reload of
    the rules puts a new service here and starts every cache afresh (`serve`)."""

    service: Service
    call_numbers: CallNumbers | None = None
    pdf_slots: threading.Semaphore | None = None
    pdf_pool: PdfPool | None = None
    # Each static file's fingerprinted name and bytes as sent, by its name: one per file
    # shipped, about 45 KB in all.
    static_files: dict[str, SentFile] = field(default_factory=dict)
    # The empty questionnaire and check-in form, by form, language (and whether chosen), clinic,
    # framing and day (their only inputs): two a clinic a language a day.
    empty_forms: dict[tuple[str, str, bool, str, bool, date], bytes] = field(default_factory=dict)
    # Parts of result pages and of the API's answers, by what they show (web/pages/result.py,
    # web/api/responses.py).
    page_parts: Kept[Markup] = field(init=False)
    json_parts: Kept[bytes] = field(init=False)
    # The language a browser asks for (`browser_language`).
    asked_languages: Kept[str] = field(init=False)

    def __post_init__(self) -> None:
        self.serve(self.service)

    def serve(self, fresh: Service) -> None:
        """Answer from `fresh` from now on, keeping nothing worked out from the old service."""
        self.service = fresh
        self.empty_forms.clear()
        self.page_parts = Kept(PAGE_PARTS_KEPT if fresh.caching else 0)
        self.json_parts = Kept(JSON_PARTS_KEPT if fresh.caching else 0)
        self.asked_languages = Kept(LANGUAGE_HEADERS_KEPT if fresh.caching else 0)

    def cache_stats(self) -> dict[str, CacheStats]:
        """Each cache's hits and misses, the engine's and the web layer's."""
        stats = dict(self.service.cache_stats())
        stats["page parts"] = self.page_parts.stats()
        stats["JSON parts"] = self.json_parts.stats()
        stats["languages asked"] = self.asked_languages.stats()
        return stats


def part_key(arg: Any) -> Hashable:
    """What a macro's argument counts as in a kept part's key: a plain value as itself, a list
    or a model by its values, and a part the engine decides (a tier, a plan) by what it was
    decided from. A plan counts without its tiers: a macro given the plan shows only the parts
    every plan with the same warm-up, cool-down, week and limit shares (tests hold it so)."""
    if arg is None or isinstance(arg, str | bool | int):
        return arg
    if isinstance(arg, Decided):
        if arg.made_from is None:
            raise TypeError(f"a {type(arg).__name__} the engine did not decide has no key")
        return (type(arg).__name__, _shared(arg))
    if isinstance(arg, list | tuple):
        return tuple(part_key(item) for item in arg)
    if isinstance(arg, BaseModel):
        return (type(arg).__name__, *(part_key(getattr(arg, name)) for name in type(arg).model_fields))
    raise TypeError(f"a kept part cannot be kept by a {type(arg).__name__}; give it plain values or models")


def _shared(part: Decided) -> Hashable:
    made_from = part.made_from
    return made_from._replace(tiers=()) if isinstance(part, Plan) else made_from  # type: ignore[attr-defined]


def web_state(app: Flask | None = None) -> WebState:
    found = (app or current_app._get_current_object()).extensions[STATE]  # type: ignore[attr-defined]
    assert isinstance(found, WebState)
    return found


def service(app: Flask | None = None) -> Service:
    """The service the app answers from: in a request (with no `app` given), speaking the
    request's language; else in the rules' own."""
    root = web_state(app).service
    return root.in_language(chosen_language()) if app is None and has_request_context() else root


# The address's parameter that names a chosen language.
LANGUAGE_CHOICE = "lang"


def offered_languages() -> list[str]:
    """The languages this page may speak, the default first: the clinic's, else every one the
    rules speak."""
    clinic = current_clinic()
    if clinic is not None and clinic.profile.languages:
        return list(clinic.profile.languages)
    return web_state().service.languages


def chosen_language() -> str:
    """The language this request speaks: the one the person chose (`?lang=`), else the best
    their browser asks for among those offered, else the first offered."""
    return _language()[1]


def language_chosen() -> bool:
    """Whether the person picked the language, rather than their browser's settings."""
    return _language()[2]


def _language() -> tuple[Clinic | None, str, bool]:
    # Worked out once a request, again if the request turns out to be a clinic's page.
    here = _request_globals()
    clinic = here.get("clinic")
    found: tuple[Clinic | None, str, bool] | None = here.get("language")
    if found is None or found[0] is not clinic:
        offered = offered_languages()
        asked = request.args.get(LANGUAGE_CHOICE)
        chosen = asked is not None and asked in offered
        language = asked if asked is not None and chosen else browser_language(offered)
        found = here.language = (clinic, language or offered[0], chosen)
    return found


def browser_language(offered: list[str]) -> str:
    """The language among `offered` that the browser's Accept-Language asks for first, or ""
    when it asks for none of them. Reading the header took about 18 µs a request, as long as
    the rest of the form page's own work."""
    header = request.headers.get("Accept-Language", "")
    return web_state().asked_languages.recall(
        (header, tuple(offered)), lambda: parse_accept_header(header, LanguageAccept).best_match(offered) or "")


def current_clinic() -> Clinic | None:
    """The clinic whose embedded page this request is for, or None on our own site."""
    clinic: Clinic | None = _request_globals().get("clinic")
    return clinic


def _request_globals() -> Any:
    # Flask's `g` itself rather than through its proxy: a result page asks for its clinic and
    # language about 75 times, and each lookup through the proxy took about a microsecond.
    return g._get_current_object()


def in_frame() -> bool:
    """Whether the browser is loading this page into a frame (its `Sec-Fetch-Dest` header says
    so), as on a clinic's website: the clinic's own page around it then names the clinic."""
    return request.headers.get("Sec-Fetch-Dest") == "iframe"


def page_url(name: str, **values: Any) -> str:
    """The address of one of our pages (questionnaire, plan, plan_pdf) on this site or embed."""
    return url_for(("embed." if current_clinic() else "pages.") + name, **values)


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
    return [Figure(drawing.pose, Markup(by_class(drawing.svg if ghosted else drawing.without_ghost)))
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
    "pose_names": {"start": lazy_gettext("Start"), "middle": lazy_gettext("Middle"), "end": lazy_gettext("End")},
}


class Figure(NamedTuple):
    pose: str
    svg: Markup


def template_context() -> dict[str, Any]:
    """What every template may use besides what its view passes."""
    today = date.today()
    ruleset = service().ruleset
    return {
        "language": ruleset.language,
        "clinic": current_clinic(),
        "in_frame": in_frame(),
        "page_url": page_url,
        "page_address": page_address,
        "embed_events": EMBED_EVENTS,
        "made_on": f"{today.day} {today:%B %Y}" if ruleset.language == "en" else format_date(today, "long"),
        "rules_version": ruleset.version,
        "rules_sha256": ruleset.digest,
    }
