"""The pages' own words in the request's language (Flask-Babel's gettext), typed for the rest
of the web layer. `pybabel extract` finds each call's English by these names."""

from __future__ import annotations

from typing import Any

import flask_babel
from flask_babel import LazyString

__all__ = ["LazyString", "gettext", "lazy_gettext", "ngettext"]


def gettext(text: str, **values: Any) -> str:
    return str(flask_babel.gettext(text, **values))


def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
    return str(flask_babel.ngettext(singular, plural, count, **values))


def lazy_gettext(text: str, **values: Any) -> LazyString:
    """For words written before any request (module constants): translated when shown."""
    found: LazyString = flask_babel.lazy_gettext(text, **values)
    return found
