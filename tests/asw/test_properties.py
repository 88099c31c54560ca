"""Properties of the formulas and the stage: probabilities, monotonicity, US assets, errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.asw.formulas import back_and_forth_barrier_p, koopman_barrier_p, random_search_p
from alliance.asw.geometry import legs_from_table
from alliance.asw.simulation import simulate_barrier_patrol
from alliance.asw.stage import patrol_p
from alliance.errors import ModelError, ScenarioError
from alliance.scenario import apply_overrides, load_scenario

positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)
speed = st.floats(min_value=0.1, max_value=1000, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(w=positive, length=positive, u=speed, v=speed, grow=st.floats(1.0, 10.0))
def test_barrier_formulas_are_probabilities_non_decreasing_in_width(
    w: float, length: float, u: float, v: float, grow: float
) -> None:
    for formula in (back_and_forth_barrier_p, koopman_barrier_p):
        p = float(formula(w, length, u, v))
        assert 0.0 <= p <= 1.0
        assert float(formula(w * grow, length, u, v)) >= p - 1e-12


@settings(max_examples=200, deadline=None)
@given(w=positive, v=speed, t=st.floats(0, 1e3), area=positive, grow=st.floats(1.0, 10.0))
def test_random_search_is_a_probability_non_decreasing_in_width_and_time(
    w: float, v: float, t: float, area: float, grow: float
) -> None:
    p = float(random_search_p(w, v, t, area))
    assert 0.0 <= p <= 1.0
    assert float(random_search_p(w * grow, v, t, area)) >= p
    assert float(random_search_p(w, v, t * grow, area)) >= p


@settings(max_examples=200, deadline=None)
@given(n=st.floats(0, 50), extra=st.floats(0, 50), w=positive, length=positive, u=speed,
       v=speed)
def test_patrol_p_non_decreasing_in_sensors(
    n: float, extra: float, w: float, length: float, u: float, v: float
) -> None:
    p = patrol_p(n, w, length, u, v)
    assert 0.0 <= p <= 1.0
    assert patrol_p(n + extra, w, length, u, v) >= p - 1e-12


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: random_search_p(5, -1, 1, 100), "search_speed_kmh"),
        (lambda: koopman_barrier_p(5, 0, 10, 10), "barrier_km"),
        (lambda: back_and_forth_barrier_p(5, 100, -3, 10), "target_speed_kmh"),
        (lambda: simulate_barrier_patrol(barrier_km=100, sweep_width_km=5, target_speed_kmh=10,
                                         searcher_speed_kmh=-1, transits=10), "searcher_speed_kmh"),
    ],
)
def test_bad_inputs_name_the_field(call: object, field: str) -> None:
    with pytest.raises(ModelError, match=field):
        call()  # type: ignore[operator]


def test_zero_width_leg_names_the_field(dataset: object) -> None:
    table = dataset.table("giuk_legs").copy()  # type: ignore[attr-defined]
    table.loc[0, "width_km"] = 0.0
    with pytest.raises(ModelError, match="width_km"):
        legs_from_table(table)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"asw.transit_speed_kn": -5.0}, "asw.transit_speed_kn"),
        ({"asw.fixed_array_p_detect": 1.5}, "asw.fixed_array_p_detect"),
        ({"asw.target_p_detect": 1.0}, "asw.target_p_detect"),
        ({"asw.transit_leg_shares": {"denmark_strait": 0.9}}, "asw.transit_leg_shares"),
    ],
)
def test_bad_scenario_values_name_the_field(override: dict[str, object], field: str) -> None:
    with pytest.raises(ScenarioError, match=field.replace(".", r"\.")):
        apply_overrides(load_scenario("baseline"), override)
