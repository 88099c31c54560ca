"""The plan's brigade equivalents against the grouped-table computation (cross-check).

:func:`alliance.mobility.forces.plan_brigade_equivalents` sums in plain Python with
Kahan compensation; :func:`_grouped_table_reference` is the pandas computation it
replaced (grouped sum and cumulative sum, themselves compensated). Both must give
the same table, bit for bit and dtype for dtype.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.data import Dataset
from alliance.mobility import plan_brigade_equivalents
from alliance.mobility.forces import PLAN_CAPABILITIES
from alliance.params import MobilityParams

_POOLED = "EUR_POOL"


def _grouped_table_reference(
    deliveries: pd.DataFrame, order_of_battle: pd.DataFrame, years: list[int],
    params: MobilityParams,
) -> pd.DataFrame:
    """The grouped-table computation (the cross-check's reference; see the module docstring)."""
    columns = ["iso3", "year", "brigade_equivalents"]
    d = deliveries.loc[deliveries["capability"].isin(list(PLAN_CAPABILITIES))].copy()
    if d.empty:
        return pd.DataFrame(columns=columns)
    d["sets"] = d["units"].astype(float) / d["capability"].map(
        {c: float(getattr(params, f)) for c, f in PLAN_CAPABILITIES.items()}
    ) / len(PLAN_CAPABILITIES)
    pooled = d.loc[d["buyer"] == _POOLED]
    d = d.loc[d["buyer"] != _POOLED]
    rows = [d[["buyer", "year", "sets"]]]
    if not pooled.empty:
        oob = order_of_battle
        heavy = oob.loc[oob["counted"] & (oob["brigade_type"] == "heavy")
                        & (oob["holder"] != "USA") & (oob["holder"] == oob["home_country"])
                        ].groupby("holder")["brigade_equivalents"].sum()
        for iso3, s in (heavy / heavy.sum()).items():
            rows.append(pooled.assign(buyer=str(iso3), sets=pooled["sets"] * float(s))[
                ["buyer", "year", "sets"]])
    allsets = pd.concat(rows, ignore_index=True)
    yearly = allsets.groupby(["buyer", "year"])["sets"].sum()
    grid = pd.MultiIndex.from_product([sorted(set(allsets["buyer"])), years],
                                      names=["buyer", "year"])
    full = yearly.reindex(grid, fill_value=0.0).to_frame("sets").reset_index()
    full["brigade_equivalents"] = full.groupby("buyer")["sets"].cumsum().clip(lower=0.0)
    return full.rename(columns={"buyer": "iso3"})[columns].reset_index(drop=True)


def _deliveries(seed: int, arrow_text: bool) -> pd.DataFrame:
    """Random deliveries: plan capabilities and others, pooled buys, sums that cancel."""
    rng = np.random.default_rng(seed)
    n = 400
    capabilities = [*PLAN_CAPABILITIES, "air_defence_long_range"]
    buyers = ["POL", "DEU", "FRA", "EST", _POOLED]
    units = rng.choice([0.0, 1e-3, 1.0, 87.0, 1e12, 0.1, 0.7], n) * rng.choice([1.0, -1.0], n)
    frame = pd.DataFrame({
        "buyer": rng.choice(buyers, n).tolist(),
        "capability": rng.choice(capabilities, n).tolist(),
        "year": rng.integers(2025, 2032, n),
        "units": units + rng.random(n),
    })
    if arrow_text:
        frame["capability"] = frame["capability"].astype("string[pyarrow]")
    return frame


@pytest.mark.parametrize("arrow_text", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_plan_brigades_equal_the_grouped_table_computation(
    dataset: Dataset, seed: int, arrow_text: bool,
) -> None:
    """Same rows, values and dtypes as the pandas computation, on random deliveries."""
    oob = dataset.table("order_of_battle")
    params = MobilityParams()
    years = [2026, 2027, 2028, 2029, 2030]
    deliveries = _deliveries(seed, arrow_text)
    pd.testing.assert_frame_equal(
        plan_brigade_equivalents(deliveries, oob, years, params),
        _grouped_table_reference(deliveries, oob, years, params), check_exact=True)


def test_no_plan_capability_gives_the_empty_table(dataset: Dataset) -> None:
    """Deliveries of other kit only: the empty table, as the reference gives it."""
    oob = dataset.table("order_of_battle")
    deliveries = _deliveries(0, False)
    deliveries = deliveries.loc[~deliveries["capability"].isin(list(PLAN_CAPABILITIES))]
    pd.testing.assert_frame_equal(
        plan_brigade_equivalents(deliveries, oob, [2026], MobilityParams()),
        _grouped_table_reference(deliveries, oob, [2026], MobilityParams()))
