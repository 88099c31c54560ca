"""Requirements do not depend on the holdings a run reads (issue 10, item 1), on the bundled data.

A user's overlay adding 22 frigates and 600 guns used to leave the gaps at 20
and 700 (the requirement was holdings + need). Now the requirement is fixed by
the frozen baseline, the US inventory and the studies, so the same overlay
lowers the europe-alone gaps by 22 and 600 (non-US-made kit, readiness 1) and
leaves the requirement where it was.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alliance.capabilities import baseline_table, capability_gaps
from alliance.data import Dataset, load_dataset
from alliance.scenario import load_scenario

ADDED = {"frigate_destroyer": ("FRA", 22.0), "artillery_155mm_sp_and_mlrs": ("POL", 600.0)}


def _overlay(dataset: Dataset, folder: Path) -> Path:
    holdings = dataset.table("capability_holdings")
    rows = []
    for area, (holder, quantity) in ADDED.items():
        row = holdings[(holdings["capability"] == area) & holdings["counted"].astype(bool)
                       & (holdings["us_made"] == False)].iloc[0].copy()  # noqa: E712
        row["record_id"] = f"TEST.{area}.added"
        row["holder"] = row["iso3"] = holder
        row["quantity"] = quantity
        rows.append(row)
    folder.mkdir()
    pd.DataFrame(rows).to_csv(folder / "capability_holdings.csv", index=False)
    return folder


def test_an_overlay_of_holdings_moves_the_gap_not_the_requirement(
    dataset: Dataset, tmp_path: Path
) -> None:
    sc = load_scenario("europe-alone")
    before = capability_gaps(dataset, sc)
    after = capability_gaps(load_dataset(str(_overlay(dataset, tmp_path / "ov"))), sc)
    for area, (_, quantity) in ADDED.items():
        b = before[(before["capability"] == area) & (before["year"] == 2030)].iloc[0]
        a = after[(after["capability"] == area) & (after["year"] == 2030)].iloc[0]
        assert a["requirement"] == pytest.approx(b["requirement"])
        assert a["european_holdings"] == pytest.approx(b["european_holdings"] + quantity)
        assert a["gap"] == pytest.approx(max(0.0, b["gap"] - quantity))
        assert a["gap"] < b["gap"] or b["gap"] == 0


def test_bundled_baseline_is_the_bundled_holdings(dataset: Dataset) -> None:
    """Consistency check: the frozen baseline equals what scripts/build_capability_baseline.py
    computes from the bundled holdings (rerun the script after rebuilding the holdings)."""
    expected = baseline_table(dataset.table("capability_holdings"))
    bundled = dataset.table("capability_baseline")
    bundled = bundled.sort_values(["capability", "holder"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(bundled[expected.columns], expected, check_dtype=False)
