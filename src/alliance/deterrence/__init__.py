"""Deterrence: a crisis Monte Carlo of probes, alliance decisions and responses.

Public API (see docs/deterrence.md for the model and every parameter):

* :func:`simulate` - the vectorised Monte Carlo (NumPy; ``backend="jax"`` optional).
* :func:`simulate_reference` - the same model agent by agent (plain Python).
* :func:`simulate_draws` - per-draw outcomes, for inspection.
* :func:`sobol_sensitivity` - Sobol indices of the outcomes w.r.t. the levers.
* :func:`deterrence_context_from_scenario`, :func:`allies_with_gdp` - the input tables.
"""

from alliance.deterrence.engine import (
    HEADLINE_OUTPUTS,
    OUTPUT_COLUMNS,
    PROBABILITY_OUTPUTS,
    simulate,
    simulate_draws,
)
from alliance.deterrence.inputs import (
    ALLY_COLUMNS,
    CONTEXT_COLUMNS,
    allies_with_gdp,
    deterrence_context_from_scenario,
)
from alliance.deterrence.reference import simulate_reference
from alliance.deterrence.sensitivity import LEVERS, SENSITIVITY_OUTPUTS, sobol_sensitivity

__all__ = [
    "ALLY_COLUMNS",
    "CONTEXT_COLUMNS",
    "HEADLINE_OUTPUTS",
    "LEVERS",
    "OUTPUT_COLUMNS",
    "PROBABILITY_OUTPUTS",
    "SENSITIVITY_OUTPUTS",
    "allies_with_gdp",
    "deterrence_context_from_scenario",
    "simulate",
    "simulate_draws",
    "simulate_reference",
    "sobol_sensitivity",
]
