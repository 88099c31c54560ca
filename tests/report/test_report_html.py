"""The report: every section and chart present, text generated from the summary, offline."""

from __future__ import annotations

import base64
import gzip
import html
import re
from html.parser import HTMLParser
from typing import Any

from alliance.data import Dataset
from alliance.report.build import FIGURE_IDS, narrative
from alliance.scenario import parameter_table

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


def test_every_section_and_chart_is_present(report: dict[str, Any]) -> None:
    c = _parse(report["html"])
    for section in SECTIONS:
        assert section in c.ids, f"section #{section} missing"
    for fig in FIGURE_IDS:
        assert f"fig-{fig}" in c.ids, f"chart {fig} missing"
    assert {"table-compliance", "table-gaps", "table-headline", "findings", "allies",
            "cite", "nato-map", "ally-card"} <= c.ids
    # headline, Table 1, Table 2, per-scenario gap tables, vintages, parameters per
    # scenario, Ukraine shares and PURL members
    n = len(report["assessments"])
    assert c.tables >= 3 + n + 1 + n + 2  # later sections (mobility) add their own
    assert "ukraine" in c.ids


def test_report_is_self_contained(report: dict[str, Any]) -> None:
    text = report["html"]
    c = _parse(text)
    assert not [s for s in c.scripts if s.get("src")], "external script"
    assert not [link for link in c.links if (link.get("href") or "").startswith(("http", "//"))]
    # plotly.js (partial bundle) is inlined once, gzip-compressed and base64-encoded
    bundles = re.findall(r'<script type="text/plain" id="plotly-gz">(.*?)</script>', text, re.S)
    assert len(bundles) == 1, "plotly.js must be inlined exactly once"
    js = gzip.decompress(base64.b64decode(bundles[0])).decode("utf-8")
    assert "plotly.js (basic - minified)" in js[:200]
    assert text.count('class="fig-spec"') >= len(FIGURE_IDS)
    for fig in FIGURE_IDS:
        assert f'data-target="fig-{fig}"' in text


def _scenario(name: str, *, first_year: int = 2026, horizon: int = 2035) -> dict[str, Any]:
    """The parts of one scenario's summary that every narrative reads (edited per test)."""
    return {"scenario": name, "first_year": first_year, "horizon": horizon}


def _spending(ry: tuple[int, int], hz: tuple[int, int], missing: list[str],
              us_share: float | None, total_musd: float | None) -> dict[str, Any]:
    """ry: (allies at 3.5 %, allies at 2 %) in 2030; hz: (at 3.5 %, at 5 %) in 2035."""
    return {
        "allies_with_armed_forces": 31,
        "pledge_thresholds_pct": {"two_pct": 2.0, "core": 3.5, "related": 1.5, "total": 5.0},
        "report_year": {"year": 2030, "allies_at_3_5pct": ry[0], "allies_at_2pct": ry[1]},
        "horizon": {"year": 2035, "allies_at_3_5pct": hz[0], "allies_at_5pct": hz[1],
                    "us_share_pct": us_share, "nato_total_musd_current": total_musd},
        "allies_missing_core_by_horizon": missing,
    }


def _deterrence(ry: tuple[float, ...], peak: tuple[float, float, int], draws: int,
                seed: int) -> dict[str, Any]:
    """ry: (p_probe, se, p_undivided, se, p_fait_accompli, se) in 2030."""
    keys = ("p_probe", "p_probe_stderr", "p_undivided_response", "p_undivided_response_stderr",
            "p_fait_accompli", "p_fait_accompli_stderr")
    return {"report_year": {"year": 2030, **dict(zip(keys, ry, strict=True))},
            "peak_p_probe": peak[0], "peak_p_probe_stderr": peak[1], "peak_p_probe_year": peak[2],
            "draws": draws, "seed": seed}


def _gap(label: str, unit: str, gap: float | None, requirement: float | None,
         closure: int | None) -> dict[str, Any]:
    return {"label": label, "unit": unit, "gap_report_year": gap,
            "requirement_report_year": requirement, "closure_year": closure}


