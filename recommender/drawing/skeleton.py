"""One body with fixed proportions, and where a pose puts each of its points.

Lengths are centimetres for a person 175 cm tall, from the fractions of height in Winter's
tables (Drillis and Contini). The trunk is three segments, pelvis, lower back and upper back,
so a figure can show a neutral spine against a rounded one. Directions are degrees from
straight up, turning towards the way the figure faces (+x); y grows upwards from the floor.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from recommender.model.figures import SPACE_VIEWS, Camera, Pose, View

Point = tuple[float, float]
SideName = Literal["near", "far"]

PELVIS = 10.0
LUMBAR = 18.0
THORACIC = 22.0
NECK = 9.0
HEAD_RADIUS = 11.0
UPPER_ARM = 33.0
FOREARM = 26.0
HAND = 7.0
THIGH = 43.0
SHANK = 43.0
ANKLE_HEIGHT = 7.0
HEEL_BACK = 5.0
FOOT = 22.0
# Half the distance between the hip joints and between the shoulder joints, for a front view.
HALF_HIPS = 9.0
HALF_SHOULDERS = 18.0

# How thick each part is drawn, as a radius; the checks use the same numbers, so a part
# "touches" the floor when its drawn outline does.
RADIUS = {
    "trunk": 11.0, "thigh": 7.0, "shank": 5.5, "upper_arm": 4.5, "forearm": 4.0,
    "hand": 3.0, "foot": 3.0, "neck": 4.5,
}


def _toward(start: Point, direction: float, length: float) -> Point:
    radians = math.radians(direction)
    return (start[0] + length * math.sin(radians), start[1] + length * math.cos(radians))


@dataclass(frozen=True)
class Limbs:
    """The points of one side's arm and leg."""

    hip: Point
    knee: Point
    ankle: Point
    heel: Point
    toe: Point
    shoulder: Point
    elbow: Point
    wrist: Point
    hand: Point


@dataclass(frozen=True)
class Body:
    """Every point of the skeleton in one pose."""

    hip: Point
    lumbar: Point  # top of the pelvis, bottom of the lower back
    thoracic: Point  # top of the lower back
    shoulder: Point
    neck: Point
    head: Point
    near: Limbs
    far: Limbs

    def sides(self) -> tuple[Limbs, Limbs]:
        return self.near, self.far

    def lowest(self) -> float:
        """The lowest y any drawn outline reaches."""
        heights = [self.head[1] - HEAD_RADIUS]
        heights += [y - RADIUS["trunk"] for _, y in (self.hip, self.lumbar, self.thoracic, self.shoulder)]
        for limbs in self.sides():
            heights += [limbs.knee[1] - RADIUS["thigh"], limbs.ankle[1] - RADIUS["shank"],
                        limbs.heel[1] - RADIUS["foot"], limbs.toe[1] - RADIUS["foot"],
                        limbs.elbow[1] - RADIUS["forearm"], limbs.wrist[1] - RADIUS["hand"],
                        limbs.hand[1] - RADIUS["hand"]]
        return min(heights)


