"""Check a parsed file against its model, and say what is wrong in a clinician's words."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from recommender.loading.yamlfile import YamlDocument
from recommender.model.problems import Problem

M = TypeVar("M", bound=BaseModel)


def validate_document(document: YamlDocument, model: type[M], display: str,
                      problems: list[Problem]) -> M | None:
    """The document as `model`, or None with each mistake added to `problems` at its line."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors():
            location = tuple(detail["loc"])
            problems.append(Problem(display, document.line_of(location),
                                    _explain(detail, location, model)))
        return None


def _explain(detail: Any, location: tuple[Any, ...], model: type[BaseModel]) -> str:
    where = ".".join(str(part) for part in location)
    kind = detail["type"]
    if kind == "extra_forbidden":
        key = str(location[-1])
        hint = did_you_mean(key, _known_keys(model, location[:-1]))
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return f"'{where}' is missing"
    message = detail["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _known_keys(model: type[BaseModel], location: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return []
        current = _model_inside(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_inside(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_inside(argument)
        if found is not None:
            return found
    return None


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
