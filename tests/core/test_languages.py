"""The rules in Spanish and German: the words files are checked against the English with their
file and line, and every language decides exactly as the English does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from recommender.drawing.motion import draw_motion
from recommender.drawing.svg import draw_figure
from recommender.engine.recommending import Recommender
from recommender.loading.figures import load_figures
from recommender.loading.rules import load_ruleset
from recommender.model.figures import PoseName
from recommender.model.intake import Intake
from recommender.model.problems import RulesError
from recommender.model.ruleset import Ruleset
from recommender.service import open_service
from tests.conftest import PROJECT, RULES_DIR, MakeIntake
from tests.strategies import any_answers

OTHER_LANGUAGES = ("es", "de")
# What a recommendation decides, as opposed to how it words it: levels, ids, tiers, days,
# doses' numbers. Every other text is words.
DECIDING = frozenset({
    "level", "id", "rule", "set_by", "tier", "start_tier", "is_start", "chosen", "slot", "decision",
    "reported_tier", "next_tier", "day", "session", "sets", "per_side", "rest_seconds", "spinal_load",
    "light_day", "equipment", "taken",
})


@pytest.fixture(scope="module")
def in_every_language() -> Ruleset:
    return load_ruleset(RULES_DIR, PROJECT / "translations")


def _copy_of_the_rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    return copy


def _problems(folder: Path) -> list[str]:
    with pytest.raises(RulesError) as raised:
        load_ruleset(folder)
    return [str(problem) for problem in raised.value.problems]


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_rules_speak_english_spanish_and_german(in_every_language: Ruleset) -> None:
    assert in_every_language.manifest.languages == ["en", "es", "de"]
    assert in_every_language.in_language("es").wording.questions["age"].label == "¿Cuántos años tienes?"
    assert in_every_language.in_language("de").wording.questions["age"].label == "Wie alt sind Sie?"


def test_a_words_file_missing_a_text_fails_with_its_file_and_the_english_line(tmp_path: Path) -> None:
    folder = _copy_of_the_rules(tmp_path)
    words = folder / "es" / "intake.yaml"
    text = words.read_text()
    # The entry for the age question's label: its key line and its value line.
    words.write_text(re.sub(r'  "How old are you\?":\n    "[^"]*"\n', "", text))
    english_line = _line_of(folder / "intake.yaml", '"How old are you?"')
    words_line = _line_of(words, "words:")
    assert _problems(folder) == [
        f'rules/es/intake.yaml:{words_line}: no words for "How old are you?" (rules/intake.yaml:{english_line})']


def test_words_for_a_text_the_rules_no_longer_have_fail_at_their_line(tmp_path: Path) -> None:
    folder = _copy_of_the_rules(tmp_path)
    words = folder / "de" / "equipment.yaml"
    words.write_text(words.read_text() + '  "A rowing machine":\n    "Ein Rudergerät"\n')
    line = _line_of(words, '"A rowing machine"')
    assert _problems(folder) == [
        f'rules/de/equipment.yaml:{line}: "A rowing machine" is not in rules/equipment.yaml: '
        "remove it, or write it as the English now reads"]


def test_words_that_drop_a_placeholder_fail_at_their_line(tmp_path: Path) -> None:
    folder = _copy_of_the_rules(tmp_path)
    words = folder / "es" / "progression.yaml"
    text = words.read_text()
    english = "Move up to {tier}"
    start = text.index(f'"{english}":')
    value_line = text.index("\n", start) + 1
    value_end = text.index("\n", value_line)
    words.write_text(text[:value_line] + '    "Sube de nivel"' + text[value_end:])
    line = _line_of(words, f'"{english}"')
    assert _problems(folder) == [
        f"rules/es/progression.yaml:{line}: the words must keep the English's placeholders ['{{tier}}'], "
        "as written: they are filled in when shown"]


def test_a_language_without_its_words_files_fails(tmp_path: Path) -> None:
    folder = _copy_of_the_rules(tmp_path)
    shutil.rmtree(folder / "de")
    unread = {problem.split(": ", 1)[0] for problem in _problems(folder) if "cannot read the file" in problem}
    assert unread == {f"rules/de/{name}.yaml" for name in
                      ("intake", "equipment", "exercises", "screening", "plan", "progression")}


def decided(value: Any) -> Any:
    """What `value` (a recommendation as the API writes it) decides, with its words left out."""
    if isinstance(value, dict):
        return {key: decided(item) if key not in DECIDING else item
                for key, item in value.items() if key in DECIDING or isinstance(item, dict | list)}
    if isinstance(value, list):
        return [decided(item) for item in value if not isinstance(item, str)] or None
    return value


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=any_answers())
def test_every_language_decides_the_same_for_the_same_answers(in_every_language: Ruleset, answers: Intake) -> None:
    english = decided(Recommender(in_every_language, caching=False).recommend(answers).model_dump(mode="json"))
    assert english["triage"]["level"]
    for language in OTHER_LANGUAGES:
        worded = Recommender(in_every_language.in_language(language), caching=False).recommend(answers)
        assert decided(worded.model_dump(mode="json")) == english


def test_the_projection_keeps_what_is_decided_and_drops_the_words(in_every_language: Ruleset,
                                                                 make_intake: MakeIntake) -> None:
    answers = make_intake(experience="beginner", equipment={"mat"})
    english = Recommender(in_every_language, caching=False).recommend(answers).model_dump(mode="json")
    spanish = Recommender(in_every_language.in_language("es"), caching=False).recommend(answers).model_dump(mode="json")
    assert english != spanish  # the words differ...
    assert decided(english) == decided(spanish)  # ...and what is decided does not
    assert decided(english)["plan"]["start_tier"] == "beginner"
    assert decided(english)["plan"]["tiers"][0]["exercises"][0]["id"]


def test_each_languages_figures_are_the_figures_drawn_with_its_words() -> None:
    # Drawn once and titled in each language: the same as drawing them afresh in its words.
    service = open_service()
    figures = load_figures(RULES_DIR, OTHER_LANGUAGES)
    for language in OTHER_LANGUAGES:
        speaking = service.in_language(language)
        rules = speaking.ruleset
        pose_words: dict[PoseName, str] = {"start": rules.say("start"), "middle": rules.say("middle"),
                                           "end": rules.say("end")}
        for figure in figures.in_language(language).figures:
            drawn = draw_figure(figure, rules.exercises[figure.exercise].name, pose_words)
            assert [d.svg for d in speaking.drawings[figure.exercise]] == [d.svg for d in drawn]
            assert rules.exercises[figure.exercise].name in drawn[0].svg
            moving = draw_motion(figure, rules.say("{exercise}, moving from the start to the end and back").format(
                exercise=rules.exercises[figure.exercise].name))
            assert speaking.motions.get(figure.exercise) == moving
