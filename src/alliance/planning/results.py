"""Tidy results of a plan and the plain-language summary of what binds.

:class:`PlanResult` holds long tables (one row per item × year) with units in
the column names, the solver status, both objective terms, the dual values of
every constraint family and a list of plain-language statements such as
"long-range air defence: limited by factory capacity (Patriot ...) until 2031".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance._json import jsonable
from alliance.catalogue import capability_catalogue
from alliance.params.planning import TROOP_AREA
from alliance.planning.inputs import PlanningInputs

__all__ = [
    "BACKLOG_BUYER",
    "PlanResult",
    "binding_summary",
    "closure_years",
]

DUAL_TOL = 1e-10
#: Buyer label of the deliveries of European orders placed before the plan (the backlog).
BACKLOG_BUYER = "backlog (European orders)"


@dataclass
class PlanResult:
    """Outcome of one planning solve, as tidy DataFrames.

    Attributes:
        scenario: scenario name ('' when solved from hand-built inputs).
        status: 'optimal' or the solver's termination condition.
        objective: risk-weighted shortfall summed over years (dimensionless when
            normalised: shares of requirement × years).
        total_cost_musd: orders plus capacity investment over the horizon
            [USD million, constant 2025 prices].
        orders: ``buyer, system, capability, year, units``.
        deliveries: ``buyer, system, capability, year, units, order_basis`` of the
            plan's orders (``order_basis`` = ``plan``), up to ``delivery_horizon``.
        exogenous_deliveries: same columns: European orders placed before the plan
            (``backlog``, buyer BACKLOG_BUYER) and recruits (``recruitment``, troops).
        capacity: ``system, capability, year, base_capacity_units_per_year,
            backlog_units, capacity_added_units_per_year, capacity_units_per_year,
            free_capacity_units_per_year, delivered_units``.
        spend: ``buyer, year, musd, capex_musd, budget_musd`` (planned years).
        shortfall: ``capability, year, requirement, shortfall, unit, after_horizon``
            up to ``delivery_horizon``.
        closure: ``capability, closure_year`` (first year from which the plan keeps
            the gap closed; None = still open in ``delivery_horizon``), ``pace_year``
            (same at today's pace; None = not by ``pace_search_to``),
            ``pace_units_per_year``, ``pace_basis``.
        duals: ``family, index, year, dual, binding`` from the shortfall solve.
        binding: plain-language statements of what limits each gap.
        assumptions: rules, filled cells and named assumptions used.
        horizon: last planned year (orders and budgets).
        delivery_horizon: last LP year (orders placed by the horizon still deliver).
        pace_search_to: last year searched for the pace year.
        recruitment: ``year, low, central, high`` yearly recruitment limit and
            ``in_service_*`` recruits in service [troops].
        objective_mode: 'lexicographic' or 'epsilon'.
    """

    scenario: str
    status: str
    objective: float
    total_cost_musd: float
    orders: pd.DataFrame
    deliveries: pd.DataFrame
    capacity: pd.DataFrame
    spend: pd.DataFrame
    shortfall: pd.DataFrame
    closure: pd.DataFrame
    duals: pd.DataFrame
    binding: list[str]
    assumptions: list[str] = field(default_factory=list)
    exogenous_deliveries: pd.DataFrame = field(default_factory=pd.DataFrame)
    horizon: int = 0
    delivery_horizon: int = 0
    pace_search_to: int = 0
    recruitment: pd.DataFrame = field(default_factory=pd.DataFrame)
    objective_mode: str = "lexicographic"

    @property
    def closure_year(self) -> dict[str, int | None]:
        """Area → first year from which the plan keeps its gap closed (None: never)."""
        return _year_map(self.closure, "closure_year")

    @property
    def pace_year(self) -> dict[str, int | None]:
        """Area → first year from which today's pace keeps its gap closed (None: never)."""
        return _year_map(self.closure, "pace_year")

    @property
    def all_deliveries(self) -> pd.DataFrame:
        """The plan's deliveries, the European backlog and recruits: all that enters service."""
        frames = [f for f in (self.deliveries, self.exogenous_deliveries) if not f.empty]
        return pd.concat(frames, ignore_index=True) if frames else self.deliveries

    def total_shortfall(self) -> float:
        """Sum of shortfall over capabilities and years [capability units × years]."""
        return float(self.shortfall["shortfall"].sum())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (plain Python types; NaN becomes None)."""

        def rows(frame: pd.DataFrame, cols: list[str]) -> list[dict[str, Any]]:
            records: list[dict[str, Any]] = jsonable(frame[cols])
            return records

        return {
            "scenario": self.scenario,
            "status": self.status,
            "objective": self.objective,
            "objective_mode": self.objective_mode,
            "total_cost_musd": self.total_cost_musd,
            "horizon": self.horizon,
            "delivery_horizon": self.delivery_horizon,
            "pace_search_to": self.pace_search_to,
            "closure_year": self.closure_year,
            "pace_year": self.pace_year,
            "areas": rows(
                self.closure,
                ["capability", "closure_year", "pace_year", "pace_units_per_year", "pace_basis"],
            ),
            "shortfall": rows(self.shortfall, ["capability", "year", "shortfall", "requirement"]),
            "spend": rows(self.spend, ["buyer", "year", "musd"]),
            "orders": rows(
                self.orders[self.orders["units"] > 1e-9],
                ["buyer", "system", "capability", "year", "units"],
            ),
            "capacity": rows(
                self.capacity,
                ["system", "year", "capacity_units_per_year", "capacity_added_units_per_year"],
            ),
            "binding": list(self.binding),
            "assumptions": list(self.assumptions),
        }


def _year_map(frame: pd.DataFrame, column: str) -> dict[str, int | None]:
    """Area → year of ``column`` (None where empty)."""
    if column not in frame.columns:
        return {str(c): None for c in frame["capability"]}
    return {
        str(cap): (None if pd.isna(year) else int(year))
        for cap, year in zip(frame["capability"], frame[column], strict=True)
    }


def closure_years(shortfall: pd.DataFrame, years: list[int], tol: float) -> pd.DataFrame:
    """First year from which each capability's shortfall stays at or below ``tol``.

    Args:
        shortfall: ``capability, year, shortfall`` rows.
        years: planned years, ascending.
        tol: closure tolerance [capability units].

    Returns:
        ``capability, closure_year`` with None where the gap is still open in the
        last planned year.
    """
    areas = list(dict.fromkeys(shortfall["capability"]))
    # the areas x years grid of shortfalls, 0 where a cell has no row or an empty value
    row = pd.Index(areas).get_indexer(pd.Index(shortfall["capability"]))
    col = pd.Index(years).get_indexer(pd.Index(shortfall["year"]))
    year_code, year_values = pd.factorize(shortfall["year"])
    cell = row.astype(np.int64) * len(year_values) + year_code
    if len(np.unique(cell)) < len(cell):
        msg = "closure years: shortfall has duplicate capability-year rows"
        raise ValueError(msg)
    values = shortfall["shortfall"].to_numpy(dtype=float)
    wide = np.zeros((len(areas), len(years)))
    on_grid = col >= 0
    wide[row[on_grid], col[on_grid]] = np.where(np.isnan(values), 0.0, values)[on_grid]
    last_open = _last_true(wide > tol)
    closure = [years[0] if k < 0 else None if k == len(years) - 1 else int(years[k]) + 1
               for k in last_open.tolist()]
    return pd.DataFrame({"capability": areas,
                         "closure_year": pd.Series(closure, dtype="object")},
                        columns=["capability", "closure_year"])


def _last_true(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Column position of the last True in each row of ``mask`` (−1: none)."""
    n_cols = mask.shape[1]
    if n_cols == 0:
        return np.full(mask.shape[0], -1, dtype=np.int64)
    from_end = np.argmax(mask[:, ::-1], axis=1)
    last: npt.NDArray[np.int64] = np.where(mask.any(axis=1), n_cols - 1 - from_end, -1)
    return last


def _span(years: list[int]) -> str:
    """'2027' or '2027–2031' (years contiguous or not: first–last)."""
    if not years:
        return ""
    lo, hi = min(years), max(years)
    return str(lo) if lo == hi else f"{lo}–{hi}"


#: (family, index) → sorted years in which that constraint binds.
BindingYears = dict[tuple[str, str], list[int]]


def _binding_years_by_constraint(duals: pd.DataFrame) -> BindingYears:
    """Years in which each constraint (family, index) binds, read once from ``duals``."""
    rows = duals.loc[duals["binding"].to_numpy(dtype=bool), ["family", "index", "year"]]
    years: BindingYears = {}
    for family, index, year in zip(rows["family"].tolist(), rows["index"].tolist(),
                                   rows["year"].tolist(), strict=True):
        years.setdefault((str(family), str(index)), []).append(int(year))
    return {key: sorted(found) for key, found in years.items()}


def binding_summary(
    inputs: PlanningInputs,
    shortfall: pd.DataFrame,
    closure: pd.DataFrame,
    duals: pd.DataFrame,
) -> list[str]:
    """Plain-language statements of what keeps each gap open.

    For every capability with a shortfall, names the constraint families that
    bind for its systems (factory capacity, ramp rate, US arms-sales limit), the
    lead time before the first delivery, and whether equipment budgets bind.
    """
    closure_map = dict(zip(closure["capability"], closure["closure_year"], strict=True))
    horizon = inputs.years[-1]
    binding = _binding_years_by_constraint(duals)
    budget_years = sorted({y for (family, _), ys in binding.items() if family == "budget"
                           for y in ys})
    tol = inputs.params.closure_tolerance
    open_rows = shortfall.loc[shortfall["shortfall"].to_numpy(dtype=float) > tol]
    open_years = {str(cap): sorted(int(y) for y in grp) for cap, grp in
                  open_rows.groupby("capability", sort=False)["year"]}
    last_rows = shortfall.drop_duplicates("capability", keep="last")
    last_shortfall = dict(zip(last_rows["capability"].astype(str), last_rows["shortfall"],
                              strict=True))
    bought = inputs.systems[inputs.systems.index.isin(inputs.ordered_systems)]
    bought_by_area = {str(cap): grp for cap, grp in bought.groupby("capability", sort=False)}
    statements: list[str] = []
    for cap in inputs.capabilities:
        if not open_years.get(cap):
            continue
        statements.append(_capability_statement(
            inputs, cap, _OpenGap(open_years[cap], last_shortfall[cap], closure_map.get(cap)),
            bought_by_area.get(cap, bought.iloc[:0]), binding, budget_years))
    if budget_years:
        n_buyers = len({index for (family, index) in binding if family == "budget"})
        statements.append(
            f"equipment budgets bind for {n_buyers} of {len(inputs.buyers)} buyers "
            f"in {_span(budget_years)}"
        )
    if not statements:
        statements.append(f"every gap is closed in every year up to {horizon}")
    return statements


@dataclass(frozen=True)
class _OpenGap:
    """One capability's open gap, as the sentence about it needs it.

    Attributes:
        open_years: years with a shortfall above the closure tolerance.
        last_shortfall: shortfall in the last LP year [capability units].
        closure_year: first year the plan keeps the gap closed (None or NA: never).
    """

    open_years: list[int]
    last_shortfall: float
    closure_year: Any


def _capability_statement(
    inputs: PlanningInputs,
    cap: str,
    gap: _OpenGap,
    bought: pd.DataFrame,
    binding: BindingYears,
    budget_years: list[int],
) -> str:
    """What keeps the open gap of capability ``cap`` open, in one sentence.

    ``bought`` holds the rows of ``inputs.systems`` for the area's systems some buyer
    can order.
    """
    horizon = inputs.lp_years[-1]
    label = capability_catalogue().label(cap)
    closed = gap.closure_year
    closed = None if closed is None or pd.isna(closed) else int(closed)
    closed_text = f"closes in {closed}" if closed is not None else f"not closed by {horizon}"
    if cap == TROOP_AREA:
        limit = inputs.recruitment[inputs.params.assumption_case]
        planned = limit.loc[limit.index.isin(inputs.years)]
        return (
            f"{label}: limited by recruitment (recruitment.csv, "
            f"{float(planned.mean()):,.0f} net additional troops a year on average, "
            f"{inputs.params.assumption_case}); {closed_text}"
        )
    if bought.empty:
        return (
            f"{label}: no procurable system in the catalogue (or none allowed), so the gap "
            f"stays open ({gap.last_shortfall:,.0f} short in {horizon})"
        )
    reasons: list[str] = []
    first_delivery = inputs.years[0] + int(bought["lead_time_years"].min())
    early = [y for y in gap.open_years if y < first_delivery]
    if early:
        fastest = bought["lead_time_years"].idxmin()
        reasons.append(
            f"limited by lead time until {max(early)} "
            f"(first delivery {first_delivery}: {fastest}, "
            f"lead time {int(bought['lead_time_years'].min())} yr)"
        )
    for system in bought.index:
        reasons += _system_limits(binding, str(system), first_delivery)
    if not reasons:
        reasons.append(_budget_or_weights(budget_years))
    return f"{label}: " + "; ".join(reasons) + f"; {closed_text}"


def _system_limits(binding: BindingYears, system: str, first_delivery: int) -> list[str]:
    """Factory capacity, ramp and US arms-sales limits that bind for ``system``."""
    reasons: list[str] = []
    cap_years = binding.get(("production_capacity", system), [])
    if cap_years:
        reasons.append(
            f"limited by factory capacity ({system}) until {max(cap_years)}"
            if min(cap_years) <= first_delivery
            else f"limited by factory capacity ({system}) in {_span(cap_years)}"
        )
    ramp_years = binding.get(("capacity_ramp", system), [])
    if ramp_years:
        reasons.append(f"factory growth at the ramp limit ({system}) in {_span(ramp_years)}")
    if binding.get(("capacity_expansion", system)):
        reasons.append(f"paid expansion at its total limit ({system})")
    arms_years = binding.get(("us_arms_sales", system), [])
    if arms_years:
        reasons.append(f"limited by the US arms-sales limit ({system}) in {_span(arms_years)}")
    return reasons


def _budget_or_weights(budget_years: list[int]) -> str:
    """Why a gap with no binding system limit stays open: budgets, else the objective."""
    if budget_years:
        return f"limited by equipment budgets in {_span(budget_years)}"
    return "kept open by the objective's weights (buying elsewhere pays more)"
