"""Memoisation of pure functions of tables (keyed by the tables' contents).

:meth:`alliance.data.Dataset.table` hands out a fresh copy of a table on every
call, so identity says nothing; a :func:`fingerprint` of the contents does. A
:class:`TableMemo` keys each entry by the fingerprints of the tables a function
reads and a hashable rest (its parameters). Bounded: the least recently used
entry is dropped beyond ``max_entries``. Entries never go stale: the key is the
input. The same table objects passed again with the same key skip the
fingerprints (a function called once per year with one set of tables): tables
handed to a memoised function are not to be modified afterwards.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

import pandas as pd

__all__ = ["TableMemo", "fingerprint"]

T = TypeVar("T")


def fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of a table's column names, dtypes and every cell (row order included)."""
    digest = hashlib.sha256()
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode("utf-8"))
    if len(frame):
        rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        digest.update(rows.tobytes())
    return digest.hexdigest()


class TableMemo(Generic[T]):
    """Results by (contents of some tables, hashable key), least recently used dropped.

    Args:
        max_entries: Entries kept [count].
    """

    def __init__(self, max_entries: int = 64) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._items: OrderedDict[tuple[Hashable, ...], T] = OrderedDict()
        self._last: tuple[tuple[pd.DataFrame, ...], Hashable, tuple[Hashable, ...]] | None = None
        self._lock = threading.Lock()

    def get(self, tables: Sequence[pd.DataFrame], key: Hashable, compute: Callable[[], T]) -> T:
        """The result for these tables' contents and ``key``; ``compute()`` if absent."""
        with self._lock:
            last = self._last
        if (last is not None and last[1] == key and len(last[0]) == len(tables)
                and all(a is b for a, b in zip(last[0], tables, strict=True))):
            full = last[2]
        else:
            full = (*(fingerprint(t) for t in tables), key)
        with self._lock:
            self._last = (tuple(tables), key, full)
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
        value = compute()
        with self._lock:
            self._items[full] = value
            self._items.move_to_end(full)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
            self._last = None
