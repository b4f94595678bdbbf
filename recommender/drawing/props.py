"""The equipment in a figure, at its real size: what the body can rest on or hold, as simple
shapes the checks measure against and the renderer draws."""

from __future__ import annotations

import math
from dataclasses import dataclass

from recommender.drawing.skeleton import Point
from recommender.model.figures import Prop

BALL_RADIUS = 32.0  # a 65 cm stability ball
PLATE_RADIUS = 22.0  # a 45 cm barbell plate
BELL_RADIUS = 10.0
BELL_HANG = 14.0  # from the hand to the bell's centre
DUMBBELL_RADIUS = 7.0
BENCH_HEIGHT = 45.0
CHAIR_HEIGHT = 45.0
PIN_HEIGHT = 55.0


@dataclass(frozen=True)
class Circle:
    centre: Point
    radius: float

    def distance(self, point: Point) -> float:
        return math.dist(point, self.centre) - self.radius


@dataclass(frozen=True)
class Segment:
    start: Point
    end: Point

    def distance(self, point: Point) -> float:
        (ax, ay), (bx, by) = self.start, self.end
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        share = 0.0 if length == 0 else max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / length))
        return math.dist(point, (ax + share * dx, ay + share * dy))


Shape = Circle | Segment


def surfaces(prop: Prop) -> list[Shape]:
    """What the body can rest on, for props that stand on the floor."""
    x = float(prop.x)
    kind = prop.kind
    if kind == "mat":
        return [Segment((x - 95, 1), (x + 95, 1))]
    if kind == "ball":
        return [Circle((x, BALL_RADIUS), BALL_RADIUS)]
    if kind == "bosu":
        # A dome 63 cm across and 25 cm high is a slice of a 32 cm circle.
        return [Circle((x, -7), 32.3)]
    if kind in ("bench", "chair"):
        top = float(prop.height or (BENCH_HEIGHT if kind == "bench" else CHAIR_HEIGHT))
        half = 60 if kind == "bench" else 22
        return [Segment((x - half, top), (x + half, top))]
    if kind == "wall":
        return [Segment((x, 0), (x, 200))]
    if kind == "back-extension-bench":
        # The hip pad high in front, the foot plate low behind, the frame at 45 degrees.
        top = float(prop.height or 88)
        return [Circle((x, top), 9), Segment((x - 72, top - 51), (x - 58, top - 51))]
    if kind == "reverse-hyper":
        top = float(prop.height or 100)
        # The pad, and the handles low at its front end.
        return [Segment((x, top), (x + 60, top)), Segment((x + 54, top - 58), (x + 54, top - 50))]
    if kind == "rack":
        return [Segment((x, float(prop.height or PIN_HEIGHT)), (x, float(prop.height or PIN_HEIGHT)))]
    return []


def held_shape(prop: Prop, hand: Point) -> Shape | None:
    """Where a weight held in the hand sits."""
    kind = prop.kind
    if kind == "barbell":
        return Circle(hand, PLATE_RADIUS)
    if kind == "kettlebell":
        return Circle((hand[0], hand[1] - BELL_HANG), BELL_RADIUS)
    if kind == "dumbbells":
        return Circle(hand, DUMBBELL_RADIUS)
    return None


def resting_gap(prop: Prop, hand: Point, pins: float | None) -> float:
    """How far a held weight is above what it should rest on (negative when it is through it):
    the floor, or the pins of a rack."""
    shape = held_shape(prop, hand)
    if shape is None or not isinstance(shape, Circle):
        return 0.0
    if pins is not None and prop.kind == "barbell":
        return hand[1] - pins
    return shape.centre[1] - shape.radius
