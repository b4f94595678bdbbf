"""Editing JSON resources in tests, to make them broken in a chosen place."""

from __future__ import annotations

from typing import Any


def put_at(resource: Any, path: tuple[Any, ...], value: Any) -> None:
    """Set `value` at `path` inside nested dicts and lists; a path that does not exist is left alone."""
    *parents, last = path
    for part in parents:
        try:
            resource = resource[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(resource, dict) or (isinstance(resource, list) and isinstance(last, int) and last < len(resource)):
        resource[last] = value
