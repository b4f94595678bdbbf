"""One bounded memo for everything the engine remembers between requests.

The answer space is finite and the same few decisions, plans and reasons recur across
people, so the engine keeps recent results of its pure functions here, keyed by the
function and its arguments (a `Ruleset` counts by identity, so results from one ruleset are
never served from another). One store with one bound keeps memory predictable, and
`forget_everything` empties all of it, so a timing of "nothing remembered" is honest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_MISSING = object()


class Memo:
    """Results of pure functions, at most `capacity` of them; the oldest go first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._kept: dict[Hashable, object] = {}
        # Reads need no lock (a dict lookup is atomic); writes take it so two threads
        # cannot both evict the same oldest entry.
        self._writing = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def recall(self, key: Hashable, work_out: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """The result kept under `key`, or `work_out(*args, **kwargs)` kept there now. For a
        result that depends on less than the arguments at hand: the key names exactly what it
        depends on, and must say whose result it is."""
        found = self._kept.get(key, _MISSING)
        if found is _MISSING:
            found = self._keep(key, work_out(*args, **kwargs))
        return found  # type: ignore[return-value]  # kept by the caller that owns this key

    def remembered(self, function: Callable[P, R]) -> Callable[P, R]:
        """`function`, answering from the memo when it was called with the same arguments.
        Its arguments must be hashable and its result must be treated as read-only."""
        kept = self._kept

        # On every request, so the lookup is written out here rather than through recall().
        @wraps(function)
        def remembering(*args: P.args, **kwargs: P.kwargs) -> R:
            key = (function, args, tuple(kwargs.items())) if kwargs else (function, args)
            found = kept.get(key, _MISSING)
            if found is _MISSING:
                found = self._keep(key, function(*args, **kwargs))
            return found  # type: ignore[return-value]  # kept by this function, for this key

        return remembering

    def _keep(self, key: Hashable, result: object) -> object:
        with self._writing:
            if len(self._kept) >= self.capacity:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = result
        return result

    def forget(self) -> None:
        with self._writing:
            self._kept.clear()


# Enough for every plan limit x starting tier x common equipment sets, and the decisions and
# reasons around them, at a few kilobytes each.
MEMO = Memo(capacity=16_384)
remembered = MEMO.remembered
recall = MEMO.recall


def forget_everything() -> None:
    """Empty the memo, so the next answer is worked out from scratch (for timing)."""
    MEMO.forget()
