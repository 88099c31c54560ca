"""Hypothesis properties of the plan (each example solves small LPs; counts kept low)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.planning.planning_tiny import tiny

SETTINGS = settings(max_examples=15, deadline=None)


@pytest.mark.slow
@SETTINGS
@given(
    budget=st.floats(0.0, 200.0),
    extra=st.floats(0.0, 200.0),
    capacity=st.floats(0.0, 20.0),
    lead=st.integers(0, 2),
)
def test_more_budget_never_increases_total_shortfall(
    budget: float, extra: float, capacity: float, lead: int
) -> None:
    """Raising every budget enlarges the feasible set, so the optimal shortfall cannot rise."""
    kw = {"years": 4, "gap": 30.0, "capacity": capacity, "lead": lead, "objective_mode": "epsilon"}
    low = tiny(budget=budget, **kw)
    high = tiny(budget=budget + extra, **kw)
    assert high.objective <= low.objective + 1e-7
    assert high.total_shortfall() <= low.total_shortfall() + 1e-5


@pytest.mark.slow
@SETTINGS
@given(
    capacity=st.floats(0.0, 15.0),
    extra=st.floats(0.0, 15.0),
    lead=st.integers(0, 2),
    gap=st.floats(1.0, 60.0),
)
def test_more_initial_capacity_never_delays_closure(
    capacity: float, extra: float, lead: int, gap: float
) -> None:
    """With the budget not binding, more initial capacity never delays the closure year.

    (With several capabilities sharing a binding budget, extra capacity in one line can
    rightly pull money from another capability, so the property is stated per line.)
    """
    kw = {"years": 5, "gap": gap, "lead": lead, "budget": 1e5, "objective_mode": "epsilon"}
    small = tiny(capacity=capacity, **kw).closure_year["main_battle_tank"]
    large = tiny(capacity=capacity + extra, **kw).closure_year["main_battle_tank"]
    if small is not None:
        assert large is not None
        assert large <= small


@pytest.mark.slow
@SETTINGS
@given(
    deu=st.floats(0.0, 150.0),
    fra=st.floats(0.0, 150.0),
    share=st.floats(0.0, 1.0),
    discount=st.floats(0.0, 0.5),
    capacity=st.floats(1.0, 20.0),
)
def test_pooled_buying_never_costs_more_for_same_deliveries(
    deu: float, fra: float, share: float, discount: float, capacity: float
) -> None:
    """Pooling with a discount never worsens the shortfall, and for the same shortfall
    (the same deliveries are then feasible) never costs more.

    Any national plan stays feasible when a share of every order moves to the pool at a
    lower price, so the pooled optimum is at least as good on both objectives.
    """
    kw = {
        "years": 3,
        "gap": 25.0,
        "capacity": capacity,
        "lead": 1,
        "budget": {"DEU": deu + 1e-3, "FRA": fra + 1e-3},
    }
    national = tiny(**kw)
    pooled = tiny(pooled_share=share, pooled_unit_price_discount=discount, **kw)
    assert pooled.objective <= national.objective + 1e-7
    if abs(pooled.objective - national.objective) <= 1e-7:
        assert pooled.total_cost_musd <= national.total_cost_musd * (1 + 1e-6) + 1e-5


def _two_area_plan(budget: float, deu_share: float, backlog: float, lead: int):
    """Two areas, two lines (one with a backlog and an announced ramp), two buyers sharing
    a budget, paid expansion allowed, deliveries after the horizon counted."""
    import pandas as pd

    from alliance.params import PlanningParams
    from alliance.planning import build_inputs, solve_plan

    ys = [2026, 2027, 2028]
    systems = pd.DataFrame([
        {"system": "tank", "capability": "main_battle_tank", "us_made": False,
         "unit_cost_musd": 10.0, "annual_production_rate_units": 6.0,
         "planned_rate_units": 12.0, "planned_rate_year": 2028, "lead_time_years": lead,
         "backlog_units": backlog, "backlog_european_units": backlog / 2,
         "capability_units_per_system": 1.0, "canonical": True},
        {"system": "jet", "capability": "combat_aircraft", "us_made": False,
         "unit_cost_musd": 50.0, "annual_production_rate_units": 2.0, "lead_time_years": 1,
         "capability_units_per_system": 1.0, "canonical": True},
    ])
    gaps = pd.DataFrame([
        {"capability": c, "year": y, "requirement": 40.0, "european_effective": 10.0,
         "us_contribution": 0.0} for c in ("main_battle_tank", "combat_aircraft") for y in ys
    ])
    budgets = pd.DataFrame([
        {"iso3": iso3, "year": y, "equipment_musd_constant": budget * share}
        for iso3, share in (("DEU", deu_share), ("FRA", 1 - deu_share)) for y in ys
    ])
    params = PlanningParams(gap_closing_budget_basis="share",
                            share_of_equipment_budget_for_gap_closing=1.0,
                            capacity_build_lag_years=1, objective_mode="epsilon")
    inputs = build_inputs(systems, gaps, budgets, params, ys, {y: 1.0 for y in ys})
    return solve_plan(inputs)


@pytest.mark.slow
@SETTINGS
@given(
    budget=st.floats(1.0, 400.0),
    extra=st.floats(0.0, 400.0),
    deu_share=st.floats(0.0, 1.0),
    backlog=st.floats(0.0, 20.0),
    lead=st.integers(0, 2),
)
def test_more_equipment_budget_never_raises_total_shortfall_shared_lines(
    budget: float, extra: float, deu_share: float, backlog: float, lead: int
) -> None:
    """Several areas and buyers competing for budgets, backlogs, announced ramps and
    paid expansion: more equipment budget (same split between buyers) never raises the
    risk-weighted shortfall, counted over the planned years and the years after."""
    low = _two_area_plan(budget, deu_share, backlog, lead)
    high = _two_area_plan(budget + extra, deu_share, backlog, lead)
    assert high.objective <= low.objective + 1e-7
