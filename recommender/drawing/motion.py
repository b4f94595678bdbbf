"""A figure that moves gently between its poses, for screens.

The body is drawn as SVG groups nested joint by joint, each rotated about its own joint, so
moving from one pose to the next is only a change of the same angles: the skeleton cannot
stretch on the way. The angles are interpolated by SVG's own declarative animation, so no
script runs; the page hides this figure (and shows the still poses) when a person asks for
reduced motion, and in print. A figure seen from above moves differently (see `_plan_motion`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from html import escape
from typing import Any

from recommender.drawing.skeleton import (
    FOREARM,
    HAND,
    HEAD_RADIUS,
    LUMBAR,
    NECK,
    PELVIS,
    RADIUS,
    SHANK,
    THIGH,
    THORACIC,
    UPPER_ARM,
    SideName,
    paint_order,
    plan_body,
    pose_body,
)
from recommender.drawing.svg import (
    FAR,
    MARGIN,
    NEAR,
    PLAN_WIDTH,
    PROP_FILL,
    PROP_LINE,
    _extent,
    _ground_prop,
    plan_extent,
    plan_svg,
)
from recommender.model.figures import LIMB_JOINTS, SPACE_VIEWS, Figure, Pose, Prop, Side

SECONDS = 5


def _values(poses: list[Pose], angle: Callable[[Pose], float]) -> list[float]:
    # Out and back again, holding a moment at each end.
    there = [angle(pose) for pose in poses]
    return there + there[::-1]


def _key_times(count: int) -> str:
    steps = 2 * count - 1
    return ";".join(f"{index / steps:.3f}".rstrip("0").rstrip(".") if index else "0" for index in range(steps + 1))


def _turn(poses: list[Pose], angle: Callable[[Pose], float], inside: str) -> str:
    values = _values(poses, angle)
    if len(set(values)) == 1:
        return f'<g transform="rotate({values[0]:g})">{inside}</g>'
    return (f'<g transform="rotate({values[0]:g})"><animateTransform attributeName="transform" type="rotate" '
            f'values="{";".join(f"{v:g}" for v in values)}" keyTimes="{_key_times(len(poses))}" '
            f'dur="{SECONDS}s" repeatCount="indefinite" calcMode="spline" '
            f'keySplines="{";".join(["0.4 0 0.6 1"] * (2 * len(poses) - 1))}"/>{inside}</g>')


def _along(length: float, inside: str) -> str:
    return f'<g transform="translate(0 {-length:g})">{inside}</g>'


def _bone(length: float, width: float) -> str:
    return f'<path d="M0 0V{-length:g}" stroke-width="{width:g}"/>'


def _skeleton(poses: list[Pose], side: SideName, trunk: bool) -> str:
    """One side's limbs, and the trunk and head when `trunk`, as groups nested by joint."""
    def pick(joint: str) -> Callable[[Pose], float]:
        return lambda pose: float(pose.angle(joint, side))  # type: ignore[arg-type]

    foot = (f'<path d="M4 5 4 -17" stroke-width="{2 * RADIUS["foot"]:g}"/>')
    shank = _bone(SHANK, 2 * RADIUS["shank"]) + _along(SHANK, _turn(poses, lambda p: -90 - pick("ankle")(p), foot))
    thigh = _bone(THIGH, 2 * RADIUS["thigh"]) + _along(THIGH, _turn(poses, pick("knee"), shank))
    leg = _turn(poses, lambda p: 180 - pick("hip")(p), thigh)
    forearm = _bone(FOREARM + HAND, 2 * RADIUS["forearm"])
    arm = _turn(poses, lambda p: 180 - pick("shoulder")(p),
                _bone(UPPER_ARM, 2 * RADIUS["forearm"]) + _along(UPPER_ARM, _turn(poses, lambda p: -pick("elbow")(p),
                                                                                   forearm)))
    head = (_turn(poses, lambda p: float(p.neck),
                  _bone(NECK, 2 * RADIUS["neck"])
                  + f'<circle cy="{-(NECK + HEAD_RADIUS):g}" r="{HEAD_RADIUS:g}" fill="{NEAR}" stroke="none"/>')
            if trunk else "")
    width = 2 * RADIUS["trunk"]
    upper = (_bone(THORACIC, width) if trunk else "") + _along(THORACIC, arm + head)
    lower = (_bone(LUMBAR, width) if trunk else "") + _along(LUMBAR, _turn(poses, lambda p: float(p.thoracic), upper))
    pelvis = (_bone(PELVIS, width) if trunk else "") + _along(PELVIS, _turn(poses, lambda p: float(p.lumbar), lower))
    body = _turn(poses, lambda p: float(p.pelvis), leg + pelvis)
    # The hip's place moves too: a translation animated alongside the angles.
    xs = _values(poses, lambda p: float(p.at[0]))
    ys = _values(poses, lambda p: float(-p.at[1]))
    moving = ""
    if len(set(xs)) > 1 or len(set(ys)) > 1:
        moving = (f'<animateTransform attributeName="transform" type="translate" '
                  f'values="{";".join(f"{x:g} {y:g}" for x, y in zip(xs, ys, strict=True))}" '
                  f'keyTimes="{_key_times(len(poses))}" dur="{SECONDS}s" repeatCount="indefinite" '
                  f'calcMode="spline" keySplines="{";".join(["0.4 0 0.6 1"] * (2 * len(poses) - 1))}"/>')
    return f'<g transform="translate({xs[0]:g} {ys[0]:g})">{moving}{body}</g>'


