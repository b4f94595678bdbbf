"""Read `figures.yaml`, the poses each catalogue entry is drawn from, with the line of every
value so the figure checks can point at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from recommender.loading.validation import validate_document
from recommender.loading.yamlfile import read_yaml
from recommender.model.figures import FigureBook
from recommender.model.problems import Problem, RulesError, SourceLines

FIGURES_FILE = "figures.yaml"


@dataclass(frozen=True)
class LoadedFigures:
    book: FigureBook
    lines: SourceLines


def load_figures(folder: Path) -> LoadedFigures:
    """The figure poses, well formed; raise RulesError listing every mistake."""
    display = f"{folder.name}/{FIGURES_FILE}"
    document, problems = read_yaml(folder / FIGURES_FILE, display)
    book = None
    if document is not None:
        book = validate_document(document, FigureBook, display, problems)
    if problems or book is None or document is None:
        raise RulesError(problems or [Problem(display, None, "no figures could be read")])
    return LoadedFigures(book, SourceLines(folder.name, {FIGURES_FILE: document.lines}))
