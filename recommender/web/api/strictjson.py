"""JSON read strictly: a key given twice in one object is refused, naming the key.

Python's json module, like most parsers, keeps the last of two duplicate keys without a word,
so `{"age": 17, "age": 40}` could pass one check and mean something else to another reader.
"""

from __future__ import annotations

import json
from typing import Any


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"The key \u201c{key}\u201d is given more than once. Give each answer once.")
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        found[key] = value
    return found


def loads(body: bytes | str) -> Any:
    """The parsed body; ValueError if it is not JSON, DuplicateKey (a ValueError) for a repeat."""
    return json.loads(body, object_pairs_hook=_refuse_duplicates)
