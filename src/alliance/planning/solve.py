r"""Solve the planning LP in a fixed sequence: check → build → solve → read → tidy.

Objective (``objective_mode``):

* ``lexicographic`` (default): first minimise the risk-weighted shortfall
  :math:`\Phi`; then, keeping :math:`\Phi \le \Phi^* (1 + \tau) + 10^{-9}`,
  minimise total cost. Duals reported are those of the first (shortfall) solve,
  so that they say what limits closing the gaps.
* ``epsilon``: one solve of :math:`\Phi + \varepsilon\,\Gamma` with
  :math:`\varepsilon` = ``cost_tiebreak_weight``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import linopy
import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.errors import ModelError
from alliance.memo import TableMemo
from alliance.params.planning import TROOP_AREA
from alliance.params.ukraine import UKRAINE_PRODUCTION_AREAS
from alliance.planning.inputs import PlanningInputs, build_inputs, check_inputs
from alliance.planning.model import (
    CONSTRAINT_FAMILIES,
    Index,
    add_shortfall_bound,
    build_model,
    cost_expression,
    shortfall_objective,
)
from alliance.planning.pace import pace_by_area, pace_years
from alliance.planning.results import BACKLOG_BUYER, PlanResult, binding_summary, closure_years
from alliance.scenario import Scenario

__all__ = ["plan", "plan_inputs", "solve_plan"]

logger = logging.getLogger(__name__)

INEQUALITY_FAMILIES = (
    "production_capacity", "capacity_ramp", "capacity_expansion", "us_arms_sales", "budget",
)
#: Buyer, system and order basis of the recruitment rows of the deliveries table.
RECRUITMENT = "recruitment"
#: The United States: not a buyer of the plan (the plan replaces what it contributes).
US_ISO3 = "USA"
ACTIVITY_TOL = 1e-6
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class _StdoutSilencer:
    """Point file descriptor 1 at /dev/null while any solve runs, process-wide.

    The descriptor is shared by every thread, so the redirect is reference-counted
    under a lock: the first solve to start saves the real stdout, the last to end
    restores it (two concurrent assessments in the web app must not leave stdout on
    /dev/null).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: int | None = None

    def enter(self) -> None:
        """Start silencing (or join a silencing already in force)."""
        with self._lock:
            if self._depth == 0:
                with contextlib.suppress(AttributeError, OSError, ValueError):
                    sys.stdout.flush()
                self._saved = os.dup(1)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.close(devnull)
            self._depth += 1

    def leave(self) -> None:
        """Stop silencing when the last solve ends."""
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._saved is not None:
                with contextlib.suppress(AttributeError, OSError, ValueError):
                    sys.stdout.flush()
                os.dup2(self._saved, 1)
                os.close(self._saved)
                self._saved = None


_SILENCER = _StdoutSilencer()


@contextlib.contextmanager
def _quiet_native_stdout() -> Iterator[None]:
    """Send native (C++) writes to file descriptor 1 to /dev/null while solving.

    HiGHS prints its banner straight to fd 1 before linopy can pass
    ``output_flag = False``; a quiet library must not write to stdout (the CLI's
    ``--json`` output goes there). The descriptor is restored afterwards.
    """
    _SILENCER.enter()
    try:
        yield
    finally:
        _SILENCER.leave()


@dataclass(frozen=True, eq=False)
class Solution:
    """HiGHS's primal values and row duals of one solve, as NumPy arrays by linopy label.

    Read straight from the solver's result, without writing it back onto the model
    as xarray (``linopy.Model.assign_result``): the values are the same numbers, at
    a fraction of the cost. ``primal[label]`` is a variable's value in its units,
    ``dual[label]`` a constraint's dual (objective units per constraint unit; NaN
    for a MILP).
    """

    model: linopy.Model
    primal: FloatArray
    dual: FloatArray

    def variable(self, name: str) -> FloatArray:
        """Values of variable ``name`` in the shape of its labels (linopy's scaling undone)."""
        var = self.model.variables[name]
        start, end = var.range
        values: FloatArray = (
            self.primal[start:end].reshape(var.shape) / var.solver_scaling.values
        )
        return values

    def constraint_dual(self, name: str) -> FloatArray:
        """Duals of constraint family ``name`` in the shape of its labels."""
        con = self.model.constraints[name]
        start, end = con.range
        if len(self.dual) == 0:
            return np.full(con.shape, np.nan)
        values: FloatArray = (
            self.dual[start:end].reshape(con.shape) * con.scaling.values
            / self.model.objective.scaling
        )
        return values

    def expression_value(self, expression: linopy.LinearExpression) -> float:
        """Value of a scalar linear expression (terms summed as linopy sums them)."""
        labels = np.asarray(expression.vars.values, dtype=np.int64)
        values = np.where(labels >= 0, self.primal[np.clip(labels, 0, None)], np.nan)
        const = float(np.asarray(expression.const.values).sum())
        return float(np.nansum(np.asarray(expression.coeffs.values) * values)) + const


