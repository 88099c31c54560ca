"""Sweeps: grid expansion, validation, identical numbers serially and on a LocalCluster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from alliance.errors import ScenarioError
from alliance.sweep import SweepGrid, grid_points, load_grid, run_sweep, write_parquet_atomic

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sweep_grid.yaml"


def _grid(**overrides: object) -> SweepGrid:
    spec = {
        "scenario": "europe-alone",
        "years": [2026, 2035],
        "draws": 4096,
        "seed": 4,
        "grid": {"deterrence.trust_in_alliance": [0.4, 0.9],
                 "us_commitment.reinforcements": [0.0, 1.0]},
    }
    spec.update(overrides)
    return SweepGrid.model_validate(spec)


def test_example_grid_loads():
    grid, folder = load_grid(EXAMPLE)
    assert folder == EXAMPLE.parent
    points = grid_points(grid)
    assert len(points) == 12
    assert points[0] == {"deterrence.trust_in_alliance": 0.4,
                         "deterrence.decision_latency_multiplier": 0.5,
                         "us_commitment.forces_in_place": 0.0}


def test_unknown_path_is_an_error_naming_it(allies):
    grid = _grid(grid={"deterrence.trust_in_allaince": [0.5]})
    with pytest.raises(ScenarioError, match="deterrence.trust_in_allaince"):
        run_sweep(grid, allies, serial=True, coverage="default")


def test_bad_grid_file(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("scenario: baseline\ndraws: 0\nseed: 1\n")
    with pytest.raises(ScenarioError, match="draws"):
        load_grid(path)
    path.write_text("scenario: baseline\ndraws: 10\nseed: 1\ngrid: {deterrence.trust_in_us: []}\n")
    with pytest.raises(ScenarioError, match="grid.deterrence.trust_in_us"):
        load_grid(path)


def test_serial_and_local_cluster_give_the_same_numbers(allies, tmp_path):
    grid = _grid()
    serial = run_sweep(grid, allies, serial=True, coverage="default")
    assert len(serial) == 4 * 2
    assert {"point", "scenario", "deterrence.trust_in_alliance", "us_commitment.reinforcements",
            "year", "p_fait_accompli"} <= set(serial.columns)
    cluster = run_sweep(grid, allies, coverage="default")  # LocalCluster, 2 worker processes
    pdt.assert_frame_equal(serial, cluster, check_exact=True)

    path = write_parquet_atomic(cluster, tmp_path / "out" / "sweep.parquet")
    back = pd.read_parquet(path)
    pdt.assert_frame_equal(back, cluster, check_exact=True)
    assert [p.name for p in path.parent.iterdir()] == ["sweep.parquet"]  # no temporary left


def test_more_trust_lowers_fait_accompli_across_the_grid(allies):
    out = run_sweep(_grid(), allies, serial=True, coverage="default")
    wide = out.pivot_table(index=["year", "us_commitment.reinforcements"],
                           columns="deterrence.trust_in_alliance", values="p_fait_accompli")
    assert (wide[0.9] <= wide[0.4]).all()
