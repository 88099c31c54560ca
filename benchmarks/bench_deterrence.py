"""Benchmark of the crisis Monte Carlo: the compiled engine vs the RNG, NumPy and the reference.

Runs, side by side in one process, on the bundled allies table (32 allies), one year:

* the reference implementation (agent by agent) at 10^4 draws;
* the engine (``evaluate``: Numba passes fused over draws x allies, with NumPy / SciPy for
  every transcendental function; ``alliance.deterrence.kernel``) at 10^5, 10^6 and 10^7
  draws on one thread, and at 10^7 with 2 threads;
* the plain-NumPy statement of the same kernel (``evaluate_numpy``, the engine before
  issue 11 item 7, kept as the reference path; bit-identical results) at 10^6 draws;
* the time to draw the engine's random numbers alone (the same Philox block streams, the
  same batches, one thread) at 10^6 draws, in the same run, interleaved with the engine
  and the NumPy path: each one's share of that RNG-bound rate (issue 11 target: at least
  50 %);
* the kernel's start-up cost in a fresh interpreter: the first ``simulate`` call (import
  Numba, then compile, or load the compiled code from Numba's cache) minus a warm call,
  with an empty cache and again with the cache the first run wrote
  (``NUMBA_CACHE_DIR`` set to a temporary folder, so the project's own cache is untouched).

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
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peak_rss import timed_with_peak_rss  # noqa: E402

from alliance.data import load_dataset
from alliance.deterrence import allies_with_gdp, engine, simulate, simulate_reference
from alliance.deterrence.engine import batch_randoms, batches, evaluate_numpy
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


def rng_and_run_seconds(
    draws: int, batch_size: int, n_allies: int, seed: int,
    runs: dict[str, Callable[[], object]], repeats: int = 5,
) -> tuple[float, dict[str, float]]:
    """Best-of-``repeats`` seconds of the random numbers alone and of each run, interleaved.

    The random numbers are drawn exactly as the engine draws them (same blocks, same
    batches, one thread); alternating the runs keeps a busy machine from favouring any.
    """
    rng_best = float("inf")
    best = {name: float("inf") for name in runs}
    for _ in range(repeats):
        start = time.perf_counter()
        for first, sizes in batches(draws, batch_size):
            batch_randoms(seed, first, sizes, n_allies)
        rng_best = min(rng_best, time.perf_counter() - start)
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return rng_best, best


def numpy_path(run: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    """``run`` with the engine evaluating by the plain-NumPy reference path."""
    def wrapped() -> pd.DataFrame:
        fused = engine.evaluate
        engine.evaluate = evaluate_numpy
        try:
            return run()
        finally:
            engine.evaluate = fused
    return wrapped


#: A fresh interpreter's first and second simulate call on tiny hand-built inputs.
_FIRST_CALL = """
import json, time
import numpy as np, pandas as pd
from alliance.deterrence import engine, simulate
from alliance.deterrence.inputs import ForceInputs, YearForces, attach_forces
from alliance.params import DeterrenceParams
iso3 = ("EST", "POL", "DEU")
allies = pd.DataFrame({"iso3": iso3, "name": iso3, "borders_russia_belarus": [True, True, False],
                       "capital_lat": [59.4, 52.2, 52.5], "capital_lon": [24.8, 21.0, 13.4]})
curve = np.zeros((3, 49, 3), dtype=np.float32)
curve[:, 24:, 2] = 1.0
forces = YearForces(iso3=iso3, own=np.ones(3), forward=np.zeros((3, 3)), curve=curve)
context = attach_forces(pd.DataFrame({"year": [2030], "us_forces_in_place": [0.5],
                                      "us_reinforcements": [0.5], "capability_coverage": [0.8]}),
                        ForceInputs(years={2030: forces}, source="benchmark"))
params = DeterrenceParams()
engine.KERNEL_MIN_DRAW_YEARS = 0  # the compiled kernel even for this small run
seconds = []
for _ in range(2):
    start = time.perf_counter()
    simulate(params, allies, context, 4096, 0)
    seconds.append(time.perf_counter() - start)
