"""Parameter sweeps of the crisis Monte Carlo on Dask.

A sweep is a grid of scenario overrides (the cartesian product of the values
given per dotted parameter path) x years. Each grid point is one task: apply the
overrides to the scenario, build the per-year context, run
:func:`alliance.deterrence.simulate` with the sweep's draws and seed. Tasks run
on a Dask distributed cluster (a local one with 2 worker processes by default,
or any scheduler address) or serially; the numbers are identical either way,
because every task is a pure function of its inputs and the seed (the same seed
for every grid point: common random numbers, so differences between points
come from the parameters, not from noise).

The GRID.yaml format is documented in ``docs/deterrence.md``::

    scenario: europe-alone            # built-in name or path (relative to this file)
    years: [2026, 2030, 2035]         # optional; default: all scenario years
    draws: 20000
    seed: 7
    grid:
      deterrence.trust_in_alliance: [0.4, 0.8]
      us_commitment.forces_in_place: [0.0, 0.5, 1.0]
"""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alliance.deterrence.engine import simulate
from alliance.deterrence.params import (
    deterrence_context_from_scenario,
    upstream_capability_coverage,
)
from alliance.errors import ModelError, ScenarioError
from alliance.scenario import Scenario, apply_overrides, builtin_scenario_names, load_scenario

__all__ = [
    "SweepGrid",
    "grid_points",
    "load_grid",
    "resolve_grid_scenario",
    "run_sweep",
    "sweep_point",
    "write_parquet_atomic",
]

logger = logging.getLogger(__name__)

CoverageSource = Literal["pipeline", "default"]


class SweepGrid(BaseModel):
    """A sweep: scenario, years, Monte Carlo size and the grid of overrides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str = Field(min_length=1, description="Built-in scenario name or YAML path.")
    years: list[int] | None = Field(
        default=None, description="Years to run (default: every scenario year) [year]."
    )
    draws: int = Field(gt=0, description="Crisis draws per grid point and year [count].")
    seed: int = Field(ge=0, description="Seed shared by every grid point.")
    grid: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="Dotted scenario paths -> values; the sweep runs their cartesian product.",
    )
    batch_size: int | None = Field(
        default=None, description="Draws per batch (multiple of 4096; default from the scenario)."
    )


def load_grid(path: str | Path) -> tuple[SweepGrid, Path]:
    """Read and validate a GRID.yaml; returns the grid and the file's folder.

    Errors name the file and the field (ScenarioError); empty value lists are errors.
    """
    file = Path(path)
    if not file.is_file():
        raise ScenarioError(str(file), "(file)", "an existing GRID.yaml", "no such file")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError(file, "(YAML syntax)", "valid YAML", str(getattr(exc, "problem", exc)),
                            line=None if mark is None else mark.line + 1) from None
    if not isinstance(data, dict):
        raise ScenarioError(file, "(top level)", "a mapping with scenario, draws, seed, grid",
                            type(data).__name__)
    try:
        grid = SweepGrid.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ScenarioError(file, field, err["msg"].removeprefix("Value error, "),
                            repr(err.get("input"))[:60]) from None
    for dotted, values in grid.grid.items():
        if not values:
            raise ScenarioError(file, f"grid.{dotted}", "a non-empty list of values", "[]")
    return grid, file.parent


def grid_points(grid: SweepGrid) -> list[dict[str, Any]]:
    """The cartesian product of the grid, in file order (last path varies fastest)."""
    paths = list(grid.grid)
    return [dict(zip(paths, combo, strict=True))
            for combo in itertools.product(*(grid.grid[p] for p in paths))]


def resolve_grid_scenario(name: str, base_dir: Path | None = None) -> Scenario:
    """The grid's scenario: a built-in name, or a YAML path (relative to ``base_dir`` first)."""
    if name not in builtin_scenario_names() and base_dir is not None:
        candidate = base_dir / name
        if candidate.is_file():
            return load_scenario(candidate)
    return load_scenario(name)


