"""Refuse form posts made from other websites, without a session or a cookie.

The usual defence, a token kept in a session cookie (Flask-WTF), fails inside a clinic's
iframe: Safari, Brave and private windows block cookies in third-party frames, so the form
would break exactly where clinics embed it. We keep no session at all. Instead we read what
the browser says about where the request came from, and no page can forge those headers:

- `Sec-Fetch-Site` (every current browser sends it) must be `same-origin`, or `none` when a
  person acts directly (a bookmark, the address bar). A post from our page inside a clinic's
  iframe is still same-origin: the frame's page is ours. Anything else is refused.
- `Origin`, when it names a site, must name ours. Our pages send `Referrer-Policy:
  no-referrer`, which makes browsers send `Origin: null` on our own posts, so `null` says
  nothing and is left to `Sec-Fetch-Site`. Ours is PUBLIC_BASE_URL's host when it is set,
  else the request's `Host` (port included). We compare host and port only: behind a proxy
  that ends TLS we see http while the browser says https, and a page on another scheme of
  our own host would need control of our host anyway.

A request with neither header is not from a current browser (curl, a test client, a very
old browser) and is let through: what a forged post could do here is show someone a plan for
answers they did not give, on our own page; there is no account, no stored data and nothing
to change. The JSON API and FHIR `$plan` are not checked here: a cross-site page can send
`Content-Type: application/json` (or `application/fhir+json`) only with fetch, which needs a
CORS preflight we grant only to the origins clinics list (recommender/web/app/cors.py), and a plain
cross-site form cannot set that type (those endpoints answer it 415).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request

from recommender.web.app.hosts import our_host

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ALLOWED_FETCH_SITES = {"same-origin", "none"}
# Endpoints that read only JSON bodies (see above).
JSON_ONLY = {"fhir.plan"}


def init_app(app: Flask) -> None:
    app.before_request(_refuse_cross_site_posts)


def _refuse_cross_site_posts() -> None:
    if request.method in SAFE_METHODS or request.blueprint == "api" or request.endpoint in JSON_ONLY:
        return
    if is_cross_site(request.headers.get("Sec-Fetch-Site"), request.headers.get("Origin"), our_host()):
        abort(403)


def is_cross_site(fetch_site: str | None, origin: str | None, our_host: str) -> bool:
    if fetch_site is not None and fetch_site.lower() not in ALLOWED_FETCH_SITES:
        return True
    if origin is not None and origin != "null":
        return urlsplit(origin).netloc.lower() != our_host.lower()
    return False
