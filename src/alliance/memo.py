"""Memoisation of pure functions of tables (keyed by the tables' contents).

:meth:`alliance.data.Dataset.table` hands out a fresh copy of a table on every
call, so identity says nothing; a :func:`fingerprint` of the contents does. A
:class:`TableMemo` keys each entry by the fingerprints of the tables a function
reads and a hashable rest (its parameters). Bounded: the least recently used
entry is dropped beyond ``max_entries``. Entries never go stale: the key is the
input. A table object's fingerprint is remembered while the object lives, so
the same objects passed again (a Dataset's loaded frames, :meth:`Dataset.frames`)
are not hashed again: tables handed to a memoised function are not to be
modified afterwards.

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
from collections.abc import Callable, Hashable, Iterator, MutableMapping, Sequence
from typing import Any, Generic, TypeVar

import pandas as pd

__all__ = ["LruCache", "TableMemo", "clear_all", "fingerprint", "memoised", "per_result",
           "remembered_fingerprint"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(MutableMapping[K, V]):
    """Least-recently-used mapping from a key to a value, bounded and thread-safe.

    Args:
        max_entries: Entries kept; the least recently used is dropped beyond it.
    """

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __getitem__(self, key: K) -> V:
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

    def __setitem__(self, key: K, value: V) -> None:
        """Store ``value``; drop the least recently used entries beyond ``max_entries``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def __delitem__(self, key: K) -> None:
        """Forget ``key``."""
        with self._lock:
            del self._items[key]

    def __iter__(self) -> Iterator[K]:
        """The keys, least recently used first (a snapshot)."""
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        """Entries held."""
        with self._lock:
            return len(self._items)

    def clear(self) -> None:
        """Forget every entry (the hit and miss counts stay)."""
        with self._lock:
            self._items.clear()

    def stats(self) -> dict[str, int]:
        """Entries, hits and misses since the cache was made."""
        with self._lock:
            return {"entries": len(self._items), "hits": self.hits, "misses": self.misses}

    def remember(self, key: K, compute: Callable[[], V]) -> V:
        """The value under ``key``; computed by ``compute()`` and stored when absent."""
        try:
            return self[key]
        except KeyError:
            value = compute()
            self[key] = value
            return value




#: Every memo of the model, for :func:`clear_all` (weak: a memo that is gone is dropped).
_REGISTRY: weakref.WeakSet[Any] = weakref.WeakSet()


def memoised(maxsize: int) -> Callable[[Callable[..., T]], functools._lru_cache_wrapper[T]]:
    """:func:`functools.lru_cache` with ``maxsize`` entries, registered for :func:`clear_all`.

    For pure functions of hashable inputs: the arguments are the key, so an entry is
    never stale. Treat what a memoised function returns as read-only.
    """
    def decorate(fn: Callable[..., T]) -> functools._lru_cache_wrapper[T]:
        wrapped = functools.lru_cache(maxsize=maxsize)(fn)
        _REGISTRY.add(wrapped)
        return wrapped
    return decorate


#: Fingerprints of live table objects, by id (the weak reference tells a reused id apart).
_KNOWN: dict[int, tuple[weakref.ref[pd.DataFrame], str]] = {}
_KNOWN_LOCK = threading.Lock()


def _forget_id(ident: int, ref: weakref.ref[pd.DataFrame]) -> None:
    """Drop the fingerprint of a table object that is gone (unless its id was reused)."""
    with _KNOWN_LOCK:
        if ident in _KNOWN and _KNOWN[ident][0] is ref:
            del _KNOWN[ident]


def remembered_fingerprint(frame: pd.DataFrame) -> str:
    """:func:`fingerprint` of ``frame``, computed once per live object (not to be modified)."""
    ident = id(frame)
    with _KNOWN_LOCK:
        entry = _KNOWN.get(ident)
    if entry is not None and entry[0]() is frame:
        return entry[1]
    value = fingerprint(frame)
    ref = weakref.ref(frame, functools.partial(_forget_id, ident))
    with _KNOWN_LOCK:
        _KNOWN[ident] = (ref, value)
    return value


def per_result(maxsize: int) -> Callable[[F], F]:
    """Memoise a pure function of stage results by their identity (and other args by value).

    For the parts of an answer built from one stage's results (a summary section, a
    chart's series): a stage result reused from the stage cache is the same object,
    so its parts are not built again. Arguments that can be weakly referenced (results,
    the Dataset) are keyed by identity while they live; the rest by value (hashable).
    Results are read-only; treat what the function returns as read-only too.
    """
    def decorate(fn: F) -> F:
        entries: LruCache[tuple[Hashable, ...], tuple[list[weakref.ref[Any]], Any]] = (
            LruCache(maxsize))

        def key_of(args: tuple[Any, ...]) -> tuple[tuple[Hashable, ...], list[weakref.ref[Any]]]:
            key: list[Hashable] = []
            refs: list[weakref.ref[Any]] = []
            for arg in args:
                try:
                    refs.append(weakref.ref(arg))
                    key.append(("id", id(arg)))
                except TypeError:  # a plain value (int, str, tuple): keyed by value
                    key.append(("value", arg))
            return tuple(key), refs

        @functools.wraps(fn)
        def wrapped(*args: Any) -> Any:
            key, refs = key_of(args)
            hit = entries.get(key)
            # the same live objects (an id of a dead object may have been reused)
            if hit is not None and all(a() is b() for a, b in zip(hit[0], refs, strict=True)):
                return hit[1]
            value = fn(*args)
            entries[key] = (refs, value)
            return value

        cache_clear = entries.clear
        wrapped.cache_clear = cache_clear  # type: ignore[attr-defined]
        _REGISTRY.add(wrapped)
        return wrapped  # type: ignore[return-value]
    return decorate


def clear_all() -> None:
    """Forget every registered memo (each TableMemo, each :func:`memoised` function)."""
    with _KNOWN_LOCK:
        _KNOWN.clear()
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
        self._items: LruCache[tuple[Hashable, ...], T] = LruCache(max_entries)
        _REGISTRY.add(self)

    def get(self, tables: Sequence[pd.DataFrame], key: Hashable, compute: Callable[[], T]) -> T:
        """The result for these tables' contents and ``key``; ``compute()`` if absent."""
        full = (*(remembered_fingerprint(t) for t in tables), key)
        return self._items.remember(full, compute)

    def clear(self) -> None:
        """Forget every entry."""
        self._items.clear()
