"""alliance: an open, sourced model of the NATO alliance under a reduced US commitment.

Stages (pure functions of a Dataset and a Scenario, returning tidy DataFrames):
spending -> capabilities -> planning and deterrence. See docs/architecture.md.
"""

from alliance.data import Dataset, load_dataset
from alliance.errors import AllianceError, DataValidationError, ModelError, ScenarioError
from alliance.scenario import Scenario, apply_overrides, builtin_scenario_names, load_scenario
from alliance.spending import SpendingResult, spending_for

__all__ = [
    "AllianceError",
    "DataValidationError",
    "Dataset",
    "ModelError",
    "Scenario",
    "ScenarioError",
    "SpendingResult",
    "apply_overrides",
    "builtin_scenario_names",
    "load_dataset",
    "load_scenario",
    "spending_for",
]

__version__ = "0.1.0"
