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
from typing import Any, cast

import linopy
import numpy as np
import pandas as pd

from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.errors import ModelError
from alliance.planning.inputs import PlanningInputs, build_inputs, check_inputs
from alliance.planning.model import (
    CONSTRAINT_FAMILIES,
    build_model,
    capacity_expression,
    cost_expression,
    shortfall_objective,
)
from alliance.planning.results import PlanResult, binding_summary, closure_years
from alliance.scenario import Scenario

__all__ = ["plan", "solve_plan"]

logger = logging.getLogger(__name__)

INEQUALITY_FAMILIES = ("production_capacity", "capacity_ramp", "us_arms_sales", "budget")
ACTIVITY_TOL = 1e-6


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


def _solve(m: linopy.Model, inputs: PlanningInputs, step: str) -> None:
    """Run HiGHS on ``m``; raise ModelError unless the solve is optimal."""
    params = inputs.params
    options: dict[str, Any] = {"time_limit": params.time_limit_seconds, "output_flag": False}
    if params.integer_lots:
        options["mip_rel_gap"] = params.mip_gap
    with _quiet_native_stdout():
        status, condition = m.solve(solver_name="highs", io_api="direct", **options)
    logger.info("planning %s solve: status=%s, condition=%s", step, status, condition)
    if status != "ok" or condition != "optimal":
        families = ", ".join(CONSTRAINT_FAMILIES)
        if "infeasible" in str(condition):
            msg = (
                f"planning ({step} step) is infeasible: the constraint families "
                f"({families}) contradict each other; check budgets >= 0, initial "
                "capacities >= 0 and the arms-sales shares"
            )
        elif "unbounded" in str(condition):
            msg = f"planning ({step} step) is unbounded: a cost or weight is negative"
        else:
            msg = (
                f"planning ({step} step) stopped with status '{condition}'; raise "
                "time_limit_seconds or use continuous orders (integer_lots = false)"
            )
        raise ModelError(msg)


def _read_duals(m: linopy.Model) -> pd.DataFrame:
    """Dual values of every inequality family, tidy: family, index, year, dual."""
    frames: list[pd.DataFrame] = []
    for family in INEQUALITY_FAMILIES:
        if family not in m.constraints:
            continue
        dual = m.constraints[family].dual
        other = [d for d in dual.dims if d != "year"]
        df: pd.DataFrame = dual.to_dataframe(name="dual").reset_index()
        df = df.rename(columns={other[0]: "index"}) if other else df.assign(index="")
        df["family"] = family
        frames.append(df[["family", "index", "year", "dual"]])
    if not frames:
        return pd.DataFrame(columns=["family", "index", "year", "dual"])
    return pd.concat(frames, ignore_index=True)


def _values(var: linopy.Variable, name: str) -> pd.DataFrame:
    """Solution of ``var`` as a tidy frame with value column ``name``."""
    frame: pd.DataFrame = var.solution.to_dataframe(name=name).reset_index()
    values = frame[name].to_numpy(dtype=float)
    frame[name] = np.where(np.abs(values) < 1e-9, 0.0, values)
    return frame


def _tidy(m: linopy.Model, inputs: PlanningInputs) -> dict[str, pd.DataFrame]:
    """Read the primal solution into long tables with units in the column names."""
    lot = float(inputs.params.lot_size_units) if inputs.params.integer_lots else 1.0
    pairs = inputs.pairs.reset_index()
    pair_info = pairs.assign(capability=inputs.systems.loc[pairs["system"], "capability"].values)
    orders = _values(m.variables["order"], "units").merge(pair_info, on="pair")
    orders["units"] = orders["units"] * lot
    orders["musd"] = orders["units"] * orders["unit_price_musd"]
    deliveries = _values(m.variables["delivery"], "units").merge(pair_info, on="pair")
    cols = ["buyer", "system", "capability", "year", "units"]
    orders_out = orders[[*cols, "musd"]].sort_values(["buyer", "system", "year"])
    deliveries_out = deliveries[cols].sort_values(["buyer", "system", "year"])
    capacity = _capacity_table(m, inputs, deliveries)
    spend = _spend_table(m, inputs, orders)
    short = _values(m.variables["shortfall"], "shortfall")
    gaps = inputs.gaps.reset_index()[["capability", "year", "requirement", "residual_gap", "unit"]]
    short = short.merge(gaps, on=["capability", "year"], how="left")
    short["shortfall"] = short["shortfall"].clip(lower=0.0)
    return {
        "orders": orders_out.reset_index(drop=True),
        "deliveries": deliveries_out.reset_index(drop=True),
        "capacity": capacity.reset_index(drop=True),
        "spend": spend.reset_index(drop=True),
        "shortfall": short.reset_index(drop=True),
    }


