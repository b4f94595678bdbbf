"""The exercise library: every catalogue entry with its figures, at `/exercises` on our site
and under each clinic's embed, narrowed there to what the clinic prescribes. Like `views`,
these are plain functions that both `pages` and `embed` register."""

from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, Response, abort, render_template, url_for
from markupsafe import Markup

from recommender.model.intake import TIERS, Tier
from recommender.model.rules import Exercise
from recommender.model.ruleset import Ruleset
from recommender.web.app.state import current_clinic, service

KIND_TITLES = {"warm_up": "Warm-ups", "stretch": "Stretches"}


class Group(NamedTuple):
    title: str
    exercises: list[Exercise]


class TierDose(NamedTuple):
    title: str
    dose: str


def library_url(exercise_id: str | None = None) -> str:
    """The library's address, or one entry's, on this site or this clinic's embed."""
    prefix = "embed." if current_clinic() else "pages."
    if exercise_id is None:
        return url_for(prefix + "exercises")
    return url_for(prefix + "exercise", exercise_id=exercise_id)


def _shown(ruleset: Ruleset) -> dict[str, Exercise]:
    clinic = current_clinic()
    hidden = clinic.never_prescribe if clinic else frozenset()
    return {key: exercise for key, exercise in ruleset.exercises.items() if key not in hidden}


def equipment_words(exercise: Exercise, ruleset: Ruleset) -> str:
    choices = [" and ".join(ruleset.equipment[item].name for item in choice) for choice in exercise.equipment]
    return " or ".join(choice or "no equipment" for choice in choices).capitalize()


def exercises() -> str:
    ruleset = service().ruleset
    shown = list(_shown(ruleset).values())
    groups = [Group(ruleset.tier_title(tier), [e for e in shown if e.kind == "exercise" and e.tier == tier])
              for tier in TIERS]
    groups += [Group(title, [e for e in shown if e.kind == kind]) for kind, title in KIND_TITLES.items()]
    return render_template("exercises.html", groups=[group for group in groups if group.exercises],
                           library_url=library_url, equipment_words=lambda e: equipment_words(e, ruleset))


def exercise(exercise_id: str) -> str:
    ruleset = service().ruleset
    shown = _shown(ruleset)
    found = shown.get(exercise_id)
    if found is None:
        abort(404)
    motion = service().motions.get(exercise_id)
    return render_template("exercise.html", exercise=found, doses=_doses(found, ruleset),
                           motion=Markup(motion) if motion else None,
                           equipment=equipment_words(found, ruleset), library_url=library_url,
                           easier=shown.get(found.easier or ""), harder=shown.get(found.harder or ""))


def moving_figure(exercise_id: str) -> Response:
    """The moving figure alone, as an SVG image: session mode loads it for the exercise it
    shows, so the plan page does not carry an animation for every exercise."""
    motion = service().motions.get(exercise_id)
    if motion is None or exercise_id not in _shown(service().ruleset):
        abort(404)
    # A file of its own, unlike a figure inside a page, must name its markup language.
    return Response(motion.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1), mimetype="image/svg+xml")


def _doses(exercise: Exercise, ruleset: Ruleset) -> list[TierDose]:
    """The dose in each tier whose plan can hold the exercise (a warm-up or stretch: every tier)."""
    if exercise.dose.all_tiers is not None:
        return [TierDose("Every level", exercise.dose.all_tiers.describe())]
    in_tiers: list[Tier] = [design.tier for design in ruleset.plan.tiers
                            if any(exercise.id in slot.choose_first_of for slot in design.slots)]
    found = []
    for tier in in_tiers:
        dose = exercise.dose.for_tier(tier)
        if dose is not None:
            found.append(TierDose(ruleset.tier_title(tier), dose.describe()))
    return found


def add_to(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/exercises", "exercises", exercises, methods=["GET"])
    blueprint.add_url_rule("/exercises/<exercise_id>", "exercise", exercise, methods=["GET"])
    blueprint.add_url_rule("/exercises/<exercise_id>/moving.svg", "moving_figure", moving_figure, methods=["GET"])
