"""The stage cache: keys hash exactly what a stage reads; a cached run equals a fresh one."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest
from pydantic import BaseModel

from alliance.assessment import (
    STAGES,
    RunSettings,
    StageResults,
    assess_scenario,
    run_stages,
    stage_keys,
)
from alliance.data import Dataset
from alliance.memo import fingerprint
from alliance.scenario import apply_overrides, load_scenario
from alliance.web.cache import StageCache

SETTINGS = RunSettings(draws=1000, seed=7)
_keys = stage_keys


def _changed(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return [name for name in a if a[name] != b[name]]


def test_more_draws_invalidate_only_the_stages_that_read_the_settings() -> None:
    base = load_scenario("baseline")
    before = _keys(base, SETTINGS)
    after = _keys(base, RunSettings(draws=2000, seed=7))
    readers = [s.name for s in STAGES if s.reads is None or "settings" in s.reads]
    assert _changed(before, after) == readers == ["deterrence"]


def test_pooled_share_keeps_spending_and_capabilities() -> None:
    base = load_scenario("baseline")
    moved = apply_overrides(base, {"planning.pooled_share": 0.4})
    changed = _changed(_keys(base, SETTINGS), _keys(moved, SETTINGS))
    assert {"spending", "ukraine", "capabilities"}.isdisjoint(changed)
    assert changed[0] == "planning" and "deterrence" in changed


def test_us_forces_keep_the_ukraine_stage_and_sustainment_keeps_nothing_it_does_not_read() -> None:
    # The dashboard's US commitment lever moves forces in place and reinforcements:
    # Ukraine support reads arms sales only. Sustainment is not read by the forces.
    base = load_scenario("baseline")
    forces = apply_overrides(base, {"us_commitment.forces_in_place": 0.5,
                                    "us_commitment.reinforcements": 0.5})
    assert _changed(_keys(base, SETTINGS), _keys(forces, SETTINGS)) == [
        "capabilities", "planning", "asw", "mobility", "deterrence"]
    sustained = apply_overrides(base, {"us_commitment.sustainment": 0.5})
    assert "ukraine" not in _changed(_keys(base, SETTINGS), _keys(sustained, SETTINGS))
    permits = apply_overrides(base, {"mobility.permit_regime": "eu_6h"})
    assert _changed(_keys(base, SETTINGS), _keys(permits, SETTINGS)) == [
        "mobility", "deterrence"]


def test_spending_path_invalidates_the_stages_that_use_spending() -> None:
    base = load_scenario("baseline")
    moved = apply_overrides(base, {"spending.path": "frozen"})
    assert _changed(_keys(base, SETTINGS), _keys(moved, SETTINGS)) == [
        "spending", "ukraine", "planning", "asw", "mobility", "deterrence"]


class _Recorder:
    """A scenario stand-in that records which fields a stage reads.

    A top-level field the stage declares only in part (``us_commitment.sustainment``)
    is handed out as a recorder too, so the fields read inside it are recorded.
    """

    def __init__(self, obj: Any, prefix: str, partial: set[str], read: set[str]) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "_partial", partial)
        object.__setattr__(self, "read", read)

    def __getattr__(self, name: str) -> Any:
        path = f"{self._prefix}{name}"
        self.read.add(path)
        value = getattr(self._obj, name)
        if path in self._partial and isinstance(value, BaseModel):
            return _Recorder(value, f"{path}.", set(), self.read)
        return value


def _undeclared(read: set[str], declared: set[str]) -> set[str]:
    """Paths read that no declared field covers (a declared field covers its insides)."""
    def covered(path: str) -> bool:
        return any(path == d or path.startswith(f"{d}.") or d.startswith(f"{path}.")
                   for d in declared)
    return {p for p in read if not covered(p)}


def test_every_stage_declares_the_fields_it_reads(dataset: Dataset) -> None:
    # A field read but not declared would let a stale result out of the cache.
    scenario = load_scenario("europe-alone")
    done = StageResults()
    for stage in STAGES:
        declared = set(stage.reads or ()) | {"years"}  # years: a property of base_year..horizon
        partial = {d.split(".")[0] for d in declared if "." in d} - declared
        recorder = _Recorder(scenario, "", partial, set())
        done = stage.run(dataset, recorder, done, SETTINGS)  # type: ignore[arg-type]
        if stage.reads is None:
            continue
        undeclared = _undeclared(recorder.read, declared)
        assert not undeclared, f"stage {stage.name} reads {sorted(undeclared)} undeclared"


def test_the_recorder_sees_a_field_read_inside_a_partly_declared_one() -> None:
    # the check above would pass vacuously if reads inside us_commitment went unseen
    recorder = _Recorder(load_scenario("baseline"), "", {"us_commitment"}, set())
    recorder.us_commitment.sustainment.at(2030)
    assert _undeclared(recorder.read, {"us_commitment.arms_sales"}) == {
        "us_commitment.sustainment"}


def test_every_stage_needs_and_produces_what_it_declares(dataset: Dataset) -> None:
    # Each stage, given only the results of the stages it needs, produces what the
    # full chain produces, and sets no field it does not declare.
    scenario = load_scenario("europe-alone")
    full = run_stages(dataset, scenario, SETTINGS)
    fields = [f.name for f in dataclasses.fields(StageResults)]
    by_name = {s.name: s for s in STAGES}
    for stage in STAGES:
        given = {f for n in stage.needs for f in by_name[n].produces}
        done = StageResults(**{f: getattr(full, f) for f in given})
        out = stage.run(dataset, scenario, done, SETTINGS)
        changed = {f for f in fields if getattr(out, f) is not getattr(done, f)}
        assert changed == set(stage.produces), stage.name
        for f in stage.produces:
            mine, theirs = getattr(out, f), getattr(full, f)
            if isinstance(mine, pd.DataFrame):
                pd.testing.assert_frame_equal(mine, theirs, obj=f"{stage.name}.{f}")
    assert sorted(f for s in STAGES for f in s.produces) == sorted(fields)


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


def test_a_run_leaves_the_loaded_tables_as_loaded(dataset: Dataset) -> None:
    # Stages read the Dataset's loaded frames themselves (Dataset.frames, for the
    # memos): none may modify them. Fresh copies from the files are the reference.
    from alliance.data.loader import _load_cached

    _load_cached.cache_clear()
    try:
        fresh = _load_cached(None)
    finally:
        _load_cached.cache_clear()
    for name in ("europe-alone", "us-drawdown"):
        assess_scenario(dataset, load_scenario(name), SETTINGS)
    for name in dataset.table_names():
        assert fingerprint(dataset.tables[name]) == fingerprint(fresh.tables[name]), name


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
