"""The pages' own words in the request's language (Flask-Babel's catalogues), typed for the rest
of the web layer. `pybabel extract` finds each call's English by these names.

Flask-Babel looks the request's catalogue up again for every word, through several of Flask's
context lookups; a result page says some fifty, and the lookups were a quarter of its time. So
the catalogue is looked up at a request's first word, held for that request alone and emptied as
it ends (languages.init_app): no request ever reads another's, and one that says no word (a kept
page, a static file) looks nothing up."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import flask_babel
from babel.support import NullTranslations
from flask import has_request_context
from flask_babel import LazyString

__all__ = ["LazyString", "catalogue", "gettext", "lazy_gettext", "ngettext"]

_REQUESTS_CATALOGUE: ContextVar[NullTranslations | None] = ContextVar("requests_catalogue", default=None)


def catalogue() -> NullTranslations:
    """The catalogue of this request's language (Flask-Babel's, outside a request)."""
    found = _REQUESTS_CATALOGUE.get()
    if found is None:
        found = flask_babel.get_translations()
        if has_request_context():
            _REQUESTS_CATALOGUE.set(found)
    return found


def close_catalogue(_: BaseException | None = None) -> None:
    _REQUESTS_CATALOGUE.set(None)


def gettext(text: str, **values: Any) -> str:
    said = catalogue().ugettext(text)
    return said % values if values else said


def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
    said = catalogue().ungettext(singular, plural, count)
    return said % {"num": count, **values}


def lazy_gettext(text: str, **values: Any) -> LazyString:
    """For words written before any request (module constants): translated when shown."""
    found: LazyString = flask_babel.lazy_gettext(text, **values)
    return found
