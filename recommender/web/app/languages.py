"""Which language a page speaks: the one the person chose, else the best their browser asks for
among those offered (a clinic's list, or every language the rules speak), else the clinic's
first, else the rules' own.

A choice travels in the address (`?lang=es`), never in a cookie: once chosen, every link and
form the page makes carries it (`url_defaults` below), and it names a language, not an answer.
Flask-Babel reads the same choice for the templates' words; the core's words come from the
service in that language (`state.service`).
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from babel import Locale
from flask import Flask, Response, request, url_for
from flask_babel import Babel, get_locale
from werkzeug.routing import BuildError

from recommender.model.rules import WEEKDAYS
from recommender.model.ruleset import in_sentence, starting
from recommender.service import shipped
from recommender.web.app.state import LANGUAGE_CHOICE, chosen_language, language_chosen, offered_languages, page_url
from recommender.web.app.words import close_catalogue, template_words


@cache
def own_name(language: str) -> str:
    """A language's name in itself, as its readers look for it in a switch: "Español". The
    same for every page: worked out once, not on each page's switch."""
    return starting(Locale.parse(language).get_display_name(language) or language)


def weekday_name(day: str) -> str:
    """A weekday of the rules ("monday") as the page's language names it, with a capital, as
    it heads a day's line or column."""
    return starting(get_locale().days["format"]["wide"][WEEKDAYS.index(day)])


def _carry_the_choice(endpoint: str, values: dict[str, object]) -> None:
    if endpoint != "static" and LANGUAGE_CHOICE not in values and language_chosen():
        values[LANGUAGE_CHOICE] = chosen_language()


def _say_which(response: Response) -> Response:
    if request.endpoint and request.endpoint != "static" and request.method != "OPTIONS":
        response.headers["Content-Language"] = chosen_language()
        # Every Vary header read as text, and written back as one: an allowed origin's API
        # answer has Flask-CORS's "Vary: Origin" beside Flask-Compress's, and werkzeug's `vary`
        # set reads only the first, so "Origin" was lost (and the set cost about 7 µs more).
        varies_by = [name.strip() for header in response.headers.getlist("Vary") for name in header.split(",")]
        varies_by = [name for name in varies_by if name]
        if "accept-language" not in {name.lower() for name in varies_by}:
            varies_by.append("Accept-Language")
        response.headers["Vary"] = ", ".join(varies_by)
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(shipped("translations")))
    Babel(app, locale_selector=chosen_language)
    # The templates' words from the catalogue looked up once for the request (web/app/words.py).
    app.teardown_request(close_catalogue)
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]  # added by Jinja's i18n extension
    app.jinja_env.globals.update(template_words())
    app.url_defaults(_carry_the_choice)
    app.after_request(_say_which)
    app.jinja_env.globals.update(language_switch=language_switch, chosen_language=chosen_language)
    app.jinja_env.filters["weekday"] = weekday_name
    # A title or name put inside a sentence: 'Beginner' -> 'beginner', but German keeps it.
    app.jinja_env.filters["in_sentence"] = lambda text: in_sentence(str(text), chosen_language())


class LanguageChoice(NamedTuple):
    """One language in the switch: its code, its own name, whether the page is in it, and where
    choosing it goes (None for the language the page is in, and on a page that posts instead)."""

    code: str
    name: str
    current: bool
    address: str | None


def language_switch(links: bool = True) -> list[LanguageChoice]:
    """The languages this page can be shown in, each with the address of this page in it (of
    the questionnaire, for a page made from a post); none when only one is offered. Pages made
    from answers post them again instead (templates/_languages.html), and need no `links`."""
    offered = offered_languages()
    if len(offered) < 2:
        return []
    current = chosen_language()
    endpoint = request.endpoint if request.method == "GET" and request.endpoint else None
    given: dict[str, Any] = ({name: value for name, value in request.args.items() if name != LANGUAGE_CHOICE}
                             if endpoint else {})

    def address(code: str) -> str:
        if endpoint is not None:
            try:
                return url_for(endpoint, **{**(request.view_args or {}), **given, LANGUAGE_CHOICE: code})
            except BuildError:
                pass  # an error page at an address that names no page of ours (an unknown clinic)
        try:
            return page_url("questionnaire", lang=code)
        except BuildError:
            return url_for("pages.questionnaire", lang=code)

    return [LanguageChoice(code, own_name(code), code == current,
                           address(code) if links and code != current else None)
            for code in offered]
