"""Sweeps: grid expansion, validation, identical numbers serially and on a LocalCluster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

import alliance.sweep as sweep_mod
from alliance._io import atomic_write
from alliance.assessment import Assessment
from alliance.data import Dataset
from alliance.errors import ScenarioError
from alliance.sweep import SweepGrid, grid_points, load_grid, run_sweep

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


@pytest.fixture(scope="module")
def serial_sweep(dataset: Dataset) -> pd.DataFrame:
    """The 2 x 2 grid of :func:`_grid`, run in this process."""
    return run_sweep(dataset, _grid(), serial=True)


def test_example_grid_loads() -> None:
    grid, folder = load_grid(EXAMPLE)
    assert folder == EXAMPLE.parent
    points = grid_points(grid)
    assert len(points) == 12
    assert points[0] == {"deterrence.trust_in_alliance": 0.4,
                         "deterrence.decision_latency_multiplier": 0.5,
                         "us_commitment.forces_in_place": 0.0}


def test_unknown_path_is_an_error_naming_it(dataset: Dataset) -> None:
    grid = _grid(grid={"deterrence.trust_in_allaince": [0.5]})
    with pytest.raises(ScenarioError, match="deterrence.trust_in_allaince"):
        run_sweep(dataset, grid, serial=True)


def test_bad_grid_file(tmp_path: Path) -> None:
    path = tmp_path / "grid.yaml"
    path.write_text("scenario: baseline\ndraws: 0\nseed: 1\n")
    with pytest.raises(ScenarioError, match="draws"):
        load_grid(path)
    path.write_text("scenario: baseline\ndraws: 10\nseed: 1\ngrid: {deterrence.trust_in_us: []}\n")
    with pytest.raises(ScenarioError, match="grid.deterrence.trust_in_us"):
        load_grid(path)


@pytest.mark.slow
def test_upstream_runs_once_per_distinct_upstream(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deterrence-only overrides share one upstream run; a US-commitment override needs its own."""
    calls: list[str] = []
    real = sweep_mod.run_stages

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(str(kwargs.get("until")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep_mod, "run_stages", counting)
    grid = _grid(years=[2030], draws=64, grid={"deterrence.trust_in_alliance": [0.4, 0.6, 0.9]})
    assert len(run_sweep(dataset, grid, serial=True)) == 3
    assert calls == ["planning"]
    calls.clear()
    grid = _grid(years=[2030], draws=64,
                 grid={"deterrence.trust_in_alliance": [0.4, 0.9],
                       "us_commitment.reinforcements": [0.0, 1.0]})
    assert len(run_sweep(dataset, grid, serial=True)) == 4
    assert calls == ["planning", "planning"]


def test_sweep_point_gives_the_assessment_numbers(
    dataset: Dataset, assessments: dict[str, Assessment]
) -> None:
    """Same scenario, year, draws and seed: the sweep reads the same capability coverage
    (after the plan's deliveries) as the assessment, so it gives the same numbers."""
    baseline = assessments["baseline"]
    grid = SweepGrid(scenario="baseline", years=[2030], draws=baseline.draws, seed=baseline.seed)
    swept = run_sweep(dataset, grid, serial=True).iloc[0]
    assessed = baseline.deterrence.set_index("year").loc[2030]
    for col in ("capability_coverage", "p_probe", "p_fait_accompli", "mean_decision_latency_h"):
        assert swept[col] == assessed[col], col


@pytest.mark.slow
def test_serial_and_local_cluster_give_the_same_numbers(
    dataset: Dataset, serial_sweep: pd.DataFrame, tmp_path: Path
) -> None:
    serial = serial_sweep
    assert len(serial) == 4 * 2
    assert {"point", "scenario", "deterrence.trust_in_alliance", "us_commitment.reinforcements",
            "year", "p_fait_accompli"} <= set(serial.columns)
    cluster = run_sweep(dataset, _grid())  # LocalCluster, 2 worker processes
    pdt.assert_frame_equal(serial, cluster, check_exact=True)

    target = tmp_path / "out" / "sweep.parquet"
    path = atomic_write(target, lambda tmp: cluster.to_parquet(tmp, index=False))
    assert path == target
    back = pd.read_parquet(path)
    pdt.assert_frame_equal(back, cluster, check_exact=True)
    assert [p.name for p in path.parent.iterdir()] == ["sweep.parquet"]  # no temporary left


@pytest.mark.slow
def test_more_trust_lowers_fait_accompli_across_the_grid(serial_sweep: pd.DataFrame) -> None:
    """More trust never raises P(fait accompli) at any grid point (common random numbers).

    Since issue 11 the force ratio counts brigades in theatre: under today's permit
    regime nothing that waits on a decision reaches the theatre within the 36-60 h
    window, so trust cannot lower P(fait accompli) there (RAND: what counts is what is
    in place); tests/deterrence/test_forces.py checks the strict effect where
    reinforcements do arrive in time.
    """
    wide = serial_sweep.pivot_table(index=["year", "us_commitment.reinforcements"],
                                    columns="deterrence.trust_in_alliance",
                                    values="p_fait_accompli")
    assert (wide[0.9] <= wide[0.4] + 1.0 / 4096).all()
    undivided = serial_sweep.pivot_table(index=["year", "us_commitment.reinforcements"],
                                         columns="deterrence.trust_in_alliance",
                                         values="p_undivided_response")
    assert (undivided[0.9] > undivided[0.4]).all()  # trust still speeds the decision