def pose_body(pose: Pose, view: View = "side") -> Body:
    """Where `pose` puts every point, by walking out from the hip joint.

    For a view from above the points are those of the same body seen from the side, so the
    floor and the props are checked the same way; `plan_body` gives what is drawn."""
    if view in SPACE_VIEWS:
        return body_in_space(pose).seen(lambda point: (point[0], point[1]))
    hip = (float(pose.at[0]), float(pose.at[1]))
    pelvis_dir = float(pose.pelvis)
    lumbar = _toward(hip, pelvis_dir, PELVIS)
    lumbar_dir = pelvis_dir + pose.lumbar
    thoracic = _toward(lumbar, lumbar_dir, LUMBAR)
    thoracic_dir = lumbar_dir + pose.thoracic
    shoulder = _toward(thoracic, thoracic_dir, THORACIC)
    neck_dir = thoracic_dir + pose.neck
    neck = _toward(shoulder, neck_dir, NECK)
    head = _toward(neck, neck_dir, HEAD_RADIUS)

    def limbs(side: SideName) -> Limbs:
        # In a front view the two sides sit apart and hip and shoulder open outwards, the near
        # side towards +x of the trunk's right, the far side mirrored.
        sign = 1.0 if side == "near" else -1.0
        if view == "front":
            across = pelvis_dir + 90 * sign
            own_hip = _toward(hip, across, HALF_HIPS)
            own_shoulder = _toward(shoulder, thoracic_dir + 90 * sign, HALF_SHOULDERS)
            thigh_dir = pelvis_dir + 180 - sign * pose.angle("hip", side)
            arm_dir = thoracic_dir + 180 - sign * pose.angle("shoulder", side)
            shank_dir = thigh_dir + sign * pose.angle("knee", side)
            forearm_dir = arm_dir - sign * pose.angle("elbow", side)
        else:
            own_hip, own_shoulder = hip, shoulder
            thigh_dir = pelvis_dir + 180 - pose.angle("hip", side)
            arm_dir = thoracic_dir + 180 - pose.angle("shoulder", side)
            shank_dir = thigh_dir + pose.angle("knee", side)
            forearm_dir = arm_dir - pose.angle("elbow", side)
        knee = _toward(own_hip, thigh_dir, THIGH)
        ankle = _toward(knee, shank_dir, SHANK)
        foot_dir = shank_dir - 90 - pose.angle("ankle", side)
        if view == "front":
            # Seen from the front a foot points at the viewer: a short stub below the ankle.
            heel = _toward(ankle, shank_dir, ANKLE_HEIGHT - 3)
            toe = _toward(heel, shank_dir, 3)
        else:
            sole = _toward(ankle, foot_dir + 90, ANKLE_HEIGHT - RADIUS["foot"])
            heel = _toward(sole, foot_dir, -HEEL_BACK)
            toe = _toward(sole, foot_dir, FOOT - HEEL_BACK)
        elbow = _toward(own_shoulder, arm_dir, UPPER_ARM)
        wrist = _toward(elbow, forearm_dir, FOREARM)
        # A hand flat on something lies along it, fingers forwards, rather than carrying on
        # the line of the forearm.
        flat = pose.contacts.get("hands") in ("floor", "mat", "bench", "ball", "bosu")
        hand_dir = (90.0 if math.sin(math.radians(forearm_dir)) >= -0.2 else 270.0) if flat else forearm_dir
        hand = _toward(wrist, hand_dir, HAND)
        return Limbs(hip=own_hip, knee=knee, ankle=ankle, heel=heel, toe=toe,
                     shoulder=own_shoulder, elbow=elbow, wrist=wrist, hand=hand)

    return Body(hip=hip, lumbar=lumbar, thoracic=thoracic, shoulder=shoulder, neck=neck,
                head=head, near=limbs("near"), far=limbs("far"))


def _midpoint(a: Point, b: Point, share: float = 0.5) -> Point:
    return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)


def part_points(body: Body, part: str) -> list[tuple[Point, float]]:
    """The points (with the drawn radius around each) that stand for a named body part; a
    paired part is every point of both sides, and touches when any of them does."""
    trunk = RADIUS["trunk"]
    if part == "head":
        return [(body.head, HEAD_RADIUS)]
    if part in ("upper-back", "chest"):
        return [(_midpoint(body.thoracic, body.shoulder, share), trunk) for share in (0.2, 0.5, 0.8)]
    if part in ("lower-back", "belly"):
        return [(_midpoint(body.lumbar, body.thoracic, share), trunk) for share in (0.2, 0.5, 0.8)]
    if part == "pelvis":
        return [(body.hip, trunk), (body.lumbar, trunk)]
    pairs: dict[str, list[tuple[Point, float]]] = {}
    for limbs in body.sides():
        found = {
            "hands": [(limbs.hand, RADIUS["hand"]), (limbs.wrist, RADIUS["hand"])],
            "forearms": [(_midpoint(limbs.elbow, limbs.wrist, s), RADIUS["forearm"]) for s in (0.2, 0.5, 0.8)],
            "elbows": [(limbs.elbow, RADIUS["forearm"])],
            "knees": [(limbs.knee, RADIUS["thigh"])],
            "shins": [(_midpoint(limbs.knee, limbs.ankle, s), RADIUS["shank"]) for s in (0.2, 0.5, 0.8)],
            "thighs": [(_midpoint(limbs.hip, limbs.knee, s), RADIUS["thigh"]) for s in (0.2, 0.5, 0.8)],
            "feet": [(limbs.heel, RADIUS["foot"]), (limbs.toe, RADIUS["foot"])],
            "heels": [(limbs.heel, RADIUS["foot"])],
            "toes": [(limbs.toe, RADIUS["foot"])],
        }
        for name, points in found.items():
            pairs.setdefault(name, []).extend(points)
    return pairs[part]


