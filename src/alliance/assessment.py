"""The typed Assessment of one scenario and the ordered stage registry that builds it.

Data flows one way: spending -> capabilities -> planning (and the gaps once the
plan's deliveries are in service) -> deterrence. :data:`STAGES` lists the stages
in that order; :func:`run_stages` runs them (or the first few) and tells a
progress callback each stage as it starts, so the CLI's progress bars and the web
app's timings come from this one list. :func:`deterrence_inputs` is the one
definition of what the crisis Monte Carlo reads (the capability coverage once the
plan's deliveries are in service): ``alliance assess``, ``deter``, ``sweep`` and
``serve`` all call it, so the same scenario, year and seed give the same numbers.

A new stage (order of battle and mobility, the GIUK barrier, Ukraine support)
adds a field to :class:`StageResults` and :class:`Assessment`, a function
``(Dataset, Scenario, StageResults, RunSettings) -> StageResults`` and an entry
in :data:`STAGES`; its tables join :meth:`Assessment.tables` and its headline
numbers :meth:`Assessment.summary`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliance.asw import AswResult, asw_barrier
from alliance.capabilities import capability_coverage, capability_gaps, dependency_exposure
from alliance.data import Dataset
from alliance.deterrence import allies_with_gdp, deterrence_context_from_scenario, simulate
from alliance.errors import AllianceError, ModelError
from alliance.planning import PlanResult, plan
from alliance.scenario import Scenario
from alliance.spending import SpendingResult, spending_for
from alliance.summary import asw_summary, scenario_summary, ukraine_summary
from alliance.ukraine import UkraineResult, ukraine_support_for

__all__ = [
    "STAGES",
    "Assessment",
    "RunSettings",
    "Stage",
    "StageResults",
    "assess_scenario",
    "deterrence_inputs",
    "planned_additions",
    "run_stages",
    "stage_names",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunSettings:
    """How a run samples: Monte Carlo draws per year and the seed (same seed, same numbers)."""

    draws: int
    seed: int

    def __post_init__(self) -> None:
        if self.draws < 1:
            msg = f"draws: expected a positive number of Monte Carlo draws, found {self.draws}."
            raise AllianceError(msg)


@dataclass(frozen=True)
class StageResults:
    """What the stages have produced so far (None: that stage has not run)."""

    spending: SpendingResult | None = None
    ukraine: UkraineResult | None = None
    gaps: pd.DataFrame | None = None
    dependency: pd.DataFrame | None = None
    plan: PlanResult | None = None
    gaps_after_plan: pd.DataFrame | None = None
    deterrence: pd.DataFrame | None = None
    asw: AswResult | None = None

    def need(self, name: str) -> Any:
        """The result ``name``; a ModelError if its stage has not run yet."""
        value = getattr(self, name)
        if value is None:
            msg = f"stage order: {name!r} is needed before it has been computed"
            raise ModelError(msg)
        return value


StageFunction = Callable[[Dataset, Scenario, StageResults, RunSettings], StageResults]


@dataclass(frozen=True)
class Stage:
    """One stage of the chain: its name (progress, logs) and the function that runs it."""

    name: str
    description: str
    run: StageFunction


def _spending(ds: Dataset, sc: Scenario, done: StageResults, _: RunSettings) -> StageResults:
    return dataclasses.replace(done, spending=spending_for(ds, sc))


def _ukraine(ds: Dataset, sc: Scenario, done: StageResults, _: RunSettings) -> StageResults:
    # Ukraine support and PURL (issue 13): reads the spending stage's GDP paths only.
    spending: SpendingResult = done.need("spending")
    gdp = spending.allies[["iso3", "year", "gdp_usd_bn"]]
    return dataclasses.replace(done, ukraine=ukraine_support_for(ds, sc, gdp))


def _capabilities(ds: Dataset, sc: Scenario, done: StageResults, _: RunSettings) -> StageResults:
    return dataclasses.replace(
        done, gaps=capability_gaps(ds, sc), dependency=dependency_exposure(ds, sc)
    )


def _planning(ds: Dataset, sc: Scenario, done: StageResults, _: RunSettings) -> StageResults:
    spending: SpendingResult = done.need("spending")
    result = plan(ds, sc, spending.allies, done.need("gaps"))
    # Deterrence sees the force Europe fields once the plan's deliveries are in service.
    additions = planned_additions(result.deliveries, ds.table("systems"), sc.years)
    after = capability_gaps(ds, sc, additions=additions)
    return dataclasses.replace(done, plan=result, gaps_after_plan=after)


def _asw(ds: Dataset, sc: Scenario, done: StageResults, _: RunSettings) -> StageResults:
    # GIUK barrier (issue 12): P-8 fleets from the holdings, the plan's deliveries and
    # the availability of the gaps once deliveries are in service.
    plan_result: PlanResult = done.need("plan")
    result = asw_barrier(ds, sc, done.need("gaps_after_plan"), plan_result.deliveries)
    return dataclasses.replace(done, asw=result)


def _deterrence(ds: Dataset, sc: Scenario, done: StageResults, run: RunSettings) -> StageResults:
    allies, context = deterrence_inputs(ds, sc, done.need("gaps_after_plan"))
    table = simulate(sc.deterrence, allies, context, draws=run.draws, seed=run.seed)
    return dataclasses.replace(done, deterrence=table)


#: The stages in the order they run.
STAGES: tuple[Stage, ...] = (
    Stage("spending", "pledge paths, GDP projection, burden sharing", _spending),
    Stage("ukraine", "Kiel tracker and PURL: support, shares, draw on budgets", _ukraine),
    Stage("capabilities", "requirements, holdings, US contribution, gaps", _capabilities),
    Stage("planning", "procurement and factory LP; gaps once deliveries are in service",
          _planning),
    Stage("asw", "GIUK barrier: P(detect) per leg with and without US assets", _asw),
    Stage("deterrence", "crisis Monte Carlo", _deterrence),
)


def stage_names() -> tuple[str, ...]:
    """Names of the stages in run order."""
    return tuple(s.name for s in STAGES)


def run_stages(
    dataset: Dataset,
    scenario: Scenario,
    settings: RunSettings,
    *,
    until: str | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> StageResults:
    """Run the stages in order, up to and including ``until`` (default: all).

    ``on_stage`` is told each stage's name as it starts.
    """
    names = stage_names()
    if until is not None and until not in names:
        msg = f"unknown stage {until!r}; stages are {', '.join(names)}"
        raise ModelError(msg)
    done = StageResults()
    for stage in STAGES:
        if on_stage is not None:
            on_stage(stage.name)
        logger.info("%s: %s", scenario.name, stage.name)
        done = stage.run(dataset, scenario, done, settings)
        if stage.name == until:
            break
    return done


def deterrence_inputs(
    dataset: Dataset, scenario: Scenario, gaps_after_plan: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The allies table and the per-year context the crisis Monte Carlo reads.

    Capability coverage is that of the gaps once the plan's deliveries are in
    service, weighted by ``capabilities.risk_weights``; US commitment from the
    scenario; allies weighted by base-year GDP.
    """
    allies = allies_with_gdp(dataset.table("allies"), dataset.table("gdp"), scenario.base_year)
    coverage = capability_coverage(gaps_after_plan, scenario.capabilities.risk_weights)
    return allies, deterrence_context_from_scenario(scenario, coverage)


