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
import json
import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alliance._io import load_yaml, node_line, read_user_text
from alliance.assessment import RunSettings, deterrence_inputs, run_stages
from alliance.constants import MAX_DRAW_YEARS, MAX_GRID_POINTS
from alliance.data import Dataset
from alliance.deterrence import simulate
from alliance.errors import ModelError, ScenarioError
from alliance.scenario import Scenario, apply_overrides, builtin_scenario_names, load_scenario

__all__ = [
    "SweepGrid",
    "grid_points",
    "grid_size",
    "load_grid",
    "resolve_grid_scenario",
    "run_sweep",
    "sweep_point",
]

logger = logging.getLogger(__name__)

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
    data, root = load_yaml(read_user_text(file, "GRID.yaml"), file)
    if not isinstance(data, dict):
        raise ScenarioError(file, "(top level)", "a mapping with scenario, draws, seed, grid",
                            type(data).__name__, line=1)
    try:
        grid = SweepGrid.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(top level)"
        raise ScenarioError(file, field, err["msg"].removeprefix("Value error, "),
                            repr(err.get("input"))[:60], line=node_line(root, loc)) from None
    points = grid_size(grid)
    if points > MAX_GRID_POINTS:
        raise ScenarioError(file, "grid", f"at most {MAX_GRID_POINTS:,} grid points (split the "
                            "grid into several files)", f"{points:,} points",
                            line=node_line(root, ("grid",)))
    for dotted, values in grid.grid.items():
        if not values:
            raise ScenarioError(file, f"grid.{dotted}", "a non-empty list of values", "[]")
    return grid, file.parent


def grid_size(grid: SweepGrid) -> int:
    """Number of points of the grid (the product of its value lists; 1 for an empty grid)."""
    return math.prod(len(values) for values in grid.grid.values())


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


def sweep_point(
    scenario: Scenario,
    point: int,
    overrides: dict[str, Any],
    allies: pd.DataFrame,
    context: pd.DataFrame,
    settings: RunSettings,
    batch_size: int | None = None,
) -> pd.DataFrame:
    """Deterrence results of one grid point, one row per year of ``context``.

    The rows are tagged with the point and its overrides; ``scenario`` already has
    the overrides applied.
    """
    result = simulate(scenario.deterrence, allies, context, settings.draws, settings.seed,
                      batch_size=batch_size)
    result.insert(0, "point", point)
    result.insert(1, "scenario", scenario.name)
    for i, (path, value) in enumerate(overrides.items()):
        result.insert(2 + i, path, value)
    return result


def _upstream_key(scenario: Scenario) -> str:
    """Equal for scenarios whose stages before deterrence give equal results."""
    return json.dumps(scenario.without("deterrence"), sort_keys=True)


def _context_key(scenario: Scenario) -> str:
    """Equal for scenarios whose deterrence inputs are equal.

    The inputs read the deterrence section too (the forces weigh heavy brigades
    and time the crisis window), so only the stages before them are shared.
    """
    return json.dumps(scenario.without(), sort_keys=True)


def _contexts(
    dataset: Dataset, points: list[tuple[int, Scenario, dict[str, Any]]], years: list[int]
) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Allies and per-year context for each distinct scenario among the grid points.

    The stages before deterrence run once per distinct upstream (:func:`_upstream_key`).
    """
    upstreams: dict[str, pd.DataFrame] = {}
    out: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for _, scenario, _ in points:
        key = _context_key(scenario)
        if key in out:
            continue
        up = _upstream_key(scenario)
        if up not in upstreams:
            upstream = run_stages(dataset, scenario, RunSettings(draws=1, seed=0),
                                  until="planning")
            upstreams[up] = upstream.need("gaps_after_plan")
        allies, context = deterrence_inputs(dataset, scenario, upstreams[up])
        out[key] = (allies, context.loc[context["year"].isin(years)].reset_index(drop=True))
    return out


def _prepare(
    grid: SweepGrid, base_dir: Path | None
) -> tuple[list[tuple[int, Scenario, dict[str, Any]]], list[int]]:
    """Validate every grid point (overrides and years) before anything runs."""
    base = resolve_grid_scenario(grid.scenario, base_dir)
    years = base.years if grid.years is None else sorted(set(grid.years))
    count = grid_size(grid)
    if count > MAX_GRID_POINTS:
        msg = (f"sweep grid: {count:,} points; at most {MAX_GRID_POINTS:,} are run at once "
               "(split the grid into several files)")
        raise ModelError(msg)
    if max(count, 1) * len(years) * grid.draws > MAX_DRAW_YEARS:
        msg = (f"sweep: points x years x draws = {max(count, 1):,} x {len(years)} x "
               f"{grid.draws:,} exceeds {MAX_DRAW_YEARS:,}; lower draws, years or points")
        raise ModelError(msg)
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
    dataset: Dataset,
    grid: SweepGrid,
    scheduler: str | None = None,
    serial: bool = False,
    base_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Run every grid point x year; one tidy table (point, scenario, override columns, outputs).

    The upstream stages run here, once per distinct upstream, on ``dataset`` (so
    overlays count); the Monte Carlo of each point runs in this process
    (``serial``) or on Dask: ``scheduler`` (e.g. ``tcp://host:8786``) or a
    LocalCluster with 2 worker processes of 1 thread. ``progress`` is called with 1
    per finished grid point. Identical numbers either way.
    """
    points, years = _prepare(grid, base_dir)
    logger.info("sweep: %d grid points x %d years x %d draws", len(points), len(years),
                grid.draws)
    contexts = _contexts(dataset, points, years)
    settings = RunSettings(draws=grid.draws, seed=grid.seed)
    args = [
        (scenario, i, overrides, *contexts[_context_key(scenario)], settings, grid.batch_size)
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
        except (OSError, ValueError, TypeError) as exc:
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
