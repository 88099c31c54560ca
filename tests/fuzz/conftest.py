"""Fuzz-suite configuration: the Hypothesis profile in force (``HYPOTHESIS_PROFILE``).

See tests/fuzz/_harness.py for the profiles (``ci`` by default, ``nightly`` for a
long scheduled run, ``dev``) and tests/fuzz/README.md for how to run them.
"""

from __future__ import annotations

import pytest

from tests.fuzz import _harness


def pytest_report_header(config: pytest.Config) -> str:
    """Name the fuzz profile in the session header."""
    return f"fuzz profile: {_harness.PROFILE} (HYPOTHESIS_PROFILE; ci, nightly, dev)"

