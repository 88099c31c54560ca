"""Sustainment per system family, the troop pipeline and recent deliveries (issue 10)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from tests.scripts import load_script

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
TABLES = REPO / "src" / "alliance" / "data" / "tables"
NEEDS_SHARED = pytest.mark.skipif(not SHARED.exists(), reason="shared raw data not available")
NAMES = ("sustainment.csv", "recruitment.csv", "procurement_deliveries.csv")


def _script() -> ModuleType:
    return load_script("build_industry_data")


@NEEDS_SHARED
def test_build_script_is_reproducible(tmp_path: Path) -> None:
    """Rebuilding from ../shared (NATO Table 7) plus the script's curation gives the bundle."""
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_industry_data.py"), str(SHARED),
         "--out", str(tmp_path)],
        check=True, capture_output=True,
    )
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == (TABLES / name).read_bytes(), name


def test_tables_load_through_their_data_dictionaries(dataset: Dataset) -> None:
    for name in NAMES:
        table = dataset.table(name.removesuffix(".csv"))
        assert len(table) > 0
        assert table["source_grade"].isin(["A", "B", "C"]).all()
        if name != "sustainment.csv":  # sustainment: empty source = a named assumption
            assert table["source"].str.startswith("http").all(), name
            assert table["publication"].notna().all(), name


# --- sustainment -------------------------------------------------------------------------


def test_sustainment_ranges_are_ordered(dataset: Dataset) -> None:
    s = dataset.table("sustainment")
    for name in ("floor", "half_life_months"):
        low, central, high = (s[f"{name}_{lv}"] for lv in ("low", "central", "high"))
        assert (low <= central).all() and (central <= high).all(), name
    assert s[["floor_low", "floor_high"]].stack().between(0, 1).all()
    assert (s["half_life_months_low"] > 0).all()


def test_sustainment_covers_every_us_made_family(dataset: Dataset) -> None:
    fam = dataset.table("system_families")
    us = set(fam.loc[fam["us_made"].fillna(False).astype(bool), "family"])
    s = dataset.table("sustainment")
    assert us <= set(s["family"])
    assert {"F-35", "Patriot", "P-8", "MQ-9", "C-17", "KC-135", "KC-46", "E-3", "E-7",
            "HIMARS"} <= set(s["family"])
    assert s["us_made"].all()


def test_sustainment_rows_name_evidence_or_assumption(dataset: Dataset) -> None:
    s = dataset.table("sustainment").set_index("family")
    assert s["assumption"].str.len().gt(20).all()
    anchored = s["source"].notna()
    assert (s.loc[~anchored, "source_grade"] == "C").all()  # a pure assumption is graded C
    assert s.loc[anchored, "source"].str.startswith("http").all()
    f35 = s.loc["F-35"]
    assert "ODIN" in f35["software_cloud_dependence"]
    assert "mission data" in f35["software_cloud_dependence"]
    assert "Cameri" in f35["european_depot_or_licence"]
    assert "GAO" in f35["publication"]
    assert "COMLOG" in s.loc["Patriot", "european_depot_or_licence"]


@NEEDS_SHARED
def test_a_us_made_family_without_a_row_stops_the_build(tmp_path: Path) -> None:
    families = tmp_path / "system_families.csv"
    shutil.copy(TABLES / "system_families.csv", families)
    with families.open("a", encoding="utf-8") as f:
        f.write("999,AH-64,AH-64,USA,true,origin,https://www.boeing.com/defense,A\n")
    with pytest.raises(ValueError, match=r"without a sustainment row: \['AH-64'\]"):
        _script().build_sustainment(families)


# --- recruitment -------------------------------------------------------------------------


def test_recruitment_ranges_and_coverage(dataset: Dataset) -> None:
    r = dataset.table("recruitment")
    low = r["net_additional_troops_per_year_low"]
    high = r["net_additional_troops_per_year_high"]
    assert (low >= 0).all() and (low <= high).all()
    allies = set(dataset.table("allies")["iso3"])
    assert set(r["iso3"]) <= allies - {"USA"}
    assert {"DEU", "POL", "FRA", "GBR", "SWE", "FIN", "EST", "LVA", "LTU", "CAN"} <= set(r["iso3"])
    targets = r.dropna(subset=["target_troops"])
    assert (targets["target_year"] > targets["year_to"]).all()


def test_cross_check_germany_against_the_bundeswehr(dataset: Dataset) -> None:
    """Cross-check with an independent input. NATO's series (input of the table) gives
    Germany's range; the Bundeswehr's own personnel balance for 2025 (not an input:
    181,150 at end-2024 -> 184,200 at end-2025, bundeswehr.de) must fall inside it."""
    r = dataset.table("recruitment").set_index("iso3")
    bundeswehr_2025 = 184_200 - 181_150
    assert r.loc["DEU", "net_additional_troops_per_year_low"] <= bundeswehr_2025
    assert bundeswehr_2025 <= r.loc["DEU", "net_additional_troops_per_year_high"]
    # 260,000 by 2035 from NATO's 2025 figure needs ~7,400 a year: the high end is that pace
    assert r.loc["DEU", "net_additional_troops_per_year_high"] == pytest.approx(
        (260_000 - 186_413) / 10, abs=1
    )


def test_recruitment_rule_on_a_small_series(tmp_path: Path) -> None:
    """The rule on hand-made input: mean change (not below 0) and the best year / target."""
    path = tmp_path / "nato.csv"
    rows = [("EST", 2022, "6.0"), ("EST", 2023, "7.0"), ("EST", 2024, "7.2"),
            ("EST", 2025, "7.5"), ("BEL", 2022, "22.0"), ("BEL", 2025, "21.0")]
    text = "country_iso3,year,metric,value,source_url\n" + "".join(
        f"{c},{y},personnel_k,{v},https://x.org/{c}\n" for c, y, v in rows
    )
    path.write_text(text, encoding="utf-8")
    out = {r["iso3"]: r for r in _script().build_recruitment(path)}
    assert float(out["EST"]["net_additional_troops_per_year_low"]) == 500.0
    assert float(out["EST"]["net_additional_troops_per_year_high"]) == 1000.0
    assert float(out["BEL"]["net_additional_troops_per_year_low"]) == 0.0
    assert out["EST"]["transcribed_from"] == "https://x.org/EST"


# --- deliveries --------------------------------------------------------------------------


def test_deliveries_are_valid_and_flag_what_they_are(dataset: Dataset) -> None:
    d = dataset.table("procurement_deliveries")
    codes = set(capability_catalogue().code_names)
    assert set(d["capability"]) <= codes
    assert (d["delivered_units"] > 0).all() and (d["year"] <= 2026).all()
    holders = set(dataset.table("allies")["iso3"]) | {"EUR"}
    assert set(d["holder"]) <= holders
    # a figure that is not a plain delivery count says so in its note
    derived = d["system"].str.contains("Kiel") | (d["holder"] == "EUR")
    flagged = d.loc[derived, "note"].str.contains("DERIVED|CAPACITY|EXPECTED")
    assert flagged.all()
    assert pd.api.types.is_numeric_dtype(d["delivered_units"])
