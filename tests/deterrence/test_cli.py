"""`alliance deter` and `alliance sweep` from the command line."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from alliance.cli.deter import register

app = typer.Typer()
register(app)
runner = CliRunner()


@pytest.mark.slow
def test_deter_json():
    result = runner.invoke(app, ["deter", "--scenario", "europe-alone", "--draws", "4096",
                                 "--seed", "3", "--year", "2030", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["scenario"] == "europe-alone"
    assert payload["draws"] == 4096 and payload["seed"] == 3
    (row,) = payload["rows"]
    assert row["year"] == 2030
    for key in ("p_probe", "p_undivided_response", "p_coalition_response", "p_fait_accompli",
                "mean_decision_latency_h"):
        assert key in row
    assert set(row["stderr"]) == {"p_probe", "p_undivided_response", "p_coalition_response",
                                  "p_fait_accompli", "p_fait_accompli_given_probe",
                                  "mean_decision_latency_h"}
    assert payload["capability_coverage_source"] == (
        "capability stage, after the plan's deliveries")
    again = runner.invoke(app, ["deter", "--scenario", "europe-alone", "--draws", "4096",
                                "--seed", "3", "--year", "2030", "--json"])
    assert json.loads(again.stdout)["rows"] == payload["rows"]


def test_deter_all_years_table():
    result = runner.invoke(app, ["deter", "--draws", "2000"])
    assert result.exit_code == 0, result.output
    assert "2026" in result.stdout and "2035" in result.stdout


@pytest.mark.slow
def test_deter_errors_exit_2():
    for args in (["deter", "--draws", "0"], ["deter", "--draws", str(10**9 + 1)],
                 ["deter", "--year", "1990"], ["deter", "--scenario", "no-such-scenario"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "error" in result.output


def test_sweep_serial(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("scenario: baseline\nyears: [2030]\ndraws: 2048\nseed: 1\n"
                    "grid: {deterrence.trust_in_us: [0.2, 0.9]}\n")
    out = tmp_path / "sweep.parquet"
    result = runner.invoke(app, ["sweep", str(grid), "--serial", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 2
    table = pd.read_parquet(out)
    assert table["deterrence.trust_in_us"].tolist() == [0.2, 0.9]
