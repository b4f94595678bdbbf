"""Where a person sees the figures: on every exercise card of the result, in the exercise
library (ours and each clinic's, narrowed to what it prescribes) and in the PDF."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from recommender.drawing.svg import draw_figure
from recommender.loading.figures import load_figures
from recommender.model.ruleset import Ruleset
from recommender.web.app.figure_classes import GROUPS, LIMB_WIDTHS, by_class, in_full
from tests.conftest import PROJECT
from tests.web.plan_helpers import answers_token

Answer = Callable[..., TestResponse]

# A card of the starting tier by its id, another by its link to the exercise's page.
CARD = re.compile(r'<article class="exercise"(?: id="ex-\w+-([a-z0-9-]+)")?[^>]*>(.*?)</article>', re.S)
LINKED = re.compile(r'<a href="/exercises/([a-z0-9-]+)">')
STARTING_TIER = re.compile(r'<section class="card tier tier-start" id="tier-(\w+)"')
TITLE = re.compile(r"<svg [^>]*role=\"img\"><title>([^<]*)</title>")


def test_every_exercise_card_shows_the_start_and_the_end_side_by_side(answer_questionnaire: Answer,
                                                                       rules: Ruleset) -> None:
    page = answer_questionnaire(experience="intermediate").get_data(as_text=True)
    cards = [(exercise_id or LINKED.search(card)[1], card) for exercise_id, card in CARD.findall(page)]  # type: ignore[index]
    assert len(cards) >= 12
    for exercise_id, card in cards:
        name = rules.exercises[exercise_id].name
        titles = TITLE.findall(card)
        assert [title.split(":")[0] for title in titles] == [f"{name}, start", f"{name}, end"], exercise_id
        assert all(len(title) > len(name) + 30 for title in titles), "each says what the pose shows"
        assert "<figcaption>Start</figcaption>" in card and "<figcaption>End</figcaption>" in card


def test_the_library_lists_every_catalogue_entry_by_level_with_its_figures(client: FlaskClient,
                                                                            rules: Ruleset) -> None:
    page = client.get("/exercises").get_data(as_text=True)
    headings = re.findall(r'<h2 id="group-[a-z_]+">([^<]+)</h2>', page)
    assert headings == [rules.tier_title(tier) for tier in ("beginner", "intermediate", "advanced")] + \
        ["Warm-ups", "Stretches"]
    for exercise in rules.exercises.values():
        assert f'<a href="/exercises/{exercise.id}">{exercise.name}</a>' in page.replace("&#39;", "'")
    assert page.count("<svg ") == 2 * len(rules.exercises)
    assert "Works: deep tummy muscles" in page


def test_an_exercise_page_shows_figures_steps_the_dose_in_each_level_and_easier_and_harder(
        client: FlaskClient, rules: Ruleset) -> None:
    bird_dog = rules.exercises["bird-dog"]
    page = client.get("/exercises/bird-dog").get_data(as_text=True).replace("&#39;", "'")
    assert "<h1>Bird dog</h1>" in page
    assert len(TITLE.findall(page)) == 2
    for step in bird_dog.steps:
        assert step in page
    assert bird_dog.common_mistake in page
    in_tiers = [design.tier for design in rules.plan.tiers
                if any("bird-dog" in slot.choose_first_of for slot in design.slots)]
    assert in_tiers
    for tier in in_tiers:
        dose = bird_dog.dose.for_tier(tier)
        assert dose is not None
        assert f"<dt>{rules.tier_title(tier)}</dt><dd>{dose.describe()}</dd>" in page
    for variant in (bird_dog.easier, bird_dog.harder):
        if variant is not None:
            assert f'href="/exercises/{variant}"' in page


def test_an_unknown_exercise_is_not_found(client: FlaskClient) -> None:
    assert client.get("/exercises/handstand").status_code == 404


def test_a_clinic_library_leaves_out_what_the_clinic_never_prescribes(client: FlaskClient) -> None:
    page = client.get("/embed/demo/exercises").get_data(as_text=True)
    assert "Kettlebell swing" not in page
    assert 'href="/embed/demo/exercises/kettlebell-deadlift"' in page
    assert client.get("/embed/demo/exercises/kettlebell-swing").status_code == 404
    assert client.get("/embed/demo/exercises/bird-dog").status_code == 200


# The near-side colour of the figures, which nothing else on the printed page uses.
FIGURE_INK = (0x1D, 0x35, 0x57)


def rasterise(pdf: bytes, page: int, dpi: int) -> tuple[int, int, bytes]:
    """One page as raw RGB pixels (pdftoppm's PPM), with its width and height."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        path.write_bytes(pdf)
        ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
                             check=True, capture_output=True).stdout
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    assert header, "pdftoppm gave no PPM"
    return int(header[1]), int(header[2]), ppm[header.end():]


WORD = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'


