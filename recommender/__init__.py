"""A safe starting plan for a stronger lower back.

The layers, from the bottom: `model`, then `loading` and `engine`, `checking` beside the
engine, `service` at their door, and `cli` and `web` on top (the README has the map). Only
`web` imports Flask, and it is loaded only when the app is built.

As a library, without the web app::

    from recommender import open_service
    from recommender.model.intake import Intake

    service = open_service()  # the rules that ship with the package, checked
    answers = Intake.model_validate_json('''{
        "age": 42, "experience": "beginner", "pain_now": 2, "pain_duration": "under_6_weeks",
        "pain_below_knee": false, "back_surgery_or_injury": false, "red_flags": [],
        "health_flags": [], "equipment": ["mat"], "days_per_week": 3}''')  # the API's JSON
    answer = service.recommend(answers)
    print(answer.triage.level, answer.plan.start_tier if answer.plan else "no plan")
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so that importing any other layer stays free of Flask and of loading the rules;
    # gunicorn reaches the app as `recommender:create_app()`, a program the engine as
    # `from recommender import open_service`.
    if name == "create_app":
        from recommender.web import create_app

        return create_app
    if name == "open_service":
        from recommender.service import open_service

        return open_service
    raise AttributeError(name)
