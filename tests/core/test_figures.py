"""The figures: every catalogue entry is drawn from poses a body can take, and a drawing
mistake is reported like a rules mistake, on its file and line."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from recommender.checking.figures import figure_problems
from recommender.drawing.motion import draw_motion
from recommender.drawing.skeleton import (
    RADIUS,
    Body,
    Point,
    body_in_space,
    paint_order,
    part_points,
    plan_body,
    pose_body,
)
from recommender.drawing.svg import ACCENT, FAR, GHOST, NEAR, draw_figure
from recommender.loading.figures import load_figures
from recommender.loading.rules import load_ruleset
from recommender.model.figures import Figure, Pose, Side
from recommender.model.problems import RulesError
from recommender.service import load_checked_rules
from tests.conftest import RULES_DIR, copy_of_the_rules


def figure_block(text: str, exercise: str) -> tuple[int, int]:
    """Where the figure of `exercise` starts and ends in the text of figures.yaml."""
    start = text.index(f"  - exercise: {exercise}\n")
    following = text.find("\n  - exercise: ", start + 1)
    return start, len(text) if following == -1 else following + 1


def break_figure(tmp_path: Path, exercise: str, find: str, replace: str) -> tuple[Path, int]:
    """A copy of the rules with one edit inside one figure, and the line of the edit."""
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    path = folder / "figures.yaml"
    text = path.read_text()
    start, end = figure_block(text, exercise)
    block = text[start:end]
    assert block.count(find) == 1, f"{find!r} must appear once in the figure of {exercise}"
    at = start + block.index(find)
    path.write_text(text[:at] + replace + text[at + len(find):])
    return folder, text[:at].count("\n") + 1


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(RulesError) as raised:
        load_checked_rules(folder)
    return [str(problem) for problem in raised.value.problems]


def test_every_catalogue_entry_is_drawn_and_every_pose_passes_the_checks() -> None:
    ruleset = load_ruleset(RULES_DIR)
    figures = load_figures(RULES_DIR)
    assert {figure.exercise for figure in figures.book.figures} == set(ruleset.exercises)
    assert figure_problems(figures, ruleset) == []


def test_an_elbow_bent_backwards_is_reported_on_its_line(tmp_path: Path) -> None:
    folder, line = break_figure(tmp_path, "dead-bug", "      shoulder: 90\n      contacts",
                                "      shoulder: 90\n      elbow: -40\n      contacts")
    problems = problems_of(folder)
    assert any(p.startswith(f"rules/figures.yaml:{line + 1}: start pose: the near elbow at -40 degrees")
               and "bent backwards" in p for p in problems), problems


def test_a_knee_below_the_floor_is_reported_on_its_line(tmp_path: Path) -> None:
    # Kneeling on all fours with the hips 20 cm lower puts the knees through the floor.
    folder, line = break_figure(tmp_path, "bird-dog", "at: [-20, 50]\n      pelvis: 76\n      hip: 76",
                                "at: [-20, 30]\n      pelvis: 76\n      hip: 76")
    problems = problems_of(folder)
    assert any(p.startswith(f"rules/figures.yaml:{line}: start pose: the body goes 20 cm below the floor (")
               and "the near knee" in p for p in problems), problems


def test_a_plank_whose_hands_do_not_reach_the_floor_is_reported_on_its_line(tmp_path: Path) -> None:
    folder, line = break_figure(tmp_path, "reverse-plank", "at: [27, 50]", "at: [27, 62]")
    contacts = line + 6
    problems = problems_of(folder)
    assert any(p.startswith(f"rules/figures.yaml:{contacts}: end pose: the hands should touch the floor")
               for p in problems), problems


def test_a_deadlift_whose_hands_do_not_reach_the_bar_on_the_floor_is_reported(tmp_path: Path) -> None:
    # Bent elbows lift the hands off the bar, which must stay on the floor.
    folder, _ = break_figure(tmp_path, "deadlift", "      shoulder: 50\n", "      shoulder: 50\n      elbow: 45\n")
    problems = problems_of(folder)
    assert any("start pose: the barbell rests on the floor, but the hands do not reach it" in p
               for p in problems), problems


def test_heels_that_are_not_on_the_ball_are_reported(tmp_path: Path) -> None:
    folder, _ = break_figure(tmp_path, "ball-bridge-roll", "{kind: ball, x: 104,", "{kind: ball, x: 160,")
    problems = problems_of(folder)
    assert any("start pose: the heels should touch the ball" in p for p in problems), problems


def test_a_ball_that_does_not_roll_in_with_the_heels_is_reported_in_the_pose_it_should(tmp_path: Path) -> None:
    folder, _ = break_figure(tmp_path, "ball-bridge-roll", "x_in: {end: 69}", "x_in: {end: 104}")
    problems = problems_of(folder)
    assert any("end pose: the heels" in p and "the ball" in p for p in problems), problems
    assert not any("start pose" in p for p in problems), problems


def test_a_contact_with_a_prop_the_figure_lacks_is_reported(tmp_path: Path) -> None:
    folder, line = break_figure(tmp_path, "glute-bridge", "contacts: {upper-back: floor, feet: floor}",
                                "contacts: {upper-back: ball, feet: floor}")
    problems = problems_of(folder)
    assert any(p.startswith(f"rules/figures.yaml:{line}: end pose: the upper-back rest on a ball")
               for p in problems), problems


def test_an_unknown_joint_is_reported_with_the_joints_there_are(tmp_path: Path) -> None:
    folder, line = break_figure(tmp_path, "dead-bug", "      knee: 90\n      shoulder: 90\n      contacts",
                                "      knee: 90\n      wrist: 10\n      shoulder: 90\n      contacts")
    problems = problems_of(folder)
    assert any(p.startswith(f"rules/figures.yaml:{line + 1}: unknown key 'wrist'") for p in problems), problems


def test_an_exercise_without_figures_is_reported_in_the_catalogue(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    path = folder / "figures.yaml"
    text = path.read_text()
    start, end = figure_block(text, "leg-swings")
    path.write_text(text[:start] + text[end:])
    catalogue = (folder / "exercises.yaml").read_text()
    line = catalogue[: catalogue.index("  - id: leg-swings")].count("\n") + 1
    assert f"rules/exercises.yaml:{line}: the warm-up 'leg-swings' has no figures in figures.yaml" \
        in problems_of(folder)


def test_limbs_keep_their_length_whatever_the_angles() -> None:
    def length(pose: Pose) -> float:
        body = pose_body(pose)
        (hx, hy), (kx, ky), (ax, ay) = body.near.hip, body.near.knee, body.near.ankle
        return float(((kx - hx) ** 2 + (ky - hy) ** 2) ** 0.5 + ((ax - kx) ** 2 + (ay - ky) ** 2) ** 0.5)

    standing = Pose(at=(0, 93), pelvis=0)
    squatting = Pose(at=(0, 60), pelvis=40, hip=95, knee=75, ankle=20)
    assert length(standing) == pytest.approx(length(squatting))


def test_figures_are_drawn_the_same_every_time_and_stay_small() -> None:
    figures = load_figures(RULES_DIR).book.figures
    for figure in figures:
        first = draw_figure(figure, figure.exercise)
        assert [d.svg for d in first] == [d.svg for d in draw_figure(figure, figure.exercise)]
        start_and_end = [d for d in first if d.pose in ("start", "end")]
        assert sum(len(d.svg.encode()) for d in start_and_end) <= 4096, figure.exercise


def test_every_drawing_has_a_title_naming_the_pose_and_no_script_or_style() -> None:
    for figure in load_figures(RULES_DIR).book.figures:
        for drawing in draw_figure(figure, figure.exercise):
            title = re.search(r"<title>(.*?)</title>", drawing.svg)
            assert title is not None and title.group(1).startswith(f"{figure.exercise}, {drawing.pose}: ")
            assert "<script" not in drawing.svg and "style=" not in drawing.svg and "<style" not in drawing.svg


THIGH_WIDTH = round(2 * RADIUS["thigh"])


def figure_of(exercise: str) -> Figure:
    return next(figure for figure in load_figures(RULES_DIR).book.figures if figure.exercise == exercise)


def test_the_knee_roll_is_seen_from_beyond_the_feet_with_the_knees_up_then_tipped_to_one_side() -> None:
    figure = figure_of("floor-rotation")
    assert figure.view == "angled"
    start, end = (plan_body(pose, figure.camera) for pose in (figure.start, figure.end))
    middle = (start.near.hip[0] + start.far.hip[0]) / 2
    # The knees start standing up over their hips, like a pair of sticks...
    for knee, hip in ((start.near.knee, start.near.hip), (start.far.knee, start.far.hip)):
        assert abs(knee[0] - hip[0]) < 10 and knee[1] - hip[1] > 10
    # ...and end well over to one side, both the same side, while the shoulders stay down
    # (within the few centimetres the rolled pelvis lifts the trunk).
    assert end.near.knee[0] - middle > 25 and end.far.knee[0] - middle > 25
    assert end.near.shoulder == pytest.approx(start.near.shoulder, abs=3)
    assert end.far.shoulder == pytest.approx(start.far.shoulder, abs=3)


def test_a_figure_in_space_draws_what_is_farther_from_the_eye_first() -> None:
    # Seen from beyond the feet the head is farthest away: drawn last it would sit on the knees.
    knee_roll = figure_of("floor-rotation")
    order = paint_order(knee_roll.start, knee_roll.camera)
    assert order.index("head") < order.index("trunk") < order.index("near thigh")
    start = next(d.svg for d in draw_figure(knee_roll, knee_roll.exercise) if d.pose == "start")
    assert start.index("<circle") < start.index(f'stroke-width="{THIGH_WIDTH}" stroke="{FAR}"')
    # Seen from in front of a chair, the near knee is in front of the chair's back and the trunk.
    twist = figure_of("seated-rotation")
    order = paint_order(twist.start, twist.camera)
    assert order.index("trunk") < order.index("near thigh")


def test_the_seated_twist_turns_the_shoulders_and_leaves_the_thighs_facing_forwards() -> None:
    figure = figure_of("seated-rotation")
    assert figure.view == "angled"

    def facing(left: Point, right: Point) -> float:
        return math.degrees(math.atan2(right[0] - left[0], right[1] - left[1]))

    # Measured from above, whichever view it is drawn in.
    start, end = plan_body(figure.start), plan_body(figure.end)
    shoulders = facing(end.far.shoulder, end.near.shoulder) - facing(start.far.shoulder, start.near.shoulder)
    assert abs(shoulders) >= 40
    assert end.far.knee[0] - end.far.hip[0] > 40  # the far thigh still points ahead


def test_the_seated_twist_and_the_hip_circles_draw_a_circle_round_the_turning_part() -> None:
    for exercise, part in (("seated-rotation", "chest"), ("hip-circles", "pelvis")):
        figure = figure_of(exercise)
        assert figure.movement.path == "circle"
        body = (plan_body(figure.start, figure.camera) if figure.view == "angled" else pose_body(figure.start))
        centre = _centre(body, part)
        points = accent_points(drawn(exercise)["start"])
        # The arrow goes right round the part: seen from its centre it covers most of the turn.
        directions = sorted(math.degrees(math.atan2(y - centre[1], x - centre[0])) % 360 for x, y in points)
        widest_gap = max(b - a for a, b in zip(directions, [*directions[1:], directions[0] + 360], strict=True))
        assert widest_gap < 90, (exercise, widest_gap)
        assert all(math.dist(point, centre) > 10 for point in points)


def _centre(body: Body, part: str) -> Point:
    points = [point for point, _ in part_points(body, part)]
    return (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))


def accent_points(svg: str) -> list[Point]:
    """The points of the accent arrow's lines, back in the figure's numbers (up is positive)."""
    arrow = re.search(rf'<g stroke="{ACCENT}"[^>]*>(.*?)</g>', svg)
    assert arrow is not None
    numbers = [int(n) for d in re.findall(r'<path d="M([^"]+)"', arrow[1]) for n in re.findall(r"-?\d+", d)]
    return [(numbers[i], -numbers[i + 1]) for i in range(0, len(numbers), 2)]


def test_limbs_keep_their_length_when_the_body_rolls_turns_and_reaches_out() -> None:
    def lengths(pose: Pose) -> list[float]:
        space = body_in_space(pose)
        return [math.dist(points[a], points[b]) for points in (space.near, space.far)
                for a, b in (("hip", "knee"), ("knee", "ankle"), ("shoulder", "elbow"), ("elbow", "wrist"))]

    lying = Pose(at=(0, 11), pelvis=-90, hip=50, knee=104)
    rolled = Pose(at=(0, 14), pelvis=-90, roll=-45, turn=45, hip=60, knee=104, hip_out=Side(near=-15, far=15),
                  shoulder=-40, shoulder_out=75, elbow=30)
    assert lengths(lying) == pytest.approx(lengths(rolled))


def test_a_twist_turned_past_its_range_is_reported_on_its_line(tmp_path: Path) -> None:
    folder, line = break_figure(tmp_path, "seated-rotation", "      turn: 45\n", "      turn: 70\n")
    problems = problems_of(folder)
    assert any(p.startswith(f"rules/figures.yaml:{line}: end pose: the spine's turn at 70 degrees is outside "
                            "its normal range (-45 to 45): turned too far") for p in problems), problems


def test_a_seated_twist_whose_hips_leave_the_chair_is_reported_in_the_view_from_above(tmp_path: Path) -> None:
    folder, _ = break_figure(tmp_path, "seated-rotation", "    end:\n      at: [0, 51]", "    end:\n      at: [0, 70]")
    text = (folder / "figures.yaml").read_text()
    start, _ = figure_block(text, "seated-rotation")
    contacts = text[: text.index("      contacts: {pelvis: chair}\n", start)].count("\n") + 1
    problems = problems_of(folder)
    assert any(p.startswith(f"rules/figures.yaml:{contacts}: end pose: the pelvis should touch the chair but are")
               for p in problems), problems


def test_a_turn_in_a_side_view_is_reported_asking_for_a_view_from_above(tmp_path: Path) -> None:
    folder, line = break_figure(tmp_path, "dead-bug", "      knee: 90\n      shoulder: 90\n      contacts",
                                "      knee: 90\n      turn: 20\n      shoulder: 90\n      contacts")
    problems = problems_of(folder)
    assert f"rules/figures.yaml:{line + 1}: start pose: turn shows only from above: draw this figure with view: top" \
        in problems, problems


def test_a_figure_seen_in_space_moves_its_drawn_lines_through_the_poses_in_between() -> None:
    for exercise in ("floor-rotation", "seated-rotation"):
        moving = draw_motion(figure_of(exercise), exercise)
        assert moving is not None and 'class="figure-motion"' in moving
        lines = re.findall(r'<animate attributeName="d" values="([^"]+)"', moving)
        # The legs, the spine, the shoulders or the arms: several lines move, each through
        # the start, the poses in between and the end, and back to the start.
        assert len([values for values in lines if len(set(values.split(";"))) > 3]) >= 3
        assert all(values.split(";")[0] == values.split(";")[-1] for values in lines)
        assert "<script" not in moving


def drawn(exercise: str) -> dict[str, str]:
    """Each pose of a catalogue entry's figure as drawn, by pose name."""
    figure = next(figure for figure in load_figures(RULES_DIR).book.figures if figure.exercise == exercise)
    return {drawing.pose: drawing.svg for drawing in draw_figure(figure, exercise)}


