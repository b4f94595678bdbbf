"""`recommender rules check|test|diff`, and the start-up gate built on `rules check`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from recommender.checking import verification
from recommender.checking.verification import STAMP_FILE, Verification, ensure_verified, fingerprint, is_stamped
from recommender.cli import main
from recommender.loading.rules import load_ruleset
from recommender.model.problems import RulesError
from recommender.model.ruleset import Ruleset
from tests.conftest import RULES_DIR, copy_of_the_clinics, copy_of_the_rules, shipped_narrowings

Output = pytest.CaptureFixture[str]


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    copy_of_the_rules(folder)
    return folder


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))


def without_saddle_numbness_rule(folder: Path) -> Path:
    screening = folder / "screening.yaml"
    text = screening.read_text()
    start, end = text.index("  - id: saddle-numbness"), text.index("  - id: bladder-bowel-change")
    screening.write_text(text[:start] + text[end:])
    return folder


def test_the_shipped_rules_carry_a_current_verification_stamp(rules: Ruleset) -> None:
    assert is_stamped(RULES_DIR, rules, shipped_narrowings()), \
        "the rules, the clinics' narrowing or the core code changed since the last check: run `recommender rules check`"


def test_the_stamp_vouches_for_the_rules_alone_and_with_each_clinic_but_no_other_narrowing(rules: Ruleset) -> None:
    # The check proves the whole catalogue and each clinic's on its own: a program that opens the
    # rules without the clinics starts from the same stamp.
    assert is_stamped(RULES_DIR, rules)
    assert all(is_stamped(RULES_DIR, rules, [narrowing]) for narrowing in shipped_narrowings())
    assert not is_stamped(RULES_DIR, rules, [frozenset({"dead-bug"})])


def test_rules_check_lists_every_problem_with_its_line_and_fails(rules_copy: Path, capsys: Output) -> None:
    replace_once(rules_copy / "exercises.yaml", "[deep tummy muscles]\n    spinal_load: low",
                 "[deep tummy muscles]\n    spinal_lode: low")
    replace_once(rules_copy / "ruleset.yaml", 'version: "3.0.0"', "version: 1.10")
    assert main(["rules", "check", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert "rules/exercises.yaml:" in out and "unknown key 'spinal_lode' (did you mean 'spinal_load'?)" in out
    assert "rules/ruleset.yaml:" in out and "'1.10' would be read as a decimal" in out
    assert out.rstrip().endswith(f"problems in {rules_copy}")


def test_rules_check_prints_a_counter_example_for_a_broken_promise(rules_copy: Path, capsys: Output) -> None:
    (rules_copy / STAMP_FILE).unlink()
    assert main(["rules", "check", str(without_saddle_numbness_rule(rules_copy)),
                 "--clinics", str(copy_of_the_clinics(rules_copy.parent / "clinics"))]) == 1
    out = capsys.readouterr().out
    assert "0 problems" in out  # the files are well formed; the meaning is what is wrong
    assert "counter-example: answers {" in out and '"saddle_numbness"' in out
    assert "must be at least 'emergency'" in out
    assert not (rules_copy / STAMP_FILE).exists()


def test_rules_check_on_good_rules_counts_the_intakes_and_stamps_them(
        rules_copy: Path, capsys: Output, rules: Ruleset, shipped_proof: Verification,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy of the shipped rules, checked with the shipped clinics: the same rules, narrowing
    # and code as the session's proof of the shipped rules (tests/core/test_exhaustive_safety.py
    # checks what it found), so `rules check` is handed that proof rather than working it out again.
    proved = fingerprint(rules, shipped_narrowings())
    unproved = verification.verify

    def verify(ruleset: Ruleset, narrowings: Iterable[frozenset[str]] = (),
               max_counterexamples: int = 5) -> Verification:
        narrowings = list(narrowings)
        if fingerprint(ruleset, narrowings) == proved:
            return shipped_proof
        return unproved(ruleset, narrowings, max_counterexamples)

    monkeypatch.setattr(verification, "verify", verify)
    (rules_copy / STAMP_FILE).unlink()
    clinics = copy_of_the_clinics(rules_copy.parent / "clinics")
    assert main(["rules", "check", str(rules_copy), "--clinics", str(clinics)]) == 0
    out = capsys.readouterr().out
    assert "checked all 35,004,316,064,667,402,240 possible intakes" in out
    assert "every safety promise holds" in out
    copied = load_ruleset(rules_copy)
    assert is_stamped(rules_copy, copied, shipped_narrowings())


def test_rules_test_reports_coverage_and_fails_on_a_wrong_case(rules_copy: Path, capsys: Output) -> None:
    assert main(["rules", "test", str(rules_copy)]) == 0
    assert "rule coverage 77/77 (100%)" in capsys.readouterr().out
    replace_once(rules_copy / "cases" / "clear.yaml", "answers: {experience: beginner}\n    expect: {level: clear",
                 "answers: {experience: beginner}\n    expect: {level: caution")
    assert main(["rules", "test", str(rules_copy)]) == 1
    assert "expected level caution, got clear" in capsys.readouterr().out


def test_rules_diff_groups_the_answers_whose_result_changes(rules_copy: Path, capsys: Output) -> None:
    replace_once(rules_copy / "screening.yaml", "when: {age: {at_least: 51}, pain_duration",
                 "when: {age: {at_least: 56}, pain_duration")
    replace_once(rules_copy / "plan.yaml", "choose_first_of: [hip-hinge-dowel, bodyweight-squat]",
                 "choose_first_of: [bodyweight-squat]")
    assert main(["rules", "diff", str(RULES_DIR), str(rules_copy), "--examples", "1"]) == 0
    out = capsys.readouterr().out
    # Ages 51-55 with new pain of 0-6, not checked by a professional, and no sign that calls for
    # more than caution: each is counted with every equipment set and day count.
    changed = re.search(r"soon -> caution: ([\d,]+) intakes", out)
    assert changed is not None and int(changed[1].replace(",", "")) % (4096 * 3) == 0
    assert "e.g. age 51" in out
    assert "hip-hinge-dowel -> bodyweight-squat:" in out and "equipment [dowel]" in out
    assert "Starting tier:" not in out


def test_rules_diff_of_a_folder_with_itself_finds_no_change(capsys: Output) -> None:
    assert main(["rules", "diff", str(RULES_DIR), str(RULES_DIR)]) == 0
    assert "No intake changes" in capsys.readouterr().out


def test_the_start_up_gate_refuses_rules_that_break_a_promise(rules_copy: Path) -> None:
    folder = without_saddle_numbness_rule(rules_copy)
    with pytest.raises(RulesError, match="a safety promise is broken for these answers"):
        ensure_verified(folder, load_ruleset(folder))

