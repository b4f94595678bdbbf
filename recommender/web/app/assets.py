"""Static files under fingerprinted names: `style.css` is linked as `style.0123456789ab.css`.

The name changes whenever the file does, so a proxy (deploy/proxy.conf) or a browser may keep
it for a year; the plain name keeps working, with a short lifetime. Stylesheets and scripts are
sent without their comments and indentation (web/app/static_files.py).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, send_file
from werkzeug.security import safe_join

from recommender.web.app.state import SentFile, web_state
from recommender.web.app.static_files import FINGERPRINTED_SUFFIXES, as_sent, fingerprinted_name, plain_name

YEAR_SECONDS = 365 * 24 * 60 * 60


def init_app(app: Flask) -> None:
    app.url_defaults(_fingerprint)
    app.view_functions["static"] = _serve


def fingerprinted(filename: str) -> str:
    sent = _sent_file(filename)
    return sent.fingerprinted if sent is not None else filename


def _sent_file(filename: str) -> SentFile | None:
    # Read once per file while the app runs: the files ship with it, and a new release is a new
    # start. (A file edited meanwhile is still served as it was, for a short while.)
    # Only files that exist are kept, so made-up names cannot grow the dictionary.
    known = web_state().static_files
    sent = known.get(filename)
    if sent is None:
        found = safe_join(current_app.static_folder or ".", filename)
        path = Path(found) if found is not None else None
        if path is None or path.suffix not in FINGERPRINTED_SUFFIXES or not path.is_file():
            return None
        content = path.read_bytes()
        sent = known[filename] = SentFile(fingerprinted_name(path, content), as_sent(path, content))
    return sent


def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = fingerprinted(values["filename"])


def _serve(filename: str) -> Response:
    plain = plain_name(filename)
    sent = _sent_file(plain)
    if sent is None:
        return current_app.send_static_file(plain)
    if plain != filename and sent.fingerprinted != filename:
        # An old or made-up fingerprint: the file as it is now, but not kept for long.
        filename = plain
    response = send_file(BytesIO(sent.body), download_name=plain, etag=sent.fingerprinted,
                         max_age=current_app.get_send_file_max_age(plain))
    if filename != plain:
        response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    return response
