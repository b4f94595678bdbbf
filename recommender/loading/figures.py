"""Read `figures.yaml`, the poses each catalogue entry is drawn from, with the line of every
value so the figure checks can point at it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from recommender.loading.validation import validate_document
from recommender.loading.words import read_words, reworded
from recommender.loading.yamlfile import read_yaml
from recommender.model.figures import FigureBook
from recommender.model.problems import Problem, RulesError, SourceLines

FIGURES_FILE = "figures.yaml"


@dataclass(frozen=True)
class LoadedFigures:
    book: FigureBook
    lines: SourceLines
    # The same figures with what each pose shows said in each other language, by language.
    translations: Mapping[str, FigureBook] = field(default_factory=dict)

    def in_language(self, language: str) -> FigureBook:
        return self.translations.get(language, self.book)


def load_figures(folder: Path, languages: Iterable[str] = ()) -> LoadedFigures:
    """The figure poses, well formed, with their words in each of the other `languages` from
    the words files; raise RulesError listing every mistake."""
    display = f"{folder.name}/{FIGURES_FILE}"
    document, problems = read_yaml(folder / FIGURES_FILE, display)
    book = None
    if document is not None:
        book = validate_document(document, FigureBook, display, problems)
    if problems or book is None or document is None:
        raise RulesError(problems or [Problem(display, None, "no figures could be read")])
    lines = SourceLines(folder.name, {FIGURES_FILE: document.lines})
    translations = {}
    for language in languages:
        words = read_words(folder, language, FIGURES_FILE, book, lines, problems)
        if words is not None:
            translations[language] = reworded(book, words)
    if problems:
        raise RulesError(problems)
    return LoadedFigures(book, lines, translations)
