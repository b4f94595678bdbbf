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
    folder = current_app.static_folder
    path = Path(folder or ".") / filename
    if path.suffix not in (".css", ".js", ".svg", ".png") or not path.is_file():
        return filename
    known = web_state().fingerprints
    key = (filename, path.stat().st_mtime)
    if key not in known:
        known[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{filename.removesuffix(path.suffix)}.{known[key]}{path.suffix}"


def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = fingerprinted(values["filename"])


def _serve(filename: str) -> Response:
    plain = plain_name(filename)
    response = current_app.send_static_file(plain)
    if plain != filename and fingerprinted(plain) == filename:
        response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    return response
