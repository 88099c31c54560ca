"""Troops as a recruitment pipeline, not a purchase.

``troop_equivalents`` is closed by recruitment within the yearly limit of
``recruitment.csv`` (net additional troops per year per ally, low and high),
summed over the allies. Recruits are paid from personnel budgets, not from the
equipment budget the LP spends, so the pipeline has no money constraint: it is
limited only by how many people the allies can add per year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from alliance.errors import ModelError
from alliance.memo import TableMemo

__all__ = ["RECRUITMENT_COLUMNS", "recruitment_limits", "troops_in_service"]

RECRUITMENT_COLUMNS = (
    "iso3",
    "year_from",
    "year_to",
    "net_additional_troops_per_year_low",
    "net_additional_troops_per_year_high",
)


#: The recruitment cases, low to high.
_CASES = ["low", "central", "high"]
#: Summed limits by (contents of recruitment.csv, years).
_LIMITS: TableMemo[pd.DataFrame] = TableMemo(16)


def recruitment_limits(recruitment: pd.DataFrame | None, years: Sequence[int]) -> pd.DataFrame:
    """Yearly limit of net additional troops, summed over allies [troops per year].

    A row counts from ``year_from`` to ``year_to``; after an ally's last sourced
    year its last rate continues (a plan's recruitment does not stop when its
    document ends). ``central`` is the mid-point of low and high.

    Returns a frame indexed by year with columns ``low, central, high`` (a fresh
    copy: memoised on the table's contents and the years).
    """
    if recruitment is None or recruitment.empty:
        return pd.DataFrame(0.0, index=pd.Index(list(years), name="year"), columns=_CASES)
    return _LIMITS.get((recruitment,), repr(list(years)),
                       lambda: _summed_limits(recruitment, years)).copy()


def _summed_limits(recruitment: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """:func:`recruitment_limits` of a non-empty table, computed."""
    cols = list(_CASES)
    absent = [c for c in RECRUITMENT_COLUMNS if c not in recruitment.columns]
    if absent:
        msg = f"recruitment (recruitment.csv): table lacks column(s) {absent}"
        raise ModelError(msg)
    r = recruitment.copy()
    lo = pd.to_numeric(r["net_additional_troops_per_year_low"], errors="coerce")
    hi = pd.to_numeric(r["net_additional_troops_per_year_high"], errors="coerce")
    r["low"] = lo.fillna(hi).fillna(0.0)
    r["high"] = hi.fillna(lo).fillna(0.0)
    r["central"] = (r["low"] + r["high"]) / 2.0
    r["year_from"] = pd.to_numeric(r["year_from"], errors="coerce")
    r["year_to"] = pd.to_numeric(r["year_to"], errors="coerce").fillna(r["year_from"])
    last_to = r.groupby("iso3")["year_to"].transform("max")
    y = np.asarray(list(years), dtype=float)[None, :]
    start = r["year_from"].fillna(-np.inf).to_numpy()[:, None]
    end = r["year_to"].to_numpy()[:, None]
    is_last = (r["year_to"] == last_to).to_numpy()[:, None]
    active = (y >= start) & ((y <= end) | (is_last & (y > end)))
    out = {c: (active * r[c].to_numpy()[:, None]).sum(axis=0) for c in cols}
    return pd.DataFrame(out, index=pd.Index(list(years), name="year"))[cols]


def troops_in_service(limit: pd.Series, gap: pd.Series) -> pd.Series:
    """Recruits in service per year [troops].

    Recruit at the limit until the largest gap still ahead is met, never more, never
    dismissing.

    With no cost attached (personnel money), recruiting at the limit is optimal for
    the shortfall; stopping at the largest remaining gap avoids recruiting people the
    requirement does not ask for.
    """
    years = list(limit.index)
    need = gap.reindex(years).fillna(0.0).clip(lower=0.0)
    ahead = need[::-1].cummax()[::-1].to_numpy()
    per_year = limit.to_numpy(dtype=float).tolist()
    stock = 0.0
    values = []
    for k in range(len(years)):
        stock = max(stock, min(stock + per_year[k], float(ahead[k])))
        values.append(stock)
    return pd.Series(values, index=limit.index, name="troops")
