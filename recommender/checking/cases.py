"""Worked cases in `rules/cases/`: answers a clinician writes down with the result they expect.

Each case states the triage level and the starting tier (`none` when no plan may be shown),
and may name exercises the starting tier must or must not contain; a check-in case (answers
with `progress`) also states the decision. Running them also measures rule coverage: every
screening and progression rule must be fired by at least one case, so a new rule cannot land
without an example of what it is for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from recommender.engine.recommending import recommend
from recommender.loading.yamlfile import YamlDocument, read_yaml
from recommender.model.declared import Declared
from recommender.model.intake import Intake, Tier, explain_errors
from recommender.model.problems import Problem
from recommender.model.rules import Decision, Level, Slug, Text
from recommender.model.ruleset import Ruleset

CASES_FOLDER = "cases"


class Expectation(Declared):
    level: Level
    start_tier: Tier | Literal["none"]
    includes: list[Slug] = Field(default_factory=list)
    excludes: list[Slug] = Field(default_factory=list)
    # For a check-in (answers with `progress`): what the person is told to do next.
    decision: Decision | None = None


class Case(Declared):
    name: Text
    answers: dict[str, Any] = Field(default_factory=dict)
    expect: Expectation


class CaseFile(Declared):
    # Answers every case in the file shares; a case's own answers replace them one by one.
    defaults: dict[str, Any] = Field(default_factory=dict)
    cases: list[Case] = Field(min_length=1)


@dataclass
class CaseReport:
    cases_run: int = 0
    problems: list[Problem] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)
    uncovered: list[Problem] = field(default_factory=list)
    rule_count: int = 0

    @property
    def coverage(self) -> float:
        return (self.rule_count - len(self.uncovered)) / self.rule_count if self.rule_count else 1.0

    @property
    def passed(self) -> bool:
        return not self.problems and not self.uncovered

    def summary(self) -> str:
        failed = len({(p.path, p.line) for p in self.problems})
        return (f"{self.cases_run} cases, {failed} failing; rule coverage "
                f"{self.rule_count - len(self.uncovered)}/{self.rule_count} ({self.coverage:.0%})")


def case_files(folder: Path) -> list[Path]:
    return sorted((folder / CASES_FOLDER).glob("*.yaml"))


def run_cases(folder: Path, rules: Ruleset, files: list[Path] | None = None) -> CaseReport:
    """Run the case files (all in `folder/cases` unless given) against `rules`."""
    report = CaseReport(rule_count=len(rules.screening_rules) + len(rules.progression.rules))
    files = case_files(folder) if files is None else files
    if not files:
        report.problems.append(Problem(f"{folder.name}/{CASES_FOLDER}", None, "there are no case files"))
    for path in files:
        display = f"{folder.name}/{CASES_FOLDER}/{path.name}"
        document, found = read_yaml(path, display)
        report.problems += found
        if document is None:
            continue
        try:
            case_file = CaseFile.model_validate(document.data)
        except ValidationError as error:
            for detail in error.errors():
                where = ".".join(str(part) for part in detail["loc"])
                report.problems.append(Problem(display, document.line_of(tuple(detail["loc"])),
                                               f"{where}: {detail['msg']}"))
            continue
        for index, case in enumerate(case_file.cases):
            report.cases_run += 1
            _run_case(case, case_file.defaults, rules, report,
                      partial(_add_problem, report, display, document, ("cases", index)))
    for index, rule in enumerate(rules.screening_rules):
        if rule.id not in report.fired:
            report.uncovered.append(rules.lines.problem("screening.yaml", ("rules", index),
                                                        f"rule '{rule.id}' is fired by no case"))
    for index, progression_rule in enumerate(rules.progression.rules):
        if progression_rule.id not in report.fired:
            report.uncovered.append(rules.lines.problem("progression.yaml", ("rules", index),
                                                        f"rule '{progression_rule.id}' is fired by no case"))
    return report


def _add_problem(report: CaseReport, display: str, document: YamlDocument, case_location: tuple[Any, ...],
                 location: tuple[Any, ...], message: str) -> None:
    report.problems.append(Problem(display, document.line_of(case_location + location), message))


def _run_case(case: Case, defaults: dict[str, Any], rules: Ruleset, report: CaseReport,
              problem: Callable[[tuple[Any, ...], str], None]) -> None:
    label = f"case '{case.name}'"
    try:
        intake = Intake.model_validate_json(json.dumps({**defaults, **case.answers}))
    except ValidationError as error:
        for field_error in explain_errors(error):
            problem(("answers",), f"{label}: {field_error.field}: {field_error.message}")
        return
    for location, ids in ((("expect", "includes"), case.expect.includes),
                          (("expect", "excludes"), case.expect.excludes)):
        for exercise_id in ids:
            if exercise_id not in rules.exercises:
                problem(location, f"{label}: there is no exercise '{exercise_id}'")
    result = recommend(intake, rules)
    report.fired |= {finding.id for finding in result.triage.reasons}
    report.fired |= {reason.rule for reason in result.check_in.reasons} if result.check_in else set()
    fired = ", ".join(f.id for f in result.triage.reasons) or "no rule"
    decided = result.check_in.decision if result.check_in else None
    if case.expect.decision != decided:
        reasons = ", ".join(r.rule for r in result.check_in.reasons) if result.check_in else "no check-in"
        problem(("expect", "decision"), f"{label}: expected the check-in to decide {case.expect.decision}, "
                                        f"got {decided} ({reasons})")
    if result.triage.level != case.expect.level:
        problem(("expect", "level"), f"{label}: expected level {case.expect.level}, "
                                     f"got {result.triage.level} (fired: {fired})")
    start = result.plan.start_tier if result.plan else "none"
    if start != case.expect.start_tier:
        problem(("expect", "start_tier"), f"{label}: expected starting tier {case.expect.start_tier}, got {start}")
    starting = {e.id for tier in (result.plan.tiers if result.plan else []) if tier.is_start for e in tier.exercises}
    missing = [e for e in case.expect.includes if e not in starting and e in rules.exercises]
    if missing:
        problem(("expect", "includes"), f"{label}: the starting tier lacks {', '.join(missing)} "
                                        f"(it has {', '.join(sorted(starting)) or 'nothing'})")
    unwanted = [e for e in case.expect.excludes if e in starting]
    if unwanted:
        problem(("expect", "excludes"), f"{label}: the starting tier should not have {', '.join(unwanted)}")

