"""The Ukraine stage: Kiel allocations, Europe vs US, PURL per ally, the lever, the draw."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from alliance.assessment import RunSettings, run_stages
from alliance.cli import app
from alliance.data import Dataset, load_dataset
from alliance.data.importers import import_kiel
from alliance.errors import ScenarioError
from alliance.scenario import Scenario, apply_overrides, load_scenario
from alliance.spending import spending_for
from alliance.summary import ukraine_summary
from alliance.ukraine import (
    budget_draw,
    europe_us_shares,
    purl_by_ally,
    purl_totals,
    ukraine_support_for,
)
from tests.importers.workbooks import kiel_workbook

runner = CliRunner()


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def gdp(ds: Dataset) -> pd.DataFrame:
    return spending_for(ds, load_scenario("baseline")).allies[["iso3", "year", "gdp_usd_bn"]]


def test_europe_us_shares_per_year_from_the_bundled_release(ds: Dataset) -> None:
    sc = load_scenario("baseline")
    result = run_stages(ds, sc, RunSettings(1, 0), until="ukraine").need("ukraine")
    shares = {s["year"]: s for s in ukraine_summary(result, sc, 2030)["europe_us_shares"]}
    assert shares[2025]["europe_share_pct"] == pytest.approx(100 * 138 / 253)
    assert shares[2025]["data_through"] == "2025-02-28"
    assert shares[2024]["europe_share_pct"] == pytest.approx(100 * 132 / 246)
    assert shares[2022]["measure"] == "committed"  # the old measure, named as such
    for s in shares.values():
        assert s["europe_share_pct"] + s["us_share_pct"] == pytest.approx(100.0)


def test_purl_separates_packages_from_totals_and_has_membership(ds: Dataset) -> None:
    packages = ds.table("purl")
    assert not packages["contributor"].str.upper().str.startswith("TOTAL").any()
    totals = purl_totals(ds)
    latest = float(totals["total_usd_m"].max())
    assert latest == pytest.approx(4300.0)
    # the old table's column summed to USD 16.6 bn; packages now sum below the latest total
    assert float(packages["amount_usd_m"].sum()) <= latest
    allies = purl_by_ally(ds).set_index("iso3")
    joined = int(allies["joined"].eq(True).sum())
    assert joined == 22 and joined / len(allies) >= 2 / 3  # Rutte's "two-thirds"
    france = allies.loc["FRA"]
    assert france["joined"] is False
    assert "interfax" in france["source"] and "not participating" in france["evidence"]
    assert allies.loc["NLD", "amount_usd_m"] == pytest.approx(578.0)
    assert allies.loc["USA", "joined"] is None  # the seller


def test_purl_stops_where_us_arms_sales_stop(ds: Dataset, gdp: pd.DataFrame) -> None:
    alone, _ = budget_draw(ds, load_scenario("europe-alone"), gdp)
    base, _ = budget_draw(ds, load_scenario("baseline"), gdp)
    a = alone.set_index("year")
    assert a.loc[2026, "purl_usd_m"] == pytest.approx(4300.0)
    assert (a.loc[2027:, "purl_usd_m"] == 0).all()
    assert (a.loc[2027:, "purl_stopped_eur_bn"] > 0).all()
    assert base["purl_usd_m"].to_numpy() == pytest.approx([4300.0] * len(base))
    # redirected (default): the budget draw does not change; lost: it falls by PURL
    assert a["europe_military_eur_bn"].to_numpy() == pytest.approx([22.0] * len(a))
    lost = apply_overrides(load_scenario("europe-alone"), {"ukraine.purl_when_sales_stop": "lost"})
    lo, _ = budget_draw(ds, lost, gdp)
    assert lo.set_index("year").loc[2030, "europe_military_eur_bn"] == pytest.approx(
        22.0 - 4.3 * 0.924)


@pytest.mark.parametrize(("lever", "level"), [("keep", 22.0), ("raise", 42.0), ("stop", 0.0)])
def test_the_lever_sets_europes_level(
    ds: Dataset, gdp: pd.DataFrame, lever: str, level: float
) -> None:
    sc = apply_overrides(load_scenario("baseline"), {"ukraine.support": lever})
    years, draw = budget_draw(ds, sc, gdp)
    assert years["europe_military_eur_bn"].to_numpy() == pytest.approx([level] * len(years))
    per_year = draw.groupby("year")["draw_eur_bn"].sum()
    assert per_year.to_numpy() == pytest.approx([level] * len(sc.years))
    assert "USA" not in set(draw["iso3"]) and "CAN" not in set(draw["iso3"])


@settings(max_examples=25, deadline=None)
@given(base=st.floats(0.0, 100.0), adds=st.floats(0.0, 50.0),
       lever=st.sampled_from(["keep", "raise", "stop"]))
def test_draw_adds_up_and_is_never_negative(base: float, adds: float, lever: str) -> None:
    ds = load_dataset()
    sc = Scenario(name="p", ukraine={"support": lever, "european_military_base_eur_bn": base,
                                     "raise_adds_eur_bn": adds})
    gdp = spending_for(ds, load_scenario("baseline")).allies[["iso3", "year", "gdp_usd_bn"]]
    years, draw = budget_draw(ds, sc, gdp)
    expected = {"keep": base, "raise": base + adds, "stop": 0.0}[lever]
    assert years["europe_military_eur_bn"].to_numpy() == pytest.approx([expected] * len(years))
    assert (draw["draw_eur_bn"] >= 0).all()
    assert draw.groupby("year")["weight"].sum().to_numpy() == pytest.approx(1.0)


def test_an_unknown_lever_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="ukraine.support"):
        apply_overrides(load_scenario("baseline"), {"ukraine.support": "double"})


def test_imported_kiel_workbook_gives_donor_years_and_flows(
    tmp_path: Path, gdp: pd.DataFrame
) -> None:
    out = import_kiel(kiel_workbook(tmp_path / "kiel.xlsx"), tmp_path / "ov").out_dir
    ds = load_dataset(out)
    result = ukraine_support_for(ds, load_scenario("baseline"), gdp)
    dy = result.donor_years.set_index(["donor", "year"])
    de = dy.loc[("Germany", 2024)]
    assert de["military_eur_bn"] == pytest.approx(7.0)
    assert de["humanitarian_eur_bn"] == pytest.approx(0.5)
    assert de["share_of_gdp_pct"] == pytest.approx(
        7.0 / 0.924 / float(gdp.set_index(["iso3", "year"]).loc[("DEU", 2024), "gdp_usd_bn"])
        * 100)
    flows = europe_us_shares(ds)
    f24 = flows[(flows["basis"] == "flow") & (flows["year"] == 2024)].iloc[0]
    # Europe = Germany 7.5 + Denmark 3 + EU institutions 12; US 18 (Japan is neither)
    assert f24["europe_eur_bn"] == pytest.approx(22.5)
    assert f24["us_eur_bn"] == pytest.approx(18.0)
    # the observed split: Germany 7 of (7 + 3) of Europe's military allocations in 2024
    draw = result.budget_draw.set_index(["iso3", "year"])
    assert draw.loc[("DEU", 2030), "weight"] == pytest.approx(0.7)
    assert "observed" in draw.loc[("DEU", 2030), "weight_basis"]


def test_cli_ukraine_json() -> None:
    res = runner.invoke(app, ["ukraine", "--scenario", "europe-alone", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    row = next(r for r in data["rows"] if r["iso3"] == "USA" and r["year"] == 2024)
    assert row["military_eur_bn"] == pytest.approx(20.0) and row["share_of_gdp_pct"] > 0
    assert {"year", "europe_share_pct", "us_share_pct"} <= set(data["europe_us"][0])
    fra = next(p for p in data["purl"] if p["iso3"] == "FRA")
    assert fra["joined"] is False and "amount_usd_m" in fra
    assert set(data["production_draw"]) == {"ammunition_155mm", "air_defence_interceptor"}
    assert all(0.0 <= v <= 1.0 for v in data["production_draw"].values())
    res = runner.invoke(app, ["ukraine", "--scenario", "nope"])
    assert res.exit_code == 2
