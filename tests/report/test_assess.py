"""End-to-end `alliance assess`: files, JSON schema, consistency with Parquet, atomic writes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

import alliance.assess as assess_mod
from alliance._io import OUTPUT_MARKER
from alliance._json import dumps
from alliance.assess import summarise, write_outputs
from alliance.assessment import Assessment
from alliance.cli.assess import register
from alliance.errors import AllianceError
from tests.conftest import SMALL_SETTINGS
from tests.report.conftest import SCENARIOS

#: The tables `alliance assess` writes (one Parquet file each): the output contract.
TABLE_NAMES = (
    "spending", "pledge_years", "aggregates", "burden_sharing", "olson_zeckhauser",
    "ukraine_donor_years", "ukraine_europe_us", "ukraine_purl_allies", "ukraine_purl_totals",
    "ukraine_budget_draw", "ukraine_europe_years", "gaps",
    "gaps_after_plan", "dependency", "plan_orders", "plan_deliveries", "plan_capacity",
    "plan_spend", "plan_shortfall", "plan_closure", "deterrence",
    "asw_detection", "asw_sensors", "asw_requirements", "asw_curves",
    "mobility_brigades", "mobility_plan_brigades", "mobility_closure", "mobility_bottlenecks",
)


def assess_app() -> typer.Typer:
    """A Typer app with only the assess/serve commands (as the CLI registers them)."""
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def assess_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run `alliance assess baseline europe-alone` once with the shared small settings."""
    out = tmp_path_factory.mktemp("assess") / "out"
    result = CliRunner().invoke(
        assess_app(),
        ["assess", *SCENARIOS, "--draws", str(SMALL_SETTINGS.draws),
         "--seed", str(SMALL_SETTINGS.seed), "--out", str(out)],
    )
    if result.exit_code != 0:
        raise AssertionError(f"alliance assess failed ({result.exit_code}):\n{result.output}\n"
                             f"{result.exception!r}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {"out": Path(out), "output": result.output, "summary": summary}


@pytest.mark.slow
def test_writes_report_summary_and_every_table(assess_run: dict[str, Any]) -> None:
    out: Path = assess_run["out"]
    names = {p.name for p in out.iterdir()}
    assert names == {OUTPUT_MARKER, "report.html", "summary.json",
                     *(f"{t}.parquet" for t in TABLE_NAMES)}
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temp folders left"
    assert "report.html" in assess_run["output"]


@pytest.mark.slow
def test_cli_summary_is_the_library_summary(
    assess_run: dict[str, Any], assessments: dict[str, Assessment]
) -> None:
    """The CLI is a thin shell: same scenarios, draws and seed give the library's summary."""
    expected = json.loads(dumps(summarise([assessments[n] for n in SCENARIOS])))
    assert assess_run["summary"] == expected


@pytest.mark.slow
def test_summary_schema(assess_run: dict[str, Any]) -> None:
    s = assess_run["summary"]
    assert s["draws"] == SMALL_SETTINGS.draws and s["seed"] == SMALL_SETTINGS.seed
    assert list(s["scenarios"]) == list(SCENARIOS)
    for name, sc in s["scenarios"].items():
        assert sc["scenario"] == name
        assert set(sc) == {"scenario", "description", "first_year", "horizon", "report_year",
                           "spending", "ukraine", "gaps", "plan", "deterrence", "asw",
                           "mobility"}
        sp = sc["spending"]
        assert isinstance(sp["allies_with_armed_forces"], int)
        assert sp["pledge_thresholds_pct"] == {"two_pct": 2.0, "core": 3.5, "related": 1.5,
                                               "total": 5.0}
        assert all(isinstance(c["capability"], str) for c in sc["gaps"]["capabilities"])
        assert isinstance(sc["plan"]["total_cost_musd"], float)
        years = [r["year"] for r in sc["deterrence"]["per_year"]]
        assert years == list(range(sc["first_year"], sc["horizon"] + 1))
        for r in sc["deterrence"]["per_year"]:
            p = r["p_probe"]
            assert r["p_probe_stderr"] == pytest.approx(math.sqrt(p * (1 - p) / s["draws"]))


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / f"{name}.parquet")


