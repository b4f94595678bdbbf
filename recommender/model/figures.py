"""The shape of `rules/figures.yaml`: each catalogue entry drawn as one body in two or three
poses, written as joint angles a clinician can read and correct.

A pose gives angles, never positions: the skeleton's proportions are fixed (see
`recommender.drawing.skeleton`), so a limb cannot change length from one picture to the next.
Angles are whole degrees, measured the way a clinician measures them: 0 is standing upright,
flexion is positive, extension negative.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, model_validator

from recommender.model.rules import RulesPart, Slug, Text

# "top" looks down from above and "angled" from where the figure's `camera` says: for a movement
# that turns the body about its own length (knees rolling to one side, a seated twist), which a
# side view cannot show. Both place the body in space; they differ only in where the eye is.
View = Literal["side", "front", "top", "angled"]
SPACE_VIEWS: frozenset[View] = frozenset({"top", "angled"})
PoseName = Literal["start", "middle", "end"]
POSE_NAMES: tuple[PoseName, ...] = get_args(PoseName)

# The joints a pose may bend. In a side view each limb joint bends forwards (flexion) and
# backwards (extension); in a front view hip and shoulder move out to the side (abduction,
# positive) or in across the body (adduction, negative). A view from above keeps the side
# view's meaning and adds what only it can show: hip and shoulder out to the side (`hip_out`,
# `shoulder_out`) and the spine turning between pelvis and shoulders (`turn`, positive towards
# the near side).
Joint = Literal["hip", "knee", "ankle", "shoulder", "elbow", "lumbar", "thoracic", "neck",
                "hip_out", "shoulder_out", "turn"]
JOINTS: tuple[Joint, ...] = get_args(Joint)
LIMB_JOINTS: tuple[Joint, ...] = ("hip", "knee", "ankle", "shoulder", "elbow", "hip_out", "shoulder_out")

# Normal adult ranges in degrees (AAOS norms, rounded), as (most extended, most flexed). A pose
# outside them is a drawing mistake, not an exercise.
JOINT_RANGES: dict[View, dict[Joint, tuple[int, int]]] = {
    "side": {
        "hip": (-30, 125), "knee": (-5, 140), "ankle": (-50, 20), "shoulder": (-60, 180),
        "elbow": (-5, 150), "lumbar": (-25, 60), "thoracic": (-25, 40), "neck": (-45, 45),
    },
    "front": {
        "hip": (-30, 45), "knee": (-5, 140), "ankle": (-50, 20), "shoulder": (-45, 180),
        "elbow": (-5, 150), "lumbar": (-25, 25), "thoracic": (-25, 25), "neck": (-45, 45),
    },
    # Trunk rotation is mostly thoracic (about 35 degrees each way) with a little from the
    # lower back: 45 for the two together.
    "top": {
        "hip": (-30, 125), "knee": (-5, 140), "ankle": (-50, 20), "shoulder": (-60, 180),
        "elbow": (-5, 150), "lumbar": (-25, 60), "thoracic": (-25, 40), "neck": (-45, 45),
        "hip_out": (-30, 45), "shoulder_out": (-45, 180), "turn": (-45, 45),
    },
}
JOINT_RANGES["angled"] = JOINT_RANGES["top"]

# The points of the body a contact can name.
BodyPart = Literal["head", "upper-back", "lower-back", "pelvis", "hands", "forearms", "elbows",
                   "knees", "shins", "feet", "heels", "toes", "thighs", "chest", "belly"]
BODY_PARTS: tuple[BodyPart, ...] = get_args(BodyPart)

PropKind = Literal["mat", "ball", "bosu", "dowel", "band", "kettlebell", "dumbbells", "barbell",
                   "rack", "bench", "chair", "wall", "back-extension-bench", "reverse-hyper"]
PROP_KINDS: tuple[PropKind, ...] = get_args(PropKind)
# Props that go where the hands go: they are drawn in the hands in every pose.
Surface = Literal["floor", PropKind]
HELD_PROPS: frozenset[PropKind] = frozenset({"dowel", "kettlebell", "dumbbells", "barbell", "band"})


class Side(RulesPart):
    near: int
    far: int


class Pose(RulesPart):
    # Where the hip joint sits, in centimetres: across from the figure's middle, and up from the
    # floor. The floor check needs the height written down, not worked out, or a knee through
    # the floor could never be caught.
    at: tuple[int, int]
    # The pelvis's tilt from upright: 90 is lying face down with the head forwards, -90 face up.
    pelvis: int
    hip: int | Side = 0
    knee: int | Side = 0
    ankle: int | Side = 0
    shoulder: int | Side = 0
    elbow: int | Side = 0
    lumbar: int = 0
    thoracic: int = 0
    neck: int = 0
    # Seen from above only (see `Joint`); `roll` turns the pelvis, and all that hangs from it,
    # about the body's length: positive rolls the belly towards the near side.
    roll: int = 0
    turn: int = 0
    hip_out: int | Side = 0
    shoulder_out: int | Side = 0
    # Body parts resting on the floor or a prop (`hands: floor`, `upper-back: ball`) or
    # holding one (`hands: barbell`).
    contacts: dict[BodyPart, Surface] = Field(default_factory=dict)
    # What is too small to see as an angle at a card's size, drawn as a shape instead: the
    # belly's front rounded ("relaxed") or drawn in towards the spine ("drawn-in"), and a hollow
    # between a part and the floor it lies on (the small curve under a lower back).
    belly: Literal["relaxed", "drawn-in"] | None = None
    hollow_under: BodyPart | None = None

    def angle(self, joint: Joint, side: Literal["near", "far"] = "near") -> int:
        value: int | Side = getattr(self, joint)
        if isinstance(value, Side):
            return value.near if side == "near" else value.far
        return value


class Prop(RulesPart):
    kind: PropKind
    # Centimetres from the figure's middle (positive is where the figure faces). Held props
    # take their place from the hands instead.
    x: int = 0
    # How high it stands or is fixed (a rack's pins, a band's anchor), when not its usual height.
    height: int | None = None
    # For a held weight: the poses in which it rests on the floor (or a rack's pins), so the
    # hands must reach down to it there.
    resting_in: tuple[PoseName, ...] = ()
    # For a prop that moves during the exercise (a ball rolled in under the heels): where it
    # stands in these poses instead of at `x`.
    x_in: dict[PoseName, int] = Field(default_factory=dict)

    def in_pose(self, pose: PoseName) -> Prop:
        """The prop where it stands in `pose`."""
        return self if pose not in self.x_in else self.model_copy(update={"x": self.x_in[pose], "x_in": {}})


# The shape of the movement arrow: "along" the moving part's path from start to end; "circle",
# a level circle round the part (hips drawing circles, shoulders turning about the spine);
# "press", straight into the part from outside (a belly drawn in, a back pressed down);
# "rock", a short arc round the part (a pelvis tipping), turning the way the pelvis does.
ArrowPath = Literal["along", "circle", "press", "rock"]


class Arrow(RulesPart):
    part: BodyPart
    path: ArrowPath = "along"


class Camera(RulesPart):
    """Where the eye is for an angled view: `around` degrees from the side view's eye towards
    the way the figure faces (90 looks at its front, or at the feet of a body lying face up),
    and `down` degrees above the floor's level (90 looks straight down)."""

    around: int = Field(ge=-180, le=180)
    down: int = Field(ge=0, le=90)


