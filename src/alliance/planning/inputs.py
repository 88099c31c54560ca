"""Inputs of the planning LP: assemble and check plain tables before any solve.

:func:`build_inputs` turns the systems catalogue, the capability gaps, the
equipment budgets and the US arms-sales path into a :class:`PlanningInputs`
whose tables are indexed exactly as the LP needs them. Every empty catalogue
cell that the model fills from a :class:`PlanningParams` default is recorded in
``PlanningInputs.assumptions``. :func:`check_inputs` holds the consistency
checks (STYLE 6): each failure raises :class:`alliance.errors.ModelError` naming
the input table or constraint family at fault.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from alliance.errors import ModelError
from alliance.params import POOLED_BUYER, PlanningParams

__all__ = ["PlanningInputs", "build_inputs", "check_inputs"]

logger = logging.getLogger(__name__)

SYSTEM_COLUMNS = (
    "system",
    "capability",
    "us_made",
    "unit_cost_musd",
    "annual_production_rate_units",
    "lead_time_years",
    "capability_units_per_system",
)
GAP_COLUMNS = ("capability", "year", "requirement", "european_effective", "us_contribution")
BUDGET_COLUMNS = ("iso3", "year", "equipment_musd_constant")
#: Columns of :attr:`PlanningInputs.systems`, in order.
_SYSTEM_TABLE_COLUMNS = (
    "capability",
    "us_made",
    "unit_cost_musd",
    "lead_time_years",
    "initial_capacity_units_per_year",
    "service_life_years",
    "capability_units_per_system",
    "expandable",
    "ramp_max_units_per_year",
    "capacity_capital_cost_musd_per_unit_per_year",
)


@dataclass(frozen=True)
class PlanningInputs:
    """Everything the LP needs, as tidy tables with the units in the column names.

    Attributes:
        years: planned years, ascending (first year .. horizon).
        params: the scenario's planning parameters.
        systems: one row per procurable system (index ``system``) with columns
            ``capability``, ``us_made``, ``unit_cost_musd`` [USD million per unit],
            ``lead_time_years`` [years], ``initial_capacity_units_per_year``
            [units/year], ``service_life_years`` [years],
            ``capability_units_per_system`` [capability units per unit],
            ``expandable`` [bool], ``ramp_max_units_per_year`` [units/year per year],
            ``capacity_capital_cost_musd_per_unit_per_year`` [USD million per unit/year].
        pairs: one row per buyer × system pair that exists (sparse), index ``pair``
            (``"BUYER|system"``), columns ``buyer``, ``system``,
            ``unit_price_musd`` [USD million per unit, after any pooled discount].
        budgets_musd: buyer × year matrix of gap-closing equipment budgets
            [USD million, constant 2025 prices].
        gaps: capability × year table with ``requirement``, ``european_effective``,
            ``us_contribution``, ``residual_gap`` (= requirement − European − US,
            may be negative) [capability units] and ``unit``.
        arms_sales: year → share of US-made deliveries allowed [0-1].
        assumptions: plain-language list of defaults and rules the inputs rest on.
    """

    years: list[int]
    params: PlanningParams
    systems: pd.DataFrame
    pairs: pd.DataFrame
    budgets_musd: pd.DataFrame
    gaps: pd.DataFrame
    arms_sales: pd.Series
    assumptions: list[str] = field(default_factory=list)

    @property
    def capabilities(self) -> list[str]:
        """Capabilities planned (those in the gaps table), in stable order."""
        return list(dict.fromkeys(self.gaps.index.get_level_values("capability")))

    @property
    def buyers(self) -> list[str]:
        """Buyers with a budget (allies, then the pooled buyer if any)."""
        return list(self.budgets_musd.index)


def _missing(frame: pd.DataFrame, columns: Sequence[str], family: str) -> None:
    """Raise ModelError if ``frame`` lacks any of ``columns``."""
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        msg = f"{family}: input table lacks column(s) {absent}"
        raise ModelError(msg)


def _check_columns(systems: pd.DataFrame, gaps: pd.DataFrame, budgets: pd.DataFrame) -> None:
    """Raise ModelError naming the first input table that lacks a required column."""
    _missing(systems, SYSTEM_COLUMNS, "systems")
    _missing(gaps, GAP_COLUMNS, "shortfall (gaps table)")
    _missing(budgets, BUDGET_COLUMNS, "budget (spending table)")


def _select_systems(systems: pd.DataFrame, params: PlanningParams) -> pd.DataFrame:
    """Keep the catalogue rows the LP may buy, by ``params.catalogue_rule``."""
    priced = systems[systems["unit_cost_musd"].notna()]
    if params.catalogue_rule == "canonical" and "canonical" in systems.columns:
        chosen = priced[priced["canonical"].astype(bool)]
    else:
        chosen = priced
    return chosen.copy()


def build_inputs(
    systems: pd.DataFrame,
    gaps: pd.DataFrame,
    budgets: pd.DataFrame,
    params: PlanningParams,
    scenario_years: Sequence[int],
    arms_sales_by_year: Mapping[int, float],
) -> PlanningInputs:
    """Assemble the LP inputs from plain tables.

    Args:
        systems: the systems catalogue (``systems.csv`` columns; at least
            ``system, capability, us_made, unit_cost_musd,
            annual_production_rate_units, lead_time_years,
            capability_units_per_system``; optional ``canonical``,
            ``service_life_years``).
        gaps: capability stage output, one row per capability and year with
            ``capability, year, requirement, european_effective,
            us_contribution`` [capability units] and optionally ``unit``.
        budgets: spending stage output with ``iso3, year,
            equipment_musd_constant`` [USD million, constant 2025 prices].
        params: planning parameters of the scenario.
        scenario_years: years of the scenario (first year .. horizon).
        arms_sales_by_year: share of US-made purchases allowed per year [0-1].

    Returns:
        PlanningInputs ready for :func:`alliance.planning.solve_plan`.

    Raises:
        ModelError: a table lacks a column, a value is out of range, or the years
            of the tables do not cover the planned years.
    """
    _check_columns(systems, gaps, budgets)
    years = _planned_years(scenario_years, params)
    sysdf, assumptions = _systems_table(systems, params)

    g = _gaps_table(gaps, years)
    caps = list(dict.fromkeys(g.index.get_level_values("capability")))
    assumptions += [
        f"{cap}: no priced system in the catalogue, so procurement cannot close this gap"
        for cap in caps
        if cap not in set(sysdf["capability"])
    ]
    sysdf = sysdf[sysdf["capability"].isin(caps)]

    budgets_musd = _budget_matrix(budgets, years, params)
    arms = _arms_sales(arms_sales_by_year, years)
    pairs = _buyer_system_pairs(sysdf, budgets_musd, arms, params)
    assumptions += _budget_rules(params)
    logger.debug(
        "planning inputs: %d years, %d systems, %d buyers, %d pairs, %d capabilities",
        len(years), len(sysdf), len(budgets_musd), len(pairs), len(caps),
    )
    inputs = PlanningInputs(
        years=years, params=params, systems=sysdf, pairs=pairs, budgets_musd=budgets_musd,
        gaps=g, arms_sales=arms, assumptions=assumptions,
    )
    check_inputs(inputs)
    return inputs


def _budget_rules(params: PlanningParams) -> list[str]:
    """The budget, payment and delivery rules every plan rests on, in plain language."""
    rules = [
        f"share_of_equipment_budget_for_gap_closing = "
        f"{params.share_of_equipment_budget_for_gap_closing:g} of each ally's "
        "equipment budget is available for these capabilities"
    ]
    if params.pooled_share > 0:
        rules.append(
            f"pooled buyer {POOLED_BUYER} holds pooled_share = {params.pooled_share:g} of each "
            f"ally's gap-closing budget and pays {1 - params.pooled_unit_price_discount:.0%} of "
            "the unit price (pooled_unit_price_discount)"
        )
    rules.append(
        "orders are paid in the year they are placed; unspent budget does not carry over"
    )
    rules.append(
        "deliveries arrive exactly lead_time_years after the order; orders before the first "
        "planned year are in the capability stage's holdings"
    )
    return rules


def _planned_years(scenario_years: Sequence[int], params: PlanningParams) -> list[int]:
    """The scenario's years, ascending, cut at ``params.horizon_override`` when set."""
    years = sorted(int(y) for y in scenario_years)
    if not years:
        msg = "horizon: the scenario has no years to plan"
        raise ModelError(msg)
    if params.horizon_override is not None:
        if params.horizon_override < years[0]:
            msg = (
                f"horizon: horizon_override {params.horizon_override} is before the "
                f"first year {years[0]}"
            )
            raise ModelError(msg)
        if params.horizon_override > years[-1]:
            msg = (
                f"horizon: horizon_override {params.horizon_override} is after the last "
                f"year with upstream data ({years[-1]}); extend the scenario horizon instead"
            )
            raise ModelError(msg)
        years = [y for y in years if y <= params.horizon_override]
    return years