print(json.dumps({"first_s": seconds[0], "warm_s": seconds[1]}))
"""


def kernel_start_up_seconds() -> dict[str, float]:
    """First-call overhead (Numba import + compile or cache load) in fresh interpreters."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("empty_cache", "warm_cache"):
            done = subprocess.run([sys.executable, "-c", _FIRST_CALL], check=True,
                                  capture_output=True, text=True, env=env)
            times = json.loads(done.stdout.strip().splitlines()[-1])
            out[f"first_call_overhead_s_{label}"] = times["first_s"] - times["warm_s"]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import numba"], check=True)
    numba_import = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    out["numba_import_s"] = numba_import - (time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer draws")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    load_at_start = os.getloadavg()[0]

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

    # warm up caches (willingness calibration grid, imports) outside the measurements, and
    # load the compiled kernel, so that every engine run below takes it whatever its size
    # (a fresh process takes the NumPy path below engine.KERNEL_MIN_DRAW_YEARS)
    import alliance.deterrence.kernel  # noqa: F401

    simulate(params, allies, context, 4096, seed)
    simulate_reference(params, allies, context, 50, seed)

    runs: list[dict[str, Any]] = []
    ref_draws = 10**4 // scale
    runs.append(measure("reference (agent by agent)", ref_draws,
                        lambda: simulate_reference(params, allies, context, ref_draws, seed)))
    for draws in (10**5 // scale, 10**6 // scale, 10**7 // scale):
        runs.append(measure("engine, 1 thread", draws,
                            lambda d=draws: simulate(params, allies, context, d, seed)))
    big = 10**7 // scale
    runs.append(measure("engine, 2 threads", big,
                        lambda: simulate(params, allies, context, big, seed, workers=2)))
    mid = 10**6 // scale
    runs.append(measure("plain NumPy path, 1 thread", mid, numpy_path(
        lambda: simulate(params, allies, context, mid, seed))))
    rng_draws = 10**6 // scale
    rng_seconds, run_seconds = rng_and_run_seconds(
        rng_draws, params.batch_size, len(allies), seed,
        {"engine": lambda: simulate(params, allies, context, rng_draws, seed),
         "numpy": numpy_path(lambda: simulate(params, allies, context, rng_draws, seed))})
    start_up = kernel_start_up_seconds()

    ref = runs[0]
    engine_big = next(r for r in runs if r["label"] == "engine, 1 thread" and r["draws"] == big)
    two_threads = next(r for r in runs if r["label"] == "engine, 2 threads")
    summary = {
        "rng_bound_draws_per_second": rng_draws / rng_seconds,
        "engine_draws_per_second_same_loop": rng_draws / run_seconds["engine"],
        "engine_share_of_rng_bound_rate": rng_seconds / run_seconds["engine"],
        "numpy_path_draws_per_second_same_loop": rng_draws / run_seconds["numpy"],
        "numpy_path_share_of_rng_bound_rate": rng_seconds / run_seconds["numpy"],
        "target_share_of_rng_bound_rate": 0.5,
        "speedup_engine_vs_reference_per_draw": engine_big["draws_per_second"]
        / ref["draws_per_second"],
        "target_speedup": 100.0,
        "two_thread_speedup": two_threads["draws_per_second"] / engine_big["draws_per_second"],
        "engine_tracemalloc_peak_mib_by_draws": {
            str(r["draws"]): r["tracemalloc_peak_mib"] for r in runs
            if r["label"] == "engine, 1 thread"
        },
        **start_up,
    }
    # draws x years from which loading the kernel in a fresh process pays for itself
    per_draw_gain = 1.0 / summary["numpy_path_draws_per_second_same_loop"] - 1.0 / summary[
        "engine_draws_per_second_same_loop"]
    summary["kernel_break_even_draw_years"] = (
        summary["first_call_overhead_s_warm_cache"] / per_draw_gain if per_draw_gain > 0
        else float("inf"))
    summary["kernel_min_draw_years"] = engine.KERNEL_MIN_DRAW_YEARS
    machine = {
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "load_average_1m_at_start": load_at_start,
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
    print(f"engine vs reference, per draw: "
          f"{summary['speedup_engine_vs_reference_per_draw']:,.0f}x (target >= 100x); "
          f"2 threads: {summary['two_thread_speedup']:.2f}x one thread")
    print(f"random numbers alone: {summary['rng_bound_draws_per_second']:,.0f} draws/s; the "
          f"engine runs at {summary['engine_share_of_rng_bound_rate']:.0%} of that rate "
          f"(target >= 50 %); the plain NumPy path at "
          f"{summary['numpy_path_share_of_rng_bound_rate']:.0%}")
    print(f"kernel start-up in a fresh process: import numba {summary['numba_import_s']:.2f} s; "
          f"first call {summary['first_call_overhead_s_empty_cache']:.2f} s with an empty "
          f"Numba cache (compile), {summary['first_call_overhead_s_warm_cache']:.2f} s with "
          "the cache")
    print(f"loading the kernel pays for itself from "
          f"{summary['kernel_break_even_draw_years']:,.0f} draws x years (smaller runs in a "
          f"fresh process take the NumPy path: engine.KERNEL_MIN_DRAW_YEARS = "
          f"{engine.KERNEL_MIN_DRAW_YEARS:,})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"machine": machine, "runs": runs, "summary": summary}, indent=2))
    os.replace(tmp, RESULTS)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
