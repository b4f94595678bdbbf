"""Static files under fingerprinted names: `style.css` is linked as `style.0123456789ab.css`.

The name changes whenever the file does, so a proxy (deploy/proxy.conf) or a browser may keep
it for a year; the plain name keeps working, with a short lifetime.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app

from recommender.web.app.state import web_state
from recommender.web.app.static_names import plain_name

YEAR_SECONDS = 365 * 24 * 60 * 60


def init_app(app: Flask) -> None:
    app.url_defaults(_fingerprint)
    app.view_functions["static"] = _serve


def fingerprinted(filename: str) -> str:
    # Read once per file while the app runs: the files ship with it, and a new release is a new
    # start. (A file edited meanwhile is still served under its old name, for a short while.)
    known = web_state().fingerprints
    found = known.get(filename)
    if found is None:
        path = Path(current_app.static_folder or ".") / filename
        if path.suffix not in (".css", ".js", ".svg", ".png") or not path.is_file():
            found = filename
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            found = f"{filename.removesuffix(path.suffix)}.{digest}{path.suffix}"
        known[filename] = found
    return found


def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = fingerprinted(values["filename"])


def _serve(filename: str) -> Response:
    plain = plain_name(filename)
    response = current_app.send_static_file(plain)
    if plain != filename and fingerprinted(plain) == filename:
        response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    return response
