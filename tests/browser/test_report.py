"""The report in a real browser, offline: phone layout, ally card, permalink, CSV download."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.browser.conftest import OfflinePage

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
TIMEOUT_MS = 30_000

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(offline: Callable[..., OfflinePage], report_dir: Path, viewport: dict[str, int],
          query: str = "") -> OfflinePage:
    p = offline(viewport)
    p.page.goto((report_dir / "report.html").as_uri() + query)
    p.page.wait_for_selector("body[data-ready='1']", timeout=TIMEOUT_MS)
    return p


def test_no_horizontal_scroll_at_phone_width(offline: Callable[..., OfflinePage],
                                            report_dir: Path) -> None:
    p = _open(offline, report_dir, PHONE)
    width = p.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width} px wide at 390 px"
    assert p.errors == [] and p.external == []


def test_the_ally_selector_opens_the_right_card(offline: Callable[..., OfflinePage],
                                                report_dir: Path) -> None:
    p = _open(offline, report_dir, DESKTOP)
    p.page.select_option("#ally-select", "POL")
    card = p.page.locator("#ally-card")
    assert card.is_visible()
    assert card.locator("h3").inner_text().startswith("Poland")
    assert "estimate" in card.inner_text() or "actual" in card.inner_text()
    assert p.page.locator("tr[data-iso3='POL'].selected").count() >= 1
    assert p.page.locator("#nato-map path[data-iso3='POL'].selected").count() == 1
    widths = p.page.evaluate(
        "document.getElementById('fig-spending-paths').data"
        ".filter(t => t.meta && t.meta.iso3 === 'POL').map(t => t.line.width)")
    assert widths and min(widths) == 3.5  # highlighted in Figure 1
    # clicking a country on the map selects it too
    p.page.locator("#nato-map path[data-iso3='DEU']").dispatch_event("click")
    assert card.locator("h3").inner_text().startswith("Germany")
    assert p.errors == [] and p.external == []


def test_a_permalink_restores_the_view(offline: Callable[..., OfflinePage],
                                       report_dir: Path) -> None:
    p = _open(offline, report_dir, DESKTOP)
    p.page.select_option("#scenario-select", "europe-alone")
    p.page.select_option("#ally-select", "FIN")
    link = p.page.evaluate("location.href")
    assert "scenario=europe-alone" in link and "ally=FIN" in link
    q = _open(offline, report_dir, DESKTOP, "?" + link.split("?", 1)[1])
    assert q.page.input_value("#scenario-select") == "europe-alone"
    assert q.page.input_value("#ally-select") == "FIN"
    assert q.page.locator("#ally-card h3").inner_text().startswith("Finland")
    shown = q.page.evaluate("document.querySelector('.gap-heat:not([hidden])').dataset.scenario")
    assert shown == "europe-alone"
    assert q.errors == [] and q.external == []


def test_a_csv_download_equals_its_parquet_table(offline: Callable[..., OfflinePage],
                                                 report_dir: Path) -> None:
    p = _open(offline, report_dir, DESKTOP)
    with p.page.expect_download() as info:
        p.page.click("#table-compliance a.download")
    download = info.value
    assert download.suggested_filename == "pledge_years.csv"
    got = pd.read_csv(io.BytesIO(Path(download.path()).read_bytes()))
    parquet = pd.read_parquet(report_dir / "pledge_years.parquet")
    expected = pd.read_csv(io.StringIO(parquet.to_csv(index=False)))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert p.errors == [] and p.external == []


def test_no_request_leaves_the_machine(chromium: Any, report_dir: Path,
                                       offline: Callable[..., OfflinePage]) -> None:
    p = _open(offline, report_dir, PHONE)
    p.page.hover("#fig-lead")  # hover a chart: the toolbar must not offer a cloud upload
    buttons = p.page.evaluate(
        "Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.dataset.title)")
    assert not [b for b in buttons if b and ("cloud" in b.lower() or "share" in b.lower())]
    assert not [b for b in buttons if b and "plotly" in b.lower()]
    assert p.external == [], p.external
