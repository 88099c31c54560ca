"""`alliance data`: list, show, query and validate the bundled tables."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

import typer

from alliance.cli import importers
from alliance.cli.common import console, fail, fmt, new_table, print_json
from alliance.errors import AllianceError

data_app = typer.Typer(
    rich_markup_mode=None,
    help="Bundled, sourced data: list, show, query (SQL) and validate.", no_args_is_help=True
)

OverlayOption = typer.Option(None, "--overlay", help="Folder of CSVs that add or replace rows.")


class _TableCount(TypedDict):
    table: str
    rows: int
    columns: int


class _ColumnEntry(TypedDict):
    column: str
    type: str
    unit: str
    required: bool
    description: str


@data_app.command("list")
def list_tables(
    overlay: Path | None = OverlayOption, json_out: bool = typer.Option(False, "--json")
) -> None:
    """List the tables with row counts and descriptions of their columns."""
    from alliance.data import load_dataset

    try:
        ds = load_dataset(overlay)
    except AllianceError as exc:
        raise fail(exc) from None
    rows: list[_TableCount] = [
        {"table": n, "rows": len(ds.tables[n]), "columns": len(ds.tables[n].columns)}
        for n in ds.table_names()
    ]
    if json_out:
        print_json({"tables": rows})
        return
    table = new_table(title="alliance data tables")
    for col in ("table", "rows", "columns"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["table"], str(r["rows"]), str(r["columns"]))
    console().print(table)


@data_app.command("show")
def show(
    name: str = typer.Argument(..., help="Table name (see `alliance data list`)."),
    limit: int = typer.Option(20, "--limit", min=1, help="Rows to show."),
    schema: bool = typer.Option(False, "--schema", help="Show the data dictionary instead."),
    overlay: Path | None = OverlayOption,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Show a table's first rows, or its data dictionary with --schema."""
    from alliance.data import load_dataset

    try:
        ds = load_dataset(overlay)
        frame = ds.table(name)
    except AllianceError as exc:
        raise fail(exc) from None
    if schema:
        spec = ds.schemas[name]
        columns: list[_ColumnEntry] = [
            {
                "column": c.name,
                "type": c.type,
                "unit": c.unit,
                "required": c.required,
                "description": c.description,
            }
            for c in spec.columns
        ]
        if json_out:
            print_json({"table": name, "schema": columns})
            return
        table = new_table(title=f"{name}: data dictionary")
        for col in ("column", "type", "unit", "required", "description"):
            table.add_column(col, overflow="fold")
        for e in columns:
            table.add_row(e["column"], e["type"], e["unit"], str(e["required"]), e["description"])
        console().print(table)
        return
    if json_out:
        print_json({"table": name, "rows": frame.head(limit)})
        return
    table = new_table(title=f"{name} ({len(frame)} rows; first {min(limit, len(frame))})")
    shown = [c for c in frame.columns if c not in ("source", "derived", "note", "detail")][:10]
    for col in shown:
        table.add_column(col, overflow="fold")
    for _, row in frame.head(limit).iterrows():
        table.add_row(*[fmt(row[c], 3) for c in shown])
    console().print(table)


@data_app.command("sql")
def sql(
    query: str = typer.Argument(..., help='SQL over the tables, e.g. "SELECT * FROM allies".'),
    overlay: Path | None = OverlayOption,
    allow_files: bool = typer.Option(
        False, "--allow-files",
        help="Let the query read (and write) your own files, e.g. read_csv('mine.csv'). "
        "Off by default: queries see only the tables.",
    ),
    limit: int = typer.Option(1000, "--limit", min=1, max=1_000_000,
                              help="Most result rows printed or returned."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Query the tables with SQL (DuckDB), read-only and time-limited by default."""
    from alliance.data import load_dataset

    try:
        result = load_dataset(overlay).sql(query, allow_files=allow_files)
    except AllianceError as exc:
        raise fail(exc) from None
    frame = result.head(limit)
    if json_out:
        print_json({"query": query, "rows": frame, "rows_total": len(result),
                    "truncated": len(result) > limit})
        return
    table = new_table()
    for col in frame.columns:
        table.add_column(str(col), overflow="fold")
    for _, row in frame.head(200).iterrows():
        table.add_row(*[fmt(row[c], 3) for c in frame.columns])
    console().print(table)


@data_app.command("validate")
def validate(overlay: Path | None = OverlayOption) -> None:
    """Validate every table (and an overlay): exit 0 when clean, 2 with the first error."""
    from alliance.data import load_dataset

    try:
        ds = load_dataset(overlay)
    except AllianceError as exc:
        raise fail(exc) from None
    total = sum(len(t) for t in ds.tables.values())
    console().print(
        f"ok: {len(ds.tables)} tables, {total} rows valid"
        + (f" (with overlay {overlay})" if overlay else "")
    )


def register(app: typer.Typer) -> None:
    """Add the ``data`` command group to ``app``."""
    importers.register(data_app)  # `alliance data import nato|sipri|kiel` (cli/importers.py)
    app.add_typer(data_app, name="data")
