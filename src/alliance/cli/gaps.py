"""`alliance gaps`: what Europe lacks in one year of a scenario, and its US dependency."""

from __future__ import annotations

from typing import Any

import typer

from alliance.cli.common import Justify, console, fail, fmt, new_table, print_json, text
from alliance.errors import AllianceError

_ROW_COLUMNS = [
    "capability", "year", "unit", "requirement", "requirement_source", "requirement_kind",
    "european_holdings", "european_effective", "sustainment_loss", "us_in_place",
    "us_reinforcement", "us_contribution", "us_contribution_basis", "gap", "surplus",
    "coverage", "allies_with_data", "data_status",
]
_DEPENDENCY_COLUMNS = [
    "iso3", "holder", "capability", "unit", "holdings", "us_made_holdings", "us_made_share",
    "unknown_origin_holdings", "us_made_systems", "availability_at_horizon",
    "value_at_stake_musd", "value_status",
]
#: Columns of the gap table and of the exposure table, and how each is justified.
_GAP_TABLE: tuple[tuple[str, Justify], ...] = (
    ("capability", "left"), ("unit", "left"), ("requirement", "right"), ("source", "left"),
    ("European (eff.)", "right"), ("US", "right"), ("gap", "right"), ("covered", "right"),
    ("data status", "left"),
)
_EXPOSURE_TABLE: tuple[tuple[str, Justify], ...] = (
    ("holder", "left"), ("capability", "left"), ("US-made", "right"), ("share", "right"),
    ("systems", "left"), ("value USD m", "right"), ("value status", "left"),
)


def gaps(
    scenario: str = typer.Option(..., "--scenario", help="Built-in scenario name or YAML file."),
    year: int = typer.Option(..., "--year", help="Year to report (within the scenario's years)."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
) -> None:
    """Capability gaps per capability area in one year, and the kill-switch exposure per ally."""
    from alliance.capabilities import capability_coverage, capability_gaps, dependency_exposure
    from alliance.data import load_dataset
    from alliance.scenario import load_scenario

    try:
        sc = load_scenario(scenario)
        if year not in sc.years:
            raise AllianceError(
                f"--year: expected a year from {sc.first_year} to {sc.horizon} "
                f"(scenario {sc.name}), found {year}."
            )
        ds = load_dataset(overlay)
        table = capability_gaps(ds, sc)
        dependency = dependency_exposure(ds, sc)
    except AllianceError as exc:
        raise fail(exc) from None
    params = sc.capabilities
    rows = table[table["year"] == year]
    coverage = capability_coverage(table, params.risk_weights)
    if json_out:
        print_json({
            "scenario": sc.name,
            "year": year,
            "requirement_source": params.requirement_source,
            "coverage": coverage.get(year),
            "assumptions": [a.sentence() for a in params.assumptions(prefix="capabilities.")],
            "rows": rows[_ROW_COLUMNS],
            "dependency": dependency[_DEPENDENCY_COLUMNS],
        })
        return
    _print_gaps(rows, f"Capability gaps {year}, scenario '{sc.name}' "
                      f"(requirement source: {params.requirement_source})")
    cov = coverage.get(year)
    console().print(
        f"Coverage of requirements (risk-weighted, capped at 1 per capability): "
        f"{'n/a' if cov is None or cov != cov else f'{cov:.0%}'}."
    )
    _print_exposure(dependency)
    for assumption in params.assumptions(prefix="capabilities."):
        console().print(f"Assumption: {text(assumption.sentence())}", highlight=False)


def _print_gaps(rows: Any, title: str) -> None:
    """The gap table of one year (``rows``, a frame of the gap table), largest gap first."""
    out = new_table(title=title)
    for col, just in _GAP_TABLE:
        out.add_column(col, justify=just, overflow="fold")
    for _, r in rows.sort_values(["gap", "capability"], ascending=[False, True],
                                 na_position="last").iterrows():
        out.add_row(
            str(r["capability"]), str(r["unit"]),
            fmt(r["requirement"], 0) or "no requirement",
            str(r["requirement_source"]),
            fmt(r["european_effective"], 0) or "no data",
            fmt(r["us_contribution"], 0), fmt(r["gap"], 0),
            "" if r["coverage"] != r["coverage"] else f"{r['coverage']:.0%}",
            str(r["data_status"]),
        )
    console().print(out)


def _print_exposure(dependency: Any) -> None:
    """The kill-switch table: US-made holdings per European ally (``dependency`` frame)."""
    exposed = dependency[dependency["us_made_holdings"] > 0].sort_values(
        "us_made_holdings", ascending=False)
    dep = new_table(title="Kill-switch exposure: US-made holdings of European allies")
    for col, just in _EXPOSURE_TABLE:
        dep.add_column(col, justify=just, overflow="fold")
    for _, r in exposed.iterrows():
        dep.add_row(str(r["holder"]), str(r["capability"]), fmt(r["us_made_holdings"], 0),
                    f"{r['us_made_share']:.0%}", str(r["us_made_systems"]),
                    fmt(r["value_at_stake_musd"], 0) or "n/a", str(r["value_status"]))
    console().print(dep)


def register(app: typer.Typer) -> None:
    """Add the ``gaps`` command to the ``alliance`` app."""
    app.command("gaps")(gaps)
