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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
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
from recommender.drawing.skeleton import (
    HEAD_RADIUS,
    RADIUS,
    Body,
    Limbs,
    Point,
    paint_order,
    part_points,
    plan_body,
    pose_body,
    projection,
)
from recommender.model.figures import SPACE_VIEWS, Camera, Figure, Pose, PoseName, Prop

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


# How a drawing's title names its pose, by default.
POSE_WORDS: Mapping[PoseName, str] = {"start": "start", "middle": "middle", "end": "end"}


def draw_figure(figure: Figure, name: str, pose_words: Mapping[PoseName, str] = POSE_WORDS) -> list[Drawing]:
    """Every pose of `figure`, each as its own SVG, framed alike so they line up side by side;
    each titled with the entry's `name`, its pose (in `pose_words`) and what it shows."""
    space = figure.view in SPACE_VIEWS
    if space:
        bodies = {pose_name: plan_body(pose, figure.camera) for pose_name, pose in figure.poses()}
        left, right, top, bottom = plan_extent(figure, bodies.values())
    else:
        bodies = {pose_name: pose_body(pose, figure.view) for pose_name, pose in figure.poses()}
        left, right, top = _extent(figure, bodies.values())
        bottom = -FLOOR_BELOW
    width = max(PLAN_WIDTH if space else WIDTH, right - left + 2 * MARGIN)
    middle = (left + right) / 2
    frame = (middle - width / 2, top, width, top - bottom)
    poses = dict(figure.poses())
    drawings = []
    for pose_name, body in bodies.items():
        arrow = _movement(figure, bodies["start"], bodies["end"]) if pose_name == "start" else ""
        label = _title(figure, name, pose_words, pose_name)
        ghost = ""
        props = figure.props_in(pose_name)
        if space:
            svg = plan_svg(figure, body, frame, label, arrow, props, paint_order(poses[pose_name], figure.camera))
        else:
            if pose_name != "start":
                ghost = _ghost(bodies["start"], body) + _ghost_props(figure, pose_name)
            svg = _svg(figure, body, frame, label, arrow, ghost, props, poses[pose_name])
        drawings.append(Drawing(pose_name, svg, figure.says[pose_name], ghost))
    return drawings


def _title(figure: Figure, name: str, pose_words: Mapping[PoseName, str], pose: PoseName) -> str:
    return f"{name}, {pose_words[pose]}: {figure.says[pose]}"


def titled(drawings: list[Drawing], figure: Figure, name: str, pose_words: Mapping[PoseName, str]) -> list[Drawing]:
    """The same drawings titled anew: `figure` says what each pose shows in other words (the
    same poses in another language), `name` and `pose_words` name the entry and its poses. The
    figures are drawn once; only their words differ from one language to the next."""
    return [replace(drawing, says=figure.says[drawing.pose],
                    svg=retitled(drawing.svg, _title(figure, name, pose_words, drawing.pose)))
            for drawing in drawings]


def retitled(svg: str, title: str) -> str:
    """`svg` with its title (the first, the drawing's own) in other words."""
    start = svg.index("<title>") + len("<title>")
    return svg[:start] + escape(title) + svg[svg.index("</title>", start):]


def _extent(figure: Figure, bodies: Iterable[Body]) -> tuple[float, float, float]:
    xs: list[float] = []
    top = 60.0
    for body in bodies:
        for x, y in _all_points(body):
            xs += [x - 12, x + 12]
            top = max(top, y + 14)
    for prop in figure.props:
        if prop.kind in ("mat", "ball", "bosu", "bench", "chair", "back-extension-bench", "reverse-hyper", "rack"):
            xs += [x + dx for x in (prop.x, *prop.x_in.values()) for dx in (-35, 35)]
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


def _ghost_props(figure: Figure, pose: PoseName) -> str:
    """A prop that moved (a ball rolled in), faint where it stood at the start."""
    moved = [prop.in_pose("start") for prop in figure.props
             if prop.kind not in HELD and prop.in_pose("start").x != prop.in_pose(pose).x]
    if not moved:
        return ""
    return f'<g stroke="{GHOST}" fill="none" stroke-width="2">{"".join(_ground_prop(p) for p in moved)}</g>'


