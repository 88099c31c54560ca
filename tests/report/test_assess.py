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
from alliance.assess import TABLE_NAMES, write_outputs
from alliance.cli.assess import register

SCENARIOS = ("baseline", "europe-alone")  # as run by the assess_run fixture (conftest.py)
DRAWS = 2000
SEED = 7


def assess_app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_writes_report_summary_and_every_table(assess_run: dict[str, Any]) -> None:
    out: Path = assess_run["out"]
    names = {p.name for p in out.iterdir()}
    expected = {"report.html", "summary.json", *(f"{t}.parquet" for t in TABLE_NAMES)}
    assert expected <= names, f"missing: {sorted(expected - names)}"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temp folders left"
    assert "report.html" in assess_run["output"]


def test_summary_schema(assess_run: dict[str, Any]) -> None:
    s = assess_run["summary"]
    assert s["draws"] == DRAWS and s["seed"] == SEED
    assert list(s["scenarios"]) == list(SCENARIOS)
    for name, sc in s["scenarios"].items():
        assert sc["scenario"] == name
        assert set(sc) >= {"description", "first_year", "horizon", "report_year", "spending",
                           "gaps", "plan", "deterrence"}
        sp = sc["spending"]
        assert isinstance(sp["allies_with_armed_forces"], int)
        for key in ("allies_at_2pct", "allies_at_3_5pct", "allies_at_5pct"):
            assert 0 <= sp["report_year"][key] <= sp["allies_with_armed_forces"]
        assert all(isinstance(c["capability"], str) for c in sc["gaps"]["capabilities"])
        assert isinstance(sc["plan"]["total_cost_musd"], float)
        years = [r["year"] for r in sc["deterrence"]["per_year"]]
        assert years == list(range(sc["first_year"], sc["horizon"] + 1))
        for r in sc["deterrence"]["per_year"]:
            assert 0.0 <= r["p_probe"] <= 1.0 and r["p_probe_stderr"] >= 0.0


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / f"{name}.parquet")


def test_parquet_tables_are_long_with_a_scenario_column(assess_run: dict[str, Any]) -> None:
    for name in TABLE_NAMES:
        t = _table(assess_run["out"], name)
        assert t.columns[0] == "scenario", name
        assert set(t["scenario"]) <= set(SCENARIOS), name


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


def test_scenarios_differ_where_the_us_steps_back(assess_run: dict[str, Any]) -> None:
    s = assess_run["summary"]["scenarios"]
    base, alone = s["baseline"], s["europe-alone"]
    assert alone["gaps"]["open_gaps_report_year"] >= base["gaps"]["open_gaps_report_year"]


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
    with pytest.raises(OSError):
        write_outputs(tmp_path / "out", tables, summary, "<html></html>")
    assert list(tmp_path.iterdir()) == []


def test_successful_rewrite_replaces_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    tables, summary = _small_outputs()
    write_outputs(out, tables, summary, "<html>old</html>")
    (out / "stale.txt").write_text("from an older run")
    write_outputs(out, {"first": tables["first"]}, summary, "<html>new</html>")
    assert sorted(p.name for p in out.iterdir()) == ["first.parquet", "report.html", "summary.json"]
    assert json.loads((out / "summary.json").read_text()) == summary
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_unknown_scenario_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(assess_app(), ["assess", "no-such-scenario", "--out",
                                               str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "error" in result.output.lower()
    assert not (tmp_path / "o").exists()
