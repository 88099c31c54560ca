"""One definition of what the crisis Monte Carlo reads: ``assess``, ``deter``, ``sweep`` and
the web API give the identical P(fait accompli) for the same scenario, year and seed.

Identical means ``==``: every path calls :func:`alliance.assessment.deterrence_inputs` on
the gaps after the plan and simulates with the same counter-based random streams, so
there is no Monte Carlo noise between them to allow for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from alliance.assessment import Assessment
from alliance.cli import app
from alliance.data import Dataset
from alliance.web import create_app
from tests.conftest import SMALL_SETTINGS

SCENARIO = "us-drawdown"
YEAR = 2030
# The shared session assessment's settings (4096 draws >= the 1000 the CLI and API require).
DRAWS, SEED = SMALL_SETTINGS.draws, SMALL_SETTINGS.seed

pytestmark = pytest.mark.slow


def _invoke(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def _via_deter() -> float:
    payload = json.loads(
        _invoke(
            [
                "deter",
                "--scenario",
                SCENARIO,
                "--year",
                str(YEAR),
                "--draws",
                str(DRAWS),
                "--seed",
                str(SEED),
                "--json",
            ]
        )
    )
    (row,) = payload["rows"]
    assert (payload["draws"], payload["seed"], row["year"]) == (DRAWS, SEED, YEAR)
    return float(row["p_fait_accompli"])


def _sweep(tmp_path: Path, grid: dict[str, Any], overlay: Path | None = None) -> pd.DataFrame:
    spec = {"scenario": SCENARIO, "years": [YEAR], "draws": DRAWS, "seed": SEED, "grid": grid}
    grid_file = tmp_path / "GRID.yaml"
    grid_file.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML
    out = tmp_path / "sweep.parquet"
    args = ["sweep", str(grid_file), "--serial", "--out", str(out), "--json"]
    if overlay is not None:
        args += ["--overlay", str(overlay)]
    _invoke(args)
    return pd.read_parquet(out)


def _via_web(dataset: Dataset) -> float:
    client = TestClient(create_app(dataset=dataset))
    response = client.post("/api/assess", json={"scenario": SCENARIO, "draws": DRAWS, "seed": SEED})
    assert response.status_code == 200, response.text
    deterrence = response.json()["summary"]["deterrence"]
    assert (deterrence["draws"], deterrence["seed"]) == (DRAWS, SEED)
    (row,) = [r for r in deterrence["per_year"] if r["year"] == YEAR]
    return float(row["p_fait_accompli"])


def test_every_entry_point_gives_the_same_p_fait_accompli(
    dataset: Dataset, assessments: dict[str, Assessment], tmp_path: Path
) -> None:
    assessed = assessments[SCENARIO]
    assert (assessed.draws, assessed.seed) == (DRAWS, SEED)
    table = assessed.deterrence.set_index("year")
    reference = float(table.loc[YEAR, "p_fait_accompli"])
    assert 0.0 < reference < 1.0

    # under today's permits no reinforcement arrives inside the crisis window, so trust
    # hardly moves P(fait accompli); the heavy-brigade weight moves the force in place
    sweep = _sweep(tmp_path, {"deterrence.heavy_brigade_weight": [2.0, 3.0]})
    assert assessed.scenario.deterrence.heavy_brigade_weight == 2.0  # point 0 is the default
    by_point = sweep.set_index("point")["p_fait_accompli"]

    found = {
        "assess": reference,
        "deter": _via_deter(),
        "sweep": float(by_point.loc[0]),
        "web": _via_web(dataset),
    }
    assert found == dict.fromkeys(found, reference)
    # The sweep's other point really moved the parameter (the grid is applied).
    assert float(by_point.loc[1]) != reference


def test_sweep_honours_the_overlay(tmp_path: Path, dataset: Dataset) -> None:
    # Lithuania's forces in place one heavy brigade larger (an order-of-battle overlay):
    # more combat power in theatre when the objective falls.
    oob = dataset.table("order_of_battle")
    ltu = oob[(oob["home_country"] == "LTU") & oob["counted"].astype(bool)].iloc[[0]].copy()
    ltu["unit_id"] = "oob.test"
    ltu["unit"] = "test heavy brigade"
    ltu["brigade_type"] = "heavy"
    ltu["brigade_equivalents"] = 1.0
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    ltu.to_csv(overlay / "order_of_battle.csv", index=False)

    runs = {}
    for name, folder in (("plain", None), ("changed", overlay)):
        (tmp_path / name).mkdir()
        runs[name] = _sweep(tmp_path / name, {}, overlay=folder)
    plain, changed = runs["plain"], runs["changed"]
    assert len(plain) == len(changed) == 1
    assert changed["p_fait_accompli"].iloc[0] != plain["p_fait_accompli"].iloc[0]
