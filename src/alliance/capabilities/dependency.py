"""Kill-switch exposure: how much of each ally's kit is US-made, and what it is worth.

For every European holder (ally, or NATO_COMMON for commonly owned fleets) and
capability area with counted holdings::

    us_made_share      = US-made units / units held                 [fraction 0-1]
    availability_loss  = US-made units * (1 - a(horizon))           [area unit]
    value_at_stake     = US-made units * unit cost (systems table)  [USD million]

``a`` is the availability of each US-made system family under the scenario's
sustainment path, central case (see :mod:`alliance.capabilities.sustainment`).
Unit costs come from the ``systems`` table
(columns ``system, capability, us_made, unit_cost_musd``) when it is present,
matched by system family (:mod:`alliance.capabilities.families`): the catalogue's
canonical priced row of the family if there is one, else the median of its
priced rows. Costs are nominal USD of each catalogue row's price year and
mostly package prices (support and spares included), so the value at stake is
an order of magnitude, not a replacement budget. Where no price exists the
value is empty and ``value_status`` says why.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd

from alliance.capabilities.families import Family, families_from_table, family_of
from alliance.capabilities.gaps import (
    Availability,
    _params,
    area_of,
    availability_model,
    counted_holdings,
    stored_tables,
)
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.memo import TableMemo
from alliance.params import CapabilityParams
from alliance.scenario import Scenario

__all__ = ["DEPENDENCY_COLUMNS", "dependency_exposure", "exposure_table", "unit_costs_by_family"]

logger = logging.getLogger(__name__)

DEPENDENCY_COLUMNS: tuple[str, ...] = (
    "iso3", "holder", "capability", "unit", "holdings", "us_made_holdings", "us_made_share",
    "unknown_origin_holdings", "us_made_systems", "availability_at_horizon",
    "availability_loss_at_horizon", "value_at_stake_musd", "value_status",
)
#: The lever-free part of the exposure table per tables and capability parameters.
_EXPOSURE: TableMemo[tuple[pd.DataFrame, list[list[tuple[str, float]]]]] = TableMemo(16)


def unit_costs_by_family(
    systems: pd.DataFrame | None, families: tuple[Family, ...]
) -> dict[tuple[str, str], tuple[float, str]]:
    """(system family, capability area) -> (unit cost [USD million], which rows gave it).

    A family can span areas (the Patriot family holds batteries and PAC-3
    interceptors), so a cost is only used for holdings of the same area. Uses the
    canonical priced row of the family in that area when there is one, else the
    median of its priced rows. Pairs without a priced row are absent.
    """
    if systems is None or systems.empty:
        return {}
    s = systems.copy()
    s["family"] = [(f.name if (f := family_of(str(n), families)) else "") for n in s["system"]]
    s["area"] = [area_of(str(c)) for c in s["capability"]]
    s = s[(s["family"] != "") & s["unit_cost_musd"].notna()]
    out: dict[tuple[str, str], tuple[float, str]] = {}
    for (fam, area), part in s.groupby(["family", "area"]):
        if "canonical" in part.columns:
            canon = part[part["canonical"].fillna(False).astype(bool)]
        else:
            canon = part.iloc[0:0]
        key = (str(fam), str(area))
        if len(canon):
            row = canon.iloc[0]
            out[key] = (float(row["unit_cost_musd"]), f"systems: {row['system']}")
        else:
            names = "; ".join(part["system"].astype(str))
            out[key] = (float(part["unit_cost_musd"].median()),
                        f"systems: median of {len(part)} ({names})")
    return out


def exposure_table(
    holdings: pd.DataFrame,
    params: CapabilityParams,
    availability: Availability,
    horizon: int,
    costs: dict[tuple[str, str], tuple[float, str]] | None,
) -> pd.DataFrame:
    """Exposure per European holder and area from a holdings table (pure function).

    ``availability`` gives each US-made family's availability, read at ``horizon``
    (``availability_at_horizon`` is the holdings-weighted mean over the holder's
    US-made families). ``costs`` is :func:`unit_costs_by_family` output, or None when no
    systems table
    exists (then every value is empty with status 'no systems table').
    """
    table, families = _exposure_rows(holdings, params, costs)
    return _with_availability(table, families, availability, horizon)


def _exposure_rows(
    holdings: pd.DataFrame,
    params: CapabilityParams,
    costs: dict[tuple[str, str], tuple[float, str]] | None,
) -> tuple[pd.DataFrame, list[list[tuple[str, float]]]]:
    """:func:`exposure_table` with empty (NaN) availability columns, and US-made kit per row.

    The kit is the holder's ``(family, units)`` in the area; no lever moves either.
    """
    # Long by design: the grouped totals, the per-family US-made units and value, then one
    # row per holder and area in DEPENDENCY_COLUMNS order, so the table reads in one place.
    counted = counted_holdings(holdings, params)
    european = counted["holder_kind"].isin(("ally", "nato_common")) & (counted["holder"] != "USA")
    eur = counted.loc[european, ["holder", "area", "holder_kind", "us_made", "quantity",
                                 "system_family"]].copy()
    if eur.empty:
        return pd.DataFrame(columns=list(DEPENDENCY_COLUMNS)), []
    us_flag = eur["us_made"].astype("boolean")
    eur["quantity"] = eur["quantity"].astype(float)
    is_us = us_flag.fillna(False).astype(bool)
    eur["us_qty"] = eur["quantity"].where(is_us, 0.0)
    eur["unknown_qty"] = eur["quantity"].where(us_flag.isna(), 0.0)
    keys = ["holder", "area"]
    totals = eur.groupby(keys, sort=True).agg(
        held=("quantity", "sum"), us_held=("us_qty", "sum"), unknown=("unknown_qty", "sum"),
        kind=("holder_kind", "first"))
    # US-made quantity per (holder, area, family): availability and value are per family
    us_families = (eur.loc[is_us]
                   .assign(system_family=lambda f: f["system_family"].astype(str))
                   .groupby([*keys, "system_family"], sort=True)["us_qty"].sum())
    families_of: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for fam_holder, fam_area, family, qty in zip(
            us_families.index.get_level_values("holder").astype(str),
            us_families.index.get_level_values("area").astype(str),
            us_families.index.get_level_values("system_family").astype(str),
            us_families.to_numpy(dtype=float).tolist(), strict=True):
        families_of.setdefault((fam_holder, fam_area), []).append((family, qty))
    rows = []
    families: list[list[tuple[str, float]]] = []
    for holder, area, t in zip(totals.index.get_level_values("holder").astype(str),
                               totals.index.get_level_values("area").astype(str),
                               totals.to_dict("records"), strict=True):
        fams = families_of.get((holder, area), [])
        held, us_held = float(t["held"]), float(t["us_held"])
        value, status = _value(fams, area, costs)
        kind = str(t["kind"])
        families.append(fams)
        rows.append({
            "iso3": holder if kind == "ally" else None,
            "holder": holder,
            "capability": area,
            "unit": capability_catalogue().unit(area),
            "holdings": held,
            "us_made_holdings": us_held,
            "us_made_share": us_held / held if held > 0 else math.nan,
            "unknown_origin_holdings": float(t["unknown"]),
            "us_made_systems": ", ".join(f for f, _ in fams),
            "availability_at_horizon": math.nan,
            "availability_loss_at_horizon": math.nan,
            "value_at_stake_musd": value,
            "value_status": status,
        })
    return pd.DataFrame(rows, columns=list(DEPENDENCY_COLUMNS)), families


def _with_availability(
    table: pd.DataFrame, families: list[list[tuple[str, float]]],
    availability: Availability, horizon: int,
) -> pd.DataFrame:
    """``table`` (of :func:`_exposure_rows`) with the availability of its US-made kit.

    ``availability_at_horizon`` [fraction 0-1] at ``horizon`` and the units it loses
    (``availability_loss_at_horizon``, area unit).
    """
    if table.empty:
        return table.copy()
    at_horizon = {f: float(availability.levels(f)[horizon])
                  for fams in families for f, _ in fams}
    shares: list[float] = []
    losses: list[float] = []
    for fams, us_held in zip(families, table["us_made_holdings"].tolist(), strict=True):
        kept = sum(q * at_horizon[f] for f, q in fams)
        shares.append(kept / us_held if us_held > 0 else 1.0)
        losses.append(us_held - kept)
    return table.assign(availability_at_horizon=np.asarray(shares, dtype=float),
                        availability_loss_at_horizon=np.asarray(losses, dtype=float))


def _value(
    us_families: list[tuple[str, float]], area: str,
    costs: dict[tuple[str, str], tuple[float, str]] | None,
) -> tuple[float, str]:
    """Value of a holder's US-made kit in one area: ``(family, units)`` pairs, by family."""
    if not us_families:
        return 0.0, "no US-made holdings"
    if costs is None:
        return math.nan, "no systems table: value not computed"
    total = 0.0
    used: list[str] = []
    missing: list[str] = []
    for fam, quantity in us_families:
        if (fam, area) in costs:
            cost, how = costs[(fam, area)]
            total += cost * quantity
            used.append(f"{fam}: {cost:,.1f} USD m/unit ({how})")
        else:
            missing.append(str(fam))
    if missing:
        return math.nan, f"no unit cost for {', '.join(missing)} in the systems table"
    return total, "; ".join(used)


def dependency_exposure(dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """Kill-switch exposure per European holder and capability area (see module docstring).

    Columns ``DEPENDENCY_COLUMNS``; ``iso3`` is empty for commonly owned fleets
    (``holder`` NATO_COMMON). Availability is taken at the scenario horizon. The rest
    of the table depends on the tables and the capability parameters only (memoised).
    """
    params = _params(scenario)

    def compute() -> tuple[pd.DataFrame, list[list[tuple[str, float]]]]:
        systems = dataset.table("systems") if dataset.has_table("systems") else None
        if systems is not None and not {"system", "unit_cost_musd"} <= set(systems.columns):
            logger.warning("systems table lacks system/unit_cost_musd; values not computed")
            systems = None
        families = families_from_table(dataset.table("system_families"))
        costs = unit_costs_by_family(systems, families) if systems is not None else None
        return _exposure_rows(dataset.table("capability_holdings"), params, costs)

    held, tables = stored_tables(dataset, ("capability_holdings", "systems", "system_families"))
    table, families = _EXPOSURE.get(tables, (held, params.model_dump_json()), compute)
    return _with_availability(table, families, availability_model(dataset, scenario),
                              scenario.horizon)
