"""The caches a recommender owns: each keeps the results of one pure step, keyed by exactly the
arguments the step takes.

A step is cached only where its arguments are a projection of the answers (the few it reads),
so the key cannot leave out something the result depends on: there is no key to write by hand.
Each cache is bounded by entries, with the worst case in bytes stated where it is made, and
counts its hits and misses for the benchmark. A recommender made with caching off keeps nothing,
which the tests use to hold cached and fresh answers identical.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple, TypeVar, cast

F = TypeVar("F", bound=Callable[..., object])


class CacheStats(NamedTuple):
    hits: int
    misses: int
    entries: int
    bound: int

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0


class Caches:
    """Named, bounded caches of pure functions (least recently used go first)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._kept: dict[str, Callable[..., object]] = {}
        self._bounds: dict[str, int] = {}

    def cached(self, name: str, function: F, bound: int) -> F:
        """`function`, answering from a cache of at most `bound` results when called again with
        equal arguments. Its arguments must be hashable and say everything its result depends on;
        its result must be treated as read-only."""
        kept = lru_cache(maxsize=bound if self.enabled else 0)(function)
        self._kept[name] = kept
        self._bounds[name] = bound if self.enabled else 0
        return cast(F, kept)

    def stats(self) -> dict[str, CacheStats]:
        found = {}
        for name, kept in self._kept.items():
            info = kept.cache_info()  # type: ignore[attr-defined]  # an lru_cache wrapper
            found[name] = CacheStats(info.hits, info.misses, info.currsize, self._bounds[name])
        return found
