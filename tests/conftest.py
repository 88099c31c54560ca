"""Fixtures shared by every test folder: the bundled dataset and one small assessment run.

Session scope: the dataset is validated once, and the built-in scenarios are
assessed once with a small, fixed configuration (:data:`SMALL_SETTINGS`) that the
golden results (tests/golden) also use.
"""

from __future__ import annotations

import pytest

from alliance.assess import run_assessments
from alliance.assessment import Assessment, RunSettings
from alliance.data import Dataset, load_dataset
from alliance.scenario import builtin_scenario_names

#: The small fixed configuration of the shared assessment and of the golden results.
SMALL_SETTINGS = RunSettings(draws=4096, seed=20250624)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The bundled tables, validated."""
    return load_dataset()


@pytest.fixture(scope="session")
def assessments(dataset: Dataset) -> dict[str, Assessment]:
    """Every built-in scenario assessed with :data:`SMALL_SETTINGS`, keyed by name."""
    runs = run_assessments(dataset, builtin_scenario_names(), SMALL_SETTINGS)
    return {a.scenario.name: a for a in runs}
