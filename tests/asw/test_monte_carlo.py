"""The transit Monte Carlo against each closed form, where the formula's assumptions hold.

Assumptions: perpendicular crossing at a uniform position and time, definite-range
sensor, W << L (end effects at the turns negligible). Agreement within 4 standard
errors on every case of the grid.
"""

from __future__ import annotations

import math

import pytest

from alliance.asw.formulas import back_and_forth_barrier_p, koopman_barrier_p, random_search_p
from alliance.asw.simulation import simulate_barrier_patrol, simulate_random_search

#: (sweep width km, barrier km, submarine km/h, searcher km/h, searchers)
BARRIER_GRID = [
    (10.0, 800.0, 14.8, 550.0, 1),  # one MPA on the Iceland-Faroes-Scotland leg
    (20.0, 290.0, 14.8, 14.8, 1),  # a frigate on the Denmark Strait, equal speeds
    (4.0, 800.0, 18.5, 740.0, 3),  # three aircraft, sub-barriers
    (30.0, 290.0, 9.3, 18.5, 2),  # two slow patrollers, c near 1
    (15.0, 290.0, 27.8, 9.3, 1),  # target faster than searcher (W/L = 0.05)
]


@pytest.mark.parametrize("case", BARRIER_GRID)
@pytest.mark.parametrize("pattern", ["back_and_forth", "one_way"])
def test_barrier_patrol_matches_formula(case: tuple[float, float, float, float, int],
                                        pattern: str) -> None:
    w, length, u, v, n = case
    mc = simulate_barrier_patrol(
        barrier_km=length, sweep_width_km=w, target_speed_kmh=u, searcher_speed_kmh=v,
        searchers=n, pattern=pattern,  # type: ignore[arg-type]
        transits=100_000, seed=12,
    )
    formula = back_and_forth_barrier_p if pattern == "back_and_forth" else koopman_barrier_p
    expected = float(formula(w, length / n, u, v))
    assert abs(mc.p_detect - expected) <= 4 * mc.stderr, (mc.p_detect, expected, mc.stderr)


#: (zone length km, zone depth km, sweep width km, search km/h, hours)
RANDOM_GRID = [
    (290.0, 150.0, 5.0, 550.0, 10.0),
    (800.0, 150.0, 10.0, 550.0, 8.0),
    (290.0, 200.0, 20.0, 14.8, 40.0),
]


@pytest.mark.parametrize("case", RANDOM_GRID)
def test_random_search_matches_formula(case: tuple[float, float, float, float, float]) -> None:
    length, depth, w, v, t = case
    mc = simulate_random_search(zone_length_km=length, zone_depth_km=depth, sweep_width_km=w,
                                search_speed_kmh=v, time_h=t, legs=500, transits=20_000, seed=3)
    expected = float(random_search_p(w, v, t, length * depth))
    assert abs(mc.p_detect - expected) <= 4 * mc.stderr, (mc.p_detect, expected, mc.stderr)


def test_random_search_few_legs_matches_its_exact_form() -> None:
    # With K legs the exact value is 1 - (1 - W l / A)^K, l = v t / K.
    length, depth, w, v, t, k = 600.0, 400.0, 10.0, 50.0, 10.0, 5
    mc = simulate_random_search(zone_length_km=length, zone_depth_km=depth, sweep_width_km=w,
                                search_speed_kmh=v, time_h=t, legs=k, transits=100_000, seed=4)
    exact = 1 - (1 - w * (v * t / k) / (length * depth)) ** k
    assert abs(mc.p_detect - exact) <= 4 * mc.stderr


def test_same_seed_same_numbers_and_blocks_only_change_memory() -> None:
    kwargs = dict(barrier_km=290.0, sweep_width_km=20.0, target_speed_kmh=14.8,
                  searcher_speed_kmh=14.8, transits=30_000)
    a = simulate_barrier_patrol(seed=5, **kwargs)  # type: ignore[arg-type]
    b = simulate_barrier_patrol(seed=5, **kwargs)  # type: ignore[arg-type]
    c = simulate_barrier_patrol(seed=6, **kwargs)  # type: ignore[arg-type]
    assert a == b and a.detected != c.detected
    small = simulate_barrier_patrol(seed=5, block=1_000, **kwargs)  # type: ignore[arg-type]
    assert abs(small.p_detect - a.p_detect) <= 4 * math.hypot(small.stderr, a.stderr)


def test_track_angle_spread_runs_and_stays_a_probability() -> None:
    mc = simulate_barrier_patrol(barrier_km=290.0, sweep_width_km=20.0, target_speed_kmh=14.8,
                                 searcher_speed_kmh=14.8, track_angle_sd_deg=20.0,
                                 transits=20_000, seed=1)
    assert 0.0 <= mc.p_detect <= 1.0
