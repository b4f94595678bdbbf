"""Problems found in the rules files, each tied to a file and line a clinician can open."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class RulesError(Exception):
    """The rules could not be loaded; `problems` lists every mistake found, not just the first."""

    def __init__(self, problems: list[Problem], subject: str = "the rules") -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in {subject}"
        super().__init__(summary + ":\n" + "\n".join(str(p) for p in self.problems))
