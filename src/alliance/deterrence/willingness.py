"""The logit-normal willingness of allies: the location that gives a stated mean."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = ["logit_normal_location"]


@lru_cache(maxsize=1)
def _gauss_hermite_rule() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """64-node probabilists' Gauss-Hermite rule, weights normalised to the N(0, 1) density."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(64)
    return nodes, weights / math.sqrt(2.0 * math.pi)


_LOGIT_LIMIT = 30.0
_GRID_POINTS = 6001  # logit step 0.005 on [-30, 0]


@lru_cache(maxsize=32)
def _location_grid(sd: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Logit(mean) grid on [-30, 0] and the matching logit-normal locations (Newton)."""
    logits = np.linspace(-_LOGIT_LIMIT, 0.0, _GRID_POINTS)
    m = 1.0 / (1.0 + np.exp(-logits))
    nodes, weights = _gauss_hermite_rule()
    shocks = sd * nodes
    eta = logits * math.sqrt(1.0 + math.pi * sd * sd / 8.0)  # probit approximation
    for _ in range(100):
        s = 1.0 / (1.0 + np.exp(-(eta[:, None] + shocks)))
        step = (s @ weights - m) / np.maximum((s * (1.0 - s)) @ weights, 1e-300)
        eta = eta - np.clip(step, -2.0, 2.0)
        if float(np.max(np.abs(step))) < 1e-11:
            break
    return logits, eta


def logit_normal_location(mean: npt.ArrayLike, sd: float) -> npt.NDArray[np.float64]:
    """Location ``eta`` such that ``E[sigmoid(eta + sd * Z)] = mean`` for ``Z ~ N(0, 1)``.

    The willingness of an ally in a draw is ``sigmoid(eta + sd * z_mood)``: a
    logit-normal variable whose mean is the willingness mean ``mean`` (a
    probability, clipped to [1e-13, 1 - 1e-13]). Solved once per ``sd`` by Newton's
    method with a 64-node Gauss-Hermite rule on a grid of logit(mean) (step 0.005)
    and interpolated linearly (error below 1e-5 in the mean); uses the symmetry
    ``eta(1 - m) = -eta(m)``. Exact (``logit(mean)``) when ``sd`` is 0.
    """
    m = np.asarray(mean, dtype=np.float64)
    logit: npt.NDArray[np.float64] = np.clip(np.log(m) - np.log1p(-m), -_LOGIT_LIMIT, _LOGIT_LIMIT)
    if sd <= 0.0:
        return logit
    grid, eta = _location_grid(float(sd))
    return np.asarray(np.sign(logit) * -np.interp(-np.abs(logit), grid, eta))
