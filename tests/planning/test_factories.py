"""Factories as they are, troops, the years after the horizon, pace: hand-solved cases.

Each test builds a tiny catalogue by hand (the columns of the rebuilt systems.csv)
and states the optimum computed by hand.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from alliance.data import Dataset
from alliance.params import PlanningParams
from alliance.planning import build_inputs, solve_plan
from alliance.planning.industry import base_capacity, fill_catalogue
from alliance.planning.pace import pace_by_area, pace_years
from alliance.planning.recruitment import recruitment_limits, troops_in_service

Y0 = 2026


def _system(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "system": "line",
        "capability": "main_battle_tank",
        "us_made": False,
        "european_supplier": True,
        "unit_cost_musd": 10.0,
        "annual_production_rate_units": 10.0,
        "production_rate_year": Y0 - 1,
        "planned_rate_units": None,
        "planned_rate_year": None,
        "lead_time_years": 0,
        "backlog_units": None,
        "backlog_european_units": None,
        "service_life_years": 40,
        "capability_units_per_system": 1.0,
        "canonical": True,
    }
    row.update(over)
    return row


def _solve(
    systems: list[dict[str, Any]], *, years: int, gap: float, budget: float = 1e6,
    capability: str = "main_battle_tank", recruitment: pd.DataFrame | None = None,
    **params: Any,
):
    ys = list(range(Y0, Y0 + years))
    gaps = pd.DataFrame(
        [{"capability": capability, "year": y, "requirement": gap, "european_effective": 0.0,
          "us_contribution": 0.0, "unit": "units"} for y in ys]
    )
    budgets = pd.DataFrame(
        [{"iso3": "DEU", "year": y, "equipment_musd_constant": budget} for y in ys]
    )
    defaults: dict[str, Any] = {
        "gap_closing_budget_basis": "share",
        "share_of_equipment_budget_for_gap_closing": 1.0,
        "capacity_ramp_max_fraction_of_initial": 0.0,
        "capacity_ramp_floor_units_per_year": 0.0,
        "capacity_expansion_floor_units_per_year": 0.0,
    }
    defaults.update(params)
    inputs = build_inputs(pd.DataFrame(systems), gaps, budgets, PlanningParams(**defaults), ys,
                          {y: 1.0 for y in ys}, recruitment=recruitment)
    return solve_plan(inputs, scenario_name="hand")


def _short(result, year: int, capability: str = "main_battle_tank") -> float:
    s = result.shortfall
    sel = s[(s["year"] == year) & (s["capability"] == capability)]
    return float(sel["shortfall"].iloc[0])


def test_line_ramps_linearly_to_the_announced_rate() -> None:
    """Today 24/yr (2025), announced 48/yr by 2028: 32, 40, 48, 48 in 2026-2029."""
    cat, _ = fill_catalogue(pd.DataFrame([_system(
        annual_production_rate_units=24.0, production_rate_year="2025",
        planned_rate_units=48.0, planned_rate_year="2028-2029")]), PlanningParams())
    base = base_capacity(cat, [2026, 2027, 2028, 2029])
    assert base.loc["line"].tolist() == pytest.approx([32.0, 40.0, 48.0, 48.0])


def test_backlog_occupies_the_line_first_and_its_european_part_adds_holdings() -> None:
    """Line 10/yr, backlog 15 (5 European): the backlog takes 10 then 5 units; new orders
    get 0 then 5 then 10. European backlog deliveries: 10 × 1/3 then 5 × 1/3 = 5 in all.
    Gap 20 each year: shortfall 20 − 3.33 = 16.67; 20 − 5 − 5 = 10; 20 − 5 − 15 = 0."""
    r = _solve([_system(backlog_units=15.0, backlog_european_units=5.0)], years=3, gap=20.0,
               count_deliveries_after_horizon=False)
    assert [_short(r, Y0 + k) for k in range(3)] == pytest.approx([20 - 10 / 3, 10, 0],
                                                                  abs=1e-6)
    cap = r.capacity.set_index("year")
    assert cap["backlog_units"].tolist() == pytest.approx([10, 5, 0])
    assert cap["free_capacity_units_per_year"].tolist() == pytest.approx([0, 5, 10])
    backlog = r.exogenous_deliveries[r.exogenous_deliveries["order_basis"] == "backlog"]
    assert (r.deliveries["order_basis"] == "plan").all()
    assert backlog["units"].sum() == pytest.approx(5.0)


def test_paid_expansion_is_bounded_in_total() -> None:
    """Line 10/yr, ramp 2/yr a year, total expansion at most 25 % (2.5/yr), build lag 1:
    capacity 10, 12, 12.5, 12.5 although the gap of 100 asks for more (no runaway line)."""
    r = _solve([_system()], years=4, gap=100.0, capacity_ramp_floor_units_per_year=2.0,
               capacity_expansion_max_fraction=0.25, capacity_build_lag_years=1,
               count_deliveries_after_horizon=False)
    cap = r.capacity.set_index("year")["capacity_units_per_year"].tolist()
    assert cap == pytest.approx([10.0, 12.0, 12.5, 12.5], abs=1e-6)
    assert any("total limit" in s for s in r.binding)


def test_orders_by_the_horizon_deliver_after_it_and_count() -> None:
    """Lead time 3, horizon 2 years, gap 10, line 10/yr: nothing can arrive in the plan's
    years, but orders placed in 2026 arrive in 2029 and close the gap then; money is spent
    in the planned years."""
    r = _solve([_system(lead_time_years=3)], years=2, gap=10.0)
    assert r.delivery_horizon == Y0 + 4
    assert r.closure_year["main_battle_tank"] == Y0 + 3
    assert r.spend["musd"].sum() == pytest.approx(100.0, abs=1e-5)
    without = _solve([_system(lead_time_years=3)], years=2, gap=10.0,
                     count_deliveries_after_horizon=False)
    assert without.spend["musd"].sum() == pytest.approx(0.0, abs=1e-6)
    assert without.closure_year["main_battle_tank"] is None


def test_missing_rate_from_backlog_then_comparable_lines() -> None:
    """No published rate: backlog 300 over 6 (4-8) years = 50/yr (range 37.5-75); a line
    without backlog takes the median of its area's sourced rates (range min-max)."""
    rows = [
        _system(system="a", annual_production_rate_units=None, backlog_units=300.0),
        _system(system="b", annual_production_rate_units=20.0),
        _system(system="c", annual_production_rate_units=60.0),
        _system(system="d", annual_production_rate_units=None),
    ]
    cat, notes = fill_catalogue(pd.DataFrame(rows), PlanningParams())
    assert cat.loc["a", "rate0"] == pytest.approx(50.0)
    assert cat.loc["d", "rate0"] == pytest.approx(40.0)  # median of 20 and 60
    text = " ".join(notes)
    assert "range 37.5-75" in text and "range 20-60" in text
    high, _ = fill_catalogue(pd.DataFrame(rows), PlanningParams(assumption_case="high"))
    assert high.loc["a", "rate0"] == pytest.approx(75.0)
    assert high.loc["d", "rate0"] == pytest.approx(60.0)


