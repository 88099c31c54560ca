"""Gap arithmetic on small hand-made datasets, worked out by hand in each docstring."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from alliance.capabilities import (
    capability_coverage,
    capability_gaps,
    sustainment_availability,
)
from alliance.capabilities.dependency import dependency_exposure
from alliance.capabilities.gaps import holdings_by_ally
from alliance.params import CapabilityParams, FractionPath, USCommitment
from alliance.scenario import Scenario
from tests.capabilities.capability_builders import (
    FakeDataset,
    allies_frame,
    families_frame,
    holdings_frame,
    posture_frame,
    requirements_frame,
)

#: One floor (0) and half-life (12 months) for every US-made family, and a flat
#: reinforcement share of 0.5, so that the hand calculations have one value each.
LEVERS: dict[str, object] = {
    "unsustained_availability_floor": 0.0,
    "sustainment_half_life_months": 12.0,
    "reinforcement_share": {"low": 0.5, "central": 0.5, "high": 0.5},
    "requirement_basis": {"main_battle_tank": "replace_us"},
}


def scenario(fip: float = 1.0, reinf: float = 1.0, sust: float = 1.0, years: int = 2,
             **params: object) -> Scenario:
    """A scenario with flat US commitment paths from 2026 for ``years`` years."""
    return Scenario(
        name="hand-made",
        first_year=2026,
        horizon=2025 + years,
        us_commitment=USCommitment(
            forces_in_place=FractionPath({2026: fip}),
            reinforcements=FractionPath({2026: reinf}),
            sustainment=FractionPath({2026: sust}),
        ),
        capabilities=CapabilityParams(**({**LEVERS, **params})),  # type: ignore[arg-type]
    )


def tank_dataset() -> FakeDataset:
    """Tanks: ally A 100 (European-made), ally B 50 (US-made, family M1 Abrams), 1000 on order
    (ignored); US 10 in Europe, 110 in total; a study's additional need of 60; US troops 100
    in place + 200 reinforcements. The frozen baseline is 150 tanks."""
    return FakeDataset({
        "capability_holdings": holdings_frame([
            {"capability": "main_battle_tank", "holder": "AAA", "quantity": 100},
            {"capability": "main_battle_tank", "holder": "BBB", "quantity": 50, "us_made": True,
             "system_family": "M1 Abrams"},
            {"capability": "main_battle_tank", "holder": "AAA", "quantity": 1000,
             "quantity_basis": "ordered", "counted": False},
            {"capability": "main_battle_tank", "holder": "USA_EUCOM", "quantity": 10,
             "us_made": True},
            {"capability": "main_battle_tank", "holder": "USA_TOTAL", "quantity": 110,
             "us_made": True},
            {"capability": "aew_c", "holder": "AAA", "quantity": 4},
        ]),
        "capability_requirements": requirements_frame([
            {"study_id": "bruegel_kiel_2025", "capability": "main_battle_tank", "value": 60},
        ]),
        "us_posture": posture_frame(100, 200),
        "allies": allies_frame(["AAA", "BBB", "CCC", "USA"]),
        "system_families": families_frame(),
    })


def row(gaps: pd.DataFrame, capability: str, year: int) -> pd.Series:
    return gaps[(gaps["capability"] == capability) & (gaps["year"] == year)].iloc[0]


def test_replace_us_with_full_commitment_has_no_gap() -> None:
    """R = 150 (baseline) + 10 (US in Europe) + 0.5 * (110 - 10) = 210; E = 150; U = 60."""
    g = capability_gaps(tank_dataset(), scenario())
    r = row(g, "main_battle_tank", 2026)
    assert r["requirement"] == pytest.approx(210)
    assert r["requirement_basis"] == "replace_us"
    assert r["european_baseline"] == pytest.approx(150)
    assert r["european_effective"] == pytest.approx(150)
    assert r["us_in_place"] == pytest.approx(10)
    assert r["us_reinforcement"] == pytest.approx(50)
    assert r["gap"] == pytest.approx(0) and r["surplus"] == pytest.approx(0)
    assert r["data_status"] == "ok"


def test_europe_alone_gap_is_the_us_part_plus_lost_us_made_kit() -> None:
    """No US, no sustainment, half-life 12 months: a(2026) = 0.5, a(2027) = 0.25.
    E(2026) = 100 + 0.5 * 50 = 125 -> gap 85 = 60 + 25; E(2027) = 112.5 -> gap 97.5."""
    g = capability_gaps(tank_dataset(), scenario(0, 0, 0))
    assert row(g, "main_battle_tank", 2026)["gap"] == pytest.approx(85)
    assert row(g, "main_battle_tank", 2026)["sustainment_loss"] == pytest.approx(25)
    assert row(g, "main_battle_tank", 2027)["gap"] == pytest.approx(97.5)
    assert row(g, "main_battle_tank", 2027)["surplus"] == pytest.approx(-97.5)


def test_partial_commitment() -> None:
    """Forces in place 0.5, reinforcements 1: U = 0.5 * 10 + 0.5 * 100 = 55 -> gap 5."""
    r = row(capability_gaps(tank_dataset(), scenario(0.5, 1.0, 1.0)), "main_battle_tank", 2026)
    assert r["us_contribution"] == pytest.approx(55)
    assert r["gap"] == pytest.approx(5)


def test_requirement_ignores_the_holdings_of_the_run() -> None:
    """22 more tanks for ally A in an overlay: R stays 210, the gap falls by 22 (85 -> 63)."""
    ds = tank_dataset()
    extra = holdings_frame([{"capability": "main_battle_tank", "holder": "AAA", "quantity": 22}])
    ds.tables["capability_holdings"] = pd.concat([ds.tables["capability_holdings"], extra],
                                                 ignore_index=True)
    r = row(capability_gaps(ds, scenario(0, 0, 0)), "main_battle_tank", 2026)
    assert r["requirement"] == pytest.approx(210)
    assert r["gap"] == pytest.approx(63)


def test_share_range_gives_the_gap_range() -> None:
    """Share 0.25/0.5/1 with the US gone, sustainment kept: R = 185/210/260, E = 150
    -> gap 35/60/110; with the US in, R - U = 150 at every share -> gap 0 at both ends."""
    share = {"reinforcement_share": {"low": 0.25, "central": 0.5, "high": 1.0}}
    r = row(capability_gaps(tank_dataset(), scenario(0, 0, 1, **share)), "main_battle_tank", 2026)
    assert (r["gap_low"], r["gap"], r["gap_high"]) == pytest.approx((35, 60, 110))
    assert (r["requirement_low"], r["requirement_high"]) == pytest.approx((185, 260))
    assert r["most_sensitive_assumption"] == "US reinforcement share"
    r = row(capability_gaps(tank_dataset(), scenario(**share)), "main_battle_tank", 2026)
    assert (r["gap_low"], r["gap"], r["gap_high"]) == pytest.approx((0, 0, 0))


def test_force_package_totals_and_reference_stocks() -> None:
    """A study total 200-300 (central = mid 250): gap 50/100/150 against E = 150. An additional
    need of 60 on the study's own stock of 120: R = 180, gap 30; without a stock it sits on
    the frozen baseline: R = 210, gap 60. A multiple 2 of the stock 120: R = 240."""
    fp = {"requirement_basis": {"main_battle_tank": "force_package"}}
    cases = [
        ({"kind": "total", "value_low": 200, "value_high": 300}, (50, 100, 150)),
        ({"value": 60, "reference_stock": 120}, (30, 30, 30)),
        ({"value": 60}, (60, 60, 60)),
        ({"kind": "multiple_of_baseline", "value": 2, "reference_stock": 120}, (90, 90, 90)),
    ]
    for spec, expected in cases:
        ds = tank_dataset()
        ds.tables["capability_requirements"] = requirements_frame([
            {"study_id": "kiel_fit_for_war_2025", "capability": "main_battle_tank", **spec}])
        r = row(capability_gaps(ds, scenario(0, 0, 1, **fp)), "main_battle_tank", 2026)
        assert r["requirement_source"] == "kiel_fit_for_war_2025"
        assert (r["gap_low"], r["gap"], r["gap_high"]) == pytest.approx(expected), spec


def test_published_us_replacement_rows_are_not_force_packages() -> None:
    """An IISS-type 'US assets to replace' row is a reproduction target, never a requirement."""
    ds = tank_dataset()
    ds.tables["capability_requirements"] = requirements_frame([
        {"study_id": "bruegel_kiel_2025", "capability": "aew_c", "value": 9,
         "basis": "replace_us_published"}])
    r = row(capability_gaps(ds, scenario()), "aew_c", 2026)
    assert r["requirement_source"] == "none"


def test_no_requirement_is_reported_not_zero_and_an_assumption_fills_it() -> None:
    """AEW&C: no US figure and no study -> NaN, 'no requirement'. A named assumption 5/10/20
    against 4 held: gap 1/6/16."""
    r = row(capability_gaps(tank_dataset(), scenario()), "aew_c", 2026)
    assert math.isnan(r["requirement"]) and math.isnan(r["gap"]) and math.isnan(r["gap_high"])
    assert r["requirement_source"] == "none" and "no requirement" in r["data_status"]
    assert r["european_effective"] == pytest.approx(4)
    assumed = {"aew_c": {"low": 5, "central": 10, "high": 20, "basis": "test"}}
    r = row(capability_gaps(tank_dataset(), scenario(assumed_requirements=assumed)), "aew_c", 2026)
    assert r["requirement_source"] == "assumption"
    assert (r["gap_low"], r["gap"], r["gap_high"]) == pytest.approx((1, 6, 16))
    assert r["most_sensitive_assumption"] == "requirement range"


def test_a_requirement_per_unit_of_another_area() -> None:
    """Two interceptors per tank required (replace-us tanks: 210) -> 420 interceptors."""
    assumed = {"air_defence_interceptor": {"low": 1, "central": 2, "high": 4, "basis": "test",
                                           "per_unit_of": "main_battle_tank"}}
    r = row(capability_gaps(tank_dataset(), scenario(assumed_requirements=assumed)),
            "air_defence_interceptor", 2026)
    assert (r["requirement_low"], r["requirement"], r["requirement_high"]) == pytest.approx(
        (210, 420, 840))


def test_sustainment_per_family_with_its_range() -> None:
    """M1 Abrams: floor 0.2/0.4/0.6, half-life 6/12/24 months; one year of denial:
    a = 0.4 + 0.6 * 0.5 = 0.7 (central), 0.2 + 0.8 * 0.25 = 0.4 (low),
    0.6 + 0.4 * 2**-0.5 (high). E = 100 + 50a; R = 210, no US -> gap 75 / 90 / 65.86."""
    ds = tank_dataset()
    ds.tables["sustainment"] = pd.DataFrame([{
        "family": "M1 Abrams", "floor_low": 0.2, "floor_central": 0.4, "floor_high": 0.6,
        "half_life_months_low": 6.0, "half_life_months_central": 12.0,
        "half_life_months_high": 24.0, "source": None, "assumption": "test"}])
    params = {k: v for k, v in LEVERS.items() if not k.startswith(("unsustained", "sustainment"))}
    sc = Scenario(name="fam", first_year=2026, horizon=2026,
                  us_commitment=USCommitment(forces_in_place=FractionPath({2026: 0.0}),
                                             reinforcements=FractionPath({2026: 0.0}),
                                             sustainment=FractionPath({2026: 0.0})),
                  capabilities=CapabilityParams(**params))  # type: ignore[arg-type]
    r = row(capability_gaps(ds, sc), "main_battle_tank", 2026)
    assert r["gap"] == pytest.approx(75)
    assert r["gap_high"] == pytest.approx(90)
    assert r["gap_low"] == pytest.approx(210 - 100 - 50 * (0.6 + 0.4 * 2**-0.5))
    assert r["most_sensitive_assumption"].startswith("sustainment")


def test_no_european_data_counts_zero_and_says_so() -> None:
    """A user total of 10 submarines nobody reports: gap 10, flagged as an upper bound."""
    g = capability_gaps(tank_dataset(), scenario(user_requirements={"attack_submarine": 10}))
    r = row(g, "attack_submarine", 2026)
    assert r["requirement"] == 10 and r["requirement_source"] == "user"
    assert math.isnan(r["european_effective"]) and r["gap"] == pytest.approx(10)
    assert "upper bound" in r["data_status"]


def test_unknown_origin_is_not_discounted_and_is_flagged() -> None:
    ds = tank_dataset()
    extra = holdings_frame([{"capability": "main_battle_tank", "holder": "CCC", "quantity": 40,
                             "us_made": None}])
    ds.tables["capability_holdings"] = pd.concat([ds.tables["capability_holdings"], extra],
                                                 ignore_index=True)
    g = capability_gaps(ds, scenario(0, 0, 0))
    r = row(g, "main_battle_tank", 2026)
    assert r["european_effective"] == pytest.approx(165)  # 100 + 40 + 0.5 * 50
    assert "unknown origin" in r["data_status"]


def test_availability_curve() -> None:
    """Half-life 12 months: 1 -> 0.5 -> 0.25; floor 0.2: 1 -> 0.6 -> 0.4;
    restored after two years of denial: 0.25 -> 0.625."""
    a = sustainment_availability({2026: 0.0, 2027: 0.0, 2028: 1.0}, 12.0)
    assert list(a) == pytest.approx([0.5, 0.25, 0.625])
    b = sustainment_availability({2026: 0.0, 2027: 0.0}, 12.0, floor=0.2)
    assert list(b) == pytest.approx([0.6, 0.4])
    c = sustainment_availability({2026: 0.0}, 6.0)
    assert list(c) == pytest.approx([0.25])


def test_coverage_is_a_weighted_capped_mean() -> None:
    gaps = pd.DataFrame({
        "capability": ["main_battle_tank", "aew_c", "hale_uav", "main_battle_tank", "aew_c"],
        "year": [2026, 2026, 2026, 2027, 2027],
        "coverage": [0.5, 1.0, float("nan"), 0.0, 0.5],
    })
    cov = capability_coverage(gaps, {"aew_c": 3.0})
    assert cov.loc[2026] == pytest.approx((0.5 + 3 * 1.0) / 4)
    assert cov.loc[2027] == pytest.approx((0.0 + 3 * 0.5) / 4)
    assert cov.name == "capability_coverage" and cov.index.name == "year"


def test_holdings_by_ally_says_no_data() -> None:
    h = holdings_by_ally(tank_dataset(), scenario(0, 0, 0))
    c = h[(h["iso3"] == "CCC") & (h["capability"] == "main_battle_tank")].iloc[0]
    assert c["data_status"] == "no data" and math.isnan(c["holdings"])
    b = h[(h["iso3"] == "BBB") & (h["capability"] == "main_battle_tank") & (h["year"] == 2026)]
    assert b.iloc[0]["effective"] == pytest.approx(25)
    assert set(h["iso3"]) == {"AAA", "BBB", "CCC"}


def test_dependency_without_systems_table_leaves_money_empty() -> None:
    d = dependency_exposure(tank_dataset(), scenario(0, 0, 0))
    b = d[d["holder"] == "BBB"].iloc[0]
    assert b["us_made_share"] == pytest.approx(1.0)
    assert math.isnan(b["value_at_stake_musd"])
    assert "no systems table" in b["value_status"]


def test_dependency_prices_us_made_units_from_the_systems_table() -> None:
    ds = tank_dataset()
    ds.tables["capability_holdings"].loc[1, "system_family"] = "M1 Abrams"
    ds.tables["systems"] = pd.DataFrame({
        "system": ["M1A2 Abrams (test)", "Leopard 2A8 MBT"], "capability": ["main_battle_tank"] * 2,
        "us_made": [True, False], "unit_cost_musd": [10.0, 30.0], "canonical": [True, True]})
    d = dependency_exposure(ds, scenario())
    assert d[d["holder"] == "BBB"].iloc[0]["value_at_stake_musd"] == pytest.approx(500)
    assert d[d["holder"] == "AAA"].iloc[0]["value_at_stake_musd"] == 0
