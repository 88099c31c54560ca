"""The bundled capability tables: built reproducibly, validated, meanings kept apart."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from alliance.capabilities import capability_gaps
from alliance.capabilities.gaps import holdings_by_ally
from alliance.catalogue import capability_catalogue
from alliance.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
#: Raw capability data, in the shared folder next to the repository when it is checked out.
RAW = ROOT.parent / "shared" / "data" / "capabilities"
TABLES = ("capability_holdings", "us_posture", "requirement_estimates", "capability_requirements")
#: Rows of each bundled table (as built by scripts/build_capability_data.py).
ROWS = {"capability_holdings": 163, "us_posture": 24, "requirement_estimates": 50,
        "capability_requirements": 11}


def test_tables_load_and_every_row_is_graded(dataset) -> None:
    for name in TABLES:
        t = dataset.table(name)
        assert len(t) == ROWS[name], name
        assert set(t["reliability"]) <= {"A", "B", "C"}
        assert t["source"].str.startswith("http").all()


def test_counted_holdings_are_current_and_in_the_area_unit(dataset) -> None:
    h = dataset.table("capability_holdings")
    counted = h[h["counted"]]
    assert (counted["quantity_basis"] == "in_service").all()
    assert counted["quantity"].notna().all()
    catalogue = capability_catalogue()
    area_unit = {c: catalogue.unit(catalogue.area_of(c)) for c in catalogue.code_names}
    assert (counted["unit"] == counted["capability"].map(area_unit)).all()
    assert (h.loc[~h["counted"], "not_counted_reason"].str.len() > 0).all()
    assert {"ordered", "planned", "cumulative"} <= set(h["quantity_basis"])


def test_every_requirement_row_names_its_study_and_mapping(dataset) -> None:
    r = dataset.table("capability_requirements")
    assert r["mapping"].str.len().min() > 20
    bk = r[r["study_id"] == "bruegel_kiel_2025"].set_index("capability")
    assert bk.loc["main_battle_tank", "value_low"] == 1400
    assert bk.loc["troop_equivalents", "value_low"] == 300_000
    kiel = r[r["requirement_id"] == "kiel_fit_for_war_2025.main_battle_tank"].iloc[0]
    assert (kiel["value_low"], kiel["value_high"]) == (2359 - 1627, 2920 - 1627)
    # IISS gives no ISR figure: no row, and the model says 'no requirement'
    assert not ((r["study_id"] == "iiss_2025") & (r["capability"] == "isr_aircraft")).any()


def test_missing_data_is_said_not_zeroed(dataset) -> None:
    sc = load_scenario("baseline")
    h = holdings_by_ally(dataset, sc)
    lux = h[(h["iso3"] == "LUX") & (h["capability"] == "main_battle_tank")].iloc[0]
    assert lux["data_status"] == "no data" and math.isnan(lux["holdings"])
    nld = h[(h["iso3"] == "NLD") & (h["capability"] == "ground_based_air_defence_long_range")]
    assert nld.iloc[0]["data_status"] == "figure not published"
    g = capability_gaps(dataset, sc)
    isr = g[(g["capability"] == "isr_aircraft") & (g["year"] == 2030)].iloc[0]
    assert math.isnan(isr["gap"]) and "no requirement" in isr["data_status"]


@pytest.mark.skipif(not RAW.is_dir(), reason="raw capability data folder not present")
def test_build_script_reproduces_the_bundled_tables(tmp_path) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_capability_data", ROOT / "scripts" / "build_capability_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.main([str(RAW), "--out", str(tmp_path)]) == 0
    for name in TABLES:
        built = (tmp_path / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        bundled_text = (ROOT / "src" / "alliance" / "data" / "tables" / f"{name}.csv").read_text(
            encoding="utf-8")
        assert built == bundled_text, name
