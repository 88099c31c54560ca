"""The bundled capability tables: built reproducibly, validated, meanings kept apart.

These are data tests: they read the bundled tables (and, where present, rebuild
them from ../shared/data/capabilities) and never call the gap model.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alliance.catalogue import capability_catalogue
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
#: Raw capability data, in the shared folder next to the repository when it is checked out.
RAW = ROOT.parent / "shared" / "data" / "capabilities"
TABLES = ("capability_holdings", "us_posture", "requirement_estimates", "capability_requirements")
#: Rows of each bundled table (as built by scripts/build_capability_data.py): 162 rows of
#: enablers.csv + 103 of the second pass + the curated rows + Europe's troop row.
ROWS = {"capability_holdings": 309, "us_posture": 24, "requirement_estimates": 52,
        "capability_requirements": 13}


def _holding(h: pd.DataFrame, holder: str, system: str) -> pd.Series:
    rows = h[(h["holder"] == holder) & (h["system"] == system)]
    assert len(rows) == 1, (holder, system, len(rows))
    return rows.iloc[0]


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


def test_known_corrections(dataset) -> None:
    """Corrections named in issue 10 item 3, each checked on the bundled rows."""
    h = dataset.table("capability_holdings")
    nor = _holding(h, "NOR", "F-35A")  # all 52 delivered by April 2025
    assert (nor["quantity"], nor["quantity_basis"], bool(nor["counted"])) == (52, "in_service",
                                                                            True)
    taurus = h[(h["holder"] == "DEU") & (h["system_family"] == "Taurus")
               & (h["quantity_basis"] == "in_service")]
    assert taurus.loc[taurus["counted"], "quantity"].tolist() == [150]  # operational part only
    assert set(taurus.loc[~taurus["counted"], "quantity"]) == {600}
    patriot = h[(h["holder"] == "DEU") & (h["system_family"] == "Patriot") & h["counted"]]
    assert patriot["quantity"].tolist() == [9]  # 6 combat-ready is readiness, not holdings
    a400m = h[(h["holder"] == "DEU") & (h["system_family"] == "A400M")]
    assert a400m.loc[a400m["counted"], "quantity"].tolist() == [50]  # delivered, not contract
    assert (a400m.loc[a400m["quantity_basis"] == "ordered", "counted"] == False).all()  # noqa: E712
    # P-8 and Atlantique 2 are maritime patrol aircraft, not ISR aircraft
    mpa = h[h["system_family"].isin(["P-8", "Atlantique 2"])]
    assert (mpa["capability"] == "maritime_patrol_aircraft").all() and len(mpa) >= 8


def test_every_requirement_row_is_absolute_and_citable(dataset) -> None:
    r = dataset.table("capability_requirements").set_index("requirement_id")
    assert r["mapping"].str.len().min() > 20
    bk = r.loc["bruegel_kiel_2025.main_battle_tank"]
    assert (bk["value_low"], bk["kind"], bk["basis"]) == (1400, "additional", "force_package")
    troops = r.loc["bruegel_kiel_2025.troop_equivalents"]
    assert (troops["value_low"], troops["reference_stock"]) == (300_000, 1_470_000)
    assert troops["absolute_low"] == 1_770_000
    assert r.loc["bruegel_kiel_2025.ammunition_155mm", "value_low"] == 1_000_000
    kiel = r.loc["kiel_fit_for_war_2025.main_battle_tank"]
    assert (kiel["kind"], kiel["value_low"], kiel["value_high"]) == ("total", 2359, 2920)
    assert (kiel["reference_stock"], kiel["reference_year"]) == (1627, 2023)
    sam = r.loc["kiel_fit_for_war_2025.ground_based_air_defence_long_range"]
    assert (sam["value_low"], sam["reference_stock"]) == (89, 35)
    rusi = r.loc["rusi_2014.air_to_air_refuelling"]  # input 100 tankers < 40 %: output > 250
    assert rusi["value_low"] == pytest.approx(250) and pd.isna(rusi["value_high"])
    iiss = r[r["study_id"] == "iiss_2025"]
    assert (iiss["basis"] == "replace_us_published").all()
    assert iiss.set_index("capability")["value_low"].to_dict() == {
        "combat_aircraft": 400, "frigate_destroyer": 20,
        "ground_based_air_defence_long_range": 24, "troop_equivalents": 128_000}
    hosts = {"bruegel_kiel_2025": "bruegel.org", "kiel_fit_for_war_2025": "ifw-kiel.de",
             "iiss_2025": "iiss.org", "rusi_2014": "rusi.org"}
    for study, host in hosts.items():
        assert r.loc[r["study_id"] == study, "source"].str.contains(host).all(), study
    assert set(r["reliability"]) <= {"A", "B"}


def test_iiss_procurement_cost_is_bundled_as_a_reproduction_target(dataset) -> None:
    e = dataset.table("requirement_estimates")
    cost = e[(e["study_id"] == "iiss_2025") & (e["item"] == "one-off procurement cost")].iloc[0]
    assert (cost["value_low"], cost["value_high"], cost["unit"]) == (226, 344, "USD billion")
    assert "iiss.org" in cost["source"] and "fakti.bg" in cost["transcribed_from"]


def test_missing_data_is_said_not_zeroed(dataset) -> None:
    h = dataset.table("capability_holdings")
    empty = h[h["quantity"].isna()]
    assert (~empty["counted"]).all()
    current = empty[empty["quantity_basis"] == "in_service"]
    assert current["not_counted_reason"].str.contains("not published").all()
    for holder, cap in [("NLD", "ground_based_air_defence_long_range"),
                        ("USA_TOTAL", "satellites_isr"), ("EUR", "ammunition_155mm"),
                        ("USA_TOTAL", "air_defence_interceptor")]:
        assert ((empty["holder"] == holder) & (empty["capability"] == cap)).any(), (holder, cap)


@pytest.mark.skipif(not RAW.is_dir(), reason="raw capability data folder not present")
def test_build_script_reproduces_the_bundled_tables(tmp_path) -> None:
    module = load_script("build_capability_data")
    assert module.main([str(RAW), "--out", str(tmp_path)]) == 0
    for name in TABLES:
        built = (tmp_path / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        bundled_text = (ROOT / "src" / "alliance" / "data" / "tables" / f"{name}.csv").read_text(
            encoding="utf-8")
        assert built == bundled_text, name
