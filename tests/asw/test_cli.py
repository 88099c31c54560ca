"""`alliance asw`: JSON contract and error exit."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from alliance.cli import app


def test_asw_json_contract() -> None:
    result = CliRunner().invoke(app, ["asw", "--scenario", "europe-alone", "--year", "2030",
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "europe-alone"
    assert {r["leg"] for r in data["rows"]} == {"denmark_strait", "iceland_faroes_scotland"}
    for r in data["rows"]:
        assert {"leg", "year", "p_detect", "p_detect_without_us", "sensors"} <= set(r)
        assert r["year"] == 2030 and 0 <= r["p_detect_without_us"] <= r["p_detect"] <= 1
        assert "maritime_patrol_aircraft_europe_on_station" in r["sensors"]
    assert any("asw.mpa_sweep_width_km" in a for a in data["assumptions"])


def test_asw_bad_year_exits_2() -> None:
    result = CliRunner().invoke(app, ["asw", "--scenario", "baseline", "--year", "2050"])
    assert result.exit_code == 2