def _solve(m: linopy.Model, inputs: PlanningInputs, step: str) -> Solution:
    """Run HiGHS on ``m`` and return its solution; raise ModelError unless optimal.

    The solver is built and run as ``linopy.Model.solve`` does (direct API, no
    sanitising: the model is built from finite, aligned term arrays), but the
    result is returned as arrays instead of being assigned to the model.
    """
    params = inputs.params
    options: dict[str, Any] = {"time_limit": params.time_limit_seconds, "output_flag": False}
    if params.integer_lots:
        options["mip_rel_gap"] = params.mip_gap
    with _quiet_native_stdout():
        solver = linopy.solvers.Solver.from_name(
            "highs", model=m, io_api="direct", options=options,
            explicit_coordinate_names=False, set_names=None, log_fn=None,
        )
        result = solver.solve()
    status = result.status.status.value
    condition = result.status.termination_condition.value
    logger.info("planning %s solve: status=%s, condition=%s", step, status, condition)
    if status != "ok" or condition != "optimal" or result.solution is None:
        raise ModelError(_failure_message(step, str(condition)))
    return Solution(m, np.asarray(result.solution.primal, dtype=float),
                    np.asarray(result.solution.dual, dtype=float))


def _failure_message(step: str, condition: str) -> str:
    """What to fix when the ``step`` solve ended with ``condition``, not optimal."""
    families = ", ".join(CONSTRAINT_FAMILIES)
    if "infeasible" in condition:
        return (
            f"planning ({step} step) is infeasible: the constraint families "
            f"({families}) contradict each other; check budgets >= 0, initial "
            "capacities >= 0 and the arms-sales shares"
        )
    if "unbounded" in condition:
        return f"planning ({step} step) is unbounded: a cost or weight is negative"
    return (
        f"planning ({step} step) stopped with status '{condition}'; raise "
        "time_limit_seconds or use continuous orders (integer_lots = false)"
    )


def _grid_frame(indexes: list[pd.Index], values: FloatArray, column: str) -> pd.DataFrame:
    """Tidy frame of an array over ``indexes`` (C order): one column per index, then ``column``.

    The same rows, columns and dtypes as ``DataArray.to_dataframe(column).reset_index()``.
    """
    sizes = [len(ix) for ix in indexes]
    positions = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), int)
    data: dict[str, Any] = {
        str(ix.name): ix[positions[k]] for k, ix in enumerate(indexes)
    }
    data[column] = values.reshape(-1)
    return pd.DataFrame(data)


def _read_duals(m: linopy.Model, solution: Solution, horizon: int) -> pd.DataFrame:
    """Dual values of every inequality family, tidy: family, index, year, dual.

    A family without a year dimension (``capacity_expansion``) is reported in the
    last planned year ``horizon``. Rows run family by family, each in the C order of
    its constraint array (item-major).
    """
    families: list[str] = []
    items: list[pd.Index] = []
    years: list[IntArray] = []
    duals: list[FloatArray] = []
    for family in INEQUALITY_FAMILIES:
        if family not in m.constraints:
            continue
        con = m.constraints[family]
        dims = list(con.coord_dims)
        values = solution.constraint_dual(family)
        sizes = [len(con.indexes[d]) for d in dims]
        position = dict(zip(dims, np.indices(sizes).reshape(len(dims), -1), strict=True))
        other = [d for d in dims if d != "year"]
        items.append(con.indexes[other[0]][position[other[0]]] if other
                     else pd.Index([""] * values.size))
        years.append(con.indexes["year"].to_numpy(dtype=np.int64)[position["year"]]
                     if "year" in position else np.full(values.size, horizon, dtype=np.int64))
        families += [family] * values.size
        duals.append(values.reshape(-1))
    if not families:
        return pd.DataFrame(columns=["family", "index", "year", "dual"])
    return pd.DataFrame({
        "family": pd.array(families, dtype="str"),
        "index": items[0].append(items[1:]),
        "year": np.concatenate(years),
        "dual": np.concatenate(duals),
    })


