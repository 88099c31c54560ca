"""The API at the edge: one error shape, a body limit, 429 when busy, cancel on disconnect."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from alliance.data import Dataset
from alliance.errors import AllianceError, ScenarioError
from alliance.web import app as web_app

SMALL: dict[str, Any] = {"scenario": "baseline", "draws": 1000}


def _shape(r: Any) -> dict[str, Any]:
    body: dict[str, Any] = r.json()
    assert set(body) == {"message", "field"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert body["field"] is None or isinstance(body["field"], str)
    assert "Traceback" not in r.text
    return body


@pytest.fixture(scope="module")
def app(dataset: Dataset) -> FastAPI:
    return web_app.create_app(dataset=dataset)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_unknown_path_is_404_in_the_error_shape(client: TestClient) -> None:
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404
    assert _shape(r) == {"message": "Not Found", "field": None}


def test_wrong_method_is_405_in_the_error_shape_with_allow(client: TestClient) -> None:
    r = client.get("/api/assess")
    assert r.status_code == 405
    _shape(r)
    assert "POST" in r.headers["allow"]


def test_invalid_body_is_422_naming_the_field(client: TestClient) -> None:
    r = client.post("/api/assess", json={"scenario": "baseline", "draws": 5})
    assert r.status_code == 422
    assert _shape(r)["field"] == "draws"
    r = client.post("/api/assess", content=b"[1, 2", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    _shape(r)


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    big = json.dumps({"scenario": "x" * (web_app.MAX_BODY_BYTES + 10)}).encode()
    r = client.post("/api/assess", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert _shape(r)["field"] == "body"
    just_under = json.dumps({"scenario": "x" * 100}).encode()
    assert client.post("/api/assess", content=just_under,
                       headers={"Content-Type": "application/json"}).status_code == 422


def test_a_streamed_body_without_length_is_counted(client: TestClient) -> None:
    chunk = b" " * 16_384

    def body() -> Iterator[bytes]:
        for _ in range(6):  # 96 KiB, no Content-Length (chunked)
            yield chunk

    r = client.post("/api/assess", content=body(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    _shape(r)


def test_a_bad_content_length_is_400(app: FastAPI) -> None:
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/assess", "raw_path": b"/api/assess",
             "query_string": b"", "headers": [(b"content-length", b"lots")],
             "http_version": "1.1", "scheme": "http", "root_path": "",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1)}
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert messages[0]["status"] == 400
    body = json.loads(messages[1]["body"])
    assert body == {"message": "invalid Content-Length header", "field": "content-length"}


def test_a_scenario_error_names_its_field(monkeypatch: pytest.MonkeyPatch,
                                          client: TestClient) -> None:
    def explode(*_: Any, **__: Any) -> Any:
        raise ScenarioError(None, "planning.risk_weights", "a finite weight", "inf")

    monkeypatch.setattr(web_app, "assess_scenario", explode)
    r = client.post("/api/assess", json=SMALL)
    assert r.status_code == 400
    assert _shape(r)["field"] == "planning.risk_weights"


def test_a_crash_is_500_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                            client: TestClient) -> None:
    def crash(*_: Any, **__: Any) -> Any:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(web_app, "assess_scenario", crash)
    r = client.post("/api/assess", json=SMALL)
    assert r.status_code == 500
    assert _shape(r) == {"message": "internal error (ZeroDivisionError)", "field": None}


class _Blocking:
    """A stand-in for assess_scenario that holds its slot until released."""

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self.stages: list[str] = []
        self.raised: list[str] = []

    def __call__(self, _ds: Any, _sc: Any, _settings: Any, on_stage: Any = None,
                 cache: Any = None) -> Any:
        on_stage("spending")
        self.stages.append("spending")
        self.started.release()
        self.release.wait(10)
        try:
            on_stage("capabilities")
        except BaseException as exc:
            self.raised.append(type(exc).__name__)
            raise
        self.stages.append("capabilities")
        raise AllianceError("stand-in finished")


def test_health_answers_while_two_run_and_a_third_is_429(
        monkeypatch: pytest.MonkeyPatch, dataset: Dataset) -> None:
    fake = _Blocking()
    monkeypatch.setattr(web_app, "assess_scenario", fake)
    statuses: list[int] = []
    with TestClient(web_app.create_app(dataset=dataset), raise_server_exceptions=False) as c:
        def post() -> None:
            statuses.append(c.post("/api/assess", json=SMALL).status_code)

        runs = [threading.Thread(target=post) for _ in range(web_app.MAX_CONCURRENT)]
        try:
            for t in runs:
                t.start()
            for _ in runs:
                assert fake.started.acquire(timeout=10)
            t0 = time.perf_counter()
            health = c.get("/api/health")
            assert health.status_code == 200
            assert time.perf_counter() - t0 < 2.0
            third = c.post("/api/assess", json=SMALL)
            assert third.status_code == 429
            assert third.headers["retry-after"] == str(web_app.RETRY_AFTER_S)
            assert "busy" in _shape(third)["message"]
        finally:
            fake.release.set()
            for t in runs:
                t.join(10)
        assert statuses == [400] * web_app.MAX_CONCURRENT  # the stand-in's AllianceError
        after = c.post("/api/assess", json=SMALL)  # the slots are free again
        assert after.status_code == 400


def test_a_client_that_disconnects_cancels_its_run(
        monkeypatch: pytest.MonkeyPatch, dataset: Dataset) -> None:
    fake = _Blocking()
    monkeypatch.setattr(web_app, "assess_scenario", fake)
    app = web_app.create_app(dataset=dataset)
    scope = {"type": "http", "method": "POST", "path": "/api/assess", "raw_path": b"/api/assess",
             "query_string": b"", "headers": [(b"content-type", b"application/json")],
             "http_version": "1.1", "scheme": "http", "root_path": "",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1)}
    messages: list[dict[str, Any]] = []

    async def run() -> None:
        gone = asyncio.Event()
        body_sent = False

        async def receive() -> dict[str, Any]:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": json.dumps(SMALL).encode(),
                        "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        task = asyncio.create_task(app(scope, receive, send))  # type: ignore[arg-type]
        assert await asyncio.to_thread(fake.started.acquire, True, 10)
        gone.set()
        await asyncio.wait_for(task, 5)
        answered_during.append(fake.stages == ["spending"] and not fake.raised)
        fake.release.set()  # the first stage ends; the worker must not start the next

    answered_during: list[bool] = []
    slots = app.state.assess_slots
    try:
        asyncio.run(run())
    finally:
        fake.release.set()
    assert answered_during == [True]  # answered while the first stage still ran
    deadline = time.monotonic() + 5
    while not fake.raised and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake.raised == ["_ClientGone"]  # the next stage did not start
    assert fake.stages == ["spending"]
    assert messages[0]["status"] == 499
    deadline = time.monotonic() + 5
    free = 0
    while time.monotonic() < deadline:  # the slot comes back when the worker ends
        free = sum(slots.acquire(blocking=False) for _ in range(web_app.MAX_CONCURRENT))
        for _ in range(free):
            slots.release()
        if free == web_app.MAX_CONCURRENT:
            break
        time.sleep(0.01)
    assert free == web_app.MAX_CONCURRENT


@pytest.mark.parametrize(
    ("host", "warns"),
    [("127.0.0.1", False), ("127.1.2.3", False), ("::1", False), ("[::1]", False),
     ("localhost", False), ("LOCALHOST", False), ("0.0.0.0", True), ("::", True),
     ("192.168.1.10", True), ("example.org", True), ("", True)],
)
def test_loopback_warning(host: str, warns: bool) -> None:
    warning = web_app.loopback_warning(host)
    assert (warning is not None) == warns
    if warning is not None:
        assert warning.startswith("warning: ") and f"--host {host} " in warning
        assert "\n" not in warning


def test_a_real_disconnect_over_tcp_cancels_the_run(
        monkeypatch: pytest.MonkeyPatch, dataset: Dataset) -> None:
    """uvicorn on 127.0.0.1: a client that gives up stops the run before its next stage."""
    import socket

    import httpx
    import uvicorn

    fake = _Blocking()
    monkeypatch.setattr(web_app, "assess_scenario", fake)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(web_app.create_app(dataset=dataset), host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        with pytest.raises(httpx.TimeoutException):
            httpx.post(f"http://127.0.0.1:{port}/api/assess", json=SMALL, timeout=0.5,
                       trust_env=False)
        assert fake.started.acquire(timeout=5)
        time.sleep(4 * web_app.DISCONNECT_POLL_S)  # the server notices the disconnect
        fake.release.set()
        deadline = time.monotonic() + 5
        while not fake.raised and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fake.raised == ["_ClientGone"] and fake.stages == ["spending"]
    finally:
        fake.release.set()
        server.should_exit = True
        thread.join(10)
