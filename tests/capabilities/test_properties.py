"""Properties of the gap model that must hold for any data and any commitment path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.capabilities import capability_gaps, sustainment_availability
from alliance.params import CapabilityParams, FractionPath, USCommitment
from alliance.scenario import Scenario
from tests.capabilities.capability_builders import (
    FakeDataset,
    allies_frame,
    holdings_frame,
    posture_frame,
    requirements_frame,
)

YEARS = [2026, 2027, 2028, 2029]
AREAS = ["main_battle_tank", "ground_based_air_defence_long_range", "aew_c"]

fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
quantity = st.floats(min_value=0.0, max_value=5000.0, allow_nan=False)
path = st.lists(fraction, min_size=len(YEARS), max_size=len(YEARS))


@st.composite
def ordered_range(draw: st.DrawFn, high: float) -> dict[str, float]:
    """A low <= central <= high range inside [0, high]."""
    ends = sorted(draw(st.lists(st.floats(min_value=0.0, max_value=high), min_size=3,
                                max_size=3)))
    return {"low": ends[0], "central": ends[1], "high": ends[2]}


@st.composite
def world(draw: st.DrawFn) -> dict[str, object]:
    """Random holdings (European, US-made or not; US in Europe and total), requirements, ranges."""
    rows = []
    for area in AREAS:
        for holder in ("AAA", "BBB"):
            if draw(st.booleans()):
                rows.append({"capability": area, "holder": holder, "quantity": draw(quantity),
                             "us_made": draw(st.booleans()), "system_family": f"{area} kit"})
        for holder in ("USA_EUCOM", "USA_TOTAL"):
            if draw(st.booleans()):
                rows.append({"capability": area, "holder": holder, "quantity": draw(quantity),
                             "us_made": True})
    reqs = []
    for area in AREAS:
        kind = draw(st.sampled_from(["additional", "total", "none"]))
        if kind != "none":
            lo = draw(quantity)
            reqs.append({"study_id": "kiel_fit_for_war_2025", "capability": area, "kind": kind,
                         "value_low": lo, "value_high": lo + draw(quantity)})
    params = CapabilityParams(
        requirement_basis={a: draw(st.sampled_from(["replace_us", "force_package"]))
                           for a in AREAS},
        reinforcement_share=draw(ordered_range(1.0)),
        default_unsustained_floor=draw(ordered_range(1.0)),
        default_half_life_months={k: v + 1.0 for k, v in draw(ordered_range(120.0)).items()},
        assumed_requirements={},
    )
    ds = FakeDataset({
        "capability_holdings": holdings_frame(rows),
        "capability_requirements": requirements_frame(reqs),
        "us_posture": posture_frame(),
        "allies": allies_frame(["AAA", "BBB", "USA"]),
    })
    return {"dataset": ds, "params": params}


def scenario(params: CapabilityParams, fip: list[float], reinf: list[float],
             sust: list[float]) -> Scenario:
    def yearly(values: list[float]) -> FractionPath:
        return FractionPath(dict(zip(YEARS, values, strict=True)))

    return Scenario(name="prop", first_year=YEARS[0], horizon=YEARS[-1],
                    us_commitment=USCommitment(forces_in_place=yearly(fip),
                                               reinforcements=yearly(reinf),
                                               sustainment=yearly(sust)),
                    capabilities=params)


def run(w: dict[str, object], fip: list[float], reinf: list[float], sust: list[float],
        additions: pd.DataFrame | None = None) -> pd.DataFrame:
    ds: FakeDataset = w["dataset"]  # type: ignore[assignment]
    params: CapabilityParams = w["params"]  # type: ignore[assignment]
    return capability_gaps(ds, scenario(params, fip, reinf, sust), additions)  # type: ignore[arg-type]


def _leq(a: pd.Series, b: pd.Series) -> bool:
    """a <= b where both are known (NaN gaps stay NaN on both sides)."""
    both = a.notna() & b.notna()
    assert (a.isna() == b.isna()).all()
    return bool((a[both] <= b[both] + 1e-6 * (1 + b[both].abs())).all())


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(world(), path, path, path, path, path, path)
def test_more_us_commitment_never_widens_a_gap(w, f1, f2, r1, r2, s1, s2) -> None:
    lo = run(w, f1, r1, s1)
    hi = run(w, list(np.maximum(f1, f2)), list(np.maximum(r1, r2)), list(np.maximum(s1, s2)))
    assert _leq(hi["gap"], lo["gap"])


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(world(), path, path, path)
def test_the_range_brackets_the_central_gap(w, f, r, s) -> None:
    g = run(w, f, r, s)
    assert _leq(g["gap_low"], g["gap"]) and _leq(g["gap"], g["gap_high"])
    assert _leq(g["requirement_low"], g["requirement"])
    assert _leq(g["requirement"], g["requirement_high"])


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(world(), path, path, path, st.sampled_from(AREAS), st.sampled_from(["AAA", "BBB"]),
       st.floats(min_value=0.5, max_value=500.0), st.booleans())
def test_k_more_units_lower_the_gap_by_k_times_availability(w, f, r, s, area, holder, k,
                                                            us_made) -> None:
    """Adding k units to an ally's holdings lowers the gap by k x availability until it is 0.

    The requirement does not move (it never reads the run's holdings), so a
    positive gap always falls: by exactly k x a(y), a = 1 for non-US-made kit
    and the family's availability for US-made kit, or to zero.
    """
    ds: FakeDataset = w["dataset"]  # type: ignore[assignment]
    before = run(w, f, r, s)
    extra = holdings_frame([{"capability": area, "holder": holder, "quantity": k,
                             "us_made": us_made, "system_family": f"{area} extra"}])
    grown = FakeDataset({**ds.tables, "capability_holdings": pd.concat(
        [ds.tables["capability_holdings"], extra], ignore_index=True)})
    after = capability_gaps(grown, scenario(w["params"], f, r, s))  # type: ignore[arg-type]
    params: CapabilityParams = w["params"]  # type: ignore[assignment]
    availability = (sustainment_availability(dict(zip(YEARS, s, strict=True)),
                                             params.default_half_life_months.central,
                                             params.default_unsustained_floor.central)
                    if us_made else pd.Series(1.0, index=YEARS))
    b = before[before["capability"] == area].set_index("year")
    a = after[after["capability"] == area].set_index("year")
    assert (a["requirement"].fillna(-1) == b["requirement"].fillna(-1)).all()
    for year in YEARS:
        if pd.isna(b.loc[year, "gap"]):
            continue
        expected = max(0.0, b.loc[year, "gap"] - k * float(availability.loc[year]))
        assert a.loc[year, "gap"] == pytest.approx(expected, rel=1e-9, abs=1e-6)
        if b.loc[year, "gap"] > 0 and availability.loc[year] > 0:
            assert a.loc[year, "gap"] < b.loc[year, "gap"]


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(world(), path, path, path, st.lists(quantity, min_size=1, max_size=4),
       st.lists(st.booleans(), min_size=4, max_size=4))
def test_planned_additions_never_widen_a_gap(w, f, r, s, extra, us_made) -> None:
    """Units added on top of the holdings (deliveries of the plan) only close gaps."""
    additions = pd.DataFrame({
        "capability": [AREAS[i % len(AREAS)] for i in range(len(extra))],
        "year": [YEARS[i % len(YEARS)] for i in range(len(extra))],
        "quantity": extra,
        "us_made": us_made[: len(extra)],
    })
    before = run(w, f, r, s)
    after = run(w, f, r, s, additions)
    known = before["gap"].notna() & after["gap"].notna()
    assert (after.loc[known, "gap"] <= before.loc[known, "gap"] + 1e-6).all()


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(world())
def test_replace_us_with_full_us_commitment_has_no_gap(w) -> None:
    """Every path at 1: availability stays 1 and U = U_full, so a replace-us gap is
    max(0, E_base - E), which is 0 when the run's holdings are the baseline's."""
    ones = [1.0] * len(YEARS)
    g = run(w, ones, ones, ones)
    replace = g[(g["requirement_basis"] == "replace_us") & g["requirement"].notna()]
    assert (replace["gap"].abs() < 1e-6 * (1 + replace["requirement"])).all()
    assert (replace["gap_high"].abs() < 1e-6 * (1 + replace["requirement"])).all()
