"""Bounded, thread-safe caches of stage results and answer parts for the dashboard.

:func:`alliance.assessment.run_stages` stores each stage's results under the key
of exactly the inputs the stage reads (:func:`alliance.assessment.stage_key`:
the scenario fields it names, the Monte Carlo settings when it reads them, and
the key of the stage before). A lever change therefore changes the keys of the
stages that read it and of every stage after them; those run again, the others
are taken from here. Invalidation is by key only: an entry is never stale, it is
just no longer asked for, and the least recently used entries are dropped once
:data:`MAX_ENTRIES` is reached. One cache belongs to one Dataset (the app's).

:class:`ViewCache` holds the parts of an answer built from one lever state's
results (summary, chart series, an ally's card), under a key made of the stage
keys they are built from, so a lever state seen before is answered at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, TypeVar

from alliance.assessment import StageResults

__all__ = ["MAX_ENTRIES", "LruCache", "StageCache", "ViewCache"]

#: Stage results kept (about 6 per distinct lever setting) [count].
MAX_ENTRIES: int = 240

V = TypeVar("V")


class LruCache(MutableMapping[str, V]):
    """Least-recently-used mapping from a key to a value, bounded and thread-safe.

    Args:
        max_entries: Entries kept; the least recently used is dropped beyond it.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __getitem__(self, key: str) -> V:
        """The value stored under ``key`` (marked as recently used); KeyError if absent."""
        with self._lock:
            try:
                value = self._items[key]
            except KeyError:
                self.misses += 1
                raise
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def __setitem__(self, key: str, value: V) -> None:
        """Store ``value``; drop the least recently used entries beyond ``max_entries``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def __delitem__(self, key: str) -> None:
        """Forget ``key``."""
        with self._lock:
            del self._items[key]

    def __iter__(self) -> Iterator[str]:
        """The keys, least recently used first (a snapshot)."""
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        """Entries held."""
        with self._lock:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """Entries, hits and misses since the cache was made."""
        with self._lock:
            return {"entries": len(self._items), "hits": self.hits, "misses": self.misses}

    def remember(self, key: str, compute: Callable[[], V]) -> V:
        """The value under ``key``; computed by ``compute()`` and stored when absent."""
        try:
            return self[key]
        except KeyError:
            value = compute()
            self[key] = value
            return value


class StageCache(LruCache[StageResults]):
    """Stage key -> the results after that stage (:func:`alliance.assessment.run_stages`)."""


class ViewCache(LruCache[Any]):
    """Key of the results an answer part is built from -> that part (plain JSON)."""