def ghost_lines(svg: str) -> list[str]:
    ghost = re.search(rf'<g stroke="{GHOST}"[^>]*>(.*?)</g>', svg)
    return re.findall(r"<path [^>]*>|<circle [^>]*>", ghost[1]) if ghost else []


def test_an_end_pose_shows_the_start_faintly_under_it_with_only_the_parts_that_moved() -> None:
    for figure in load_figures(RULES_DIR).book.figures:
        if figure.view != "side":
            continue
        poses = {drawing.pose: drawing for drawing in draw_figure(figure, figure.exercise)}
        assert not ghost_lines(poses["start"].svg), figure.exercise
        end = poses["end"]
        # The faint start is drawn first, under the end pose, and none of its lines is one the
        # end pose draws again: a part that did not move is not drawn twice.
        for line in ghost_lines(end.svg):
            assert end.svg.count(line) == 1, (figure.exercise, line)
            assert line.replace("/>", f' stroke-width="{THIGH_WIDTH}"/>') not in end.without_ghost
        assert end.without_ghost.count(GHOST) == 0
    squat = drawn("bodyweight-squat")
    assert ghost_lines(squat["end"]), "a squat's end shows where it started"


def test_a_figure_seen_from_the_front_draws_both_arms_in_the_body_colour_not_the_props_grey() -> None:
    side_plank = drawn("side-plank")
    for svg in side_plank.values():
        assert f'<g stroke="{FAR}">' not in svg
        assert f'<g stroke="{NEAR}">' in svg


