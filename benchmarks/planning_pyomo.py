"""The planning LP written in Pyomo, for the benchmark against linopy.

Same sets, variables, constraint families and first-step objective (risk-weighted
shortfall) as ``alliance.planning.model``; built from the same PlanningInputs so
that both objectives must agree. Solved with HiGHS through ``appsi_highs``.
"""

from __future__ import annotations

import pyomo.environ as pyo

from alliance.planning.inputs import PlanningInputs
from alliance.planning.model import shortfall_weights


def build_pyomo(inputs: PlanningInputs) -> pyo.ConcreteModel:
    """Build the shortfall LP (first lexicographic step) in Pyomo."""
    years = list(inputs.years)
    y0 = years[0]
    s = inputs.systems
    pairs = list(inputs.pairs.index)
    pair_sys = inputs.pairs["system"].to_dict()
    pair_buyer = inputs.pairs["buyer"].to_dict()
    price = inputs.pairs["unit_price_musd"].to_dict()
    lines = [x for x in s.index if s.loc[x, "expandable"]]
    buyers = list(inputs.buyers)
    caps = inputs.capabilities
    lag = inputs.params.capacity_build_lag_years
    m = pyo.ConcreteModel()
    m.order = pyo.Var(pairs, years, domain=pyo.NonNegativeReals)
    m.delivery = pyo.Var(pairs, years, domain=pyo.NonNegativeReals)
    m.build = pyo.Var(lines, years, domain=pyo.NonNegativeReals)
    m.capex_paid = pyo.Var(buyers, years, domain=pyo.NonNegativeReals)
    m.shortfall = pyo.Var(caps, years, domain=pyo.NonNegativeReals)

    def lead(p: str) -> int:
        return int(s.loc[pair_sys[p], "lead_time_years"])

    m.delivery_lag = pyo.Constraint(
        pairs,
        years,
        rule=lambda m, p, y: (
            m.delivery[p, y] == (m.order[p, y - lead(p)] if y - lead(p) >= y0 else 0)
        ),
    )

    def capacity(m: pyo.ConcreteModel, sys_: str, y: int) -> pyo.Expression:
        k = float(s.loc[sys_, "initial_capacity_units_per_year"])
        if sys_ in lines:
            return k + sum(m.build[sys_, t] for t in years if t <= y - lag)
        return k

    by_sys: dict[str, list[str]] = {}
    for p in pairs:
        by_sys.setdefault(pair_sys[p], []).append(p)
    systems = list(by_sys)
    m.production_capacity = pyo.Constraint(
        systems,
        years,
        rule=lambda m, x, y: sum(m.delivery[p, y] for p in by_sys[x]) <= capacity(m, x, y),
    )
    m.capacity_ramp = pyo.Constraint(
        lines,
        years,
        rule=lambda m, x, y: m.build[x, y] <= float(s.loc[x, "ramp_max_units_per_year"]),
    )
    us = [x for x in systems if s.loc[x, "us_made"]]
    arms = inputs.arms_sales.to_dict()
    m.us_arms_sales = pyo.Constraint(
        us,
        years,
        rule=lambda m, x, y: (
            sum(m.delivery[p, y] for p in by_sys[x]) <= arms[y] * capacity(m, x, y)
        ),
    )
    by_buyer: dict[str, list[str]] = {b: [] for b in buyers}
    for p in pairs:
        by_buyer[pair_buyer[p]].append(p)
    budget = inputs.budgets_musd
    m.budget = pyo.Constraint(
        buyers,
        years,
        rule=lambda m, b, y: (
            sum(price[p] * m.order[p, y] for p in by_buyer[b]) + m.capex_paid[b, y]
            <= float(budget.loc[b, y])
        ),
    )
    kappa = s["capacity_capital_cost_musd_per_unit_per_year"].to_dict()
    m.capex_financing = pyo.Constraint(
        years,
        rule=lambda m, y: (
            sum(m.capex_paid[b, y] for b in buyers) == sum(kappa[x] * m.build[x, y] for x in lines)
        ),
    )
    gap = inputs.gaps["residual_gap"].to_dict()
    units = s["capability_units_per_system"].to_dict()
    life = s["service_life_years"].to_dict()
    by_cap: dict[str, list[str]] = {c: [] for c in caps}
    for p in pairs:
        by_cap[s.loc[pair_sys[p], "capability"]].append(p)
    m.shortfall_def = pyo.Constraint(
        caps,
        years,
        rule=lambda m, c, y: (
            m.shortfall[c, y]
            + sum(
                units[pair_sys[p]] * m.delivery[p, t]
                for p in by_cap[c]
                for t in years
                if y - life[pair_sys[p]] < t <= y
            )
            >= gap[(c, y)]
        ),
    )
    w = shortfall_weights(inputs).to_dict()
    m.obj = pyo.Objective(expr=sum(w[c] * m.shortfall[c, y] for c in caps for y in years))
    return m


def solve_pyomo(m: pyo.ConcreteModel) -> float:
    """Solve with HiGHS (appsi_highs) and return the objective value."""
    solver = pyo.SolverFactory("appsi_highs")
    solver.solve(m)
    return float(pyo.value(m.obj))
