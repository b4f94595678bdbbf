"""Read a YAML file into plain data while remembering the line of every value.

PyYAML follows YAML 1.1, where an unquoted `no` is false, `1.10` is the number 1.1 and
`12:30` is 750. In a clinical rules file each of those silently changes a meaning, so we
build values from the parsed node tree ourselves and accept only a small, unsurprising set
of plain scalars: text, whole numbers, true/false and null. Anything else is a problem
reported with its line, and so is a key written twice (PyYAML would keep the last one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recommender.model.problems import Location, Problem, line_in

_INTEGER = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_DECIMAL = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9]+(:[0-5]?[0-9])+(\.[0-9]*)?")
_YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}
_SPECIAL_FLOATS = {".inf", "-.inf", "+.inf", ".nan"}


@dataclass
class YamlDocument:
    """The plain data of one file, and the line (1-based) each location in it starts on."""

    path: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of `location`, or of the nearest enclosing value that has one."""
        return line_in(self.lines, location)


def read_yaml(path: Path, display_path: str) -> tuple[YamlDocument | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(display_path, None, f"cannot read the file: {error}")]
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        return None, [Problem(display_path, line, f"not valid YAML: {error.problem}")]
    document = YamlDocument(path=path, data=None)
    problems: list[Problem] = []
    if root is None:
        return None, [Problem(display_path, 1, "the file is empty")]
    document.data = _value(root, (), document, problems, display_path)
    return document, problems


def _compose(text: str) -> yaml.Node | None:
    """The node tree of `text`. libyaml's parser, where PyYAML was built with it, is about ten
    times faster, which is most of a start-up; a file it refuses is parsed again by PyYAML's
    own, whose messages say better what is wrong."""
    if getattr(yaml, "__with_libyaml__", False):
        try:
            return yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.MarkedYAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _value(node: yaml.Node, location: Location, document: YamlDocument,
           problems: list[Problem], display_path: str) -> Any:
    line = node.start_mark.line + 1
    document.lines.setdefault(location, line)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _value(key_node, location, document, problems, display_path)
            if not isinstance(key, (str, int)):
                problems.append(Problem(display_path, key_node.start_mark.line + 1,
                                        "a key must be a plain word or number"))
                continue
            if key in result:
                problems.append(Problem(display_path, key_node.start_mark.line + 1,
                                        f"'{key}' is written twice in the same block"))
                continue
            document.lines[location + (key,)] = key_node.start_mark.line + 1
            result[key] = _value(value_node, location + (key,), document, problems, display_path)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, location + (index,), document, problems, display_path)
                for index, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    if node.style:  # quoted or block text: always a string, exactly as written (plain is None or "")
        return node.value
    value, complaint = _plain_scalar(node.value)
    if complaint:
        problems.append(Problem(display_path, line, complaint))
    return value


def _plain_scalar(text: str) -> tuple[Any, str | None]:
    lowered = text.lower()
    if text in ("true", "false"):
        return text == "true", None
    if text in ("", "~", "null"):
        return None, None
    if lowered in _YAML11_BOOLEANS or lowered in ("true", "false", "null"):
        return text, (f"'{text}' is ambiguous (YAML reads it as true/false/null): "
                      f"write true, false or null in lower case, or put it in quotes if you mean the word")
    if _INTEGER.fullmatch(text):
        return int(text), None
    if _LEADING_ZERO.fullmatch(text):
        return text, f"'{text}' has a leading zero (YAML may read it as octal): remove the zero or quote it"
    if _DECIMAL.fullmatch(text) or lowered in _SPECIAL_FLOATS:
        return text, (f"'{text}' would be read as a decimal number (1.10 becomes 1.1): "
                      f"the rules use whole numbers only; quote it if you mean text such as a version")
    if _SEXAGESIMAL.fullmatch(text):
        return text, f"'{text}' would be read as a base-60 number (12:30 becomes 750): put it in quotes"
    return text, None
