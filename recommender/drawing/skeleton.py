"""One body with fixed proportions, and where a pose puts each of its points.

Lengths are centimetres for a person 175 cm tall, from the fractions of height in Winter's
tables (Drillis and Contini). The trunk is three segments, pelvis, lower back and upper back,
so a figure can show a neutral spine against a rounded one. Directions are degrees from
straight up, turning towards the way the figure faces (+x); y grows upwards from the floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from recommender.model.figures import Pose, View

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
    """Where `pose` puts every point, by walking out from the hip joint."""
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