def draw_motion(figure: Figure, title: str) -> str | None:
    """The figure moving from start to end and back, titled `title`; None for a front view,
    whose hips and shoulders would need a second skeleton."""
    if figure.view in SPACE_VIEWS:
        return _plan_motion(figure, title)
    if figure.view != "side":
        return None
    poses = [pose for _, pose in figure.poses()]
    left, right, top = _extent(figure, [pose_body(pose) for pose in poses])
    width = max(220.0, right - left + 16)
    middle = (left + right) / 2
    ground = "".join(_moving_prop(figure, prop) for prop in figure.props
                     if prop.kind not in ("barbell", "kettlebell", "dumbbells", "dowel", "band"))
    return (f'<svg viewBox="{middle - width / 2:.0f} {-top:.0f} {width:.0f} {top + 6:.0f}" role="img" '
            f'class="figure-motion"><title>{escape(title)}</title>'
            f'<g stroke="{PROP_LINE}" fill="{PROP_FILL}" stroke-width="1.5">'
            f'<path d="M{middle - width / 2:.0f} 0H{middle + width / 2:.0f}"/>{ground}</g>'
            f'<g fill="none" stroke-linecap="round" stroke-linejoin="round">'
            f'<g stroke="{FAR}">{_skeleton(poses, "far", trunk=False)}</g>'
            f'<g stroke="{NEAR}">{_skeleton(poses, "near", trunk=True)}</g></g></svg>')


def _moving_prop(figure: Figure, prop: Prop) -> str:
    """A prop on the floor; one that moves (a ball rolled in) slides with the body's timing."""
    xs = [float(prop.in_pose(name).x - prop.x) for name, _ in figure.poses()]
    if len(set(xs)) == 1:
        return _ground_prop(prop)
    there = xs + xs[::-1]
    count = len(xs)
    return (f'<g>{_ground_prop(prop)}<animateTransform attributeName="transform" type="translate" '
            f'values="{";".join(f"{x:g} 0" for x in there)}" keyTimes="{_key_times(count)}" dur="{SECONDS}s" '
            f'repeatCount="indefinite" calcMode="spline" '
            f'keySplines="{";".join(["0.4 0 0.6 1"] * (2 * count - 1))}"/></g>')


# Seen from above, a limb turns out of the picture's plane, so it cannot be a group rotated
# about its joint. Instead the poses in between are worked out from the angles, each through
# the same fixed skeleton, and each drawn line moves through them: the limbs keep their length
# at every one of these steps and change it only by a hair between them.
STEPS = 5
_PATH = re.compile(r'<path d="([^"]*)"([^>]*)/>')
_CIRCLE = re.compile(r'<circle cx="(-?\d+)" cy="(-?\d+)"([^>]*)/>')


def _between(start: Pose, end: Pose, share: float) -> Pose:
    """The pose `share` of the way from `start` to `end`, angle by angle."""
    def mix(a: float, b: float) -> float:
        return a + (b - a) * share

    values: dict[str, Any] = {"contacts": start.contacts}
    for field in ("pelvis", "roll", "turn", "lumbar", "thoracic", "neck"):
        values[field] = mix(getattr(start, field), getattr(end, field))
    for joint in LIMB_JOINTS:
        values[joint] = Side.model_construct(near=mix(start.angle(joint, "near"), end.angle(joint, "near")),
                                             far=mix(start.angle(joint, "far"), end.angle(joint, "far")))
    values["at"] = (mix(start.at[0], end.at[0]), mix(start.at[1], end.at[1]))
    return Pose.model_construct(**values)


def _plan_motion(figure: Figure, title: str) -> str:
    poses = [pose for _, pose in figure.poses()]
    # Eased: small steps near each pose, larger in the middle of the movement.
    shares = [(1 - math.cos(math.pi * step / STEPS)) / 2 for step in range(STEPS)]
    there = [_between(a, b, share) for a, b in itertools.pairwise(poses) for share in shares]
    there.append(poses[-1])
    # Out and back again, holding a moment at each end.
    frames = [*there, poses[-1], *there[::-1], poses[0]]
    bodies = [plan_body(pose, figure.camera) for pose in frames]
    left, right, top, bottom = plan_extent(figure, bodies)
    width = max(PLAN_WIDTH, right - left + 2 * MARGIN)
    frame = ((left + right) / 2 - width / 2, top, width, top - bottom)
    order = paint_order(poses[0], figure.camera)
    drawn = [plan_svg(figure, body, frame, "", "", figure.props, order) for body in bodies]
    timing = f'dur="{SECONDS * 1.4:g}s" repeatCount="indefinite"'

    paths = [_PATH.findall(svg) for svg in drawn]
    circles = [_CIRCLE.findall(svg) for svg in drawn]
    path_number, circle_number = itertools.count(), itertools.count()

    def moving_path(found: re.Match[str]) -> str:
        index = next(path_number)
        values = [frame[index][0] for frame in paths]
        if len(set(values)) == 1:
            return found.group(0)
        return (f'<path d="{values[0]}"{found.group(2)}>'
                f'<animate attributeName="d" values="{";".join(values)}" {timing}/></path>')

    def moving_circle(found: re.Match[str]) -> str:
        index = next(circle_number)
        centres = [frame[index][:2] for frame in circles]
        if len(set(centres)) == 1:
            return found.group(0)
        return (f'<circle cx="{centres[0][0]}" cy="{centres[0][1]}"{found.group(3)}>'
                f'<animate attributeName="cx" values="{";".join(x for x, _ in centres)}" {timing}/>'
                f'<animate attributeName="cy" values="{";".join(y for _, y in centres)}" {timing}/></circle>')

    svg = _CIRCLE.sub(moving_circle, _PATH.sub(moving_path, drawn[0]))
    return svg.replace('role="img"><title></title>',
                       f'role="img" class="figure-motion"><title>{escape(title)}</title>', 1)
