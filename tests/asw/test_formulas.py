"""Closed-form search formulas against hand-computed values."""

from __future__ import annotations

import math

import pytest

from alliance.asw.formulas import (
    back_and_forth_barrier_p,
    combine_independent,
    coverage_ratio,
    kn_to_kmh,
    koopman_barrier_p,
    random_search_p,
    required_back_and_forth_searchers,
    required_random_search_searchers,
)
from alliance.asw.geometry import P8Performance, time_on_station_h
from alliance.geo import great_circle_km


def test_random_search_hand_value() -> None:
    # W v t / A = 10 * 100 * 2 / 2000 = 1  ->  1 - e^-1
    assert float(random_search_p(10, 100, 2, 2000)) == pytest.approx(1 - math.exp(-1), abs=1e-12)
    assert float(random_search_p(10, 0, 2, 2000)) == 0.0


def test_coverage_ratio_and_barrier_formulas_hand_values() -> None:
    # W=10, L=100, u=3, v=4: c = 10 * 5 / (3 * 100) = 1/6
    assert float(coverage_ratio(10, 100, 3, 4)) == pytest.approx(1 / 6)
    assert float(koopman_barrier_p(10, 100, 3, 4)) == pytest.approx(1 / 6)
    assert float(back_and_forth_barrier_p(10, 100, 3, 4)) == pytest.approx(1 / 6 - 1 / 144)
    # W=30: c = 1/2 -> 1/2 - 1/16; W=60: c = 1 -> 3/4; W=120: c = 2 -> 1 (continuous)
    assert float(back_and_forth_barrier_p(30, 100, 3, 4)) == pytest.approx(0.4375)
    assert float(back_and_forth_barrier_p(60, 100, 3, 4)) == pytest.approx(0.75)
    assert float(back_and_forth_barrier_p(120, 100, 3, 4)) == pytest.approx(1.0)
    assert float(koopman_barrier_p(60, 100, 3, 4)) == 1.0


def test_combine_and_units() -> None:
    assert float(combine_independent(0.5, 0.5)) == pytest.approx(0.75)
    assert float(combine_independent(0.2)) == pytest.approx(0.2)
    assert float(kn_to_kmh(10)) == pytest.approx(18.52)


def test_inverses_round_trip() -> None:
    n = float(required_random_search_searchers(0.6, 0.2, 5 * 550, 290, 14.8))
    p_mpa = 1 - math.exp(-n * 5 * 550 / (290 * 14.8))
    assert 1 - (1 - 0.2) * (1 - p_mpa) == pytest.approx(0.6)
    n = float(required_back_and_forth_searchers(0.6, 0.2, 20, 290, 14.8, 14.8))
    p_pat = float(back_and_forth_barrier_p(20, 290 / n, 14.8, 14.8))
    assert 1 - (1 - 0.2) * (1 - p_pat) == pytest.approx(0.6)
    assert float(required_back_and_forth_searchers(0.5, 0.7, 20, 290, 14.8, 14.8)) == 0.0


def test_p8_endurance_and_time_on_station() -> None:
    p8 = P8Performance(cruise_speed_kmh=815, combat_radius_km=2222, time_on_station_at_radius_h=4)
    assert p8.endurance_h == pytest.approx(4 + 2 * 2222 / 815)
    assert time_on_station_h(p8, 2222) == pytest.approx(4.0)
    assert time_on_station_h(p8, 10_000) == 0.0
    # one degree of latitude is about 111.2 km
    assert great_circle_km(60, 0, 61, 0) == pytest.approx(111.19, abs=0.05)
