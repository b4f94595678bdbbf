"""A safe starting plan for a stronger lower back.

The layers, from the bottom: `model`, then `loading` and `engine`, `checking` beside the
engine, `service` at their door, and `cli` and `web` on top (the README has the map). Only
`web` imports Flask, and it is loaded only when the app is built.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so that importing any other layer stays free of Flask; gunicorn reaches the app as
    # `recommender:create_app()`.
    if name == "create_app":
        from recommender.web import create_app

        return create_app
    raise AttributeError(name)
