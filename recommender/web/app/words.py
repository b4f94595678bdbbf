"""The pages' own words in the request's language (Flask-Babel's catalogues), typed for the rest
of the web layer. `pybabel extract` finds each call's English by these names.

Flask-Babel looks the request's catalogue up again for every word, through several of Flask's
context lookups; a result page says some fifty, and the lookups were a quarter of its time. So
the catalogue is looked up at a request's first word, held for that request alone and emptied as
it ends (languages.init_app): no request ever reads another's, and one that says no word (a kept
page, a static file) looks nothing up.

The templates' words (`template_words`) are each made ready for a page once a catalogue and then
reused: through Jinja's own wrappers a word took some 4.5 microseconds, against 0.2 for plain
text, and a result page says about fifty."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

import flask_babel
from babel.support import NullTranslations
from flask import has_request_context
from flask_babel import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

__all__ = ["LazyString", "catalogue", "gettext", "lazy_gettext", "ngettext", "template_words"]

# A catalogue's words as a page puts them (`_page_word`), by their English and whether values
# go in. The catalogues are Flask-Babel's, one a language for as long as the app runs; the
# words are those the templates say, each written in them: a few hundred a language. The
# bound only guards against a template that one day passes made-up text.
PageWords = dict[tuple[str, bool], Markup]
PAGE_WORDS_KEPT = 2_048
_PAGE_WORDS: WeakKeyDictionary[NullTranslations, PageWords] = WeakKeyDictionary()


class _Words(NamedTuple):
    catalogue: NullTranslations
    for_pages: PageWords


_REQUESTS_WORDS: ContextVar[_Words | None] = ContextVar("requests_words", default=None)


def _words() -> _Words:
    found = _REQUESTS_WORDS.get()
    if found is None:
        said = flask_babel.get_translations()
        found = _Words(said, _PAGE_WORDS.setdefault(said, {}))
        if has_request_context():
            _REQUESTS_WORDS.set(found)
    return found


def catalogue() -> NullTranslations:
    """The catalogue of this request's language (Flask-Babel's, outside a request)."""
    return _words().catalogue


def close_catalogue(_: BaseException | None = None) -> None:
    _REQUESTS_WORDS.set(None)


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


def _page_word(text: str, with_values: bool) -> Markup:
    """`text` in the request's catalogue, safe for HTML: as a format for values, or as said
    with none (a format all the same, so "%%" is one "%" either way)."""
    words = _words()
    word = words.for_pages.get((text, with_values))
    if word is None:
        word = Markup(words.catalogue.ugettext(text))
        if not with_values:
            word = word % {}
        if len(words.for_pages) < PAGE_WORDS_KEPT:
            words.for_pages[text, with_values] = word
    return word


# Jinja's "new style" gettext, which `{% trans %}` blocks are compiled for: the words are a
# format, made safe before the values go in, even when there are none. The words come first
# and alone by position, as a `{% trans %}` block may name a value `count` or `text`.

@pass_eval_context
def _template_gettext(context: EvalContext, text: str, /, **values: Any) -> str:
    if not context.autoescape:
        return catalogue().ugettext(text) % values
    return _page_word(text, True) % values if values else _page_word(text, False)


@pass_eval_context
def _template_ngettext(context: EvalContext, singular: str, plural: str, count: int, /, **values: Any) -> str:
    values.setdefault("num", count)
    said = catalogue().ungettext(singular, plural, count)
    return (Markup(said) if context.autoescape else said) % values


def template_words() -> dict[str, Any]:
    """The templates' `_`, `gettext` and `ngettext`, for Jinja's i18n extension in its new style
    (`newstyle_gettext`)."""
    return {"_": _template_gettext, "gettext": _template_gettext, "ngettext": _template_ngettext}
