"""A TestClient over the dashboard app, shared by the API tests of a module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from alliance.data import Dataset
from alliance.web import create_app


@pytest.fixture(scope="module")
def client(dataset: Dataset) -> Iterator[TestClient]:
    """The dashboard app over the shared dataset."""
    with TestClient(create_app(dataset=dataset), raise_server_exceptions=False) as c:
        yield c
