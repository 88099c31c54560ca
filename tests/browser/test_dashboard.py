"""The dashboard in a real browser: levers, permalink, stale requests, phone layout, offline.

One server (and its stage cache) and one browser serve the whole module. The
pages ask for 2,000 draws through the URL (the permalink mechanism) to keep
the tests fast; the default (20,000, as the report) is checked in tests/web.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import OfflinePage

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 180_000
DRAWS = 2000
#: A lever change whose stages are all cached must show within this bound [s].
CACHED_BOUND_S = 1.0

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _pct(p: float) -> str:
    return f"{100 * p:.1f} %"


def _open(offline: Callable[..., OfflinePage], server_url: str, query: str,
          viewport: dict[str, int] | None = None) -> OfflinePage:
    p = offline(viewport or {"width": 1440, "height": 1100}, server_url)
    p.page.goto(f"{server_url}/?draws={DRAWS}&{query}")
    p.page.wait_for_selector("body[data-state=ready]", timeout=TIMEOUT_MS)
    return p


def _move(p: OfflinePage, lever: str, value: str) -> None:
    p.page.eval_on_selector(
        f"#{lever}",
        f"el => {{ el.value = '{value}'; el.dispatchEvent(new Event('input'));"
        " el.dispatchEvent(new Event('change')); }",
    )


def _wait_new_answer(p: OfflinePage, seq: str | None) -> None:
    p.page.wait_for_function(
        f"document.body.dataset.seq !== '{seq}' && document.body.dataset.state === 'ready'",
        timeout=TIMEOUT_MS)


def test_moving_the_us_lever_updates_the_view(server_url: str,
                                              offline: Callable[..., OfflinePage]) -> None:
    p = _open(offline, server_url, "")
    before = p.page.inner_text("#headline-probe")
    assert p.page.inner_text("#badge") == "Under baseline"
    seq = p.page.get_attribute("body", "data-seq")
    _move(p, "us_commitment", "0")
    _wait_new_answer(p, seq)
    after = p.page.inner_text("#headline-probe")
    answer = httpx.post(f"{server_url}/api/assess", timeout=300, json={
        "scenario": "baseline", "draws": DRAWS, "us_commitment": 0.0}).json()
    summary = answer["summary"]
    assert after == _pct(summary["deterrence"]["report_year"]["p_probe"])
    assert after != before, "moving US commitment from full to none left P(probe) unchanged"
    assert p.page.inner_text("#headline-gaps") == (
        f"{summary['gaps']['open_gaps_report_year']} / {summary['gaps']['capabilities_assessed']}")
    assert p.page.inner_text("#badge").startswith("Modified from baseline")
    names = p.page.evaluate("document.getElementById('chart-risk').data.map(t => t.name || '')")
    assert any("unchanged" in n for n in names), "no ghost line of the unchanged scenario"
    assert "us_commitment=0" in p.page.evaluate("location.search")
    assert p.errors == [] and p.external == []
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_a_cached_lever_change_shows_within_the_bound(
        server_url: str, offline: Callable[..., OfflinePage]) -> None:
    p = _open(offline, server_url, "us_commitment=0.5")
    seq = p.page.get_attribute("body", "data-seq")
    _move(p, "us_commitment", "0.7")
    _wait_new_answer(p, seq)
    # back and forth between lever states seen before: every stage is reused. The best
    # of three changes is held to the bound, so a test worker running beside this one on
    # a 2-core machine does not decide the result.
    times = []
    for value in ("0.5", "0.7", "0.5"):
        seq = p.page.get_attribute("body", "data-seq")
        started = time.perf_counter()
        _move(p, "us_commitment", value)
        _wait_new_answer(p, seq)
        times.append(time.perf_counter() - started)
        assert "reused" in p.page.inner_text("#status")
    took = min(times)
    assert took < CACHED_BOUND_S + 0.15, f"cached lever change took {took:.2f} s"  # + debounce


def test_quick_changes_cancel_the_stale_requests(server_url: str,
                                                 offline: Callable[..., OfflinePage]) -> None:
    p = _open(offline, server_url, "")
    seq = p.page.get_attribute("body", "data-seq")
    for value in ("0.2", "0.35"):
        _move(p, "us_sustainment", value)
        p.page.wait_for_function("document.body.dataset.state === 'busy'", timeout=TIMEOUT_MS)
        p.page.wait_for_timeout(300)  # past the debounce: the request is on the wire
    _move(p, "us_sustainment", "0.45")
    _wait_new_answer(p, seq)
    assert int(p.page.get_attribute("body", "data-aborted") or 0) >= 1
    answer = httpx.post(f"{server_url}/api/assess", timeout=300, json={
        "scenario": "baseline", "draws": DRAWS, "us_sustainment": 0.45}).json()
    assert p.page.inner_text("#headline-probe") == _pct(
        answer["summary"]["deterrence"]["report_year"]["p_probe"])
    # while cancelled runs finish their current stage both slots can be busy: the page
    # is answered 429 and retries (Chromium logs each 429 as a failed resource)
    errors = [e for e in p.errors if "status of 429" not in e]
    assert errors == [] and p.external == []


def test_a_permalink_restores_the_levers_and_the_ally(
        server_url: str, offline: Callable[..., OfflinePage]) -> None:
    p = _open(offline, server_url, "scenario=europe-alone&pooled_share=0.3&ally=EST",
              {"width": 390, "height": 844})
    assert p.page.input_value("#scenario") == "europe-alone"
    assert p.page.input_value("#pooled_share") == "0.3"
    assert p.page.input_value("#draws") == str(DRAWS)
    assert p.page.inner_text("#badge").startswith("Modified from europe-alone")
    assert p.page.locator("#ally-card h3").inner_text().startswith("Estonia")
    width = p.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"dashboard is {width} px wide at 390 px"
    assert p.errors == [] and p.external == []
