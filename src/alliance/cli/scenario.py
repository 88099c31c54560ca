"""`alliance scenario`: list, show and validate scenarios.

The tables read at 80 columns: one line per scenario or parameter, long
descriptions and values cut to that line with '…' (``--wide`` prints them in full),
no parameter name or word broken. ``--json`` and ``--yaml`` are unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from alliance.cli.common import (
    Justify,
    console,
    count,
    fail,
    fit_table,
    print_json,
    print_table,
    text,
)
from alliance.errors import AllianceError

scenario_app = typer.Typer(
    rich_markup_mode=None, help="Scenarios: list, show and validate.", no_args_is_help=True
)


#: Help of ``--wide`` of ``scenario list`` and ``scenario show``.
SCENARIO_WIDE_HELP = ("Print descriptions and values in full (show: with each parameter's "
                      "description; needs about 120 columns).")


#: How an empty value (the model derives it; the description says how) reads without --wide.
_EMPTY_SHOWN = {"(empty: see description)": "(empty: see --wide)"}


@scenario_app.command("list")
def list_scenarios(
    json_out: bool = typer.Option(False, "--json"),
    wide: bool = typer.Option(False, "--wide", help=SCENARIO_WIDE_HELP),
) -> None:
    """List the built-in scenarios (descriptions cut to one line unless --wide)."""
    from alliance.scenario import builtin_scenario_names, load_scenario

    rows = []
    for name in builtin_scenario_names():
        sc = load_scenario(name)
        rows.append({"name": name, "description": sc.description})
    if json_out:
        print_json({"scenarios": rows})
        return
    columns: list[tuple[str, Justify]] = [("name", "left"), ("description", "left")]
    cells = [[text(r["name"]), text(r["description"])] for r in rows]
    print_table(fit_table("built-in scenarios", columns, cells, clipped=None if wide else 1))
    console().print(("" if wide else "Descriptions cut to one line (…): --wide prints them in "
                     "full. ") + "Every parameter of one: alliance scenario show NAME.",
                    highlight=False)


@scenario_app.command("show")
def show(
    name: str = typer.Argument(..., help="Built-in name or YAML file."),
    yaml_out: bool = typer.Option(False, "--yaml", help="Print the full scenario as YAML."),
    json_out: bool = typer.Option(False, "--json"),
    wide: bool = typer.Option(False, "--wide", help=SCENARIO_WIDE_HELP),
) -> None:
    """Show every parameter of a scenario, with its value and whether it is the default.

    One table per section (spending, us_commitment, ...), one line per parameter:
    its name within the section, its value (cut to the line with '…') and whether
    it is the default. --wide prints values in full and adds each parameter's
    description (unit, source or named assumption, range); --yaml prints the
    whole scenario.
    """
    import yaml

    from alliance.scenario import load_scenario, parameter_table

    try:
        sc = load_scenario(name)
    except AllianceError as exc:
        raise fail(exc) from None
    if yaml_out:
        typer.echo(yaml.safe_dump(sc.model_dump(mode="json"), sort_keys=False, allow_unicode=True))
        return
    rows = parameter_table(sc)
    if json_out:
        print_json({"scenario": sc.name, "description": sc.description, "parameters": rows})
        return
    _print_parameters(sc, rows, wide)


def _print_parameters(sc: Any, rows: list[dict[str, str]], wide: bool) -> None:
    """The parameters of ``sc`` (rows of parameter_table), one table per dotted section."""
    console().print(text(f"Scenario {sc.name}"), style="bold", highlight=False)
    console().print(text(sc.description), highlight=False)
    changed = sum(r["default"] != "yes" for r in rows)
    console().print(f"{count(len(rows))} parameters; {count(changed)} differ from the "
                    "defaults (default = no).", highlight=False)
    sections: dict[str, list[list[str]]] = {}
    for r in rows:
        section, _, leaf = r["parameter"].rpartition(".")
        value = _EMPTY_SHOWN.get(r["value"], r["value"]) if not wide else r["value"]
        cells = [text(leaf), text(value), text(r["default"])]
        sections.setdefault(section or "scenario", []).append(
            cells + [text(r["description"])] if wide else cells)
    columns: list[tuple[str, Justify]] = [("parameter", "left"), ("value", "left"),
                                          ("default", "left")]
    if wide:
        columns.append(("description", "left"))
    for section, section_rows in sections.items():
        console().print()
        print_table(fit_table(section, columns, section_rows, clipped=None if wide else 1))
    if not wide:
        console().print("\nValues cut to one line (…): --wide prints them in full, with each "
                        "parameter's description (unit, source or named assumption, range); "
                        "--yaml prints the whole scenario.", highlight=False)


@scenario_app.command("validate")
def validate(file: Path = typer.Argument(..., help="Scenario YAML file.")) -> None:
    """Validate a scenario file: exit 0 when valid, 2 with the line and field at fault."""
    from alliance.catalogue import ally_codes
    from alliance.errors import ScenarioError
    from alliance.scenario import load_scenario

    try:
        sc = load_scenario(file)
        unknown = sorted(set(sc.spending.ally_overrides) - ally_codes())
        if unknown:
            raise ScenarioError(file, f"spending.ally_overrides.{unknown[0]}",
                                "the ISO3 code of an ally (see `alliance data show allies`)",
                                repr(unknown[0]))
    except AllianceError as exc:
        raise fail(exc) from None
    console().print(
        f"ok: scenario {sc.name!r} is valid ({len(sc.years)} years, "
        f"{sc.first_year}-{sc.horizon})."
    )


def register(app: typer.Typer) -> None:
    """Add the ``scenario`` command group to ``app``."""
    app.add_typer(scenario_app, name="scenario")
