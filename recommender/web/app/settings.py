"""The app's settings: defaults, then `RECOMMENDER_*` environment variables, then a test's dict.

Production is the default, and it fails closed: without a string key of at least 32 bytes, or
with one that is obviously weak (fewer than 8 different characters, or one piece repeated), the
app refuses to start, with a message saying what to set, rather than answer 500 later. The
development flag (`RECOMMENDER_DEVELOPMENT=1`, set by `scripts/serve`) and tests (`TESTING`)
may run without a key: a fresh one is made at start, shared by every worker of one gunicorn
master (`--preload`) and forgotten when it stops.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask

PREFIX = "RECOMMENDER"
MIN_KEY_BYTES = 32
# Random keys of 32 bytes have far more; a key of one or two characters repeated has fewer.
MIN_DISTINCT_CHARACTERS = 8
MAKE_ONE = "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
# Read as the strings they are. Flask's from_prefixed_env parses values as JSON, which turns
# RECOMMENDER_SECRET_KEY=12345 into the number 12345.
RAW_STRINGS = ("SECRET_KEY", "OLD_SECRET_KEYS", "TRUSTED_HOSTS", "PUBLIC_BASE_URL", "REGION", "EMERGENCY_NUMBER",
               "URGENT_CARE_NUMBER")


class SettingsError(RuntimeError):
    """A setting the service cannot start with; the message names the variable and the fix."""


def configure(app: Flask, defaults: dict[str, Any], test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(
        DEVELOPMENT=False,
        SECRET_KEY=None,
        OLD_SECRET_KEYS="",
        # The host names this service answers to (comma-separated); others get 400, so a
        # forged Host header never reaches the snippet or a FHIR canonical URL.
        TRUSTED_HOSTS="",
        # Where people reach the service, e.g. https://plan.example.org; when set, the snippet's
        # links and the FHIR canonical URLs are built from it rather than from the request.
        PUBLIC_BASE_URL="",
        # The made-up clinic in clinics/demo.yaml lets http://localhost:* frame it: off unless
        # switched on (scripts/serve does, for trying the embed locally).
        DEMO_CLINIC=None,
        **defaults,
    )
    app.config.from_prefixed_env(PREFIX)
    for name in RAW_STRINGS:
        if f"{PREFIX}_{name}" in os.environ:
            app.config[name] = os.environ[f"{PREFIX}_{name}"]
    if test_config:
        app.config.update(test_config)
    relaxed = bool(app.config["DEVELOPMENT"] or app.config["TESTING"])
    if app.config["DEMO_CLINIC"] is None:
        app.config["DEMO_CLINIC"] = relaxed
    if app.config["SECRET_KEY"] is None and relaxed:
        app.config["SECRET_KEY"] = secrets.token_urlsafe(32)
    check_key(app.config["SECRET_KEY"])
    old = app.config["OLD_SECRET_KEYS"]
    app.config["OLD_SECRET_KEYS"] = old.replace(",", " ").split() if isinstance(old, str) \
        else list(old)
    for key in app.config["OLD_SECRET_KEYS"]:
        check_key(key, f"{PREFIX}_OLD_SECRET_KEYS")
    hosts = app.config["TRUSTED_HOSTS"] or ""
    # Flask (3.1+) answers 400 to a request whose Host is not in this list; None checks nothing.
    # Lower case, as web/hosts.py lowers the Host header: host names are compared without case.
    app.config["TRUSTED_HOSTS"] = ([h.strip().lower() for h in hosts.split(",") if h.strip()]
                                   if isinstance(hosts, str) else [h.lower() for h in hosts]) or None
    app.config["PUBLIC_BASE_URL"] = str(app.config["PUBLIC_BASE_URL"] or "").rstrip("/")


def check_key(key: Any, name: str = f"{PREFIX}_SECRET_KEY") -> None:
    if not isinstance(key, str) or len(key.encode()) < MIN_KEY_BYTES:
        raise SettingsError(
            f"{name} must be set to a secret string of at least {MIN_KEY_BYTES} bytes, the same for every "
            f"instance ({MAKE_ONE}). For local use only, RECOMMENDER_DEVELOPMENT=1 makes a temporary one."
        )
    if weak(key):
        raise SettingsError(
            f"{name} is too easy to guess: a key needs at least {MIN_DISTINCT_CHARACTERS} different "
            f"characters and must not be a shorter piece repeated (like 'abcabcabc...') ({MAKE_ONE})."
        )


def weak(key: str) -> bool:
    """Whether a long enough key is still obviously guessable: a few characters, or one piece
    repeated (the doubled string holds the key again before its own length only then)."""
    return len(set(key)) < MIN_DISTINCT_CHARACTERS or (key + key).find(key, 1) < len(key)


def secret_keys(app: Flask) -> list[str]:
    """The key new tokens are made with, then the older ones still accepted."""
    return [app.config["SECRET_KEY"], *app.config["OLD_SECRET_KEYS"]]
