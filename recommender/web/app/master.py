"""gunicorn's configuration (`--config python:recommender.web.app.master` in the Procfile): the
hooks its master runs. gunicorn alone reads this module, before it loads the app.

The garbage collector is off while the master loads the app. Loading builds hundreds of
thousands of objects that live as long as the service (the modules, the rules and their
compiled readers, the figures) and almost no garbage, so each collection would only walk them
again: import and `create_app`, eight starts of each in turn, took a median of 0.439 s with it
on and 0.416 s with it off. `when_ready` turns it back on once the app is loaded; `pre_fork`
then freezes what was loaded, and `on_reload` serves edited rules only if they pass (both in
`reloading`).
"""

from __future__ import annotations

import gc
from typing import Any

gc.disable()

# Imported with the collector off: these bring in the whole app.
from recommender.web.app.reloading import on_reload, pre_fork  # noqa: E402

__all__ = ["on_reload", "pre_fork", "when_ready"]


def when_ready(server: Any) -> None:
    """gunicorn's hook, in the master, once the app is loaded and before any worker is forked."""
    gc.enable()
