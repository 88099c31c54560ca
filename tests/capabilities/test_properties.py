"""Properties of the gap model that must hold for any data and any commitment path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.capabilities import (
    european_effective,
    european_reference,
    gap_table,
    resolve_requirements,
    sustainment_availability,
    us_contribution_full,
)
from alliance.params import CapabilityParams
from tests.capabilities.capability_builders import holdings_frame, posture_frame, requirements_frame

YEARS = [2026, 2027, 2028, 2029]
AREAS = ["main_battle_tank", "ground_based_air_defence_long_range", "aew_c"]

fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
quantity = st.floats(min_value=0.0, max_value=5000.0, allow_nan=False)
path = st.lists(fraction, min_size=len(YEARS), max_size=len(YEARS))


@st.composite
def world(draw: st.DrawFn) -> dict[str, object]:
    """Random holdings (European, US-made or not; US in Europe and total) and requirements."""
    rows = []
    for area in AREAS:
        for holder in ("AAA", "BBB"):
            if draw(st.booleans()):
                rows.append({"capability": area, "holder": holder, "quantity": draw(quantity),
                             "us_made": draw(st.booleans())})
        for holder in ("USA_EUCOM", "USA_TOTAL"):
            if draw(st.booleans()):
                rows.append({"capability": area, "holder": holder, "quantity": draw(quantity),
                             "us_made": True})
    reqs = []
    for area in AREAS:
        kind = draw(st.sampled_from(["additional", "total", "none"]))
        if kind != "none":
            reqs.append({"study_id": "iiss_2025", "capability": area, "kind": kind,
                         "value": draw(quantity), "replaces_us": draw(st.booleans())})
    params = CapabilityParams(
        requirement_source="iiss_2025",
        us_contribution_basis=draw(st.sampled_from(["study", "inventory"])),
        reinforcement_share=draw(fraction),
        sustainment_half_life_months=draw(st.floats(min_value=1.0, max_value=120.0)),
        unsustained_availability_floor=draw(fraction),
    )
    return {"holdings": holdings_frame(rows), "requirements": requirements_frame(reqs),
            "params": params}


def run(w: dict[str, object], fip: list[float], reinf: list[float], sust: list[float],
        additions: pd.DataFrame | None = None) -> pd.DataFrame:
    params: CapabilityParams = w["params"]  # type: ignore[assignment]
    holdings: pd.DataFrame = w["holdings"]  # type: ignore[assignment]
    reference = european_reference(holdings, params)
    resolved = resolve_requirements(w["requirements"], reference, params)  # type: ignore[arg-type]
    us_full = us_contribution_full(holdings, posture_frame(), resolved, params, 2025)
    avail = sustainment_availability(dict(zip(YEARS, sust, strict=True)),
                                     params.sustainment_half_life_months,
                                     params.unsustained_availability_floor)
    effective = european_effective(reference, avail, params, additions)
    paths = pd.DataFrame({"year": YEARS, "forces_in_place": fip, "reinforcements": reinf,
                          "sustainment": sust})
    return gap_table(resolved, reference, effective, us_full, paths, params)


def _leq(a: pd.Series, b: pd.Series) -> bool:
    """a <= b where both are known (NaN gaps stay NaN on both sides)."""
    both = a.notna() & b.notna()
    assert (a.isna() == b.isna()).all()
    return bool((a[both] <= b[both] + 1e-6 * (1 + b[both].abs())).all())


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(world(), path, path, path, path, path, path)
def test_more_us_commitment_never_widens_a_gap(w, f1, f2, r1, r2, s1, s2) -> None:
    lo = run(w, f1, r1, s1)
    hi = run(w, list(np.maximum(f1, f2)), list(np.maximum(r1, r2)), list(np.maximum(s1, s2)))
    assert _leq(hi["gap"], lo["gap"])


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(world(), path, path, path, st.lists(quantity, min_size=1, max_size=4),
       st.lists(st.booleans(), min_size=4, max_size=4))
def test_adding_european_holdings_never_widens_a_gap(w, f, r, s, extra, us_made) -> None:
    """Units added on top of the reference holdings (e.g. deliveries) only close gaps."""
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
@settings(max_examples=40, deadline=None)
@given(world())
def test_full_us_commitment_and_sustainment_give_the_baseline_gap(w) -> None:
    """With every path at 1 the availability stays 1 and the gap is
    max(0, R - E_reference - U_full): for an additional need X, max(0, X - U_full)."""
    ones = [1.0] * len(YEARS)
    g = run(w, ones, ones, ones)
    params: CapabilityParams = w["params"]  # type: ignore[assignment]
    holdings: pd.DataFrame = w["holdings"]  # type: ignore[assignment]
    reference = european_reference(holdings, params).set_index("capability")
    resolved = resolve_requirements(w["requirements"], reference.reset_index(), params)
    us_full = us_contribution_full(holdings, posture_frame(), resolved, params, 2025)
    us_full = us_full.set_index("capability")
    resolved = resolved.set_index("capability")
    for _, row in g.iterrows():
        area = row["capability"]
        u = us_full.loc[area, "us_in_place_full"] + us_full.loc[area, "us_reinforcement_full"]
        assert row["us_contribution"] == np.float64(u) or abs(row["us_contribution"] - u) < 1e-6
        e = reference.loc[area, "european_holdings"]
        kind = resolved.loc[area, "requirement_kind"]
        if kind not in ("additional", "total") or (kind == "total" and pd.isna(e)):
            assert pd.isna(row["gap"])  # no requirement, or no European data: unknown, not 0
            continue
        if kind == "additional":
            expected = max(0.0, resolved.loc[area, "additional_need"] - u)
        else:
            expected = max(0.0, row["requirement"] - e - u)
        assert abs(row["gap"] - expected) < 1e-6 * (1 + expected)
