"""A real browser moves a lever on the dashboard and sees the API's answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 90_000


def _pct(p: float) -> str:
    return f"{100 * p:.1f} %"


@pytest.mark.browser
@pytest.mark.slow
def test_moving_the_us_lever_updates_the_headline(server_url: str, chromium: Any) -> None:
    page = chromium.new_page(viewport={"width": 1440, "height": 1100})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: errors.append(f"external request {req.url}")
            if not req.url.startswith(server_url) else None)
    page.goto(server_url + "/")
    page.wait_for_selector("body[data-state=ready]", timeout=TIMEOUT_MS)
    before = page.inner_text("#headline-probe")
    seq = page.get_attribute("body", "data-seq")
    draws = int(page.input_value("#draws"))
    scenario = page.input_value("#scenario")

    page.eval_on_selector(
        "#us_commitment",
        "el => { el.value = '0'; el.dispatchEvent(new Event('input'));"
        " el.dispatchEvent(new Event('change')); }",
    )
    page.wait_for_function(
        f"document.body.dataset.seq !== '{seq}' && document.body.dataset.state === 'ready'",
        timeout=TIMEOUT_MS,
    )
    after = page.inner_text("#headline-probe")

    answer = httpx.post(f"{server_url}/api/assess", timeout=120, json={
        "scenario": scenario, "draws": draws, "us_commitment": 0.0}).json()
    summary = answer["summary"]
    assert after == _pct(summary["deterrence"]["report_year"]["p_probe"])
    assert after != before, "moving US commitment from full to none left P(probe) unchanged"
    assert page.inner_text("#headline-gaps") == (
        f"{summary['gaps']['open_gaps_report_year']} / {summary['gaps']['capabilities_assessed']}")
    assert page.locator("#chart-risk .main-svg").count() > 0, "risk chart not drawn"
    assert not errors, errors

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.close()
