"""Our own origin: host names read without case, and the origin a same-origin check compares.

Host names are case-insensitive (RFC 3986), but werkzeug compares `Host` with TRUSTED_HOSTS
as written, so `PLAN.EXAMPLE.ORG` would get 400. The header is lowered once, before Flask
reads it, so the trusted-host check, the addresses we build and the same-origin check all see
one spelling.

werkzeug's own redirects (`/exercises//x` to `/exercises/x`) are absolute, built from the
request's Host; they are rebuilt from PUBLIC_BASE_URL when set, else made relative, so a forged
Host never reaches a `Location`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def init_app(app: Flask) -> None:
    app.wsgi_app = _lowercase_host(app.wsgi_app)  # type: ignore[method-assign, assignment]
    app.after_request(_redirect_to_our_origin)


def _lowercase_host(wsgi_app: WSGIApplication) -> WSGIApplication:
    def lowered(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if "HTTP_HOST" in environ:
            environ["HTTP_HOST"] = environ["HTTP_HOST"].lower()
        return wsgi_app(environ, start_response)

    return lowered


def our_host() -> str:
    """The `host[:port]` people reach us at: PUBLIC_BASE_URL's when set, else the request's
    (behind nginx, the browser's own Host with its port: deploy/proxy.conf passes $http_host)."""
    public: str = current_app.config["PUBLIC_BASE_URL"]
    return urlsplit(public).netloc.lower() if public else request.host


def _redirect_to_our_origin(response: Response) -> Response:
    location = response.headers.get("Location")
    if location:
        parts = urlsplit(location)
        if parts.netloc.lower() == request.host:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response.headers["Location"] = current_app.config["PUBLIC_BASE_URL"] + path
    return response
