"""The bundled industrial catalogue (systems.csv, fx_rates.csv) and its build script."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from tests.scripts import load_script

REPO = Path(__file__).resolve().parents[2]
#: Raw data, in the shared folder next to the repository when it is checked out.
SHARED = REPO.parent / "shared" / "data"
NEEDS_SHARED = pytest.mark.skipif(not SHARED.exists(), reason="shared raw data not available")

#: The column names the planning LP codes against (issue 10, item 5): fixed; plus
#: ``publication``, the provenance layout of the spending tables (source = URL).
PLANNING_COLUMNS = [
    "system", "capability", "us_made", "european_supplier", "producer", "producer_country",
    "unit_cost_musd", "price_year", "unit_cost_local", "currency", "unit_cost_basis",
    "annual_production_rate_units", "production_rate_year", "planned_rate_units",
    "planned_rate_year", "lead_time_years", "backlog_units", "backlog_european_units",
    "service_life_years", "capability_units_per_system", "canonical", "source",
    "publication", "transcribed_from", "source_grade", "derived",
]


def _script() -> ModuleType:
    return load_script("build_systems")


def _table(name: str) -> pd.DataFrame:
    with resources.as_file(resources.files("alliance.data") / "tables" / name) as p:
        return pd.read_csv(p)


def _origin(row: pd.Series) -> str:
    if row["us_made"]:
        return "us"
    return "european" if row["european_supplier"] else "other"


def test_columns_are_the_ones_planning_codes_against(dataset: Dataset) -> None:
    df = dataset.table("systems")  # loaded and validated through the data dictionary
    assert list(df.columns) == PLANNING_COLUMNS
    schema = _table("../schema/systems.csv")
    assert list(schema["column"]) == PLANNING_COLUMNS


def test_every_plannable_area_has_an_orderable_priced_system(dataset: Dataset) -> None:
    df = dataset.table("systems")
    catalogue = capability_catalogue()
    df["area"] = df["capability"].map(catalogue.area_of)
    # the plan buys by area: every system's area must be one the LP can buy
    assert set(df["area"]) <= set(catalogue.plannable_areas)
    orderable = df[(df["us_made"] | df["european_supplier"]) & df["unit_cost_musd"].notna()]
    missing = sorted(set(catalogue.plannable_areas) - set(orderable["area"]))
    assert missing == []


def test_one_canonical_priced_row_per_capability_and_origin(dataset: Dataset) -> None:
    df = dataset.table("systems")
    df["origin"] = df.apply(_origin, axis=1)
    canon = df[df["canonical"]]
    assert not canon.duplicated(["capability", "origin"]).any()
    assert canon["unit_cost_musd"].notna().all()
    priced = df[df["unit_cost_musd"].notna() & ~df["derived"].str.contains("MEDIUM RANGE")]
    assert set(zip(priced["capability"], priced["origin"], strict=True)) == set(
        zip(canon["capability"], canon["origin"], strict=True)
    )
    # medium-range air defence never stands in for the long-range area by default
    assert not canon["system"].str.contains("IRIS-T|NASAMS").any()


def test_origins_follow_the_brief(dataset: Dataset) -> None:
    df = dataset.table("systems").set_index("system")
    assert not (df["us_made"] & df["european_supplier"]).any()
    for name in ("F-35A Lightning II", "Patriot (fire unit, Config 3+)", "PAC-3 MSE", "JASSM-ER",
                 "P-8A Poseidon", "MQ-9B SkyGuardian"):
        assert df.loc[name, "us_made"], name
    for name in ("K2 Black Panther (K2GF/K2PL)", "K9 Thunder (K9A1/K9PL)",
                 "K239 Chunmoo / Homar-K"):
        assert not df.loc[name, "us_made"] and not df.loc[name, "european_supplier"], name
    for name in ("Leopard 2A8", "CV90 (MkIIIC/MkIV)", "Rafale F4", "A400M Atlas", "GlobalEye"):
        assert df.loc[name, "european_supplier"], name


def test_every_row_is_citable(dataset: Dataset) -> None:
    df = dataset.table("systems")
    assert df["source"].str.startswith("http").all()
    assert df["publication"].str.len().gt(10).all()
    assert set(df["source_grade"]) <= {"A", "B", "C"}
    relayed = df["transcribed_from"].notna()
    assert (df.loc[relayed, "transcribed_from"] != df.loc[relayed, "source"]).all()


def test_backlogs_rates_and_years_are_consistent(dataset: Dataset) -> None:
    df = dataset.table("systems")
    both = df.dropna(subset=["backlog_units", "backlog_european_units"])
    assert (both["backlog_european_units"] <= both["backlog_units"]).all()
    ramp = df.dropna(subset=["planned_rate_year", "production_rate_year"])
    assert (ramp["planned_rate_year"] >= ramp["production_rate_year"]).all()
    backlog = df.dropna(subset=["backlog_units"])
    assert backlog["production_rate_year"].notna().all()  # a backlog says when it was counted


def test_consistency_usd_costs_follow_the_fx_table(dataset: Dataset) -> None:
    """Consistency check: unit_cost_musd = unit_cost_local / rate / 1e6, the rate being the
    price year's in fx_rates, else the latest earlier one (derived then says so)."""
    df = dataset.table("systems").dropna(subset=["unit_cost_musd"])
    fx = dataset.table("fx_rates")
    for _, row in df[df["currency"] != "USD"].iterrows():
        rates = fx[(fx["currency"] == row["currency"]) & (fx["year"] <= row["price_year"])]
        if "converted at the" in row["derived"] and "earliest" in row["derived"]:
            rates = fx[fx["currency"] == row["currency"]]  # A400M: named stand-in rate
            rate = float(rates.sort_values("year")["units_per_usd"].iloc[0])
        else:
            rate = float(rates.sort_values("year")["units_per_usd"].iloc[-1])
        expected = row["unit_cost_local"] / rate / 1e6
        assert row["unit_cost_musd"] == pytest.approx(expected, rel=1e-3), row["system"]
    usd = df[df["currency"] == "USD"]
    assert list(usd["unit_cost_musd"] * 1e6) == pytest.approx(list(usd["unit_cost_local"]),
                                                              rel=1e-6)


