"""The exercise catalogue: complete, traceable to its sources, and in our own words."""

from __future__ import annotations

import re

import pytest

from recommender.model.ruleset import Ruleset
from tests.conftest import PROJECT

SEEDS = PROJECT.parent / "shared" / "seeds"
SEEDS_MISSING = ("the source articles are not beside this checkout: to run this, put them in "
                 "../shared/seeds/ (one .txt per article, named as in rules/ruleset.yaml)")
SHARED_RUN = 6  # words in a row that may not match the source articles


def test_the_catalogue_has_about_30_exercises_in_every_tier_plus_stretches_and_warm_ups(rules: Ruleset) -> None:
    kinds = [exercise.kind for exercise in rules.exercises.values()]
    assert kinds.count("exercise") >= 30
    assert kinds.count("stretch") >= 3
    assert kinds.count("warm_up") >= 3
    tiers = {e.tier for e in rules.exercises.values() if e.kind == "exercise"}
    assert tiers == {"beginner", "intermediate", "advanced"}


def test_the_good_morning_can_be_done_with_a_stick_a_band_or_nothing(rules: Ruleset) -> None:
    assert rules.exercises["good-morning"].equipment == [["dowel"], ["resistance_band"], []]


def test_every_exercise_in_a_slot_is_reachable_without_loaded_equipment_in_the_beginner_tier(
        rules: Ruleset) -> None:
    beginner = next(tier for tier in rules.plan.tiers if tier.tier == "beginner")
    for slot in beginner.slots:
        last = rules.exercises[slot.choose_first_of[-1]]
        assert [] in last.equipment, f"{slot.id} has no equipment-free fallback"
        assert last.spinal_load == "low"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


@pytest.mark.skipif(not SEEDS.is_dir(), reason=SEEDS_MISSING)
def test_every_exercise_is_written_in_our_own_words(rules: Ruleset) -> None:
    seed_words = _words(" ".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))))
    seed_runs = {tuple(seed_words[i:i + SHARED_RUN]) for i in range(len(seed_words) - SHARED_RUN + 1)}
    copied = []
    for exercise in rules.exercises.values():
        for sentence in [exercise.benefit, exercise.common_mistake, *exercise.steps, *exercise.cues]:
            words = _words(sentence)
            runs = {tuple(words[i:i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)}
            if runs & seed_runs:
                copied.append(f"{exercise.id}: {sentence}")
    assert copied == []


# Exercises the source articles do not describe, added for a clinical reason: each names the
# guideline it comes from (the upright cool-down for thin bones, from the ROS consensus).
FROM_A_GUIDELINE = {"wall-stand": "ros-exercise", "single-leg-stand": "ros-exercise"}


def test_every_exercise_names_a_source_article_or_the_guideline_it_was_added_for(rules: Ruleset) -> None:
    articles = {source.id for source in rules.manifest.sources if source.file}
    for exercise in rules.exercises.values():
        if exercise.id in FROM_A_GUIDELINE:
            assert FROM_A_GUIDELINE[exercise.id] in exercise.sources, exercise.id
        else:
            assert set(exercise.sources) & articles, exercise.id


@pytest.mark.skipif(not SEEDS.is_dir(), reason=SEEDS_MISSING)
def test_every_source_article_names_a_file_that_exists(rules: Ruleset) -> None:
    files = {source.file for source in rules.manifest.sources if source.file}
    assert files and files <= {path.name for path in SEEDS.glob("*.txt")}
