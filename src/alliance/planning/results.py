"""Tidy results of a plan and the plain-language summary of what binds.

:class:`PlanResult` holds long tables (one row per item × year) with units in
the column names, the solver status, both objective terms, the dual values of
every constraint family and a list of plain-language statements such as
"long-range air defence: limited by factory capacity (Patriot ...) until 2031".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    out = []
    for cap, grp in shortfall.groupby("capability", sort=False):
        series = grp.set_index("year")["shortfall"].reindex(years).fillna(0.0)
        open_years = series.index[series > tol]
        if len(open_years) == 0:
            closure: int | None = years[0]
        elif open_years.max() == years[-1]:
            closure = None
        else:
            closure = int(open_years.max()) + 1
        out.append({"capability": cap, "closure_year": closure})
    return pd.DataFrame(out, columns=["capability", "closure_year"]).astype(
        {"closure_year": "object"}
    )


def _span(years: list[int]) -> str:
    """'2027' or '2027–2031' (years contiguous or not: first–last)."""
    if not years:
        return ""
    lo, hi = min(years), max(years)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _binding_years(duals: pd.DataFrame, family: str, index: str) -> list[int]:
    """Years where constraint ``family`` at ``index`` binds."""
    sel = duals[(duals["family"] == family) & (duals["index"] == index) & duals["binding"]]
    return sorted(int(y) for y in sel["year"])


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
    statements: list[str] = []
    for cap in inputs.capabilities:
        statement = _capability_statement(inputs, cap, shortfall, closure_map, duals)
        if statement is not None:
            statements.append(statement)
    budget = duals[(duals["family"] == "budget") & duals["binding"]]
    if not budget.empty:
        n_buyers = budget["index"].nunique()
        statements.append(
            f"equipment budgets bind for {n_buyers} of {len(inputs.buyers)} buyers "
            f"in {_span(sorted({int(y) for y in budget['year']}))}"
        )
    if not statements:
        statements.append(f"every gap is closed in every year up to {horizon}")
    return statements


def _capability_statement(
    inputs: PlanningInputs,
    cap: str,
    shortfall: pd.DataFrame,
    closure_map: dict[Any, Any],
    duals: pd.DataFrame,
) -> str | None:
    """What keeps the gap of capability ``cap`` open, in one sentence (None: never open)."""
    tol = inputs.params.closure_tolerance
    horizon = inputs.lp_years[-1]
    label = capability_catalogue().label(cap)
    grp = shortfall[shortfall["capability"] == cap]
    open_years = sorted(int(y) for y in grp.loc[grp["shortfall"] > tol, "year"])
    if not open_years:
        return None
    closed = closure_map.get(cap)
    closed = None if closed is None or pd.isna(closed) else int(closed)
    closed_text = f"closes in {closed}" if closed is not None else f"not closed by {horizon}"
    systems = inputs.systems[inputs.systems["capability"] == cap]
    bought = systems[systems.index.isin(set(inputs.pairs["system"]))]
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
            f"stays open ({grp['shortfall'].iloc[-1]:,.0f} short in {horizon})"
        )
    reasons: list[str] = []
    first_delivery = inputs.years[0] + int(bought["lead_time_years"].min())
    early = [y for y in open_years if y < first_delivery]
    if early:
        fastest = bought["lead_time_years"].idxmin()
        reasons.append(
            f"limited by lead time until {max(early)} "
            f"(first delivery {first_delivery}: {fastest}, "
            f"lead time {int(bought['lead_time_years'].min())} yr)"
        )
    for system in bought.index:
        reasons += _system_limits(duals, system, first_delivery)
    if not reasons:
        reasons.append(_budget_or_weights(duals))
    return f"{label}: " + "; ".join(reasons) + f"; {closed_text}"


def _system_limits(duals: pd.DataFrame, system: str, first_delivery: int) -> list[str]:
    """Factory capacity, ramp and US arms-sales limits that bind for ``system``."""
    reasons: list[str] = []
    cap_years = _binding_years(duals, "production_capacity", system)
    if cap_years:
        reasons.append(
            f"limited by factory capacity ({system}) until {max(cap_years)}"
            if min(cap_years) <= first_delivery
            else f"limited by factory capacity ({system}) in {_span(cap_years)}"
        )
    ramp_years = _binding_years(duals, "capacity_ramp", system)
    if ramp_years:
        reasons.append(f"factory growth at the ramp limit ({system}) in {_span(ramp_years)}")
    if _binding_years(duals, "capacity_expansion", system):
        reasons.append(f"paid expansion at its total limit ({system})")
    arms_years = _binding_years(duals, "us_arms_sales", system)
    if arms_years:
        reasons.append(f"limited by the US arms-sales limit ({system}) in {_span(arms_years)}")
    return reasons


def _budget_or_weights(duals: pd.DataFrame) -> str:
    """Why a gap with no binding system limit stays open: budgets, else the objective."""
    budget_years = sorted(
        {int(y) for y in duals.loc[(duals["family"] == "budget") & duals["binding"], "year"]}
    )
    if budget_years:
        return f"limited by equipment budgets in {_span(budget_years)}"
    return "kept open by the objective's weights (buying elsewhere pays more)"
