"""Helpers to build tiny planning instances by hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from alliance.params import PlanningParams
from alliance.planning import PlanResult, build_inputs, solve_plan

Y0 = 2026


def tiny(
    *,
    years: int = 1,
    gap: float | Sequence[float] = 10.0,
    requirement: float = 20.0,
    unit_cost: float = 10.0,
    capacity: float | None = 100.0,
    lead: int | None = 0,
    us_made: bool = False,
    budget: float | dict[str, float] = 1000.0,
    arms: float = 1.0,
    life: int | None = None,
    capability: str = "main_battle_tank",
    **params: Any,
) -> PlanResult:
    """Solve a one-system, one-capability instance.

    ``gap`` is the residual gap (requirement − European − US) per year; budgets
    are per ally per year and count fully (share for gap closing = 1).
    """
    ys = list(range(Y0, Y0 + years))
    gaps_list = [gap] * years if isinstance(gap, int | float) else list(gap)
    systems = pd.DataFrame(
        [
            {
                "system": "sys",
                "capability": capability,
                "us_made": us_made,
                "unit_cost_musd": unit_cost,
                "annual_production_rate_units": capacity,
                "lead_time_years": lead,
                "capability_units_per_system": 1.0,
                "service_life_years": life,
                "canonical": True,
            }
        ]
    )
    gaps = pd.DataFrame(
        [
            {
                "capability": capability,
                "year": y,
                "requirement": requirement,
                "european_effective": requirement - g,
                "us_contribution": 0.0,
                "unit": "units",
            }
            for y, g in zip(ys, gaps_list, strict=True)
        ]
    )
    budgets_map = budget if isinstance(budget, dict) else {"DEU": budget}
    budgets = pd.DataFrame(
        [
            {"iso3": iso3, "year": y, "equipment_musd_constant": b}
            for iso3, b in budgets_map.items()
            for y in ys
        ]
    )
    defaults: dict[str, Any] = {
        "gap_closing_budget_basis": "share",
        "share_of_equipment_budget_for_gap_closing": 1.0,
        "capacity_ramp_max_fraction_of_initial": 0.0,
        "capacity_ramp_floor_units_per_year": 0.0,
    }
    defaults.update(params)
    p = PlanningParams(**defaults)
    inputs = build_inputs(systems, gaps, budgets, p, ys, {y: arms for y in ys})
    return solve_plan(inputs, scenario_name="tiny")
