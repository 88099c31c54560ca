"""`alliance mobility`: brigades in theatre by day, the links that bind, the ARF check.

Thin shell: runs the stages up to the plan (its deliveries equip brigades), then
the closure model (:mod:`alliance.mobility`) for one year: the network's closure
curve per assembly area with every ally sending everything, each ally's share,
the minimum-cut bottlenecks, the Allied Reaction Force and Steadfast Dart checks.
"""

from __future__ import annotations

from typing import Any

import typer

from alliance.cli.common import console, fail, fmt, new_table, print_json, text
from alliance.errors import AllianceError

__all__ = ["register"]


def _run(scenario: str, year: int | None, overlay: str | None, area: str | None) -> dict[str, Any]:
    # Long by design: one flat pass that builds the JSON object field by field, in the
    # order docs/mobility.md lists them; splitting it would scatter the contract.
    from alliance.assessment import RunSettings, run_stages
    from alliance.data import load_dataset
    from alliance.mobility.checks import arf_check, steadfast_dart_2026
    from alliance.mobility.closure import assembly_areas, closure_for_year
    from alliance.mobility.forces import brigades_for_year, plan_brigade_equivalents
    from alliance.mobility.stage import closure_table
    from alliance.scenario import load_scenario

    sc = load_scenario(scenario)
    chosen = sc.years[0] if year is None else year
    if chosen not in sc.years:
        raise AllianceError(f"--year: expected a year from {sc.first_year} to {sc.horizon} "
                            f"(scenario {sc.name}), found {chosen}.")
    ds = load_dataset(overlay)
    nodes, links = ds.table("corridor_nodes"), ds.table("corridor_links")
    if area is not None and area not in set(assembly_areas(nodes).values()):
        raise AllianceError(f"--area: expected one of {sorted(assembly_areas(nodes).values())}, "
                            f"found {area!r}.")
    done = run_stages(ds, sc, RunSettings(draws=1, seed=0), until="planning")
    p = sc.mobility
    oob = ds.table("order_of_battle")
    plan_be = plan_brigade_equivalents(done.need("plan").deliveries, oob, sc.years, p)
    allies = ds.table("allies")
    brigades = brigades_for_year(oob, allies, chosen, plan_be)
    us = sc.us_commitment
    result = closure_for_year(
        nodes, links, allies, brigades, p, chosen, float(us.forces_in_place.at(chosen)),
        float(us.reinforcements.at(chosen)), areas=None if area is None else [area],
        every=max(int(round(24.0 / p.time_step_h)), 1),
    )
    closure = closure_table(result, chosen, p.vehicles_heavy)
    per_day = max(int(round(24.0 / p.time_step_h)), 1)
    curves = result.curves.loc[result.curves["step"] % per_day == 0]
    by_ally = (curves.assign(day=curves["step"] // per_day)
               .groupby(["area", "ally", "day"])["brigades"].sum().reset_index())
    arf = arf_check(nodes, links, brigades, p)
    sd = steadfast_dart_2026(nodes, links, p)
    return {
        "scenario": sc.name,
        "year": chosen,
        "levers": {"permit_regime": p.permit_regime, "permit_delay_h": p.permit_delay_h(),
                   "us_strategic_lift": p.us_strategic_lift, "cut_links": list(p.cut_links),
                   "rail_baltica_open": p.rail_baltica_open},
        "closure": [
            {"area": r["area"], "host": r["host"], "day": int(r["day"]),
             "brigades_in_theatre": float(r["brigades_in_theatre"]),
             "brigades_at_start": float(r["brigades_at_start"]),
             "vehicles_arrived": float(r["vehicles"])}
            for r in closure.to_dict("records")
        ],
        "by_ally": [
            {"area": r["area"], "ally": r["ally"], "day": int(r["day"]),
             "brigades": float(r["brigades"])}
            for r in by_ally.to_dict("records") if float(r["brigades"]) > 0
        ],
        "bottlenecks": [
            {"area": r["area"], "capacity_vehicles_per_day": float(r["capacity_vehicles_per_day"]),
             "link_ids": str(r["link_ids"]).split()}
            for r in result.bottlenecks.to_dict("records")
        ],
        "arf_standard_met": arf.met,
        "arf": {"area": arf.area, "troops": arf.troops, "deadline_days": 10,
                "troops_by_deadline": arf.troops_by_deadline, "day_complete": arf.day_complete},
        "steadfast_dart_2026": {"vehicles": sd.vehicles, "closure_day": sd.closure_day,
                                "tolerance_days": list(sd.tolerance_days),
                                "within_tolerance": sd.within_tolerance},
        "assumptions": [a.sentence() for a in p.assumptions()],
    }


def mobility(
    scenario: str = typer.Option("baseline", "--scenario", help="Built-in scenario or YAML."),
    year: int | None = typer.Option(None, "--year", help="Year (default: the first)."),
    area: str | None = typer.Option(None, "--area", help="One assembly area node (e.g. LT_RUK)."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
) -> None:
    """Closure on the corridor network: brigades in theatre by day, bottlenecks, ARF check."""
    try:
        payload = _run(scenario, year, overlay, area)
    except AllianceError as exc:
        raise fail(exc) from None
    if json_out:
        print_json(payload)
        return
    table = new_table(title=f"Brigades in theatre, {payload['scenario']} {payload['year']} "
                      f"(permits {payload['levers']['permit_regime']})")
    for column in ("area", "day 0", "day 3", "day 10", "day 30"):
        table.add_column(column)
    rows: dict[str, dict[int, float]] = {}
    for r in payload["closure"]:
        rows.setdefault(r["area"], {})[r["day"]] = r["brigades_in_theatre"]
    for area_id, days in rows.items():
        table.add_row(text(area_id), *(fmt(days.get(d, float("nan")), 2) for d in (0, 3, 10, 30)))
    console().print(table)
    for b in payload["bottlenecks"]:
        console().print(f"{text(b['area'])}: binding links {text(' '.join(b['link_ids']))} "
                        f"({b['capacity_vehicles_per_day']:,.0f} vehicles/day)")
    arf = payload["arf"]
    console().print(f"ARF standard (40,000 in 10 days to {arf['area']}): "
                    f"{'met' if payload['arf_standard_met'] else 'not met'} "
                    f"({arf['troops_by_deadline']:,.0f} troops by day 10)")


def register(app: typer.Typer) -> None:
    """Add the ``mobility`` command to ``app``."""
    app.command("mobility")(mobility)
