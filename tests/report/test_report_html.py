"""The report: every section and chart present, text generated from summary.json, offline."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from alliance.report.build import FIGURE_IDS, fmt_bn, fmt_prob, narrative

SECTIONS = ("summary", "spending", "capabilities", "planning", "deterrence", "comparison",
            "assumptions", "models", "sources")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.tables = 0
        self.inline_script_sizes: list[int] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "script":
            self.scripts.append(a)
            self._in_script = True
            self.inline_script_sizes.append(0)
        if tag == "link":
            self.links.append(a)
        if tag == "table":
            self.tables += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script_sizes[-1] += len(data)


def _parse(text: str) -> _Collector:
    c = _Collector()
    c.feed(text)
    return c


def test_every_section_and_chart_is_present(assess_run: dict[str, Any]) -> None:
    c = _parse(assess_run["html"])
    for section in SECTIONS:
        assert section in c.ids, f"section #{section} missing"
    for fig in FIGURE_IDS:
        assert f"fig-{fig}" in c.ids, f"chart {fig} missing"
    assert "compliance" in c.ids
    assert c.tables >= 4


def test_report_is_self_contained(assess_run: dict[str, Any]) -> None:
    text = assess_run["html"]
    c = _parse(text)
    assert not [s for s in c.scripts if s.get("src")], "external script"
    assert not [link for link in c.links if (link.get("href") or "").startswith(("http", "//"))]
    big = [n for n in c.inline_script_sizes if n > 1_000_000]
    assert len(big) == 1, "plotly.js must be inlined exactly once"
    assert text.count("Plotly.newPlot") == len(FIGURE_IDS)


def test_text_is_generated_from_summary(assess_run: dict[str, Any]) -> None:
    summary, page = assess_run["summary"], html.unescape(assess_run["html"])
    for name, parts in narrative(summary).items():
        for key, sentence in parts.items():
            assert sentence in page, f"{name}/{key} text not in report"
        sc = summary["scenarios"][name]
        ry = sc["spending"]["report_year"]
        assert (f"{ry['allies_at_3_5pct']} of {sc['spending']['allies_with_armed_forces']} allies"
                in parts["spending"])
        assert fmt_bn(sc["plan"]["total_cost_musd"]) in parts["plan"]
        dr = sc["deterrence"]["report_year"]
        assert fmt_prob(dr["p_probe"], dr["p_probe_stderr"]) in parts["deterrence"]


def test_assumptions_list_every_parameter(assess_run: dict[str, Any]) -> None:
    from alliance.scenario import load_scenario, parameter_table

    page = html.unescape(assess_run["html"])
    for name in assess_run["summary"]["scenarios"]:
        for row in parameter_table(load_scenario(name)):
            assert row["parameter"] in page


def test_sources_list_every_url(assess_run: dict[str, Any]) -> None:
    from alliance.data import load_dataset

    ds = load_dataset()
    page = html.unescape(assess_run["html"])
    for name in ds.table_names():
        frame = ds.table(name)
        for col in (c.name for c in ds.schemas[name].columns if c.type == "url"):
            if col in frame.columns:
                for url in frame[col].dropna().astype(str).str.strip().unique():
                    if url:
                        assert url in page, f"{name}.{col}: {url} not listed"
