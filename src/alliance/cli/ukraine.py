"""`alliance ukraine`: Kiel tracker allocations, Europe vs US, PURL, and the draw on budgets."""

from __future__ import annotations

from typing import Any

import typer

from alliance.cli.common import (
    WIDE_HELP,
    add_rows,
    console,
    count,
    fail,
    fmt,
    new_table,
    print_json,
    text,
)
from alliance.errors import AllianceError

_PURL_COLUMNS = ["iso3", "name", "joined", "as_of", "packages", "joint_packages", "amount_usd_m",
                 "other_amounts", "dates", "source", "source_grade"]
_ROW_COLUMNS = ["donor", "iso3", "year", "basis", "military_eur_bn", "financial_eur_bn",
                "humanitarian_eur_bn", "total_eur_bn", "share_of_gdp_pct"]


def ukraine(
    scenario: str = typer.Option("baseline", "--scenario", help="Built-in name or YAML file."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
    year: int = typer.Option(2030, "--year", help="Scenario year of the budget-draw table."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
    wide: bool = typer.Option(False, "--wide", help=WIDE_HELP),
) -> None:
    """Ukraine support per donor and year, Europe vs US, PURL per ally, draw on budgets."""
    try:
        sc, result = _run(scenario, overlay)
    except AllianceError as exc:
        raise fail(exc) from None
    from alliance.params.ukraine import UKRAINE_PRODUCTION_AREAS
    from alliance.summary import ukraine_summary

    summary = ukraine_summary(result, sc, year)
    rows = _rows(result)
    if json_out:
        print_json({
            "scenario": sc.name, "support": sc.ukraine.support,
            "units": "EUR billion (allocations, draw), percent (shares), USD million (PURL)",
            "rows": rows[_ROW_COLUMNS],
            "europe_us": summary["europe_us_shares"],
            "europe_us_figures": result.europe_us,
            "purl": result.purl_allies[_PURL_COLUMNS],
            "purl_totals": result.purl_totals,
            "europe_years": result.europe_years,
            "summary": summary,
            "production_draw": {
                area: sc.ukraine.output_share(area) for area in UKRAINE_PRODUCTION_AREAS},
            "production_draw_note": "share of European line output the planning LP reserves "
            "for Ukraine under the lever (docs/ukraine.md)",
        })
        return
    _print(sc.name, summary, result, rows, year, wide=wide, ukraine=sc.ukraine)


def _run(scenario: str, overlay: str | None) -> tuple[Any, Any]:
    from alliance.assessment import RunSettings, run_stages
    from alliance.data import load_dataset
    from alliance.scenario import load_scenario

    sc = load_scenario(scenario)
    done = run_stages(load_dataset(overlay), sc, RunSettings(draws=1, seed=0), until="ukraine")
    return sc, done.need("ukraine")


def _rows(result: Any) -> Any:
    """Donor-years of the data (basis ``kiel``) and the scenario's ally-years (``scenario``)."""
    import pandas as pd

    kiel = result.donor_years.assign(basis="kiel")
    draw = result.budget_draw.rename(columns={"draw_eur_bn": "military_eur_bn"}).assign(
        basis="scenario", donor=result.budget_draw["iso3"], financial_eur_bn=None,
        humanitarian_eur_bn=None, total_eur_bn=result.budget_draw["draw_eur_bn"])
    return pd.concat([kiel[_ROW_COLUMNS], draw[_ROW_COLUMNS]], ignore_index=True)


def _print(name: str, summary: dict[str, Any], result: Any, rows: Any, year: int,
           *, ukraine: Any, wide: bool = False) -> None:
    shares = new_table(title=f"Europe vs US support to Ukraine (Kiel), scenario {text(name)}")
    for col in ("year", "Europe %", "US %", "aid type", "measure", "data through"):
        shares.add_column(col)
    for s in summary["europe_us_shares"]:
        shares.add_row(str(s["year"]), fmt(s["europe_share_pct"], 1), fmt(s["us_share_pct"], 1),
                       text(s["aid_type"]), text(s["measure"]), text(s["data_through"]))
    console().print(shares)
    purl = new_table(title="PURL (Europe buys US weapons for Ukraine) per ally", show_edge=False)
    columns = ["ally", "joined", "packages", "USD m alone", "grade"]
    for col in columns + (["other amounts"] if wide else []):
        purl.add_column(col, justify="right" if col in ("packages", "USD m alone") else "left")
    lines = []
    for r in result.purl_allies.to_dict("records"):
        joined = "" if r["joined"] is None else ("yes" if r["joined"] else "no")
        line = [text(r["name"]), joined, count(r["packages"]), fmt(r["amount_usd_m"], 0),
                text(r["source_grade"] or "")]
        if wide:
            line.append(text(r["other_amounts"] or ""))
        lines.append(line)
    add_rows(purl, lines)
    console().print(purl)
    if not wide:
        console().print("Other amounts (not in USD) and notes: --wide.")
    console().print(
        f"PURL: {summary['purl_allies_joined']} allies joined "
        f"({fmt(summary['purl_allies_joined_share_pct'], 1)} %), refused: "
        f"{', '.join(summary['purl_allies_refused']) or 'none'}; latest reported total USD "
        f"{fmt(summary['purl_latest_total_usd_m'], 0)} m. In {summary['report_year']}: Europe "
        f"military support EUR {fmt(summary['europe_military_eur_bn'], 1)} bn "
        f"(lever '{summary['support']}'), PURL USD {fmt(summary['purl_usd_m'], 0)} m.",
        highlight=False,
    )
    draw = rows[(rows["basis"] == "scenario") & (rows["year"] == summary["report_year"])]
    table = new_table(title=f"Draw on European budgets {summary['report_year']} (EUR bn, % GDP)")
    for col in ("ally", "EUR bn", "% GDP"):
        table.add_column(col)
    for r in draw.sort_values("military_eur_bn", ascending=False).head(10).to_dict("records"):
        table.add_row(text(r["iso3"]), fmt(r["military_eur_bn"]), fmt(r["share_of_gdp_pct"], 3))
    console().print(table)
    console().print(
        f"Draw on production (reserved on European lines in the plan): 155 mm shells "
        f"{ukraine.output_share('ammunition_155mm'):.0%}, interceptors "
        f"{ukraine.output_share('air_defence_interceptor'):.0%}.", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``ukraine`` command to ``app``."""
    app.command("ukraine")(ukraine)
