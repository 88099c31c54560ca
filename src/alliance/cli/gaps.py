"""`alliance gaps`: what Europe lacks in one year of a scenario, and its US dependency."""

from __future__ import annotations

from typing import Any

import typer

from alliance.cli.common import Justify, console, count, fail, new_table, print_json, text
from alliance.errors import AllianceError

_ROW_COLUMNS = [
    "capability", "year", "unit", "requirement", "requirement_low", "requirement_high",
    "requirement_basis", "requirement_source", "requirement_kind", "requirement_note",
    "european_baseline", "european_holdings", "european_effective", "sustainment_loss",
    "us_in_place", "us_reinforcement", "us_contribution", "gap", "gap_low", "gap_high", "surplus",
    "coverage", "most_sensitive_assumption", "most_sensitive_swing", "allies_with_data",
    "data_status",
]
_DEPENDENCY_COLUMNS = [
    "iso3", "holder", "capability", "unit", "holdings", "us_made_holdings", "us_made_share",
    "unknown_origin_holdings", "us_made_systems", "availability_at_horizon",
    "value_at_stake_musd", "value_status",
]
#: Columns of the gap table (fits 80 columns; notes only with --wide), and how each is justified.
_GAP_TABLE: tuple[tuple[str, Justify], ...] = (
    ("area", "left"), ("need", "right"), ("Europe", "right"), ("US", "right"),
    ("gap", "right"), ("range", "right"), ("basis", "left"),
)
_EXPOSURE_TABLE: tuple[tuple[str, Justify], ...] = (
    ("holder", "left"), ("area", "left"), ("US-made", "right"), ("share", "right"),
    ("value USD m", "right"),
)
#: Short names of the requirement sources for the table.
_SOURCE_LABELS = {
    "replace_us": "replace US", "kiel_fit_for_war_2025": "Kiel 2025",
    "bruegel_kiel_2025": "Bruegel", "nato_2025": "NATO 2025", "rusi_2014": "RUSI 2014",
    "giuk_barrier": "GIUK model", "user": "user", "assumption": "assumption", "none": "none",
}


def gaps(
    scenario: str = typer.Option(..., "--scenario", help="Built-in scenario name or YAML file."),
    year: int = typer.Option(..., "--year", help="Year to report (within the scenario's years)."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
    wide: bool = typer.Option(False, "--wide", help="Add data-status notes and systems."),
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
            "coverage": coverage.get(year),
            "range": "gap_low/gap_high: every ranged assumption at its favourable/unfavourable "
                     "end (requirement, US reinforcement share, sustainment floor and half-life)",
            "assumptions": [a.sentence() for a in params.assumptions(prefix="capabilities.")],
            "rows": rows[_ROW_COLUMNS],
            "dependency": dependency[_DEPENDENCY_COLUMNS],
        })
        return
    _print_gaps(rows, f"Capability gaps {year}, scenario '{sc.name}'", wide)
    cov = coverage.get(year)
    console().print(
        "need = requirement (central); range = gap with every ranged assumption at its "
        "low and high end. "
        f"Coverage (risk-weighted, capped at 1 per area): "
        f"{'n/a' if cov is None or cov != cov else f'{cov:.0%}'}.", highlight=False,
    )
    _print_exposure(dependency, wide)
    for assumption in params.assumptions(prefix="capabilities."):
        console().print(f"Assumption: {text(assumption.sentence())}", highlight=False)


def _count(value: Any) -> str:
    """A count as people read it: 12,345; 300k; 1.47m; empty when missing."""
    if isinstance(value, int | float) and abs(value) >= 1e6:
        return f"{value / 1e6:.2f}m"
    if isinstance(value, int | float) and abs(value) >= 1e5:
        return f"{value / 1e3:.0f}k"
    return count(value)


def _print_gaps(rows: Any, title: str, wide: bool) -> None:
    """The gap table of one year (``rows``, a frame of the gap table), largest gap first."""
    import rich.box

    from alliance.catalogue import capability_catalogue

    out = new_table(title=title, box=rich.box.SIMPLE_HEAD)
    for col, just in _GAP_TABLE + ((("notes", "left"),) if wide else ()):
        out.add_column(col, justify=just, min_width={"area": 18, "basis": 12}.get(col),
                       no_wrap=col in ("basis", "need", "Europe", "US", "gap"))
    ordered = rows.assign(_share=rows["gap"] / rows["requirement"]).sort_values(
        ["_share", "capability"], ascending=[False, True], na_position="last")
    for _, r in ordered.iterrows():
        label = capability_catalogue().area(str(r["capability"])).label
        cells = [
            text(label), _count(r["requirement"]) or "none",
            _count(r["european_effective"]) or "no data", _count(r["us_contribution"]),
            _count(r["gap"]),
            f"{_count(r['gap_low'])} – {_count(r['gap_high'])}" if r["gap"] == r["gap"] else "",
            _SOURCE_LABELS.get(str(r["requirement_source"]), str(r["requirement_source"])),
        ]
        if wide:
            cells.append(text(r["data_status"]))
        out.add_row(*cells)
    console().print(out)


def _print_exposure(dependency: Any, wide: bool) -> None:
    """The kill-switch table: US-made holdings of European allies (``dependency`` frame)."""
    from alliance.catalogue import capability_catalogue

    exposed = dependency[dependency["us_made_holdings"] > 0].sort_values(
        "us_made_holdings", ascending=False)
    import rich.box

    dep = new_table(title="Kill-switch exposure: US-made holdings of European allies",
                    box=rich.box.SIMPLE_HEAD)
    for col, just in _EXPOSURE_TABLE + ((("systems", "left"),) if wide else ()):
        dep.add_column(col, justify=just, min_width=18 if col == "area" else None)
    for _, r in exposed.iterrows():
        cells = [text(r["holder"]), text(capability_catalogue().area(str(r["capability"])).label),
                 _count(r["us_made_holdings"]), f"{r['us_made_share']:.0%}",
                 _count(r["value_at_stake_musd"]) or "n/a"]
        if wide:
            cells.append(text(r["us_made_systems"]))
        dep.add_row(*cells)
    console().print(dep)


def register(app: typer.Typer) -> None:
    """Add the ``gaps`` command to the ``alliance`` app."""
    app.command("gaps")(gaps)
