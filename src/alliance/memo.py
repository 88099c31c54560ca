"""Memoisation of pure functions of bundled tables (keyed by the tables' identity).

A Dataset's tables are built once and never modified, so a result computed from
them can be kept for as long as the same table objects are passed again. An
:class:`IdentityMemo` keys each entry by the identity of the tables and a
hashable rest (parameters), and keeps the tables in the entry, so an identity
cannot be reused by another object while the entry lives. Bounded: the least
recently used entry is dropped beyond ``max_entries``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

__all__ = ["IdentityMemo"]

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    """Results by (identity of some objects, hashable key), least recently used dropped.

    Args:
        max_entries: Entries kept [count].
    """

    def __init__(self, max_entries: int = 64) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._items: OrderedDict[tuple[Hashable, ...], tuple[tuple[object, ...], T]] = (
            OrderedDict())
        self._lock = threading.Lock()

    def get(self, objects: Sequence[object], key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``objects`` (by identity) and ``key``; ``compute()`` if absent."""
        full = (*(id(o) for o in objects), key)
        with self._lock:
            hit = self._items.get(full)
            if hit is not None and all(a is b for a, b in zip(hit[0], objects, strict=True)):
                self._items.move_to_end(full)
                return hit[1]
        value = compute()
        with self._lock:
            self._items[full] = (tuple(objects), value)
            self._items.move_to_end(full)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
