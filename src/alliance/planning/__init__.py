"""Planning engine: how fast can budgets and factories close the capability gaps?

A multi-year procurement and industrial-capacity linear program (linopy + HiGHS):
years × systems × buyers (each ally, or a pooled European buyer), with budgets,
lead times, production capacity that grows by investment at a bounded ramp,
retirement at service life and the US arms-sales limit. It minimises the
risk-weighted capability shortfall summed over years, then cost. The model in
maths is in docs/planning.md.
"""

from __future__ import annotations

from alliance.planning.inputs import PlanningInputs, build_inputs, check_inputs
from alliance.planning.model import CONSTRAINT_FAMILIES, build_model
from alliance.planning.results import PlanResult
from alliance.planning.solve import plan, plan_inputs, plannable, solve_plan

__all__ = [
    "CONSTRAINT_FAMILIES",
    "PlanResult",
    "PlanningInputs",
    "build_inputs",
    "build_model",
    "check_inputs",
    "plan",
    "plan_inputs",
    "plannable",
    "solve_plan",
]
