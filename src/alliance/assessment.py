"""The typed Assessment of one scenario and the ordered stage registry that builds it.

Data flows one way: spending -> capabilities -> planning (and the gaps once the
plan's deliveries are in service) -> deterrence. :data:`STAGES` lists the stages
in that order, each with the scenario fields it reads and the stages it needs;
:func:`run_stages` runs them (or the first few) and tells a progress callback
each stage as it starts, so the CLI's progress bars and the web app's timings
come from this one list. :func:`deterrence_inputs` is the one
definition of what the crisis Monte Carlo reads (the capability coverage once the
plan's deliveries are in service): ``alliance assess``, ``deter``, ``sweep`` and
``serve`` all call it, so the same scenario, year and seed give the same numbers.

A new stage (order of battle and mobility, the GIUK barrier, Ukraine support)
adds a field to :class:`StageResults` and :class:`Assessment`, a function
``(Dataset, Scenario, StageResults, RunSettings) -> StageResults`` and an entry
in :data:`STAGES` (what it reads, needs and produces); its tables join
:meth:`Assessment.tables` and its headline numbers :meth:`Assessment.summary`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliance.asw import AswResult, asw_barrier
from alliance.capabilities import capability_coverage, capability_gaps, dependency_exposure
from alliance.data import Dataset
from alliance.deterrence import allies_with_gdp, deterrence_context_from_scenario, simulate
from alliance.deterrence.inputs import attach_forces
from alliance.errors import AllianceError, ModelError
from alliance.memo import TableMemo
from alliance.mobility.stage import (
    AttachedFrame,
    MobilityResult,
    force_inputs,
    mobility_cached,
    mobility_summary,
)
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
    "stage_keys",
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
    mobility: MobilityResult | None = None

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
    """One stage of the chain: its name (progress, logs) and the function that runs it.

    ``reads`` names the Scenario fields the stage's function reads: a top-level
    field (``"mobility"``, all of it) or one field inside it
    (``"us_commitment.sustainment"``); ``"settings"`` means the RunSettings too;
    None means the whole scenario and the settings. ``needs`` names the earlier
    stages whose results it reads, ``produces`` the :class:`StageResults` fields it
    sets. Together they define the stage's cache key (:func:`stage_keys`), so they
    must be complete (tests/report/test_stage_cache.py checks both).
    """

    name: str
    description: str
    run: StageFunction
    reads: tuple[str, ...] | None = None
    needs: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()


#: Scenario fields that set the years every stage works on.
_YEARS: tuple[str, ...] = ("name", "base_year", "first_year", "horizon")


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
    # (the plan's orders, the European backlog delivered first, and recruits)
    additions = planned_additions(result.all_deliveries, ds.table("systems"), sc.years)
    after = capability_gaps(ds, sc, additions=additions)
    # the plan's deliveries travel with the gaps: deterrence_inputs equips brigades with them
    after.attrs["plan_deliveries"] = AttachedFrame(result.deliveries)
    return dataclasses.replace(done, plan=result, gaps_after_plan=after)


def _asw(ds: Dataset, sc: Scenario, done: StageResults, _: RunSettings) -> StageResults:
    # GIUK barrier (issue 12): P-8 fleets from the holdings, the plan's deliveries and
    # the availability of the gaps once deliveries are in service.
    plan_result: PlanResult = done.need("plan")
    result = asw_barrier(ds, sc, done.need("gaps_after_plan"), plan_result.deliveries)
    return dataclasses.replace(done, asw=result)


def _mobility(ds: Dataset, sc: Scenario, done: StageResults, _: RunSettings) -> StageResults:
    # Forces and mobility (issue 11): brigades (order of battle + the plan's deliveries),
    # closure curves on the corridor network, bottlenecks, ARF and Steadfast Dart checks.
    plan_result: PlanResult = done.need("plan")
    return dataclasses.replace(done, mobility=mobility_cached(ds, sc, plan_result.deliveries))


def _deterrence(ds: Dataset, sc: Scenario, done: StageResults, run: RunSettings) -> StageResults:
    allies, context = deterrence_inputs(ds, sc, done.need("gaps_after_plan"),
                                        done.need("mobility"))
    table = simulate(sc.deterrence, allies, context, draws=run.draws, seed=run.seed)
    return dataclasses.replace(done, deterrence=table)


#: The US commitment paths the forces read (US forces in place and reinforcements).
_US_FORCES: tuple[str, ...] = ("us_commitment.forces_in_place", "us_commitment.reinforcements")

#: The stages in the order they run (each after the stages it needs).
STAGES: tuple[Stage, ...] = (
    Stage("spending", "pledge paths, GDP projection, burden sharing", _spending,
          reads=(*_YEARS, "spending"), produces=("spending",)),
    Stage("ukraine", "Kiel tracker and PURL: support, shares, draw on budgets", _ukraine,
          reads=(*_YEARS, "ukraine", "us_commitment.arms_sales"), needs=("spending",),
          produces=("ukraine",)),
    Stage("capabilities", "requirements, holdings, US contribution, gaps", _capabilities,
          reads=(*_YEARS, *_US_FORCES, "us_commitment.sustainment", "capabilities",
                 "asw"),  # asw: ASW requirements
          produces=("gaps", "dependency")),
    Stage("planning", "procurement and factory LP; gaps once deliveries are in service",
          _planning, reads=(*_YEARS, "us_commitment", "capabilities", "asw", "planning",
                            "ukraine"),  # ukraine: output reserved on shell/interceptor lines
          needs=("spending", "capabilities"), produces=("plan", "gaps_after_plan")),
    Stage("asw", "GIUK barrier: P(detect) per leg with and without US assets", _asw,
          reads=(*_YEARS, *_US_FORCES, "asw"), needs=("planning",), produces=("asw",)),
    Stage("mobility", "order of battle, closure on the corridor network, bottlenecks",
          _mobility, reads=(*_YEARS, *_US_FORCES, "mobility", "deterrence"),
          needs=("planning",), produces=("mobility",)),
    Stage("deterrence", "crisis Monte Carlo", _deterrence,
          reads=(*_YEARS, *_US_FORCES, "capabilities", "deterrence", "mobility", "settings"),
          needs=("planning", "mobility"), produces=("deterrence",)),
)


def stage_names() -> tuple[str, ...]:
    """Names of the stages in run order."""
    return tuple(s.name for s in STAGES)


def _read(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of a scenario dump (None when absent)."""
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def stage_keys(scenario: Scenario, settings: RunSettings) -> dict[str, str]:
    """The cache key of every stage: a hash of exactly the inputs it reads.

    Those are the scenario fields in ``stage.reads`` (all of them when None), the
    RunSettings when it reads them, and the keys of the stages it ``needs`` (so a
    change invalidates the stages that read it and the stages that use their
    results, and no other). Same key, same result (for one Dataset).
    """
    data = scenario.model_dump(mode="json")
    keys: dict[str, str] = {}
    for stage in STAGES:
        paths = sorted(data) if stage.reads is None else sorted(set(stage.reads) - {"settings"})
        payload: dict[str, Any] = {"stage": stage.name,
                                   "needs": [keys[n] for n in stage.needs],
                                   "scenario": {p: _read(data, p) for p in paths}}
        if stage.reads is None or "settings" in stage.reads:
            payload["settings"] = [settings.draws, settings.seed]
        text = json.dumps(payload, sort_keys=True, default=str)
        keys[stage.name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return keys


def run_stages(
    dataset: Dataset,
    scenario: Scenario,
    settings: RunSettings,
    *,
    until: str | None = None,
    on_stage: Callable[[str], None] | None = None,
    cache: MutableMapping[str, StageResults] | None = None,
) -> StageResults:
    """Run the stages in order, up to and including ``until`` (default: all).

    ``on_stage`` is told each stage's name as it starts. With ``cache`` (one per
    Dataset: results are keyed by :func:`stage_keys`, not by the data), a stage
    whose key is in the cache is not run: the fields it ``produces`` are taken from
    there, and each stage run is stored under its key. Results must be treated as
    read-only.
    """
    names = stage_names()
    if until is not None and until not in names:
        msg = f"unknown stage {until!r}; stages are {', '.join(names)}"
        raise ModelError(msg)
    done = StageResults()
    keys = stage_keys(scenario, settings) if cache is not None else {}
    for stage in STAGES:
        if on_stage is not None:
            on_stage(stage.name)
        key = keys.get(stage.name, "")
        cached = cache.get(key) if cache is not None else None
        if cached is not None:
            logger.info("%s: %s (cached)", scenario.name, stage.name)
            done = dataclasses.replace(done, **{f: getattr(cached, f) for f in stage.produces})
        else:
            logger.info("%s: %s", scenario.name, stage.name)
            done = stage.run(dataset, scenario, done, settings)
            if cache is not None:
                cache[key] = done
        if stage.name == until:
            break
    return done


#: The allies table with GDP, by the tables' contents and the base year.
_ALLIES_WITH_GDP: TableMemo[pd.DataFrame] = TableMemo(8)


def deterrence_inputs(
    dataset: Dataset, scenario: Scenario, gaps_after_plan: pd.DataFrame,
    mobility: MobilityResult | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The allies table and the per-year context the crisis Monte Carlo reads.

    Capability coverage is that of the gaps once the plan's deliveries are in
    service, weighted by ``capabilities.risk_weights``; US commitment from the
    scenario. The context carries the forces (``context.attrs["forces"]``): combat
    power in theatre from the mobility stage's closure curves, with the plan's
    deliveries (``gaps_after_plan.attrs["plan_deliveries"]``) equipping brigades; the
    mobility stage runs here when ``mobility`` is not given (memoised).
    """
    allies = _ALLIES_WITH_GDP.get(
        dataset.frames(("allies", "gdp")), scenario.base_year,
        lambda: allies_with_gdp(dataset.table("allies"), dataset.table("gdp"),
                                scenario.base_year)).copy()
    coverage = capability_coverage(gaps_after_plan, scenario.capabilities.risk_weights)
    context = deterrence_context_from_scenario(scenario, coverage)
    if mobility is None:
        attached = gaps_after_plan.attrs.get("plan_deliveries")
        deliveries = (attached.frame if isinstance(attached, AttachedFrame) else
                      pd.DataFrame(columns=["buyer", "system", "capability", "year", "units"]))
        mobility = mobility_cached(dataset, scenario, deliveries)
    forces = force_inputs(mobility, tuple(allies["iso3"].tolist()), scenario)
    return allies, attach_forces(context, forces)


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
    mobility: MobilityResult
    """Forces and mobility: brigades, closure by day, bottlenecks, ARF/Steadfast Dart checks."""

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
            mobility=results.need("mobility"),
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
            "mobility_brigades": self.mobility.brigades,
            "mobility_plan_brigades": self.mobility.plan_brigades,
            "mobility_closure": self.mobility.closure,
            "mobility_bottlenecks": self.mobility.bottlenecks,
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
        out["mobility"] = mobility_summary(self.mobility)
        return out


def assess_scenario(
    dataset: Dataset,
    scenario: Scenario,
    settings: RunSettings,
    on_stage: Callable[[str], None] | None = None,
    cache: MutableMapping[str, StageResults] | None = None,
) -> Assessment:
    """Run every stage for one scenario. ``on_stage`` is told each stage's name as it starts.

    ``cache``: see :func:`run_stages` (stage results reused by the key of their inputs).
    """
    results = run_stages(dataset, scenario, settings, on_stage=on_stage, cache=cache)
    return Assessment.from_results(scenario, settings, results)
