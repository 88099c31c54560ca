"""`alliance assess` (the main job: report, summary, Parquet tables) and `alliance serve`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from alliance.cli.common import PM_NOTE, console, count, err_console, fail, fmt, text
from alliance.errors import AllianceError

DEFAULT_OUT = Path("alliance-out")
#: Defaults of ``alliance assess`` (equal to alliance.assess.DEFAULT_DRAWS / DEFAULT_SEED,
#: which a test checks; repeated here so that ``--help`` needs no heavy import).
DEFAULT_DRAWS = 20_000
DEFAULT_SEED = 20250624


def assess(
    scenarios: Annotated[list[str] | None, typer.Argument(
        help="Built-in scenario names or YAML paths (default: every built-in scenario).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder (replaced atomically).")
                   ] = DEFAULT_OUT,
    draws: Annotated[int, typer.Option("--draws", min=1_000, max=1_000_000,
                                       help="Monte Carlo draws per scenario and year.")
                     ] = DEFAULT_DRAWS,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the crisis Monte Carlo.")
                    ] = DEFAULT_SEED,
    overlay: Annotated[str | None, typer.Option("--overlay", help="Data overlay folder.")] = None,
) -> None:
    """Run every stage for each scenario; write report.html, summary.json and Parquet tables."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from alliance._io import check_output_folder
    from alliance.assess import result_tables, run_assessments, summarise, write_outputs
    from alliance.assessment import RunSettings, stage_names
    from alliance.data import load_dataset
    from alliance.report import narrative, render_report
    from alliance.scenario import builtin_scenario_names, load_scenario

    stages = stage_names()
    names = list(scenarios) if scenarios else builtin_scenario_names()
    started = time.perf_counter()
    try:
        check_output_folder(out)
        ds = load_dataset(overlay)
        loaded = [load_scenario(n) for n in names]
        with Progress(TextColumn("{task.description:<22}", markup=False, style="bold"),
                      BarColumn(), TextColumn("{task.fields[stage]:<13}", markup=False),
                      TimeElapsedColumn(),
                      console=err_console(), transient=False) as progress:
            tasks = {s.name: progress.add_task(text(s.name), total=len(stages), stage="waiting")
                     for s in loaded}

            def on_stage(scenario: str, stage: str) -> None:
                progress.update(tasks[scenario], completed=stages.index(stage), stage=stage)

            assessments = run_assessments(ds, loaded, RunSettings(draws=draws, seed=seed),
                                          on_stage=on_stage)
            for task in tasks.values():
                progress.update(task, completed=len(stages), stage="done")
        summary = summarise(assessments)
        html = render_report(assessments, summary, ds)
        target = write_outputs(out, result_tables(assessments), summary, html)
    except AllianceError as exc:
        raise fail(exc) from None
    _print_outcome(narrative(summary), target, time.perf_counter() - started)


def _print_outcome(findings: dict[str, dict[str, str]], target: Path, elapsed_s: float) -> None:
    """The findings per scenario (wrapped at spaces), the ± convention, and what was written.

    Paths print on lines of their own and are never wrapped inside (the terminal
    folds a path longer than the line); counts are integers.
    """
    shown = []
    for name, parts in findings.items():
        console().rule(text(name), style="bold")
        for key in ("spending", "gaps", "plan", "deterrence"):
            shown.append(parts[key])
            console().print(text(parts[key]), highlight=False, soft_wrap=False)
    if any("±" in part for part in shown):
        console().print(PM_NOTE, highlight=False)
    report = target / "report.html"
    console().print(f"\nReport: {text(report)}", highlight=False, soft_wrap=True)
    console().print(f"Folder: {text(target)}", highlight=False, soft_wrap=True)
    console().print(
        f"report.html ({fmt(report.stat().st_size / 1e6, 1)} MB), summary.json and "
        f"{count(len(list(target.glob('*.parquet'))))} Parquet tables, in "
        f"{count(elapsed_s)} s.",
        highlight=False,
    )


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: localhost)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
) -> None:
    """Serve the dashboard and the JSON API (FastAPI + uvicorn)."""
    import uvicorn

    from alliance.web import create_app, loopback_warning

    try:
        app = create_app(overlay=overlay)
    except AllianceError as exc:
        raise fail(exc) from None
    err_console().print(f"dashboard: http://{host}:{port}/  ·  API: http://{host}:{port}/docs",
                      highlight=False)
    if (warning := loopback_warning(host)) is not None:
        err_console().print(warning, highlight=False, soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add the ``assess`` and ``serve`` commands to ``app``."""
    app.command("assess")(assess)
    app.command("serve")(serve)
