"""`alliance plan` end to end: the JSON contract, the library's numbers, one-line errors."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from alliance.assessment import RunSettings, run_stages
from alliance.cli import plan as plan_cli
from alliance.data import Dataset
from alliance.params import POOLED_BUYER
from alliance.scenario import apply_overrides, load_scenario


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """A Typer app with only `plan` (and a no-op, to keep Typer in multi-command mode)."""
    application = typer.Typer()
    plan_cli.register(application)

    @application.command("noop")
    def _noop() -> None:
        """Keep Typer in multi-command mode."""

    return application


def test_plan_json(app: typer.Typer, dataset: Dataset) -> None:
    """--json prints one object with the contract's keys and the library's plan."""
    res = CliRunner().invoke(app, ["plan", "--scenario", "europe-alone", "--horizon", "2030",
                                   "--pooled-share", "0.3", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("scenario", "status", "objective", "closure_year", "shortfall", "spend", "binding"):
        assert key in out
    assert out["scenario"] == "europe-alone" and out["status"] == "optimal"
    assert out["horizon"] == 2030
    # orders placed by 2030 still deliver (and count) up to delivery_horizon
    assert out["delivery_horizon"] >= 2030
    assert max(r["year"] for r in out["shortfall"]) == out["delivery_horizon"]
    assert max(r["year"] for r in out["spend"]) == 2030
    assert set(out["shortfall"][0]) == {"capability", "year", "shortfall", "requirement"}
    # closure and pace year per area, null where never
    areas = {r["capability"] for r in out["shortfall"]}
    assert set(out["closure_year"]) == areas == set(out["pace_year"])
    for key in ("closure_year", "pace_year"):
        assert all(v is None or isinstance(v, int) for v in out[key].values())
    assert None in out["closure_year"].values()
    assert {r["capability"] for r in out["areas"]} == areas
    assert set(out["spend"][0]) == {"buyer", "year", "musd"}
    pooled = sum(r["musd"] for r in out["spend"] if r["buyer"] == POOLED_BUYER)
    assert pooled > 0, "--pooled-share 0.3 left the pooled buyer idle"
    # the CLI presents what the library computes for the same overrides
    sc = apply_overrides(load_scenario("europe-alone"),
                         {"planning.pooled_share": 0.3, "horizon": 2030})
    expected = run_stages(dataset, sc, RunSettings(draws=1, seed=0), until="planning").need("plan")
    assert out["total_cost_musd"] == pytest.approx(expected.total_cost_musd, rel=1e-9)
    assert out["objective"] == pytest.approx(expected.objective, rel=1e-9, abs=1e-12)
    assert out["closure_year"] == expected.closure_year
    assert out["pace_year"] == expected.pace_year


def test_plan_table_fits_80_columns(app: typer.Typer) -> None:
    """The human table: plain labels, integer counts, plan and pace years, at 80 columns."""
    res = CliRunner().invoke(app, ["plan", "--scenario", "europe-alone", "--horizon", "2030"],
                             env={"COLUMNS": "80"}, terminal_width=80)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "plan" in res.output and "pace" in res.output and "never" in res.output
    assert "infantry fighting" in res.output
    assert "." not in "".join(line.split("│")[2] for line in lines
                              if line.count("│") > 5 and "short" not in line)


def test_plan_bad_option_exits_2(app: typer.Typer) -> None:
    """A bad override is one error line and exit status 2, no traceback."""
    res = CliRunner().invoke(app, ["plan", "--scenario", "baseline", "--pooled-share", "1.5"])
    assert res.exit_code == 2
    assert "planning.pooled_share" in res.output
    assert "Traceback" not in res.output
