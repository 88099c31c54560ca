"""Deterrence: a crisis Monte Carlo of probes, alliance decisions and responses."""

from alliance.deterrence.params import (
    BLOCK_DRAWS,
    PROBE_TYPES,
    DeterrenceParams,
    ProbeTypeParams,
    deterrence_context_from_scenario,
)

__all__ = [
    "BLOCK_DRAWS",
    "PROBE_TYPES",
    "DeterrenceParams",
    "ProbeTypeParams",
    "deterrence_context_from_scenario",
]
