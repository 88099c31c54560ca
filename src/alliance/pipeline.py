"""Glue between the stages: runs the chain for one scenario.

Data flows one way: spending -> capabilities -> planning and deterrence. Each
stage is a pure function of (Dataset, Scenario, upstream results); this module
only calls them in order and hands results on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from alliance.data import Dataset
from alliance.scenario import Scenario
from alliance.spending import SpendingResult, spending_for

__all__ = [
    "Assessment",
    "StageResults",
    "assess_scenario",
    "capability_coverage",
    "deterrence_inputs",
    "planned_additions",
    "run_upstream",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageResults:
    """Spending and capability results that later stages consume."""

    scenario: Scenario
    spending_result: SpendingResult
    gaps: pd.DataFrame
    dependency: pd.DataFrame

    @property
    def spending(self) -> pd.DataFrame:
        """Per ally and year spending projection (see alliance.spending.project_spending)."""
        return self.spending_result.allies


def run_upstream(
    dataset: Dataset,
    scenario: Scenario,
    on_stage: Callable[[str], None] | None = None,
) -> StageResults:
    """Run the spending and capability stages; ``on_stage`` is told each stage as it starts."""
    from alliance.capabilities import capability_gaps, dependency_exposure

    if on_stage is not None:
        on_stage("spending")
    spending = spending_for(dataset, scenario)
    if on_stage is not None:
        on_stage("capabilities")
    gaps = capability_gaps(dataset, scenario)
    dependency = dependency_exposure(dataset, scenario)
    return StageResults(scenario, spending, gaps, dependency)


def capability_coverage(
    dataset: Dataset, scenario: Scenario, gaps: pd.DataFrame | None = None
) -> pd.Series:
    """Share of the capability requirement covered per year (index year), from the gap stage."""
    from alliance.capabilities import capability_coverage as coverage_from_gaps
    from alliance.capabilities import capability_gaps

    if gaps is None:
        gaps = capability_gaps(dataset, scenario)
    return coverage_from_gaps(gaps, scenario.capabilities.risk_weights)


def deterrence_inputs(
    dataset: Dataset, scenario: Scenario, gaps: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The allies table and the per-year context the crisis Monte Carlo reads."""
    from alliance.deterrence import allies_with_gdp, deterrence_context_from_scenario

    allies = allies_with_gdp(dataset.table("allies"), dataset.table("gdp"), scenario.base_year)
    coverage = capability_coverage(dataset, scenario, gaps)
    context = deterrence_context_from_scenario(scenario, coverage)
    return allies, context


@dataclass(frozen=True)
class Assessment:
    """Everything `alliance assess` computes for one scenario."""

    scenario: Scenario
    spending: SpendingResult
    gaps: pd.DataFrame
    dependency: pd.DataFrame
    plan: object  # alliance.planning.PlanResult
    deterrence: pd.DataFrame
    draws: int
    seed: int
    gaps_after_plan: pd.DataFrame | None = None
    """Capability gaps once the plan's deliveries are in service (what deterrence reads)."""


def assess_scenario(
    dataset: Dataset,
    scenario: Scenario,
    *,
    draws: int,
    seed: int,
    on_stage: Callable[[str], None] | None = None,
) -> Assessment:
    """Run every stage for one scenario. ``on_stage`` is told each stage's name as it starts."""
    from alliance.deterrence import simulate
    from alliance.planning import plan

    def tell(name: str) -> None:
        if on_stage is not None:
            on_stage(name)

    from alliance.capabilities import capability_gaps

    upstream = run_upstream(dataset, scenario, on_stage)
    tell("planning")
    plan_result = plan(dataset, scenario, upstream)
    tell("deterrence")
    # Deterrence sees the force Europe fields once the plan's deliveries are in service.
    gaps_after_plan = capability_gaps(
        dataset,
        scenario,
        additions=planned_additions(plan_result.deliveries, dataset.table("systems")),
    )
    allies, context = deterrence_inputs(dataset, scenario, gaps_after_plan)
    deterrence = simulate(scenario.deterrence, allies, context, draws=draws, seed=seed)
    return Assessment(
        scenario,
        upstream.spending_result,
        upstream.gaps,
        upstream.dependency,
        plan_result,
        deterrence,
        draws,
        seed,
        gaps_after_plan,
    )


def planned_additions(deliveries: pd.DataFrame, systems: pd.DataFrame) -> pd.DataFrame:
    """Units the plan has put in service by each year, per capability area and origin.

    ``deliveries`` (planning output: ``system, capability, year, units`` per buyer) is
    summed over buyers and cumulated over years (no planned unit reaches its service
    life within the horizon). Returns ``capability, year, quantity, us_made`` for
    :func:`alliance.capabilities.capability_gaps` ``additions``.
    """
    if deliveries.empty:
        return pd.DataFrame(columns=["capability", "year", "quantity", "us_made"])
    origin = systems.drop_duplicates("system").set_index("system")["us_made"]
    d = deliveries.assign(us_made=deliveries["system"].map(origin).fillna(False).astype(bool))
    yearly = d.groupby(["capability", "us_made", "year"], as_index=False)["units"].sum()
    yearly = yearly.sort_values("year")
    yearly["quantity"] = yearly.groupby(["capability", "us_made"])["units"].cumsum()
    return yearly[["capability", "year", "quantity", "us_made"]].reset_index(drop=True)
