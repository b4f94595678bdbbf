"""Headers every response carries: a strict CSP, no caching of answers, no referrer."""

from __future__ import annotations

from flask import Flask, Response, request

from recommender.web.app.state import current_clinic

# No inline scripts or styles anywhere, so the policy needs no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors {frame_ancestors}"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# Sent only over HTTPS (a browser ignores it over plain HTTP). Behind a proxy that ends TLS,
# gunicorn marks the request as HTTPS from the proxy's X-Forwarded-Proto, trusting it only from
# the addresses in --forwarded-allow-ips (the FORWARDED_ALLOW_IPS environment variable; by default
# 127.0.0.1 and ::1). Set it to the proxy's address, or "*" where the proxy is the only way in.
EMBEDDABLE = ("/embed/", "/static/")
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)


def frame_ancestors() -> str:
    """Who may show this response in a frame: only ourselves, or a clinic's own sites.

    'self' stays in a clinic's list so that its snippet page on our site can preview the frame.
    No X-Frame-Options is sent: it cannot name a clinic's origins, and sent beside this it
    would conflict with it (older browsers obey it and would block the clinic's embed).
    """
    clinic = current_clinic()
    return " ".join(["'self'", *(clinic.profile.embed_origins if clinic else [])])


def _add_headers(response: Response) -> Response:
    # Added, not set: no view sends any of these, and adding skips a search of the headers for
    # each (9 µs an answer for the lot, set one by one, against 4 µs).
    response.headers.extend([
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY.format(frame_ancestors=frame_ancestors())),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        # No other window keeps a handle on ours (COOP; a frame is not a window of its own, so
        # this does not touch embedding). Our responses are read only by our own pages, except
        # a clinic's pages and the static files, which a clinic's site may frame or load under
        # its own Cross-Origin-Embedder-Policy.
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "cross-origin" if request.path.startswith(EMBEDDABLE) else "same-origin"),
    ])
    if request.is_secure:
        response.headers.add("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if not request.path.startswith("/static/"):
        # Pages can show a person's answers and triage: never keep them in any cache.
        response.headers["Cache-Control"] = "no-store"
    return response
