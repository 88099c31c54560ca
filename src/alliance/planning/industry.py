"""Factories as they are: line rates, announced ramps, backlogs and the gaps in the catalogue.

Pure functions from the systems catalogue (``systems.csv`` columns) to the tables
the LP reads:

* :func:`fill_catalogue` fills every empty rate, price, lead time and service life
  by a *named* rule with a low-central-high range (never a flat default) and says
  which rule it used;
* :func:`base_capacity` is the line rate per year without paid expansion: today's
  sourced rate at ``production_rate_year``, rising linearly to the announced
  ``planned_rate_units`` by ``planned_rate_year`` and flat afterwards
  [units/year, whole line, all customers];
* :func:`backlog_deliveries` delivers the existing backlog first (FIFO) on that
  base capacity; the European part (``backlog_european_units``) goes into European
  holdings, the export part only occupies the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from alliance.memo import TableMemo
from alliance.params import PlanningParams

__all__ = [
    "backlog_deliveries",
    "base_capacity",
    "fill_catalogue",
    "filled_catalogue",
    "lead_years",
]

_YEAR = re.compile(r"(19|20)\d{2}")


def _years_in(value: Any) -> list[int]:
    """Four-digit years written in a cell ('2023-2025 avg' -> [2023, 2025])."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, int | float | np.integer | np.floating):
        return [int(value)]
    return [int(m.group(0)) for m in _YEAR.finditer(str(value))]


def _first_year(value: Any) -> float:
    """First year in a cell, NaN if none (announced rate holds from its first year)."""
    found = _years_in(value)
    return float(found[0]) if found else float("nan")


def _last_year(value: Any) -> float:
    """Last year in a cell, NaN if none (a rate averaged over years is today's at the end)."""
    found = _years_in(value)
    return float(found[-1]) if found else float("nan")


def _num(frame: pd.DataFrame, column: str) -> pd.Series:
    """Column as floats (NaN where empty or absent)."""
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[column], errors="coerce").astype(float)


def _flag(frame: pd.DataFrame, column: str, default: pd.Series) -> pd.Series:
    """Boolean column, ``default`` where empty or absent."""
    if column not in frame.columns:
        return default.astype(bool)
    raw = frame[column]
    text = raw.astype(str).str.strip().str.lower()
    known = text.isin(["true", "false", "1", "0", "1.0", "0.0"])
    value = text.isin(["true", "1", "1.0"])
    return value.where(known, default).astype(bool)


def lead_years(lead: pd.Series) -> pd.Series:
    """Lead time in whole years for the yearly LP: nearest year, halves up (2.5 -> 3)."""
    return cast(pd.Series, np.floor(lead + 0.5).astype(int))


def _range_from(values: pd.Series) -> tuple[float, float, float] | None:
    """(low, central, high) = (min, median, max) of the finite values; None if none."""
    v = values.dropna()
    if v.empty:
        return None
    return float(v.min()), float(v.median()), float(v.max())


def _pick(rng: tuple[float, float, float], case: str) -> float:
    """The value of ``case`` in a (low, central, high) triple."""
    return float(rng[("low", "central", "high").index(case)])


def _fill_rate(cat: pd.DataFrame, params: PlanningParams) -> list[str]:
    """Fill ``rate0`` (today's line rate) where empty, by named rules; return the rules used.

    Order of rules: the user's per-area rate; the backlog divided by
    ``backlog_clearance_years`` (range); the median of the sourced rates of the
    comparable lines of the same area (range min-max); else 0 (the line can only
    be started by paid expansion).
    """
    notes: list[str] = []
    case = params.assumption_case
    sourced = cat["rate0"].copy()
    clear = params.backlog_clearance_years
    for name in cat.index[cat["rate0"].isna()]:
        area = cat.loc[name, "capability"]
        backlog = cat.loc[name, "backlog_units"]
        if area in params.default_initial_capacity_by_capability:
            rate = float(params.default_initial_capacity_by_capability[area])
            notes.append(f"{name}: production rate unknown, user-set {rate:g} units/year "
                         "(planning.default_initial_capacity_by_capability)")
        elif backlog > 0:
            rng = (backlog / clear.high, backlog / clear.central, backlog / clear.low)
            rate = _pick(rng, case)
            notes.append(
                f"{name}: production rate unknown; derived from its backlog of {backlog:g} "
                f"over backlog_clearance_years: {rate:.3g} units/year "
                f"(range {rng[0]:.3g}-{rng[2]:.3g})"
            )
        else:
            others = sourced[(cat["capability"] == area) & (cat.index != name)]
            found = _range_from(others)
            if found is None:
                rate = 0.0
                notes.append(f"{name}: production rate unknown and no comparable line in "
                             f"{area}: no output unless the plan pays to start the line")
            else:
                rate = _pick(found, case)
                notes.append(
                    f"{name}: production rate unknown; {case} of the comparable lines in "
                    f"{area}: {rate:g} units/year (range {found[0]:g}-{found[2]:g})"
                )
        cat.loc[name, "rate0"] = rate
    return notes


