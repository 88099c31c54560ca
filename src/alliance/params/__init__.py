"""Parameter models of every stage: pure pydantic, importing nothing heavy.

A :class:`~alliance.scenario.Scenario` is composed from these sections; the
stages import them, never the reverse. Nothing here imports pandas, NumPy,
linopy, xarray, Dask or Plotly (a test checks).
"""

from alliance.params._base import Assumption, ParamsModel, format_value
from alliance.params.capabilities import (
    REQUIREMENT_SOURCES,
    CapabilityParams,
    RangeAssumption,
    RequirementAssumption,
    RequirementBasis,
)
from alliance.params.deterrence import BLOCK_DRAWS, PROBE_TYPES, DeterrenceParams, ProbeTypeParams
from alliance.params.mobility import BRIGADE_TYPES, PERMIT_REGIMES, MobilityParams, PermitRegime
from alliance.params.paths import FractionPath, SharePath, YearPath
from alliance.params.planning import POOLED_BUYER, PlanningParams
from alliance.params.spending import (
    PROJECTED_SPENDING_PATHS,
    SPENDING_PATHS,
    AllyOverride,
    SpendingAssumptions,
    SpendingPathName,
)
from alliance.params.ukraine import UKRAINE_LEVERS, UkraineLever, UkraineParams
from alliance.params.us_commitment import USCommitment

__all__ = [
    "BRIGADE_TYPES",
    "PERMIT_REGIMES",
    "MobilityParams",
    "PermitRegime",
    "BLOCK_DRAWS",
    "POOLED_BUYER",
    "PROBE_TYPES",
    "PROJECTED_SPENDING_PATHS",
    "REQUIREMENT_SOURCES",
    "SPENDING_PATHS",
    "UKRAINE_LEVERS",
    "AllyOverride",
    "Assumption",
    "CapabilityParams",
    "DeterrenceParams",
    "FractionPath",
    "ParamsModel",
    "PlanningParams",
    "ProbeTypeParams",
    "RangeAssumption",
    "RequirementAssumption",
    "RequirementBasis",
    "SharePath",
    "SpendingAssumptions",
    "SpendingPathName",
    "USCommitment",
    "UkraineLever",
    "UkraineParams",
    "YearPath",
    "format_value",
]