def _values(solution: Solution, name: str, column: str) -> pd.DataFrame:
    """Solution of variable ``name`` as a tidy frame with value column ``column``.

    Masked cells dropped; values below 1e-9 in magnitude reported as 0.
    """
    var = solution.model.variables[name]
    frame = _grid_frame([var.indexes[d] for d in var.dims], solution.variable(name), column)
    frame = frame[frame[column].notna()].copy()
    values = frame[column].to_numpy(dtype=float)
    frame[column] = np.where(np.abs(values) < 1e-9, 0.0, values)
    return frame


def _order_rows(solution: Solution, inputs: PlanningInputs) -> pd.DataFrame:
    """The plan's orders, one row per buyer × system pair and planned year.

    Columns ``buyer, system, unit_price_musd, capability, lead_time_years, year,
    units, musd`` [units; USD million, constant 2025 prices]; rows in the order of
    the ``order`` variable (pair-major), masked cells dropped.
    """
    lot = float(inputs.params.lot_size_units) if inputs.params.integer_lots else 1.0
    pairs = inputs.pairs.reset_index(drop=True)
    position = inputs.systems.index.get_indexer(pd.Index(pairs["system"]))
    pairs["capability"] = inputs.systems["capability"].array[position]
    pairs["lead_time_years"] = inputs.systems["lead_time_years"].to_numpy()[position].astype(int)
    var = solution.model.variables["order"]
    values = solution.variable("order")
    pair_of_row, year_of_row = np.indices(values.shape).reshape(2, -1)
    orders = pairs.iloc[pair_of_row].reset_index(drop=True)
    orders["year"] = var.indexes["year"].to_numpy()[year_of_row]
    units = values.reshape(-1)
    orders["units"] = np.where(np.abs(units) < 1e-9, 0.0, units)
    orders = orders[orders["units"].notna()]
    orders["units"] = orders["units"] * lot
    orders["musd"] = orders["units"] * orders["unit_price_musd"]
    return orders


def _pair_deliveries(inputs: PlanningInputs, orders: pd.DataFrame) -> pd.DataFrame:
    """Deliveries per buyer of the plan's orders: each order arrives ``lead`` years later.

    ``orders`` as from :func:`_order_rows`; returns ``buyer, system, capability,
    year, units, order_basis`` (``plan``).
    """
    d = orders[["buyer", "system", "capability", "year", "units"]].assign(
        year=orders["year"] + orders["lead_time_years"])
    d = d[d["year"].isin(inputs.lp_years)]
    return d.assign(order_basis="plan")


