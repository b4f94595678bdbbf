"""The exercise library: every catalogue entry with its figures, at `/exercises` on our site
and under each clinic's embed, narrowed there to what the clinic prescribes. Like `views`,
these are plain functions that both `pages` and `embed` register."""

from __future__ import annotations

from functools import reduce
from typing import NamedTuple

from flask import Blueprint, Response, abort, render_template, request, url_for
from markupsafe import Markup

from recommender.model.intake import TIERS, Tier
from recommender.model.rules import Exercise
from recommender.model.ruleset import Ruleset, in_sentence, starting
from recommender.web.app.state import current_clinic, service
from recommender.web.app.words import gettext, lazy_gettext

# In the page's language when shown.
KIND_TITLES = {"warm_up": lazy_gettext("Warm-ups"), "stretch": lazy_gettext("Stretches")}


# The library's filter asks for "no equipment" by this name, beside the catalogue's equipment ids.
NO_EQUIPMENT = "none"


class Group(NamedTuple):
    key: str
    title: str
    exercises: list[Exercise]


class Filter(NamedTuple):
    """What the library is narrowed to: a group's key and an equipment id (or NO_EQUIPMENT), ""
    for all. It is a choice of what to browse, not a person's answers, so it may be in the URL."""

    group: str
    equipment: str


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
    """What an entry needs, in the page's language: "Barbell and plates or dumbbells"."""
    choices = [reduce(lambda one, other: gettext("%(one)s and %(other)s", one=one, other=other),
                      [in_sentence(ruleset.equipment[item].name, ruleset.language) for item in choice])
               if choice else gettext("no equipment")
               for choice in exercise.equipment]
    return starting(reduce(lambda one, other: gettext("%(one)s or %(other)s", one=one, other=other), choices))


def _uses(exercise: Exercise, equipment: str) -> bool:
    """Whether the exercise can be done with that equipment (NO_EQUIPMENT: with none at all)."""
    if equipment == NO_EQUIPMENT:
        return any(not choice for choice in exercise.equipment)
    return any(equipment in choice for choice in exercise.equipment) or equipment in exercise.optional_equipment


def _chosen(name: str, offered: set[str]) -> str:
    """The filter's choice of `name`, or "" (everything) when none is asked for. An unknown
    choice (an old link, a hand-typed address) shows everything rather than an error."""
    value = request.args.get(name, "")
    return value if value in offered else ""


def exercises() -> str:
    ruleset = service().ruleset
    shown = list(_shown(ruleset).values())
    every_group = [Group(tier, ruleset.tier_title(tier), [e for e in shown if e.kind == "exercise" and e.tier == tier])
                   for tier in TIERS]
    every_group += [Group(kind, str(title), [e for e in shown if e.kind == kind])
                    for kind, title in KIND_TITLES.items()]
    every_group = [group for group in every_group if group.exercises]
    used = {item for exercise in shown for choice in [*exercise.equipment, exercise.optional_equipment]
            for item in choice}
    equipment_choices = [(NO_EQUIPMENT, gettext("No equipment"))] + [
        (item.id, item.name) for item in ruleset.equipment.values() if item.id in used]
    wanted = Filter(_chosen("group", {group.key for group in every_group}),
                    _chosen("equipment", {key for key, _ in equipment_choices}))
    groups = [Group(group.key, group.title,
                    [e for e in group.exercises if not wanted.equipment or _uses(e, wanted.equipment)])
              for group in every_group if not wanted.group or group.key == wanted.group]
    return render_template("exercises.html", groups=[group for group in groups if group.exercises],
                           every_group=every_group, equipment_choices=equipment_choices, wanted=wanted,
                           total=sum(len(group.exercises) for group in every_group),
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
        return [TierDose(gettext("Every level"), exercise.dose.all_tiers.describe(ruleset.say))]
    in_tiers: list[Tier] = [design.tier for design in ruleset.plan.tiers
                            if any(exercise.id in slot.choose_first_of for slot in design.slots)]
    found = []
    for tier in in_tiers:
        dose = exercise.dose.for_tier(tier)
        if dose is not None:
            found.append(TierDose(ruleset.tier_title(tier), dose.describe(ruleset.say)))
    return found


def add_to(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/exercises", "exercises", exercises, methods=["GET"])
    blueprint.add_url_rule("/exercises/<exercise_id>", "exercise", exercise, methods=["GET"])
    blueprint.add_url_rule("/exercises/<exercise_id>/moving.svg", "moving_figure", moving_figure, methods=["GET"])
