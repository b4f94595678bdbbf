"""Draw a figure's poses as small SVG: one mannequin, side view, on a floor line.

The style follows the reference sheet for exercise figures: thick round-capped limbs, a
filled head, the far-side limbs a lighter tint drawn behind, props in grey at their real
size, and the movement as an accent-coloured arrow on the start pose. Every figure uses the
same scale and floor height, so a page of them reads as one set. Output is deterministic:
the same poses always give the same text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from recommender.drawing.props import (
    BALL_RADIUS,
    BELL_HANG,
    BELL_RADIUS,
    BENCH_HEIGHT,
    CHAIR_HEIGHT,
    DUMBBELL_RADIUS,
    PLATE_RADIUS,
)
from recommender.drawing.skeleton import HEAD_RADIUS, RADIUS, Body, Limbs, Point, part_points, plan_body, pose_body
from recommender.model.figures import Figure, PoseName, Prop

NEAR = "#1d3557"  # 12:1 on white
FAR = "#7d8ca3"  # 3.4:1 on white: lighter, still a visible shape
PROP_LINE = "#6b7280"  # 4.8:1 on white
PROP_FILL = "#e5e7eb"
ACCENT = "#b4490f"  # the arrow: 5.3:1 on white
# The start pose again, faint, under the end pose: where the body came from, so the change
# reads from the end picture alone. Paler than the far limbs, so it never reads as a limb.
GHOST = "#dde"
HELD = ("barbell", "kettlebell", "dumbbells", "dowel", "band")
WIDTH = 220
# A view from above is framed closer: a body seen from above is short across (a person seated
# is under a metre), and at the side view's scale the turn of the shoulders would be too small
# to see on a card.
PLAN_WIDTH = 160
PLAN_HEIGHT = 96
MARGIN = 8
FLOOR_BELOW = 6


@dataclass(frozen=True)
class Drawing:
    """One pose drawn, with the words that stand for it."""

    pose: PoseName
    svg: str
    says: str
    # The faint start pose drawn under this one, as it appears in `svg` ("" for none).
    ghost: str = ""

    @property
    def without_ghost(self) -> str:
        """The pose alone: for previews that link to a page with the whole drawing."""
        return self.svg.replace(self.ghost, "", 1) if self.ghost else self.svg


def draw_figure(figure: Figure, name: str) -> list[Drawing]:
    """Every pose of `figure`, each as its own SVG, framed alike so they line up side by side."""
    if figure.view == "top":
        bodies = {pose_name: plan_body(pose) for pose_name, pose in figure.poses()}
        left, right, top, bottom = plan_extent(figure, bodies.values())
    else:
        bodies = {pose_name: pose_body(pose, figure.view) for pose_name, pose in figure.poses()}
        left, right, top = _extent(figure, bodies.values())
        bottom = -FLOOR_BELOW
    width = max(PLAN_WIDTH if figure.view == "top" else WIDTH, right - left + 2 * MARGIN)
    middle = (left + right) / 2
    frame = (middle - width / 2, top, width, top - bottom)
    drawings = []
    for pose_name, body in bodies.items():
        arrow = None
        if pose_name == "start":
            arrow = (_part_centre(body, figure.arrow), _part_centre(bodies["end"], figure.arrow), body)
        label = f"{name}, {'start' if pose_name == 'start' else pose_name}: {figure.says[pose_name]}"
        ghost = ""
        if figure.view == "top":
            svg = plan_svg(figure, body, frame, label, arrow)
        else:
            if pose_name != "start":
                ghost = _ghost(bodies["start"], body)
            svg = _svg(figure, body, frame, label, arrow, ghost)
        drawings.append(Drawing(pose_name, svg, figure.says[pose_name], ghost))
    return drawings


def _extent(figure: Figure, bodies: Iterable[Body]) -> tuple[float, float, float]:
    xs: list[float] = []
    top = 60.0
    for body in bodies:
        for x, y in _all_points(body):
            xs += [x - 12, x + 12]
            top = max(top, y + 14)
    for prop in figure.props:
        if prop.kind in ("mat", "ball", "bosu", "bench", "chair", "back-extension-bench", "reverse-hyper", "rack"):
            xs += [prop.x - 35, prop.x + 35]
    # A few heights only, so figures lying down are not drawn bigger than those standing (the
    # width sets the scale); the lowest spares a card the empty sky above a body lying flat.
    return min(xs), max(xs), next(height for height in (80.0, 110.0, 190.0) if top <= height or height == 190.0)


def _all_points(body: Body) -> list[Point]:
    points = [body.hip, body.lumbar, body.thoracic, body.shoulder, body.head]
    for limbs in body.sides():
        points += [limbs.knee, limbs.ankle, limbs.heel, limbs.toe, limbs.elbow, limbs.wrist, limbs.hand]
    return points


def _part_centre(body: Body, part: str) -> Point:
    points = [point for point, _ in part_points(body, part)]
    if part in ("hands", "forearms", "elbows", "knees", "shins", "thighs", "feet", "heels", "toes"):
        points = points[: len(points) // 2]  # the near side leads the movement
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _n(value: float) -> str:
    return str(round(value))


def _xy(point: Point) -> str:
    return f"{_n(point[0])} {_n(-point[1])}"


def _line(points: Iterable[Point], width: float) -> str:
    # Numbers in path data need a space between them only where the next has no minus sign
    # to part them ("M0-11-43-11" is "M0 -11 -43 -11"): the limbs are most of a figure's text.
    steps = ""
    for number in (n for point in points for n in _xy(point).split()):
        steps += number if not steps or number.startswith("-") else " " + number
    return f'<path d="M{steps}" stroke-width="{_n(width)}"/>'


def _limb_lines(limbs: Limbs) -> list[str]:
    # Upper arm, forearm and hand share one stroke: it keeps the figure to a few kilobytes.
    return [
        _line([limbs.hip, limbs.knee], 2 * RADIUS["thigh"]),
        _line([limbs.knee, limbs.ankle], 2 * RADIUS["shank"]),
        _line([limbs.ankle, limbs.heel, limbs.toe], 2 * RADIUS["foot"]),
        _line([limbs.shoulder, limbs.elbow, limbs.wrist, limbs.hand], 2 * RADIUS["forearm"]),
    ]


def _limbs(limbs: Limbs, colour: str) -> str:
    return f'<g stroke="{colour}">{"".join(_limb_lines(limbs))}</g>'


def _far_limbs(body: Body, colour: str = FAR) -> str:
    """The far-side limbs, behind; a limb exactly behind its near twin (the same line, as in
    most side views of both legs) is covered by it, so it is not drawn at all."""
    near = set(_limb_lines(body.near))
    seen = [line for line in _limb_lines(body.far) if line not in near]
    return f'<g stroke="{colour}">{"".join(seen)}</g>' if seen else ""


def _body_lines(body: Body) -> list[str]:
    return [_line([body.hip, body.lumbar, body.thoracic, body.shoulder, body.neck], 2 * RADIUS["trunk"]),
            *_limb_lines(body.far), *_limb_lines(body.near)]


def _ghost(body: Body, over: Body) -> str:
    """`body` in one faint colour, flat, under the pose `over`: the pose a movement started
    from. A part that did not move lies under its twin in `over`, so it is left out."""
    covered = set(_body_lines(over))
    # One stroke width for all of it: a faint outline needs no limb's own thickness, and it
    # keeps the page light.
    lines = [_STROKE_WIDTH.sub("", line) for line in dict.fromkeys(_body_lines(body)) if line not in covered]
    if _xy(body.head) != _xy(over.head):
        lines.append(f'<circle cx="{_n(body.head[0])}" cy="{_n(-body.head[1])}" r="{_n(HEAD_RADIUS)}" fill="{GHOST}"/>')
    width = _n(2 * RADIUS["thigh"])
    return f'<g stroke="{GHOST}" stroke-width="{width}">{"".join(lines)}</g>' if lines else ""


_STROKE_WIDTH = re.compile(r' stroke-width="[0-9]+"')


def _svg(figure: Figure, body: Body, frame: tuple[float, float, float, float], label: str,
         arrow: tuple[Point, Point, Body] | None, ghost: str = "") -> str:
    left, top, width, height = frame
    ground = [prop for prop in figure.props if prop.kind not in HELD]
    held = [prop for prop in figure.props if prop.kind in HELD]
    behind = "".join(_ground_prop(prop) for prop in ground) + "".join(_held_prop(p, body, behind=True) for p in held)
    in_front = "".join(_held_prop(prop, body, behind=False) for prop in held)
    out = [f'<svg viewBox="{_n(left)} {_n(-top)} {_n(width)} {_n(height)}" role="img">'
           f"<title>{escape(label)}</title>",
           f'<g stroke="{PROP_LINE}" fill="{PROP_FILL}" stroke-width="1.5">'
           f'<path d="M{_n(left)} 0H{_n(left + width)}"/>{behind}</g>',
           # The near colour is the group's own: the far limbs, drawn first, set theirs.
           f'<g fill="none" stroke-linecap="round" stroke-linejoin="round" stroke="{NEAR}">',
           ghost,
           # Seen from the front, both sides are in plain view, not one behind the other: a
           # far arm in the lighter tint would read as a grey stand (the side plank's support).
           _far_limbs(body, NEAR if figure.view == "front" else FAR),
           _line([body.hip, body.lumbar, body.thoracic, body.shoulder], 2 * RADIUS["trunk"]),
           _line([body.shoulder, body.neck], 2 * RADIUS["neck"]),
           *_limb_lines(body.near),
           "</g>",
           f'<circle cx="{_n(body.head[0])}" cy="{_n(-body.head[1])}" r="{_n(HEAD_RADIUS)}" fill="{NEAR}"/>',
           f'<g stroke="{PROP_LINE}" fill="{PROP_FILL}" stroke-width="1.5">{in_front}</g>' if in_front else "",
           _arrow(*arrow) if arrow is not None else "",
           "</svg>"]
    return "".join(out)


def _ground_prop(prop: Prop) -> str:
    x = prop.x
    kind = prop.kind
    if kind == "mat":
        return f'<rect x="{x - 95}" y="-2" width="190" height="2" rx="1"/>'
    if kind == "ball":
        r = _n(BALL_RADIUS)
        return f'<circle cx="{x}" cy="-{r}" r="{r}"/>'
    if kind == "bosu":
        return f'<path d="M{x - 32} 0A32 32 0 0 1 {x + 32} 0Z"/>'
    if kind in ("bench", "chair"):
        seat = -round(prop.height or (BENCH_HEIGHT if kind == "bench" else CHAIR_HEIGHT))
        half = 60 if kind == "bench" else 22
        legs = f'<path d="M{x - half + 6} {seat}V0M{x + half - 6} {seat}V0" fill="none" stroke-width="4"/>'
        back = f'<path d="M{x - half} {seat}V{seat - 45}" fill="none" stroke-width="4"/>' if kind == "chair" else ""
        return legs + back + f'<rect x="{x - half}" y="{seat}" width="{2 * half}" height="7" rx="2"/>'
    if kind == "wall":
        return f'<rect x="{x}" y="-200" width="8" height="200"/>'
    if kind == "back-extension-bench":
        pad = prop.height or 88
        plate = pad - 51
        return (f'<path d="M{x - 62} -{plate}L{x} -{pad}M{x - 62} -{plate}V0M{x} -{pad}V0" '
                f'fill="none" stroke-width="5"/>'
                f'<circle cx="{x}" cy="-{pad}" r="9"/><rect x="{x - 74}" y="-{plate}" width="18" height="4"/>'
                f'<circle cx="{x - 64}" cy="-{plate + 9}" r="4"/>')
    if kind == "reverse-hyper":
        pad = prop.height or 100
        return (f'<path d="M{x + 8} -{pad}V0M{x + 48} -{pad}V0M{x + 48} {58 - pad}H{x + 54}V{50 - pad}" '
                f'fill="none" stroke-width="5"/><rect x="{x}" y="-{pad}" width="60" height="8" rx="2"/>')
    if kind == "rack":
        pins = prop.height or 55
        return (f'<path d="M{x} 0V-170" fill="none" stroke-width="5"/>'
                f'<rect x="{x - 14}" y="-{pins - 2}" width="28" height="4"/>')
    return ""


def _held_prop(prop: Prop, body: Body, *, behind: bool) -> str:
    hand = body.near.hand
    hx, hy = _n(hand[0]), _n(-hand[1])
    kind = prop.kind
    if kind == "barbell":
        # The plate stands beside the body, nearer the eye; drawn behind with a light fill so the
        # body still reads through it.
        if behind:
            return f'<circle cx="{hx}" cy="{hy}" r="{_n(PLATE_RADIUS)}" fill-opacity=".6"/>'
        return f'<circle cx="{hx}" cy="{hy}" r="3" fill="{PROP_LINE}"/>'
    if behind:
        return ""
    if kind == "kettlebell":
        cy = _n(-(hand[1] - BELL_HANG))
        return (f'<path d="M{hx} {hy}V{cy}" fill="none" stroke-width="4"/>'
                f'<circle cx="{hx}" cy="{cy}" r="{_n(BELL_RADIUS)}" fill="{PROP_LINE}"/>')
    if kind == "dumbbells":
        r = _n(DUMBBELL_RADIUS)
        return f'<circle cx="{hx}" cy="{hy}" r="{r}" fill="{PROP_LINE}"/>'
    if kind == "dowel":
        # Held upright along the back: it touches the back of the head, the upper back and
        # the tailbone in a good hinge.
        direction = math.atan2(body.shoulder[0] - body.hip[0], body.shoulder[1] - body.hip[1])
        back = direction - math.pi / 2
        offset = RADIUS["trunk"] + 2
        ox, oy = offset * math.sin(back), offset * math.cos(back)
        start = (body.hip[0] + ox - 20 * math.sin(direction), body.hip[1] + oy - 20 * math.cos(direction))
        end = (body.hip[0] + ox + 95 * math.sin(direction), body.hip[1] + oy + 95 * math.cos(direction))
        return f'<path d="M{_xy(start)}L{_xy(end)}" stroke="{PROP_LINE}" stroke-width="3"/>'
    if kind == "band":
        foot = body.near.heel
        return f'<path d="M{_xy(foot)}L{_xy(body.near.hand)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
    return ""


def plan_extent(figure: Figure, bodies: Iterable[Body]) -> tuple[float, float, float, float]:
    """Left, right, top and bottom of a view from above, with room for the arrow."""
    bodies = list(bodies)
    points = [point for body in bodies for point in _all_points(body)]
    for body in bodies:
        points += [body.near.hip, body.far.hip, body.near.shoulder, body.far.shoulder]
    for prop in figure.props:
        points += [(prop.x + dx, dy) for dx, dy in _PLAN_PROP_CORNERS.get(prop.kind, ())]
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    top, bottom = max(ys) + 18, min(ys) - 18
    spare = max(0.0, PLAN_HEIGHT - (top - bottom)) / 2
    return min(xs) - 12, max(xs) + 12, top + spare, bottom - spare


# A mat and a chair seen from above: a 60 cm wide mat, a 44 cm seat with its back behind.
_PLAN_PROP_CORNERS = {"mat": ((-95, 30), (95, -30)), "chair": ((-26, 22), (22, -22))}


def _plan_prop(prop: Prop) -> str:
    x = prop.x
    if prop.kind == "mat":
        return f'<rect x="{x - 95}" y="-30" width="190" height="60" rx="3"/>'
    if prop.kind == "chair":
        return (f'<rect x="{x - 22}" y="-22" width="44" height="44" rx="3"/>'
                f'<rect x="{x - 26}" y="-22" width="6" height="44"/>')
    return ""


def plan_svg(figure: Figure, body: Body, frame: tuple[float, float, float, float], label: str,
              arrow: tuple[Point, Point, Body] | None) -> str:
    """A pose seen from above: no floor line (the floor is all around), the trunk as a spine and
    a shoulder bar, the far side's limbs lighter and drawn first, as from the side. The head has
    a white rim: from above it lies on the trunk, and would otherwise merge with it."""
    left, top, width, height = frame
    near = _limbs(body.near, NEAR).removeprefix(f'<g stroke="{NEAR}">')
    return "".join([
        f'<svg viewBox="{_n(left)} {_n(-top)} {_n(width)} {_n(height)}" role="img">'
        f"<title>{escape(label)}</title>",
        f'<g stroke="{PROP_LINE}" fill="{PROP_FILL}" stroke-width="1.5">'
        f'{"".join(_plan_prop(prop) for prop in figure.props)}</g>',
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">',
        _limbs(body.far, FAR),
        f'<g stroke="{NEAR}">',
        _line([body.hip, body.lumbar, body.thoracic, body.shoulder], 2 * RADIUS["trunk"]),
        _line([body.near.shoulder, body.far.shoulder], 2 * RADIUS["thigh"]),
        near,
        "</g>",
        f'<circle cx="{_n(body.head[0])}" cy="{_n(-body.head[1])}" r="{_n(HEAD_RADIUS)}" fill="{NEAR}" '
        'stroke="#fff" stroke-width="2"/>',
        _arrow(*arrow, floor=False) if arrow is not None else "",
        "</svg>"])


def _arrow(start: Point, end: Point, body: Body, *, floor: bool = True) -> str:
    """A curved arrow beside the moving part, from where it starts to where it ends."""
    centre = body.thoracic
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length < 10:
        # Small movements (a tilt, a brace) still get an arrow big enough to see.
        scale = 10 / max(length, 0.001) if length else 0
        dx, dy = (dx * scale, dy * scale) if length else (0.0, 10.0)
        end = (start[0] + dx, start[1] + dy)
        length = 10
    # Away from the trunk, so the arrow never hides the body.
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    away = (mid[0] - centre[0], mid[1] - centre[1])
    norm = math.hypot(*away) or 1.0
    shift = (away[0] / norm * 16, away[1] / norm * 16)
    a = (start[0] + shift[0], start[1] + shift[1])
    b = (end[0] + shift[0], end[1] + shift[1])
    normal = (-dy / length, dx / length)
    if normal[0] * away[0] + normal[1] * away[1] < 0:
        normal = (-normal[0], -normal[1])
    bulge = 0.25 * length
    # Never under the floor: the arrow for a foot sliding along it goes above the foot.
    if floor and min(start[1], end[1]) + shift[1] < 10:
        shift = (shift[0], abs(shift[1]) + 6)
        a = (start[0] + shift[0], start[1] + shift[1])
        b = (end[0] + shift[0], end[1] + shift[1])
    if floor and mid[1] + shift[1] + normal[1] * bulge < 6:
        normal = (-normal[0], -normal[1])
    control = (mid[0] + shift[0] + normal[0] * bulge, mid[1] + shift[1] + normal[1] * bulge)
    tx, ty = b[0] - control[0], b[1] - control[1]
    tangent = math.hypot(tx, ty) or 1.0
    tx, ty = tx / tangent, ty / tangent
    wing = 6.0
    left = (b[0] - wing * tx + wing * 0.6 * -ty, b[1] - wing * ty + wing * 0.6 * tx)
    right = (b[0] - wing * tx - wing * 0.6 * -ty, b[1] - wing * ty - wing * 0.6 * tx)
    return (f'<g stroke="{ACCENT}" stroke-width="2.5" stroke-linecap="round">'
            f'<path d="M{_xy(a)}Q{_xy(control)} {_xy(b)}" fill="none"/>'
            f'<path d="M{_xy(left)}L{_xy(b)}L{_xy(right)}Z" fill="{ACCENT}"/></g>')
