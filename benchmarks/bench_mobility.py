"""Benchmark of the closure model on the full bundled corridor network.

Times, in one process (best of 3 after a warm-up), for the 2026 order of battle:

* the network's closure curve to one assembly area (Rukla, Lithuania) over 30 days:
  the time-expanded maximum flow solved every day (61 steps of 12 h), no per-ally
  curves - "the closure model on the full network" (issue 11 target: well under 1 s);
* the same with every ally's own curve (one more flow per ally);
* every assembly area over the deterrence window (what the crisis model reads per year);
* the minimum cut of the static network (bottlenecks).

Every run starts from cleared memos (flows, cuts, corridors are memoised).

Prints a table and writes ``benchmarks/results/mobility.json``.
Usage: ``python benchmarks/bench_mobility.py``.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alliance.data import load_dataset
from alliance.mobility import brigades_for_year, build_network, closure_for_year, min_cut_links
from alliance.mobility.closure import supplies_for_area
from alliance.mobility.stage import clear_memos
from alliance.params import MobilityParams

RESULTS = Path(__file__).resolve().parent / "results" / "mobility.json"


def best_of(run: Callable[[], Any], repeats: int = 3) -> float:
    """Fastest of ``repeats`` runs from nothing [seconds] after one warm-up run.

    The flow memos are cleared before each run, so every run solves every flow
    (a repeated closure is otherwise answered from memory, see ``mobility/flow.py``).
    """
    run()
    times = []
    for _ in range(repeats):
        clear_memos()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ds = load_dataset()
    nodes, links, allies = ds.table("corridor_nodes"), ds.table("corridor_links"), ds.table(
        "allies")
    brigades = brigades_for_year(ds.table("order_of_battle"), allies, 2026)
    p = MobilityParams()
    network = build_network(nodes, links, p)
    supplies = supplies_for_area(brigades, "LTU", "LT_RUK", nodes, p, 1.0, 1.0)

    def joint() -> Any:
        return closure_for_year(nodes, links, allies, brigades, p, 2026, areas=["LT_RUK"],
                                every=2, credit_allies=False)

    def per_ally() -> Any:
        return closure_for_year(nodes, links, allies, brigades, p, 2026, areas=["LT_RUK"],
                                every=2)

    def window() -> Any:
        return closure_for_year(nodes, links, allies, brigades, p, 2026, horizon_h=73)

    runs = [
        {"label": "closure curve, one area, 30 days (joint flow)",
         "seconds": best_of(joint)},
        {"label": "closure curve + per-ally curves, one area, 30 days",
         "seconds": best_of(per_ally)},
        {"label": "all 6 areas, deterrence window (73 h), per ally",
         "seconds": best_of(window)},
        {"label": "static minimum cut (bottlenecks), one area",
         "seconds": best_of(lambda: min_cut_links(network, [s.origin for s in supplies],
                                                  "LT_RUK"))},
    ]
    size = {"nodes": len(network.nodes), "arcs": len(network.arcs),
            "supplies_to_LT_RUK": len(supplies), "steps": int(p.horizon_days * 24 / p.time_step_h)}
    machine = {"python": platform.python_version(), "cpu_count": os.cpu_count(),
               "processor": platform.processor() or platform.machine(),
               "load_average_1m_at_end": os.getloadavg()[0]}
    for r in runs:
        print(f"{r['label']:<56}{r['seconds']:>9.3f} s")
    print(f"network: {size}")
    summary = {"closure_full_network_seconds": runs[0]["seconds"], "target_seconds": 1.0,
               "well_under_a_second": runs[0]["seconds"] < 0.5}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"machine": machine, "network": size, "runs": runs,
                               "summary": summary}, indent=2))
    os.replace(tmp, RESULTS)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
