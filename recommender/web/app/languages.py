"""Which language a page speaks: the one the person chose, else the best their browser asks for
among those offered (a clinic's list, or every language the rules speak), else the clinic's
first, else the rules' own.

A choice travels in the address (`?lang=es`), never in a cookie: once chosen, every link and
form the page makes carries it (`url_defaults` below), and it names a language, not an answer.
Flask-Babel reads the same choice for the templates' words; the core's words come from the
service in that language (`state.service`).
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_babel import Babel

from recommender.service import shipped
from recommender.web.app.state import current_clinic, web_state

# The address's parameter that names a chosen language.
CHOICE = "lang"
# Each language's own name, as its readers look for it in a switch.
NAMES = {"en": "English", "es": "Español", "de": "Deutsch"}


def offered_languages() -> list[str]:
    """The languages this page may speak, the default first."""
    clinic = current_clinic()
    if clinic is not None and clinic.profile.languages:
        return list(clinic.profile.languages)
    return list(web_state().service.ruleset.manifest.languages)


def chosen_language() -> str:
    found: str | None = g.get("language")
    if found is None:
        offered = offered_languages()
        asked = request.args.get(CHOICE)
        g.language_chosen = asked in offered
        found = asked if asked in offered else request.accept_languages.best_match(offered) or offered[0]
        g.language = found
    return found


def language_chosen() -> bool:
    """Whether the person picked the language (rather than their browser's settings)."""
    chosen_language()
    return bool(g.get("language_chosen"))


def _carry_the_choice(endpoint: str, values: dict[str, object]) -> None:
    if endpoint != "static" and CHOICE not in values and language_chosen():
        values[CHOICE] = chosen_language()


def _say_which(response: Response) -> Response:
    if request.endpoint and request.endpoint != "static":
        response.headers["Content-Language"] = chosen_language()
        response.vary.add("Accept-Language")
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(shipped("translations")))
    Babel(app, locale_selector=chosen_language)
    app.url_defaults(_carry_the_choice)
    app.after_request(_say_which)
