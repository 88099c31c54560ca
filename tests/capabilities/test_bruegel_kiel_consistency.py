"""Consistency checks of the gap model on the Bruegel/Kiel (Feb 2025) land-force needs.

These are consistency checks, not reproductions. Bruegel/Kiel publish Europe's
*additional* need to replace the US: 300,000 troop equivalents (~100,000 US
troops in Europe + up to 200,000 reinforcements), 1,400 tanks, 2,000 IFVs and
700 artillery pieces. Those figures are inputs (the ``capability_requirements``
table): the model sets the requirement to today's European holdings plus that
need, so with the US gone the gap equals the need *by construction* - plus
whatever US-made kit Europe loses once sustainment is denied, which the study
does not count and the model reports as ``sustainment_loss``. The checks show
that the gap arithmetic keeps those pieces apart; they do not show that the
model computes the study's figures from independent inputs.

Tolerance: ``TOLERANCE_UNITS = 1e-6`` of the area unit. The arithmetic is exact by
construction, so the tolerance only absorbs float rounding.

The last test is a cross-check of two independent tables (the US posture data
against the study's decomposition of its 300,000 troops).
"""

from __future__ import annotations

import pytest

from alliance.capabilities import capability_gaps
from alliance.data import Dataset
from alliance.scenario import Scenario, apply_overrides, load_scenario

TOLERANCE_UNITS = 1e-6
#: Bruegel/Kiel's additional need to replace the US (an input of the model).
STUDY_NEED = {
    "troop_equivalents": 300_000,
    "main_battle_tank": 1_400,
    "infantry_fighting_vehicle": 2_000,
    "artillery_155mm_sp_and_mlrs": 700,
}


@pytest.fixture(scope="module")
def europe_alone() -> Scenario:
    sc = load_scenario("europe-alone")
    return apply_overrides(sc, {"capabilities.requirement_source": "bruegel_kiel_2025"})


def test_consistency_land_gap_is_the_study_need_plus_sustainment_loss(
    dataset: Dataset, europe_alone: Scenario
) -> None:
    """Consistency check (holds by construction): with the US gone from 2027, the land
    gap minus the sustainment loss is the study's need, which is an input."""
    g = capability_gaps(dataset, europe_alone)
    late = g[(g["year"] >= 2027) & g["capability"].isin(STUDY_NEED)]
    assert set(late["capability"]) == set(STUDY_NEED)
    for _, r in late.iterrows():
        assert r["us_contribution"] == 0
        assert r["requirement_source"] == "bruegel_kiel_2025"
        study_gap = r["gap"] - r["sustainment_loss"]
        assert abs(study_gap - STUDY_NEED[r["capability"]]) <= TOLERANCE_UNITS, r.to_dict()


def test_consistency_with_sustainment_kept_the_gap_is_the_study_need(
    dataset: Dataset, europe_alone: Scenario
) -> None:
    """Consistency check (holds by construction) under Bruegel/Kiel's own assumption: US
    forces leave, European kit keeps working, so the gap is exactly the input need."""
    sc = apply_overrides(europe_alone, {"us_commitment.sustainment": 1.0})
    g = capability_gaps(dataset, sc)
    for cap, need in STUDY_NEED.items():
        for year in (2027, 2030, 2035):
            r = g[(g["capability"] == cap) & (g["year"] == year)].iloc[0]
            assert abs(r["gap"] - need) <= TOLERANCE_UNITS
            assert r["sustainment_loss"] == 0
    # troops are not US-made: no sustainment loss even when sustainment is denied
    g2 = capability_gaps(dataset, europe_alone)
    troops = g2[(g2["capability"] == "troop_equivalents") & (g2["year"] >= 2027)]
    assert (troops["gap"] - 300_000).abs().max() <= TOLERANCE_UNITS


def test_consistency_first_year_with_the_us_still_in_place_has_no_land_gap(
    dataset: Dataset, europe_alone: Scenario
) -> None:
    """Consistency check (holds by construction): in 2026 the US is still fully in place,
    and on the study basis its contribution is the need, so no land gap is open."""
    g = capability_gaps(dataset, europe_alone)
    first = g[(g["year"] == 2026) & g["capability"].isin(STUDY_NEED)]
    assert len(first) == len(STUDY_NEED)
    assert (first["gap"] <= TOLERANCE_UNITS).all()


def test_us_troops_in_posture_data_match_the_study_decomposition(dataset: Dataset) -> None:
    """Cross-check of two tables: on the inventory basis the US troop contribution is
    the us_posture figures (100,000 in Europe + 200,000 planned reinforcements), which
    add up to the study's 300,000 - so the baseline troop gap is 0 on either basis."""
    sc = apply_overrides(load_scenario("baseline"),
                         {"capabilities.requirement_source": "bruegel_kiel_2025",
                          "capabilities.us_contribution_basis": "inventory"})
    g = capability_gaps(dataset, sc)
    r = g[(g["capability"] == "troop_equivalents") & (g["year"] == 2030)].iloc[0]
    assert r["us_in_place"] == pytest.approx(100_000)
    assert r["us_reinforcement"] == pytest.approx(200_000)
    assert abs(r["gap"]) <= TOLERANCE_UNITS
