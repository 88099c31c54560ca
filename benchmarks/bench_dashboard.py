"""Benchmark: the dashboard's lever-to-answer time, today's way and the new way, side by side.

One session of lever changes (below) is replayed against ``POST /api/assess``
through FastAPI's TestClient, at the report's 20,000 draws:

* **today's way** (before issue 14): every request runs every stage from nothing
  (every memo and remembered table fingerprint is cleared first,
  ``alliance.memo.clear_all``), then builds the four Plotly figures server-side
  (``alliance.report.build``) and sends them as JSON. It runs in a worker process
  of its own, so neither way warms the other's memory;
* **new way**: the app as shipped: stage results cached by the key of the
  inputs each stage reads and the stages it needs (``alliance.web.cache.StageCache``),
  answer parts per lever state (``ViewCache``), chart data only (the browser
  draws), plus the unchanged scenario as a ghost line (usually a cache hit).

Lever-to-answer is the wall time of one request, from sending the changed
levers to the parsed answer. The first view (baseline, no lever) is timed
separately and not part of the median. The session is replayed ``--repeat``
times (3 by default), each from nothing; the headline is the median of the
replays' medians, with their range. Prints a table and writes
``benchmarks/results/dashboard.json``. Run: ``python benchmarks/bench_dashboard.py``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from alliance.assess import DEFAULT_DRAWS, REPORT_YEAR
from alliance.assessment import RunSettings, assess_scenario
from alliance.data import Dataset, load_dataset
from alliance.memo import clear_all
from alliance.report.build import (
    deliveries_figure,
    gaps_figure,
    narrative,
    risk_figure,
    spending_figure,
)
from alliance.scenario import apply_overrides, load_scenario
from alliance.web import create_app
from alliance.web.app import AssessRequest

RESULTS = Path(__file__).resolve().parent / "results" / "dashboard.json"

#: The session replayed: each step is the full lever state after one change.
SESSION: list[dict[str, Any]] = [
    {"us_commitment": 0.75},
    {"us_commitment": 0.5},
    {"us_commitment": 0.5, "us_sustainment": 0.6},
    {"us_commitment": 0.5, "us_sustainment": 0.6, "pooled_share": 0.3},
    {"us_commitment": 0.5, "us_sustainment": 0.6, "pooled_share": 0.3, "draws": 30_000},
    {"us_commitment": 0.75},
    {"us_commitment": 0.75, "ally": "POL"},
]


def todays_way(dataset: Dataset, body: dict[str, Any]) -> dict[str, Any]:
    """The answer as the app built it before issue 14: every stage, Plotly figures."""
    req = AssessRequest(**{k: v for k, v in body.items() if k != "ally"})
    base = load_scenario(req.scenario)
    overrides = req.overrides()
    scenario = apply_overrides(base, overrides) if overrides else base
    a = assess_scenario(dataset, scenario, RunSettings(req.draws, req.seed))
    summary = a.summary(REPORT_YEAR)
    text = narrative({"scenarios": {scenario.name: summary}})[scenario.name]
    figs = {"spending-paths": spending_figure([a]), "gaps": gaps_figure([a]),
            "deliveries": deliveries_figure([a]), "risk": risk_figure([a])}
    answer: dict[str, Any] = json.loads(json.dumps(
        {"summary": summary, "text": text,
         "figures": {k: json.loads(f.to_json()) for k, f in figs.items()}}, default=str))
    return answer


def todays_way_worker(conn: Connection) -> None:
    """Worker process: answer each body sent the old way; reply with its seconds."""
    loaded = load_dataset()
    while True:
        body = conn.recv()
        if body is None:
            return
        clear_all()  # every memo and every remembered table fingerprint
        seconds, _ = _timed(todays_way, loaded, body)
        conn.send(seconds)


def new_way(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    """One request to the app as shipped."""
    r = client.post("/api/assess", json=body)
    r.raise_for_status()
    answer: dict[str, Any] = r.json()
    return answer


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def replay(client: TestClient, old_way: Callable[[dict[str, Any]], float],
           first: dict[str, Any]) -> dict[str, Any]:
    """One replay of :data:`SESSION`, printed as it goes: first view, then each step both ways."""
    old_first = old_way(first)
    new_first, _ = _timed(new_way, client, first)
    rows = []
    print(f"{'lever change':58} {'today s':>9} {'new s':>8} {'reused':>7}")
    for step in SESSION:
        body = {**first, **step}
        old_s = old_way(body)
        new_s, answer = _timed(new_way, client, body)
        label = ", ".join(f"{k}={v}" for k, v in step.items())
        rows.append({"change": label, "todays_way_s": round(old_s, 3), "new_way_s": round(new_s, 3),
                     "stages_reused": answer.get("stages_from_cache")})
        print(f"{label:58} {old_s:9.2f} {new_s:8.2f} {answer.get('stages_from_cache')!s:>7}")
    print(f"first view: today {old_first:.2f} s, new {new_first:.2f} s")
    return {"first_view_s": {"todays_way": round(old_first, 3), "new_way": round(new_first, 3)},
            "median_s": {"todays_way": statistics.median(r["todays_way_s"] for r in rows),
                         "new_way": statistics.median(r["new_way_s"] for r in rows)},
            "steps": rows}


def main() -> None:
    """Replay :data:`SESSION` both ways ``--repeat`` times and write the results.

    Each replay starts from nothing on both sides: a new app (empty stage and
    view caches) after every memo is cleared, so the replays are alike and their
    spread shows how much the machine's load moves the figures.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=DEFAULT_DRAWS)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--repeat", type=int, default=3, help="replays of the session")
    args = parser.parse_args()
    dataset = load_dataset()
    here, there = mp.get_context("spawn").Pipe()
    worker = mp.get_context("spawn").Process(target=todays_way_worker, args=(there,))
    worker.start()

    def old_way(body: dict[str, Any]) -> float:
        here.send(body)
        seconds: float = here.recv()
        return seconds

    first = {"scenario": args.scenario, "draws": args.draws}
    replays = []
    for number in range(1, args.repeat + 1):
        clear_all()
        client = TestClient(create_app(dataset=dataset))
        print(f"replay {number} of {args.repeat}")
        replays.append(replay(client, old_way, first))
    here.send(None)
    worker.join()
    medians = {way: [r["median_s"][way] for r in replays] for way in ("todays_way", "new_way")}
    overall = {way: statistics.median(values) for way, values in medians.items()}
    print(f"median lever-to-answer over {args.repeat} replays: today {overall['todays_way']:.2f} s "
          f"(replays {min(medians['todays_way']):.2f}-{max(medians['todays_way']):.2f}), "
          f"new {overall['new_way']:.2f} s "
          f"(replays {min(medians['new_way']):.2f}-{max(medians['new_way']):.2f}); "
          f"{overall['todays_way'] / overall['new_way']:.1f}x "
          f"({args.draws:,} draws, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "dashboard lever-to-answer", "draws": args.draws, "scenario": args.scenario,
        "machine": {"python": platform.python_version(), "cores": os.cpu_count(),
                    "load_average_1min": round(os.getloadavg()[0], 2)},
        "median_s": {way: round(value, 3) for way, value in overall.items()},
        "replay_medians_s": medians,
        "replays": replays,
    }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
