"""`alliance scenario`: list, show and validate scenarios."""

from __future__ import annotations

from pathlib import Path

import typer

from alliance.cli.common import console, fail, new_table, print_json, text
from alliance.errors import AllianceError

scenario_app = typer.Typer(
    rich_markup_mode=None, help="Scenarios: list, show and validate.", no_args_is_help=True
)


@scenario_app.command("list")
def list_scenarios(json_out: bool = typer.Option(False, "--json")) -> None:
    """List the built-in scenarios."""
    from alliance.scenario import builtin_scenario_names, load_scenario

    rows = []
    for name in builtin_scenario_names():
        sc = load_scenario(name)
        rows.append({"name": name, "description": sc.description})
    if json_out:
        print_json({"scenarios": rows})
        return
    table = new_table(title="built-in scenarios")
    table.add_column("name")
    table.add_column("description", overflow="fold")
    for r in rows:
        table.add_row(text(r["name"]), text(r["description"]))
    console().print(table)


@scenario_app.command("show")
def show(
    name: str = typer.Argument(..., help="Built-in name or YAML file."),
    yaml_out: bool = typer.Option(False, "--yaml", help="Print the full scenario as YAML."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Show every parameter of a scenario, with its value and whether it is the default."""
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
    table = new_table(title=text(f"{sc.name}: {sc.description}"))
    for col in ("parameter", "value", "default", "description"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*(text(r[c]) for c in ("parameter", "value", "default", "description")))
    console().print(table)


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
