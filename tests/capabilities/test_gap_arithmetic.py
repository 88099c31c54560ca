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
        capabilities=CapabilityParams(**params),  # type: ignore[arg-type]
    )


def tank_dataset() -> FakeDataset:
    """Tanks: ally A 100 (European-made), ally B 50 (US-made), 1000 on order (ignored);
    US 10 in Europe, 110 in total; Bruegel/Kiel-style additional need 60 replacing the US;
    US troops 100 in place + 200 reinforcements (split 1/3 : 2/3)."""
    return FakeDataset({
        "capability_holdings": holdings_frame([
            {"capability": "main_battle_tank", "holder": "AAA", "quantity": 100},
            {"capability": "main_battle_tank", "holder": "BBB", "quantity": 50, "us_made": True},
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


def test_full_commitment_closes_a_study_need_exactly() -> None:
    """R = 150 + 60 = 210; E = 150; U = 60 (study basis) -> gap 0, surplus 0."""
    g = capability_gaps(tank_dataset(), scenario())
    r = row(g, "main_battle_tank", 2026)
    assert r["requirement"] == pytest.approx(210)
    assert r["european_holdings"] == pytest.approx(150)
    assert r["european_effective"] == pytest.approx(150)
    assert r["us_in_place"] == pytest.approx(20)
    assert r["us_reinforcement"] == pytest.approx(40)
    assert r["gap"] == pytest.approx(0)
    assert r["surplus"] == pytest.approx(0)
    assert r["data_status"] == "ok"


def test_europe_alone_gap_is_the_need_plus_lost_us_made_kit() -> None:
    """No US, no sustainment, half-life 12 months: a(2026) = 0.5, a(2027) = 0.25.
    E(2026) = 100 + 0.5 * 50 = 125 -> gap 85 = 60 + 25; E(2027) = 112.5 -> gap 97.5."""
    g = capability_gaps(tank_dataset(), scenario(0, 0, 0))
    assert row(g, "main_battle_tank", 2026)["gap"] == pytest.approx(85)
    assert row(g, "main_battle_tank", 2026)["sustainment_loss"] == pytest.approx(25)
    assert row(g, "main_battle_tank", 2027)["gap"] == pytest.approx(97.5)
    assert row(g, "main_battle_tank", 2027)["surplus"] == pytest.approx(-97.5)


def test_partial_commitment_on_both_bases() -> None:
    """Forces in place 0.5, reinforcements 1. Study: U = 0.5 * 20 + 40 = 50 -> gap 10.
    Inventory (share 0.5): U = 0.5 * 10 + 0.5 * (110 - 10) = 55 -> gap 5."""
    study = capability_gaps(tank_dataset(), scenario(0.5, 1.0, 1.0))
    assert row(study, "main_battle_tank", 2026)["gap"] == pytest.approx(10)
    inv = capability_gaps(tank_dataset(), scenario(0.5, 1.0, 1.0, us_contribution_basis="inventory",
                                                   reinforcement_share=0.5))
    r = row(inv, "main_battle_tank", 2026)
    assert r["us_contribution"] == pytest.approx(55)
    assert r["gap"] == pytest.approx(5)
    assert r["us_contribution_basis"] == "inventory"


def test_no_requirement_is_reported_not_zero() -> None:
    g = capability_gaps(tank_dataset(), scenario())
    r = row(g, "aew_c", 2026)
    assert math.isnan(r["requirement"]) and math.isnan(r["gap"]) and math.isnan(r["surplus"])
    assert r["requirement_source"] == "none"
    assert "no requirement" in r["data_status"]
    assert r["european_effective"] == pytest.approx(4)


def test_no_european_data_is_reported_not_zero() -> None:
    """A user total requirement for an area nobody reports: the gap is unknown, not R - U."""
    g = capability_gaps(tank_dataset(), scenario(user_requirements={"attack_submarine": 10}))
    r = row(g, "attack_submarine", 2026)
    assert r["requirement"] == 10
    assert math.isnan(r["european_effective"]) and math.isnan(r["gap"])
    assert "no European holdings data" in r["data_status"]


def test_additional_need_without_european_data_still_gives_the_gap() -> None:
    """Additional need 30 with no European figure: gap = 30 - U; requirement level unknown."""
    ds = tank_dataset()
    ds.tables["capability_requirements"] = requirements_frame([
        {"study_id": "iiss_2025", "capability": "frigate_destroyer", "value": 30},
    ])
    g = capability_gaps(ds, scenario(0, 0, 0, requirement_source="iiss_2025"))
    r = row(g, "frigate_destroyer", 2026)
    assert math.isnan(r["requirement"])
    assert r["gap"] == pytest.approx(30)
    assert "additional need" in r["data_status"]


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


def test_range_points_and_kinds() -> None:
    """Range 100-200 additional: low 100, mid 150, high 200; a multiple 2 of holdings 150 -> 300."""
    ds = tank_dataset()
    ds.tables["capability_requirements"] = requirements_frame([
        {"study_id": "kiel_fit_for_war_2025", "capability": "main_battle_tank", "value_low": 100,
         "value_high": 200, "replaces_us": False},
        {"study_id": "nato_2025", "capability": "main_battle_tank", "value": 2,
         "kind": "multiple_of_baseline", "replaces_us": False},
    ])
    for point, need in (("low", 100), ("mid", 150), ("high", 200)):
        g = capability_gaps(ds, scenario(0, 0, 1, requirement_source="kiel_fit_for_war_2025",
                                         requirement_range_point=point))
        assert row(g, "main_battle_tank", 2026)["requirement"] == pytest.approx(150 + need)
    g = capability_gaps(ds, scenario(0, 0, 1, requirement_source="nato_2025"))
    assert row(g, "main_battle_tank", 2026)["requirement"] == pytest.approx(300)


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
        "requirement": [100.0, 10.0, float("nan"), 100.0, 10.0],
        "european_effective": [40.0, 15.0, 3.0, 0.0, 0.0],
        "us_contribution": [10.0, 0.0, 0.0, 0.0, 5.0],
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
