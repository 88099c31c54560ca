"""Bounded, thread-safe caches of stage results and answer parts for the dashboard.

:func:`alliance.assessment.run_stages` stores each stage's results under the key
of exactly the inputs the stage reads (:func:`alliance.assessment.stage_keys`:
the scenario fields it names, the Monte Carlo settings when it reads them, and
the keys of the stages it needs). A lever change therefore changes the keys of the
stages that read it and of the stages that use their results; those run again,
the others are taken from here. Invalidation is by key only: an entry is never stale, it is
just no longer asked for, and the least recently used entries are dropped once
:data:`MAX_ENTRIES` is reached. One cache belongs to one Dataset (the app's).

:class:`ViewCache` holds the parts of an answer built from one lever state's
results (summary, chart series, an ally's card), under a key made of the stage
keys they are built from, so a lever state seen before is answered at once.
"""

from __future__ import annotations

from typing import Any

from alliance.assessment import StageResults
from alliance.memo import LruCache

__all__ = ["MAX_ENTRIES", "StageCache", "ViewCache"]

#: Stage results kept (about 6 per distinct lever setting) [count].
MAX_ENTRIES: int = 240


class StageCache(LruCache[str, StageResults]):
    """Stage key -> the results after that stage (:func:`alliance.assessment.run_stages`)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        super().__init__(max_entries)


class ViewCache(LruCache[str, Any]):
    """Key of the results an answer part is built from -> that part (plain JSON)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        super().__init__(max_entries)