#: A hand-written summary with three scenarios that take every branch of the text.
HAND_SUMMARY: dict[str, Any] = {"scenarios": {
    "test-a": {
        **_scenario("test-a"),
        "spending": _spending((12, 31), (29, 7), ["Belgium", "Canada"], 55.04, 1_987_654.0),
        "gaps": {"report_year": 2030, "open_gaps_without_us_report_year": 9,
                 "capabilities_assessed": 16, "open_gaps_report_year": 4, "capabilities": [
                     _gap("main battle tanks", "vehicles", 420.0, 1400.0, 2032),
                     _gap("airborne early warning (AEW&C)", "aircraft", 6.5, 10.0, None),
                     _gap("long-range air defence", "batteries", 12.0, 80.0, 2029),
                     _gap("strategic airlift", "aircraft", 3.0, 100.0, 2027),
                     _gap("ISR aircraft", "aircraft", None, None, None),
                     _gap("HALE drones", "aircraft", 0.0, 5.0, 2026)]},
        "plan": {"total_cost_musd": 8_765.4, "horizon": 2035, "status": "optimal",
                 "capabilities_not_closed": ["aew_c", "hale_uav"], "last_closure_year": None},
        "deterrence": _deterrence((0.2346, 0.003, 0.5012, 0.0035, 0.0812, 0.0019),
                                  (0.3107, 0.0033, 2033), 20_000, 7),
    },
    "test-b": {
        **_scenario("test-b"),
        "spending": _spending((31, 31), (31, 31), [], None, None),
        "gaps": {"report_year": 2030, "open_gaps_without_us_report_year": 0,
                 "capabilities_assessed": 16, "open_gaps_report_year": 0, "capabilities": [
                     _gap("main battle tanks", "vehicles", 0.0, 1400.0, 2026)]},
        "plan": {"total_cost_musd": 0.0, "horizon": 2035, "status": "time_limit",
                 "capabilities_not_closed": [], "last_closure_year": 2031},
        "deterrence": _deterrence((0.1, 0.001, 0.7, 0.002, 0.02, 0.0005),
                                  (0.12, 0.001, 2026), 4096, 20250624),
    },
    "test-c": {
        **_scenario("test-c"),
        "spending": _spending((20, 31), (30, 0), ["Spain"], 60.0, 1_500_000.0),
        "gaps": {"report_year": 2030, "open_gaps_without_us_report_year": 2,
                 "capabilities_assessed": 16, "open_gaps_report_year": 0, "capabilities": []},
        "plan": {"total_cost_musd": 12_345.0, "horizon": 2035, "status": "optimal",
                 "capabilities_not_closed": [], "last_closure_year": 2026},
        "deterrence": _deterrence((0.1, 0.001, 0.7, 0.002, 0.02, 0.0005),
                                  (0.12, 0.001, 2026), 4096, 20250624),
    },
}}

