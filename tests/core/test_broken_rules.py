"""Each fixture in tests/broken_rules/ makes one kind of mistake in a copy of the shipped
rules; loading and checking the copy must report that mistake, on the right file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender.model.problems import RulesError
from recommender.service import load_checked_rules
from tests.conftest import PROJECT, copy_of_the_rules

FIXTURES = sorted((PROJECT / "tests" / "broken_rules").glob("*.yaml"))


def apply(fixture: dict[str, Any], folder: Path) -> int:
    """Make the fixture's edits and return the line the problem must be reported on."""
    path = folder / str(fixture["file"])
    text = path.read_text()
    for edit in fixture["edits"]:
        assert text.count(edit["find"]) == 1, f"{edit['find']!r} must appear once in {fixture['file']}"
        text = text.replace(edit["find"], edit["replace"])
    path.write_text(text)
    marker = fixture.get("line_of", fixture["edits"][0]["replace"])
    assert text.count(marker) == 1, f"{marker!r} must appear once in the edited {fixture['file']}"
    offset = int(fixture.get("line_offset", 0))
    return text[: text.index(marker)].count("\n") + 1 + offset


def test_there_are_at_least_ten_kinds_of_broken_rules() -> None:
    assert len(FIXTURES) >= 10


@pytest.mark.parametrize("path", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_a_broken_rules_fixture_gives_its_message_on_its_line(path: Path, tmp_path: Path) -> None:
    fixture = yaml.safe_load(path.read_text())
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    line = apply(fixture, folder)
    with pytest.raises(RulesError) as raised:
        load_checked_rules(folder)
    problems = [str(problem) for problem in raised.value.problems]
    expected_start = f"rules/{fixture['file']}:{line}: "
    assert any(p.startswith(expected_start) and fixture["expect"] in p for p in problems), \
        f"wanted {expected_start}...{fixture['expect']}, got:\n" + "\n".join(problems)