def test_non_european_supplier_is_a_lever() -> None:
    """A K2-like line (european_supplier and us_made false) is bought only when allowed."""
    rows = [_system(system="k2", european_supplier=False)]
    off = _solve(rows, years=1, gap=5.0)
    assert _short(off, Y0) == pytest.approx(5.0)
    assert any("non-European suppliers not ordered" in a for a in off.assumptions)
    on = _solve(rows, years=1, gap=5.0, allow_non_european_suppliers=True)
    assert _short(on, Y0) == pytest.approx(0.0, abs=1e-6)


def test_troops_close_by_recruitment_not_by_money() -> None:
    """Two allies add 1,000-3,000 and 500-1,500 troops a year (central 2,000 + 1,000):
    a gap of 7,000 closes in the third year, whatever the equipment budget (0 here)."""
    recruitment = pd.DataFrame(
        [
            {"iso3": "DEU", "year_from": 2020, "year_to": 2030,
             "net_additional_troops_per_year_low": 1000,
             "net_additional_troops_per_year_high": 3000},
            {"iso3": "POL", "year_from": 2020, "year_to": 2024,
             "net_additional_troops_per_year_low": 500,
             "net_additional_troops_per_year_high": 1500},
        ]
    )
    limits = recruitment_limits(recruitment, [2026, 2027])
    assert limits["central"].tolist() == [3000.0, 3000.0]  # POL's last rate continues
    assert limits["low"].tolist() == [1500.0, 1500.0]
    r = _solve([_system()], years=4, gap=7000.0, budget=1e-3, capability="troop_equivalents",
               recruitment=recruitment)
    troops = [_short(r, Y0 + k, "troop_equivalents") for k in range(4)]
    assert troops == pytest.approx([4000, 1000, 0, 0], abs=1e-6)
    assert r.closure_year["troop_equivalents"] == Y0 + 2
    recruits = r.all_deliveries[r.all_deliveries["order_basis"] == "recruitment"]
    assert recruits["units"].sum() == pytest.approx(7000.0)
    assert any("recruitment" in s for s in r.binding)
    # never recruit beyond the largest gap still ahead
    stock = troops_in_service(pd.Series([5.0, 5.0, 5.0], index=[1, 2, 3]),
                              pd.Series([3.0, 7.0, 4.0], index=[1, 2, 3]))
    assert stock.tolist() == [5.0, 7.0, 7.0]


