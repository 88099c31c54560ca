"""planned_additions: the plan's deliveries become a stock in service for every year."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.assessment import planned_additions

SYSTEMS = pd.DataFrame(
    {
        "system": ["Leopard 2A8", "Leopard 2A8", "M1A2 Abrams", "F-35", "Rafale"],
        "capability": [
            "main_battle_tank",
            "main_battle_tank",
            "main_battle_tank",
            "fighter_aircraft_5th_gen",
            "fighter_aircraft_4th_gen",
        ],
        # The systems table may list a system on several rows (one per contract).
        "us_made": [False, False, True, True, False],
    }
)
AREA = {
    "Leopard 2A8": "main_battle_tank",
    "M1A2 Abrams": "main_battle_tank",
    "F-35": "combat_aircraft",
    "Rafale": "combat_aircraft",
}
YEARS = [2026, 2027, 2028, 2029, 2030]
#: Relative round-off allowed in the cumulated stock [fraction of the largest stock].
ROUND_OFF = 1e-12


def _deliveries(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    """Planning-output shape: buyer, system, capability (area), year, units."""
    frame = pd.DataFrame(rows, columns=["buyer", "system", "year", "units"])
    frame.insert(2, "capability", frame["system"].map(AREA))
    return frame


def test_sparse_deliveries_carry_through_the_years() -> None:
    deliveries = _deliveries(
        [
            # European tanks: 15 in 2027 (two buyers), none in 2028, 3 in 2029.
            ("DEU", "Leopard 2A8", 2027, 10.0),
            ("POL", "Leopard 2A8", 2027, 5.0),
            ("DEU", "Leopard 2A8", 2028, 0.0),
            ("POL", "Leopard 2A8", 2029, 3.0),
            # US-made tanks (the other origin): 4 in 2028 only.
            ("POL", "M1A2 Abrams", 2028, 4.0),
        ]
    )
    out = planned_additions(deliveries, SYSTEMS, YEARS)

    assert list(out.columns) == ["capability", "year", "quantity", "us_made"]
    stock = out.pivot_table(index="year", columns="us_made", values="quantity")
    assert list(stock.index) == YEARS
    assert stock[False].tolist() == [0.0, 15.0, 15.0, 18.0, 18.0]
    assert stock[True].tolist() == [0.0, 0.0, 4.0, 4.0, 4.0]
    assert set(out["capability"]) == {"main_battle_tank"}
    assert len(out) == 2 * len(YEARS)  # one row per origin and year, none duplicated


def test_origin_comes_from_the_systems_table() -> None:
    deliveries = _deliveries([("NLD", "F-35", 2027, 8.0), ("FRA", "Rafale", 2029, 2.0)])
    out = planned_additions(deliveries, SYSTEMS, YEARS)
    last = out[out["year"] == YEARS[-1]].set_index("us_made")["quantity"]
    assert last.to_dict() == {True: 8.0, False: 2.0}
    assert set(out["capability"]) == {"combat_aircraft"}


def test_no_deliveries_no_rows() -> None:
    out = planned_additions(_deliveries([]), SYSTEMS, YEARS)
    assert out.empty
    assert list(out.columns) == ["capability", "year", "quantity", "us_made"]


delivery_rows = st.lists(
    st.tuples(
        st.sampled_from(["DEU", "FRA", "EUR_POOL"]),
        st.sampled_from(sorted(AREA)),
        st.integers(min_value=2024, max_value=2032),  # some fall outside YEARS
        st.floats(min_value=0.0, max_value=500.0, allow_nan=False),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(rows=delivery_rows)
def test_stock_is_cumulative_and_ends_at_the_units_delivered(
    rows: list[tuple[str, str, int, float]],
) -> None:
    deliveries = _deliveries(rows)
    out = planned_additions(deliveries, SYSTEMS, YEARS)
    origin = SYSTEMS.drop_duplicates("system").set_index("system")["us_made"]
    inside = deliveries[deliveries["year"].isin(YEARS)].assign(
        us_made=deliveries["system"].map(origin)
    )
    expected_last = inside.groupby(["capability", "us_made"])["units"].sum()

    for (area, us_made), g in out.groupby(["capability", "us_made"]):
        g = g.sort_values("year")
        assert g["year"].tolist() == YEARS
        # Non-decreasing up to round-off: pandas' grouped cumsum carries a Kahan
        # compensation term, so adding a year of zero units can lower the sum by an ulp.
        steps = g["quantity"].diff().dropna()
        assert (steps >= -ROUND_OFF * max(1.0, g["quantity"].abs().max())).all(), g
        assert g["quantity"].iloc[-1] == pytest.approx(
            expected_last.get((area, us_made), 0.0), rel=1e-9, abs=1e-9
        )
    # Every (area, origin) with a delivery has its rows.
    delivered = set(
        deliveries.assign(us_made=deliveries["system"].map(origin))
        .groupby(["capability", "us_made"])
        .groups
    )
    assert set(out.groupby(["capability", "us_made"]).groups) == delivered
