"""Benchmark of the crisis Monte Carlo: vectorised engine vs the agent-by-agent reference.

Runs, side by side in one process, on the bundled allies table (32 allies), one year:

* the reference implementation at 10^4 draws;
* the NumPy engine at 10^5, 10^6 and 10^7 draws (one thread), and at 10^7 with 2 threads;
* the time to draw the engine's random numbers alone (the same Philox block streams, the
  same batches, one thread) at 10^6 draws, in the same run: the engine's share of that
  RNG-bound rate (issue 11 target: at least 50 %).

The forces are the bundled order of battle's closure curves for 2026 (the mobility
stage with no plan deliveries); the JAX backend is not ported to the force model.

For each: draws per second and peak resident memory above the starting RSS
(psutil, sampled every 10 ms; benchmarks/peak_rss.py) from a plain run, and peak Python-level memory
(tracemalloc, which also sees NumPy's buffers) from a second, traced run
(tracemalloc slows NumPy several-fold, so it is kept out of the timing).
Prints a table and writes ``benchmarks/results/deterrence.json``.

Usage: ``python benchmarks/bench_deterrence.py [--quick]`` (``--quick``: 10x fewer draws).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peak_rss import timed_with_peak_rss  # noqa: E402

from alliance.data import load_dataset
from alliance.deterrence import allies_with_gdp, simulate, simulate_reference
from alliance.deterrence.engine import batch_randoms, batches
from alliance.deterrence.inputs import attach_forces
from alliance.mobility.stage import MOBILITY_TABLES, force_inputs, mobility_for
from alliance.scenario import apply_overrides, load_scenario

RESULTS = Path(__file__).resolve().parent / "results" / "deterrence.json"


def measure(label: str, draws: int, run: Callable[[], pd.DataFrame]) -> dict[str, Any]:
    """Time one run (plain), then run it again under tracemalloc for the peak.

    tracemalloc hooks every allocation and slows NumPy several-fold, so speed comes
    from the plain run and Python-level peak memory from the traced one.
    """
    seconds, rss_increase, result = timed_with_peak_rss(run)
    tracemalloc.start()
    run()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row = result.iloc[0]
    return {
        "label": label,
        "draws": draws,
        "seconds": seconds,
        "draws_per_second": draws / seconds,
        "microseconds_per_draw": 1e6 * seconds / draws,
        "tracemalloc_peak_mib": traced_peak / 2**20,
        "rss_peak_increase_mib": rss_increase / 2**20,
        "p_fait_accompli": float(row["p_fait_accompli"]),
        "p_fait_accompli_stderr": float(row["p_fait_accompli_stderr"]),
    }


def rng_and_engine_seconds(
    draws: int, batch_size: int, n_allies: int, seed: int, engine: Callable[[], object],
    repeats: int = 5,
) -> tuple[float, float]:
    """Best-of-``repeats`` seconds of (random numbers alone, the whole engine), interleaved.

    The random numbers are drawn exactly as the engine draws them (same blocks, same
    batches, one thread); alternating the two runs keeps a busy machine from favouring
    either.
    """
    import time

    rng_best = engine_best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for first, sizes in batches(draws, batch_size):
            batch_randoms(seed, first, sizes, n_allies)
        rng_best = min(rng_best, time.perf_counter() - start)
        start = time.perf_counter()
        engine()
        engine_best = min(engine_best, time.perf_counter() - start)
    return rng_best, engine_best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer draws")
    args = parser.parse_args()
    scale = 10 if args.quick else 1

    dataset = load_dataset()
    allies = allies_with_gdp(dataset.table("allies"), dataset.table("gdp"))
    scenario = apply_overrides(load_scenario("baseline"), {"horizon": 2026})
    mobility = mobility_for({n: dataset.table(n) for n in MOBILITY_TABLES}, scenario,
                            pd.DataFrame(columns=["buyer", "system", "capability", "year",
                                                  "units"]))
    context = attach_forces(
        pd.DataFrame({"year": [2026], "us_forces_in_place": [0.5],
                      "us_reinforcements": [0.5], "capability_coverage": [0.75]}),
        force_inputs(mobility, tuple(allies["iso3"]), scenario))
    params = scenario.deterrence
    seed = 2026

    # warm up caches (willingness calibration grid, imports) outside the measurements
    simulate(params, allies, context, 4096, seed)
    simulate_reference(params, allies, context, 50, seed)

    runs: list[dict[str, Any]] = []
    ref_draws = 10**4 // scale
    runs.append(measure("reference (agent by agent)", ref_draws,
                        lambda: simulate_reference(params, allies, context, ref_draws, seed)))
    for draws in (10**5 // scale, 10**6 // scale, 10**7 // scale):
        runs.append(measure("numpy, 1 thread", draws,
                            lambda d=draws: simulate(params, allies, context, d, seed)))
    big = 10**7 // scale
    runs.append(measure("numpy, 2 threads", big,
                        lambda: simulate(params, allies, context, big, seed, workers=2)))
    rng_draws = 10**6 // scale
    rng_seconds, engine_seconds = rng_and_engine_seconds(
        rng_draws, params.batch_size, len(allies), seed,
        lambda: simulate(params, allies, context, rng_draws, seed))

    ref = runs[0]
    numpy_big = next(r for r in runs if r["label"] == "numpy, 1 thread" and r["draws"] == big)
    summary = {
        "rng_bound_draws_per_second": rng_draws / rng_seconds,
        "engine_draws_per_second_same_loop": rng_draws / engine_seconds,
        "engine_share_of_rng_bound_rate": rng_seconds / engine_seconds,
        "target_share_of_rng_bound_rate": 0.5,
        "speedup_numpy_vs_reference_per_draw": numpy_big["draws_per_second"]
        / ref["draws_per_second"],
        "target_speedup": 100.0,
        "numpy_tracemalloc_peak_mib_by_draws": {
            str(r["draws"]): r["tracemalloc_peak_mib"] for r in runs
            if r["label"] == "numpy, 1 thread"
        },
    }
    machine = {
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "load_average_1m_at_end": os.getloadavg()[0],
        "allies": len(allies),
        "batch_size": params.batch_size,
    }

    header = f"{'run':<28}{'draws':>11}{'draws/s':>14}{'us/draw':>10}{'traced MiB':>12}" \
             f"{'RSS+ MiB':>10}{'P(FA)':>9}"
    print(header)
    print("-" * len(header))
    for r in runs:
        print(f"{r['label']:<28}{r['draws']:>11,}{r['draws_per_second']:>14,.0f}"
              f"{r['microseconds_per_draw']:>10.2f}{r['tracemalloc_peak_mib']:>12.1f}"
              f"{r['rss_peak_increase_mib']:>10.1f}{r['p_fait_accompli']:>9.4f}")
    print()
    print(f"NumPy vs reference, per draw: {summary['speedup_numpy_vs_reference_per_draw']:,.0f}x "
          f"(target >= 100x)")
    print(f"random numbers alone: {summary['rng_bound_draws_per_second']:,.0f} draws/s; the "
          f"engine runs at {summary['engine_share_of_rng_bound_rate']:.0%} of that rate "
          "(target >= 50 %)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"machine": machine, "runs": runs, "summary": summary}, indent=2))
    os.replace(tmp, RESULTS)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