def height_of(svg: str) -> float:
    view_box = re.search(r'viewBox="[-0-9.]+ [-0-9.]+ [-0-9.]+ ([0-9.]+)"', svg)
    assert view_box is not None
    return float(view_box[1])


def test_superman_lifts_a_little_and_reverse_superman_keeps_the_head_on_the_hands() -> None:
    # "A little off the floor": the hands end about a forearm's length up, not the half a metre
    # of a deep V.
    superman = next(figure for figure in load_figures(RULES_DIR).book.figures if figure.exercise == "superman")
    end = pose_body(superman.end)
    assert max(limbs.hand[1] for limbs in end.sides()) < 35
    # The arms fold up by the head in both poses, so its upper body never reads as superman's.
    reverse = next(figure for figure in load_figures(RULES_DIR).book.figures
                   if figure.exercise == "reverse-superman")
    for pose in (reverse.start, reverse.end):
        body = pose_body(pose)
        assert all(math.dist(limbs.hand, body.head) < 25 for limbs in body.sides())


def test_the_hip_hinge_draws_the_hand_at_the_small_of_the_back_on_the_near_side() -> None:
    # The far side is a lighter tint: the hand behind the neck reads there as part of the head,
    # where a far hand at the small of the back read as a grey "<".
    hinge = next(figure for figure in load_figures(RULES_DIR).book.figures if figure.exercise == "hip-hinge-dowel")
    for pose in (hinge.start, hinge.end):
        body = pose_body(pose)
        assert body.near.hand[1] < body.shoulder[1] < body.far.hand[1]