def _capacity_table(
    m: linopy.Model, inputs: PlanningInputs, deliveries: pd.DataFrame
) -> pd.DataFrame:
    """Capacity, capacity added and units delivered per system and year [units/year]."""
    cap_expr = capacity_expression(m, inputs)
    capacity = cap_expr.solution.to_dataframe(name="capacity_units_per_year").reset_index()
    build = _values(m.variables["build"], "capacity_added_units_per_year").rename(
        columns={"line": "system"}
    )
    capacity = capacity.merge(build, on=["system", "year"], how="left").fillna(
        {"capacity_added_units_per_year": 0.0}
    )
    delivered = deliveries.groupby(["system", "year"], as_index=False)[["units"]].sum()
    capacity = capacity.merge(
        delivered.rename(columns={"units": "delivered_units"}), on=["system", "year"], how="left"
    ).fillna({"delivered_units": 0.0})
    capacity["capability"] = inputs.systems.loc[capacity["system"], "capability"].values
    capacity = capacity[
        [
            "system",
            "capability",
            "year",
            "capacity_units_per_year",
            "capacity_added_units_per_year",
            "delivered_units",
        ]
    ]
    return capacity


def _spend_table(m: linopy.Model, inputs: PlanningInputs, orders: pd.DataFrame) -> pd.DataFrame:
    """Spending per buyer and year (orders plus capacity investment) against the budget.

    Columns ``buyer, year, musd, capex_musd, budget_musd`` [USD million, constant 2025 prices].
    """
    order_spend = orders.groupby(["buyer", "year"], as_index=False)["musd"].sum()
    capex = _values(m.variables["capex_paid"], "capex_musd")
    if inputs.budgets_musd.empty:
        budget = pd.DataFrame(columns=["buyer", "year", "budget_musd"])
    else:
        # flat (year) columns, so stack() gives a Series; the stub says either
        stacked = cast(pd.Series, inputs.budgets_musd.stack())
        budget = stacked.rename("budget_musd").reset_index()
    spend = budget.merge(capex, on=["buyer", "year"], how="left").merge(
        order_spend, on=["buyer", "year"], how="left"
    )
    spend = spend.fillna({"musd": 0.0, "capex_musd": 0.0})
    spend["musd"] = spend["musd"] + spend["capex_musd"]
    return spend[["buyer", "year", "musd", "capex_musd", "budget_musd"]]