# A view from above needs the body in space. x points where the figure faces, y up from the
# floor, z towards the near side (the viewer of a side view). The walk is the side view's,
# segment by segment, with each segment's frame carried along so a turn or a roll moves
# everything beyond it.
Vector = tuple[float, float, float]


def _add(a: Vector, b: Vector, scale: float = 1.0) -> Vector:
    return (a[0] + scale * b[0], a[1] + scale * b[1], a[2] + scale * b[2])


def _turned(v: Vector, axis: Vector, degrees: float) -> Vector:
    """`v` turned about the unit `axis` (right-handed)."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    cross = (axis[1] * v[2] - axis[2] * v[1], axis[2] * v[0] - axis[0] * v[2], axis[0] * v[1] - axis[1] * v[0])
    along = axis[0] * v[0] + axis[1] * v[1] + axis[2] * v[2]
    return tuple(v[i] * c + cross[i] * s + axis[i] * along * (1 - c) for i in range(3))  # type: ignore[return-value]


@dataclass(frozen=True)
class _Frame:
    """A segment's directions: `up` along it, `front` the way its face looks, `side` to the near side."""

    up: Vector
    front: Vector
    side: Vector

    def toward(self, direction: float) -> Vector:
        """A direction in the frame's own side-view plane, in degrees from `up` towards `front`."""
        radians = math.radians(direction)
        return _add(tuple(math.cos(radians) * c for c in self.up), self.front, math.sin(radians))  # type: ignore[arg-type]

    def bent(self, degrees: float) -> _Frame:
        """The frame flexed forwards (negative: backwards)."""
        return _Frame(self.toward(degrees), self.toward(degrees + 90), self.side)

    def turned(self, degrees: float) -> _Frame:
        """The frame turned about its own length, its front towards the near side."""
        return _Frame(self.up, _turned(self.front, self.up, -degrees), _turned(self.side, self.up, -degrees))


def body_in_space(pose: Pose) -> Space:
    """Every point of the skeleton in space."""
    hip: Vector = (float(pose.at[0]), float(pose.at[1]), 0.0)
    pelvis = _Frame((0.0, 1.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)).bent(pose.pelvis).turned(pose.roll)
    lumbar = _add(hip, pelvis.up, PELVIS)
    lower = pelvis.bent(pose.lumbar)
    thoracic = _add(lumbar, lower.up, LUMBAR)
    upper = lower.turned(pose.turn).bent(pose.thoracic)
    shoulder = _add(thoracic, upper.up, THORACIC)
    head_frame = upper.bent(pose.neck)
    neck = _add(shoulder, head_frame.up, NECK)
    head = _add(neck, head_frame.up, HEAD_RADIUS)

    def directions(frame: _Frame, out: float, sign: float, first: float, *bends: float) -> list[Vector]:
        """A limb's first segment in the frame's side-view plane (degrees from its up towards
        its front), leaning `out` degrees to its own side: a thigh bent up to the chest and 30
        degrees out points forwards and to the side, as a clinician means it. Then the
        directions beyond the knee or elbow, each bent from the first by its angle about the
        hinge, which lies across the first segment."""
        lean = math.radians(out)
        segment = _add(tuple(math.cos(lean) * c for c in frame.toward(first)), frame.side,  # type: ignore[arg-type]
                       sign * math.sin(lean))
        across = sum(a * b for a, b in zip(frame.side, segment, strict=True))
        hinge = _add(frame.side, segment, -across)
        size = math.sqrt(sum(c * c for c in hinge))
        hinge = tuple(c / size for c in hinge)  # type: ignore[assignment]
        # A larger side-view angle turns from up towards front: about the side axis, backwards.
        return [segment] + [_turned(segment, hinge, -bend) for bend in bends]

    def limbs(side: SideName) -> dict[str, Vector]:
        sign = 1.0 if side == "near" else -1.0
        own_hip = _add(hip, pelvis.side, sign * HALF_HIPS)
        knee_bend = float(pose.angle("knee", side))
        foot_bend = knee_bend - 90 - pose.angle("ankle", side)
        thigh, shank, foot, down = directions(pelvis, pose.angle("hip_out", side), sign,
                                              180.0 - pose.angle("hip", side), knee_bend, foot_bend, foot_bend + 90)
        knee = _add(own_hip, thigh, THIGH)
        ankle = _add(knee, shank, SHANK)
        sole = _add(ankle, down, ANKLE_HEIGHT - RADIUS["foot"])
        own_shoulder = _add(shoulder, upper.side, sign * HALF_SHOULDERS)
        arm, forearm = directions(upper, pose.angle("shoulder_out", side), sign,
                                  180.0 - pose.angle("shoulder", side), -float(pose.angle("elbow", side)))
        elbow = _add(own_shoulder, arm, UPPER_ARM)
        wrist = _add(elbow, forearm, FOREARM)
        return {"hip": own_hip, "knee": knee, "ankle": ankle, "heel": _add(sole, foot, -HEEL_BACK),
                "toe": _add(sole, foot, FOOT - HEEL_BACK), "shoulder": own_shoulder, "elbow": elbow,
                "wrist": wrist, "hand": _add(wrist, forearm, HAND)}

    trunk = {"hip": hip, "lumbar": lumbar, "thoracic": thoracic, "shoulder": shoulder, "neck": neck, "head": head}
    return Space(trunk, limbs("near"), limbs("far"))


