"""Issue 14: key findings, status and source, per-ally data, downloads, map, size."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pandas as pd

from alliance.assess import summarise
from alliance.assessment import Assessment
from alliance.data import Dataset
from alliance.report import render_report
from alliance.report.allies import STATUSES, ally_cards, spending_status
from alliance.report.build import PLOT_CONFIG, _coinciding, gap_tables, key_findings
from alliance.report.natural_earth import decode_arcs, load_nato_map, simplify
from alliance.report.takeaway import DOWNLOAD_TABLES, csv_downloads, download_tables

#: The report must stay under this size with all four built-in scenarios [bytes].
MAX_REPORT_BYTES = 2_000_000


def _json_script(html: str, element_id: str) -> Any:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>',
                      html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_the_report_of_every_scenario_is_under_2_mb(
    dataset: Dataset, assessments: dict[str, Assessment]
) -> None:
    runs = list(assessments.values())
    html = render_report(runs, summarise(runs), dataset)
    size = len(html.encode("utf-8"))
    assert size < MAX_REPORT_BYTES, f"report is {size / 1e6:.2f} MB"
    assert 'id="plotly-gz"' in html  # the partial bundle, compressed (test_report_html)


def test_three_key_findings_lead_and_assumptions_are_labelled(report: dict[str, Any]) -> None:
    findings = key_findings(report["summary"])
    assert [f["id"] for f in findings] == ["finding-deterrence", "finding-gaps", "finding-pledges"]
    html = report["html"]
    assert html.index('id="findings"') < html.index('id="summary"')
    assert html.index('id="fig-lead"') < html.index('id="summary"')
    paths = {s["scenario"]: s["spending"]["path"] for s in report["summary"]["scenarios"].values()}
    pledge = findings[2]
    if any(p in ("hague", "national") for p in paths.values()):
        assert pledge["assumption"] and "assumption" in pledge["assumption"]
    else:
        assert pledge["assumption"] is None


def test_a_finding_under_a_frozen_path_is_not_called_an_assumption(
    report: dict[str, Any]
) -> None:
    summary = json.loads(json.dumps(report["summary"]))
    for s in summary["scenarios"].values():
        s["spending"]["path"] = "frozen"
    assert key_findings(summary)[2]["assumption"] is None


def test_spending_status_reads_the_data_and_calls_the_rest_projection(
    dataset: Dataset, assessments: dict[str, Assessment]
) -> None:
    allies = assessments["baseline"].spending.allies
    st = spending_status(allies, dataset)
    assert set(st["status"]) <= set(STATUSES)
    projected = st[~allies["is_actual"].to_numpy(dtype=bool)]
    assert (projected["status"] == "projection").all()
    # a data year carries the status and source of its row in the bundled table
    table = dataset.table("defence_expenditure").set_index(["iso3", "year"])
    actual = st[allies["is_actual"].to_numpy(dtype=bool)].head(40)
    for r in actual.itertuples():
        if (r.iso3, r.year) in table.index and "status" not in allies.columns:
            assert r.status == table.loc[(r.iso3, r.year), "status"]
            assert r.source == table.loc[(r.iso3, r.year), "source"]


def test_every_ally_has_a_card_with_sourced_spending(
    dataset: Dataset, assessments: dict[str, Assessment]
) -> None:
    runs = [assessments["baseline"], assessments["europe-alone"]]
    cards = ally_cards(runs, dataset, 2030)
    allies = set(dataset.table("allies")["iso3"])
    assert set(cards["allies"]) == allies
    deu = cards["allies"]["DEU"]
    assert deu["name"] == "Germany"
    assert deu["data_years"], "Germany has data years"
    for year, _share, _musd, status, source in deu["data_years"]:
        assert status in ("actual", "estimate", "provisional") and source is not None, year
        assert cards["sources"][source]
    first, shares, _ = deu["scenarios"]["europe-alone"]["projection"]
    assert first is not None and len(shares) > 0
    assert deu["scenarios"]["baseline"]["pledges"].keys() >= {"core_pledge_met_year"}
    assert len(cards["columns"]["holdings"]) == len(deu["holdings"][0])


def test_the_page_embeds_the_cards_and_the_map(report: dict[str, Any]) -> None:
    page = _json_script(report["html"], "page-json")
    countries = page["map"]["geometry"]["countries"]
    assert set(page["cards"]["allies"]) <= set(countries), "every ally is on the map"
    assert page["scenarios"] == ["baseline", "europe-alone"]
    assert page["map"]["status"]["baseline"]["DEU"].keys() >= {"core_year", "us_made_share_pct"}


def test_each_csv_download_equals_its_table(report: dict[str, Any]) -> None:
    embedded = _json_script(report["html"], "csv-json")
    tables = download_tables(report["assessments"])
    assert set(embedded) == {n for n in DOWNLOAD_TABLES if n in tables}
    for name, text in embedded.items():
        back = pd.read_csv(io.StringIO(text))
        expected = tables[name].reset_index(drop=True)
        assert list(back.columns) == list(expected.columns), name
        assert len(back) == len(expected), name
        pd.testing.assert_frame_equal(back, pd.read_csv(io.StringIO(
            expected.to_csv(index=False))), check_dtype=False, obj=name)
    assert csv_downloads({}) == []


def test_cite_block_and_summary_download(report: dict[str, Any]) -> None:
    html = report["html"]
    assert 'id="cite"' in html and 'id="cite-text"' in html
    summary = report["summary"]
    assert f"seed {summary['seed']}" in html
    assert _json_script(html, "summary-json")["draws"] == summary["draws"]
    for anchor in ('href="#table-compliance"', 'href="#figure-risk"', 'href="#table-gaps"'):
        assert anchor in html


def test_no_cloud_button_and_tables_scroll_in_wrappers(report: dict[str, Any]) -> None:
    assert PLOT_CONFIG["displaylogo"] is False
    assert "sendDataToCloud" in PLOT_CONFIG["modeBarButtonsToRemove"]
    html = report["html"]
    starts = [m.start() for m in re.finditer('<table[^>]* id="table-', html)]
    assert len(starts) >= 5
    for i in starts:  # every report table sits directly in its own scrolling wrapper
        assert html[:i].rstrip().endswith('<div class="table-wrap">'), html[i - 80:i + 60]


def test_an_empty_gap_chart_says_so(assessments: dict[str, Assessment]) -> None:
    tables = {t["scenario"]: t for t in gap_tables(list(assessments.values()))}
    for name, t in tables.items():
        a = assessments[name]
        assert t["empty"] == (not (a.gaps["gap"].fillna(0) > 0).any())
        assert len(t["rows"]) == a.gaps["capability"].nunique()


def test_identical_lines_are_found() -> None:
    groups = _coinciding({"a": (1.0, 2.0), "b": (1.0, 2.0), "c": (1.0, 3.0),
                          "d": (1.0, 3.0 + 1e-12)})
    assert sorted(sorted(g) for g in groups) == [["a", "b"], ["c", "d"]]
    assert _coinciding({"a": (1.0,), "b": (2.0,)}) == []


def test_map_geometry_decodes_and_simplifies() -> None:
    topology = {"transform": {"scale": [1.0, 1.0], "translate": [10.0, 20.0]},
                "arcs": [[[0, 0], [2, 0], [0, 3]]]}
    assert decode_arcs(topology) == [[(10.0, 20.0), (12.0, 20.0), (12.0, 23.0)]]
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (3.0, 5.0)]
    assert simplify(line, 0.1) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0)]
    ring = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 0.0)]  # closed: first == last
    assert len(simplify(ring, 0.5)) >= 3
    bundled = load_nato_map()
    assert "Natural Earth" in bundled["source"]
    assert all(c["d"].startswith("M") for c in bundled["countries"].values())
