"""`alliance asw`: the GIUK anti-submarine barrier, with and without US assets.

Thin shell: runs the stages up to the plan, then the barrier stage
(:func:`alliance.asw.asw_barrier`), exactly as ``alliance assess`` does, and
prints P(detect) per leg and year (a Rich table, or one JSON object with ``--json``).
"""

from __future__ import annotations

from typing import Any

import typer

from alliance.cli.common import console, fail, fmt, new_table, print_json, text
from alliance.errors import AllianceError

__all__ = ["register"]


def _sensor_map(sensors: Any, year: int, leg: str) -> dict[str, float]:
    rows = sensors[(sensors["year"] == year) & (sensors["leg"] == leg)]
    out: dict[str, float] = {}
    for r in rows.to_dict("records"):
        key = f"{r['sensor']}_{r['owner']}_on_station"
        if r["sensor"] == "fixed_seabed_array":
            key = "fixed_seabed_array_us_scale"
            out[key] = float(r["fleet_units"])
        else:
            out[key] = float(r["on_station"])
    return out


def asw(
    scenario: str = typer.Option("baseline", "--scenario", help="Built-in scenario or YAML."),
    year: int | None = typer.Option(None, "--year", help="One year (default: all years)."),
    overlay: str | None = typer.Option(None, "--overlay", help="Data overlay folder."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
) -> None:
    """GIUK barrier: P(detect) per transit and leg, with and without US assets."""
    from alliance.assessment import RunSettings, run_stages
    from alliance.data import load_dataset
    from alliance.scenario import load_scenario

    try:
        sc = load_scenario(scenario)
        if year is not None and year not in sc.years:
            raise AllianceError(
                f"--year: expected a year from {sc.first_year} to {sc.horizon} "
                f"(scenario {sc.name}), found {year}."
            )
        ds = load_dataset(overlay)
        done = run_stages(ds, sc, RunSettings(draws=1, seed=0), until="asw")
        result = done.need("asw")
    except AllianceError as exc:
        raise fail(exc) from None
    det = result.detection
    req = result.requirements
    if year is not None:
        det = det[det["year"] == year]
        req = req[req["year"] == year]
    rows = [
        {
            "leg": r["leg"], "year": int(r["year"]), "p_detect": r["p_detect"],
            "p_detect_without_us": r["p_detect_without_us"],
            "expected_undetected": r["expected_undetected"],
            "expected_undetected_without_us": r["expected_undetected_without_us"],
            "sensors": _sensor_map(result.sensors, int(r["year"]), str(r["leg"])),
        }
        for r in det.to_dict("records")
    ]
    assumptions = [a.sentence() for a in sc.asw.assumptions(prefix="asw.")]
    if json_out:
        print_json({"scenario": sc.name, "rows": rows, "requirements": req,
                    "assumptions": assumptions})
        return
    table = new_table(title=f"GIUK barrier, scenario '{sc.name}': P(detect) per transit")
    for col in ("year", "leg", "P(detect)", "without US", "undetected/yr", "w/o US"):
        table.add_column(col, justify="left" if col == "leg" else "right")
    for r in rows:
        table.add_row(str(r["year"]), text(r["leg"]), fmt(r["p_detect"]),
                      fmt(r["p_detect_without_us"]), fmt(r["expected_undetected"], 1),
                      fmt(r["expected_undetected_without_us"], 1))
    console().print(table)
    for r in req.to_dict("records"):
        console().print(
            f"{r['year']}: {text(r['sensor'])} needed for P(detect) >= "
            f"{r['target_p_detect']:g} on every leg without US: "
            f"{fmt(r['requirement_units'], 0) or 'unreachable'} (held {fmt(r['held_units'], 0)})",
            highlight=False,
        )
    for sentence in assumptions:
        console().print(f"Assumption: {text(sentence)}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``asw`` command to the ``alliance`` app."""
    app.command("asw")(asw)
