"""A safe starting plan for a stronger lower back.

The domain core (intake, rules loading, screening, planning) imports no Flask; the web
layer lives in `recommender.web` and is loaded only when the app is built.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so that `import recommender.planning` stays free of Flask.
    if name == "create_app":
        from recommender.web import create_app

        return create_app
    raise AttributeError(name)
