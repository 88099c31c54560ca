"""The planning LP written in Pyomo, for the benchmark against linopy.

Same sets, variables, constraint families and first-step objective (risk-weighted
shortfall) as ``alliance.planning.model``, written the way a Pyomo model is usually
written (indexed components with rules); built from the same PlanningInputs so
that both objectives must agree. Solved with HiGHS through ``appsi_highs``.
"""

from __future__ import annotations

import pyomo.environ as pyo

from alliance.planning.inputs import PlanningInputs
from alliance.planning.model import shortfall_rhs, shortfall_weights


def build_pyomo(inputs: PlanningInputs) -> pyo.ConcreteModel:  # noqa: C901, PLR0915
    """Build the shortfall LP (first lexicographic step) in Pyomo."""
    years = list(inputs.lp_years)
    planned = list(inputs.years)
    y0 = years[0]
    s = inputs.systems
    pairs = list(inputs.pairs.index)
    pair_sys = inputs.pairs["system"].to_dict()
    pair_buyer = inputs.pairs["buyer"].to_dict()
    price = inputs.pairs["unit_price_musd"].to_dict()
    systems = inputs.bought_systems
    lines = [x for x in systems if bool(s.loc[x, "expandable"])]
    buyers = list(inputs.buyers)
    caps = inputs.capabilities
    lag = inputs.params.capacity_build_lag_years
    lead = s["lead_time_years"].astype(int).to_dict()
    free = inputs.free_capacity
    m = pyo.ConcreteModel()
    m.order = pyo.Var(pairs, planned, domain=pyo.NonNegativeReals)
    m.delivery = pyo.Var(systems, years, domain=pyo.NonNegativeReals)
    m.build = pyo.Var(lines, planned, domain=pyo.NonNegativeReals)
    m.capex_paid = pyo.Var(buyers, planned, domain=pyo.NonNegativeReals)
    m.shortfall = pyo.Var(caps, years, domain=pyo.NonNegativeReals)
    by_sys: dict[str, list[str]] = {x: [] for x in systems}
    for p in pairs:
        by_sys[pair_sys[p]].append(p)

    def delivery_lag(m: pyo.ConcreteModel, x: str, y: int) -> object:
        t = y - lead[x]
        ordered = sum(m.order[p, t] for p in by_sys[x]) if t in planned else 0
        return m.delivery[x, y] == ordered

    m.delivery_lag = pyo.Constraint(systems, years, rule=delivery_lag)

    def added(m: pyo.ConcreteModel, x: str, y: int) -> object:
        if x not in lines:
            return 0
        return sum(m.build[x, t] for t in planned if t <= y - lag)

    m.production_capacity = pyo.Constraint(
        systems, years,
        rule=lambda m, x, y: m.delivery[x, y] - added(m, x, y) <= float(free.loc[x, y]),
    )
    m.capacity_ramp = pyo.Constraint(
        lines, planned,
        rule=lambda m, x, y: m.build[x, y] <= float(s.loc[x, "ramp_max_units_per_year"]),
    )
    m.capacity_expansion = pyo.Constraint(
        lines,
        rule=lambda m, x: (
            sum(m.build[x, t] for t in planned) <= float(s.loc[x, "expansion_max_units_per_year"])
        ),
    )
    us = [x for x in systems if bool(s.loc[x, "us_made"])]
    arms = inputs.arms_sales.to_dict()
    m.us_arms_sales = pyo.Constraint(
        us, years,
        rule=lambda m, x, y: (
            m.delivery[x, y] - arms[y] * added(m, x, y) <= arms[y] * float(free.loc[x, y])
        ),
    )
    by_buyer: dict[str, list[str]] = {b: [] for b in buyers}
    for p in pairs:
        by_buyer[pair_buyer[p]].append(p)
    budget = inputs.budgets_musd
    m.budget = pyo.Constraint(
        buyers, planned,
        rule=lambda m, b, y: (
            sum(price[p] * m.order[p, y] for p in by_buyer[b]) + m.capex_paid[b, y]
            <= float(budget.loc[b, y])
        ),
    )
    kappa = s["capacity_capital_cost_musd_per_unit_per_year"].to_dict()
    m.capex_financing = pyo.Constraint(
        planned,
        rule=lambda m, y: (
            sum(m.capex_paid[b, y] for b in buyers) == sum(kappa[x] * m.build[x, y] for x in lines)
        ),
    )
    rhs = shortfall_rhs(inputs)
    units = s["capability_units_per_system"].to_dict()
    life = s["service_life_years"].astype(int).to_dict()
    by_cap: dict[str, list[str]] = {c: [] for c in caps}
    for x in systems:
        by_cap[str(s.loc[x, "capability"])].append(x)
    m.shortfall_def = pyo.Constraint(
        caps, years,
        rule=lambda m, c, y: (
            m.shortfall[c, y]
            + sum(
                units[x] * m.delivery[x, t]
                for x in by_cap[c]
                for t in years
                if y - life[x] < t <= y
            )
            >= float(rhs[caps.index(c), years.index(y)])
        ),
    )
    w = shortfall_weights(inputs).to_dict()
    m.obj = pyo.Objective(expr=sum(w[c] * m.shortfall[c, y] for c in caps for y in years))
    del y0
    return m


def solve_pyomo(m: pyo.ConcreteModel) -> float:
    """Solve with HiGHS (appsi_highs) and return the objective value."""
    solver = pyo.SolverFactory("appsi_highs")
    solver.solve(m)
    return float(pyo.value(m.obj))
