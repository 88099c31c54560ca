"""End-to-end tests of the foundation CLI (data, spending, scenario) as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alliance.data import Dataset
from alliance.params import SpendingAssumptions
from alliance.scenario import Scenario, builtin_scenario_names
from alliance.spending import spending_for

ALLIANCE = [sys.executable, "-m", "alliance"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ALLIANCE, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_spending_json_schema_and_values(dataset: Dataset) -> None:
    proc = run("spending", "--path", "hague", "--year", "2030", "--json")
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["path"] == "hague" and payload["year"] == 2030
    assert len(payload["rows"]) == 32
    row = payload["rows"][0]
    for key in ("iso3", "year", "share_gdp_pct", "spending_musd_current", "core_pledge_met_year"):
        assert key in row
    for key in ("nato_total_musd_current", "us_share_pct", "allies_at_2pct"):
        assert key in payload["aggregates"]
    # the CLI presents the library's numbers for the same path and year
    sc = Scenario(name="spending-hague", spending=SpendingAssumptions(path="hague"))
    result = spending_for(dataset, sc)
    agg = result.aggregates.set_index("year").loc[2030]
    oz = result.olson_zeckhauser.set_index("year").loc[2030]
    assert payload["aggregates"]["allies_at_2pct"] == agg["allies_at_2pct"]
    assert payload["aggregates"]["nato_total_musd_current"] == pytest.approx(
        agg["nato_total_musd_current"], rel=1e-12
    )
    burden = payload["burden_sharing"]
    assert burden["olson_zeckhauser_rho"] == pytest.approx(oz["olson_zeckhauser_rho"], rel=1e-12)
    assert burden["olson_zeckhauser_p"] == pytest.approx(oz["olson_zeckhauser_p"], rel=1e-12)


def test_spending_past_year_returns_actuals() -> None:
    proc = run("spending", "--path", "frozen", "--year", "2024", "--ally", "POL", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["rows"]
    assert len(rows) == 1 and rows[0]["iso3"] == "POL"
    assert rows[0]["is_actual"] is True
    assert rows[0]["share_gdp_pct"] == pytest.approx(3.786, abs=0.01)  # NATO 2025 edition, 2024e


def test_spending_table_for_people() -> None:
    proc = run("spending", "--path", "national", "--year", "2030")
    assert proc.returncode == 0, proc.stderr
    assert "Poland" in proc.stdout and "NATO total" in proc.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("spending", "--path", "moon", "--year", "2030"), "--path"),
        (("spending", "--year", "2099"), "--year"),
        (("spending", "--ally", "XXX"), "unknown ISO3"),
    ],
)
def test_spending_bad_input_exits_2(args: tuple[str, ...], words: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_data_commands() -> None:
    assert "defence_expenditure" in run("data", "list").stdout
    shown = run("data", "show", "allies", "--json")
    assert len(json.loads(shown.stdout)["rows"]) == 20
    q = run(
        "data",
        "sql",
        "SELECT iso3 FROM allies WHERE borders_russia_belarus ORDER BY iso3",
        "--json",
    )
    assert [r["iso3"] for r in json.loads(q.stdout)["rows"]] == [
        "EST",
        "FIN",
        "LTU",
        "LVA",
        "NOR",
        "POL",
    ]
    assert run("data", "validate").returncode == 0


def test_data_validate_bad_overlay_exits_2(tmp_path: Path) -> None:
    (tmp_path / "gdp.csv").write_text(
        "iso3,year,gdp_usd_bn,status,vintage,source,source_grade\n"
        "POL,2025,abc,actual,x,https://example.org,C\n",
        encoding="utf-8",
    )
    proc = run("data", "validate", "--overlay", str(tmp_path))
    assert proc.returncode == 2
    assert "gdp.csv, line 2, column 'gdp_usd_bn'" in proc.stderr


def test_data_sql_error_exits_2() -> None:
    proc = run("data", "sql", "SELECT * FROM nowhere")
    assert proc.returncode == 2 and "SQL error" in proc.stderr


def test_scenario_commands(tmp_path: Path) -> None:
    listed = json.loads(run("scenario", "list", "--json").stdout)["scenarios"]
    assert [s["name"] for s in listed] == builtin_scenario_names()
    shown = json.loads(run("scenario", "show", "europe-alone", "--json").stdout)
    assert any(p["parameter"] == "us_commitment.sustainment" for p in shown["parameters"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nus_commitment:\n  forces_in_plac: {2025: 1}\n", encoding="utf-8")
    proc = run("scenario", "validate", str(bad))
    assert proc.returncode == 2
    assert "line 3" in proc.stderr and "forces_in_plac" in proc.stderr