class Figure(RulesPart):
    exercise: Slug
    view: View = "side"
    camera: Camera | None = None
    props: tuple[Prop, ...] = ()
    start: Pose
    middle: Pose | None = None
    end: Pose
    # The body part whose path the arrow follows, from the start pose to the end pose; or the
    # part and the shape of its path, when it is not a plain journey from one place to another.
    arrow: BodyPart | Arrow
    # What each pose shows, in words, for a person who cannot see the figures.
    says: dict[PoseName, Text]

    @model_validator(mode="after")
    def _distinct(self) -> Figure:
        if self.start == self.end:
            raise ValueError("the start and end poses are the same: a figure must show the movement")
        if (self.view == "angled") != (self.camera is not None):
            raise ValueError("an angled view needs a camera, and only an angled view has one")
        missing = [name for name, _ in self.poses() if name not in self.says]
        if missing:
            raise ValueError(f"say in words what the {' and '.join(missing)} pose shows")
        return self

    @property
    def movement(self) -> Arrow:
        return self.arrow if isinstance(self.arrow, Arrow) else Arrow(part=self.arrow)

    def props_in(self, pose: PoseName) -> tuple[Prop, ...]:
        """The props where they stand in `pose`."""
        return tuple(prop.in_pose(pose) for prop in self.props)

    def poses(self) -> list[tuple[PoseName, Pose]]:
        found = [("start", self.start), ("middle", self.middle), ("end", self.end)]
        return [(name, pose) for name, pose in found if pose is not None]  # type: ignore[misc]


class FigureBook(RulesPart):
    figures: list[Figure]