def test_pace_year_from_recent_deliveries_and_bound() -> None:
    """Deliveries 10, 20, 30 in 2023-2025 (mean 20/yr): gap 100 is met in 2030
    (5 × 20); a pace of 0 never meets it (null within the bound)."""
    deliveries = pd.DataFrame(
        [{"holder": "DEU", "capability": "main_battle_tank", "year": y, "delivered_units": u}
         for y, u in ((2023, 10), (2024, 20), (2025, 30))]
        + [{"holder": "USA", "capability": "main_battle_tank", "year": 2025,
            "delivered_units": 500}]
    )
    params = PlanningParams(pace_search_years=10)
    pace = pace_by_area(deliveries, params, ["main_battle_tank", "aew_c"], 0.0)
    assert pace.set_index("capability").loc["main_battle_tank", "pace_units_per_year"] == 20
    gaps = pd.DataFrame(
        [{"capability": c, "year": y, "residual_gap": 100.0}
         for c in ("main_battle_tank", "aew_c") for y in (Y0, Y0 + 1)]
    ).set_index(["capability", "year"])
    years = pace_years(gaps, pace, [Y0, Y0 + 1], params, 1e-3)
    assert years["main_battle_tank"] == 2030
    assert years["aew_c"] is None
    overlay = PlanningParams(pace_units_per_year={"aew_c": 50.0})
    pace2 = pace_by_area(deliveries, overlay, ["aew_c"], 0.0)
    assert pace_years(gaps.loc[["aew_c"]], pace2, [Y0, Y0 + 1], overlay, 1e-3)["aew_c"] == 2027


def test_plan_result_carries_closure_and_pace_per_area() -> None:
    """closure_year and pace_year are in the closure table and the JSON dict (null where
    never)."""
    r = _solve([_system(annual_production_rate_units=2.0)], years=2, gap=10.0,
               count_deliveries_after_horizon=False)
    out = r.to_dict()
    assert out["closure_year"] == {"main_battle_tank": None}
    assert out["pace_year"] == {"main_battle_tank": None}
    assert out["areas"][0]["capability"] == "main_battle_tank"
    assert {"closure_year", "pace_year"} <= set(r.closure.columns)


def test_increment_budget_basis() -> None:
    """Gap-closing money = share × (equipment budget − base-year budget): DEU 100 in 2025,
    150 in 2026, share 0.5 → 25; FRA has no 2025 figure → its 2026 budget is its base (0)."""
    gaps = pd.DataFrame([{"capability": "main_battle_tank", "year": Y0, "requirement": 10.0,
                          "european_effective": 0.0, "us_contribution": 0.0}])
    budgets = pd.DataFrame([
        {"iso3": "DEU", "year": 2025, "equipment_musd_constant": 100.0},
        {"iso3": "DEU", "year": 2026, "equipment_musd_constant": 150.0},
        {"iso3": "FRA", "year": 2025, "equipment_musd_constant": None},
        {"iso3": "FRA", "year": 2026, "equipment_musd_constant": 80.0},
    ])
    params = PlanningParams(share_of_equipment_budget_for_gap_closing=0.5)
    inputs = build_inputs(pd.DataFrame([_system()]), gaps, budgets, params, [Y0], {Y0: 1.0})
    assert inputs.budgets_musd.loc["DEU", Y0] == pytest.approx(25.0)
    assert "FRA" not in inputs.budgets_musd.index
    assert any("no 2025 equipment budget for FRA" in a for a in inputs.assumptions)
    r = solve_plan(inputs)
    assert _short(r, Y0) == pytest.approx(10.0 - 2.5, abs=1e-6)  # 25 buys 2.5 at 10 each


class _ReadRecorder:
    """Planning parameters that record which fields are read."""

    def __init__(self, params: PlanningParams) -> None:
        object.__setattr__(self, "_params", params)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name: str) -> object:
        self.read.add(name)
        return getattr(self._params, name)


def test_the_catalogue_memo_keys_every_parameter_the_catalogue_reads(dataset: Dataset) -> None:
    # fill_catalogue is memoised on CATALOGUE_PARAMS only: a field read but not in the
    # key would let a stale catalogue out of the memo.
    from alliance.planning.industry import CATALOGUE_PARAMS, filled_catalogue

    recorder = _ReadRecorder(PlanningParams())
    filled_catalogue(dataset.table("systems"), recorder)  # type: ignore[arg-type]
    assert recorder.read and recorder.read <= CATALOGUE_PARAMS
    moved = PlanningParams(pooled_share=0.4)  # not read: the same catalogue
    a, _ = fill_catalogue(dataset.table("systems"), PlanningParams())
    b, _ = fill_catalogue(dataset.table("systems"), moved)
    pd.testing.assert_frame_equal(a, b)
