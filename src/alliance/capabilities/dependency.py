"""Kill-switch exposure: how much of each ally's kit is US-made, and what it is worth.

For every European holder (ally, or NATO_COMMON for commonly owned fleets) and
capability area with counted holdings::

    us_made_share      = US-made units / units held                 [fraction 0-1]
    availability_loss  = US-made units * (1 - a(horizon))           [area unit]
    value_at_stake     = US-made units * unit cost (systems table)  [USD million]

``a`` is the availability of US-made kit under the scenario's sustainment path
(see :mod:`alliance.capabilities.gaps`). Unit costs come from the ``systems`` table
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

import pandas as pd

from alliance.capabilities.families import Family, families_from_table, family_of
from alliance.capabilities.gaps import (
    _availability,
    _params,
    counted_holdings,
)
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.params import CapabilityParams
from alliance.scenario import Scenario

__all__ = ["DEPENDENCY_COLUMNS", "dependency_exposure", "exposure_table", "unit_costs_by_family"]

logger = logging.getLogger(__name__)

DEPENDENCY_COLUMNS: tuple[str, ...] = (
    "iso3", "holder", "capability", "unit", "holdings", "us_made_holdings", "us_made_share",
    "unknown_origin_holdings", "us_made_systems", "availability_at_horizon",
    "availability_loss_at_horizon", "value_at_stake_musd", "value_status",
)


def unit_costs_by_family(
    systems: pd.DataFrame | None, families: tuple[Family, ...]
) -> dict[str, tuple[float, str]]:
    """System family -> (unit cost [USD million], which catalogue rows gave it).

    Uses the canonical priced row of the family when there is one, else the median
    of the family's priced rows. Families without a priced row are absent.
    """
    if systems is None or systems.empty:
        return {}
    s = systems.copy()
    s["family"] = [(f.name if (f := family_of(str(n), families)) else "") for n in s["system"]]
    s = s[(s["family"] != "") & s["unit_cost_musd"].notna()]
    out: dict[str, tuple[float, str]] = {}
    for fam, part in s.groupby("family"):
        if "canonical" in part.columns:
            canon = part[part["canonical"].fillna(False).astype(bool)]
        else:
            canon = part.iloc[0:0]
        if len(canon):
            row = canon.iloc[0]
            out[str(fam)] = (float(row["unit_cost_musd"]), f"systems: {row['system']}")
        else:
            names = "; ".join(part["system"].astype(str))
            out[str(fam)] = (float(part["unit_cost_musd"].median()),
                             f"systems: median of {len(part)} ({names})")
    return out


def exposure_table(
    holdings: pd.DataFrame,
    params: CapabilityParams,
    availability_at_horizon: float,
    costs: dict[str, tuple[float, str]] | None,
) -> pd.DataFrame:
    """Exposure per European holder and area from a holdings table (pure function).

    ``costs`` is :func:`unit_costs_by_family` output, or None when no systems table
    exists (then every value is empty with status 'no systems table').
    """
    counted = counted_holdings(holdings, params)
    european = counted["holder_kind"].isin(("ally", "nato_common")) & (counted["holder"] != "USA")
    eur = counted[european]
    rows = []
    for (holder, area), part in eur.groupby(["holder", "area"], sort=True):
        us_flag = part["us_made"].astype("boolean")
        us_rows = part[us_flag.fillna(False).astype(bool)]
        held = float(part["quantity"].sum())
        us_held = float(us_rows["quantity"].sum())
        unknown = float(part.loc[us_flag.isna(), "quantity"].sum())
        value, status = _value(us_rows, costs)
        kind = str(part["holder_kind"].iloc[0])
        rows.append({
            "iso3": str(holder) if kind == "ally" else None,
            "holder": str(holder),
            "capability": str(area),
            "unit": capability_catalogue().unit(str(area)),
            "holdings": held,
            "us_made_holdings": us_held,
            "us_made_share": us_held / held if held > 0 else math.nan,
            "unknown_origin_holdings": unknown,
            "us_made_systems": ", ".join(sorted(set(us_rows["system_family"].astype(str)))),
            "availability_at_horizon": availability_at_horizon,
            "availability_loss_at_horizon": us_held * (1.0 - availability_at_horizon),
            "value_at_stake_musd": value,
            "value_status": status,
        })
    return pd.DataFrame(rows, columns=list(DEPENDENCY_COLUMNS))


def _value(us_rows: pd.DataFrame, costs: dict[str, tuple[float, str]] | None) -> tuple[float, str]:
    if us_rows.empty:
        return 0.0, "no US-made holdings"
    if costs is None:
        return math.nan, "no systems table: value not computed"
    total = 0.0
    used: list[str] = []
    missing: list[str] = []
    for fam, part in us_rows.groupby("system_family"):
        if str(fam) in costs:
            cost, how = costs[str(fam)]
            total += cost * float(part["quantity"].sum())
            used.append(f"{fam}: {cost:,.1f} USD m/unit ({how})")
        else:
            missing.append(str(fam))
    if missing:
        return math.nan, f"no unit cost for {', '.join(missing)} in the systems table"
    return total, "; ".join(used)


def dependency_exposure(dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """Kill-switch exposure per European holder and capability area (see module docstring).

    Columns ``DEPENDENCY_COLUMNS``; ``iso3`` is empty for commonly owned fleets
    (``holder`` NATO_COMMON). Availability is taken at the scenario horizon.
    """
    params = _params(scenario)
    availability = _availability(scenario, params)
    at_horizon = float(availability.iloc[-1])
    systems = dataset.table("systems") if dataset.has_table("systems") else None
    if systems is not None and not {"system", "unit_cost_musd"} <= set(systems.columns):
        logger.warning("systems table lacks system/unit_cost_musd; values not computed")
        systems = None
    families = families_from_table(dataset.table("system_families"))
    costs = unit_costs_by_family(systems, families) if systems is not None else None
    return exposure_table(dataset.table("capability_holdings"), params, at_horizon, costs)
