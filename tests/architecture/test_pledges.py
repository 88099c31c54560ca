"""Pledge thresholds come from the pledges table, so an overlay that moves a level moves
every pledge count (no 3.5 % written into the spending stage)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.data import Dataset, load_dataset
from alliance.scenario import load_scenario
from alliance.spending import pledge_thresholds, spending_for

#: The overlay's core level [percent of GDP], below the bundled Hague 3.5 %.
CORE_OVERLAY_PCT = 3.0

# Replaces pledge_id 5 (the Hague core row) by key; optional columns are omitted.
CORE_OVERLAY_CSV = (
    "pledge_id,actor,pledge,target_share_gdp_pct,target_year,pledge_level,source\n"
    '5,"NATO (Hague Summit, 25 Jun 2025)",Core defence requirements (test: 3.0 %),'
    f"{CORE_OVERLAY_PCT},2035,core,https://www.nato.int/cps/en/natohq/official_texts_236705.htm\n"
)


@pytest.fixture
def core_overlay(tmp_path: Path) -> Dataset:
    """The bundled data with the Hague core level at 3.0 % (a fresh folder: load_dataset
    caches per overlay path)."""
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "pledges.csv").write_text(CORE_OVERLAY_CSV, encoding="utf-8")
    return load_dataset(folder)


def test_overlay_replaces_the_core_row(dataset: Dataset, core_overlay: Dataset) -> None:
    bundled = dataset.table("pledges")
    changed = core_overlay.table("pledges")
    assert len(changed) == len(bundled)  # replaced by key, not added
    assert changed.loc[changed["pledge_id"] == 5, "target_share_gdp_pct"].tolist() == [3.0]
    assert pledge_thresholds(dataset)["core"] == 3.5
    assert pledge_thresholds(core_overlay) == {**pledge_thresholds(dataset), "core": 3.0}


def test_core_count_follows_the_pledges_table(dataset: Dataset, core_overlay: Dataset) -> None:
    scenario = load_scenario("baseline")
    bundled = spending_for(dataset, scenario)
    lowered = spending_for(core_overlay, scenario)
    assert bundled.thresholds["core"] == 3.5
    assert lowered.thresholds["core"] == CORE_OVERLAY_PCT

    counts = (
        bundled.aggregates.set_index("year")["allies_at_3_5pct"]
        .to_frame("bundled")
        .join(lowered.aggregates.set_index("year")["allies_at_3_5pct"].rename("lowered"))
    )
    more = counts[counts["lowered"] > counts["bundled"]]
    assert not more.empty, counts

    # The count is the allies at or above the table's level, from the projection itself.
    for year in (int(more.index[0]), 2030):
        shares = lowered.allies.loc[lowered.allies["year"] == year, "share_gdp_pct"].dropna()
        assert counts.loc[year, "lowered"] == int((shares >= CORE_OVERLAY_PCT - 1e-9).sum())
        # The other levels did not move with the overlay's core row.
        rows = lowered.allies.loc[lowered.allies["year"] == year]
        at = lowered.aggregates.set_index("year").loc[year]
        assert at["allies_at_2pct"] == int((rows["share_gdp_pct"].dropna() >= 2.0 - 1e-9).sum())
        total = rows["total_share_gdp_pct"].dropna()
        assert at["allies_at_5pct"] == int((total >= 5.0 - 1e-9).sum())
