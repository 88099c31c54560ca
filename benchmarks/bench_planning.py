"""Benchmark: the full planning study in linopy vs the same model in Pyomo.

Full study: 31 European allies and Canada + the pooled buyer, every capability area,
2026-2040 (plus the years after the horizon in which orders still deliver), the
bundled systems catalogue (all priced rows, catalogue_rule = all_priced, to make it
larger) with its backlogs and announced ramps, and the bundled recruitment table.
Budgets and gaps are synthetic but of realistic size (stated below) because the
benchmark times the optimisation, not the upstream stages. Both models are built
from the same PlanningInputs and solved by HiGHS; their objectives must agree.
Prints a table and writes benchmarks/results/planning.json.
Run: ``python benchmarks/bench_planning.py``.

``python benchmarks/bench_planning.py --dashboard`` instead times the planning stage
as the dashboard runs it after a lever change: ``plan()`` on the bundled baseline
with the US commitment at 0.75 and 0.5, then US sustainment 0.6, then pooled share
0.3 (upstream stages run once, untimed), best of REPEATS_DASHBOARD runs each, wall
and process CPU time [s].
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peak_rss import PeakRSS  # noqa: E402
from planning_pyomo import build_pyomo, solve_pyomo  # noqa: E402

from alliance.assessment import RunSettings, run_stages  # noqa: E402
from alliance.catalogue import capability_catalogue  # noqa: E402
from alliance.data import load_dataset  # noqa: E402
from alliance.params import PlanningParams  # noqa: E402
from alliance.planning import PlanningInputs, build_inputs, plan  # noqa: E402
from alliance.planning.model import build_model  # noqa: E402
from alliance.planning.solve import _quiet_native_stdout  # noqa: E402
from alliance.scenario import apply_overrides, load_scenario  # noqa: E402

CAPABILITIES = capability_catalogue().area_names

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
]
OUT = Path(__file__).resolve().parent / "results" / "planning.json"


def _table(name: str) -> pd.DataFrame:
    with resources.as_file(resources.files("alliance.data") / "tables" / f"{name}.csv") as p:
        return pd.read_csv(p)


def study_inputs() -> PlanningInputs:
    """Synthetic full study: every area has a growing gap; budgets USD 0.1-4bn/yr."""
    systems = _table("systems")
    systems["capability"] = systems["capability"].map(capability_catalogue().area_of)
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
    params = PlanningParams(pooled_share=0.2, catalogue_rule="all_priced",
                            gap_closing_budget_basis="share")
    arms = {y: max(0.0, 1.0 - 0.1 * (y - 2026)) for y in YEARS}
    return build_inputs(systems, gaps, budgets, params, YEARS, arms,
                        recruitment=_table("recruitment"))


#: Timed repetitions per framework (after one untimed warm-up run each); medians reported.
REPEATS = 3


def _linopy_run(inputs: PlanningInputs) -> tuple[float, float, float]:
    """Build and solve with linopy: (build s, solve s, objective)."""
    t0 = time.perf_counter()
    m = build_model(inputs)
    t1 = time.perf_counter()
    with _quiet_native_stdout():
        m.solve(solver_name="highs", io_api="direct", output_flag=False,
                sanitize_zeros=False, sanitize_infinities=False)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, float(m.objective.value)


def _pyomo_run(inputs: PlanningInputs) -> tuple[float, float, float]:
    """Build and solve with Pyomo: (build s, solve s, objective)."""
    t0 = time.perf_counter()
    pm = build_pyomo(inputs)
    t1 = time.perf_counter()
    with _quiet_native_stdout():
        obj = solve_pyomo(pm)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, obj


def _timed(run: Callable[[PlanningInputs], tuple[float, float, float]],
           inputs: PlanningInputs) -> tuple[float, float, float, float, float]:
    """Warm up once, then the median build and solve of REPEATS runs, the objective,
    the peak resident memory of the process during the timed runs and the warm-up's
    (first, cold) build [s, s, -, MB, s]."""
    cold, _, _ = run(inputs)
    builds, solves = [], []
    with PeakRSS() as mem:
        for _ in range(REPEATS):
            build, solve, obj = run(inputs)
            builds.append(build)
            solves.append(solve)
    return statistics.median(builds), statistics.median(solves), obj, mem.mb, cold


def _one_framework(name: str) -> None:
    """Child process: time one framework, print its figures as one JSON line."""
    inputs = study_inputs()
    run = _linopy_run if name == "linopy" else _pyomo_run
    build, solve, obj, mb, cold = _timed(run, inputs)
    sys.stdout.write(json.dumps({"build": build, "solve": solve, "objective": obj,
                                 "peak_rss_mb": mb, "cold_build": cold}) + "\n")


def _child(name: str) -> tuple[float, float, float, float, float]:
    """Run one framework in its own process (so peak memory is its own)."""
    out = subprocess.run([sys.executable, __file__, "--framework", name], check=True,
                         capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return r["build"], r["solve"], r["objective"], r["peak_rss_mb"], r["cold_build"]


_COMMITMENT_HALF = {"us_commitment.forces_in_place": 0.5, "us_commitment.reinforcements": 0.5}
#: The dashboard's lever changes, each on the baseline scenario.
DASHBOARD_LEVERS: dict[str, dict[str, float]] = {
    "US commitment 0.75": {"us_commitment.forces_in_place": 0.75,
                           "us_commitment.reinforcements": 0.75},
    "US commitment 0.5": _COMMITMENT_HALF,
    "+ US sustainment 0.6": {**_COMMITMENT_HALF, "us_commitment.sustainment": 0.6},
    "+ pooled share 0.3": {**_COMMITMENT_HALF, "us_commitment.sustainment": 0.6,
                           "planning.pooled_share": 0.3},
}
#: Timed runs of plan() per lever change (the best is reported).
REPEATS_DASHBOARD = 5


def dashboard() -> None:
    """Time plan() after each dashboard lever change; print best wall and CPU time [s]."""
    dataset = load_dataset()
    base = load_scenario("baseline")
    sys.stdout.write(f"{'lever change':24}{'wall s':>10}{'cpu s':>10}\n")
    for label, overrides in DASHBOARD_LEVERS.items():
        sc = apply_overrides(base, overrides)
        done = run_stages(dataset, sc, RunSettings(draws=1, seed=0), until="capabilities")
        allies, gaps = done.need("spending").allies, done.need("gaps")
        plan(dataset, sc, allies, gaps)
        walls, cpus = [], []
        for _ in range(REPEATS_DASHBOARD):
            wall, cpu = time.perf_counter(), time.process_time()
            plan(dataset, sc, allies, gaps)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        sys.stdout.write(f"{label:24}{min(walls):10.3f}{min(cpus):10.3f}\n")


def main() -> None:
    """The framework comparison, one framework's child run, or the dashboard timing."""
    if len(sys.argv) == 3 and sys.argv[1] == "--framework":
        _one_framework(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "--dashboard":
        dashboard()
    else:
        compare_frameworks()


def compare_frameworks() -> None:
    """Run both builds and solves, print a table, write the JSON results."""
    inputs = study_inputs()
    build_l, solve_l, obj_l, mb_l, cold_l = _child("linopy")
    build_p, solve_p, obj_p, mb_p, cold_p = _child("pyomo")
    m = build_model(inputs)
    res = {
        "study": {
            "buyers": len(inputs.buyers),
            "systems": len(inputs.systems),
            "pairs": len(inputs.pairs),
            "capabilities": len(inputs.capabilities),
            "years": f"{YEARS[0]}-{YEARS[-1]}",
            "lp_years": f"{inputs.lp_years[0]}-{inputs.lp_years[-1]}",
            "variables": int(m.nvars),
            "constraints": int(m.ncons),
        },
        "timing": f"median of {REPEATS} runs after one warm-up run each, each framework "
        "in its own process (peak RSS = that process's peak resident memory)",
        "linopy": {
            "build_s": build_l,
            "solve_s": solve_l,
            "total_s": build_l + solve_l,
            "peak_rss_mb": mb_l,
            "first_build_s": cold_l,
            "objective": obj_l,
        },
        "pyomo": {
            "build_s": build_p,
            "solve_s": solve_p,
            "total_s": build_p + solve_p,
            "peak_rss_mb": mb_p,
            "first_build_s": cold_p,
            "objective": obj_p,
        },
        "ratio_build_pyomo_over_linopy": build_p / build_l,
        "ratio_total_pyomo_over_linopy": (build_p + solve_p) / (build_l + solve_l),
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
        f"linopy total {res['linopy']['total_s']:.2f} s; "
        f"objective rel. diff {res['objective_rel_diff']:.1e}; study {res['study']}\n"
    )


if __name__ == "__main__":
    main()
