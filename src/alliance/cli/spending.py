"""`alliance spending`: who meets which pledge when, along a spending path."""

from __future__ import annotations

from typing import Any

import typer

from alliance.cli.common import (
    Justify,
    add_rows,
    console,
    count,
    fail,
    fmt,
    new_table,
    print_json,
)
from alliance.constants import PROJECTED_SPENDING_PATHS
from alliance.errors import AllianceError

#: Columns of the ``--json`` rows.
_JSON_COLUMNS = [
    "iso3",
    "name",
    "year",
    "is_actual",
    "status",
    "headline",
    "share_gdp_pct",
    "total_share_gdp_pct",
    "spending_musd_current",
    "spending_musd_constant",
    "equipment_musd_current",
    "gap_two_pct_musd",
    "gap_core_musd",
    "gap_total_musd",
    "absorption_cap_binding",
    "two_pct_met_year",
    "core_pledge_met_year",
    "total_pledge_met_year",
    "two_pct_met_status",
    "core_pledge_met_status",
    "total_pledge_met_status",
    "money_plan_currency",
    "money_plan_bn",
    "source",
    "transcribed_from",
    "fair_share_ratio",
]
#: Columns of the Rich table and how each is justified.
_TABLE_COLUMNS: tuple[tuple[str, Justify], ...] = (
    ("ally", "left"),
    ("% GDP", "right"),
    ("USD m", "right"),
    ("gap, USD m", "right"),
    ("2 %", "right"),
    ("3.5 %", "right"),
    ("5 %", "right"),
    ("fair share", "right"),
)

def spending(
    path: str = typer.Option(
        "national", "--path", help=" | ".join(PROJECTED_SPENDING_PATHS)
    ),
    year: int = typer.Option(
        2030, "--year", help="Year to report (2014-2035); years up to 2025 are actuals."
    ),
    ally: list[str] = typer.Option(None, "--ally", help="ISO3 code; repeat for several allies."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
) -> None:
    """Project defence spending along a path and report one year."""
    try:
        result, wanted = _project(path, year, ally, overlay)
    except AllianceError as exc:
        raise fail(exc) from None
    rows = result.allies[result.allies["year"] == year].merge(
        result.pledges[
            ["iso3", "two_pct_met_year", "core_pledge_met_year", "total_pledge_met_year",
             "two_pct_met_status", "core_pledge_met_status", "total_pledge_met_status"]
        ],
        on="iso3",
    )
    if wanted:
        rows = rows[rows["iso3"].isin(wanted)]
    agg = result.aggregates[result.aggregates["year"] == year].iloc[0]
    oz = result.olson_zeckhauser[result.olson_zeckhauser["year"] == year]
    rho = float(oz["olson_zeckhauser_rho"].iloc[0]) if len(oz) else None
    p_value = float(oz["olson_zeckhauser_p"].iloc[0]) if len(oz) else None
    fair = result.burden[result.burden["year"] == year][["iso3", "fair_share_ratio"]]
    rows = rows.merge(fair, on="iso3", how="left")
    if json_out:
        print_json(
            {
                "path": path,
                "year": year,
                "price_basis": "USD million; current prices, and constant 2025 prices",
                "rows": rows[_JSON_COLUMNS],
                "aggregates": {k: agg[k] for k in agg.index if k != "year"},
                "burden_sharing": {"olson_zeckhauser_rho": rho, "olson_zeckhauser_p": p_value},
            }
        )
        return
    _print_year(path, year, rows, agg, rho, p_value)


def _project(
    path: str, year: int, ally: list[str] | None, overlay: str | None
) -> tuple[Any, list[str] | None]:
    """The SpendingResult of ``path`` and the allies asked for (None: all), validated.

    Raises AllianceError for an unknown path, a year outside the projection or an
    unknown ISO3 code.
    """
    from alliance.data import load_dataset
    from alliance.params import SpendingAssumptions
    from alliance.scenario import Scenario
    from alliance.spending import spending_for

    if path not in PROJECTED_SPENDING_PATHS:
        raise AllianceError(
            f"--path: expected one of {', '.join(PROJECTED_SPENDING_PATHS)}, found {path!r}."
        )
    ds = load_dataset(overlay)
    scenario = Scenario(
        name=f"spending-{path}",
        spending=SpendingAssumptions.model_validate({"path": path}),
    )
    result = spending_for(ds, scenario)
    years = sorted(result.allies["year"].unique())
    if year not in years:
        raise AllianceError(
            f"--year: expected a year from {years[0]} to {years[-1]}, found {year}."
        )
    wanted = [a.upper() for a in ally] if ally else None
    known = set(result.allies["iso3"])
    if wanted and set(wanted) - known:
        bad = sorted(set(wanted) - known)
        raise AllianceError(
            f"--ally: unknown ISO3 code(s) {', '.join(bad)}; see `alliance data show allies`."
        )
    return result, wanted


def _print_year(
    path: str, year: int, rows: Any, agg: Any, rho: float | None, p_value: float | None
) -> None:
    """The ally table of ``year`` (``rows``, a DataFrame) and the NATO totals (``agg``)."""
    table = new_table(
        title=f"Defence spending {year}, path '{path}' "
        f"({'actual' if year <= 2025 else 'projection'})", show_edge=False
    )
    for col, just in _TABLE_COLUMNS:
        table.add_column(col, justify=just, no_wrap=just == "right")
    lines = []
    for _, r in rows.sort_values("share_gdp_pct", ascending=False, na_position="last").iterrows():
        lines.append([
            str(r["name"]),
            fmt(r["share_gdp_pct"]),
            fmt(r["spending_musd_current"], 0),
            fmt(r["gap_core_musd"], 0),
            count(r["two_pct_met_year"], separator=False),
            count(r["core_pledge_met_year"], separator=False),
            count(r["total_pledge_met_year"], separator=False),
            fmt(r["fair_share_ratio"]),
        ])
    add_rows(table, lines)
    console().print(table)
    console().print("USD m at current prices; gap: USD m short of 3.5 % core; 2 %, 3.5 %, 5 %: "
                    "year each pledge is first met.")
    console().print(
        f"NATO total {fmt(agg['nato_total_musd_current'] / 1000, 0)} bn USD (current); "
        f"US share {fmt(agg['us_share_pct'], 1)} %; allies at 2 %: {agg['allies_at_2pct']}, "
        f"at 3.5 %: {agg['allies_at_3_5pct']}, at 5 %: {agg['allies_at_5pct']} "
        f"(of {agg['allies_with_armed_forces']} with armed forces). "
        + (f"Olson-Zeckhauser rho {rho:.3f} (p = {p_value:.2f})." if rho is not None else "")
    )


def register(app: typer.Typer) -> None:
    """Add the ``spending`` command to ``app``."""
    app.command("spending")(spending)
