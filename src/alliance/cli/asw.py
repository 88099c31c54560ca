"""`alliance asw`: the GIUK anti-submarine barrier, with and without US assets.

Thin shell: runs the stages up to the plan, then the barrier stage
(:func:`alliance.asw.asw_barrier`), exactly as ``alliance assess`` does, and
prints P(detect) per leg and year (a Rich table, or one JSON object with ``--json``).
The tables read at 80 columns: legs by their names in the giuk_legs table, sensor
counts as integers, the named assumptions one line each (``--wide``: in full).
"""

from __future__ import annotations

from typing import Any

import typer

from alliance.cli.common import (
    WIDE_HELP,
    Justify,
    clip,
    console,
    count,
    fail,
    fit_table,
    fmt,
    label,
    print_json,
    print_table,
    text,
)
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
    wide: bool = typer.Option(False, "--wide", help=WIDE_HELP),
) -> None:
    """GIUK barrier: P(detect) per transit and leg, with and without US assets.

    Then the sensors Europe needs to hold the target P(detect) on every leg without
    US assets, and the named assumptions (descriptions cut to one line unless --wide).
    """
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
        legs = ds.table("giuk_legs")
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
    names = {str(k): str(v) for k, v in zip(legs["leg"], legs["name"], strict=True)}
    _print_barrier(sc.name, rows, req, names)
    _print_assumptions(sc.asw.assumptions(prefix="asw."), wide)


#: Columns of the barrier table (80 columns), and how each is justified.
_BARRIER_TABLE: list[tuple[str, Justify]] = [
    ("year", "right"), ("leg", "left"), ("P(detect)", "right"), ("without US", "right"),
    ("missed per year", "right"), ("missed without US", "right"),
]


def _print_barrier(scenario: str, rows: list[dict[str, Any]], req: Any,
                   names: dict[str, str]) -> None:
    """P(detect) per year and leg (``rows``), then the sensors needed without US (``req``)."""
    cells = [[str(r["year"]), text(names.get(str(r["leg"]), label(str(r["leg"])))),
              fmt(r["p_detect"]), fmt(r["p_detect_without_us"]),
              fmt(r["expected_undetected"], 1), fmt(r["expected_undetected_without_us"], 1)]
             for r in rows]
    print_table(fit_table(f"GIUK barrier, scenario '{scenario}': P(detect) per transit",
                          _BARRIER_TABLE, cells))
    console().print("P(detect): probability that one submarine transit of the leg is "
                    "detected, with and without US assets; missed: expected undetected "
                    "transits per year.", highlight=False)
    records = req.to_dict("records")
    if not records:
        return
    targets = sorted({f"{r['target_p_detect']:g}" for r in records})
    needed = [[str(r["year"]), text(r["sensor"]),
               count(r["requirement_units"]) or "unreachable", count(r["held_units"])]
              for r in records]
    print_table(fit_table(
        f"Sensors needed for P(detect) >= {' / '.join(targets)} on every leg without US",
        [("year", "right"), ("sensor", "left"), ("needed", "right"), ("held", "right")],
        needed))


def _print_assumptions(assumptions: Any, wide: bool) -> None:
    """The named assumptions of the stage: one line each, cut with '…', or in full with ``wide``.

    Each line is ``parameter = value: description`` (the parameter's name in the
    scenario YAML, its value, and the description with unit, range and source).
    """
    width = console().width
    sentences = [" ".join(f"Assumption: {a.sentence()}".split()) for a in assumptions]
    for sentence in sentences:
        console().print(text(sentence if wide else clip(sentence, width)), highlight=False)
    if not wide and any(len(s) > width for s in sentences):
        console().print("Assumptions cut to one line (…): --wide prints them in full (units, "
                        "ranges and sources).", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``asw`` command to the ``alliance`` app."""
    app.command("asw")(asw)
