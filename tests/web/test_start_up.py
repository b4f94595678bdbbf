"""The app opens the rules through the same service as `recommender rules check`, so it starts
only from rules that command would pass, and refuses the others with the same messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.cli import main
from recommender.model.problems import RulesError
from recommender.web import create_app
from tests.conftest import copy_of_the_rules


def test_the_app_and_rules_check_refuse_rules_that_mean_nothing_with_the_same_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Well formed, but the rule can never fire: only the checks above the loader see it.
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    screening = folder / "screening.yaml"
    screening.write_text(screening.read_text().replace(
        "when: {pain_now: {at_least: 1}, pain_duration: {one_of: [6_to_12_weeks, over_12_weeks]}, "
        "professional_check: {one_of: [\"no\"]}}",
        "when: {pain_now: {at_least: 1}, pain_duration: {one_of: [none]}, professional_check: {one_of: [\"no\"]}}"))
    assert main(["rules", "check", str(folder)]) == 1
    printed = capsys.readouterr().out
    with pytest.raises(RulesError) as refused:
        create_app({"TESTING": True, "RULES_DIR": str(folder)})
    [problem] = refused.value.problems
    assert "rule 'pain-not-settling' can never fire" in str(problem)
    assert str(problem) in printed
