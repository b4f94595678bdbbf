"""What gunicorn's master does for each worker it forks."""

from __future__ import annotations

import gc
import importlib
import sys

from recommender.web import create_app
from recommender.web.app.reloading import on_reload, pre_fork


def test_what_the_master_loaded_is_frozen_before_a_worker_is_forked() -> None:
    app = create_app({"TESTING": True})
    gc.unfreeze()
    try:
        pre_fork(server=None, worker=None)
        # Frozen objects sit in no generation, so no collection on a request walks them.
        assert not any(kept is app.extensions for kept in gc.get_objects())
    finally:
        gc.unfreeze()


def test_gunicorns_master_loads_the_app_with_the_collector_off_and_turns_it_on_once_loaded() -> None:
    was_on = gc.isenabled()
    gc.enable()
    sys.modules.pop("recommender.web.app.master", None)
    try:
        master = importlib.import_module("recommender.web.app.master")  # as gunicorn reads its configuration
        assert not gc.isenabled()
        master.when_ready(server=None)
        assert gc.isenabled()
        # Its other hooks are those of `reloading`.
        assert master.pre_fork is pre_fork and master.on_reload is on_reload
    finally:
        (gc.enable if was_on else gc.disable)()
