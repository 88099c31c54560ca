"""`alliance plan`: how fast can budgets and factories close the capability gaps?"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import typer

from alliance.cli.common import (
    Justify,
    console,
    err_console,
    fail,
    fmt,
    new_table,
    print_json,
    text,
)
from alliance.errors import AllianceError

__all__ = ["register"]


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A Rich status line on stderr (or a silent stand-in when disabled)."""
    if not enabled:

        class _Silent:
            def update(self, *_args: Any, **_kwargs: Any) -> None:
                return None

        yield _Silent()
        return
    with err_console().status("planning…", spinner="dots") as status:
        yield status


def plan_command(
    scenario: str = typer.Option(..., "--scenario", help="Built-in scenario name or YAML file."),
    pooled_share: float | None = typer.Option(
        None, "--pooled-share", help="Share 0-1 of each ally's gap-closing budget pooled."
    ),
    horizon: int | None = typer.Option(None, "--horizon", help="Last year planned."),
    integer: bool = typer.Option(False, "--integer", help="Whole lots (MILP); small studies."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
) -> None:
    """Plan procurement and factory capacity to close the capability gaps."""
    from alliance.assessment import RunSettings, run_stages
    from alliance.data import load_dataset
    from alliance.scenario import apply_overrides, load_scenario

    overrides: dict[str, Any] = {}
    if pooled_share is not None:
        overrides["planning.pooled_share"] = pooled_share
    if integer:
        overrides["planning.integer_lots"] = True
    if horizon is not None:
        overrides["horizon"] = horizon
    try:
        with _progress(not json_out) as status:
            status.update("loading data and scenario…")
            sc = apply_overrides(load_scenario(scenario), overrides)
            dataset = load_dataset(overlay)
            results = run_stages(
                dataset, sc, RunSettings(draws=1, seed=0), until="planning",
                on_stage=lambda stage: status.update(f"{stage}…"),
            )
            result = results.need("plan")
    except AllianceError as exc:
        raise fail(exc) from None
    if json_out:
        print_json(result.to_dict())
        return
    _print_summary(result)


def _year_text(year: int | None) -> str:
    """A closure or pace year as printed: the year, or 'never'."""
    return "never" if year is None else str(year)


def _print_gaps(result: Any) -> None:
    """Per area: shortfall in the first and last planned year, plan and pace years."""
    from alliance.catalogue import capability_catalogue

    catalogue = capability_catalogue()
    short = result.shortfall
    first, last = int(short["year"].min()), int(result.horizon)
    table = new_table(title="Capability gaps: when the plan closes them, and at today's pace")
    columns: tuple[tuple[str, Justify], ...] = (
        ("area", "left"),
        (f"short {first}", "right"),
        (f"short {last}", "right"),
        ("unit", "left"),
        ("plan", "right"),
        ("pace", "right"),
    )
    for col, just in columns:
        table.add_column(col, justify=just)
    closure, pace = result.closure_year, result.pace_year
    for cap, grp in short.groupby("capability", sort=False):
        s = grp.set_index("year")["shortfall"]
        table.add_row(
            catalogue.label(str(cap)),
            fmt(float(s.get(first, 0.0)), 0),
            fmt(float(s.get(last, 0.0)), 0),
            str(grp["unit"].iloc[0] or ""),
            _year_text(closure.get(str(cap))),
            _year_text(pace.get(str(cap))),
        )
    console().print(table)
    console().print(
        f"plan = first year from which the plan keeps the gap closed (orders by "
        f"{result.horizon}, deliveries counted to {result.delivery_horizon}); pace = the "
        f"same at today's delivery pace, searched to {result.pace_search_to}; never = not "
        "within those years.",
        style="dim",
    )


def _print_summary(result: Any) -> None:
    """Readable Rich summary: closure per capability, spend per year, what binds."""
    console().print(
        f"Procurement plan — scenario {result.scenario}, "
        f"horizon {result.horizon}, status {result.status}"
    )
    _print_gaps(result)
    spend = result.spend.groupby("year", as_index=False)[["musd", "budget_musd"]].sum()
    stable = new_table(title="Money spent on the plan (USD million, constant 2025 prices)")
    for col in ("year", "spent", "available", "used"):
        stable.add_column(col, justify="right")
    for r in spend.itertuples():
        used = r.musd / r.budget_musd if r.budget_musd else float("nan")
        stable.add_row(
            str(r.year), fmt(r.musd, 0), fmt(r.budget_musd, 0), fmt(100 * used, 0) + " %"
        )
    console().print(stable)
    console().print(f"Total cost: {result.total_cost_musd:,.0f} USD million")
    console().print("What limits the plan", style="bold")
    for line in result.binding:
        console().print(f"  • {text(line)}", highlight=False)
    console().print(f"{len(result.assumptions)} assumptions apply; see --json 'assumptions'.",
                  style="dim")


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command to the ``alliance`` app."""
    app.command("plan")(plan_command)