def word_boxes(pdf: bytes) -> list[tuple[int, str, float, float]]:
    """Every word of the PDF with its page and top-left corner, in points."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    boxes: list[tuple[int, str, float, float]] = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for x, y, word in re.findall(WORD, page):
            boxes.append((number, word, float(x), float(y)))
    return boxes


def ink_near(pixels: tuple[int, int, bytes], dpi: int, left: float, top: float, width: float,
             height: float) -> int:
    """How many pixels of figure ink lie in a box given in points."""
    columns, rows, data = pixels
    scale = dpi / 72
    count = 0
    for row in range(max(0, int(top * scale)), min(rows, int((top + height) * scale))):
        for column in range(max(0, int(left * scale)), min(columns, int((left + width) * scale))):
            at = 3 * (row * columns + column)
            if all(abs(data[at + i] - FIGURE_INK[i]) < 40 for i in range(3)):
                count += 1
    return count


def test_the_server_pdf_draws_a_figure_beside_each_starting_exercise(client: FlaskClient,
                                                                     answer_questionnaire: Answer,
                                                                     rules: Ruleset) -> None:
    html = answer_questionnaire().get_data(as_text=True)
    tier = STARTING_TIER.search(html)
    assert tier is not None
    starting = re.findall(rf'<article class="exercise" id="ex-{tier[1]}-([a-z0-9-]+)"', html)
    pdf = client.post("/plan.pdf", data={"answers": answers_token(answer_questionnaire())}).data
    boxes = word_boxes(pdf)
    dpi = 50
    pages: dict[int, tuple[int, int, bytes]] = {}
    for exercise_id in starting:
        # The card's heading: the first place the whole name is written, word after word.
        name = rules.exercises[exercise_id].name.split()
        found = [(page, x, y) for index, (page, _, x, y) in enumerate(boxes)
                 if [word for _, word, _, _ in boxes[index:index + len(name)]] == name]
        assert found, f"{exercise_id} is not in the PDF"
        page, x, y = found[0]
        pixels = pages.setdefault(page, rasterise(pdf, page, dpi))
        # Beside the handout's row: left of its heading, from the heading down about 15 mm.
        assert ink_near(pixels, dpi, x - 90, y - 4, 90, 45) > 40, f"no figure drawn beside {exercise_id}"
        # Large enough to read on paper: each pose is 36 mm wide, so the start pose lies 41 to 77 mm
        # (116 to 218 pt) left of the heading, where the 40 mm pair of two 19 mm poses never came.
        assert ink_near(pixels, dpi, x - 200, y - 4, 75, 60) > 20, f"the figures beside {exercise_id} are small"
    assert len(starting) == 6


def test_an_exercise_page_moves_its_figure_joint_by_joint_and_only_where_motion_is_welcome(
        client: FlaskClient) -> None:
    page = client.get("/exercises/dead-bug").get_data(as_text=True)
    moving = re.search(r'<figure class="figure-moving">(.*?)</figure>', page, re.S)
    assert moving is not None
    # The same angles, turned about each joint: the hips, knees, shoulders and elbows that move.
    turns = re.findall(r'type="rotate" values="([^"]+)"', moving[1])
    assert len(turns) >= 3
    assert all(len(set(values.split(";"))) > 1 for values in turns)
    assert "<script" not in moving[1]
    css = (Path(__file__).resolve().parents[2] / "static" / "plan.css").read_text()
    assert ".figure-moving { display: none;" in css
    assert "@media screen and (prefers-reduced-motion: no-preference) { .figure-moving { display: block; } }" in css


def test_the_moving_figure_is_served_alone_as_an_svg_image_for_session_mode(client: FlaskClient) -> None:
    response = client.get("/exercises/dead-bug/moving.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and 'type="rotate"' in svg
    assert "<script" not in svg
    assert client.get("/embed/demo/exercises/dead-bug/moving.svg").status_code == 200
    assert client.get("/exercises/floor-rotation/moving.svg").status_code == 200  # seen from above
    # A figure seen from the front has no moving figure; an unknown id none either.
    for exercise_id in ("side-plank", "no-such-exercise"):
        assert client.get(f"/exercises/{exercise_id}/moving.svg").status_code == 404


def test_the_plan_page_points_session_mode_at_moving_figures_without_carrying_any(
        answer_questionnaire: Answer) -> None:
    page = answer_questionnaire(experience="advanced", equipment=["barbell"]).get_data(as_text=True)
    assert 'data-session-moving="/exercises/EXERCISE/moving.svg"' in page
    assert "animateTransform" not in page
    cards = dict(re.findall(r'<article class="exercise" id="ex-advanced-([a-z0-9-]+)"([^>]*)>', page))
    assert " data-moving" in cards["deadlift"]
    assert " data-moving" not in cards["side-plank"]  # drawn from the front: the stills only


def declarations(css: str, selector: str) -> dict[str, str]:
    """The properties a one-class rule of the stylesheet sets, by name."""
    found = re.search(rf"(?m)^{re.escape(selector)} {{([^}}]*)}}", css.replace("} .", "}\n."))
    assert found, f"plan.css has no rule for {selector}"
    return dict(part.strip().split(": ", 1) for part in found[1].split(";") if part.strip())


def test_a_page_names_the_colours_and_limb_widths_every_figure_shares_by_class_as_the_drawing_has_them(
        answer_questionnaire: Answer) -> None:
    page = answer_questionnaire(experience="advanced", equipment=["barbell"]).get_data(as_text=True)
    css = (PROJECT / "static" / "plan.css").read_text()
    for drawn, by_name in GROUPS.items():
        assert drawn not in page and by_name in page, by_name
        name = re.search(r'class="(\w+)"', by_name)[1]  # type: ignore[index]
        assert declarations(css, f".{name}") == dict(re.findall(r' ([a-z-]+)="([^"]+)"', drawn)), name
    for width in LIMB_WIDTHS:
        assert declarations(css, f".w{width}") == {"stroke-width": width}
    assert ' class="w22"/>' in page and ' stroke-width="22"/>' not in page


def test_the_pdf_gets_every_figure_spelt_out_in_full_as_its_renderer_reads_no_stylesheet_in_svg() -> None:
    drawings = [drawing for figure in load_figures(PROJECT / "rules").book.figures
                for drawing in draw_figure(figure, figure.exercise)]
    assert len(drawings) >= 80
    for drawing in drawings:
        for svg in (drawing.svg, drawing.without_ghost):
            assert in_full(by_class(svg)) == svg
            assert 'class="' not in in_full(f"<p>{by_class(svg)}</p>")
