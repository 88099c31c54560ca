"""Memoisation of pure functions of tables (keyed by the tables' contents).

:meth:`alliance.data.Dataset.table` hands out a fresh copy of a table on every
call, so identity says nothing; a :func:`fingerprint` of the contents does. A
:class:`TableMemo` keys each entry by the fingerprints of the tables a function
reads and a hashable rest (its parameters). Bounded: the least recently used
entry is dropped beyond ``max_entries``. Entries never go stale: the key is the
input. The same table objects passed again with the same key skip the
fingerprints (a function called once per year with one set of tables): tables
handed to a memoised function are not to be modified afterwards.

Every memo of the model (each :class:`TableMemo`, and each function decorated
with :func:`memoised`) is registered here, so :func:`clear_all` can forget them
all: a benchmark that measures a run from nothing calls it; results never go
stale (the memos are keyed by their inputs), so nothing else needs to.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

import pandas as pd

__all__ = ["TableMemo", "clear_all", "fingerprint", "memoised"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


#: Every memo of the model, for :func:`clear_all` (weak: a memo that is gone is dropped).
_REGISTRY: weakref.WeakSet[Any] = weakref.WeakSet()


def memoised(maxsize: int) -> Callable[[F], F]:
    """:func:`functools.lru_cache` with ``maxsize`` entries, registered for :func:`clear_all`.

    For pure functions of hashable inputs: the arguments are the key, so an entry is
    never stale. Treat what a memoised function returns as read-only.
    """
    def decorate(fn: F) -> F:
        wrapped = functools.lru_cache(maxsize=maxsize)(fn)
        _REGISTRY.add(wrapped)
        return wrapped  # type: ignore[return-value]
    return decorate


def clear_all() -> None:
    """Forget every registered memo (each TableMemo, each :func:`memoised` function)."""
    for memo in list(_REGISTRY):
        if isinstance(memo, TableMemo):
            memo.clear()
        else:
            memo.cache_clear()


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
        _REGISTRY.add(self)

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
