"""No sessions: nothing about a person is kept between requests, in a cookie or anywhere else.

Flask opens a signed-cookie session for every request once a SECRET_KEY is set (ours seals
answers, web/sealed.py), building a signing serializer each time, though no page uses it.
This interface opens none, and says why if code ever tries to write to one.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Flask, Request
from flask.sessions import NullSession, SessionInterface


class NoSession(NullSession):
    def _fail(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("This app keeps no session: a person's answers travel sealed in the page "
                           "(recommender/web/pages/sealed.py), and cross-site posts are refused without "
                           "one (recommender/web/app/csrf.py).")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail


class NoSessions(SessionInterface):
    null_session_class = NoSession

    def open_session(self, app: Flask, request: Request) -> NoSession:
        return NoSession()

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        return None


def init_app(app: Flask) -> None:
    app.session_interface = NoSessions()
