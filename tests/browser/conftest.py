"""A live dashboard server (uvicorn in a thread) and Debian's Chromium via Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from alliance.data import Dataset
from alliance.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(dataset: Dataset) -> Iterator[str]:
    """Serve the dashboard (over the shared dataset) on a free localhost port for a module."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(dataset=dataset), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Headless Debian Chromium; a missing browser is a failure (run `make browser`)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's Chromium (`make browser` or "
                    "`apt-get install -y chromium`); Playwright cannot download a browser here.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report_dir(dataset: Dataset, assessments: dict[str, object],
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``alliance assess`` outputs (report.html, Parquet tables) of baseline and europe-alone."""
    from alliance.assess import summarise, write_outputs
    from alliance.report import render_report
    from alliance.report.takeaway import download_tables

    runs = [assessments["baseline"], assessments["europe-alone"]]
    summary = summarise(runs)  # type: ignore[arg-type]
    out = tmp_path_factory.mktemp("report") / "out"
    # the tables the report embeds, written by alliance assess's own Parquet writer
    write_outputs(out, download_tables(runs), summary,  # type: ignore[arg-type]
                  render_report(runs, summary, dataset))  # type: ignore[arg-type]
    return out


class OfflinePage:
    """A Playwright page that aborts every request leaving the machine and records errors.

    Allowed: ``file:``, ``data:``, ``blob:`` and the test server (``allowed`` prefix).
    ``external`` lists the aborted URLs; ``errors`` console errors and page errors.
    """

    def __init__(self, browser: Any, viewport: dict[str, int], allowed: str = "") -> None:
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        local = ("file:", "data:", "blob:") + ((allowed,) if allowed else ())

        def route(r: Any) -> None:
            if r.request.url.startswith(local):
                r.continue_()
            else:
                self.external.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self) -> None:
        """Close the page's context."""
        self.context.close()


@pytest.fixture()
def offline(chromium: Any) -> Iterator[Callable[..., OfflinePage]]:
    """Make :class:`OfflinePage` objects; all are closed after the test."""
    made: list[OfflinePage] = []

    def make(viewport: dict[str, int], allowed: str = "") -> OfflinePage:
        page = OfflinePage(chromium, viewport, allowed)
        made.append(page)
        return page

    yield make
    for p in made:
        p.close()
