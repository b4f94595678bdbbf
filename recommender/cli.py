"""`recommender rules check|test|diff|words`: the tools a clinician uses to change the rules safely,
and to give them in another language."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from recommender.checking.cases import run_cases
from recommender.checking.verification import UnsafeRules, write_stamp
from recommender.model.problems import RulesError
from recommender.model.ruleset import Ruleset
from recommender.service import load_checked_rules, open_service, write_words_files

DEFAULT_RULES = Path("rules")
DEFAULT_CLINICS = Path("clinics")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="recommender", description="Check and review the rules.")
    commands = parser.add_subparsers(dest="area", required=True)
    rules = commands.add_parser("rules", help="check, test and compare rules folders")
    actions = rules.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate every file and check every possible intake")
    check.add_argument("folder", nargs="?", type=Path, default=DEFAULT_RULES)
    check.add_argument("--clinics", type=Path, default=DEFAULT_CLINICS,
                       help="clinic profiles whose narrowed plans are checked too (default: clinics)")
    test = actions.add_parser("test", help="run the worked cases in FOLDER/cases and report rule coverage")
    test.add_argument("folder", nargs="?", type=Path, default=DEFAULT_RULES)
    diff = actions.add_parser("diff", help="list the answers whose result changes between two rules folders")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--examples", type=int, default=3, help="example answers shown per change (default 3)")
    words = actions.add_parser("words", help="write or bring up to date the words files of LANGUAGE (e.g. fr): "
                                             "every English text, with the words already given kept")
    words.add_argument("language")
    words.add_argument("folder", nargs="?", type=Path, default=DEFAULT_RULES)
    arguments = parser.parse_args(argv)
    if arguments.action == "words":
        return write_words(arguments.folder, arguments.language)
    if arguments.action == "check":
        return check_rules(arguments.folder, arguments.clinics)
    if arguments.action == "test":
        return test_rules(arguments.folder)
    return diff_rules(arguments.old, arguments.new, arguments.examples)


def _load(folder: Path) -> Ruleset | None:
    try:
        return load_checked_rules(folder)
    except RulesError as error:
        _print_problems(error, folder)
        return None


def _print_problems(error: RulesError, folder: Path) -> None:
    for problem in error.problems:
        print(problem)
    print(f"{len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} in {folder}")


def check_rules(folder: Path, clinics_folder: Path) -> int:
    """What the app checks at start-up, through the same service code, with the exhaustive
    safety check always run; a pass leaves the stamp the app's start-up reads."""
    clinics = clinics_folder if clinics_folder.is_dir() else None
    try:
        service = open_service(folder, clinics, full_check=True, report=print)
    except UnsafeRules as unsafe:
        print(unsafe.verification.summary())
        for example in unsafe.verification.counterexamples:
            print(f"counter-example: {example}")
        return 1
    except RulesError as error:
        _print_problems(error, clinics_folder if error.subject == "the clinic profiles" else folder)
        return 1
    write_stamp(folder, service.ruleset, service.narrowings())
    return 0


def test_rules(folder: Path) -> int:
    rules = _load(folder)
    if rules is None:
        return 1
    report = run_cases(folder, rules)
    for problem in report.problems + report.uncovered:
        print(problem)
    print(report.summary())
    return 0 if report.passed else 1


def diff_rules(old_folder: Path, new_folder: Path, examples: int) -> int:
    from recommender.checking.rulesdiff import compare

    old, new = _load(old_folder), _load(new_folder)
    if old is None or new is None:
        return 1
    print(compare(old, new, examples).report(old_folder, new_folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())



def write_words(folder: Path, language: str) -> int:
    try:
        for line in write_words_files(folder, language):
            print(line)
    except RulesError as error:
        _print_problems(error, folder)
        return 1
    return 0
