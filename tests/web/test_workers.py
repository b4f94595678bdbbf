"""What gunicorn's master does for each worker it forks."""

from __future__ import annotations

import gc

from recommender.web import create_app
from recommender.web.app.reloading import pre_fork


def test_what_the_master_loaded_is_frozen_before_a_worker_is_forked() -> None:
    app = create_app({"TESTING": True})
    gc.unfreeze()
    try:
        pre_fork(server=None, worker=None)
        # Frozen objects sit in no generation, so no collection on a request walks them.
        assert not any(kept is app.extensions for kept in gc.get_objects())
    finally:
        gc.unfreeze()