def planned_additions(
    deliveries: pd.DataFrame, systems: pd.DataFrame, years: list[int]
) -> pd.DataFrame:
    """Units the plan has put in service by each year, per capability area and origin.

    ``deliveries`` (planning output: ``system, capability, year, units`` per buyer)
    is summed over buyers and cumulated over ``years``; every (area, origin) that
    has any delivery gets a row for every year, so the stock carries through years
    without a delivery (no planned unit reaches its service life within the
    horizon). Returns ``capability, year, quantity, us_made`` for
    :func:`alliance.capabilities.capability_gaps` ``additions``.
    """
    columns = ["capability", "year", "quantity", "us_made"]
    if deliveries.empty:
        return pd.DataFrame(columns=columns)
    origin = systems.drop_duplicates("system").set_index("system")["us_made"]
    d = deliveries.assign(
        us_made=deliveries["system"].map(origin).fillna(False).astype(bool),
        year=deliveries["year"].astype(int),
    )
    yearly = d.groupby(["capability", "us_made", "year"])["units"].sum()
    groups = yearly.droplevel("year").index.unique()
    grid = pd.MultiIndex.from_tuples(
        [(c, u, y) for c, u in groups for y in years], names=["capability", "us_made", "year"]
    )
    full = yearly.reindex(grid, fill_value=0.0).to_frame("units").reset_index()
    # numpy's plain running sum: pandas' compensated cumsum can dip by ~1e-14 in a
    # year without deliveries, and a stock must never fall
    full["quantity"] = full.groupby(["capability", "us_made"])["units"].transform(
        lambda units: np.cumsum(units.to_numpy())
    )
    return full[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Assessment:
    """Everything ``alliance assess`` computes for one scenario, typed per stage."""

    scenario: Scenario
    settings: RunSettings
    spending: SpendingResult
    ukraine: UkraineResult
    """Ukraine support and PURL: donor-years, Europe vs US, PURL per ally, budget draw."""
    gaps: pd.DataFrame
    """Capability gaps before the plan (holdings as reported, US commitment of the scenario)."""
    dependency: pd.DataFrame
    plan: PlanResult
    gaps_after_plan: pd.DataFrame
    """Capability gaps once the plan's deliveries are in service (what deterrence reads)."""
    deterrence: pd.DataFrame
    asw: AswResult
    """GIUK barrier: detection per leg and year, sensors, requirements, curves."""

    @classmethod
    def from_results(
        cls, scenario: Scenario, settings: RunSettings, results: StageResults
    ) -> Assessment:
        """Build from a full run; a ModelError names a stage that did not run."""
        return cls(
            scenario=scenario,
            settings=settings,
            spending=results.need("spending"),
            ukraine=results.need("ukraine"),
            gaps=results.need("gaps"),
            dependency=results.need("dependency"),
            plan=results.need("plan"),
            gaps_after_plan=results.need("gaps_after_plan"),
            deterrence=results.need("deterrence"),
            asw=results.need("asw"),
        )

    @property
    def draws(self) -> int:
        """Monte Carlo draws per year."""
        return self.settings.draws

    @property
    def seed(self) -> int:
        """Seed of the crisis Monte Carlo."""
        return self.settings.seed

    def tables(self) -> dict[str, pd.DataFrame]:
        """Tidy long tables, one per result (file stems of the Parquet outputs)."""
        closure = self.plan.closure.copy()
        closure["closure_year"] = pd.array(
            [None if pd.isna(v) else int(v) for v in closure["closure_year"]], dtype="Int64"
        )
        return {
            "spending": self.spending.allies,
            "pledge_years": self.spending.pledges,
            "aggregates": self.spending.aggregates,
            "burden_sharing": self.spending.burden,
            "olson_zeckhauser": self.spending.olson_zeckhauser,
            "ukraine_donor_years": self.ukraine.donor_years,
            "ukraine_europe_us": self.ukraine.europe_us,
            "ukraine_purl_allies": self.ukraine.purl_allies,
            "ukraine_purl_totals": self.ukraine.purl_totals,
            "ukraine_budget_draw": self.ukraine.budget_draw,
            "ukraine_europe_years": self.ukraine.europe_years,
            "gaps": self.gaps,
            "gaps_after_plan": self.gaps_after_plan,
            "dependency": self.dependency,
            "plan_orders": self.plan.orders,
            "plan_deliveries": self.plan.deliveries,
            "plan_capacity": self.plan.capacity,
            "plan_spend": self.plan.spend,
            "plan_shortfall": self.plan.shortfall,
            "plan_closure": closure,
            "deterrence": self.deterrence,
            "asw_detection": self.asw.detection,
            "asw_sensors": self.asw.sensors,
            "asw_requirements": self.asw.requirements,
            "asw_curves": self.asw.curves,
        }

    def summary(self, report_year: int) -> dict[str, Any]:
        """Headline numbers as plain JSON-ready values (see :mod:`alliance.summary`)."""
        out = scenario_summary(
            scenario=self.scenario,
            spending=self.spending,
            gaps=self.gaps,
            plan=self.plan,
            deterrence=self.deterrence,
            draws=self.draws,
            seed=self.seed,
            report_year=report_year,
        )
        out["asw"] = asw_summary(self.asw.detection, self.asw.requirements, report_year)
        out["ukraine"] = ukraine_summary(self.ukraine, self.scenario, report_year)
        return out


def assess_scenario(
    dataset: Dataset,
    scenario: Scenario,
    settings: RunSettings,
    on_stage: Callable[[str], None] | None = None,
) -> Assessment:
    """Run every stage for one scenario. ``on_stage`` is told each stage's name as it starts."""
    results = run_stages(dataset, scenario, settings, on_stage=on_stage)
    return Assessment.from_results(scenario, settings, results)
