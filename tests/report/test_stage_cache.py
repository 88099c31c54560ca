"""The stage cache: keys hash exactly what a stage reads; a cached run equals a fresh one."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from alliance.assessment import STAGES, RunSettings, StageResults, assess_scenario, stage_key
from alliance.data import Dataset
from alliance.scenario import Scenario, apply_overrides, load_scenario
from alliance.web.cache import StageCache

SETTINGS = RunSettings(draws=1000, seed=7)


def _keys(scenario: Scenario, settings: RunSettings) -> dict[str, str]:
    keys, key = {}, ""
    for stage in STAGES:
        key = stage_key(stage, scenario, settings, key)
        keys[stage.name] = key
    return keys


def _changed(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return [name for name in a if a[name] != b[name]]


def test_more_draws_invalidate_only_the_stages_that_read_the_settings() -> None:
    base = load_scenario("baseline")
    before = _keys(base, SETTINGS)
    after = _keys(base, RunSettings(draws=2000, seed=7))
    readers = [s.name for s in STAGES if s.reads is None or "settings" in s.reads]
    first = min(i for i, s in enumerate(STAGES) if s.name in readers)
    assert _changed(before, after) == [s.name for s in STAGES[first:]]
    assert "spending" not in _changed(before, after)


def test_pooled_share_keeps_spending_and_capabilities() -> None:
    base = load_scenario("baseline")
    moved = apply_overrides(base, {"planning.pooled_share": 0.4})
    changed = _changed(_keys(base, SETTINGS), _keys(moved, SETTINGS))
    assert {"spending", "ukraine", "capabilities"}.isdisjoint(changed)
    assert changed[0] == "planning" and "deterrence" in changed


def test_spending_path_invalidates_everything() -> None:
    base = load_scenario("baseline")
    moved = apply_overrides(base, {"spending.path": "frozen"})
    assert _changed(_keys(base, SETTINGS), _keys(moved, SETTINGS)) == [s.name for s in STAGES]


class _Recorder:
    """A scenario stand-in that records which top-level fields a stage reads."""

    def __init__(self, scenario: Scenario) -> None:
        object.__setattr__(self, "_scenario", scenario)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._scenario, name)


def test_every_stage_declares_the_fields_it_reads(dataset: Dataset) -> None:
    # A field read but not declared would let a stale result out of the cache.
    scenario = load_scenario("europe-alone")
    done = StageResults()
    for stage in STAGES:
        recorder = _Recorder(scenario)
        done = stage.run(dataset, recorder, done, SETTINGS)  # type: ignore[arg-type]
        if stage.reads is None:
            continue
        derived = {"years"}  # a property of base_year..horizon, which every stage declares
        undeclared = recorder.read - set(stage.reads) - derived
        assert not undeclared, f"stage {stage.name} reads {sorted(undeclared)} undeclared"


def test_a_cached_run_equals_a_fresh_run(dataset: Dataset) -> None:
    cache = StageCache()
    base = load_scenario("baseline")
    assess_scenario(dataset, base, SETTINGS, cache=cache)
    moved = apply_overrides(base, {"us_commitment.sustainment": 0.4})
    cached = assess_scenario(dataset, moved, SETTINGS, cache=cache)
    assert cache.hits >= 1  # spending came from the cache
    fresh = assess_scenario(dataset, moved, SETTINGS)
    for name, table in fresh.tables().items():
        pd.testing.assert_frame_equal(cached.tables()[name], table, obj=name)
    assert cached.summary(2030) == fresh.summary(2030)


def test_the_cache_drops_the_least_recently_used_entry() -> None:
    cache = StageCache(max_entries=2)
    a, b, c = StageResults(), StageResults(), StageResults()
    cache["a"], cache["b"] = a, b
    assert cache["a"] is a  # a is now the most recently used
    cache["c"] = c
    assert set(cache) == {"a", "c"}
    assert cache.get("b") is None
    assert cache.stats() == {"entries": 2, "hits": 1, "misses": 1}
    with pytest.raises(ValueError):
        StageCache(max_entries=0)