#: The text of HAND_SUMMARY, written out by hand from the numbers above.
HAND_TEXT: dict[str, dict[str, str]] = {
    "test-a": {
        "spending": "Under test-a, 12 of 31 allies with armed forces spend 3.5 % of GDP on core "
        "defence by 2030 and 29 by 2035; 7 reach the 5 % total pledge by 2035. In 2030, 31 "
        "meet the 2 % floor. 2 allies miss 3.5 % in 2035: Belgium and Canada. The US pays "
        "55.0 % of NATO's USD 1,988 bn (current prices) in 2035.",
        "gaps": "Without any US contribution, 9 of 16 capability areas fall short of the "
        "requirement in 2030; with the US contribution this scenario assumes, 4 do. Largest "
        "relative gaps: the airborne early warning (AEW&C) gap is 6.5 aircraft in 2030 before "
        "the plan's deliveries, and it is still open in 2035 with the plan; the main battle "
        "tanks gap is 420 vehicles in 2030 before the plan's deliveries, and the plan closes it "
        "in 2032; the long-range air defence gap is 12 batteries in 2030 before the plan's "
        "deliveries, and the plan closes it in 2029.",
        "plan": "The cheapest plan that closes the gaps fastest costs USD 8.8 bn (constant 2025 "
        "prices) up to 2035; 2 gaps stay open in 2035: airborne early warning (AEW&C) and HALE "
        "drones.",
        "deterrence": "In 2030 the adversary probes in 23.5 % (± 0.6) of simulated crises; the "
        "alliance answers undivided in 50.1 % (± 0.7) and a fait accompli follows in 8.1 % "
        "(± 0.4). The risk of a probe peaks at 31.1 % (± 0.6) in 2033 (20,000 draws, seed 7; "
        "± is the 95 % Monte Carlo interval).",
    },
    "test-b": {
        "spending": "Under test-b, 31 of 31 allies with armed forces spend 3.5 % of GDP on core "
        "defence by 2030 and 31 by 2035; 31 reach the 5 % total pledge by 2035. In 2030, 31 "
        "meet the 2 % floor. Every ally with armed forces reaches 3.5 % by 2035.",
        "gaps": "Without any US contribution, 0 of 16 capability areas fall short of the "
        "requirement in 2030; with the US contribution this scenario assumes, 0 do.",
        "plan": "The cheapest plan that closes the gaps fastest costs USD 0.0 bn (constant 2025 "
        "prices) up to 2035; the last gap closes in 2031, so the window of vulnerability runs "
        "to 2030. The solver reported 'time_limit': read these numbers with care.",
        "deterrence": "In 2030 the adversary probes in 10.0 % (± 0.2) of simulated crises; the "
        "alliance answers undivided in 70.0 % (± 0.4) and a fait accompli follows in 2.0 % "
        "(± 0.1). The risk of a probe peaks at 12.0 % (± 0.2) in 2026 (4,096 draws, seed "
        "20250624; ± is the 95 % Monte Carlo interval).",
    },
    "test-c": {
        "spending": "Under test-c, 20 of 31 allies with armed forces spend 3.5 % of GDP on core "
        "defence by 2030 and 30 by 2035; 0 reach the 5 % total pledge by 2035. In 2030, 31 "
        "meet the 2 % floor. 1 ally misses 3.5 % in 2035: Spain. The US pays 60.0 % of "
        "NATO's USD 1,500 bn (current prices) in 2035.",
        "gaps": "Without any US contribution, 2 of 16 capability areas fall short of the "
        "requirement in 2030; with the US contribution this scenario assumes, 0 do.",
        "plan": "The cheapest plan that closes the gaps fastest costs USD 12 bn (constant 2025 "
        "prices) up to 2035; no gap is open in 2026 or later.",
        "deterrence": "In 2030 the adversary probes in 10.0 % (± 0.2) of simulated crises; the "
        "alliance answers undivided in 70.0 % (± 0.4) and a fait accompli follows in 2.0 % "
        "(± 0.1). The risk of a probe peaks at 12.0 % (± 0.2) in 2026 (4,096 draws, seed "
        "20250624; ± is the 95 % Monte Carlo interval).",
    },
}


def test_narrative_of_a_hand_written_summary() -> None:
    """The text says exactly what a person reads off the numbers (written out by hand)."""
    text = narrative(HAND_SUMMARY)
    assert list(text) == list(HAND_TEXT)
    for name, parts in HAND_TEXT.items():
        assert text[name] == parts, name


def test_report_quotes_the_narrative_of_its_summary(report: dict[str, Any]) -> None:
    """Every sentence of the report's text is in the page, and it is built from the summary."""
    page = html.unescape(report["html"])
    text = narrative(report["summary"])
    assert list(text) == list(report["summary"]["scenarios"])
    for name, parts in text.items():
        assert set(parts) == {"spending", "gaps", "plan", "deterrence"}
        for key, sentence in parts.items():
            assert sentence in page, f"{name}/{key} text not in report"


def test_assumptions_list_every_parameter(report: dict[str, Any]) -> None:
    page = html.unescape(report["html"])
    for a in report["assessments"]:
        for row in parameter_table(a.scenario):
            assert row["parameter"] in page


def test_sources_list_every_url(report: dict[str, Any], dataset: Dataset) -> None:
    page = html.unescape(report["html"])
    for name in dataset.table_names():
        frame = dataset.table(name)
        for col in (c.name for c in dataset.schemas[name].columns if c.type == "url"):
            if col in frame.columns:
                for url in frame[col].dropna().astype(str).str.strip().unique():
                    if url:
                        assert url in page, f"{name}.{col}: {url} not listed"
