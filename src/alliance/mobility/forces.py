"""Brigades per ally and year: the order of battle, the plan's deliveries, US reinforcements.

Rules (docs/mobility.md, parameters in ``scenario.mobility``):

* Counted rows of ``order_of_battle`` only (grade C, headquarters, double counts
  and ended rotations are out). A formation building up rises linearly from its
  ``brigade_equivalents`` in ``as_of_year`` to 1 in ``full_strength_year``.
* The plan's deliveries equip new heavy brigades of the buyer: cumulative tanks /
  ``plan_tanks_per_brigade``, IFVs / ``plan_ifv_per_brigade`` and guns /
  ``plan_guns_per_brigade`` (one ABCT set, CEPA/FAS 2018), averaged:
  ``BE = (tanks/87 + ifvs/138 + guns/18) / 3``. So any delivered tank, IFV or gun
  adds combat power, and a full set adds one brigade. Pooled European buys
  (``EUR_POOL``) are shared among the European allies in proportion to their
  counted heavy brigades. New brigades are garrisoned at the buyer's capital.
* Readiness: each ally's brigades are split by the NATO Force Model tiers
  (``tier1_share``, ``tier2_share``, rest tier 3), each tier with its notice to
  move; US reinforcements from the United States are extra brigades
  (``us_reinforcement_brigades``) sailing after ``us_reinforcement_notice_h``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance.params.mobility import MobilityParams

__all__ = [
    "BRIGADE_COLUMNS",
    "PLAN_CAPABILITIES",
    "brigades_for_year",
    "plan_brigade_equivalents",
    "tiers",
]

#: Capability codes of the plan's deliveries that equip brigades, and their divisor field.
PLAN_CAPABILITIES: dict[str, str] = {
    "main_battle_tank": "plan_tanks_per_brigade",
    "infantry_fighting_vehicle": "plan_ifv_per_brigade",
    "artillery_155mm_sp_and_mlrs": "plan_guns_per_brigade",
}
_POOLED = "EUR_POOL"

FloatArray = npt.NDArray[np.float64]

#: Columns of :func:`brigades_for_year`.
BRIGADE_COLUMNS: tuple[str, ...] = (
    "unit_id", "ally", "brigade_type", "brigade_equivalents", "home_country", "lat", "lon",
    "personnel", "origin",
)


def plan_brigade_equivalents(
    deliveries: pd.DataFrame, order_of_battle: pd.DataFrame, years: list[int],
    params: MobilityParams,
) -> pd.DataFrame:
    """Heavy brigade equivalents the plan has equipped by each year, per ally.

    ``deliveries``: ``buyer, capability, year, units`` (planning output). Returns
    ``iso3, year, brigade_equivalents`` (cumulative, never falling), one row per
    ally with any delivery and year.
    """
    columns = ["iso3", "year", "brigade_equivalents"]
    if deliveries.empty:
        return pd.DataFrame(columns=columns)
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
        heavy = order_of_battle.loc[
            order_of_battle["counted"] & (order_of_battle["brigade_type"] == "heavy")
            & (order_of_battle["holder"] != "USA") & (order_of_battle["holder"] == order_of_battle[
                "home_country"])
        ].groupby("holder")["brigade_equivalents"].sum()
        share = heavy / heavy.sum()
        for iso3, s in share.items():
            rows.append(pooled.assign(buyer=str(iso3), sets=pooled["sets"] * float(s))[
                ["buyer", "year", "sets"]])
    allsets = pd.concat(rows, ignore_index=True)
    yearly = allsets.groupby(["buyer", "year"])["sets"].sum()
    buyers = sorted(set(allsets["buyer"]))
    grid = pd.MultiIndex.from_product([buyers, years], names=["buyer", "year"])
    full = yearly.reindex(grid, fill_value=0.0).to_frame("sets").reset_index()
    full["brigade_equivalents"] = full.groupby("buyer")["sets"].cumsum().clip(lower=0.0)
    return full.rename(columns={"buyer": "iso3"})[columns].reset_index(drop=True)


def _ramp(start: FloatArray, first: FloatArray, full: FloatArray, year: int) -> FloatArray:
    """Brigade equivalents of formations in ``year`` (linear build-up from ``start`` to 1).

    A formation whose full-strength year is not after its as-of year keeps ``start``.
    """
    span = full - first
    with np.errstate(divide="ignore", invalid="ignore"):
        rising = start + (1.0 - start) * (year - first) / span
    return np.where(span <= 0, start, np.where(year >= full, 1.0,
                                                np.where(year <= first, start, rising)))


def brigades_for_year(
    order_of_battle: pd.DataFrame, allies: pd.DataFrame, year: int,
    plan_be: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Manoeuvre brigades in ``year``: counted formations plus the plan's new brigades.

    Returns :data:`BRIGADE_COLUMNS` (``origin`` = ``garrison``; the plan's brigades
    have ``unit_id`` ``plan.<iso3>`` and sit at the ally's capital).
    """
    oob = order_of_battle.loc[
        order_of_battle["counted"] & (order_of_battle["brigade_type"] != "headquarters")
    ]
    garrisons = pd.DataFrame({
        "unit_id": oob["unit_id"].astype(str).to_numpy(),
        "ally": oob["holder"].astype(str).to_numpy(),
        "brigade_type": oob["brigade_type"].astype(str).to_numpy(),
        "brigade_equivalents": _ramp(
            oob["brigade_equivalents"].to_numpy(dtype=np.float64),
            oob["as_of_year"].to_numpy(dtype=np.float64),
            oob["full_strength_year"].to_numpy(dtype=np.float64), year),
        "home_country": oob["home_country"].astype(str).to_numpy(),
        "lat": oob["lat"].to_numpy(dtype=np.float64),
        "lon": oob["lon"].to_numpy(dtype=np.float64),
        "personnel": pd.to_numeric(oob["personnel"], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan),
        "origin": "garrison",
    })
    if plan_be is None or plan_be.empty:
        return garrisons[list(BRIGADE_COLUMNS)].reset_index(drop=True)
    capitals = allies.set_index("iso3")[["capital_lat", "capital_lon"]]
    due = plan_be.loc[(plan_be["year"] == year) & (plan_be["brigade_equivalents"] > 0)
                      & plan_be["iso3"].isin(capitals.index)]
    at = capitals.loc[due["iso3"]]
    iso3 = due["iso3"].astype(str).to_numpy()
    planned = pd.DataFrame({
        "unit_id": [f"plan.{c}" for c in iso3], "ally": iso3, "brigade_type": "heavy",
        "brigade_equivalents": due["brigade_equivalents"].to_numpy(dtype=np.float64),
        "home_country": iso3, "lat": at["capital_lat"].to_numpy(dtype=np.float64),
        "lon": at["capital_lon"].to_numpy(dtype=np.float64), "personnel": np.nan,
        "origin": "capital",
    }, columns=list(BRIGADE_COLUMNS))
    if planned.empty:
        return garrisons[list(BRIGADE_COLUMNS)].reset_index(drop=True)
    return pd.concat([garrisons, planned], ignore_index=True)[list(BRIGADE_COLUMNS)]


def tiers(params: MobilityParams) -> list[tuple[str, float, float]]:
    """``(tier, share of each ally's brigades, notice to move [h])`` of the Force Model tiers."""
    t1 = params.tier1_share
    t2 = min(params.tier2_share, 1.0 - t1)
    return [
        ("tier1", t1, params.notice_tier1_h),
        ("tier2", t2, params.notice_tier2_h),
        ("tier3", max(1.0 - t1 - t2, 0.0), params.notice_tier3_h),
    ]
