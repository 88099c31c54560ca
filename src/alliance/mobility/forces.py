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

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance.memo import TableMemo
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

    Sums are compensated (Kahan) in the deliveries' order, as pandas' grouped sum
    and cumulative sum are, so the figures are those of the grouped-table
    computation (``tests/mobility/test_plan_brigades.py`` cross-checks it).
    """
    columns = ["iso3", "year", "brigade_equivalents"]
    divisor = {c: float(getattr(params, f)) for c, f in PLAN_CAPABILITIES.items()}
    capability = deliveries["capability"].tolist()
    kept = [i for i, c in enumerate(capability) if c in divisor]
    buyer_of, year_of = deliveries["buyer"].tolist(), deliveries["year"].tolist()
    units = deliveries["units"].astype(float).tolist()
    rows = [(buyer_of[i], int(year_of[i]),
             units[i] / divisor[capability[i]] / len(PLAN_CAPABILITIES)) for i in kept]
    if not rows:
        return pd.DataFrame(columns=columns)
    direct = [r for r in rows if r[0] != _POOLED]
    pooled = [r for r in rows if r[0] == _POOLED]
    for iso3, share in (_pool_shares(order_of_battle) if pooled else {}).items():
        direct.extend((iso3, year, sets * share) for _, year, sets in pooled)
    yearly = _compensated_sums(direct)
    buyers = sorted({str(buyer) for buyer, _, _ in direct})
    cumulative: list[float] = []
    for buyer in buyers:
        total = compensation = 0.0
        for year in years:
            y = yearly.get((buyer, year), 0.0) - compensation
            t = total + y
            compensation = t - total - y
            total = t
            cumulative.append(total)
    equivalents = np.array(cumulative, dtype=np.float64)
    equivalents = np.where((equivalents >= 0.0) | np.isnan(equivalents), equivalents, 0.0)
    # the dtype the grouped-table computation keeps: that of units / divisor (e.g.
    # double[pyarrow] when the capability column is a pyarrow string)
    sets_dtype = (deliveries["units"].iloc[:1].astype(float)
                  / deliveries["capability"].iloc[:1].map(divisor)).dtype
    return pd.DataFrame({
        "iso3": [buyer for buyer in buyers for _ in years],
        "year": np.tile(np.array(years, dtype=np.int64), len(buyers)),
        "brigade_equivalents": pd.Series(equivalents, dtype=sets_dtype).array,
    }, columns=columns)


def _compensated_sums(rows: list[tuple[str, int, float]]) -> dict[tuple[str, int], float]:
    """Sets per (buyer, year), Kahan-summed in row order, NaN skipped (pandas' grouped sum)."""
    sums: dict[tuple[str, int], list[float]] = {}
    for buyer, year, sets in rows:
        acc = sums.setdefault((buyer, year), [0.0, 0.0])  # [sum, compensation]
        if math.isnan(sets):
            continue
        y = sets - acc[1]
        t = acc[0] + y
        acc[1] = t - acc[0] - y
        if math.isnan(acc[1]):  # an infinite value: keep it (as pandas does)
            acc[1] = 0.0
        acc[0] = t
    return {key: acc[0] for key, acc in sums.items()}


_POOL_SHARES: TableMemo[dict[str, float]] = TableMemo(8)


def _pool_shares(order_of_battle: pd.DataFrame) -> dict[str, float]:
    """Share of pooled European buys per ally: its counted home heavy brigades / all (memoised).

    Allies in alphabetical order (the order the pooled rows are added in).
    """

    def build() -> dict[str, float]:
        oob = order_of_battle
        heavy = oob.loc[
            oob["counted"] & (oob["brigade_type"] == "heavy") & (oob["holder"] != "USA")
            & (oob["holder"] == oob["home_country"])
        ].groupby("holder")["brigade_equivalents"].sum()
        share = heavy / heavy.sum()
        return {str(iso3): float(s) for iso3, s in share.items()}

    return _POOL_SHARES.get((order_of_battle,), None, build)


def _ramp(start: FloatArray, first: FloatArray, full: FloatArray, year: int) -> FloatArray:
    """Brigade equivalents of formations in ``year`` (linear build-up from ``start`` to 1).

    A formation whose full-strength year is not after its as-of year keeps ``start``.
    """
    span = full - first
    with np.errstate(divide="ignore", invalid="ignore"):
        rising = start + (1.0 - start) * (year - first) / span
    return np.where(span <= 0, start, np.where(year >= full, 1.0,
                                                np.where(year <= first, start, rising)))


class _Formations(NamedTuple):
    """The counted formations of one order of battle, before the year's build-up."""

    garrisons: pd.DataFrame
    """:data:`BRIGADE_COLUMNS`, ``brigade_equivalents`` still to be set for the year."""
    start: FloatArray  # brigade equivalents in the as-of year
    first: FloatArray  # as-of year
    full: FloatArray  # full-strength year


_FORMATIONS: TableMemo[_Formations] = TableMemo(8)


def _formations(order_of_battle: pd.DataFrame) -> _Formations:
    """The counted non-headquarters formations (memoised per table)."""

    def build() -> _Formations:
        oob = order_of_battle.loc[
            order_of_battle["counted"] & (order_of_battle["brigade_type"] != "headquarters")
        ]
        garrisons = pd.DataFrame({
            "unit_id": oob["unit_id"].astype(str).to_numpy(),
            "ally": oob["holder"].astype(str).to_numpy(),
            "brigade_type": oob["brigade_type"].astype(str).to_numpy(),
            "brigade_equivalents": np.zeros(len(oob)),
            "home_country": oob["home_country"].astype(str).to_numpy(),
            "lat": oob["lat"].to_numpy(dtype=np.float64),
            "lon": oob["lon"].to_numpy(dtype=np.float64),
            "personnel": pd.to_numeric(oob["personnel"], errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan),
            "origin": "garrison",
        }, columns=list(BRIGADE_COLUMNS))
        return _Formations(garrisons, oob["brigade_equivalents"].to_numpy(dtype=np.float64),
                           oob["as_of_year"].to_numpy(dtype=np.float64),
                           oob["full_strength_year"].to_numpy(dtype=np.float64))

    return _FORMATIONS.get((order_of_battle,), None, build)


def _capitals(allies: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Capital (latitude, longitude) [degrees] per ally (its first row, as ``.loc``)."""
    rows = zip(allies["iso3"].tolist(), allies["capital_lat"].tolist(),
               allies["capital_lon"].tolist(), strict=True)
    found: dict[str, tuple[float, float]] = {}
    for iso3, lat, lon in rows:
        found.setdefault(str(iso3), (float(lat), float(lon)))
    return found


def _planned(
    plan_be: pd.DataFrame, capitals: dict[str, tuple[float, float]], year: int,
) -> pd.DataFrame | None:
    """The plan's new brigades of ``year`` at their capitals (:data:`BRIGADE_COLUMNS`).

    None when the plan equips none that year.
    """
    iso3 = plan_be["iso3"].to_numpy(dtype=object)
    equivalents = plan_be["brigade_equivalents"].to_numpy(dtype=np.float64, na_value=np.nan)
    due = np.flatnonzero((plan_be["year"].to_numpy() == year) & (equivalents > 0)
                         & np.array([c in capitals for c in iso3.tolist()], dtype=bool))
    if not due.size:
        return None
    at = [capitals[str(c)] for c in iso3[due].tolist()]
    return pd.DataFrame({
        "unit_id": [f"plan.{c}" for c in iso3[due].tolist()], "ally": iso3[due],
        "brigade_type": "heavy", "brigade_equivalents": equivalents[due],
        "home_country": iso3[due], "lat": np.array([lat for lat, _ in at], dtype=np.float64),
        "lon": np.array([lon for _, lon in at], dtype=np.float64), "personnel": np.nan,
        "origin": "capital",
    }, columns=list(BRIGADE_COLUMNS))


def brigades_for_year(
    order_of_battle: pd.DataFrame, allies: pd.DataFrame, year: int,
    plan_be: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Manoeuvre brigades in ``year``: counted formations plus the plan's new brigades.

    Returns :data:`BRIGADE_COLUMNS` (``origin`` = ``garrison``; the plan's brigades
    have ``unit_id`` ``plan.<iso3>`` and sit at the ally's capital).
    """
    formations = _formations(order_of_battle)
    garrisons = formations.garrisons.copy()
    garrisons["brigade_equivalents"] = _ramp(formations.start, formations.first,
                                             formations.full, year)
    if plan_be is None or plan_be.empty:
        return garrisons
    planned = _planned(plan_be, _capitals(allies), year)
    if planned is None:
        return garrisons
    return pd.concat([garrisons, planned], ignore_index=True)


def tiers(params: MobilityParams) -> list[tuple[str, float, float]]:
    """``(tier, share of each ally's brigades, notice to move [h])`` of the Force Model tiers."""
    t1 = params.tier1_share
    t2 = min(params.tier2_share, 1.0 - t1)
    return [
        ("tier1", t1, params.notice_tier1_h),
        ("tier2", t2, params.notice_tier2_h),
        ("tier3", max(1.0 - t1 - t2, 0.0), params.notice_tier3_h),
    ]
