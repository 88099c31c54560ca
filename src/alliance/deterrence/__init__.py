"""Deterrence: a crisis Monte Carlo of probes, alliance decisions and responses.

Public API (see docs/deterrence.md for the model and every parameter):

* :class:`DeterrenceParams` - the ``deterrence`` section of a scenario.
* :func:`simulate` - the vectorised Monte Carlo (NumPy; ``backend="jax"`` optional).
* :func:`simulate_reference` - the same model agent by agent (plain Python).
* :func:`simulate_draws` - per-draw outcomes, for inspection.
* :func:`sobol_sensitivity` - Sobol indices of the outcomes w.r.t. the levers.
* :func:`deterrence_context_from_scenario`, :func:`allies_with_gdp`,
  :func:`upstream_capability_coverage` - the input tables.
"""

from alliance.deterrence.engine import OUTPUT_COLUMNS, PROBABILITY_OUTPUTS, simulate, simulate_draws
from alliance.deterrence.params import (
    ALLY_COLUMNS,
    BLOCK_DRAWS,
    CONTEXT_COLUMNS,
    PROBE_TYPES,
    DeterrenceParams,
    ProbeTypeParams,
    allies_with_gdp,
    deterrence_context_from_scenario,
    upstream_capability_coverage,
)
from alliance.deterrence.reference import simulate_reference
from alliance.deterrence.sensitivity import LEVERS, SENSITIVITY_OUTPUTS, sobol_sensitivity

__all__ = [
    "ALLY_COLUMNS",
    "BLOCK_DRAWS",
    "CONTEXT_COLUMNS",
    "LEVERS",
    "OUTPUT_COLUMNS",
    "PROBABILITY_OUTPUTS",
    "PROBE_TYPES",
    "SENSITIVITY_OUTPUTS",
    "DeterrenceParams",
    "ProbeTypeParams",
    "allies_with_gdp",
    "deterrence_context_from_scenario",
    "simulate",
    "simulate_draws",
    "simulate_reference",
    "sobol_sensitivity",
    "upstream_capability_coverage",
]
