"""Sensor counts per year: maritime patrol fleets and availability.

Fleets come from the capability holdings, the ``asw_fleet`` delivery schedules and
the plan; availability from the capability stage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.asw.geometry import Base

__all__ = ["FleetRow", "area_availability", "fleet_table", "held_fleets", "mpa_fleets",
           "plan_p8_deliveries"]

#: One fleet row: holder, base, year, aircraft, basis (the columns of :func:`mpa_fleets`).
FleetRow = tuple[str, str, int, float, str]

_P8_FAMILY = "P-8"


def _interpolate(rows: pd.DataFrame, years: list[int]) -> np.ndarray:
    """Quantity by year: linear between the given years, flat outside them."""
    r = rows.sort_values("year")
    values = np.interp(years, r["year"].to_numpy(float), r["quantity"].to_numpy(float))
    return np.asarray(values, dtype=float)


def plan_p8_deliveries(deliveries: pd.DataFrame | None, years: list[int]) -> pd.DataFrame:
    """P-8s the plan has put in service by each year per buyer (``holder, year, quantity``)."""
    columns = ["holder", "year", "quantity"]
    if deliveries is None or deliveries.empty:
        return pd.DataFrame(columns=columns)
    d = deliveries.loc[deliveries["system"].astype(str).str.startswith("P-8")]
    if d.empty:
        return pd.DataFrame(columns=columns)
    # units per buyer and year (pandas' grouped sum, as per buyer), then numpy's running sum
    sums = d.groupby(["buyer", "year"])["units"].sum()
    units = sums.to_dict()
    out = []
    for buyer in sums.index.get_level_values("buyer").unique():
        by_year = np.cumsum([units.get((buyer, y), 0.0) for y in years])
        out += [(str(buyer), int(str(y)), float(q)) for y, q in zip(years, by_year, strict=True)]
    return pd.DataFrame(out, columns=columns)


def mpa_fleets(
    holdings: pd.DataFrame,
    asw_fleet: pd.DataFrame,
    planned: pd.DataFrame,
    bases: list[Base],
    years: list[int],
) -> pd.DataFrame:
    """European P-8 fleets per holder, year and base (``holder, base, year, aircraft, basis``).

    Counted ally rows of family P-8 in ``capability_holdings`` give today's fleets;
    a holder with published rows in ``asw_fleet`` (a delivery schedule) takes those
    instead, linear between the given years; the plan's P-8 deliveries add on top.
    Rows with an empty quantity (not published, e.g. the US Keflavik rotation) are
    left to the named assumptions of the ``asw`` parameters.
    """
    return fleet_table(held_fleets(holdings, asw_fleet, bases, years), planned, bases)


def held_fleets(
    holdings: pd.DataFrame, asw_fleet: pd.DataFrame, bases: list[Base], years: list[int]
) -> list[FleetRow]:
    """The rows of :func:`mpa_fleets` from the tables (holdings and schedules), before the plan."""
    base_of = {op: b.base for b in bases for op in b.operators}
    held = holdings.loc[
        (holdings["system_family"] == _P8_FAMILY)
        & (holdings["holder_kind"] == "ally")
        & holdings["counted"].astype(bool)
    ]
    schedule = asw_fleet.loc[(asw_fleet["sensor"] == "p8") & asw_fleet["quantity"].notna()]
    rows: list[FleetRow] = []
    for holder, group in held.groupby("holder"):
        if holder in set(schedule["holder"]):
            continue
        q = float(group["quantity"].sum())
        rows += [
            (str(holder), base_of.get(str(holder), "lossiemouth"), y, q, "capability_holdings")
            for y in years
        ]
    for holder, group in schedule.groupby("holder"):
        if holder == "USA":
            continue
        values = _interpolate(group, years)
        base = str(group["base"].iloc[0])
        rows += [
            (str(holder), base, y, float(v), "asw_fleet")
            for y, v in zip(years, values, strict=True)
        ]
    return rows


def fleet_table(held: list[FleetRow], planned: pd.DataFrame, bases: list[Base]) -> pd.DataFrame:
    """:func:`mpa_fleets` from its table rows (:func:`held_fleets`) and the plan's P-8s."""
    base_of = {op: b.base for b in bases for op in b.operators}
    rows = list(held)
    for holder, year, quantity in zip(planned["holder"].tolist(), planned["year"].tolist(),
                                      planned["quantity"].tolist(), strict=True):
        rows.append(
            (
                str(holder),
                base_of.get(str(holder), "lossiemouth"),
                int(year),
                float(quantity),
                "plan deliveries",
            )
        )
    frame = pd.DataFrame(rows, columns=["holder", "base", "year", "aircraft", "basis"])
    return frame.loc[frame["aircraft"] > 0].reset_index(drop=True)


def area_availability(gaps: pd.DataFrame | None, area: str, years: list[int]) -> dict[int, float]:
    """Effective over reported European holdings of ``area`` per year (1 where unknown).

    This is the capability stage's sustainment loss of US-made equipment (and any
    readiness lever): in europe-alone the US-made P-8s decay with US support.
    """
    out = dict.fromkeys(years, 1.0)
    if gaps is None:
        return out
    g = gaps.loc[gaps["capability"] == area]
    for year, held, effective in zip(g["year"].tolist(), g["european_holdings"].tolist(),
                                     g["european_effective"].tolist(), strict=True):
        held, effective = float(held), float(effective)
        if int(year) in out and np.isfinite(held) and held > 0 and np.isfinite(effective):
            out[int(year)] = min(1.0, max(0.0, effective / held))
    return out