def ellipse_fills(svg: str) -> list[str]:
    return re.findall(r'<ellipse [^>]*fill="([^"]+)"', svg)


HOLLOW = re.compile(r'<path d="M-?\d+ -2A10 7 0 0 1 -?\d+ -2Z" fill="#fff"/>')


def test_drawing_in_shows_the_belly_drawn_in_and_the_pelvic_tilt_the_hollow_under_the_back_closing() -> None:
    drawing_in, tilt = drawn("drawing-in"), drawn("pelvic-tilt")
    # The belly, too small a movement for an angle: rounded in the body's colour at the start,
    # a dip in the page's white cut into the trunk at the end, and nothing under the back.
    assert ellipse_fills(drawing_in["start"]) == [NEAR] and ellipse_fills(drawing_in["end"]) == ["#fff"]
    assert not any(HOLLOW.search(svg) for svg in drawing_in.values())
    # The tilt: a gap under the lower back at the start that is gone at the end; the belly is
    # not drawn.
    assert HOLLOW.search(tilt["start"]) and not HOLLOW.search(tilt["end"])
    assert not any(ellipse_fills(svg) for svg in tilt.values())
    # And the arrows differ: straight down into the belly, against an arc over the pelvis.
    press, rock = accent_points(drawing_in["start"]), accent_points(tilt["start"])
    assert press[0][0] == press[1][0] and press[0][1] > press[1][1]
    assert len({x for x, _ in rock}) > 5