def _systems_table(
    systems: pd.DataFrame, params: PlanningParams
) -> tuple[pd.DataFrame, list[str]]:
    """Procurable systems indexed by ``system``, empty cells filled from the defaults.

    Returns the table (columns of :attr:`PlanningInputs.systems`) and one
    plain-language assumption per default used.
    """
    chosen = _select_systems(systems, params)
    if chosen["system"].duplicated().any():
        dup = sorted(chosen.loc[chosen["system"].duplicated(), "system"])
        msg = f"systems: duplicate system name(s) {dup}"
        raise ModelError(msg)
    sysdf = chosen.set_index("system")
    sysdf["us_made"] = sysdf["us_made"].astype(bool)
    sysdf["unit_cost_musd"] = sysdf["unit_cost_musd"].astype(float)
    assumptions = _fill_unknowns(sysdf, params)
    sysdf["capability_units_per_system"] = pd.to_numeric(
        sysdf["capability_units_per_system"], errors="coerce"
    ).astype(float)
    sysdf["expandable"] = ~sysdf["us_made"] | params.allow_us_line_expansion
    sysdf["ramp_max_units_per_year"] = np.maximum(
        params.capacity_ramp_max_fraction_of_initial * sysdf["initial_capacity_units_per_year"],
        params.capacity_ramp_floor_units_per_year,
    )
    sysdf["capacity_capital_cost_musd_per_unit_per_year"] = (
        params.capacity_capital_cost_fraction_of_unit_cost * sysdf["unit_cost_musd"]
    )
    return sysdf[list(_SYSTEM_TABLE_COLUMNS)], assumptions


