"""Rules edited while the service runs are served after a HUP, and only if they pass.

gunicorn's master loads the app once (`--preload`) and forks its workers from it, so on a HUP
it would start new workers from the rules it already has. The hooks here are gunicorn's (its
configuration, `recommender.web.app.master`, names them): `on_reload` runs in the master on
HUP, before the new workers are forked. It opens the rules and clinic profiles afresh through
the same `open_service` as a start, with every check and the safety proof, and only if that
passes puts the new service in the app; otherwise it logs every problem as
`file:line: message` and the app keeps serving the rules it had. Its `pre_fork` hook freezes
what the master loaded, before each worker is forked.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from flask import Flask

from recommender.model.problems import RulesError
from recommender.service import Service, open_service
from recommender.web.app.state import service, web_state


def on_reload(arbiter: Any) -> None:
    """gunicorn's hook, in the master, on HUP. Without --preload there is no app here: each new
    worker then loads the rules itself, and one that fails does not start."""
    app = arbiter.app.callable
    if isinstance(app, Flask):
        reload_rules(app, arbiter.log)


def pre_fork(server: Any, worker: Any) -> None:
    """gunicorn's hook, in the master, before each worker is forked. What the master loaded (the
    rules, their compiled readers, the templates) lives as long as the workers: frozen, the
    garbage collector never walks it again on a worker's requests, and the memory it sits in
    stays shared between the workers instead of being copied when the collector touches it."""
    gc.freeze()


def reload_rules(app: Flask, log: Any) -> Service:
    """The service the app answers from after this: the new rules' if they pass, else the old."""
    serving = service(app)
    try:
        fresh = open_service(Path(app.config["RULES_DIR"]), Path(app.config["CLINICS_DIR"]))
    except RulesError as error:
        log.error("Rules not reloaded; still serving version %s (sha256 %s). %s", serving.ruleset.version,
                  serving.ruleset.digest, error)
        return serving
    # What was worked out from the old rules must not answer for the new: the new service
    # keeps its own, and the web layer starts its caches afresh.
    web_state(app).serve(fresh)
    log.info("Rules reloaded: version %s (sha256 %s)", fresh.ruleset.version, fresh.ruleset.digest)
    return fresh