def _slacks(inputs: PlanningInputs, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Slack of each inequality family from the solution: family, index, year, slack, active."""
    cap = tables["capacity"]
    rows = [
        pd.DataFrame(
            {
                "family": "production_capacity",
                "index": cap["system"],
                "year": cap["year"],
                "slack": cap["capacity_units_per_year"] - cap["delivered_units"],
                "active": cap["delivered_units"] > ACTIVITY_TOL,
            }
        )
    ]
    us = cap[cap["system"].map(inputs.systems["us_made"]).astype(bool)]
    if not us.empty:
        share = us["year"].map(inputs.arms_sales)
        rows.append(
            pd.DataFrame(
                {
                    "family": "us_arms_sales",
                    "index": us["system"],
                    "year": us["year"],
                    "slack": share * us["capacity_units_per_year"] - us["delivered_units"],
                    "active": share < 1.0,
                }
            )
        )
    expandable = cap[cap["system"].map(inputs.systems["expandable"]).astype(bool)]
    if not expandable.empty:
        ramp = expandable["system"].map(inputs.systems["ramp_max_units_per_year"])
        rows.append(
            pd.DataFrame(
                {
                    "family": "capacity_ramp",
                    "index": expandable["system"],
                    "year": expandable["year"],
                    "slack": ramp - expandable["capacity_added_units_per_year"],
                    "active": ramp > ACTIVITY_TOL,
                }
            )
        )
    sp = tables["spend"]
    rows.append(
        pd.DataFrame(
            {
                "family": "budget",
                "index": sp["buyer"],
                "year": sp["year"],
                "slack": sp["budget_musd"] - sp["musd"],
                "active": sp["budget_musd"] > ACTIVITY_TOL,
            }
        )
    )
    return pd.concat(rows, ignore_index=True)


def _binding_table(duals: pd.DataFrame | None, slacks: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Join duals and slacks; flag a constraint binding by its dual (LP) or slack (MILP)."""
    out = slacks.copy()
    if duals is not None and not duals.empty:
        out = out.merge(duals, on=["family", "index", "year"], how="left")
        out["binding"] = out["dual"].abs() > 1e-9 * max(scale, 1e-12)
    else:
        out["dual"] = np.nan
        out["binding"] = out["active"] & (out["slack"].abs() <= 1e-6 * (1 + out["slack"].abs()))
    out["year"] = out["year"].astype(int)
    return out[["family", "index", "year", "dual", "slack", "binding"]]


def solve_plan(inputs: PlanningInputs, scenario_name: str = "") -> PlanResult:
    """Solve the procurement plan for ``inputs``.

    Sequence (STYLE 5): check the inputs, build the linopy model (one function
    per constraint family), solve with HiGHS, read the solution and duals,
    tidy the results and summarise what binds.

    Args:
        inputs: from :func:`alliance.planning.build_inputs`.
        scenario_name: carried into the result.

    Returns:
        PlanResult with tidy tables, status, objective, cost and binding summary.

    Raises:
        ModelError: inconsistent inputs, or a solve that is not optimal.
    """
    check_inputs(inputs)
    m = build_model(inputs)
    _solve(m, inputs, "shortfall")
    shortfall_value = float(shortfall_objective(m, inputs).solution.sum())
    duals = None if inputs.params.integer_lots else _read_duals(m)
    if inputs.params.objective_mode == "lexicographic" and not inputs.pairs.empty:
        bound = shortfall_value * (1 + inputs.params.lexicographic_tolerance) + 1e-9
        m.add_constraints(shortfall_objective(m, inputs) <= bound, name="lexicographic_shortfall")
        m.add_objective(cost_expression(m, inputs), overwrite=True)
        _solve(m, inputs, "cost")
        shortfall_value = float(shortfall_objective(m, inputs).solution.sum())
    total_cost = float(cost_expression(m, inputs).solution.sum())
    tables = _tidy(m, inputs)
    weights_scale = 1.0
    if duals is not None and not duals.empty:
        weights_scale = float(np.nanmax(np.abs(duals["dual"].to_numpy()), initial=0.0)) or 1.0
    binding = _binding_table(duals, _slacks(inputs, tables), weights_scale)
    closure = closure_years(tables["shortfall"], inputs.years, inputs.params.closure_tolerance)
    statements = binding_summary(inputs, tables["shortfall"], closure, binding)
    return PlanResult(
        scenario=scenario_name,
        status="optimal",
        objective=shortfall_value,
        total_cost_musd=total_cost,
        orders=tables["orders"],
        deliveries=tables["deliveries"],
        capacity=tables["capacity"],
        spend=tables["spend"],
        shortfall=tables["shortfall"][["capability", "year", "requirement", "shortfall", "unit"]],
        closure=closure,
        duals=binding,
        binding=statements,
        assumptions=[*inputs.assumptions, *_param_assumptions(inputs)],
        horizon=inputs.years[-1],
        objective_mode=inputs.params.objective_mode,
    )


def _param_assumptions(inputs: PlanningInputs) -> list[str]:
    """The assumption-type PlanningParams fields, as plain statements."""
    return [a.sentence() for a in inputs.params.assumptions(prefix="planning.")]


def plannable(gaps: pd.DataFrame) -> pd.DataFrame:
    """Rows of a gap table the plan counts: requirement and holdings known.

    Areas without a procurable system stay in (their shortfall is part of the
    vulnerability window the plan reports; nothing can be bought to close it).
    """
    cols = ["requirement", "european_effective", "us_contribution"]
    return gaps.dropna(subset=cols).reset_index(drop=True)


def plan(
    dataset: Dataset, scenario: Scenario, spending: pd.DataFrame, gaps: pd.DataFrame
) -> PlanResult:
    """Stage function: plan procurement for ``scenario``.

    Args:
        dataset: the Dataset (uses its ``systems`` table).
        scenario: the scenario (``planning`` section, years, US arms-sales path).
        spending: per ally and year spending (``iso3, year, share_gdp_pct,
            equipment_musd_constant``, the spending stage's ``allies`` table).
        gaps: the capability stage's gap table (one row per area and year).

    Returns:
        PlanResult for the scenario.
    """
    params = scenario.planning
    years = list(scenario.years)
    arms = {y: float(scenario.us_commitment.arms_sales.at(y)) for y in years}
    catalogue = capability_catalogue()
    # The gap stage reports capability areas (fighters of both generations are one
    # area, combat_aircraft); the systems table names holdings codes. Map them.
    systems = dataset.table("systems")
    systems["capability"] = systems["capability"].map(catalogue.area_of)
    inputs = build_inputs(
        systems=systems,
        gaps=plannable(gaps),
        # allies without armed forces (Iceland) have no defence budget to plan with
        budgets=spending.dropna(subset=["share_gdp_pct"]),
        params=params,
        scenario_years=years,
        arms_sales_by_year=arms,
    )
    return solve_plan(inputs, scenario_name=scenario.name)