def _fill_unknowns(sysdf: pd.DataFrame, params: PlanningParams) -> list[str]:
    """Fill unknown lead times, production rates and service lives from the defaults.

    Fills ``lead_time_years``, ``initial_capacity_units_per_year`` and
    ``service_life_years`` of ``sysdf`` in place; returns one plain-language
    assumption per default used.
    """
    assumptions: list[str] = []
    lead = pd.to_numeric(sysdf["lead_time_years"], errors="coerce")
    for name in lead[lead.isna()].index:
        assumptions.append(
            f"{name}: lead time unknown, default_lead_time_years = "
            f"{params.default_lead_time_years} assumed"
        )
    sysdf["lead_time_years"] = lead.fillna(params.default_lead_time_years)
    rate = pd.to_numeric(sysdf["annual_production_rate_units"], errors="coerce")
    fallback = sysdf["capability"].map(
        lambda c: params.default_initial_capacity_by_capability.get(
            c, params.default_initial_capacity_units_per_year
        )
    )
    for name in rate[rate.isna()].index:
        assumptions.append(
            f"{name}: production rate unknown, initial capacity "
            f"{float(fallback[name]):g} units/year assumed (default_initial_capacity)"
        )
    sysdf["initial_capacity_units_per_year"] = rate.fillna(fallback).astype(float)
    if "service_life_years" in sysdf.columns:
        life = pd.to_numeric(sysdf["service_life_years"], errors="coerce")
    else:
        life = pd.Series(np.nan, index=sysdf.index)
    if life.isna().any():
        assumptions.append(
            f"service life unknown for {int(life.isna().sum())} system(s): "
            f"default_service_life_years = {params.default_service_life_years} assumed"
        )
    sysdf["service_life_years"] = life.fillna(params.default_service_life_years).astype(int)
    return assumptions