def _cues(body: Body, pose: Pose) -> str:
    """What a pose shows that its angles are too small to: the belly's front and a hollow under
    the back. Each is a shape on the trunk's outline, in the body's colour or cut out of it in
    the page's white, so it reads in print as on a screen."""
    out = []
    if pose.belly is not None:
        (ax, ay), (bx, by) = body.lumbar, body.thoracic
        along = math.degrees(math.atan2(bx - ax, by - ay))
        front = math.radians(along + 90)
        # Relaxed, the belly rounds out past the trunk's outline; drawn in, a dip is cut into it.
        out_by = RADIUS["trunk"] - 1 if pose.belly == "relaxed" else RADIUS["trunk"] + 1
        cx, cy = (ax + bx) / 2 + out_by * math.sin(front), (ay + by) / 2 + out_by * math.cos(front)
        colour = NEAR if pose.belly == "relaxed" else "#fff"
        out.append(f'<ellipse cx="{_n(cx)}" cy="{_n(-cy)}" rx="10" ry="7" fill="{colour}" '
                   f'transform="rotate({_n(along - 90)} {_n(cx)} {_n(-cy)})"/>')
    if pose.hollow_under is not None:
        x = _part_centre(body, pose.hollow_under)[0]
        # An arch of white above the floor, under the part: the space a hand could slide into.
        out.append(f'<path d="M{_n(x - 10)} -2A10 7 0 0 1 {_n(x + 10)} -2Z" fill="#fff"/>')
    return "".join(out)


def _svg(figure: Figure, body: Body, frame: tuple[float, float, float, float], label: str,
         arrow: str, ghost: str, props: tuple[Prop, ...], pose: Pose) -> str:
    left, top, width, height = frame
    ground = [prop for prop in props if prop.kind not in HELD]
    held = [prop for prop in props if prop.kind in HELD]
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
           _cues(body, pose),
           f'<g stroke="{PROP_LINE}" fill="{PROP_FILL}" stroke-width="1.5">{in_front}</g>' if in_front else "",
           arrow,
           "</svg>"]
    return "".join(out)


def _ground_prop(prop: Prop) -> str:
    x = prop.x
    kind = prop.kind
    if kind == "mat":
        return f'<path d="M{x - 95}-2h190v2H{x - 95}Z"/>'
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
    """Left, right, top and bottom of a view in space, with room for the arrow."""
    bodies = list(bodies)
    points = [point for body in bodies for point in _all_points(body)]
    for body in bodies:
        points += [body.near.hip, body.far.hip, body.near.shoulder, body.far.shoulder]
    seen = projection(figure.camera)
    for prop in figure.props:
        points += [seen(corner) for outline in _prop_outlines(prop) for corner in outline]
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    top, bottom = max(ys) + 18, min(ys) - 18
    spare = max(0.0, PLAN_HEIGHT - (top - bottom)) / 2
    return min(xs) - 12, max(xs) + 12, top + spare, bottom - spare


Corner = tuple[float, float, float]  # in space: along, up, towards the near side


def _prop_outlines(prop: Prop) -> list[list[Corner]]:
    """A mat and a chair in space, as flat outlines: a 60 cm wide mat; a 44 cm seat on four
    legs, with its back behind."""
    x = float(prop.x)
    if prop.kind == "mat":
        return [[(x - 95, 0, 30), (x + 95, 0, 30), (x + 95, 0, -30), (x - 95, 0, -30)]]
    if prop.kind == "chair":
        seat = float(prop.height or CHAIR_HEIGHT)
        legs: list[list[Corner]] = [[(x + dx, 0, dz), (x + dx, seat, dz)] for dx in (-20, 20) for dz in (-20, 20)]
        top = seat + 45
        back: list[Corner] = [(x - 22, seat, 22), (x - 22, top, 22), (x - 22, top, -22), (x - 22, seat, -22)]
        return [*legs, [(x - 22, seat, 22), (x + 22, seat, 22), (x + 22, seat, -22), (x - 22, seat, -22)], back]
    return []


