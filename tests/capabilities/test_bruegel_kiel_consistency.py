"""Consistency checks of the gap model on the Bruegel/Kiel (Feb 2025) land-force needs.

These are consistency checks, not reproductions. Bruegel/Kiel publish Europe's
*additional* need to replace the US: 300,000 troop equivalents (~100,000 US
troops in Europe + up to 200,000 reinforcements), 1,400 tanks, 2,000 IFVs and
700 artillery pieces. Those figures are inputs (the ``capability_requirements``
table): as a force package the requirement is the study's reference stock (or,
where the study states none, the frozen European baseline) plus that need, so
with the US gone and European holdings at the baseline the gap equals the need
*by construction* - plus whatever US-made kit Europe loses once sustainment is
denied, which the study does not count and the model reports as
``sustainment_loss``. The checks show that the gap arithmetic keeps those
pieces apart; they do not show that the model computes the study's figures
from independent inputs.

Tolerance: ``TOLERANCE_UNITS = 1e-6`` of the area unit. The arithmetic is exact by
construction, so the tolerance only absorbs float rounding.

The last test is a cross-check of two independent tables (the US posture data
against the study's decomposition of its 300,000 troops).
"""

from __future__ import annotations

import pandas as pd
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
    return apply_overrides(sc, {"capabilities.force_package_order": ["bruegel_kiel_2025"],
                                "capabilities.requirement_basis": dict.fromkeys(
                                    STUDY_NEED, "force_package")})


def _on_baseline(dataset: Dataset, area: str) -> bool:
    """Whether the study row of ``area`` sits on the frozen baseline (no own reference stock)."""
    req = dataset.table("capability_requirements")
    row = req[(req["study_id"] == "bruegel_kiel_2025") & (req["capability"] == area)].iloc[0]
    return "reference_stock" not in req.columns or bool(pd.isna(row["reference_stock"]))


def test_consistency_land_gap_is_the_study_need_plus_sustainment_loss(
    dataset: Dataset, europe_alone: Scenario
) -> None:
    """Consistency check (holds by construction): with the US gone from 2027, the land
    requirement minus its reference is the study's need (an input), and the gap is the
    requirement minus what Europe still fields."""
    g = capability_gaps(dataset, europe_alone)
    late = g[(g["year"] >= 2027) & g["capability"].isin(STUDY_NEED)]
    assert set(late["capability"]) == set(STUDY_NEED)
    for _, r in late.iterrows():
        assert r["us_contribution"] == 0
        assert r["requirement_source"] == "bruegel_kiel_2025"
        expected = max(0.0, r["requirement"] - r["european_effective"])
        assert abs(r["gap"] - expected) <= TOLERANCE_UNITS, r.to_dict()
        if _on_baseline(dataset, r["capability"]):
            need = r["requirement"] - r["european_baseline"]
            assert abs(need - STUDY_NEED[r["capability"]]) <= TOLERANCE_UNITS
            study_gap = r["gap"] - r["sustainment_loss"]
            held = r["european_holdings"] - r["european_baseline"]
            assert abs(study_gap + held - STUDY_NEED[r["capability"]]) <= TOLERANCE_UNITS


def test_consistency_troops_are_not_us_made(dataset: Dataset, europe_alone: Scenario) -> None:
    """Troops carry no sustainment loss even when US sustainment is denied."""
    g = capability_gaps(dataset, europe_alone)
    troops = g[(g["capability"] == "troop_equivalents") & (g["year"] >= 2027)]
    assert (troops["sustainment_loss"] == 0).all()
    assert (troops["gap"] == troops["gap"].iloc[0]).all()


def test_us_troops_in_posture_data_match_the_study_decomposition(dataset: Dataset) -> None:
    """Cross-check of two tables: the US troop contribution is the us_posture figures
    (100,000 in Europe + 200,000 planned reinforcements), which add up to the study's
    300,000 - so under full US commitment the US brings the study's whole need."""
    sc = apply_overrides(load_scenario("baseline"),
                         {"capabilities.force_package_order": ["bruegel_kiel_2025"]})
    g = capability_gaps(dataset, sc)
    r = g[(g["capability"] == "troop_equivalents") & (g["year"] == 2030)].iloc[0]
    assert r["us_in_place"] == pytest.approx(100_000)
    assert r["us_reinforcement"] == pytest.approx(200_000)
    assert r["us_contribution"] == pytest.approx(STUDY_NEED["troop_equivalents"])
