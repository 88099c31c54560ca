"""Bounded load test of the dashboard API on 127.0.0.1: latency percentiles per endpoint.

Starts uvicorn in a thread on a free port of the loopback interface (no traffic
leaves the machine) and sends a fixed number of requests:

1. ``--health`` sequential ``GET /api/health`` on an idle server;
2. ``--assessments`` small ``POST /api/assess`` (``--draws`` draws), ``MAX_CONCURRENT``
   at a time, while one client keeps calling ``GET /api/health`` (the latency of
   liveness checks while assessments run);
3. one extra ``POST /api/assess`` while the slots are full, which must be answered
   429 with ``Retry-After`` (recorded, not timed).

The whole run is bounded by ``--time-limit`` seconds; past it the run stops and
exits 1. Prints a table and writes ``benchmarks/results/web_load.json`` (p50, p90,
p99, max in milliseconds per endpoint and phase). The table goes to a copy of
stdout taken at start, and ``stdout_lost`` records whether file descriptor 1 still
points where it did (concurrent solves that silence HiGHS by redirecting fd 1 can
leave it on /dev/null).

Usage: ``python benchmarks/bench_web_load.py [--health 200] [--assessments 6]
[--draws 1000] [--time-limit 180]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from alliance.web import create_app
from alliance.web.app import MAX_CONCURRENT

RESULTS = Path(__file__).resolve().parent / "results" / "web_load.json"
HOST = "127.0.0.1"  # loopback only: this benchmark never talks to another machine


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile ``q`` (0-100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, Any]:
    """Count and p50/p90/p99/max of latencies given in seconds, in milliseconds."""
    if not values:
        return {"n": 0}
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2),
            "p90_ms": round(percentile(ms, 90), 2), "p99_ms": round(percentile(ms, 99), 2),
            "max_ms": round(max(ms), 2)}


class Budget:
    """The run's time limit: ``check()`` raises once ``limit_s`` seconds have passed."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.started = time.perf_counter()

    def left(self) -> float:
        return self.limit_s - (time.perf_counter() - self.started)

    def check(self) -> None:
        if self.left() <= 0:
            raise TimeoutError(f"load test over its time limit of {self.limit_s:g} s")


def timed(client: httpx.Client, method: str, path: str, **kw: Any) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.request(method, path, **kw)
    return time.perf_counter() - started, response


def run(args: argparse.Namespace) -> dict[str, Any]:
    budget = Budget(args.time_limit)
    port = free_port()
    config = uvicorn.Config(create_app(), host=HOST, port=port, log_level="warning",
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://{HOST}:{port}"
    timeout = httpx.Timeout(max(budget.left(), 1.0))
    results: dict[str, Any] = {}
    try:
        while not server.started:
            budget.check()
            time.sleep(0.05)
        # trust_env=False: no proxy from the environment; the traffic stays on 127.0.0.1.
        with httpx.Client(base_url=base, timeout=timeout, trust_env=False) as client:
            idle: list[float] = []
            for _ in range(args.health):
                budget.check()
                seconds, r = timed(client, "GET", "/api/health")
                r.raise_for_status()
                idle.append(seconds)
            results["health_idle"] = summary(idle)
            results.update(_under_load(base, timeout, args, budget))
    finally:
        server.should_exit = True
        thread.join(10)
    return results


def _under_load(base: str, timeout: httpx.Timeout, args: argparse.Namespace,
                budget: Budget) -> dict[str, Any]:
    """Assessments MAX_CONCURRENT at a time, with health checks alongside; one extra for 429."""
    body = {"scenario": "baseline", "draws": args.draws}
    done = threading.Event()
    health: list[float] = []
    assess: list[float] = []
    statuses: list[int] = []

    def poll_health() -> None:
        with httpx.Client(base_url=base, timeout=timeout, trust_env=False) as c:
            while not done.is_set() and budget.left() > 0:
                seconds, r = timed(c, "GET", "/api/health")
                r.raise_for_status()
                health.append(seconds)
                time.sleep(0.02)

    def one_assessment(_: int) -> None:
        with httpx.Client(base_url=base, timeout=timeout, trust_env=False) as c:
            budget.check()
            seconds, r = timed(c, "POST", "/api/assess", json=body)
            statuses.append(r.status_code)
            if r.status_code == 200:
                assess.append(seconds)

    poller = threading.Thread(target=poll_health, daemon=True)
    poller.start()
    busy: dict[str, Any] = {}
    try:
        with ThreadPoolExecutor(MAX_CONCURRENT) as pool:
            futures = [pool.submit(one_assessment, i) for i in range(args.assessments)]
            time.sleep(0.5)  # both slots are taken now (each run lasts seconds)
            with httpx.Client(base_url=base, timeout=timeout, trust_env=False) as c:
                seconds, r = timed(c, "POST", "/api/assess", json=body)
                busy = {"status": r.status_code, "retry_after": r.headers.get("retry-after"),
                        "answered_ms": round(seconds * 1000, 2)}
            for f in futures:
                f.result(timeout=max(budget.left(), 0.1))
    finally:
        done.set()
        poller.join(10)
    return {"assess": {**summary(assess), "statuses": sorted(statuses), "draws": args.draws},
            "health_during_assess": summary(health), "assess_while_full": busy}


def _fd1() -> str:
    """Where file descriptor 1 points (Linux), or '' elsewhere."""
    try:
        return os.readlink("/proc/self/fd/1")
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--health", type=int, default=200, help="Idle health checks.")
    parser.add_argument("--assessments", type=int, default=6, help="Small assessments.")
    parser.add_argument("--draws", type=int, default=1000, help="Draws per assessment.")
    parser.add_argument("--time-limit", type=float, default=180.0, help="Bound [s].")
    args = parser.parse_args()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    fd1_before = _fd1()
    started = time.perf_counter()
    try:
        results = run(args)
    except TimeoutError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    payload = {
        "benchmark": "web_load",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "host": HOST,
        "max_concurrent": MAX_CONCURRENT,
        "elapsed_s": round(time.perf_counter() - started, 2),
        "stdout_lost": _fd1() != fd1_before,
        "time_limit_s": args.time_limit,
        "endpoints": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"{'endpoint':<24}{'n':>5}{'p50 ms':>10}{'p90 ms':>10}{'p99 ms':>10}"
          f"{'max ms':>10}", file=out)
    for name in ("health_idle", "health_during_assess", "assess"):
        row = results[name]
        print(f"{name:<24}{row['n']:>5}{row.get('p50_ms', 0):>10}{row.get('p90_ms', 0):>10}"
              f"{row.get('p99_ms', 0):>10}{row.get('max_ms', 0):>10}", file=out)
    print(f"assess while full: {results['assess_while_full']}", file=out)
    print(f"wrote {RESULTS} ({payload['elapsed_s']} s); stdout lost: "
          f"{payload['stdout_lost']}", file=out)
    out.close()


if __name__ == "__main__":
    main()