def _plan_prop(prop: Prop, camera: Camera | None) -> str:
    seen = projection(camera)
    drawn = []
    for outline in _prop_outlines(prop):
        points = [_xy(seen(corner)) for corner in outline]
        drawn.append(f'<path d="M{"L".join(points)}{"Z" if len(points) > 2 else ""}"/>')
    return "".join(drawn)


def plan_svg(figure: Figure, body: Body, frame: tuple[float, float, float, float], label: str,
             arrow: str, props: tuple[Prop, ...], order: tuple[str, ...]) -> str:
    """A pose seen in space, from above or at an angle: no floor line (the props stand on the
    floor), the trunk as a spine with a bar across the shoulders and one across the hips, the
    far side's limbs lighter. Parts are drawn in `order`, farthest first. The head has a white
    rim: it often lies over the trunk, and would otherwise merge with it."""
    left, top, width, height = frame
    strokes = {"trunk": (NEAR, _line([body.hip, body.lumbar, body.thoracic, body.shoulder], 2 * RADIUS["trunk"])),
               "shoulders": (NEAR, _line([body.near.shoulder, body.far.shoulder], 2 * RADIUS["thigh"])),
               "hips": (NEAR, _line([body.near.hip, body.far.hip], 2 * RADIUS["thigh"])),
               "head": ("", f'<circle cx="{_n(body.head[0])}" cy="{_n(-body.head[1])}" r="{_n(HEAD_RADIUS)}" '
                            f'fill="{NEAR}" stroke="#fff" stroke-width="2"/>')}
    for side, limbs, colour in (("near", body.near, NEAR), ("far", body.far, FAR)):
        for part, line in zip(("thigh", "shank", "foot", "arm"), _limb_lines(limbs), strict=True):
            strokes[f"{side} {part}"] = (colour, line)
    drawn = []
    for part in order:
        colour, line = strokes[part]
        drawn.append(line.replace("/>", f' stroke="{colour}"/>') if colour else line)
    return "".join([
        f'<svg viewBox="{_n(left)} {_n(-top)} {_n(width)} {_n(height)}" role="img">'
        f"<title>{escape(label)}</title>",
        f'<g stroke="{PROP_LINE}" fill="{PROP_FILL}" stroke-width="1.5" stroke-linejoin="round">'
        f'{"".join(_plan_prop(prop, figure.camera) for prop in props)}</g>',
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">', *drawn, "</g>",
        arrow,
        "</svg>"])


def _movement(figure: Figure, start: Body, end: Body) -> str:
    """The accent arrow on the start pose, in the shape the figure asks for."""
    movement = figure.movement
    space = figure.view in SPACE_VIEWS
    if movement.path == "circle":
        return _circle_arrow(figure, start, movement.part)
    if movement.path == "press":
        return _press_arrow(start, movement.part)
    if movement.path == "rock":
        return _rock_arrow(start, movement.part, figure.end.pelvis - figure.start.pelvis)
    return _arrow(_part_centre(start, movement.part), _part_centre(end, movement.part), start, floor=not space)


def _head(tip: Point, tx: float, ty: float) -> str:
    """An arrowhead at `tip`, pointing along the unit direction (tx, ty)."""
    wing = 6.0
    left = (tip[0] - wing * tx + wing * 0.6 * -ty, tip[1] - wing * ty + wing * 0.6 * tx)
    right = (tip[0] - wing * tx - wing * 0.6 * -ty, tip[1] - wing * ty - wing * 0.6 * tx)
    return f'<path d="M{_xy(left)}L{_xy(tip)}L{_xy(right)}Z" fill="{ACCENT}"/>'


def _towards(a: Point, b: Point) -> tuple[float, float]:
    length = math.dist(a, b) or 1.0
    return (b[0] - a[0]) / length, (b[1] - a[1]) / length


