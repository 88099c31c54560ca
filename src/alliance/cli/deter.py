"""`alliance deter` and `alliance sweep`: the crisis Monte Carlo from the command line.

Thin shell: parse options, load the scenario and the allies table, call
:mod:`alliance.deterrence` / :mod:`alliance.sweep`, present the result (a Rich
table, or one JSON object with ``--json``). Progress bars go to stderr and are
off with ``--json``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import rich
import typer

from alliance.cli.common import (
    PM_NOTE,
    WIDE_HELP,
    Z95,
    add_rows,
    console,
    err_console,
    fail,
    fmt,
    new_table,
    pm95,
    print_json,
    report_table,
    text,
)
from alliance.constants import BLOCK_DRAWS
from alliance.errors import AllianceError, ModelError

__all__ = ["register"]

logger = logging.getLogger(__name__)

def _progress(disabled: bool) -> rich.progress.Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}", markup=False, style="progress.description"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console(),
        disable=disabled,
        transient=True,
    )


def _inputs(scenario_name: str, overlay: str | None) -> tuple[Any, Any, Any]:
    """Scenario, allies table and per-year context of a deterrence run.

    Runs the stages up to the plan, then :func:`alliance.assessment.deterrence_inputs`
    (what ``alliance assess`` reads).
    """
    from alliance.assessment import RunSettings, deterrence_inputs, run_stages
    from alliance.data import load_dataset
    from alliance.scenario import load_scenario

    scenario = load_scenario(scenario_name)
    dataset = load_dataset(overlay)
    upstream = run_stages(dataset, scenario, RunSettings(draws=1, seed=0), until="planning")
    allies, context = deterrence_inputs(dataset, scenario, upstream.need("gaps_after_plan"))
    return scenario, allies, context


def _select_year(sc: Any, context: Any, year: int | None) -> Any:
    """The context rows of ``year`` (all rows when None); ModelError outside the scenario."""
    if year is None:
        return context
    if year not in set(context["year"]):
        raise ModelError(f"--year {year} is outside the scenario's years "
                         f"{sc.first_year}-{sc.horizon}")
    return context.loc[context["year"] == year]


def _row_json(row: Any, headline: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"year": int(row["year"])}
    for name in headline:
        out[name] = row[name]
    out["p_fait_accompli_given_probe"] = row["p_fait_accompli_given_probe"]
    out["mean_decision_latency_h"] = row["mean_decision_latency_h"]
    out["mean_consensus_latency_h"] = row["mean_consensus_latency_h"]
    out["capability_coverage"] = row["capability_coverage"]
    out["us_forces_in_place"] = row["us_forces_in_place"]
    out["us_reinforcements"] = row["us_reinforcements"]
    # the force ratio the run used (issue 11): coverage x combat power in theatre / adversary
    out["force_ratio"] = {"mean": row["mean_force_ratio"],
                          "mean_limited_incursion": row["mean_force_ratio_incursion"]}
    out["stderr"] = {
        name: row[f"{name}_stderr"]
        for name in (*headline, "p_fait_accompli_given_probe", "mean_decision_latency_h")
    }
    # the one ± convention (CLI, JSON, report): half-width of the 95 % interval
    out["half95"] = {name: Z95 * value for name, value in out["stderr"].items()}
    return out


def deter(
    scenario: Annotated[
        str, typer.Option("--scenario", help="Built-in scenario name or YAML file.")
    ] = "baseline",
    draws: Annotated[int, typer.Option("--draws", help="Crisis draws per year.")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed (same seed, same numbers).")] = 0,
    year: Annotated[
        int | None, typer.Option("--year", help="One year (default: all scenario years).")
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="numpy or jax (pip install 'alliance[jax]').")
    ] = "numpy",
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            help=f"Draws per batch, a multiple of {BLOCK_DRAWS} (memory only).",
        ),
    ] = None,
    sensitivity: Annotated[
        bool,
        typer.Option("--sensitivity", help="Also Sobol indices of P(fait accompli), P(probe)."),
    ] = False,
    overlay: Annotated[
        str | None, typer.Option("--overlay", help="Data overlay folder.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help=WIDE_HELP)] = False,
) -> None:
    """Crisis Monte Carlo: P(probe), P(undivided / coalition response), P(fait accompli)."""
    from alliance.deterrence import HEADLINE_OUTPUTS, simulate, sobol_sensitivity

    try:
        if backend not in ("numpy", "jax"):
            raise ModelError(f"--backend must be numpy or jax, got {backend!r}")
        sc, allies, context = _inputs(scenario, overlay)
        context = _select_year(sc, context, year)
        with _progress(json_out) as bar:
            task = bar.add_task("crisis draws", total=draws)
            result = simulate(sc.deterrence, allies, context, draws, seed, batch_size=batch_size,
                              backend=backend, progress=lambda n: bar.advance(task, n))
            indices = None
            if sensitivity:
                s_year = int(context["year"].iloc[0])
                sens_task = bar.add_task(f"sobol ({s_year})", total=256 * 8)
                indices = sobol_sensitivity(sc.deterrence, allies, context, year=s_year, seed=seed,
                                            progress=lambda n: bar.advance(sens_task, n))
    except AllianceError as exc:
        raise fail(exc) from None

    sobol = (s_year, indices) if indices is not None else None
    if json_out:
        print_json(_deter_payload(sc, draws, seed, backend, result, HEADLINE_OUTPUTS, sobol))
        return
    _print_deter(
        text(f"Deterrence - {sc.name} ({draws:,} draws, seed {seed}, {backend})"),
        result, HEADLINE_OUTPUTS, sobol, wide=wide,
    )


def _deter_payload(
    sc: Any, draws: int, seed: int, backend: str, result: Any, headline: tuple[str, ...],
    sobol: tuple[int, Any] | None,
) -> dict[str, Any]:
    """The ``--json`` object: run settings, one row per year, assumptions, Sobol indices."""
    payload: dict[str, Any] = {
        "scenario": sc.name,
        "draws": draws,
        "seed": seed,
        "backend": backend,
        "capability_coverage_source": "capability stage, after the plan's deliveries",
        "force_ratio_definition": (
            "capability coverage x NATO combat power in the target's theatre when the "
            "objective falls (own brigades in place + forward presence + willing allies' "
            "closure curves from the mobility stage; medium-brigade units, heavy x "
            "deterrence.heavy_brigade_weight) / the adversary's force for the probe"),
        "rows": [_row_json(r, headline) for _, r in result.iterrows()],
        "assumptions": [a.sentence() for a in sc.deterrence.assumptions(
            prefix="deterrence.")],
    }
    if sobol is not None:
        payload["sensitivity"] = {"year": sobol[0], "indices": sobol[1]}
    return payload


#: Column labels of the headline outputs (80 columns: P(coalition) only with --wide).
_DETER_LABELS: dict[str, str] = {"p_probe": "probe", "p_undivided_response": "undivided",
                                 "p_coalition_response": "coalition",
                                 "p_fait_accompli": "fait accompli"}
_DETER_NARROW: tuple[str, ...] = ("p_probe", "p_undivided_response", "p_fait_accompli")


def _print_deter(
    title: str, result: Any, headline: tuple[str, ...], sobol: tuple[int, Any] | None,
    *, wide: bool = False,
) -> None:
    """Yearly probabilities (``result`` of simulate) and any Sobol indices (year, frame).

    At 80 columns: year, P(probe), P(undivided), P(fait accompli) in percent with
    their 95 % interval; ``wide`` adds P(coalition), decision latency and coverage.
    """
    shown = [n for n in headline if wide or n in _DETER_NARROW]
    columns: list[tuple[str, Any]] = [("year", "right")]
    columns += [(_DETER_LABELS.get(n, n.replace("_", " ")), "right") for n in shown]
    table = report_table(title, columns, ["decision, h", "coverage"], wide=wide)
    rows = []
    for _, r in result.iterrows():
        row = [str(int(r["year"]))]
        row += [pm95(r[n], r[n + "_stderr"], 3, percent=True) for n in shown]
        if wide:
            row += [fmt(r["mean_decision_latency_h"], 1), fmt(r["capability_coverage"], 2)]
        rows.append(row)
    add_rows(table, rows)
    console().print(table)
    console().print("Share of simulated crises per year. " + PM_NOTE)
    if wide:
        console().print("Capability coverage from the capability stage, after the plan's "
                        "deliveries.")
    if sobol is not None:
        s_year, indices = sobol
        sens = new_table(title=f"Sobol indices ({s_year})")
        for col in ("output", "lever", "S1", "S1 conf", "ST", "ST conf"):
            sens.add_column(col, justify="right" if col not in ("output", "lever") else "left")
        for _, r in indices.iterrows():
            sens.add_row(text(r["output"]), text(r["lever"]), *(fmt(r[c], 3) for c in
                                                    ("S1", "S1_conf", "ST", "ST_conf")))
        console().print(sens)


def sweep(
    grid: Annotated[Path, typer.Argument(help="GRID.yaml (see docs/deterrence.md).")],
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler tcp://HOST:PORT (default: local)."),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Parquet file to write.")
    ] = Path("sweep.parquet"),
    serial: Annotated[
        bool, typer.Option("--serial", help="Run in this process, without Dask.")
    ] = False,
    overlay: Annotated[
        str | None, typer.Option("--overlay", help="Data overlay folder.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Sweep a grid of scenario overrides x years on Dask; write one tidy Parquet file."""
    from alliance._io import atomic_write
    from alliance.data import load_dataset
    from alliance.sweep import grid_size, load_grid, run_sweep

    if not serial and logging.getLogger().getEffectiveLevel() > logging.INFO:
        import distributed  # noqa: F401  (configures its loggers on import; quiet them after)

        logging.getLogger("distributed").setLevel(logging.WARNING)  # quiet unless --verbose
    try:
        if out.is_dir():
            raise ModelError(f"--out: {out} is a folder; give the path of a Parquet file.")
        spec, base_dir = load_grid(grid)
        dataset = load_dataset(overlay)
        total = grid_size(spec)
        with _progress(json_out) as bar:
            task = bar.add_task("grid points", total=total)
            table = run_sweep(dataset, spec, scheduler=scheduler, serial=serial,
                              base_dir=base_dir, progress=lambda n: bar.advance(task, n))
        path = atomic_write(out, lambda tmp: table.to_parquet(tmp, index=False))
    except AllianceError as exc:
        raise fail(exc) from None
    if json_out:
        print_json({"grid": str(grid), "out": str(path), "points": total, "rows": len(table),
                    "seed": spec.seed, "draws": spec.draws})
        return
    console().print(f"Wrote {len(table)} rows ({total} grid points) to {text(path)}")


def register(app: typer.Typer) -> None:
    """Add the ``deter`` and ``sweep`` commands to the CLI."""
    app.command("deter")(deter)
    app.command("sweep")(sweep)
