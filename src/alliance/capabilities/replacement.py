"""What it would cost Europe to replace the US contribution like for like (the IISS 2025 question).

Per area the quantity is the US contribution under full commitment that the
``replace_us`` requirement counts (:func:`alliance.capabilities.us_inventory`)::

    quantity(c) = U_in_place(c) + s(c) * U_outside(c)        [area unit]
    cost(c)     = quantity(c) * unit cost of the system Europe would buy   [USD million]

The system is the area's canonical European-made system in the ``systems`` table
(``us_made`` false), else its canonical system of any origin; the unit cost is
nominal USD of that row's price year (mostly contract value / quantity, package
prices), so the bill is an order of magnitude in mixed price years, stated as
such. Troops are not bought and are left out; an area without a priced system
has an empty cost and says why. The reinforcement share is evaluated at its
low, central and high end, which gives the bill's range.
"""

from __future__ import annotations

import math

import pandas as pd

from alliance.capabilities.gaps import _params, counted_holdings, us_inventory
from alliance.capabilities.sustainment import CASES
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.scenario import Scenario

__all__ = ["REPLACEMENT_COLUMNS", "us_replacement_bill"]

REPLACEMENT_COLUMNS: tuple[str, ...] = (
    "capability", "unit", "quantity_low", "quantity", "quantity_high", "system",
    "unit_cost_musd", "price_year", "cost_low_musd", "cost_musd", "cost_high_musd", "status",
)


def _buy_system(systems: pd.DataFrame, area: str) -> pd.Series | None:
    """The system Europe would buy to replace US kit in ``area`` (None if none is priced)."""
    codes = capability_catalogue().area(area).codes
    s = systems[systems["capability"].isin(codes) & systems["unit_cost_musd"].notna()]
    if s.empty:
        return None
    canonical = s["canonical"].fillna(False).astype(bool)
    european = ~s["us_made"].fillna(False).astype(bool)
    for mask in (canonical & european, european, canonical):
        if mask.any():
            return s[mask].iloc[0]
    return s.iloc[0]


def us_replacement_bill(dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """One row per area with a US contribution: quantities, the system bought, the bill."""
    params = _params(scenario)
    counted = counted_holdings(dataset.table("capability_holdings"), params)
    us = us_inventory(counted, dataset.table("us_posture"), scenario.base_year)
    systems = dataset.table("systems")
    rows = []
    for area, inv in us.items():
        if area == "troop_equivalents" or not inv.known:
            continue
        share = dict(zip(CASES, params.share_for(area).ends(), strict=True))
        qty = {c: inv.in_place + share[c] * inv.outside for c in CASES}
        system = _buy_system(systems, area)
        cost = math.nan if system is None else float(system["unit_cost_musd"])
        rows.append({
            "capability": area, "unit": capability_catalogue().unit(area),
            "quantity_low": qty["low"], "quantity": qty["central"], "quantity_high": qty["high"],
            "system": None if system is None else str(system["system"]),
            "unit_cost_musd": cost,
            "price_year": None if system is None else system["price_year"],
            "cost_low_musd": qty["low"] * cost, "cost_musd": qty["central"] * cost,
            "cost_high_musd": qty["high"] * cost,
            "status": "no priced system in the systems table" if system is None else "ok",
        })
    return pd.DataFrame(rows, columns=list(REPLACEMENT_COLUMNS))