@NEEDS_SHARED
def test_build_script_is_reproducible(tmp_path: Path) -> None:
    """Rebuilding from ../shared (plus the curation in the script) gives the bundled bytes."""
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_systems.py"), str(SHARED),
         "--out", str(tmp_path)],
        check=True, capture_output=True,
    )
    bundled = REPO / "src" / "alliance" / "data" / "tables"
    for name in ("systems.csv", "fx_rates.csv"):
        assert (tmp_path / name).read_bytes() == (bundled / name).read_bytes(), name


@NEEDS_SHARED
def test_rows_of_unplannable_areas_are_held_back_not_lost() -> None:
    """The frigate and submarine classes are curated; they are published once the catalogue
    marks their areas plannable."""
    build = _script()
    everything, _ = build.build(SHARED, None)
    catalogue = capability_catalogue()
    held = {r["capability"] for r in everything} - {
        c.code for c in catalogue.codes if c.area in catalogue.plannable_areas
    }
    for code in held:
        assert not catalogue.area(catalogue.area_of(code)).plannable
    names = {r["system"] for r in everything}
    assert {"FREMM EVO", "Type 212CD"} <= names


@NEEDS_SHARED
def test_an_uncurated_raw_row_stops_the_build(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shutil.copytree(SHARED / "industry", shared / "industry")
    shutil.copytree(SHARED / "capabilities", shared / "capabilities")
    path = shared / "industry" / "systems_catalogue.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows.append({**rows[0], "system": "Leopard 3"})
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ValueError, match="'Leopard 3' has no CURATION entry"):
        _script().build(shared)


BUILD = _script()


@given(st.integers(min_value=2000, max_value=2040))
def test_fx_fallback_takes_the_latest_earlier_sourced_year(year: int) -> None:
    rates = {(r["currency"], int(r["year"])): float(r["units_per_usd"]) for r in BUILD.FX_RATES}
    for currency in ("EUR", "GBP", "SEK"):
        found = BUILD._fx(rates, currency, year)
        earlier = [y for (c, y) in rates if c == currency and y <= year]
        if not earlier:
            assert found is None
        else:
            assert found == (rates[(currency, max(earlier))], max(earlier))


@given(st.decimals(min_value=0, max_value=20, places=2))
def test_lead_times_round_half_up_to_whole_years(value: object) -> None:
    rounded = BUILD._round_years(float(str(value)))
    assert abs(rounded - float(str(value))) <= 0.5
    if float(str(value)) % 1 == 0.5:
        assert rounded > float(str(value))
