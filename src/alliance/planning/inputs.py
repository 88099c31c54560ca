"""Inputs of the planning LP: assemble and check plain tables before any solve.

:func:`build_inputs` turns the systems catalogue, the capability gaps, the
equipment budgets, the US arms-sales path and the recruitment limits into a
:class:`PlanningInputs` whose tables are indexed exactly as the LP needs them.
Every empty catalogue cell that the model fills is filled by a named rule with a
low-high range (:mod:`alliance.planning.industry`) and recorded in
``PlanningInputs.assumptions``. :func:`check_inputs` holds the consistency checks
(STYLE 6): each failure raises :class:`alliance.errors.ModelError` naming the
input table or constraint family at fault.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

import numpy as np
import pandas as pd

from alliance.errors import ModelError
from alliance.params import POOLED_BUYER, PlanningParams
from alliance.params.planning import TROOP_AREA
from alliance.planning.industry import backlog_deliveries, base_capacity, fill_catalogue
from alliance.planning.recruitment import recruitment_limits, troops_in_service

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
#: Longest extension of the LP past the horizon [years].
MAX_TAIL_YEARS = 10
#: Columns of :attr:`PlanningInputs.systems`, in order.
_SYSTEM_TABLE_COLUMNS = (
    "capability",
    "us_made",
    "european_supplier",
    "unit_cost_musd",
    "lead_time_years",
    "service_life_years",
    "capability_units_per_system",
    "reference_rate_units_per_year",
    "expandable",
    "ramp_max_units_per_year",
    "expansion_max_units_per_year",
    "capacity_capital_cost_musd_per_unit_per_year",
)


@dataclass(frozen=True)
class PlanningInputs:
    """Everything the LP needs, as tidy tables with the units in the column names.

    Attributes:
        years: planned years, ascending (first year .. horizon): orders, capacity
            investment and budgets only in these years.
        lp_years: ``years`` plus the years after the horizon in which orders placed
            by the horizon still deliver (``count_deliveries_after_horizon``).
        params: the scenario's planning parameters.
        systems: one row per procurable system (index ``system``) with columns
            ``capability``, ``us_made``, ``european_supplier``, ``unit_cost_musd``
            [USD million per unit], ``lead_time_years`` [whole years],
            ``service_life_years`` [years], ``capability_units_per_system``
            [capability units per unit], ``reference_rate_units_per_year`` [the larger
            of today's and the announced rate, units/year], ``expandable`` [bool],
            ``ramp_max_units_per_year`` [units/year added per year],
            ``expansion_max_units_per_year`` [units/year added in total],
            ``capacity_capital_cost_musd_per_unit_per_year`` [USD million per unit/year].
        base_capacity: system × lp_year line rate without paid expansion (today's
            rate ramping to the announced rate) [units/year, whole line].
        backlog: system × lp_year backlog deliveries (all customers, FIFO) [units].
        free_capacity: ``base_capacity − backlog``: what new orders can use [units/year].
        pairs: one row per buyer × system pair that exists (sparse), index ``pair``
            (``"BUYER|system"``), columns ``buyer``, ``system``,
            ``unit_price_musd`` [USD million per unit, after any pooled discount].
        budgets_musd: buyer × planned-year matrix of gap-closing equipment budgets
            [USD million, constant 2025 prices].
        gaps: capability × lp_year table with ``requirement``, ``european_effective``,
            ``us_contribution``, ``residual_gap`` (= requirement − European − US,
            may be negative) [capability units] and ``unit``; after the horizon the
            horizon's values are held.
        exogenous: capability × lp_year units in service that the LP does not choose:
            European backlog orders delivered, and recruits for troops [capability units].
        backlog_european: system × lp_year European backlog deliveries [units].
        recruitment: lp_year × (low, central, high) yearly recruitment limit and
            ``in_service`` recruits of the chosen case [troops].
        arms_sales: lp_year → share of US-made deliveries allowed [0-1].
        assumptions: plain-language list of rules and filled cells the inputs rest on.
        backlog_capability: system → area for every system with a European backlog.
    """

    years: list[int]
    lp_years: list[int]
    params: PlanningParams
    systems: pd.DataFrame
    base_capacity: pd.DataFrame
    backlog: pd.DataFrame
    free_capacity: pd.DataFrame
    pairs: pd.DataFrame
    budgets_musd: pd.DataFrame
    gaps: pd.DataFrame
    exogenous: pd.DataFrame
    backlog_european: pd.DataFrame
    recruitment: pd.DataFrame
    arms_sales: pd.Series
    assumptions: list[str] = field(default_factory=list)
    backlog_capability: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _capability_order(self) -> tuple[str, ...]:
        """Capabilities of the gaps table in order of appearance (read once: tables are fixed)."""
        return tuple(dict.fromkeys(self.gaps.index.get_level_values("capability")))

    @property
    def capabilities(self) -> list[str]:
        """Capabilities planned (those in the gaps table), in stable order."""
        return list(self._capability_order)

    @property
    def buyers(self) -> list[str]:
        """Buyers with a budget (allies, then the pooled buyer if any)."""
        return list(self.budgets_musd.index)

    @cached_property
    def ordered_systems(self) -> frozenset[str]:
        """Names of the systems some buyer can order (read once: tables are fixed)."""
        return frozenset(self.pairs["system"].tolist())

    @property
    def bought_systems(self) -> list[str]:
        """Systems some buyer can order, in ``systems`` order."""
        have = self.ordered_systems
        return [s for s in self.systems.index if s in have]


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


# Long by design: the one place that assembles the inputs in their fixed order (gaps,
# catalogue, years, capacity and backlog, recruitment, budgets, pairs); most of the
# length is the documented signature; each step is a named helper.
def build_inputs(
    systems: pd.DataFrame,
    gaps: pd.DataFrame,
    budgets: pd.DataFrame,
    params: PlanningParams,
    scenario_years: Sequence[int],
    arms_sales_by_year: Mapping[int, float],
    *,
    recruitment: pd.DataFrame | None = None,
    base_year: int | None = None,
    reserved_output_share: Mapping[str, float] | None = None,
) -> PlanningInputs:
    """Assemble the LP inputs from plain tables.

    Args:
        systems: the systems catalogue (``systems.csv`` columns; at least
            ``system, capability, us_made, unit_cost_musd,
            annual_production_rate_units, lead_time_years,
            capability_units_per_system``; optional ``canonical``,
            ``european_supplier``, ``service_life_years``, ``production_rate_year``,
            ``planned_rate_units``, ``planned_rate_year``, ``backlog_units``,
            ``backlog_european_units``). ``capability`` must be capability areas.
        gaps: capability stage output, one row per capability and year with
            ``capability, year, requirement, european_effective,
            us_contribution`` [capability units] and optionally ``unit``.
        budgets: spending stage output with ``iso3, year,
            equipment_musd_constant`` [USD million, constant 2025 prices]; with
            ``gap_closing_budget_basis = increment`` it must include ``base_year``.
        params: planning parameters of the scenario.
        scenario_years: years of the scenario (first year .. horizon).
        arms_sales_by_year: share of US-made purchases allowed per year [0-1].
        recruitment: ``recruitment.csv`` rows (troop pipeline), or None.
        base_year: year whose equipment spending already pays for programmes under
            contract (default: the year before the first planned year).
        reserved_output_share: capability area -> share of each European line's output
            in the planned years that goes elsewhere (Ukraine support), not to the plan.

    Returns:
        PlanningInputs ready for :func:`alliance.planning.solve_plan`.

    Raises:
        ModelError: a table lacks a column, a value is out of range, or the years
            of the tables do not cover the planned years.
    """
    _check_columns(systems, gaps, budgets)
    years = _planned_years(scenario_years, params)
    g0 = _gaps_table(gaps, years)
    caps = list(dict.fromkeys(g0.index.get_level_values("capability")))
    catalogue, assumptions = fill_catalogue(systems, params)
    catalogue = catalogue[catalogue["capability"].isin(caps)]
    sysdf, notes = _procurable(catalogue, params)
    assumptions += notes
    lp_years = _lp_years(years, sysdf, params)
    g = _extend_gaps(g0, lp_years)
    assumptions += [
        f"{cap}: no procurable system in the catalogue, so procurement cannot close this gap"
        for cap in caps
        if cap not in set(sysdf["capability"]) and cap != TROOP_AREA
    ]
    arms = _arms_sales(arms_sales_by_year, years, lp_years)
    base_all = base_capacity(catalogue, lp_years)
    backlog_all, backlog_eur = backlog_deliveries(catalogue, base_all, arms)
    recruits = _recruitment(recruitment, g, lp_years, years, params)
    exogenous = _exogenous(catalogue, backlog_eur, recruits, caps, lp_years)
    start = years[0] - 1 if base_year is None else int(base_year)
    budgets_musd = _budget_matrix(budgets, years, params, start, assumptions)
    pairs = _buyer_system_pairs(sysdf, budgets_musd, arms, params)
    assumptions += _budget_rules(params, start, lp_years[-1] > years[-1], lp_years[-1])
    logger.debug(
        "planning inputs: %d years (+%d after), %d systems, %d buyers, %d pairs, %d areas",
        len(years), len(lp_years) - len(years), len(sysdf), len(budgets_musd), len(pairs),
        len(caps),
    )
    eur_backlog = backlog_eur[backlog_eur.sum(axis=1) > 0]
    inputs = PlanningInputs(
        years=years, lp_years=lp_years, params=params, systems=sysdf,
        base_capacity=base_all.loc[sysdf.index], backlog=backlog_all.loc[sysdf.index],
        free_capacity=_reserve(
            (base_all - backlog_all).clip(lower=0.0).loc[sysdf.index], sysdf,
            reserved_output_share or {}, years, assumptions),
        pairs=pairs, budgets_musd=budgets_musd, gaps=g, exogenous=exogenous,
        backlog_european=eur_backlog, recruitment=recruits, arms_sales=arms,
        assumptions=assumptions,
        backlog_capability=catalogue.loc[eur_backlog.index, "capability"].astype(str).to_dict(),
    )
    check_inputs(inputs)
    return inputs


def _procurable(catalogue: pd.DataFrame, params: PlanningParams) -> tuple[pd.DataFrame, list[str]]:
    """The systems the LP may order (columns of :attr:`PlanningInputs.systems`) and notes.

    A system is procurable if it has a unit cost (sourced or from comparable lines),
    is chosen by ``catalogue_rule`` and, when from a non-European non-US supplier,
    ``allow_non_european_suppliers`` is set.
    """
    notes: list[str] = []
    chosen = catalogue[catalogue["unit_cost_musd"].notna()]
    if params.catalogue_rule == "canonical":
        chosen = chosen[chosen["canonical"]]
    foreign = ~chosen["european_supplier"] & ~chosen["us_made"]
    if foreign.any() and not params.allow_non_european_suppliers:
        notes.append(
            "non-European suppliers not ordered (planning.allow_non_european_suppliers = "
            f"false): {', '.join(chosen.index[foreign])}; their existing backlog still "
            "delivers"
        )
        chosen = chosen[~foreign]
    sysdf = chosen.copy()
    units = sysdf["capability_units_per_system"]
    for name in sysdf.index[units.isna()]:
        notes.append(f"{name}: capability_units_per_system empty, 1 assumed")
    sysdf["capability_units_per_system"] = units.fillna(1.0)
    reference = np.fmax(sysdf["rate0"], sysdf["rate1"].fillna(0.0))
    sysdf["reference_rate_units_per_year"] = reference
    sysdf["expandable"] = ~sysdf["us_made"] | params.allow_us_line_expansion
    sysdf["ramp_max_units_per_year"] = np.maximum(
        params.capacity_ramp_max_fraction_of_initial * reference,
        params.capacity_ramp_floor_units_per_year,
    )
    sysdf["expansion_max_units_per_year"] = np.maximum(
        params.capacity_expansion_max_fraction * reference,
        params.capacity_expansion_floor_units_per_year,
    )
    sysdf["capacity_capital_cost_musd_per_unit_per_year"] = (
        params.capacity_capital_cost_fraction_of_unit_cost * sysdf["unit_cost_musd"]
    )
    return sysdf[list(_SYSTEM_TABLE_COLUMNS)], notes


def _lp_years(years: list[int], sysdf: pd.DataFrame, params: PlanningParams) -> list[int]:
    """Planned years plus the longest lead time (at most MAX_TAIL_YEARS).

    Only when ``count_deliveries_after_horizon`` is set.
    """
    if not params.count_deliveries_after_horizon or sysdf.empty:
        return list(years)
    tail = int(min(max(int(sysdf["lead_time_years"].max()), 0), MAX_TAIL_YEARS))
    return [*years, *range(years[-1] + 1, years[-1] + 1 + tail)]


def _extend_gaps(g: pd.DataFrame, lp_years: list[int]) -> pd.DataFrame:
    """Hold each capability's horizon row for the years after the horizon."""
    last = int(g.index.get_level_values("year").max())
    extra = [y for y in lp_years if y > last]
    if not extra:
        return g
    tail_rows = g.xs(last, level="year")
    held = tail_rows.iloc[np.tile(np.arange(len(tail_rows)), len(extra))]
    years = np.repeat(np.asarray(extra, dtype=np.int64), len(tail_rows))
    held.index = pd.MultiIndex.from_arrays(
        [held.index, pd.Index(years, name="year")], names=g.index.names
    )
    return pd.concat([g, held]).sort_index()


def _recruitment(
    recruitment: pd.DataFrame | None, gaps: pd.DataFrame, lp_years: list[int],
    years: list[int], params: PlanningParams,
) -> pd.DataFrame:
    """Yearly recruitment limits (low, central, high) and recruits in service [troops].

    Recruitment runs in the planned years only (the LP's years after the horizon are
    for deliveries of orders already placed).
    """
    limits = recruitment_limits(recruitment, lp_years)
    limits.loc[[y for y in lp_years if y > years[-1]]] = 0.0
    caps = set(gaps.index.get_level_values("capability"))
    if TROOP_AREA in caps:
        gap = cast(pd.Series, gaps.loc[TROOP_AREA, "residual_gap"])
        for case in ("low", "central", "high"):
            limits[f"in_service_{case}"] = troops_in_service(limits[case], gap).to_numpy()
    else:
        for case in ("low", "central", "high"):
            limits[f"in_service_{case}"] = 0.0
    limits["in_service"] = limits[f"in_service_{params.assumption_case}"]
    return limits


def _exogenous(
    catalogue: pd.DataFrame, backlog_eur: pd.DataFrame, recruits: pd.DataFrame,
    caps: list[str], lp_years: list[int],
) -> pd.DataFrame:
    """Units in service the LP does not choose, per capability and year [capability units].

    European backlog deliveries (cumulative; none retires within the window) times
    capability units per system, plus recruits in service for troops.
    """
    units = catalogue["capability_units_per_system"].fillna(1.0)
    stock = backlog_eur.cumsum(axis=1).mul(units.loc[backlog_eur.index], axis=0)
    by_cap = stock.groupby(catalogue.loc[backlog_eur.index, "capability"]).sum()
    out = by_cap.reindex(index=caps, columns=lp_years).fillna(0.0)
    if TROOP_AREA in caps:
        out.loc[TROOP_AREA] = out.loc[TROOP_AREA] + recruits["in_service"].to_numpy()
    out.index.name = "capability"
    out.columns.name = "year"
    return out


def _budget_rules(
    params: PlanningParams, base_year: int, after: bool, last_lp_year: int
) -> list[str]:
    """The budget, payment and delivery rules every plan rests on, in plain language."""
    share = params.share_of_equipment_budget_for_gap_closing
    if params.gap_closing_budget_basis == "increment":
        rules = [
            f"gap-closing budget = {share:g} of each ally's equipment spending above its "
            f"{base_year} level (share_of_equipment_budget_for_gap_closing, range 0.25-1.0; "
            f"the {base_year} level pays for programmes already under contract)"
        ]
    else:
        rules = [f"gap-closing budget = {share:g} of each ally's equipment budget "
                 "(share_of_equipment_budget_for_gap_closing, range 0.25-1.0)"]
    if params.pooled_share > 0:
        rules.append(
            f"pooled buyer {POOLED_BUYER} holds pooled_share = {params.pooled_share:g} of each "
            f"ally's gap-closing budget and pays {1 - params.pooled_unit_price_discount:.0%} of "
            "the unit price (pooled_unit_price_discount)"
        )
    rules += [
        "orders are paid in the year they are placed; unspent budget does not carry over",
        "deliveries arrive lead_time_years (rounded to whole years) after the order",
        "capacity per line follows today's sourced rate, ramping linearly to the announced "
        "planned rate by its year; paid expansion beyond that is bounded "
        "(capacity_ramp_max_fraction_of_initial per year, capacity_expansion_max_fraction "
        "in total) and produces capacity_build_lag_years after payment",
        "the existing backlog (all customers) is delivered first on each line (FIFO); its "
        "European part adds to European holdings, the export part only occupies the line",
        "troops are closed by recruitment within recruitment.csv's yearly limits, paid from "
        "personnel budgets, not from the equipment budget of the plan",
    ]
    if after:
        rules.append(
            f"orders placed by the horizon deliver and count up to {last_lp_year}; the gap "
            "after the horizon is held at its horizon value"
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


def _gaps_table(gaps: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Gaps of the planned years indexed by (capability, year), with ``residual_gap``.

    Every capability must have a row for every planned year [capability units].
    """
    g = gaps[[*GAP_COLUMNS, *(["unit"] if "unit" in gaps.columns else [])]].copy()
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
    g = g[["capability", "year", "requirement", "european_effective", "us_contribution",
           "residual_gap", "unit"]].set_index(["capability", "year"]).sort_index()
    if g.index.duplicated().any():
        dup = list(g.index[g.index.duplicated()][:3])
        msg = f"shortfall (gaps table): duplicate capability-year rows {dup}"
        raise ModelError(msg)
    caps = list(dict.fromkeys(g.index.get_level_values("capability")))
    # rows are distinct pairs of these areas and planned years: all there iff as many
    if len(g) == len(caps) * len(set(years)):
        return g
    expected = pd.MultiIndex.from_product([caps, years], names=["capability", "year"])
    absent = expected[~expected.isin(g.index)]
    if len(absent):
        cap = absent[0][0]
        lacking = [int(y) for c, y in absent if c == cap]
        msg = f"shortfall (gaps table): capability '{cap}' has no row for year(s) {lacking}"
        raise ModelError(msg)
    return g


def _budget_frame(budgets: pd.DataFrame, wanted: list[int]) -> pd.DataFrame:
    """iso3 × year matrix of equipment budgets for ``wanted`` years [USD million]."""
    b = budgets[list(BUDGET_COLUMNS)].copy()
    b["year"] = b["year"].astype(int)
    b = b[b["year"].isin(wanted)]
    b["equipment_musd_constant"] = pd.to_numeric(b["equipment_musd_constant"], errors="coerce")
    if b["equipment_musd_constant"].isna().any():
        empty = b.loc[b["equipment_musd_constant"].isna(), ["iso3", "year"]].head(3)
        msg = (
            "budget (spending table): empty equipment_musd_constant for "
            f"{empty.to_dict('records')}"
        )
        raise ModelError(msg)
    matrix = b.groupby(["iso3", "year"])["equipment_musd_constant"].sum().unstack("year")
    lacking_years = [y for y in wanted if y not in matrix.columns]
    if lacking_years:
        msg = f"budget (spending table): no equipment budget for year(s) {lacking_years}"
        raise ModelError(msg)
    matrix = matrix.reindex(columns=wanted)
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
    return matrix


def _base_budget(
    budgets: pd.DataFrame, base_year: int, matrix: pd.DataFrame, notes: list[str]
) -> pd.Series:
    """Base-year equipment budget per ally [USD million].

    Where the base year is empty (e.g. a provisional NATO figure) the first planned
    year's budget is the base (that ally's increment then starts at 0), and ``notes``
    says so.
    """
    in_base_year = (budgets["year"].astype(int) == base_year).to_numpy()
    rows = budgets.loc[in_base_year, ["iso3", "equipment_musd_constant"]]
    if rows.empty:
        msg = (
            f"budget (spending table): no equipment budget in the base year {base_year}, "
            "which gap_closing_budget_basis 'increment' subtracts; add that year or set "
            "planning.gap_closing_budget_basis: share"
        )
        raise ModelError(msg)
    values = pd.to_numeric(rows["equipment_musd_constant"], errors="coerce")
    base = values.groupby(rows["iso3"]).sum(min_count=1).reindex(matrix.index)
    empty = base.index[base.isna()].tolist()
    if empty:
        notes.append(
            f"no {base_year} equipment budget for {', '.join(empty)}: the first planned "
            f"year's budget is their base, so their gap-closing money starts at 0"
        )
    return base.fillna(matrix.iloc[:, 0])


def _budget_matrix(
    budgets: pd.DataFrame, years: list[int], params: PlanningParams, base_year: int,
    notes: list[str],
) -> pd.DataFrame:
    """Buyer × year gap-closing budgets [USD million, constant 2025 prices].

    The basis is each year's equipment budget (``share``) or its excess over the
    base year (``increment``, never below 0); ``share_of_equipment_budget_for_gap_closing``
    of it is for the plan. Each ally keeps ``1 - pooled_share`` of that; the pooled
    buyer (when ``pooled_share > 0``) holds the rest of everyone's. Buyers without any
    positive budget are dropped.
    """
    increment = params.gap_closing_budget_basis == "increment"
    if increment and base_year in years:
        msg = f"budget: base year {base_year} must be before the first planned year {years[0]}"
        raise ModelError(msg)
    matrix = _budget_frame(budgets, list(years))
    if increment:
        base = _base_budget(budgets, base_year, matrix, notes)
        matrix = matrix.sub(base, axis=0).clip(lower=0.0)
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


def _arms_sales(
    arms_sales_by_year: Mapping[int, float], years: list[int], lp_years: list[int]
) -> pd.Series:
    """Share of US-made deliveries allowed per LP year [0-1], index ``year``.

    Years after the horizon keep the horizon's share.
    """
    arms = pd.Series({int(y): float(v) for y, v in arms_sales_by_year.items()}, dtype=float)
    lacking_arms = [y for y in years if y not in arms.index]
    if lacking_arms:
        msg = f"us_arms_sales: no arms-sales share for year(s) {lacking_arms}"
        raise ModelError(msg)
    arms = arms.reindex(lp_years)
    arms.loc[[y for y in lp_years if y > years[-1]]] = float(arms.loc[years[-1]])
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
    # every buyer with every system, buyer-major
    buyers = pd.Index(budgets_musd.index)
    systems = pd.Index(buyable.index)[np.tile(np.arange(len(buyable)), len(buyers))]
    buyer = pd.Series(buyers.repeat(len(buyable))).astype(str)
    system = pd.Series(systems).astype(str)
    discount = np.where(buyer == POOLED_BUYER, params.pooled_unit_price_discount, 0.0)
    price = buyable["unit_cost_musd"].reindex(systems).to_numpy(dtype=float)
    pairs = pd.DataFrame(
        {
            "pair": buyer + "|" + system,
            "buyer": buyer,
            "system": system,
            "unit_price_musd": price * (1.0 - discount),
        },
        columns=["pair", "buyer", "system", "unit_price_musd"],
    )
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
    base = inputs.base_capacity
    if (base < 0).any().any() or base.isna().any().any():
        bad = base.index[(base < 0).any(axis=1) | base.isna().any(axis=1)].tolist()
        msg = f"production_capacity: negative or unknown line rate for system(s) {bad}"
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
    horizon_span = len(inputs.lp_years)
    late = s.index[s["lead_time_years"] >= horizon_span].tolist()
    for name in late:
        logger.warning(
            "delivery_lag: %s has a lead time (%d years) at least as long as the horizon; "
            "it cannot deliver inside the plan or the years after it",
            name,
            int(s.loc[name, "lead_time_years"]),
        )


def _reserve(
    free: pd.DataFrame, systems: pd.DataFrame, reserved: Mapping[str, float],
    years: Sequence[int], assumptions: list[str],
) -> pd.DataFrame:
    """Free line capacity after output reserved for others (Ukraine support) [units/year].

    ``reserved`` maps a capability area to the share of each European line's output
    that goes elsewhere in the planned years (e.g. 155 mm shells for Ukraine); US-made
    lines are not reserved (PURL buys on them are money, not European output).
    """
    values = free.to_numpy(dtype=float, copy=True)
    planned = np.isin(np.asarray([int(c) for c in free.columns]), list(years))
    area = systems["capability"].reindex(free.index).to_numpy(dtype=object)
    european = ~systems["us_made"].reindex(free.index).astype(bool).to_numpy()
    for name, share in reserved.items():
        if share <= 0:
            continue
        rows = (area == name) & european
        values[np.ix_(rows, planned)] = values[np.ix_(rows, planned)] * (1.0 - share)
        if rows.any():
            assumptions.append(
                f"{name}: {share:.0%} of European line output goes to Ukraine "
                "(ukraine.*_output_share and the support lever), not to the plan")
    return pd.DataFrame(values, index=free.index, columns=free.columns)