def _coverage(scenario: Scenario, source: CoverageSource) -> pd.Series | None:
    """Capability coverage for a grid point: the capability stage (``pipeline``, on the
    bundled dataset, when available) or None (``default``: the named assumption
    ``deterrence.default_capability_coverage``)."""
    if source == "default":
        return None
    from alliance.data import load_dataset

    return upstream_capability_coverage(load_dataset(), scenario)


def sweep_point(
    scenario: Scenario,
    point: int,
    overrides: dict[str, Any],
    years: Sequence[int],
    draws: int,
    seed: int,
    allies: pd.DataFrame,
    coverage: CoverageSource = "pipeline",
    batch_size: int | None = None,
) -> pd.DataFrame:
    """Results of one grid point (one row per year), tagged with the point and overrides.

    ``scenario`` already has the overrides applied; ``overrides`` only labels rows.
    """
    context = deterrence_context_from_scenario(scenario, _coverage(scenario, coverage))
    context = context.loc[context["year"].isin(list(years))]
    result = simulate(scenario.deterrence, allies, context, draws, seed, batch_size=batch_size)
    result.insert(0, "point", point)
    result.insert(1, "scenario", scenario.name)
    for i, (path, value) in enumerate(overrides.items()):
        result.insert(2 + i, path, value)
    return result


def _prepare(
    grid: SweepGrid, base_dir: Path | None
) -> tuple[list[tuple[int, Scenario, dict[str, Any]]], list[int]]:
    """Validate every grid point (overrides and years) before anything runs."""
    base = resolve_grid_scenario(grid.scenario, base_dir)
    years = base.years if grid.years is None else sorted(set(grid.years))
    points = []
    for i, overrides in enumerate(grid_points(grid) or [{}]):
        scenario = apply_overrides(base, overrides) if overrides else base
        outside = [y for y in years if y not in scenario.years]
        if outside:
            raise ModelError(
                f"sweep years {outside} are outside the scenario's years "
                f"{scenario.first_year}-{scenario.horizon}"
            )
        points.append((i, scenario, overrides))
    return points, years


def run_sweep(
    grid: SweepGrid,
    allies: pd.DataFrame,
    scheduler: str | None = None,
    serial: bool = False,
    base_dir: Path | None = None,
    coverage: CoverageSource = "pipeline",
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Run every grid point x year; one tidy table (point, scenario, override columns, outputs).

    ``serial`` runs in this process; otherwise on Dask: ``scheduler`` (e.g.
    ``tcp://host:8786``) or a LocalCluster with 2 worker processes of 1 thread.
    ``progress`` is called with 1 per finished grid point. Identical numbers either way.
    """
    points, years = _prepare(grid, base_dir)
    logger.info("sweep: %d grid points x %d years x %d draws", len(points), len(years),
                grid.draws)
    args = [
        (scenario, i, overrides, years, grid.draws, grid.seed, allies, coverage, grid.batch_size)
        for i, scenario, overrides in points
    ]
    frames: list[pd.DataFrame] = []
    if serial:
        for a in args:
            frames.append(sweep_point(*a))
            if progress is not None:
                progress(1)
    else:
        frames = _run_on_dask(args, scheduler, progress)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["point", "year"], kind="stable").reset_index(drop=True)


def _run_on_dask(
    args: list[tuple[Any, ...]], scheduler: str | None, progress: Callable[[int], None] | None
) -> list[pd.DataFrame]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise ModelError(f"sweep --scheduler {scheduler}: cannot connect ({exc})") from None
    try:
        futures = [client.submit(sweep_point, *a, pure=False) for a in args]
        results: dict[int, pd.DataFrame] = {}
        index = {f.key: i for i, f in enumerate(futures)}
        for future in as_completed(futures):
            results[index[future.key]] = future.result()
            if progress is not None:
                progress(1)
        return [results[i] for i in range(len(futures))]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def write_parquet_atomic(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a Parquet file atomically: a temporary file in the same folder, then os.replace."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        table.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
