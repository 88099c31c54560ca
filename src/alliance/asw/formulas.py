"""Closed-form detection probabilities of search theory.

Sources: Koopman, *Search and Screening* (1946/1980); Washburn, *Search and
Detection* (4th ed.).

All functions take NumPy-broadcastable arrays (or floats) and return
probabilities in [0, 1]. Sensors are definite-range ("cookie-cutter") detectors
of sweep width ``W = 2R``; a target is detected when it comes within ``R`` of a
searcher. Inputs are checked: a negative speed, a zero-width leg or a
probability outside 0-1 raises :class:`~alliance.errors.ModelError` naming the
field.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from alliance.errors import ModelError

__all__ = [
    "KM_PER_NM",
    "back_and_forth_barrier_p",
    "check_positive",
    "check_probability",
    "combine_independent",
    "coverage_ratio",
    "koopman_barrier_p",
    "kn_to_kmh",
    "random_search_p",
    "required_back_and_forth_searchers",
    "required_random_search_searchers",
]

FloatArray = npt.NDArray[np.float64]
#: Kilometres per nautical mile (exact, by definition).
KM_PER_NM = 1.852


def kn_to_kmh(speed_kn: Any) -> FloatArray:
    """Knots to km/h."""
    return np.asarray(speed_kn, dtype=float) * KM_PER_NM


def check_positive(name: str, value: Any, *, allow_zero: bool = False) -> FloatArray:
    """``value`` as an array; ModelError naming ``name`` if any element is negative (or zero)."""
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | ((arr < 0) if allow_zero else (arr <= 0))
    if np.any(bad):
        found = arr[bad].flat[0]
        expected = "a finite number >= 0" if allow_zero else "a finite number > 0"
        msg = f"{name}: expected {expected}, found {found:g}"
        raise ModelError(msg)
    return arr


def check_probability(name: str, value: Any) -> FloatArray:
    """``value`` as an array; ModelError naming ``name`` if outside 0-1."""
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if np.any(bad):
        msg = f"{name}: expected a probability in 0-1, found {arr[bad].flat[0]:g}"
        raise ModelError(msg)
    return arr


def random_search_p(
    sweep_width_km: Any, search_speed_kmh: Any, time_h: Any, area_km2: Any
) -> FloatArray:
    """Koopman's random search: ``P = 1 - exp(-W v t / A)``.

    Holds when the searcher's track is spread over area ``A`` as if at random
    (no overlap planning), the target is somewhere uniform in ``A`` and
    ``t`` is the time the searcher spends searching while the target is inside.

    Args:
        sweep_width_km: sweep width W [km] (> 0), summed over searchers if several.
        search_speed_kmh: searcher speed v [km/h] (>= 0).
        time_h: search time t [h] (>= 0).
        area_km2: area searched A [km^2] (> 0).
    """
    w = check_positive("sweep_width_km", sweep_width_km)
    v = check_positive("search_speed_kmh", search_speed_kmh, allow_zero=True)
    t = check_positive("time_h", time_h, allow_zero=True)
    a = check_positive("area_km2", area_km2)
    return np.asarray(1.0 - np.exp(-w * v * t / a), dtype=float)


def coverage_ratio(
    sweep_width_km: Any, barrier_km: Any, target_speed_kmh: Any, searcher_speed_kmh: Any
) -> FloatArray:
    """Koopman's barrier coverage ratio ``c = W sqrt(u^2 + v^2) / (u L)``.

    In the target's frame a searcher patrolling a barrier of length L at speed v
    sweeps ``W sqrt(u^2+v^2)`` km^2 per hour while targets cross at ``u L`` km^2
    per hour: ``c`` is swept area over crossing area.
    """
    w = check_positive("sweep_width_km", sweep_width_km)
    length = check_positive("barrier_km", barrier_km)
    u = check_positive("target_speed_kmh", target_speed_kmh)
    v = check_positive("searcher_speed_kmh", searcher_speed_kmh, allow_zero=True)
    return np.asarray(w * np.sqrt(u * u + v * v) / (u * length), dtype=float)


def koopman_barrier_p(
    sweep_width_km: Any, barrier_km: Any, target_speed_kmh: Any, searcher_speed_kmh: Any
) -> FloatArray:
    """Koopman's ideal barrier patrol: ``P = min(1, c)``.

    Holds when the searcher's passes are evenly spaced in the target's frame
    (a one-way sweep with its return leg outside detection range, e.g. a
    race-track; Koopman's crossover patrol achieves it), the target crosses
    perpendicular to the barrier at a uniform position and time, and W << L.
    """
    c = coverage_ratio(sweep_width_km, barrier_km, target_speed_kmh, searcher_speed_kmh)
    return np.asarray(np.minimum(1.0, c), dtype=float)


def back_and_forth_barrier_p(
    sweep_width_km: Any, barrier_km: Any, target_speed_kmh: Any, searcher_speed_kmh: Any
) -> FloatArray:
    """A searcher flying back and forth along the barrier: ``P = c - c^2/4`` (c < 2), else 1.

    In the target's frame the passes form a zigzag: at a point a fraction x
    along the barrier the gaps between passes alternate ``2h x`` and
    ``2h (1-x)`` (``h = L u / v``, the drift per leg), each pass covering
    ``c h`` of it; averaging ``min(gap, c h)`` over x uniform gives
    ``c - c^2/4``. Same assumptions as :func:`koopman_barrier_p` (perpendicular
    crossing at a uniform position and time, W << L); it is below Koopman's
    ideal because passes bunch up at the turns. A stationary sensor (v = 0)
    gives ``W/L - (W/L)^2/4`` only in the limit; use it for patrolling sensors.
    """
    c = coverage_ratio(sweep_width_km, barrier_km, target_speed_kmh, searcher_speed_kmh)
    return np.asarray(np.where(c < 2.0, c - c * c / 4.0, 1.0), dtype=float)


def combine_independent(*probabilities: Any) -> FloatArray:
    """``1 - prod(1 - p_i)``: detection by at least one of independent sensors."""
    miss = np.asarray(1.0)
    for i, p in enumerate(probabilities):
        miss = miss * (1.0 - check_probability(f"p[{i}]", p))
    return np.asarray(1.0 - miss, dtype=float)


def required_random_search_searchers(
    target_p: float,
    other_p: Any,
    sweep_rate_per_searcher_km2h: Any,
    barrier_km: Any,
    target_speed_kmh: Any,
) -> FloatArray:
    """Searchers on station needed so that random search tops ``other_p`` up to ``target_p``.

    Inverts ``1 - (1 - other)(exp(-n W v / (L u)))`` (random search over a
    barrier zone of depth D: ``t = D/u``, ``A = L D``, so D cancels) for n >= 0.
    """
    check_probability("target_p_detect", target_p)
    other = check_probability("other_p", other_p)
    rate = check_positive("sweep_rate_km2h", sweep_rate_per_searcher_km2h)
    length = check_positive("barrier_km", barrier_km)
    u = check_positive("target_speed_kmh", target_speed_kmh)
    with np.errstate(divide="ignore"):
        needed = -np.log((1.0 - target_p) / np.maximum(1.0 - other, 1e-300))
    return np.asarray(np.maximum(needed, 0.0) * length * u / rate, dtype=float)


def required_back_and_forth_searchers(
    target_p: float,
    other_p: Any,
    sweep_width_km: Any,
    barrier_km: Any,
    target_speed_kmh: Any,
    searcher_speed_kmh: Any,
) -> FloatArray:
    """Patrollers on station (each on its own sub-barrier L/n) to reach ``target_p``.

    Needs ``p = 1 - (1 - target)/(1 - other)`` from the patrol; inverting
    ``c - c^2/4 = p`` gives ``c = 2 (1 - sqrt(1 - p))`` and ``n = c / c_1`` where
    ``c_1`` is the coverage ratio of one patroller on the whole barrier.
    """
    check_probability("target_p_detect", target_p)
    other = check_probability("other_p", other_p)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(other >= target_p, 0.0, 1.0 - (1.0 - target_p) / (1.0 - other))
    c_needed = 2.0 * (1.0 - np.sqrt(1.0 - np.clip(p, 0.0, 1.0)))
    c_one = coverage_ratio(sweep_width_km, barrier_km, target_speed_kmh, searcher_speed_kmh)
    return np.asarray(c_needed / c_one, dtype=float)
