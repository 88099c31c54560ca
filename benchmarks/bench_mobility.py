"""Benchmark of the closure model on the full bundled corridor network.

Times, in one process (best of 3 after a warm-up), for the 2026 order of battle:

* the network's closure curve to one assembly area (Rukla, Lithuania) over 30 days:
  the time-expanded maximum flow solved every day (61 steps of 12 h), no per-ally
  curves - "the closure model on the full network" (issue 11 target: well under 1 s);
* the same with every ally's own curve (one more flow per ally);
* every assembly area over the deterrence window (what the crisis model reads per year);
* the minimum cut of the static network (bottlenecks);
* side by side on the same curves (Rukla's joint and per-ally 30-day curves, every
  area's deterrence-window curve): the compiled incremental max-flow
  (:mod:`alliance.mobility.flow_kernel`, what ``arrivals_by_step`` runs) against the
  solver it replaced, one SciPy ``maximum_flow`` per solved step (same pruning, same
  skipped steps), with the ratio; the two must give the same numbers.

Every run starts from cleared memos (flows, cuts, corridors are memoised).

Prints a table and writes ``benchmarks/results/mobility.json``.
Usage: ``python benchmarks/bench_mobility.py``.
"""

from __future__ import annotations

import json
import math
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse.csgraph import maximum_flow

from alliance.data import load_dataset
from alliance.memo import clear_all
from alliance.mobility import brigades_for_year, build_network, closure_for_year, min_cut_links
from alliance.mobility.closure import assembly_areas, supplies_for_area
from alliance.mobility.flow import (
    Network,
    Supply,
    arrivals_by_step,
    earliest_arrival_h,
    time_expanded_graph,
)
from alliance.params import MobilityParams

Curve = tuple[Network, list[Supply], str, int, float, int]  # arrivals_by_step's arguments

RESULTS = Path(__file__).resolve().parent / "results" / "mobility.json"


def best_of(run: Callable[[], Any], repeats: int = 3) -> float:
    """Fastest of ``repeats`` runs from nothing [seconds] after one warm-up run.

    The flow memos are cleared before each run, so every run solves every flow
    (a repeated closure is otherwise answered from memory, see ``mobility/flow.py``).
    """
    run()
    times = []
    for _ in range(repeats):
        clear_all()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def scipy_per_step(network: Network, supplies: list[Supply], sink: str, steps: int,
                   step_h: float, every: int) -> np.ndarray:
    """Vehicles in ``sink`` by each step, the replaced way: SciPy's max-flow per solved step.

    The same pruning as ``arrivals_by_step`` (supplies that cannot arrive in time,
    nodes that cannot reach the sink), the same skipped steps (before the earliest
    arrival; after everything is in), and the same ``every`` rule [vehicles].
    """
    earliest = earliest_arrival_h(network, sink, step_h)
    usable = [s for s in supplies if s.origin in earliest and step_h * math.ceil(
        s.release_h / step_h - 1e-9) + earliest[s.origin] <= steps * step_h + 1e-9]
    flows = np.zeros(steps + 1)
    if not usable:
        return flows
    kept = tuple(v for v in network.nodes if v in earliest)
    pruned = Network(nodes=kept, arcs=tuple(a for a in network.arcs
                                            if a.tail in earliest and a.head in earliest),
                     node_capacity_vpd={v: c for v, c in network.node_capacity_vpd.items()
                                        if v in earliest})
    te = time_expanded_graph(pruned, usable, steps, step_h)
    wanted = sorted({*range(0, steps + 1, every), steps})
    first = min(math.ceil(u.release_h / step_h - 1e-9) + round(earliest[u.origin] / step_h)
                for u in usable)
    everything = float(te.graph[[te.source], :].sum())
    for i, s in enumerate(wanted):
        if s >= first:
            done = i > 0 and flows[wanted[i - 1]] >= everything
            flows[s] = everything if done else maximum_flow(
                te.up_to(s), te.source, te.entry(sink, s)).flow_value
    for s in range(1, steps + 1):
        if s not in wanted:
            flows[s] = flows[s - 1]
    result: np.ndarray = np.maximum.accumulate(flows)
    return result


def same_curves(ds: Any, p: MobilityParams) -> list[Curve]:
    """Rukla's joint and per-ally 30-day curves and every area's window curve (2026)."""
    nodes, allies = ds.table("corridor_nodes"), ds.table("allies")
    brigades = brigades_for_year(ds.table("order_of_battle"), allies, 2026)
    network = build_network(nodes, ds.table("corridor_links"), p)
    steps = int(p.horizon_days * 24 / p.time_step_h)
    supplies = supplies_for_area(brigades, "LTU", "LT_RUK", nodes, p, 1.0, 1.0)
    curves: list[Curve] = [(network, supplies, "LT_RUK", steps, p.time_step_h, 2)]
    for ally in sorted({s.ally for s in supplies}):
        own = [s for s in supplies if s.ally == ally]
        curves.append((network, own, "LT_RUK", steps, p.time_step_h, 2))
    window = int(math.ceil(73 / p.time_step_h))
    for country, area in assembly_areas(nodes).items():
        there = supplies_for_area(brigades, country, area, nodes, p, 1.0, 1.0)
        curves.append((network, there, area, window, p.time_step_h, 1))
    return curves


def side_by_side(curves: list[Curve]) -> dict[str, Any]:
    """Both solvers on ``curves`` (best of 3 after a warm-up, memos cleared) [seconds]."""
    for c in curves:  # warm-up (compiles or loads the kernel) and the equality check
        clear_all()
        if not np.array_equal(arrivals_by_step(*c), scipy_per_step(*c)):
            raise AssertionError(f"solvers differ on the curve to {c[2]}")

    def compiled() -> None:
        clear_all()
        for c in curves:
            arrivals_by_step(*c)

    def scipy() -> None:
        clear_all()
        for c in curves:
            scipy_per_step(*c)

    new, old = best_of(compiled), best_of(scipy)
    return {"curves": len(curves), "compiled_seconds": new, "scipy_per_step_seconds": old,
            "speedup": old / new}


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

    runs: list[dict[str, Any]] = [
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
    solvers = side_by_side(same_curves(ds, p))
    for r in runs:
        print(f"{r['label']:<56}{r['seconds']:>9.3f} s")
    print(f"max-flow on the same {solvers['curves']} curves: compiled incremental "
          f"{solvers['compiled_seconds']:.3f} s, SciPy per step "
          f"{solvers['scipy_per_step_seconds']:.3f} s, ratio {solvers['speedup']:.1f}x "
          "(same numbers)")
    print(f"network: {size}")
    summary = {"closure_full_network_seconds": runs[0]["seconds"], "target_seconds": 1.0,
               "well_under_a_second": runs[0]["seconds"] < 0.5}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"machine": machine, "network": size, "runs": runs,
                               "solvers_side_by_side": solvers, "summary": summary},
                              indent=2))
    os.replace(tmp, RESULTS)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