def _fill_from_area(
    cat: pd.DataFrame, column: str, what: str, unit: str, case: str,
    fallback: tuple[float, float, float, str] | None,
) -> list[str]:
    """Fill ``column`` where empty from comparable lines of the same area, then defaults.

    Comparable lines give (min, median, max); else ``fallback`` (a PlanningParams
    default with its stated range); else the cell stays empty.
    """
    notes: list[str] = []
    sourced = cat[column].copy()
    for name in cat.index[cat[column].isna()]:
        area = cat.loc[name, "capability"]
        found = _range_from(sourced[(cat["capability"] == area) & (cat.index != name)])
        if found is not None:
            value = _pick(found, case)
            notes.append(f"{name}: {what} unknown; {case} of the comparable lines in {area}: "
                         f"{value:g} {unit} (range {found[0]:g}-{found[2]:g})")
        elif fallback is not None:
            value = _pick(fallback[:3], case)
            notes.append(f"{name}: {what} unknown and no comparable line; {value:g} {unit} "
                         f"assumed ({fallback[3]}, range {fallback[0]:g}-{fallback[2]:g})")
        else:
            continue
        cat.loc[name, column] = value
    return notes


# Long by design: one column per catalogue cell the LP reads, in one readable table
# build; each filling rule is its own helper.
_FILLED: TableMemo[tuple[pd.DataFrame, list[str]]] = TableMemo(16)

#: The planning parameters :func:`filled_catalogue` reads (its memo key; a test checks).
CATALOGUE_PARAMS: frozenset[str] = frozenset({
    "assumption_case", "backlog_clearance_years", "default_initial_capacity_by_capability",
    "default_lead_time_years", "default_service_life_years",
})


def fill_catalogue(systems: pd.DataFrame, params: PlanningParams) -> tuple[pd.DataFrame, list[str]]:
    """:func:`filled_catalogue`, memoised on the table and the parameters it reads.

    Returns a fresh copy of both, so callers may change them. A lever the catalogue
    does not read (the pooled share, say) finds it here.
    """
    frame, notes = _FILLED.get((systems,), params.model_dump_json(include=set(CATALOGUE_PARAMS)),
                               lambda: filled_catalogue(systems, params))
    return frame.copy(), list(notes)


