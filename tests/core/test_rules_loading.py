"""Loading the rules: every mistake is reported with its file and line, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from recommender.loading.rules import load_ruleset
from recommender.loading.yamlfile import read_yaml
from recommender.model.problems import RulesError
from tests.conftest import RULES_DIR, copy_of_the_rules


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> int:
    """Replace `old` (which must appear exactly once) and return the line it is on."""
    path = folder / file
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} appears {text.count(old)} times in {file}"
    path.write_text(text.replace(old, new))
    return text[: text.index(old)].count("\n") + 1


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(RulesError) as raised:
        load_ruleset(folder)
    return [str(problem) for problem in raised.value.problems]


def test_the_shipped_rules_load_with_no_problems() -> None:
    rules = load_ruleset(RULES_DIR)
    assert rules.version == "3.0.0"
    assert len(rules.digest) == 64


def test_a_misspelt_key_names_the_file_and_line_and_suggests_the_right_one(rules_copy: Path) -> None:
    line = 1 + edit(rules_copy, "exercises.yaml", "[deep tummy muscles]\n    spinal_load: low",
                    "[deep tummy muscles]\n    spinal_lode: low")
    assert f"rules/exercises.yaml:{line}: unknown key 'spinal_lode' (did you mean 'spinal_load'?)" \
        in problems_of(rules_copy)


def test_an_unquoted_no_is_refused_rather_than_read_as_false(rules_copy: Path) -> None:
    line = edit(rules_copy, "intake.yaml", "      - value: false\n        label: \"No\"\n  back_surgery",
                "      - value: no\n        label: \"No\"\n  back_surgery")
    found = problems_of(rules_copy)
    assert any(p.startswith(f"rules/intake.yaml:{line}: 'no' is ambiguous") for p in found), found


def test_a_decimal_looking_version_is_refused_rather_than_read_as_a_number(rules_copy: Path) -> None:
    line = edit(rules_copy, "ruleset.yaml", 'version: "3.0.0"', "version: 1.10")
    found = problems_of(rules_copy)
    assert any(p.startswith(f"rules/ruleset.yaml:{line}: '1.10' would be read as a decimal") for p in found)


def test_a_key_written_twice_is_refused(rules_copy: Path) -> None:
    line = edit(rules_copy, "screening.yaml", "    level: emergency\n    finding: \"Your back pain started",
                "    level: emergency\n    level: clear\n    finding: \"Your back pain started")
    assert f"rules/screening.yaml:{line + 1}: 'level' is written twice in the same block" in problems_of(rules_copy)


def test_a_rule_naming_an_unknown_red_flag_is_refused(rules_copy: Path) -> None:
    line = edit(rules_copy, "screening.yaml", "{includes_any: [saddle_numbness]}", "{includes_any: [saddle_numbnes]}")
    found = problems_of(rules_copy)
    assert any(p.startswith(f"rules/screening.yaml:{line}: rules.0.when.red_flags.includes_any.0: Input should be")
               for p in found), found


def test_a_condition_outside_the_answers_allowed_is_refused(rules_copy: Path) -> None:
    line = edit(rules_copy, "screening.yaml", "when: {pain_now: {at_least: 7}}", "when: {pain_now: {at_least: 17}}")
    found = problems_of(rules_copy)
    assert any(p.startswith(f"rules/screening.yaml:{line}:") and "outside the answers allowed (0 to 10)" in p
               for p in found), found


def test_a_slot_naming_an_unknown_exercise_is_refused_with_a_suggestion(rules_copy: Path) -> None:
    line = edit(rules_copy, "plan.yaml", "choose_first_of: [glute-bridge]", "choose_first_of: [glute-brige]")
    assert f"rules/plan.yaml:{line}: there is no exercise 'glute-brige' (did you mean 'glute-bridge'?)" \
        in problems_of(rules_copy)


def test_an_advanced_exercise_cannot_be_put_in_the_beginner_tier(rules_copy: Path) -> None:
    line = edit(rules_copy, "plan.yaml", "choose_first_of: [torso-lift]", "choose_first_of: [deadlift, torso-lift]")
    assert (f"rules/plan.yaml:{line}: 'deadlift' is a advanced exercise and cannot be used in the beginner tier"
            in problems_of(rules_copy))


def test_strength_days_less_than_48_hours_apart_are_refused(rules_copy: Path) -> None:
    edit(rules_copy, "plan.yaml", "      - {day: wednesday, session: full}", "      - {day: tuesday, session: full}")
    found = problems_of(rules_copy)
    assert any("two full sessions less than 48 hours apart (monday and tuesday)" in p for p in found), found


def test_a_missing_red_flag_wording_is_refused(rules_copy: Path) -> None:
    edit(rules_copy, "intake.yaml",
         "      - value: weight_loss\n        label: \"You have lost weight without trying\"\n", "")
    found = problems_of(rules_copy)
    assert any(p.endswith("options of 'red_flags': missing weight_loss") for p in found), found


def test_every_problem_is_reported_at_once(rules_copy: Path) -> None:
    edit(rules_copy, "exercises.yaml", "[deep tummy muscles]\n    spinal_load: low",
         "[deep tummy muscles]\n    spinal_lode: low")
    edit(rules_copy, "ruleset.yaml", 'version: "3.0.0"', "version: 1.10")
    edit(rules_copy, "screening.yaml", "level: same_day\n    finding: \"A leg", "level: sameday\n    finding: \"A leg")
    found = problems_of(rules_copy)
    assert {p.split(":")[0] for p in found} == {"rules/exercises.yaml", "rules/ruleset.yaml", "rules/screening.yaml"}


def test_a_missing_file_is_named(rules_copy: Path) -> None:
    (rules_copy / "plan.yaml").unlink()
    assert any(p.startswith("rules/plan.yaml: cannot read the file") for p in problems_of(rules_copy))


def test_the_rules_digest_ignores_comments_and_layout_but_not_content(rules_copy: Path) -> None:
    original = load_ruleset(rules_copy).digest
    edit(rules_copy, "plan.yaml", "# How a plan is built from the catalogue.", "# Reworded comment.\n\n")
    edit(rules_copy, "plan.yaml", "start_tier_by_experience:\n  none: beginner",
         "start_tier_by_experience:\n  none:   'beginner'")
    assert load_ruleset(rules_copy).digest == original
    edit(rules_copy, "plan.yaml", "  intermediate: intermediate\n  advanced: advanced",
         "  intermediate: beginner\n  advanced: advanced")
    assert load_ruleset(rules_copy).digest != original


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("**/*.yaml")), ids=lambda path: path.name)
def test_libyaml_and_pyyaml_read_every_rules_file_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Start-up reads with libyaml for speed; values and lines must be what PyYAML's own parser gives.
    fast, fast_problems = read_yaml(path, path.name)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    plain, plain_problems = read_yaml(path, path.name)
    assert fast is not None and plain is not None
    assert (fast.data, fast.lines, fast_problems) == (plain.data, plain.lines, plain_problems)


def test_a_file_libyaml_refuses_gets_pyyamls_message(rules_copy: Path) -> None:
    line = edit(rules_copy, "equipment.yaml", "  - id: mat\n", "  - id: [mat\n")
    [problem] = problems_of(rules_copy)
    assert problem.startswith(f"rules/equipment.yaml:{line + 1}: not valid YAML: expected ',' or ']'")
