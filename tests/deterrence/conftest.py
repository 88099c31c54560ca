"""Fixtures of the deterrence tests: small, hand-built inputs (no dataset needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.deterrence.inputs import attach_forces
from alliance.params import DeterrenceParams
from tests.deterrence.deterrence_inputs import make_allies, make_forces


@pytest.fixture
def allies() -> pd.DataFrame:
    return make_allies()


@pytest.fixture
def crisis_context() -> pd.DataFrame:
    context = pd.DataFrame(
        {
            "year": [2026, 2035],
            "us_forces_in_place": [1.0, 0.0],
            "us_reinforcements": [1.0, 0.2],
            "capability_coverage": [0.8, 0.5],
        }
    )
    return attach_forces(context, make_forces([2026, 2035]))


@pytest.fixture
def params() -> DeterrenceParams:
    return DeterrenceParams()
