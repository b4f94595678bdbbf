"""Problems found in a declarative file, each tied to a file and line a clinician can open."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Where a value sits in a file: the keys and list positions leading to it.
Location = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class RulesError(Exception):
    """Files could not be used; `problems` lists every mistake found, not just the first."""

    def __init__(self, problems: list[Problem], subject: str = "the rules") -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
        self.subject = subject
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in {subject}"
        super().__init__(summary + ":\n" + "\n".join(str(p) for p in self.problems))


def line_in(lines: Mapping[Location, int], location: Location) -> int | None:
    """The line of `location`, or of the nearest enclosing value that has one."""
    for end in range(len(location), -1, -1):
        line = lines.get(tuple(location[:end]))
        if line is not None:
            return line
    return None


@dataclass(frozen=True)
class SourceLines:
    """Where each value of a folder of files was written, so checks made after loading can
    still point at a line. `files` maps a file name to the line of each location in it."""

    folder: str
    files: Mapping[str, Mapping[Location, int]] = field(default_factory=dict)

    def problem(self, file: str, location: Location, message: str) -> Problem:
        return Problem(f"{self.folder}/{file}", line_in(self.files.get(file, {}), location), message)
