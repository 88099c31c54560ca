"""Fixtures of the capability tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def bundled():
    """The bundled, validated dataset."""
    from alliance.data import load_dataset

    return load_dataset()