@pytest.mark.slow
def test_parquet_tables_are_long_with_a_scenario_column(assess_run: dict[str, Any]) -> None:
    for name in TABLE_NAMES:
        t = _table(assess_run["out"], name)
        assert t.columns[0] == "scenario", name
        assert set(t["scenario"]) == set(SCENARIOS), name


@pytest.mark.slow
def test_summary_numbers_equal_the_tables(assess_run: dict[str, Any]) -> None:
    out, s = assess_run["out"], assess_run["summary"]
    agg = _table(out, "aggregates")
    det = _table(out, "deterrence")
    closure = _table(out, "plan_closure")
    gaps = _table(out, "gaps")
    for name, sc in s["scenarios"].items():
        ry = sc["report_year"]
        row = agg[(agg["scenario"] == name) & (agg["year"] == ry)].iloc[0]
        assert sc["spending"]["report_year"]["allies_at_3_5pct"] == row["allies_at_3_5pct"]
        assert sc["spending"]["report_year"]["allies_at_2pct"] == row["allies_at_2pct"]
        d = det[(det["scenario"] == name) & (det["year"] == ry)].iloc[0]
        assert sc["deterrence"]["report_year"]["p_probe"] == pytest.approx(d["p_probe"], abs=0)
        assert sc["deterrence"]["report_year"]["p_fait_accompli"] == pytest.approx(
            d["p_fait_accompli"], abs=0)
        cl = closure[closure["scenario"] == name]
        for cap, year in zip(cl["capability"], cl["closure_year"], strict=True):
            assert sc["plan"]["closure_year"][cap] == (None if pd.isna(year) else int(year))
        g = gaps[(gaps["scenario"] == name) & (gaps["year"] == ry)].set_index("capability")
        for c in sc["gaps"]["capabilities"]:
            value = g.loc[c["capability"], "gap"]
            if c["gap_report_year"] is None:
                assert pd.isna(value)
            else:
                assert math.isclose(c["gap_report_year"], float(value))


@pytest.mark.slow
def test_scenarios_differ_where_the_us_steps_back(assess_run: dict[str, Any]) -> None:
    s = assess_run["summary"]["scenarios"]
    base, alone = s["baseline"], s["europe-alone"]
    assert alone["gaps"]["open_gaps_report_year"] > base["gaps"]["open_gaps_report_year"]
    assert (alone["deterrence"]["report_year"]["p_probe"]
            > base["deterrence"]["report_year"]["p_probe"])
    assert alone["plan"]["total_cost_musd"] > base["plan"]["total_cost_musd"]


def _small_outputs() -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    tables = {name: pd.DataFrame({"scenario": ["x", "x"], "value": [1.0, 2.0]})
              for name in ("first", "second", "third")}
    return tables, {"scenarios": {"x": {"value": 1.0}}}


def test_interrupted_write_keeps_previous_outputs(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    tables, summary = _small_outputs()
    write_outputs(out, tables, summary, "<html>old</html>")
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    calls = {"n": 0}
    real = assess_mod._write_table

    def flaky(frame: pd.DataFrame, path: Path) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the user pressed Ctrl-C halfway
        real(frame, path)

    monkeypatch.setattr(assess_mod, "_write_table", flaky)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(out, tables, {"scenarios": {}}, "<html>new</html>")
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "temporary folder left behind"


def test_failed_write_into_a_fresh_folder_leaves_nothing(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(frame: pd.DataFrame, path: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(assess_mod, "_write_table", broken)
    tables, summary = _small_outputs()
    with pytest.raises(AllianceError, match="disk full"):
        write_outputs(tmp_path / "out", tables, summary, "<html></html>")
    assert list(tmp_path.iterdir()) == []


def test_successful_rewrite_replaces_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    tables, summary = _small_outputs()
    write_outputs(out, tables, summary, "<html>old</html>")
    (out / "stale.txt").write_text("from an older run")
    write_outputs(out, {"first": tables["first"]}, summary, "<html>new</html>")
    assert sorted(p.name for p in out.iterdir()) == [OUTPUT_MARKER, "first.parquet", "report.html",
                                                     "summary.json"]
    assert json.loads((out / "summary.json").read_text()) == summary
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_unknown_scenario_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(assess_app(), ["assess", "no-such-scenario", "--out",
                                               str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "error" in result.output.lower()
    assert not (tmp_path / "o").exists()