def _backlog_rows(inputs: PlanningInputs) -> pd.DataFrame:
    """European backlog orders delivered (FIFO), as delivery rows of buyer BACKLOG_BUYER."""
    eur = inputs.backlog_european
    if eur.empty:
        return pd.DataFrame(columns=[*_DELIVERY_COLUMNS])
    # the system x year cells in stacking order (system-major), those above 1e-9 kept
    units = eur.to_numpy(dtype=float).reshape(-1)
    kept = np.flatnonzero(units > 1e-9)
    n_years = len(eur.columns)
    systems = pd.Series(eur.index.take(kept // n_years))
    return pd.DataFrame({
        "buyer": BACKLOG_BUYER,
        "system": systems,
        "capability": capability_of(inputs, systems).to_numpy(),
        "year": pd.Index(eur.columns).take(kept % n_years),
        "units": units[kept],
        "order_basis": "backlog",
    })


def _recruit_rows(inputs: PlanningInputs) -> pd.DataFrame:
    """Recruits added per year (troops), as delivery rows of buyer and system 'recruitment'."""
    if TROOP_AREA not in inputs.capabilities:
        return pd.DataFrame(columns=[*_DELIVERY_COLUMNS])
    stock = inputs.recruitment["in_service"]
    added = stock.diff().fillna(stock.iloc[0])
    rows = pd.DataFrame({"buyer": RECRUITMENT, "system": RECRUITMENT, "capability": TROOP_AREA,
                         "year": added.index.astype(int), "units": added.to_numpy(),
                         "order_basis": RECRUITMENT})
    return rows[rows["units"] > 1e-9][list(_DELIVERY_COLUMNS)]


def capability_of(inputs: PlanningInputs, systems: pd.Series) -> pd.Series:
    """Area of each system name (procurable or backlog-only) [capability area]."""
    known = inputs.systems["capability"].to_dict()
    known.update(inputs.backlog_capability)
    return systems.map(known)


_DELIVERY_COLUMNS = ("buyer", "system", "capability", "year", "units", "order_basis")


def _tidy(solution: Solution, inputs: PlanningInputs) -> dict[str, pd.DataFrame]:
    """Read the primal solution into long tables with units in the column names."""
    orders = _order_rows(solution, inputs)
    cols = ["buyer", "system", "capability", "year", "units"]
    orders_out = orders[[*cols, "musd"]].sort_values(["buyer", "system", "year"])
    planned = _pair_deliveries(inputs, orders)
    deliveries = planned[list(_DELIVERY_COLUMNS)]
    exogenous = pd.concat([_backlog_rows(inputs), _recruit_rows(inputs)], ignore_index=True)
    capacity = _capacity_table(solution, inputs, planned)
    spend = _spend_table(solution, inputs, orders)
    short = _values(solution, "shortfall", "shortfall")
    gaps = inputs.gaps.reset_index()[["capability", "year", "requirement", "residual_gap", "unit"]]
    short = short.merge(gaps, on=["capability", "year"], how="left")
    short["shortfall"] = short["shortfall"].clip(lower=0.0)
    short["after_horizon"] = short["year"] > inputs.years[-1]
    return {
        "orders": orders_out.reset_index(drop=True),
        "deliveries": deliveries.sort_values(["buyer", "system", "year"]).reset_index(drop=True),
        "exogenous_deliveries": exogenous.reset_index(drop=True),
        "capacity": capacity.reset_index(drop=True),
        "spend": spend.reset_index(drop=True),
        "shortfall": short.reset_index(drop=True),
    }


def _capacity_table(
    solution: Solution, inputs: PlanningInputs, deliveries: pd.DataFrame
) -> pd.DataFrame:
    """Line rate, backlog, paid capacity and new-order deliveries per system and LP year.

    Columns ``system, capability, year, base_capacity_units_per_year,
    backlog_units, capacity_added_units_per_year, capacity_units_per_year``
    (base + paid capacity in use that year), ``free_capacity_units_per_year``
    (capacity − backlog) and ``delivered_units`` (new orders) [units/year].
    """
    base = inputs.base_capacity
    by_name = np.argsort(base.index.to_numpy(dtype=object), kind="stable")
    systems = base.index[by_name]
    years = pd.Index(base.columns).sort_values()

    def long(matrix: pd.DataFrame) -> FloatArray:
        """A system × year table as a column in (system name, year) order."""
        values: FloatArray = matrix.reindex(index=systems, columns=years).to_numpy(dtype=float)
        return values.reshape(-1)

    added = _on_grid(solution, "build", systems, years)
    table = pd.DataFrame({
        # object dtype, as the left join of the stacked tables on the solution gave
        "system": pd.Index(systems.to_numpy(dtype=object), dtype=object).repeat(len(years)),
        "year": np.tile(years.to_numpy(dtype=np.int64), len(systems)),
        "base_capacity_units_per_year": long(base),
        "backlog_units": long(inputs.backlog),
        "capacity_added_units_per_year": added.reshape(-1),
        "paid_capacity_units_per_year": _paid_capacity(
            added, inputs.params.capacity_build_lag_years).reshape(-1),
    })
    table["capacity_units_per_year"] = (
        table["base_capacity_units_per_year"] + table["paid_capacity_units_per_year"]
    )
    table["free_capacity_units_per_year"] = (
        table["capacity_units_per_year"] - table["backlog_units"]
    ).clip(lower=0.0)
    table["delivered_units"] = _summed_on_grid(
        deliveries, "system", "units", systems, years).reshape(-1)
    table = table[table["year"].isin(inputs.lp_years)]
    position = inputs.systems.index.get_indexer(pd.Index(table["system"]))
    table["capability"] = inputs.systems["capability"].array[position]
    columns = [
        "system", "capability", "year", "base_capacity_units_per_year", "backlog_units",
        "capacity_added_units_per_year", "capacity_units_per_year",
        "free_capacity_units_per_year", "delivered_units",
    ]
    out: pd.DataFrame = table[columns]
    return out


def _paid_capacity(added: FloatArray, lag: int) -> FloatArray:
    """Paid capacity in use per system (row) and year (column) [units/year].

    Capacity added (``added``, system x year in year order, no empty cell) summed
    year by year, in use ``lag`` years after payment (0 before). The running sums are
    compensated (Kahan) sums, the same operations as pandas' grouped ``cumsum``, so
    the numbers are those of a running sum per system in a table.
    """
    cumulative: FloatArray = np.empty_like(added)
    total = np.zeros(added.shape[0])
    compensation = np.zeros(added.shape[0])
    for year in range(added.shape[1]):
        term = added[:, year] - compensation
        running = total + term
        compensation = (running - total) - term
        total = running
        cumulative[:, year] = running
    if lag <= 0:
        return cumulative
    paid = np.zeros_like(cumulative)
    paid[:, lag:] = cumulative[:, : max(cumulative.shape[1] - lag, 0)]
    return paid


def _on_grid(solution: Solution, name: str, rows: pd.Index, years: pd.Index) -> FloatArray:
    """Values of a (item, year) variable on a rows × years grid, 0 where it has no cell.

    Values below 1e-9 in magnitude, and masked cells, count as 0 (as :func:`_values`
    reports and a left join then fills them).
    """
    var = solution.model.variables[name]
    values = solution.variable(name)
    values = np.where(np.isnan(values) | (np.abs(values) < 1e-9), 0.0, values)
    row = rows.get_indexer(var.indexes[var.dims[0]])
    col = years.get_indexer(var.indexes[var.dims[1]])
    grid = np.zeros((len(rows), len(years)))
    grid[np.ix_(row[row >= 0], col[col >= 0])] = values[np.ix_(row >= 0, col >= 0)]
    return grid


def _summed_on_grid(
    frame: pd.DataFrame, item: str, value: str, rows: pd.Index, years: pd.Index
) -> FloatArray:
    """Sum of ``value`` per (``item``, ``year``) of ``frame`` on a rows × years grid.

    Summed as pandas sums a group; 0 where ``frame`` has no row (what a left join
    of the sums, then filling the gaps with 0, gives). Pairs off the grid are left out.
    """
    sums = frame.groupby([item, "year"], as_index=False)[[value]].sum()
    row = rows.get_indexer(pd.Index(sums[item]))
    col = years.get_indexer(pd.Index(sums["year"]))
    found = (row >= 0) & (col >= 0)
    grid = np.zeros((len(rows), len(years)))
    grid[row[found], col[found]] = sums[value].to_numpy(dtype=float)[found]
    return grid


def _spend_table(
    solution: Solution, inputs: PlanningInputs, orders: pd.DataFrame
) -> pd.DataFrame:
    """Spending per buyer and year (orders plus capacity investment) against the budget.

    Columns ``buyer, year, musd, capex_musd, budget_musd`` [USD million, constant 2025 prices].
    """
    # one budget row per cell of the budget matrix, buyer-major (as stack() gives them),
    # as the grids below
    buyers = pd.Index(inputs.budgets_musd.index)
    years = pd.Index(inputs.budgets_musd.columns)
    if inputs.budgets_musd.empty:
        budget = pd.DataFrame(columns=["buyer", "year", "budget_musd"])
    else:
        budget = pd.DataFrame({
            "buyer": buyers.repeat(len(years)),
            "year": years[np.tile(np.arange(len(years)), len(buyers))],
            "budget_musd": inputs.budgets_musd.to_numpy(dtype=float).reshape(-1),
        })
    spend = budget.assign(
        capex_musd=_on_grid(solution, "capex_paid", buyers, years).reshape(-1),
        musd=_summed_on_grid(orders, "buyer", "musd", buyers, years).reshape(-1),
    )
    spend["musd"] = spend["musd"] + spend["capex_musd"]
    return spend[["buyer", "year", "musd", "capex_musd", "budget_musd"]]


def _frame(family: str, index: pd.Series, year: pd.Series, slack: pd.Series,
           active: pd.Series) -> pd.DataFrame:
    """One family's slack rows."""
    return pd.DataFrame({"family": family, "index": index, "year": year, "slack": slack,
                         "active": active})


def _slacks(inputs: PlanningInputs, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Slack of each inequality family from the solution: family, index, year, slack, active."""
    cap = tables["capacity"]
    cap = cap[cap["system"].isin(inputs.ordered_systems)]
    rows = [_frame("production_capacity", cap["system"], cap["year"],
                   cap["free_capacity_units_per_year"] - cap["delivered_units"],
                   cap["delivered_units"] > ACTIVITY_TOL)]
    position = inputs.systems.index.get_indexer(pd.Index(cap["system"]))
    us = cap[inputs.systems["us_made"].to_numpy()[position].astype(bool)]
    if not us.empty:
        share = us["year"].map(inputs.arms_sales)
        rows.append(_frame("us_arms_sales", us["system"], us["year"],
                           share * us["free_capacity_units_per_year"] - us["delivered_units"],
                           share < 1.0))
    can_grow = (inputs.systems["expandable"].to_numpy()[position].astype(bool)
                & cap["year"].isin(inputs.years).to_numpy())
    expandable = cap[can_grow]
    if not expandable.empty:
        ramp_max = inputs.systems["ramp_max_units_per_year"].to_numpy(dtype=float)
        ramp = pd.Series(ramp_max[position[can_grow]], index=expandable.index)
        rows.append(_frame("capacity_ramp", expandable["system"], expandable["year"],
                           ramp - expandable["capacity_added_units_per_year"],
                           ramp > ACTIVITY_TOL))
        total = expandable.groupby("system")["capacity_added_units_per_year"].sum()
        limit = inputs.systems.loc[total.index, "expansion_max_units_per_year"]
        rows.append(_frame("capacity_expansion", pd.Series(total.index),
                           pd.Series(inputs.years[-1], index=range(len(total))),
                           pd.Series((limit - total).to_numpy()),
                           pd.Series((limit > ACTIVITY_TOL).to_numpy())))
    sp = tables["spend"]
    rows.append(_frame("budget", sp["buyer"], sp["year"], sp["budget_musd"] - sp["musd"],
                       sp["budget_musd"] > ACTIVITY_TOL))
    return pd.concat(rows, ignore_index=True)


def _binding_table(duals: pd.DataFrame | None, slacks: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Join duals and slacks; flag a constraint binding by its dual (LP) or slack (MILP)."""
    out = slacks.copy()
    out["year"] = out["year"].astype(int)
    if duals is not None and not duals.empty:
        d = duals.copy()
        d["year"] = d["year"].astype(int)
        out = out.merge(d, on=["family", "index", "year"], how="left")
        out["binding"] = out["dual"].abs() > 1e-9 * max(scale, 1e-12)
    else:
        out["dual"] = np.nan
        out["binding"] = out["active"] & (out["slack"].abs() <= 1e-6 * (1 + out["slack"].abs()))
    return out[["family", "index", "year", "dual", "slack", "binding"]]


# Long by design: the fixed sequence of STYLE 5 (check, build, solve, duals, cost step,
# tidy, binding, closure) reads best as one function; each step is a named helper.
def solve_plan(
    inputs: PlanningInputs, scenario_name: str = "", pace: pd.DataFrame | None = None
) -> PlanResult:
    """Solve the procurement plan for ``inputs``.

    Sequence (STYLE 5): check the inputs, build the linopy model (one function
    per constraint family), solve with HiGHS, read the solution and duals,
    tidy the results and summarise what binds.

    Args:
        inputs: from :func:`alliance.planning.build_inputs`.
        scenario_name: carried into the result.
        pace: today's pace per area (:func:`alliance.planning.pace.pace_by_area`);
            None = no recorded deliveries (pace 0 except troops' recruitment).

    Returns:
        PlanResult with tidy tables, status, objective, cost and binding summary.

    Raises:
        ModelError: inconsistent inputs, or a solve that is not optimal.
    """
    check_inputs(inputs)
    ix = Index.of(inputs)
    m = build_model(inputs, ix)
    solution = _solve(m, inputs, "shortfall")
    shortfall = shortfall_objective(m, inputs)
    shortfall_value = solution.expression_value(shortfall)
    duals = None if inputs.params.integer_lots else _read_duals(m, solution, inputs.years[-1])
    cost = cost_expression(m, inputs, ix)
    if inputs.params.objective_mode == "lexicographic" and not inputs.pairs.empty:
        bound = shortfall_value * (1 + inputs.params.lexicographic_tolerance) + 1e-9
        add_shortfall_bound(m, shortfall, bound)
        m.add_objective(cost, overwrite=True)
        solution = _solve(m, inputs, "cost")
        shortfall_value = solution.expression_value(shortfall)
    total_cost = solution.expression_value(cost)
    tables = _tidy(solution, inputs)
    weights_scale = 1.0
    if duals is not None and not duals.empty:
        weights_scale = float(np.nanmax(np.abs(duals["dual"].to_numpy()), initial=0.0)) or 1.0
    binding = _binding_table(duals, _slacks(inputs, tables), weights_scale)
    closure = _closure_and_pace(inputs, tables["shortfall"], pace)
    statements = binding_summary(inputs, tables["shortfall"], closure, binding)
    return PlanResult(
        scenario=scenario_name,
        status="optimal",
        objective=shortfall_value,
        total_cost_musd=total_cost,
        orders=tables["orders"],
        deliveries=tables["deliveries"],
        exogenous_deliveries=tables["exogenous_deliveries"],
        capacity=tables["capacity"],
        spend=tables["spend"],
        shortfall=tables["shortfall"][
            ["capability", "year", "requirement", "shortfall", "unit", "after_horizon"]
        ],
        closure=closure,
        duals=binding,
        binding=statements,
        assumptions=[*inputs.assumptions, *_param_assumptions(inputs)],
        horizon=inputs.years[-1],
        delivery_horizon=inputs.lp_years[-1],
        pace_search_to=inputs.years[0] + inputs.params.pace_search_years,
        recruitment=inputs.recruitment.reset_index(),
        objective_mode=inputs.params.objective_mode,
    )


def _closure_and_pace(
    inputs: PlanningInputs, shortfall: pd.DataFrame, pace: pd.DataFrame | None
) -> pd.DataFrame:
    """Closure year (plan) and pace year (today's pace) per area, with the pace used."""
    closure = closure_years(shortfall, inputs.lp_years, inputs.params.closure_tolerance)
    troops_now = float(inputs.recruitment[inputs.params.assumption_case].iloc[0])
    if pace is None:
        pace = pace_by_area(None, inputs.params, inputs.capabilities, troops_now)
    gaps = inputs.gaps[["residual_gap"]].loc[
        inputs.gaps.index.get_level_values("year") <= inputs.years[-1]
    ]
    years = pace_years(gaps, pace, inputs.years, inputs.params, inputs.params.closure_tolerance)
    closure = closure.merge(pace, on="capability", how="left")
    closure["closure_year"] = pd.array(
        [None if pd.isna(v) else int(v) for v in closure["closure_year"]], dtype="Int64"
    )
    closure["pace_year"] = pd.array(
        [years.get(c) for c in closure["capability"]], dtype="Int64"
    )
    return closure[["capability", "closure_year", "pace_year", "pace_units_per_year",
                    "pace_basis"]]


def _param_assumptions(inputs: PlanningInputs) -> list[str]:
    """The assumption-type PlanningParams fields, as plain statements."""
    return [a.sentence() for a in inputs.params.assumptions(prefix="planning.")]


def plannable(gaps: pd.DataFrame) -> pd.DataFrame:
    """Rows of a gap table the plan counts: those with a requirement.

    An empty European holdings or US contribution counts as 0, as in the capability
    stage's gap (which is then an upper bound; its ``data_status`` says so). Areas
    without a procurable system stay in (their shortfall is part of the vulnerability
    window the plan reports; nothing can be bought to close it).
    """
    out = gaps.dropna(subset=["requirement"]).copy()
    for col in ("european_effective", "us_contribution"):
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0.0)
    return out.reset_index(drop=True)


#: The systems table with capability areas, by the table's fingerprint: the same object
#: on every call, so the memos downstream (catalogue, recruitment, today's pace) know
#: it without fingerprinting it again. Read-only: never modified.
_SHARED: TableMemo[pd.DataFrame] = TableMemo(16)


def _optional_table(dataset: Dataset, name: str) -> pd.DataFrame | None:
    """Table ``name`` if the dataset has it, else None (the plan then states the lack).

    The loaded table itself (:meth:`Dataset.frames`): callers must not modify it.
    """
    if not dataset.has_table(name):
        return None
    return dataset.frames([name])[0]


def _systems_by_area(dataset: Dataset) -> pd.DataFrame:
    """The systems table with capability areas for holdings codes (shared, read-only).

    The gap stage reports capability areas (fighters of both generations are one
    area, combat_aircraft); the systems table names holdings codes.
    """

    def mapped() -> pd.DataFrame:
        systems = dataset.table("systems")
        systems["capability"] = systems["capability"].map(capability_catalogue().area_of)
        return systems

    return _SHARED.get(dataset.frames(["systems"]), "systems by area", mapped)


def plan_inputs(
    dataset: Dataset, scenario: Scenario, spending: pd.DataFrame, gaps: pd.DataFrame
) -> tuple[PlanningInputs, pd.DataFrame]:
    """The LP inputs and today's pace per area for ``scenario`` (see :func:`plan`)."""
    params = scenario.planning
    years = list(scenario.years)
    arms = {y: float(scenario.us_commitment.arms_sales.at(y)) for y in years}
    systems = _systems_by_area(dataset)
    # allies without armed forces (Iceland) have no defence budget to plan with
    budgets = spending.dropna(subset=["share_gdp_pct"])
    budgets = budgets[budgets["iso3"] != US_ISO3]
    inputs = build_inputs(
        systems=systems,
        gaps=plannable(gaps),
        budgets=budgets,
        params=params,
        scenario_years=years,
        arms_sales_by_year=arms,
        recruitment=_optional_table(dataset, "recruitment"),
        base_year=int(scenario.base_year),
        reserved_output_share={a: scenario.ukraine.output_share(a)
                               for a in UKRAINE_PRODUCTION_AREAS},
    )
    troops_now = float(inputs.recruitment[params.assumption_case].iloc[0])
    pace = pace_by_area(_optional_table(dataset, "procurement_deliveries"), params,
                        inputs.capabilities, troops_now)
    return inputs, pace


def plan(
    dataset: Dataset, scenario: Scenario, spending: pd.DataFrame, gaps: pd.DataFrame
) -> PlanResult:
    """Stage function: plan procurement for ``scenario``.

    Args:
        dataset: the Dataset (uses its ``systems`` table, and ``recruitment`` and
            ``procurement_deliveries`` when present).
        scenario: the scenario (``planning`` section, years, US arms-sales path).
        spending: per ally and year spending (``iso3, year, share_gdp_pct,
            equipment_musd_constant``, the spending stage's ``allies`` table);
            the United States is not a buyer of the plan (it is what Europe replaces).
        gaps: the capability stage's gap table (one row per area and year).

    Returns:
        PlanResult for the scenario.
    """
    inputs, pace = plan_inputs(dataset, scenario, spending, gaps)
    return solve_plan(inputs, scenario_name=scenario.name, pace=pace)
