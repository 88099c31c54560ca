"""`alliance gaps`: JSON contract and error exit."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from alliance.cli import app


def test_gaps_json_contract() -> None:
    result = CliRunner().invoke(app, ["gaps", "--scenario", "europe-alone", "--year", "2030",
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "europe-alone" and data["year"] == 2030
    row_keys = {"capability", "requirement", "european_effective", "us_contribution", "gap",
                "unit", "requirement_source", "data_status"}
    assert data["rows"] and all(row_keys <= set(r) for r in data["rows"])
    dep_keys = {"iso3", "capability", "us_made_share", "value_at_stake_musd"}
    assert data["dependency"] and all(dep_keys <= set(r) for r in data["dependency"])
    isr = next(r for r in data["rows"] if r["capability"] == "isr_aircraft")
    assert isr["requirement"] is None and "no requirement" in isr["data_status"]


def test_gaps_year_outside_scenario_exits_2() -> None:
    result = CliRunner().invoke(app, ["gaps", "--scenario", "europe-alone", "--year", "2050"])
    assert result.exit_code == 2
