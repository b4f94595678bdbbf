"""Results kept by the identity of their arguments, for the web layer's parts of a response
that depend only on shared objects of the engine.

The engine hands out the same tier, exercise and safety-net objects to everyone whose plan
shares them (recommender/engine/memo.py). A result worked out from such objects is kept with
the objects themselves, so that their ids cannot be reused while the entry lives, and is
found again only when every argument is the very same object (or an equal str, bool or int;
a list counts by its items). The bound keeps memory predictable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

R = TypeVar("R")


class ByIdentity(Generic[R]):
    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._kept: dict[Hashable, tuple[tuple[Any, ...], R]] = {}
        self._writing = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def recall(self, name: str, args: tuple[Any, ...], work_out: Callable[[], R]) -> R:
        key = (name, *(_identity(arg) for arg in args))
        found = self._kept.get(key)
        if found is not None and _same(found[0], args):
            return found[1]
        result = work_out()
        with self._writing:
            if len(self._kept) >= self.capacity:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = (tuple(list(arg) if isinstance(arg, list) else arg for arg in args), result)
        return result


def _plain(value: Any) -> bool:
    return isinstance(value, str | bool | int) or value is None


def _identity(arg: Any) -> Hashable:
    if _plain(arg):
        return arg  # type: ignore[no-any-return]
    if isinstance(arg, list):
        return ("list", *(_identity(item) for item in arg))
    return id(arg)


def _same(kept: tuple[Any, ...], args: tuple[Any, ...]) -> bool:
    if len(kept) != len(args):
        return False
    for was, now in zip(kept, args, strict=True):
        if isinstance(now, list):
            if not isinstance(was, list) or not _same(tuple(was), tuple(now)):
                return False
        elif _plain(now):
            if type(was) is not type(now) or was != now:
                return False
        elif was is not now:
            return False
    return True
