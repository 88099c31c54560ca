"""Benchmark of the GIUK transit Monte Carlo: transits per second and memory flat in transits.

Runs :func:`alliance.asw.simulate_barrier_patrol` (one MPA patrolling back and
forth across the 800 km Iceland-Faroes-Scotland leg, the default block of
65,536 transits) at 10^5, 10^6 and 10^7 transits. For each: transits per second
and peak resident memory above the starting RSS (psutil, sampled every 10 ms;
benchmarks/peak_rss.py).
Memory should not grow with the transit count: transits are processed in
fixed-size blocks. Prints a table and writes ``benchmarks/results/asw.json``.

Usage: ``python benchmarks/bench_asw.py [--quick]`` (``--quick``: 10x fewer transits).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peak_rss import timed_with_peak_rss  # noqa: E402

from alliance.asw import simulate_barrier_patrol
from alliance.asw.simulation import DEFAULT_BLOCK

RESULTS = Path(__file__).resolve().parent / "results" / "asw.json"
CASE = {"barrier_km": 800.0, "sweep_width_km": 10.0, "target_speed_kmh": 14.8,
        "searcher_speed_kmh": 550.0}


def main() -> None:
    """Run the benchmark and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10x fewer transits")
    args = parser.parse_args()
    sizes = [10**5, 10**6, 10**7]
    if args.quick:
        sizes = [n // 10 for n in sizes]
    simulate_barrier_patrol(transits=10_000, seed=0, **CASE)  # warm-up (imports, caches)
    rows = []
    for n in sizes:
        seconds, rss_bytes, est = timed_with_peak_rss(
            lambda n=n: simulate_barrier_patrol(transits=n, seed=1, **CASE)
        )
        rss_mb = rss_bytes / 1e6
        rows.append({"transits": n, "seconds": seconds, "transits_per_second": n / seconds,
                     "peak_rss_above_start_mb": rss_mb, "p_detect": est.p_detect,
                     "stderr": est.stderr})
        print(f"{n:>12,} transits  {n / seconds:>14,.0f} /s  peak RSS +{rss_mb:7.1f} MB  "
              f"P = {est.p_detect:.4f} ± {est.stderr:.4f}")
    payload = {"benchmark": "asw transit Monte Carlo", "case": CASE, "block": DEFAULT_BLOCK,
               "python": platform.python_version(), "machine": platform.machine(),
               "cpus": os.cpu_count(), "quick": args.quick, "rows": rows}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
