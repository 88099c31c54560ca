"""The GIUK gap anti-submarine barrier (Arctic Sentry): formulas, transit simulation, stage.

See ``docs/asw.md`` for the model in maths, its assumptions and sources.
"""

from alliance.asw.formulas import (
    back_and_forth_barrier_p,
    combine_independent,
    coverage_ratio,
    koopman_barrier_p,
    random_search_p,
)
from alliance.asw.simulation import McEstimate, simulate_barrier_patrol, simulate_random_search
from alliance.asw.stage import AswResult, asw_barrier

__all__ = [
    "AswResult",
    "McEstimate",
    "asw_barrier",
    "back_and_forth_barrier_p",
    "combine_independent",
    "coverage_ratio",
    "koopman_barrier_p",
    "random_search_p",
    "simulate_barrier_patrol",
    "simulate_random_search",
]
