"""The worked cases in rules/cases/ pass, and together they fire every screening rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.checking.cases import case_files, run_cases
from recommender.loading.rules import load_ruleset
from recommender.model.ruleset import Ruleset
from tests.conftest import RULES_DIR, copy_of_the_rules

CASE_FILES = case_files(RULES_DIR)


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_every_case_in_the_file_gets_its_expected_result(path: Path, rules: Ruleset) -> None:
    report = run_cases(RULES_DIR, rules, [path])
    assert report.cases_run > 0
    assert [str(problem) for problem in report.problems] == []


def test_the_cases_fire_every_screening_rule(rules: Ruleset) -> None:
    report = run_cases(RULES_DIR, rules)
    assert [str(problem) for problem in report.uncovered] == []
    assert report.coverage == 1.0
    assert report.passed


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    return folder


def test_a_wrong_expectation_is_reported_on_its_line(rules_copy: Path) -> None:
    path = rules_copy / "cases" / "red-flags.yaml"
    text = path.read_text()
    old = "    answers: {red_flags: [weight_loss]}\n    expect: {level: urgent, start_tier: none}"
    path.write_text(text.replace(old, old.replace("level: urgent", "level: soon")))
    line = text[: text.index(old)].count("\n") + 2
    report = run_cases(rules_copy, load_ruleset(rules_copy))
    assert [str(p) for p in report.problems] == [
        f"rules/cases/red-flags.yaml:{line}: case 'unexplained weight loss needs a doctor within days': "
        f"expected level soon, got urgent (fired: unexplained-weight-loss, pain-now)"]


def test_a_rule_no_case_fires_is_named_and_fails_coverage(rules_copy: Path) -> None:
    # A new rule, last in screening.yaml, that none of the shipped cases is about.
    screening = rules_copy / "screening.yaml"
    screening.write_text(screening.read_text() + (
        "  - id: very-old-age\n    when: {age: {at_least: 99}}\n    level: caution\n"
        "    finding: \"You are 99 or over.\"\n    source: nice-ng59\n"))
    report = run_cases(rules_copy, load_ruleset(rules_copy))
    assert not report.passed
    assert any(p.message == "rule 'very-old-age' is fired by no case" and p.line for p in report.uncovered)
    assert report.coverage < 1.0


def test_answers_that_are_not_a_valid_intake_name_the_field(rules_copy: Path) -> None:
    path = rules_copy / "cases" / "clear.yaml"
    path.write_text(path.read_text().replace("answers: {experience: beginner}", "answers: {experience: expert}"))
    report = run_cases(rules_copy, load_ruleset(rules_copy))
    assert any("case 'a little training still starts at beginner': experience: 'expert' is not an allowed answer"
               in str(p) for p in report.problems)
