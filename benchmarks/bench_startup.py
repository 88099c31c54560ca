"""Benchmark of start-up time: ``alliance --help`` and ``alliance scenario list``.

Measured side by side in one run against the reference ``python -c "import typer,
rich"`` (what any Typer + Rich command line pays): each command runs ``--runs``
times in a fresh interpreter, alternating, and the median wall time is kept.
Target (issue: parameters as a leaf): ``alliance --help`` at most 2x the reference.
Also records which heavy modules ``import alliance.scenario`` loads (none expected).

Prints a table and writes ``benchmarks/results/startup.json``.

Usage: ``python benchmarks/bench_startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "startup.json"
HEAVY = ("pandas", "numpy", "duckdb", "scipy", "linopy", "xarray", "dask", "distributed",
         "plotly", "fastapi")

#: The installed console script next to this interpreter (what users run).
ALLIANCE = str(Path(sys.executable).with_name("alliance"))
COMMANDS: dict[str, list[str]] = {
    "reference: python -c 'import typer, rich'": [sys.executable, "-c", "import typer, rich"],
    "alliance --help": [ALLIANCE, "--help"],
    "alliance scenario list": [ALLIANCE, "scenario", "list"],
}


def _time_once(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def heavy_modules_loaded(module: str) -> list[str]:
    """Heavy third-party modules that ``import module`` loads in a fresh interpreter."""
    code = (f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.strip()
    return [m for m in out.split(",") if m]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (median kept)")
    args = parser.parse_args(argv)
    for command in COMMANDS.values():  # warm the file-system cache and bytecode
        _time_once(command)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            samples[name].append(_time_once(command))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    reference = medians[next(iter(COMMANDS))]
    rows = [{"command": name, "median_s": round(m, 4), "ratio_to_reference": round(m / reference,
            2), "runs": args.runs} for name, m in medians.items()]
    print(f"{'command':<45} {'median s':>9} {'x reference':>12}")
    for r in rows:
        print(f"{r['command']:<45} {r['median_s']:>9.3f} {r['ratio_to_reference']:>12.2f}")
    heavy = heavy_modules_loaded("alliance.scenario")
    print(f"heavy modules loaded by 'import alliance.scenario': {heavy or 'none'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "startup", "python": platform.python_version(),
        "machine": platform.machine(), "cpus": __import__("os").cpu_count(),
        "target": "alliance --help <= 2x reference", "rows": rows,
        "heavy_modules_loaded_by_alliance_scenario": heavy,
    }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
