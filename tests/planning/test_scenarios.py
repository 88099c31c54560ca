"""The plan on the built-in scenarios: money where it matters, and the articles' 5-10 years.

These run the spending and capability stages and the LP on the bundled data (a few
seconds each, marked slow).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.assessment import RunSettings, run_stages
from alliance.data import Dataset
from alliance.planning import PlanningInputs, PlanResult, plan_inputs, solve_plan
from alliance.scenario import Scenario, apply_overrides, load_scenario

pytestmark = pytest.mark.slow


def _plan(dataset: Dataset, sc: Scenario) -> tuple[PlanningInputs, PlanResult]:
    done = run_stages(dataset, sc, RunSettings(draws=1, seed=0), until="capabilities")
    inputs, pace = plan_inputs(dataset, sc, done.need("spending").allies, done.need("gaps"))
    return inputs, solve_plan(inputs, scenario_name=sc.name, pace=pace)


@pytest.fixture(scope="module")
def plans(dataset: Dataset) -> dict[str, tuple[PlanningInputs, PlanResult]]:
    """europe-alone, us-drawdown, eastern-flank-surge, and europe-alone with all new
    equipment money for the plan (share 1.0 instead of 0.5, the top of its range)."""
    out = {name: _plan(dataset, load_scenario(name))
           for name in ("europe-alone", "us-drawdown", "eastern-flank-surge")}
    rich = apply_overrides(load_scenario("europe-alone"),
                           {"planning.share_of_equipment_budget_for_gap_closing": 1.0})
    out["europe-alone, share 1.0"] = _plan(dataset, rich)
    return out


def _budget_binds(result: PlanResult) -> pd.DataFrame:
    d = result.duals
    return d[(d["family"] == "budget") & d["binding"]]


def _earlier(rich: PlanResult, poor: PlanResult) -> list[str]:
    """Areas the richer plan closes strictly earlier (never = after any year)."""
    far = 10_000
    a, b = rich.closure_year, poor.closure_year
    return [c for c in a if (a[c] or far) < (b[c] or far)]


def test_budget_binds_and_more_money_closes_a_gap_earlier(plans) -> None:
    """europe-alone: the gap-closing budget binds in the first planned years (dual > 0:
    another dollar lowers the shortfall, while the new money above 2025 is still small);
    with all new equipment money for the plan the total shortfall falls and at least one
    area closes earlier. Budgets bind in us-drawdown's first year too."""
    _, base = plans["europe-alone"]
    _, rich = plans["europe-alone, share 1.0"]
    binding = _budget_binds(base)
    assert not binding.empty
    assert int(binding["year"].min()) == int(base.spend["year"].min())
    assert rich.objective < base.objective - 1e-6
    assert _earlier(rich, base), (rich.closure_year, base.closure_year)
    assert not _budget_binds(plans["us-drawdown"][1]).empty


def test_eastern_flank_surge_no_longer_mirrors_us_drawdown(plans) -> None:
    """More frontline money (eastern-flank-surge) buys more where budgets bind (the first
    planned year): a different plan and a lower shortfall. Closure years may coincide:
    after the first years the factories, not the budgets, bind (the dual of the budget
    is 0 there), which the report states with numbers."""
    _, base = plans["us-drawdown"]
    _, surge = plans["eastern-flank-surge"]
    assert surge.spend["budget_musd"].sum() > base.spend["budget_musd"].sum()
    assert surge.objective < base.objective - 1e-6
    first = int(base.spend["year"].min())
    spent = [p.spend.loc[p.spend["year"] == first, "musd"].sum() for p in (base, surge)]
    assert spent[1] > spent[0] + 1.0
    orders = [p.orders.groupby(["capability", "year"])["units"].sum() for p in (base, surge)]
    index = orders[0].index.union(orders[1].index)
    a, b = (o.reindex(index).fillna(0.0).to_numpy() for o in orders)
    assert np.abs(a - b).max() > 1.0  # at least one unit ordered in a different year