def _accent(*paths: str) -> str:
    return f'<g stroke="{ACCENT}" stroke-width="2.5" stroke-linecap="round" fill="none">{"".join(paths)}</g>'


# A level circle is a line seen exactly from the side: a side view shows it as if from a little
# above, so it opens into an ellipse.
_CIRCLE_EYE = Camera(around=0, down=30)
CIRCLE_RADIUS = 26.0


def _circle_arrow(figure: Figure, body: Body, part: str) -> str:
    """Most of a level circle round `part`, with its head at the front: the path the part
    travels (hips drawing circles), or the way the shoulders turn about the spine."""
    centre = _part_centre(body, part)
    seen = projection(figure.camera if figure.view in SPACE_VIEWS else _CIRCLE_EYE)
    across, towards_eye = seen((1.0, 0.0, 0.0)), seen((0.0, 0.0, 1.0))
    radius = CIRCLE_RADIUS

    def at(turn: float) -> Point:
        a = math.radians(turn)
        return (centre[0] + radius * (math.cos(a) * across[0] + math.sin(a) * towards_eye[0]),
                centre[1] + radius * (math.cos(a) * across[1] + math.sin(a) * towards_eye[1]))

    # From the far side round the front: the half behind the body is dashed, a path seen
    # through it, and the near half solid with the head.
    behind = [at(turn) for turn in range(-180, 1, 20)]
    front = [at(turn) for turn in range(0, 141, 20)]
    tip = front[-1]
    return _accent(f'<path d="M{"L".join(_xy(p) for p in behind)}" stroke-dasharray="3 4"/>',
                   f'<path d="M{"L".join(_xy(p) for p in front)}"/>',
                   _head(tip, *_towards(front[-2], tip)))


def _outwards(body: Body, part: str) -> tuple[float, float]:
    """The unit direction from `part` out of the body: the front for the belly and chest, the
    back for the back, and away from the trunk for a limb."""
    (ax, ay), (bx, by) = body.lumbar, body.thoracic
    along = math.atan2(bx - ax, by - ay)
    if part in ("belly", "chest", "lower-back", "upper-back", "pelvis"):
        side = 1 if part in ("belly", "chest") else -1
        return math.sin(along + side * math.pi / 2), math.cos(along + side * math.pi / 2)
    return _towards(body.thoracic, _part_centre(body, part))


def _press_arrow(body: Body, part: str) -> str:
    """A short straight arrow from outside the body into `part`: a belly drawn in."""
    centre = _part_centre(body, part)
    ox, oy = _outwards(body, part)
    reach = RADIUS["trunk"] + 7
    tip = (centre[0] + ox * reach, centre[1] + oy * reach)
    tail = (centre[0] + ox * (reach + 16), centre[1] + oy * (reach + 16))
    return _accent(f'<path d="M{_xy(tail)}L{_xy(tip)}"/>', _head(tip, -ox, -oy))


def _rock_arrow(body: Body, part: str, turn: float) -> str:
    """A short arc round `part` on its far side from the floor, turning the way the pelvis
    turns from start to end (clockwise as drawn when its angle grows)."""
    centre = _part_centre(body, part)
    radius = RADIUS["trunk"] + 8
    sign = 1 if turn >= 0 else -1
    angles = [sign * a for a in range(-50, 51, 10)]
    points = [(centre[0] + radius * math.sin(math.radians(a)), centre[1] + radius * math.cos(math.radians(a)))
              for a in angles]
    tip = points[-1]
    return _accent(f'<path d="M{"L".join(_xy(p) for p in points)}"/>', _head(tip, *_towards(points[-2], tip)))


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
    return (f'<g stroke="{ACCENT}" stroke-width="2.5" stroke-linecap="round">'
            f'<path d="M{_xy(a)}Q{_xy(control)} {_xy(b)}" fill="none"/>'
            f'{_head(b, *_towards(control, b))}</g>')
