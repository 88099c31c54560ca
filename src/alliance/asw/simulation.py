"""Vectorised Monte Carlo of submarine transits through a patrolled barrier.

Two simulations, each checked against its closed form in
:mod:`alliance.asw.formulas` (``tests/asw/test_monte_carlo.py``):

* :func:`simulate_barrier_patrol` — submarines cross a barrier line of length
  L at speed u (optionally with a spread of track angles); searchers patrol
  along the line at speed v, back and forth (zigzag) or one way (Koopman's
  evenly spaced passes), each on its own sub-barrier ``L/n``. Detection is
  exact for a definite-range sensor: the closest approach of the two straight
  tracks over every patrol leg near the crossing time, in closed form.
* :func:`simulate_random_search` — random search in the submarine's frame:
  the searcher's track while the submarine is in the zone is cut into many
  legs placed at random on the zone (a torus, so no edges); the submarine is
  detected when it lies within ``W/2`` of a leg.

Transits are processed in fixed-size blocks (memory flat in the number of
transits); each block draws from its own child of ``SeedSequence(seed)`` with a
Philox generator, so the same seed and block size give the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from alliance.asw.formulas import FloatArray, check_positive, check_probability
from alliance.errors import ModelError

__all__ = ["DEFAULT_BLOCK", "McEstimate", "simulate_barrier_patrol", "simulate_random_search"]

#: Transits per block: memory is O(block x legs), independent of the transit count.
DEFAULT_BLOCK = 65_536

Pattern = Literal["back_and_forth", "one_way"]


@dataclass(frozen=True)
class McEstimate:
    """A Monte Carlo detection probability with its standard error and seed."""

    transits: int
    detected: int
    seed: int

    @property
    def p_detect(self) -> float:
        """Share of transits detected."""
        return self.detected / self.transits

    @property
    def stderr(self) -> float:
        """Binomial standard error of :attr:`p_detect`."""
        p = self.p_detect
        return math.sqrt(max(p * (1.0 - p), 0.25 / self.transits) / self.transits)


def _generators(seed: int, transits: int, block: int) -> list[tuple[np.random.Generator, int]]:
    if transits < 1:
        raise ModelError(f"transits: expected a positive number, found {transits}")
    if block < 1:
        raise ModelError(f"block: expected a positive number, found {block}")
    n_blocks = -(-transits // block)
    children = np.random.SeedSequence(seed).spawn(n_blocks)
    sizes = [block] * (n_blocks - 1) + [transits - block * (n_blocks - 1)]
    return [
        (np.random.Generator(np.random.Philox(c)), s) for c, s in zip(children, sizes, strict=True)
    ]


def _closest_approach_sq(
    ax: FloatArray, ay: FloatArray, wx: FloatArray, wy: FloatArray, duration: float
) -> FloatArray:
    """Min over s in [0, duration] of |a + w s|^2 (a, w: relative position and velocity)."""
    ww = wx * wx + wy * wy
    s = np.clip(-(ax * wx + ay * wy) / np.where(ww > 0, ww, 1.0), 0.0, duration)
    dx = ax + wx * s
    dy = ay + wy * s
    return np.asarray(dx * dx + dy * dy, dtype=float)


# Long by design: one vectorised pass over a block (draw, legs near the crossing, closest
# approach per leg) reads best as one function; splitting it would pass ten arrays around.
def _barrier_block(
    rng: np.random.Generator,
    size: int,
    sub_barrier_km: float,
    radius_km: float,
    target_speed_kmh: float,
    searcher_speed_kmh: float,
    track_angle_sd_deg: float,
    pattern: Pattern,
) -> int:
    leg_h = sub_barrier_km / searcher_speed_kmh
    x0 = rng.uniform(0.0, sub_barrier_km, size)
    tau = rng.uniform(0.0, 2.0 * leg_h, size)
    angle = np.clip(rng.normal(0.0, math.radians(track_angle_sd_deg), size), -1.3, 1.3)
    ux = target_speed_kmh * np.sin(angle)
    uy = target_speed_kmh * np.cos(angle)
    window_h = radius_km / uy
    first = np.floor((tau - window_h) / leg_h)
    n_legs = int(math.ceil(2.0 * float(window_h.max()) / leg_h)) + 2
    detected = np.zeros(size, dtype=bool)
    for j in range(n_legs):
        k = first + j
        t_k = k * leg_h
        if pattern == "back_and_forth":
            odd = np.mod(k, 2.0) == 1.0
            start = np.where(odd, sub_barrier_km, 0.0)
            direction = np.where(odd, -1.0, 1.0)
        else:
            start = np.zeros(size)
            direction = np.ones(size)
        ax = x0 - start + ux * (t_k - tau)
        ay = uy * (t_k - tau)
        wx = ux - direction * searcher_speed_kmh
        d2 = _closest_approach_sq(ax, ay, wx, uy, leg_h)
        detected |= d2 <= radius_km * radius_km
    return int(detected.sum())


def simulate_barrier_patrol(
    *,
    barrier_km: float,
    sweep_width_km: float,
    target_speed_kmh: float,
    searcher_speed_kmh: float,
    searchers: int = 1,
    pattern: Pattern = "back_and_forth",
    track_angle_sd_deg: float = 0.0,
    transits: int = 100_000,
    seed: int = 0,
    block: int = DEFAULT_BLOCK,
) -> McEstimate:
    """Share of submarine transits detected by a barrier patrol (see module docstring).

    Each of ``searchers`` patrols its own sub-barrier of length ``barrier_km /
    searchers``; a transit crosses at a uniform position and time, perpendicular
    to the barrier unless ``track_angle_sd_deg`` > 0 (normal spread of the track
    angle, a departure from the formulas' assumptions).
    """
    length = float(check_positive("barrier_km", barrier_km))
    width = float(check_positive("sweep_width_km", sweep_width_km))
    u = float(check_positive("target_speed_kmh", target_speed_kmh))
    v = float(check_positive("searcher_speed_kmh", searcher_speed_kmh))
    check_positive("track_angle_sd_deg", track_angle_sd_deg, allow_zero=True)
    if searchers < 1:
        raise ModelError(f"searchers: expected at least 1, found {searchers}")
    sub = length / searchers
    detected = sum(
        _barrier_block(rng, size, sub, width / 2.0, u, v, track_angle_sd_deg, pattern)
        for rng, size in _generators(seed, transits, block)
    )
    return McEstimate(transits=transits, detected=detected, seed=seed)


def _random_search_block(
    rng: np.random.Generator,
    size: int,
    zone: tuple[float, float],
    radius_km: float,
    leg_km: float,
    legs: int,
) -> int:
    length, depth = zone
    target = rng.uniform((0.0, 0.0), (length, depth), (size, 1, 2))
    start = rng.uniform((0.0, 0.0), (length, depth), (size, legs, 2))
    heading = rng.uniform(0.0, 2.0 * math.pi, (size, legs))
    ex, ey = np.cos(heading), np.sin(heading)
    mid = start + leg_km / 2.0 * np.stack([ex, ey], axis=-1)
    rel = target - mid
    rel[..., 0] -= length * np.round(rel[..., 0] / length)  # nearest image on the torus
    rel[..., 1] -= depth * np.round(rel[..., 1] / depth)
    along = rel[..., 0] * ex + rel[..., 1] * ey
    across = rel[..., 0] * ey - rel[..., 1] * ex
    hit = (np.abs(along) <= leg_km / 2.0) & (np.abs(across) <= radius_km)
    return int(hit.any(axis=1).sum())


def simulate_random_search(
    *,
    zone_length_km: float,
    zone_depth_km: float,
    sweep_width_km: float,
    search_speed_kmh: float,
    time_h: float,
    legs: int = 1_000,
    transits: int = 50_000,
    seed: int = 0,
    block: int = 1_024,
) -> McEstimate:
    """Share of transits detected by random search of a zone ``length x depth``.

    The searcher's track ``v t`` is cut into ``legs`` legs, each placed and
    oriented at random; as ``legs`` grows the result tends to
    ``1 - exp(-W v t / A)`` (exactly ``1 - (1 - W l / A)^legs`` with ``l = v t / legs``).
    """
    length = float(check_positive("zone_length_km", zone_length_km))
    depth = float(check_positive("zone_depth_km", zone_depth_km))
    width = float(check_positive("sweep_width_km", sweep_width_km))
    v = float(check_positive("search_speed_kmh", search_speed_kmh, allow_zero=True))
    t = float(check_positive("time_h", time_h, allow_zero=True))
    if legs < 1:
        raise ModelError(f"legs: expected at least 1, found {legs}")
    leg_km = v * t / legs
    if leg_km + width >= min(length, depth) / 2.0:
        raise ModelError(
            f"legs: each leg ({leg_km:g} km) plus the sweep width must be under half the zone; "
            "use more legs"
        )
    check_probability("coverage", min(1.0, width * leg_km / (length * depth)))
    detected = sum(
        _random_search_block(rng, size, (length, depth), width / 2.0, leg_km, legs)
        for rng, size in _generators(seed, transits, block)
    )
    return McEstimate(transits=transits, detected=detected, seed=seed)
