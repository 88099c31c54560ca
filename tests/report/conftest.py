"""The report of the shared small assessment (tests/conftest.py), rendered once per module."""

from __future__ import annotations

from typing import Any

import pytest

from alliance.assess import summarise
from alliance.assessment import Assessment
from alliance.data import Dataset
from alliance.report import render_report

#: The scenarios the report tests render (and `alliance assess` runs in test_assess.py).
SCENARIOS = ("baseline", "europe-alone")


@pytest.fixture(scope="module")
def report(dataset: Dataset, assessments: dict[str, Assessment]) -> dict[str, Any]:
    """Summary and HTML of the report of :data:`SCENARIOS` from the shared assessments."""
    runs = [assessments[name] for name in SCENARIOS]
    summary = summarise(runs)
    return {"summary": summary, "html": render_report(runs, summary, dataset),
            "assessments": runs}
