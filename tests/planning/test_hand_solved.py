"""Tiny LPs whose optimum is computed by hand (STYLE 7, layer 1)."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.errors import ModelError
from alliance.params import PlanningParams
from alliance.planning import build_inputs
from tests.planning.planning_tiny import Y0, tiny


def _short(result, year: int) -> float:
    s = result.shortfall
    return float(s.loc[s["year"] == year, "shortfall"].iloc[0])


def test_one_system_one_year_budget_limited() -> None:
    """Budget 50, price 10, lead 0, gap 10: buy 5 units, 5 short; cost 50."""
    r = tiny(budget=50.0)
    assert r.status == "optimal"
    assert _short(r, Y0) == pytest.approx(5.0, abs=1e-6)
    assert r.total_cost_musd == pytest.approx(50.0, abs=1e-5)
    # normalised objective: 5 short / requirement 20
    assert r.objective == pytest.approx(0.25, abs=1e-7)
    assert r.closure_year == {"main_battle_tank": None}
    assert any("budget" in s for s in r.binding)


def test_one_system_one_year_closes_at_least_cost() -> None:
    """Ample budget: buy exactly the gap (10 units, cost 100), nothing more."""
    r = tiny(budget=1000.0)
    assert _short(r, Y0) == pytest.approx(0.0, abs=1e-6)
    assert r.total_cost_musd == pytest.approx(100.0, abs=1e-5)
    assert r.closure_year == {"main_battle_tank": Y0}


def test_lead_time_delays_deliveries() -> None:
    """Lead time 2 over 3 years: the gap stays open two years, closes in the third."""
    r = tiny(years=3, lead=2)
    assert [_short(r, Y0 + k) for k in range(3)] == pytest.approx([10, 10, 0], abs=1e-6)
    assert r.closure_year["main_battle_tank"] == Y0 + 2
    orders = r.orders.groupby("year")["units"].sum()
    assert orders[Y0] == pytest.approx(10.0, abs=1e-6)
    assert any("lead time" in s for s in r.binding)


def test_capacity_limit_binds() -> None:
    """Capacity 4/yr, no growth, gap 10: deliveries 4, 4, 2; shortfall 6, 2, 0, 0."""
    r = tiny(years=4, capacity=4.0)
    assert [_short(r, Y0 + k) for k in range(4)] == pytest.approx([6, 2, 0, 0], abs=1e-6)
    assert r.closure_year["main_battle_tank"] == Y0 + 2
    assert any("factory capacity" in s for s in r.binding)
    cap = r.duals[(r.duals["family"] == "production_capacity") & r.duals["binding"]]
    assert sorted(cap["year"]) == [Y0, Y0 + 1]


def test_capacity_grows_by_investment_at_ramp() -> None:
    """Idle line (capacity 0), ramp 2/yr, build lag 1, total expansion up to the floor of
    4 units/yr: capacity 0, 2, 4 → deliveries 0, 2, 4."""
    r = tiny(
        years=3,
        capacity=0.0,
        gap=100.0,
        requirement=100.0,
        capacity_ramp_floor_units_per_year=2.0,
        capacity_expansion_floor_units_per_year=4.0,
        capacity_build_lag_years=1,
        capacity_capital_cost_fraction_of_unit_cost=1.0,
    )
    cap = r.capacity.set_index("year")
    assert cap["capacity_units_per_year"].tolist() == pytest.approx([0, 2, 4], abs=1e-6)
    assert [_short(r, Y0 + k) for k in range(3)] == pytest.approx([100, 98, 94], abs=1e-6)
    # capex: 2 units/yr in each of the first two years at 10 per unit/yr; orders 6 units at 10
    assert r.total_cost_musd == pytest.approx(40.0 + 60.0, abs=1e-5)
    assert any("ramp" in s for s in r.binding)


def test_retirement_at_service_life() -> None:
    """Service life 2: units delivered in year 0 retire in year 2 and must be bought again."""
    r = tiny(years=4, gap=5.0, capacity=5.0, life=2)
    assert [_short(r, Y0 + k) for k in range(4)] == pytest.approx([0, 0, 0, 0], abs=1e-6)
    orders = r.orders.groupby("year")["units"].sum()
    assert orders.tolist() == pytest.approx([5, 0, 5, 0], abs=1e-6)
    assert r.total_cost_musd == pytest.approx(100.0, abs=1e-5)


def test_pooled_discount() -> None:
    """Two allies with 50 each; all pooled at 20 % off: 100 buys 12.5 units instead of 10."""
    national = tiny(gap=20.0, budget={"DEU": 50.0, "FRA": 50.0})
    assert _short(national, Y0) == pytest.approx(10.0, abs=1e-6)
    pooled = tiny(
        gap=20.0,
        budget={"DEU": 50.0, "FRA": 50.0},
        pooled_share=1.0,
        pooled_unit_price_discount=0.2,
    )
    assert _short(pooled, Y0) == pytest.approx(7.5, abs=1e-6)
    spend = pooled.spend.set_index("buyer")["musd"]
    assert spend["EUR_POOL"] == pytest.approx(100.0, abs=1e-5)


def test_us_arms_sales_limit() -> None:
    """US-made system, capacity 10, arms-sales share 0.3: at most 3 delivered."""
    r = tiny(us_made=True, capacity=10.0, arms=0.3)
    assert _short(r, Y0) == pytest.approx(7.0, abs=1e-6)
    assert any("arms-sales" in s for s in r.binding)
    blocked = tiny(us_made=True, capacity=10.0, arms=0.0)
    assert _short(blocked, Y0) == pytest.approx(10.0, abs=1e-6)


def test_epsilon_mode_matches_lexicographic() -> None:
    """Both objective modes give the same shortfall and cost on a hand-solved case."""
    lex = tiny(years=4, capacity=4.0)
    eps = tiny(years=4, capacity=4.0, objective_mode="epsilon")
    assert eps.objective == pytest.approx(lex.objective, abs=1e-6)
    assert eps.total_cost_musd == pytest.approx(lex.total_cost_musd, rel=1e-6)


def test_integer_lots() -> None:
    """Lots of 4 units at 10 each, budget 50: one lot only (4 units), 6 short."""
    r = tiny(budget=50.0, integer_lots=True, lot_size_units=4)
    assert _short(r, Y0) == pytest.approx(6.0, abs=1e-6)
    assert r.total_cost_musd == pytest.approx(40.0, abs=1e-6)


def test_no_system_means_gap_stays_open() -> None:
    """A capability without a priced system keeps its gap and says so."""
    r = tiny(capability="attack_submarine", unit_cost=10.0)
    assert r.closure_year["attack_submarine"] == Y0  # the system adds to it: closes
    systems = pd.DataFrame(
        [
            {
                "system": "x",
                "capability": "main_battle_tank",
                "us_made": False,
                "unit_cost_musd": 1.0,
                "annual_production_rate_units": 1.0,
                "lead_time_years": 0,
                "capability_units_per_system": 1.0,
            }
        ]
    )
    gaps = pd.DataFrame(
        [
            {
                "capability": "attack_submarine",
                "year": Y0,
                "requirement": 5.0,
                "european_effective": 1.0,
                "us_contribution": 0.0,
                "unit": "ships",
            }
        ]
    )
    budgets = pd.DataFrame([{"iso3": "DEU", "year": Y0, "equipment_musd_constant": 100.0}])
    from alliance.planning import solve_plan

    params = PlanningParams(gap_closing_budget_basis="share")
    res = solve_plan(build_inputs(systems, gaps, budgets, params, [Y0], {Y0: 1.0}))
    assert res.closure_year == {"attack_submarine": None}
    assert any("no procurable system" in s for s in res.binding)


def test_bad_inputs_name_the_family() -> None:
    """Badly posed studies raise ModelError naming the family or input at fault."""
    with pytest.raises(ModelError, match="budget"):
        tiny(budget=-1.0)
    with pytest.raises(ModelError, match="us_arms_sales"):
        tiny(arms=1.5)
    with pytest.raises(ModelError, match="production_capacity"):
        tiny(capacity=-3.0)
    with pytest.raises(ModelError, match="horizon"):
        tiny(years=2, horizon_override=2050)
    with pytest.raises(ModelError, match="systems"):
        build_inputs(
            pd.DataFrame({"system": ["a"]}),
            pd.DataFrame(),
            pd.DataFrame(),
            PlanningParams(),
            [Y0],
            {Y0: 1.0},
        )


def test_default_assumptions_are_reported() -> None:
    """Empty catalogue cells are filled by named rules and listed as assumptions: a lone
    line without a rate has no output (no flat default), without a lead time the named
    default with its range."""
    r = tiny(lead=None, capacity=None, years=5)
    text = " ".join(r.assumptions)
    assert "default_lead_time_years, range 2-5" in text
    assert "production rate unknown and no comparable line" in text
    assert r.capacity["base_capacity_units_per_year"].max() == 0.0
    # the user can set the area's line rate instead
    user = tiny(lead=None, capacity=None, years=5,
                default_initial_capacity_by_capability={"main_battle_tank": 7.0})
    assert "user-set 7 units/year" in " ".join(user.assumptions)
    assert user.capacity["base_capacity_units_per_year"].max() == pytest.approx(7.0)


def test_params_reject_unknown_fields_and_capabilities() -> None:
    """PlanningParams is strict (extra='forbid'); per-area maps name plannable areas only."""
    with pytest.raises(ValueError, match="pooled_sahre|extra"):
        PlanningParams(pooled_sahre=0.2)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="unknown capability area 'tanks'"):
        PlanningParams(risk_weights={"tanks": 2.0})
    # the LP is indexed by area: a holdings code is not an area
    with pytest.raises(ValueError, match="unknown capability area 'fighter_aircraft_5th_gen'"):
        PlanningParams(risk_weights={"fighter_aircraft_5th_gen": 5.0})
    with pytest.raises(ValueError, match="unknown capability area 'fighter_aircraft_5th_gen'"):
        PlanningParams(default_initial_capacity_by_capability={"fighter_aircraft_5th_gen": 5.0})
    # an area without a procurable system cannot be weighted in the plan; nor can troops
    # (recruitment at the yearly limit closes them whatever the weight)
    with pytest.raises(ValueError, match="'troop_equivalents' has no procurable system"):
        PlanningParams(risk_weights={"troop_equivalents": 1.0})
    with pytest.raises(ValueError, match="value -1 for 'aew_c' is outside 0-inf"):
        PlanningParams(risk_weights={"aew_c": -1.0})
    assert PlanningParams(risk_weights={"combat_aircraft": 2.0}).risk_weight("combat_aircraft") == 2


def test_area_risk_weight_is_used_in_the_objective() -> None:
    """Budget 50, price 10, gap 10 of requirement 20: 5 short, normalised 0.25; weight 2
    on combat_aircraft doubles the objective to 0.5 (the shortfall itself is unchanged)."""
    plain = tiny(budget=50.0, capability="combat_aircraft")
    weighted = tiny(budget=50.0, capability="combat_aircraft",
                    risk_weights={"combat_aircraft": 2.0})
    assert plain.objective == pytest.approx(0.25, abs=1e-7)
    assert weighted.objective == pytest.approx(0.5, abs=1e-7)
    assert _short(weighted, Y0) == pytest.approx(5.0, abs=1e-6)
