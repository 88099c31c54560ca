"""At today's pace: the year each area's target stock is reached if deliveries go on as now.

Today's pace per area is the average yearly delivery to European holders over the
latest ``pace_window_years`` of ``procurement_deliveries.csv`` (or the user's
``planning.pace_units_per_year``); for troops it is the central recruitment limit
of the first planned year. The target is the stock Europe must field without the
US (requirement − US contribution); the gap to it is the residual gap of the
capability stage. ``pace_year`` is the first year from which the cumulative pace
covers that gap (held at its last known value after the horizon), searched up to
``pace_search_years`` after the first planned year; null beyond that bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

from alliance.catalogue import capability_catalogue
from alliance.errors import ModelError
from alliance.memo import TableMemo
from alliance.params import PlanningParams
from alliance.params.planning import TROOP_AREA

__all__ = ["DELIVERY_COLUMNS", "pace_by_area", "pace_years"]

DELIVERY_COLUMNS = ("holder", "capability", "year", "delivered_units")
#: Holders that are not European allies or Canada (never counted in Europe's pace).
_NON_EUROPEAN_PREFIX = "USA"


def _area(code: str) -> str | None:
    """Area of a holdings code or area name; None when the catalogue does not know it."""
    catalogue = capability_catalogue()
    if code in catalogue.area_names:
        return code
    try:
        return catalogue.area_of(code)
    except ModelError:
        return None


def pace_by_area(
    deliveries: pd.DataFrame | None, params: PlanningParams, areas: Sequence[str],
    troops_per_year: float,
) -> pd.DataFrame:
    """Today's pace per area [capability units per year] and where it comes from.

    Returns ``capability, pace_units_per_year, pace_basis``.
    """
    rows = []
    recent = _recent_deliveries(deliveries, params.pace_window_years)
    for area in areas:
        if area in params.pace_units_per_year:
            value, basis = float(params.pace_units_per_year[area]), "user overlay"
        elif area == TROOP_AREA:
            value, basis = troops_per_year, "recruitment.csv, central, first planned year"
        elif area in recent.index:
            value = float(cast(float, recent.loc[area, "per_year"]))
            basis = str(recent.loc[area, "basis"])
        else:
            value, basis = 0.0, "no recent deliveries recorded"
        rows.append({"capability": area, "pace_units_per_year": value, "pace_basis": basis})
    return pd.DataFrame(rows, columns=["capability", "pace_units_per_year", "pace_basis"])


#: Recent deliveries by (contents of the deliveries table, window).
_RECENT: TableMemo[pd.DataFrame] = TableMemo(8)


def _recent_deliveries(deliveries: pd.DataFrame | None, window: int) -> pd.DataFrame:
    """Average deliveries per year to European holders over the latest ``window`` years.

    Memoised on the table's contents and ``window``; returns a fresh copy.
    """
    if deliveries is None or deliveries.empty:
        return pd.DataFrame(columns=["per_year", "basis"])
    return _RECENT.get((deliveries,), window,
                       lambda: _average_deliveries(deliveries, window)).copy()


def _average_deliveries(deliveries: pd.DataFrame, window: int) -> pd.DataFrame:
    """:func:`_recent_deliveries` of a non-empty table, computed (index ``area``)."""
    empty = pd.DataFrame(columns=["per_year", "basis"])
    absent = [c for c in DELIVERY_COLUMNS if c not in deliveries.columns]
    if absent:
        msg = f"pace (procurement_deliveries.csv): table lacks column(s) {absent}"
        raise ModelError(msg)
    d = deliveries.copy()
    d = d[~d["holder"].astype(str).str.upper().str.startswith(_NON_EUROPEAN_PREFIX)]
    d["area"] = d["capability"].astype(str).map(_area)
    d["year"] = pd.to_numeric(d["year"], errors="coerce")
    d["units"] = pd.to_numeric(d["delivered_units"], errors="coerce")
    d = d.dropna(subset=["area", "year", "units"])
    if d.empty:
        return empty
    last = int(d["year"].max())
    first = last - window + 1
    sel = d[d["year"] >= first]
    per_year = sel.groupby("area")["units"].sum() / window
    out = per_year.to_frame("per_year")
    out["basis"] = f"procurement_deliveries.csv, mean {first}-{last}"
    return out


def pace_years(
    gaps: pd.DataFrame, pace: pd.DataFrame, years: Sequence[int], params: PlanningParams,
    tol: float,
) -> pd.Series:
    """First year from which the residual gap stays covered at today's pace.

    None where not within ``pace_search_years``.

    Args:
        gaps: ``residual_gap`` indexed by (capability, year) [capability units].
        pace: from :func:`pace_by_area`.
        years: planned years (the gap after the last is held at its last value).
        params: for ``pace_search_years``.
        tol: closure tolerance [capability units].
    """
    y0 = int(years[0])
    search = np.arange(y0, y0 + params.pace_search_years + 1)
    rate = pace.set_index("capability")["pace_units_per_year"]
    areas = list(dict.fromkeys(gaps.index.get_level_values("capability")))
    gap = (
        gaps["residual_gap"].unstack("year").reindex(index=areas, columns=search)
        .ffill(axis=1).bfill(axis=1).to_numpy(dtype=float)
    )
    per_year = np.array([float(rate.get(area, 0.0)) for area in areas], dtype=float)
    added = per_year[:, None] * (search - y0 + 1)[None, :]
    short = gap - added > tol
    out: dict[str, int | None] = {}
    for k, area in enumerate(areas):
        open_years = np.nonzero(short[k])[0]
        if len(open_years) == 0:
            out[str(area)] = y0
        elif open_years[-1] == len(search) - 1:
            out[str(area)] = None
        else:
            out[str(area)] = int(search[open_years[-1] + 1])
    return pd.Series(out, dtype="object", name="pace_year")
