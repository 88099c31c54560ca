"""alliance: an open, sourced model of the NATO alliance under a reduced US commitment.

Stages (pure functions of a Dataset and a Scenario, returning tidy DataFrames):
spending -> capabilities -> planning -> deterrence, run in order by
:mod:`alliance.assessment`. See docs/architecture.md.

The names below load on first use (PEP 562), so that ``import alliance.scenario``
and ``alliance --help`` do not pay for pandas, DuckDB and SciPy.
"""

from importlib import import_module
from typing import Any

__all__ = [
    "AllianceError",
    "Assessment",
    "DataValidationError",
    "Dataset",
    "ModelError",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "SpendingResult",
    "apply_overrides",
    "assess_scenario",
    "builtin_scenario_names",
    "load_dataset",
    "load_scenario",
    "spending_for",
]

__version__ = "0.1.0"

#: Public name -> module that defines it.
_HOME: dict[str, str] = {
    "AllianceError": "alliance.errors",
    "Assessment": "alliance.assessment",
    "DataValidationError": "alliance.errors",
    "Dataset": "alliance.data",
    "ModelError": "alliance.errors",
    "RunSettings": "alliance.assessment",
    "Scenario": "alliance.scenario",
    "ScenarioError": "alliance.errors",
    "SpendingResult": "alliance.spending",
    "apply_overrides": "alliance.scenario",
    "assess_scenario": "alliance.assessment",
    "builtin_scenario_names": "alliance.scenario",
    "load_dataset": "alliance.data",
    "load_scenario": "alliance.scenario",
    "spending_for": "alliance.spending",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    if name not in _HOME:
        msg = f"module 'alliance' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