@dataclass(frozen=True)
class Space:
    """The body's points in space, by name: the trunk's, then each side's as in `Limbs`."""

    trunk: dict[str, Vector]
    near: dict[str, Vector]
    far: dict[str, Vector]

    def seen(self, view: Callable[[Vector], Point]) -> Body:
        def flat(points: dict[str, Vector]) -> Limbs:
            return Limbs(**{name: view(point) for name, point in points.items()})

        t = {name: view(point) for name, point in self.trunk.items()}
        return Body(hip=t["hip"], lumbar=t["lumbar"], thoracic=t["thoracic"], shoulder=t["shoulder"],
                    neck=t["neck"], head=t["head"], near=flat(self.near), far=flat(self.far))


# Straight down from above: across is where the figure faces, and the near side is at the
# bottom of the picture.
ABOVE = Camera(around=0, down=90)


def projection(camera: Camera | None) -> Callable[[Vector], Point]:
    """How a point in space lands on the picture for an eye at `camera` (from above when None):
    across and up the picture, as a side view's numbers are."""
    camera = camera or ABOVE
    around, down = math.radians(camera.around), math.radians(camera.down)
    right = (math.cos(around), 0.0, -math.sin(around))
    up = (-math.sin(around) * math.sin(down), math.cos(down), -math.cos(around) * math.sin(down))

    def seen(point: Vector) -> Point:
        return (sum(p * r for p, r in zip(point, right, strict=True)),
                sum(p * u for p, u in zip(point, up, strict=True)))

    return seen


def plan_body(pose: Pose, camera: Camera | None = None) -> Body:
    """The body as drawn in a view from above (or from `camera`)."""
    return body_in_space(pose).seen(projection(camera))


# The parts a view in space draws, each one stroke (or the head's circle).
SPACE_PARTS = ("far thigh", "far shank", "far foot", "far arm", "near thigh", "near shank", "near foot",
               "near arm", "trunk", "shoulders", "hips", "head")


def paint_order(pose: Pose, camera: Camera | None) -> tuple[str, ...]:
    """The parts of `pose` seen from `camera`, farthest from the eye first, so that nearer parts
    are drawn over them: seen from the feet, the head lies behind the knees, not on them."""
    camera = camera or ABOVE
    around, down = math.radians(camera.around), math.radians(camera.down)
    eye = (math.sin(around) * math.cos(down), math.sin(down), math.cos(around) * math.cos(down))
    space = body_in_space(pose)
    points = {"trunk": [space.trunk[name] for name in ("hip", "lumbar", "thoracic", "shoulder")],
              "shoulders": [space.near["shoulder"], space.far["shoulder"]],
              "hips": [space.near["hip"], space.far["hip"]], "head": [space.trunk["head"]]}
    for side, limbs in (("near", space.near), ("far", space.far)):
        points[f"{side} thigh"] = [limbs["hip"], limbs["knee"]]
        points[f"{side} shank"] = [limbs["knee"], limbs["ankle"]]
        points[f"{side} foot"] = [limbs["heel"], limbs["toe"]]
        points[f"{side} arm"] = [limbs["shoulder"], limbs["elbow"], limbs["wrist"], limbs["hand"]]

    def depth(part: str) -> float:
        return sum(sum(p * e for p, e in zip(point, eye, strict=True)) for point in points[part]) / len(points[part])

    return tuple(sorted(SPACE_PARTS, key=depth))
