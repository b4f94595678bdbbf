"""The rules in other languages: each rules file's words, given once per language in a file of
the same name in the language's folder (rules/es/exercises.yaml for rules/exercises.yaml).

A words file maps each English text, exactly as the rules file writes it, to the words in its
language. Keyed by the English itself, not by where it stands, a changed English sentence
shows up at once as words missing for the new one and words left over for the old one, each
reported with its file and line; so does a `{placeholder}` the translation drops or renames.
Only text a person reads is translated (the rules models mark it as `Text`): ids, option values
and numbers are the same in every language, so every language's rules decide alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from recommender.loading.yamlfile import read_yaml
from recommender.model.problems import Location, Problem, SourceLines
from recommender.model.rules import WORDS

REVIEWS = ("needed", "done")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def english_words(model: BaseModel) -> list[tuple[Location, str]]:
    """Every text a person reads in `model`, with where it stands in its file."""
    found: list[tuple[Location, str]] = []

    def note(text: str, location: Location) -> str:
        found.append((location, text))
        return text

    _reword(model, False, (), note)
    return found


def reworded(model: Any, words: Mapping[str, str]) -> Any:
    """`model` with every text a person reads given in `words`' language instead."""
    return _reword(model, False, (), lambda text, _: words[text])


def read_words(folder: Path, language: str, file: str, source: BaseModel, lines: SourceLines,
               problems: list[Problem]) -> dict[str, str] | None:
    """The words of `folder/file` in `language`, checked against its English: every text has
    words, none is left over, each keeps the English's placeholders. None if any is wrong,
    with the problems added."""
    display = f"{folder.name}/{language}/{file}"
    document, found = read_yaml(folder / language / file, display)
    problems += found
    if document is None:
        return None
    data = document.data
    before = len(problems)
    if not isinstance(data, dict) or set(data) != {"review", "words"}:
        problems.append(Problem(display, 1, "a words file has two keys: review (needed or done) and words"))
        return None
    if data["review"] not in REVIEWS:
        problems.append(Problem(display, document.line_of(("review",)),
                                "review is 'needed' until a clinician who reads the language has "
                                "checked every line, then 'done'"))
    given = data["words"] if isinstance(data["words"], dict) else {}
    if not isinstance(data["words"], dict):
        problems.append(Problem(display, document.line_of(("words",)), "words maps each English text to its words"))
    english: dict[str, Location] = {}
    for location, text in english_words(source):
        english.setdefault(text, location)
    for text, location in english.items():
        if text not in given:
            where = lines.problem(file, location, "")
            problems.append(Problem(display, document.line_of(("words",)),
                                    f"no words for \"{_short(text)}\" ({where.path}:{where.line})"))
    for text, translation in given.items():
        line = document.line_of(("words", text))
        if text not in english:
            problems.append(Problem(display, line, f"\"{_short(str(text))}\" is not in {folder.name}/{file}: "
                                                   "remove it, or write it as the English now reads"))
        elif not isinstance(translation, str) or not translation.strip():
            problems.append(Problem(display, line, f"the words for \"{_short(text)}\" are empty"))
        elif sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(translation)):
            problems.append(Problem(display, line, f"the words must keep the English's placeholders "
                                                   f"{sorted(set(_PLACEHOLDER.findall(text))) or 'none'}, "
                                                   f"as written: they are filled in when shown"))
    if len(problems) > before:
        return None
    return {text: given[text].strip() for text in english}


def words_file(file: str, language: str, english: BaseModel, given: Mapping[str, str], review: str) -> str:
    """A words file for `file` in `language`: every English text of it in order, with the words
    `given` for it, or "" to fill in."""
    texts = list(dict.fromkeys(text for _, text in english_words(english)))
    lines = [f"# The words of {file} in the language '{language}': each English text, exactly as it is",
             "# written there, then its words. Placeholders such as {tier} stay as they are. `review` stays",
             "# \"needed\" until a clinician who reads the language has checked every line against the English.",
             f"review: {json.dumps(review)}", "words:"]
    for text in texts:
        words = given.get(text, "")
        lines += [f"  {json.dumps(text, ensure_ascii=False)}:", f"    {json.dumps(words, ensure_ascii=False)}"]
    return "\n".join(lines) + "\n"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _reword(value: Any, are_words: bool, location: Location, change: Callable[[str, Location], str]) -> Any:
    if isinstance(value, BaseModel):
        updates = {}
        for name, field_words in _fields(type(value)):
            before = getattr(value, name)
            after = _reword(before, field_words, location + (name,), change)
            if after is not before:
                updates[name] = after
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, str):
        return change(value, location) if are_words else value
    if isinstance(value, (list, tuple)):
        items = [_reword(item, are_words, location + (index,), change) for index, item in enumerate(value)]
        if all(after is before for after, before in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        changed = {key: _reword(item, are_words, location + (key,), change) for key, item in value.items()}
        if all(changed[key] is item for key, item in value.items()):
            return value
        return changed
    return value


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """Each field of `model`, and whether its type holds words itself."""
    return tuple((name, WORDS in info.metadata or _mentions_words(info.annotation))
                 for name, info in model.model_fields.items())


def _mentions_words(annotation: Any) -> bool:
    """Whether a field's type holds words itself (Text, Text | None, list[Text], ...), rather
    than in models of its own, which are walked in turn."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return WORDS in get_args(annotation)[1:] or _mentions_words(get_args(annotation)[0])
    if origin in (Union, UnionType, list, tuple, dict):
        return any(_mentions_words(arg) for arg in get_args(annotation))
    return False