def _factory_bound(inputs: PlanningInputs, area: str) -> pd.Series:
    """Most units the area can have in service per LP year if money were unlimited:
    exogenous units (European backlog, recruits) plus every line's free capacity and its
    largest paid expansion from the first year it can deliver (first year + lead time),
    US lines times the arms-sales share. Computed with numpy from the inputs' tables,
    not by the LP."""
    years = inputs.lp_years
    bound = inputs.exogenous.loc[area, years].to_numpy(dtype=float).copy()
    systems = inputs.systems[(inputs.systems["capability"] == area)
                             & inputs.systems.index.isin(set(inputs.pairs["system"]))]
    arms = inputs.arms_sales.reindex(years).to_numpy()
    for name, s in systems.iterrows():
        first = years[0] + int(s["lead_time_years"])
        can = np.array([y >= first for y in years], dtype=float)
        rate = inputs.free_capacity.loc[name, years].to_numpy() + s["expansion_max_units_per_year"]
        if s["us_made"]:
            rate = rate * arms
        bound += np.cumsum(rate * can) * s["capability_units_per_system"]
    return pd.Series(bound, index=years)


def test_reproduction_europe_alone_closure_years(plans) -> None:
    """The articles' claim: closing the gaps without the US takes 5-10 years, because
    factories, not budgets, are slow.

    Input: the bundled catalogue (line rates, announced ramps, backlogs, lead times),
    the europe-alone gaps and budgets, recruitment limits. Output: the closure year per
    area (stated in the report whatever it is). What is checked (computable without the
    LP): no area closes before its factories could deliver the gap even with unlimited
    money (a capacity-only bound from the inputs' tables), an area with a positive gap
    and no procurable system never closes, and the closure year is the first year from
    which the plan's shortfall stays at or below the tolerance.
    """
    inputs, result = plans["europe-alone"]
    tol = inputs.params.closure_tolerance
    closure = result.closure_year
    short = result.shortfall
    procurable = set(inputs.systems.loc[inputs.bought_systems, "capability"])
    for area in inputs.capabilities:
        gap = inputs.gaps.loc[area, "residual_gap"].reindex(inputs.lp_years).to_numpy()
        grp = short[short["capability"] == area].set_index("year")["shortfall"]
        year = closure[area]
        if year is not None:
            assert (grp.loc[year:] <= tol).all()
            if year > inputs.lp_years[0]:
                assert grp.loc[year - 1] > tol
        if area == "troop_equivalents":
            continue
        bound = _factory_bound(inputs, area).to_numpy()
        impossible = [y for y, g, b in zip(inputs.lp_years, gap, bound, strict=True)
                      if g - b > tol + 1e-6]
        if impossible:
            assert year is None or year > max(impossible), (area, year, impossible)
        if area not in procurable and (gap > tol + bound).any():
            assert year is None
    # the figures the report states: closure year per area, years after 2025
    stated = {a: (y - 2025 if y is not None else None) for a, y in closure.items()}
    assert set(stated) == set(inputs.capabilities)


def test_factories_as_they_are_on_the_bundled_catalogue(plans, dataset: Dataset) -> None:
    """On the bundled catalogue: every line's capacity stays within its announced ramp plus
    the bounded paid expansion (Rafale: 26/yr in 2025 to 48/yr by 2028, at most 25 % more —
    never 132 a year), and every line without a sourced rate is named in the plan's
    assumptions with the rule used (no flat default)."""
    inputs, result = plans["europe-alone"]
    cap = result.capacity
    for name, s in inputs.systems.iterrows():
        rows = cap[cap["system"] == name]
        if rows.empty:
            continue
        limit = (inputs.base_capacity.loc[name].max()
                 + max(inputs.params.capacity_expansion_max_fraction
                       * s["reference_rate_units_per_year"],
                       inputs.params.capacity_expansion_floor_units_per_year))
        assert rows["capacity_units_per_year"].max() <= limit + 1e-6, name
    systems = dataset.table("systems").set_index("system")
    if "Rafale F4" in inputs.systems.index:
        rafale = cap[cap["system"] == "Rafale F4"].set_index("year")
        planned = float(systems.loc["Rafale F4", "planned_rate_units"])
        assert rafale.loc[2028:, "base_capacity_units_per_year"].min() == pytest.approx(planned)
        assert rafale["capacity_units_per_year"].max() <= 1.25 * planned + 1e-6
    unrated = [n for n in inputs.systems.index
               if pd.isna(systems.loc[n, "annual_production_rate_units"])]
    for name in unrated:
        notes = [a for a in result.assumptions if a.startswith(f"{name}: ")]
        assert any("rate" in a for a in notes), name
