"""Holdings you can cite: grades, sources, one count per holding, every area covered.

Data tests on the bundled ``capability_holdings`` table and the curated inputs of
``scripts/capability_data`` (no raw data needed).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from alliance.catalogue import capability_catalogue
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "scripts" / "capability_data"
EUROPEAN = ("ally", "europe_aggregate", "nato_common")
#: Areas without a USA_EUCOM / USA_TOTAL holdings row, and why (the model reads them elsewhere).
US_ELSEWHERE = {
    "troop_equivalents": "US troops in Europe and planned reinforcements are the us_posture table",
}
#: Sites the issue names as aggregators or reprint sites.
NAMED_AGGREGATORS = ("fakti.bg", "govconexec.com", "warnesysworld.com", "aeronewsjournal.com",
                     "newslanes.com", "yenisafak.com", "marketscreener.com", "oxfordmail.co.uk")


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return load_script("build_capability_data")


@pytest.fixture(scope="module")
def holdings(dataset) -> pd.DataFrame:
    h = dataset.table("capability_holdings").copy()
    h["area"] = h["capability"].map(capability_catalogue().area_of)
    return h


def test_every_counted_row_has_an_a_or_b_grade_and_no_aggregator_source(
        holdings: pd.DataFrame, build: ModuleType) -> None:
    counted = holdings[holdings["counted"]]
    assert set(counted["reliability"]) <= {"A", "B"}
    on_aggregator = counted[counted["source"].map(build.aggregator_of).notna()]
    assert on_aggregator.empty, on_aggregator["record_id"].tolist()
    assert set(NAMED_AGGREGATORS) <= set(build.AGGREGATORS)


def test_rows_on_aggregators_or_grade_c_are_kept_but_not_counted(holdings: pd.DataFrame) -> None:
    flagged = holdings[holdings["not_counted_reason"].str.contains("aggregator only", na=False)]
    assert len(flagged) >= 20
    assert (~flagged["counted"]).all()
    weak = holdings[holdings["reliability"] == "C"]
    assert (~weak["counted"]).all() and len(weak) > 0


def test_replaced_sources_keep_where_the_figure_was_read(holdings: pd.DataFrame) -> None:
    replaced = holdings[holdings["derived"].str.contains("source replaced", na=False)]
    assert len(replaced) >= 3
    assert (replaced["transcribed_from"].str.startswith("http")).all()
    assert (replaced["source"] != replaced["transcribed_from"]).all()
    c17 = replaced[(replaced["holder"] == "GBR") & (replaced["system_family"] == "C-17")].iloc[0]
    assert "oxfordmail" in c17["transcribed_from"] and bool(c17["counted"])


def test_in_service_and_ordered_never_both_count_for_one_holding(holdings: pd.DataFrame) -> None:
    counted = holdings[holdings["counted"]]
    assert (counted["quantity_basis"] == "in_service").all()
    review = pd.read_csv(CURATED / "holdings_review.csv", dtype=str)
    sub = review[review["action"] == "subfleet"]
    files = {"enablers": "enablers.csv", "second_pass": "enabler_holdings_second_pass.csv"}
    subfleets = {(files[f], int(r)) for f, r in zip(sub["file"], sub["row"], strict=True)}
    groups = counted.groupby(["holder", "capability", "system_family"])
    for key, group in groups:
        if len(group) > 1:
            rows = set(zip(group["raw_file"], group["raw_row"].astype(int), strict=True))
            assert rows <= subfleets, key


def test_every_area_has_european_and_us_rows_or_a_stated_reason(holdings: pd.DataFrame) -> None:
    for area in capability_catalogue().area_names:
        part = holdings[holdings["area"] == area]
        assert part["holder_kind"].isin(EUROPEAN).any(), area
        for holder in ("USA_EUCOM", "USA_TOTAL"):
            rows = part[part["holder"] == holder]
            if area in US_ELSEWHERE:
                assert rows.empty, (area, holder)
                continue
            assert len(rows) > 0, (area, holder)
            # a row without a counted figure says why
            if not rows["counted"].any():
                assert (rows["not_counted_reason"].str.len() > 0).all(), (area, holder)


def test_us_posture_carries_the_troops_the_holdings_leave_out(dataset) -> None:
    posture = dataset.table("us_posture")
    counted = posture[posture["counted"] & (posture["host"] == "EUR")]
    assert {"total", "reinforcement_planned"} <= set(counted["kind"])


def test_unknown_review_action_is_a_one_line_error(tmp_path: Path, build: ModuleType) -> None:
    bad = tmp_path / "holdings_review.csv"
    bad.write_text("file,row,action,value,source,transcribed_from,grade,reason\n"
                   "enablers,1,delete,,,,,x\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="unknown action 'delete'"):
        build.read_review(bad)
