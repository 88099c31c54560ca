"""Benchmark: the full planning study in linopy vs the same model in Pyomo.

Full study: 32 allies + the pooled buyer, every capability, 2026-2040, the bundled
systems catalogue (all priced rows, catalogue_rule = all_priced, to make it larger).
Budgets and gaps are synthetic but of realistic size (stated below) because the
benchmark times the optimisation, not the upstream stages. Prints a table and writes
benchmarks/results/planning.json. Run: ``python benchmarks/bench_planning.py``.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from importlib import resources
from pathlib import Path

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peak_rss import PeakRSS  # noqa: E402
from planning_pyomo import build_pyomo, solve_pyomo  # noqa: E402

from alliance.catalogue import capability_catalogue  # noqa: E402
from alliance.params import PlanningParams  # noqa: E402
from alliance.planning import build_inputs  # noqa: E402
from alliance.planning.model import build_model  # noqa: E402
from alliance.planning.solve import _quiet_native_stdout  # noqa: E402

CAPABILITIES = capability_catalogue().code_names

YEARS = list(range(2026, 2041))
ALLIES = [
    "ALB",
    "BEL",
    "BGR",
    "CAN",
    "HRV",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "ISL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MNE",
    "NLD",
    "MKD",
    "NOR",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
    "TUR",
    "GBR",
    "USA",
]
OUT = Path(__file__).resolve().parent / "results" / "planning.json"


def study_inputs():
    """Synthetic full study: every capability has a growing gap; budgets USD 0.1-20bn/yr."""
    with resources.as_file(resources.files("alliance.data") / "tables" / "systems.csv") as p:
        systems = pd.read_csv(p)
    gaps = pd.DataFrame(
        [
            {
                "capability": c,
                "year": y,
                "requirement": 100.0 + 10 * i,
                "european_effective": 50.0 - (y - 2026),
                "us_contribution": 0.0,
                "unit": "units",
            }
            for i, c in enumerate(CAPABILITIES)
            for y in YEARS
        ]
    )
    budgets = pd.DataFrame(
        [
            {
                "iso3": a,
                "year": y,
                "equipment_musd_constant": 100.0 + 600.0 * (k % 7) * (1 + 0.03 * (y - 2026)),
            }
            for k, a in enumerate(ALLIES)
            for y in YEARS
        ]
    )
    params = PlanningParams(pooled_share=0.2, catalogue_rule="all_priced")
    arms = {y: max(0.0, 1.0 - 0.1 * (y - 2026)) for y in YEARS}
    return build_inputs(systems, gaps, budgets, params, YEARS, arms)


def main() -> None:
    """Run both builds and solves, print a table, write the JSON results."""
    inputs = study_inputs()
    with PeakRSS() as mem_l:
        t0 = time.perf_counter()
        m = build_model(inputs)
        t1 = time.perf_counter()
        with _quiet_native_stdout():
            m.solve(solver_name="highs", io_api="direct", output_flag=False)
        t2 = time.perf_counter()
    obj_l = float(m.objective.value)
    with PeakRSS() as mem_p:
        t3 = time.perf_counter()
        pm = build_pyomo(inputs)
        t4 = time.perf_counter()
        with _quiet_native_stdout():
            obj_p = solve_pyomo(pm)
        t5 = time.perf_counter()
    res = {
        "study": {
            "buyers": len(inputs.buyers),
            "systems": len(inputs.systems),
            "pairs": len(inputs.pairs),
            "capabilities": len(inputs.capabilities),
            "years": f"{YEARS[0]}-{YEARS[-1]}",
            "variables": int(m.nvars),
            "constraints": int(m.ncons),
        },
        "linopy": {
            "build_s": t1 - t0,
            "solve_s": t2 - t1,
            "total_s": t2 - t0,
            "peak_rss_mb": mem_l.mb,
            "objective": obj_l,
        },
        "pyomo": {
            "build_s": t4 - t3,
            "solve_s": t5 - t4,
            "total_s": t5 - t3,
            "peak_rss_mb": mem_p.mb,
            "objective": obj_p,
        },
        "ratio_build_pyomo_over_linopy": (t4 - t3) / (t1 - t0),
        "ratio_total_pyomo_over_linopy": (t5 - t3) / (t2 - t0),
        "objective_rel_diff": abs(obj_l - obj_p) / max(1e-9, abs(obj_p)),
        "machine": {
            "cpus": psutil.cpu_count(),
            "python": platform.python_version(),
            "load_avg_1min": psutil.getloadavg()[0],
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"{'':10}{'build s':>10}{'solve s':>10}{'total s':>10}{'peak MB':>10}{'objective':>14}\n"
    )
    for name in ("linopy", "pyomo"):
        r = res[name]
        sys.stdout.write(
            f"{name:10}{r['build_s']:10.2f}{r['solve_s']:10.2f}{r['total_s']:10.2f}"
            f"{r['peak_rss_mb']:10.0f}{r['objective']:14.6f}\n"
        )
    sys.stdout.write(
        f"build ratio pyomo/linopy: {res['ratio_build_pyomo_over_linopy']:.2f}; "
        f"objective rel. diff {res['objective_rel_diff']:.1e}; study {res['study']}\n"
    )


if __name__ == "__main__":
    main()
