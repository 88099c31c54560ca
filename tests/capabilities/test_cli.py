"""`alliance gaps`: JSON contract, an 80-column table, and the error exit."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from alliance.catalogue import capability_catalogue
from alliance.cli import app


def test_gaps_json_contract() -> None:
    result = CliRunner().invoke(app, ["gaps", "--scenario", "europe-alone", "--year", "2030",
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "europe-alone" and data["year"] == 2030
    row_keys = {"capability", "requirement", "requirement_basis", "gap", "gap_low", "gap_high",
                "european_effective", "us_contribution", "unit", "requirement_source",
                "data_status"}
    assert {r["capability"] for r in data["rows"]} == set(capability_catalogue().area_names)
    assert all(row_keys <= set(r) for r in data["rows"])
    for r in data["rows"]:
        assert r["requirement"] is not None, r["capability"]  # every area has a requirement
        assert r["requirement_basis"] in ("replace_us", "force_package")
        assert r["gap_low"] <= r["gap"] <= r["gap_high"]
    dep_keys = {"iso3", "capability", "us_made_share", "value_at_stake_musd"}
    assert data["dependency"] and all(dep_keys <= set(r) for r in data["dependency"])


def test_gaps_table_fits_80_columns() -> None:
    result = CliRunner().invoke(app, ["gaps", "--scenario", "europe-alone", "--year", "2030"],
                                env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    table = result.stdout.split("need = requirement")[0].splitlines()
    assert len(table) > 20 and all(len(ln) <= 80 for ln in table)
    assert "main battle tanks" in result.stdout  # plain labels, not internal ids
    assert "main_battle_tank" not in result.stdout.split("Assumption:")[0]


def test_gaps_year_outside_scenario_exits_2() -> None:
    result = CliRunner().invoke(app, ["gaps", "--scenario", "europe-alone", "--year", "2050"])
    assert result.exit_code == 2