def _gaps_table(gaps: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Gaps of the planned years indexed by (capability, year), with ``residual_gap``.

    Every capability must have a row for every planned year [capability units].
    """
    g = gaps.copy()
    g["year"] = g["year"].astype(int)
    g = g[g["year"].isin(years)]
    if "unit" not in g.columns:
        g["unit"] = ""
    for col in ("requirement", "european_effective", "us_contribution"):
        g[col] = pd.to_numeric(g[col], errors="coerce").astype(float)
        if g[col].isna().any():
            bad = g.loc[g[col].isna(), ["capability", "year"]].head(3).to_dict("records")
            msg = f"shortfall (gaps table): empty '{col}' for {bad}"
            raise ModelError(msg)
    g["residual_gap"] = g["requirement"] - g["european_effective"] - g["us_contribution"]
    g = g.set_index(["capability", "year"]).sort_index()
    if g.index.duplicated().any():
        dup = list(g.index[g.index.duplicated()][:3])
        msg = f"shortfall (gaps table): duplicate capability-year rows {dup}"
        raise ModelError(msg)
    for cap in dict.fromkeys(g.index.get_level_values("capability")):
        have = set(g.loc[cap].index)
        lacking = [y for y in years if y not in have]
        if lacking:
            msg = f"shortfall (gaps table): capability '{cap}' has no row for year(s) {lacking}"
            raise ModelError(msg)
    return g


def _budget_matrix(
    budgets: pd.DataFrame, years: list[int], params: PlanningParams
) -> pd.DataFrame:
    """Buyer × year gap-closing budgets [USD million, constant 2025 prices].

    Each ally keeps ``1 - pooled_share`` of its share for gap closing; the pooled
    buyer (when ``pooled_share > 0``) holds the rest of everyone's. Buyers without
    any positive budget are dropped.
    """
    b = budgets[list(BUDGET_COLUMNS)].copy()
    b["year"] = b["year"].astype(int)
    b = b[b["year"].isin(years)]
    b["equipment_musd_constant"] = pd.to_numeric(b["equipment_musd_constant"], errors="coerce")
    if b["equipment_musd_constant"].isna().any():
        empty = b.loc[b["equipment_musd_constant"].isna(), ["iso3", "year"]].head(3)
        msg = (
            "budget (spending table): empty equipment_musd_constant for "
            f"{empty.to_dict('records')}"
        )
        raise ModelError(msg)
    matrix = b.pivot_table(
        index="iso3", columns="year", values="equipment_musd_constant", aggfunc="sum"
    )
    lacking_years = [y for y in years if y not in matrix.columns]
    if lacking_years:
        msg = f"budget (spending table): no equipment budget for year(s) {lacking_years}"
        raise ModelError(msg)
    matrix = matrix.reindex(columns=years)
    if matrix.isna().any().any():
        bad_rows = matrix[matrix.isna().any(axis=1)].index.tolist()[:5]
        msg = f"budget (spending table): ally/allies {bad_rows} lack a budget for some planned year"
        raise ModelError(msg)
    if (matrix < 0).any().any():
        # the matrix has flat (year) columns, so stack() gives a Series; the stub says either
        neg = cast(pd.Series, matrix.stack())
        first = neg[neg < 0].head(3)
        bad = {
            f"{k[0]} {k[1]}": v
            for k, v in zip(first.index.tolist(), first.tolist(), strict=True)
        }
        msg = f"budget: negative equipment budget {bad}; budgets must be >= 0"
        raise ModelError(msg)
    gap_share = params.share_of_equipment_budget_for_gap_closing
    national = matrix * gap_share * (1.0 - params.pooled_share)
    pooled = matrix.sum(axis=0) * gap_share * params.pooled_share
    budgets_musd = national.copy()
    if params.pooled_share > 0:
        budgets_musd.loc[POOLED_BUYER] = pooled
    budgets_musd = budgets_musd[(budgets_musd > 0).any(axis=1)]
    budgets_musd.index.name = "buyer"
    budgets_musd.columns.name = "year"
    return budgets_musd


def _arms_sales(arms_sales_by_year: Mapping[int, float], years: list[int]) -> pd.Series:
    """Share of US-made deliveries allowed per planned year [0-1], index ``year``."""
    arms = pd.Series({int(y): float(v) for y, v in arms_sales_by_year.items()}, dtype=float)
    lacking_arms = [y for y in years if y not in arms.index]
    if lacking_arms:
        msg = f"us_arms_sales: no arms-sales share for year(s) {lacking_arms}"
        raise ModelError(msg)
    arms = arms.reindex(years)
    arms.index.name = "year"
    return arms


def _buyer_system_pairs(
    sysdf: pd.DataFrame, budgets_musd: pd.DataFrame, arms: pd.Series, params: PlanningParams
) -> pd.DataFrame:
    """The sparse buyer × system pairs, index ``pair`` ("BUYER|system").

    US-made systems are left out when no year allows US arms sales; the pooled
    buyer pays the unit price less ``pooled_unit_price_discount`` [USD million per unit].
    """
    us_allowed = float(arms.max()) > 0
    buyable = sysdf[~sysdf["us_made"] | us_allowed]
    rows = []
    for buyer in budgets_musd.index:
        discount = params.pooled_unit_price_discount if buyer == POOLED_BUYER else 0.0
        for system, srow in buyable.iterrows():
            rows.append(
                {
                    "pair": f"{buyer}|{system}",
                    "buyer": buyer,
                    "system": system,
                    "unit_price_musd": float(srow["unit_cost_musd"]) * (1.0 - discount),
                }
            )
    pairs = pd.DataFrame(rows, columns=["pair", "buyer", "system", "unit_price_musd"])
    return pairs.set_index("pair")


def check_inputs(inputs: PlanningInputs) -> None:
    """Consistency checks before building the LP (STYLE 6).

    Each check names the input table or the constraint family it would break.

    Raises:
        ModelError: on the first inconsistency found.
    """
    s = inputs.systems
    if (s["unit_cost_musd"] <= 0).any():
        bad = s.index[s["unit_cost_musd"] <= 0].tolist()
        msg = f"budget: unit_cost_musd must be > 0 for system(s) {bad}"
        raise ModelError(msg)
    if (s["capability_units_per_system"].isna() | (s["capability_units_per_system"] <= 0)).any():
        bad = s.index[~(s["capability_units_per_system"] > 0)].tolist()
        msg = f"shortfall: capability_units_per_system must be > 0 for system(s) {bad}"
        raise ModelError(msg)
    if (s["lead_time_years"] < 0).any() or (s["lead_time_years"] % 1 != 0).any():
        bad = s.index[(s["lead_time_years"] < 0) | (s["lead_time_years"] % 1 != 0)].tolist()
        msg = f"delivery_lag: lead_time_years must be a whole number >= 0 for system(s) {bad}"
        raise ModelError(msg)
    if (s["initial_capacity_units_per_year"] < 0).any():
        bad = s.index[s["initial_capacity_units_per_year"] < 0].tolist()
        msg = f"production_capacity: negative initial capacity for system(s) {bad}"
        raise ModelError(msg)
    if (s["service_life_years"] < 1).any():
        bad = s.index[s["service_life_years"] < 1].tolist()
        msg = f"shortfall: service_life_years must be >= 1 for system(s) {bad}"
        raise ModelError(msg)
    if (inputs.budgets_musd < 0).any().any():
        # flat (year) columns, so stack() gives a Series; the stub says either
        neg = cast(pd.Series, inputs.budgets_musd.stack())
        negative = neg[neg < 0].head(3).to_dict()
        msg = f"budget: negative equipment budget {negative}; budgets must be >= 0"
        raise ModelError(msg)
    a = inputs.arms_sales
    if ((a < 0) | (a > 1) | a.isna()).any():
        out_of_range = a[(a < 0) | (a > 1) | a.isna()].to_dict()
        msg = f"us_arms_sales: arms-sales share must lie in [0, 1], found {out_of_range}"
        raise ModelError(msg)
    if (inputs.gaps["requirement"] < 0).any():
        msg = "shortfall (gaps table): negative requirement"
        raise ModelError(msg)
    horizon_span = len(inputs.years)
    late = s.index[s["lead_time_years"] >= horizon_span].tolist()
    for name in late:
        logger.warning(
            "delivery_lag: %s has a lead time (%d years) at least as long as the horizon; "
            "it cannot deliver inside the plan",
            name,
            int(s.loc[name, "lead_time_years"]),
        )
