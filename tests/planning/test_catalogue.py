"""The bundled systems catalogue and its build script."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from alliance.catalogue import capability_catalogue

REPO = Path(__file__).resolve().parents[2]
#: Raw data, in the shared folder next to the repository when it is checked out.
SHARED = REPO.parent / "shared" / "data"


def _table(name: str) -> pd.DataFrame:
    with resources.as_file(resources.files("alliance.data") / "tables" / name) as p:
        return pd.read_csv(p)


def test_catalogue_columns_and_rules() -> None:
    """Required columns, known capabilities, one canonical row per capability and origin."""
    df = _table("systems.csv")
    for col in (
        "system",
        "capability",
        "us_made",
        "unit_cost_musd",
        "unit_cost_basis",
        "annual_production_rate_units",
        "lead_time_years",
        "capability_units_per_system",
        "source",
        "source_grade",
        "derived",
    ):
        assert col in df.columns
    catalogue = capability_catalogue()
    assert set(df["capability"]) <= set(catalogue.code_names)
    # the plan buys by area: every system's area must be one the LP can buy
    assert {catalogue.area_of(c) for c in df["capability"]} <= set(catalogue.plannable_areas)
    assert df["source"].str.startswith("http").all()
    canon = df[df["canonical"]]
    assert not canon.duplicated(["capability", "us_made"]).any()
    assert canon["unit_cost_musd"].notna().all()
    schema = _table("../schema/systems.csv")
    assert list(schema["column"]) == list(df.columns)


@pytest.mark.skipif(not SHARED.exists(), reason="shared raw data not available")
def test_build_script_is_reproducible(tmp_path: Path) -> None:
    """Rebuilding from ../shared gives the bundled bytes."""
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_systems.py"),
            str(SHARED),
            "--out",
            str(tmp_path),
        ],
        check=True,
    )
    bundled = REPO / "src" / "alliance" / "data" / "tables"
    for name in ("systems.csv", "fx_rates.csv"):
        assert (tmp_path / name).read_bytes() == (bundled / name).read_bytes()