def test_the_ball_bridge_roll_in_bends_the_knees_and_rolls_the_ball_in_towards_the_seat() -> None:
    figure = figure_of("ball-bridge-roll")
    ball = next(prop for prop in figure.props if prop.kind == "ball")
    start, end = pose_body(figure.start), pose_body(figure.end)
    assert figure.start.angle("knee") < 10 and figure.end.angle("knee") >= 60
    assert ball.in_pose("start").x - ball.in_pose("end").x > 25
    assert end.hip[1] > 25 and start.hip[1] > 25  # the hips stay up throughout
    # The end shows the ball where it started, faintly, as it does the body.
    end_svg = drawn("ball-bridge-roll")["end"]
    assert re.search(rf'<g stroke="{GHOST}" fill="none"[^>]*><circle cx="{ball.x}"', end_svg)
    assert f'<circle cx="{ball.in_pose("end").x}"' in end_svg


def test_a_good_morning_and_a_romanian_deadlift_differ_in_outline_at_the_bottom() -> None:
    rdl = figure_of("romanian-deadlift")
    bottom = pose_body(rdl.end)
    # The deadlift: a bar's plate hangs from straight arms, close in front of the legs and
    # lower than the knees; the hips go far back behind the heels, with the knees bent more.
    assert {prop.kind for prop in rdl.props} == {"barbell"} and rdl.end.angle("elbow") == 0
    hand, knee = bottom.near.hand, bottom.near.knee
    assert hand[1] < knee[1] and 0 < hand[0] - knee[0] < 20
    assert bottom.near.heel[0] - bottom.hip[0] > 10
    for exercise in ("good-morning", "barbell-good-morning"):
        figure = figure_of(exercise)
        body = pose_body(figure.end)
        # The good morning: the hands stay up at the shoulders, well above the hips, so nothing
        # hangs below the body; the upper body is nearer level and the knees straighter.
        assert math.dist(body.near.hand, body.shoulder) < 25 and body.near.hand[1] > body.hip[1]
        assert figure.end.pelvis > rdl.end.pelvis + 5
        assert figure.end.angle("knee") < rdl.end.angle("knee") - 5
        assert body.near.heel[0] - body.hip[0] < bottom.near.heel[0] - bottom.hip[0] - 10
