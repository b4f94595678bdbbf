"""The figure checks: every catalogue entry is drawn, and every pose is one a body can take.

A drawing mistake is a problem like a rules mistake, with its file and line: a joint bent
past its normal range, a body part through the floor, a contact that does not touch (hands
that do not reach the floor in a plank, a back that is not on the ball).
"""

from __future__ import annotations

from recommender.drawing.props import held_shape, resting_gap, surfaces
from recommender.drawing.skeleton import HEAD_RADIUS, RADIUS, Body, SideName, part_points, pose_body
from recommender.loading.figures import FIGURES_FILE, LoadedFigures
from recommender.model.figures import (
    HELD_PROPS,
    JOINT_RANGES,
    JOINTS,
    LIMB_JOINTS,
    SPACE_VIEWS,
    Figure,
    Pose,
    PoseName,
)
from recommender.model.problems import Problem, SourceLines
from recommender.model.ruleset import Ruleset

# How far, in centimetres, an outline may miss or sink into what it rests on and still be
# drawn as touching it.
TOUCH = 4.0
SINK = 6.0


def figure_problems(figures: LoadedFigures, ruleset: Ruleset) -> list[Problem]:
    lines = figures.lines
    problems: list[Problem] = []
    drawn: dict[str, int] = {}
    for index, figure in enumerate(figures.book.figures):
        where = ("figures", index)
        if figure.exercise in drawn:
            problems.append(lines.problem(FIGURES_FILE, where + ("exercise",),
                                          f"'{figure.exercise}' is drawn twice"))
        drawn[figure.exercise] = index
        if figure.exercise not in ruleset.exercises:
            problems.append(lines.problem(FIGURES_FILE, where + ("exercise",),
                                          f"there is no exercise '{figure.exercise}' in the catalogue"))
        problems += _figure_problems(figure, where, lines)
    for position, exercise in enumerate(ruleset.exercises.values()):
        if exercise.id not in drawn:
            what = exercise.kind.replace("_", "-")
            problems.append(ruleset.lines.problem("exercises.yaml", ("exercises", position, "id"),
                                                  f"the {what} '{exercise.id}' has no figures in {FIGURES_FILE}"))
    return problems


def _figure_problems(figure: Figure, where: tuple[str | int, ...], lines: SourceLines) -> list[Problem]:
    problems: list[Problem] = []

    def problem(location: tuple[str | int, ...], message: str) -> None:
        problems.append(lines.problem(FIGURES_FILE, where + location, message))

    kinds = {prop.kind for prop in figure.props}
    ranges = JOINT_RANGES[figure.view]
    for name, pose in figure.poses():
        if pose.roll and figure.view not in SPACE_VIEWS:
            problem((name, "roll"), f"{name} pose: a roll about the body's length shows only from above: "
                                    "draw this figure with view: top")
        for joint in JOINTS:
            sides: tuple[SideName, ...] = ("near", "far") if joint in LIMB_JOINTS else ("near",)
            if joint not in ranges:
                if any(pose.angle(joint, side) for side in sides):
                    problem((name, joint), f"{name} pose: {joint} shows only from above: "
                                           "draw this figure with view: top")
                continue
            for side in sides:
                angle = pose.angle(joint, side)
                low, high = ranges[joint]
                if not low <= angle <= high:
                    label = (f"the {side} {joint.replace('_', ' ')}" if joint in LIMB_JOINTS
                             else "the spine's turn" if joint == "turn" else f"the {joint} spine")
                    problem((name, joint), f"{name} pose: {label} at {angle} degrees is outside its normal "
                                           f"range ({low} to {high}): "
                                           + ("turned too far" if joint == "turn"
                                              else "bent backwards" if angle < low else "bent too far"))
        body = pose_body(pose, figure.view)
        lowest = body.lowest()
        if lowest < -TOUCH:
            problem((name, "at"), f"{name} pose: the body goes {-lowest:.0f} cm below the floor "
                                  f"({', '.join(_parts_below_floor(body))})")
        for part, surface in pose.contacts.items():
            if surface != "floor" and surface not in kinds:
                problem((name, "contacts", part), f"{name} pose: the {part} rest on a {surface}, "
                                                  f"but the figure has no {surface} in its props")
                continue
            gap = _gap(body, name, figure, part, surface)
            if gap is None:
                continue
            if gap > TOUCH:
                problem((name, "contacts", part), f"{name} pose: the {part} should touch the {surface} "
                                                  f"but are {gap:.0f} cm away from it")
            elif gap < -SINK:
                problem((name, "contacts", part), f"{name} pose: the {part} sink {-gap:.0f} cm into "
                                                  f"the {surface}")
        problems += _resting_problems(figure, name, pose, body, where, lines)
    return problems


def _gap(body: Body, pose: PoseName, figure: Figure, part: str, surface: str) -> float | None:
    """How far the closest point of `part` is from `surface` (negative when sunk into it)."""
    points = part_points(body, part)
    if surface == "floor":
        return min(point[1] - radius for point, radius in points)
    prop = next(prop for prop in figure.props_in(pose) if prop.kind == surface)
    if prop.kind in HELD_PROPS:
        # A held weight goes where the hands go; only what holds it can be checked against it.
        shape = held_shape(prop, body.near.hand)
        if shape is None or part == "hands":
            return None
        return min(shape.distance(point) - radius for point, radius in points)
    shapes = surfaces(prop)
    return min(shape.distance(point) - radius for point, radius in points for shape in shapes)


def _resting_problems(figure: Figure, name: PoseName, pose: Pose, body: Body,
                      where: tuple[str | int, ...], lines: SourceLines) -> list[Problem]:
    rack = next((prop for prop in figure.props if prop.kind == "rack"), None)
    pins = float(rack.height or 55) if rack is not None else None
    found = []
    for index, prop in enumerate(figure.props):
        if name not in prop.resting_in:
            continue
        gap = resting_gap(prop, body.near.hand, pins)
        if abs(gap) > TOUCH:
            rests_on = "the rack's pins" if pins is not None and prop.kind == "barbell" else "the floor"
            state = (f"the hands do not reach it: it would float {gap:.0f} cm above {rests_on}" if gap > 0
                     else f"it would sit {-gap:.0f} cm into {rests_on}")
            found.append(lines.problem(FIGURES_FILE, where + ("props", index, "resting_in"),
                                       f"{name} pose: the {prop.kind} rests on {rests_on}, but {state}"))
    return found


def _parts_below_floor(body: Body) -> list[str]:
    """The joints whose drawn outline is under the floor, lowest first."""
    found = {"the head": body.head[1] - HEAD_RADIUS, "the hips": body.hip[1] - RADIUS["trunk"],
             "the shoulders": body.shoulder[1] - RADIUS["trunk"]}
    for side, limbs in (("near", body.near), ("far", body.far)):
        found.update({
            f"the {side} knee": limbs.knee[1] - RADIUS["thigh"],
            f"the {side} foot": min(limbs.heel[1], limbs.toe[1]) - RADIUS["foot"],
            f"the {side} hand": limbs.hand[1] - RADIUS["hand"],
            f"the {side} elbow": limbs.elbow[1] - RADIUS["forearm"],
        })
    return sorted((part for part, low in found.items() if low < -TOUCH), key=lambda part: found[part])