def filled_catalogue(
    systems: pd.DataFrame, params: PlanningParams
) -> tuple[pd.DataFrame, list[str]]:
    """The catalogue indexed by ``system`` with every cell the LP reads, and the rules used.

    Returns columns ``capability, us_made, european_supplier, canonical, unit_cost_musd
    [USD million per unit, nominal of price_year], lead_time_years [whole years],
    service_life_years [years], capability_units_per_system, rate0 [units/year today],
    rate0_year, rate1 [announced units/year], rate1_year, backlog_units,
    backlog_european_units, price_sourced`` and one plain-language note per filled cell.
    """
    # Long by design: one assignment per catalogue column the LP reads, in the order of the
    # docstring's list; each named fill rule is a helper above.
    cat = systems.drop_duplicates("system").set_index("system")
    out = pd.DataFrame(index=cat.index)
    out["capability"] = cat["capability"]
    out["us_made"] = _flag(cat, "us_made", pd.Series(False, index=cat.index))
    out["european_supplier"] = _flag(cat, "european_supplier", ~out["us_made"])
    out["canonical"] = _flag(cat, "canonical", pd.Series(True, index=cat.index))
    out["unit_cost_musd"] = _num(cat, "unit_cost_musd")
    out["price_sourced"] = out["unit_cost_musd"].notna()
    out["lead_time_years"] = _num(cat, "lead_time_years")
    out["service_life_years"] = _num(cat, "service_life_years")
    units = _num(cat, "capability_units_per_system")
    out["capability_units_per_system"] = units
    out["rate0"] = _num(cat, "annual_production_rate_units")
    out["rate0_year"] = cat.get("production_rate_year", pd.Series(index=cat.index)).map(_last_year)
    out["rate1"] = _num(cat, "planned_rate_units")
    out["rate1_year"] = cat.get("planned_rate_year", pd.Series(index=cat.index)).map(_first_year)
    backlog = _num(cat, "backlog_units")
    eur = _num(cat, "backlog_european_units")
    notes = [
        f"{name}: total backlog unknown; the European orders ({eur[name]:g}) are its "
        "known part, so backlog_units = backlog_european_units (exports unknown)"
        for name in out.index[backlog.isna() & eur.notna()]
    ]
    out["backlog_units"] = backlog.fillna(eur).fillna(0.0)
    out["backlog_european_units"] = eur
    only_planned = out["rate0"].isna() & out["rate1"].notna() & out["rate1_year"].isna()
    notes += [
        f"{name}: only a stated rate without a year ({out.loc[name, 'rate1']:g} units/year): "
        "used as today's line rate"
        for name in out.index[only_planned]
    ]
    out.loc[only_planned, "rate0"] = out.loc[only_planned, "rate1"]
    case = params.assumption_case
    notes += _fill_rate(out, params)
    notes += _fill_from_area(out, "unit_cost_musd", "unit cost", "USD million", case, None)
    lead = float(params.default_lead_time_years)
    notes += _fill_from_area(out, "lead_time_years", "lead time", "years", case,
                             (min(2.0, lead), lead, max(5.0, lead),
                              "planning.default_lead_time_years"))
    life = float(params.default_service_life_years)
    notes += _fill_from_area(out, "service_life_years", "service life", "years", "central",
                             (min(25.0, life), life, max(40.0, life),
                              "planning.default_service_life_years"))
    out["lead_time_years"] = lead_years(out["lead_time_years"])
    out["service_life_years"] = out["service_life_years"].round().astype(int)
    eur = out["backlog_european_units"]
    unknown_share = (out["backlog_units"] > 0) & eur.isna()
    notes += [
        f"{name}: backlog of {out.loc[name, 'backlog_units']:g} with no European part stated: "
        "counted as export only (occupies the line, adds nothing to European holdings)"
        for name in out.index[unknown_share]
    ]
    out["backlog_european_units"] = np.minimum(eur.fillna(0.0), out["backlog_units"])
    return out, notes


def base_capacity(cat: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Line rate per system and year without paid expansion [units/year, all customers].

    Today's rate ``rate0`` holds up to ``rate0_year`` (the year before the first
    planned year when not stated), then rises linearly to the announced ``rate1``
    by ``rate1_year`` and stays there; without an announced rate it stays flat.
    """
    y = np.asarray(years, dtype=float)[None, :]
    r0 = cat["rate0"].to_numpy(dtype=float)[:, None]
    r1 = cat["rate1"].to_numpy(dtype=float)[:, None]
    t0 = cat["rate0_year"].to_numpy(dtype=float)[:, None]
    t0 = np.where(np.isnan(t0), y[0, 0] - 1.0, t0)
    t1 = cat["rate1_year"].to_numpy(dtype=float)[:, None]
    has_plan = ~np.isnan(r1) & ~np.isnan(t1)
    t1 = np.where(has_plan, t1, t0)
    span = np.maximum(t1 - t0, 1.0)
    frac = np.where(t1 > t0, np.clip((y - t0) / span, 0.0, 1.0), (y >= t1).astype(float))
    ramp = r0 + (np.nan_to_num(r1) - r0) * frac
    values = np.where(has_plan, ramp, np.broadcast_to(r0, ramp.shape))
    return pd.DataFrame(values, index=cat.index, columns=list(years))


def backlog_deliveries(
    cat: pd.DataFrame, base: pd.DataFrame, arms_sales: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Backlog delivered first on the base line (FIFO) [units per year].

    Returns (all customers, European part). Each year's backlog delivery is the
    line's base capacity until the backlog is used up; the European part is the
    share ``backlog_european_units / backlog_units`` of it (orders served in
    proportion), times the year's US arms-sales share for US-made lines.
    """
    cum_cap = np.cumsum(base.to_numpy(), axis=1)
    backlog = cat.loc[base.index, "backlog_units"].to_numpy(dtype=float)[:, None]
    delivered_cum = np.minimum(cum_cap, backlog)
    yearly = np.diff(delivered_cum, axis=1, prepend=0.0)
    total = pd.DataFrame(yearly, index=base.index, columns=base.columns)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(backlog[:, 0] > 0, cat.loc[base.index, "backlog_european_units"]
                         .to_numpy(dtype=float) / backlog[:, 0], 0.0)
    us = cat.loc[base.index, "us_made"].to_numpy(dtype=bool)[:, None]
    allowed = np.where(us, arms_sales.reindex(base.columns).to_numpy()[None, :], 1.0)
    european = pd.DataFrame(yearly * share[:, None] * allowed, index=base.index,
                            columns=base.columns)
    return total, european
