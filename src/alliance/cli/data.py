"""`alliance data`: list, show, query and validate the bundled tables.

Every table reads at 80 columns: headers are plain labels (the column name with
spaces for underscores), no cell breaks a word, counts and years print as
integers, booleans as yes/no. A table too wide for the terminal shows the columns
that fit, key columns first, and says which were left out; ``--wide`` shows every
column at full width and ``--columns a,b`` picks them. ``--json`` is unchanged.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, TypedDict

import typer

from alliance.cli import importers
from alliance.cli.common import (
    Justify,
    clip,
    console,
    count,
    fail,
    fit_table,
    label,
    print_json,
    print_table,
)
from alliance.errors import AllianceError

data_app = typer.Typer(
    rich_markup_mode=None,
    help="Bundled, sourced data: list, show, query (SQL) and validate.", no_args_is_help=True
)

OverlayOption = typer.Option(None, "--overlay", help="Folder of CSVs that add or replace rows.")
#: Help of ``--wide`` for the data tables (they can be far wider than 120 columns).
DATA_WIDE_HELP = ("Show every column, notes and sources included, at full width "
                  "(lines longer than the terminal: pipe into `less -S`).")
#: Rows of a ``data sql`` result printed as a table (``--json`` returns up to ``--limit``).
SQL_TABLE_ROWS = 200
#: Ends of the column names that hold notes and sources, shown only with ``--wide``
#: (columns of type url are notes too).
_NOTE_SUFFIXES = ("source", "note", "notes", "detail", "basis", "transcribed_from", "derived",
                  "derived_from", "publication", "comment", "description", "assumption",
                  "assumptions")
#: Longest text cell printed without ``--wide`` (longer ones are cut at a space, with '…').
TEXT_CELL_CHARS = 60


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
    """List the tables with their row and column counts."""
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
    print_table(fit_table("alliance data tables",
                          [("table", "left"), ("rows", "right"), ("columns", "right")],
                          [[r["table"], count(r["rows"]), count(r["columns"])] for r in rows]))
    console().print("Columns and their meaning: alliance data show TABLE --schema.",
                    highlight=False)


@data_app.command("show")
def show(
    name: str = typer.Argument(..., help="Table name (see `alliance data list`)."),
    limit: int = typer.Option(20, "--limit", min=1, help="Rows to show."),
    schema: bool = typer.Option(False, "--schema", help="Show the data dictionary instead."),
    columns_opt: str | None = typer.Option(
        None, "--columns",
        help="Comma-separated column names to show, in this order, e.g. iso3,capital_lat "
        "(names: --schema).",
    ),
    wide: bool = typer.Option(False, "--wide", help=DATA_WIDE_HELP),
    overlay: Path | None = OverlayOption,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Show a table's first rows, or its data dictionary with --schema.

    At the terminal's width the table shows the columns that fit: key columns
    first, then the others in table order; notes, sources and descriptions (and
    columns too wide to fit) are left out, and a line under the table names them.
    Text longer than 60 characters is cut with '…'. --wide shows every column in
    full at full width (pipe into `less -S`); --columns a,b shows the named ones
    (still fitted to the terminal unless --wide). With --schema, descriptions are cut to one line
    unless --wide, which adds key, min, max and allowed values.
    """
    from alliance.data import load_dataset

    try:
        ds = load_dataset(overlay)
        frame = ds.table(name)
        requested = _requested_columns(name, list(frame.columns), columns_opt)
    except AllianceError as exc:
        raise fail(exc) from None
    spec = ds.schemas[name]
    if schema:
        entries: list[_ColumnEntry] = [
            {"column": c.name, "type": c.type, "unit": c.unit, "required": c.required,
             "description": c.description}
            for c in spec.columns
        ]
        if json_out:
            print_json({"table": name, "schema": entries})
            return
        _print_schema(name, spec, wide)
        return
    if json_out:
        print_json({"table": name, "rows": frame.head(limit)})
        return
    _print_rows(name, frame, spec, requested, limit=limit, wide=wide)


def _requested_columns(name: str, columns: list[str], option: str | None) -> list[str] | None:
    """The ``--columns`` names in order (None when not given); unknown names are an error."""
    if option is None:
        return None
    requested = [c.strip() for c in option.split(",") if c.strip()]
    unknown = [c for c in requested if c not in columns]
    if unknown or not requested:
        what = f"no column named '{unknown[0]}'" if unknown else f"no column in '{option}'"
        raise AllianceError(
            f"--columns: {what} in table {name}; its columns are: {', '.join(columns)}. "
            "Fix: give names from that list, separated by commas."
        )
    return list(dict.fromkeys(requested))


def _rows(n: int) -> str:
    """'1 row', '1,234 rows'."""
    return f"{count(n)} row" + ("" if n == 1 else "s")


def _is_note(column: str, kind: str) -> bool:
    """Whether a column holds notes or sources (url type, or a name like ``*_source``)."""
    return kind == "url" or column.endswith(_NOTE_SUFFIXES)


def _print_rows(name: str, frame: Any, spec: Any, requested: list[str] | None, *,
                limit: int, wide: bool) -> None:
    """The first ``limit`` rows of table ``name``, fitted to the terminal (see ``show``)."""
    kinds = {c.name: c.type for c in spec.columns}
    years = {c.name for c in spec.columns if c.unit == "year"}
    notes = [c for c in frame.columns if _is_note(c, kinds.get(c, ""))]
    if requested is not None:
        candidates = requested
    else:
        keys = [c for c in spec.key if c in frame.columns]
        rest = [c for c in frame.columns if c not in keys and c not in notes]
        candidates = keys + rest + (notes if wide else [])
    head = frame.head(limit)
    shown_rows = len(head)
    title = f"{name}: {_rows(len(frame))}" + (
        f", first {count(shown_rows)} shown" if shown_rows < len(frame) else "")
    left_out = _print_frame(title, head, candidates, years, wide=wide)
    if requested is None and not wide:
        left_out += [c for c in notes if c not in left_out]
    _say_left_out(left_out, [c for c in notes if c in left_out],
                  f"--wide shows every column at full width; --columns "
                  f"{','.join(candidates[:1] + left_out[:1])} picks columns "
                  f"(names and meaning: alliance data show {name} --schema).")


def _print_frame(title: str, frame: Any, candidates: list[str], years: set[str], *,
                 wide: bool) -> list[str]:
    """Print the ``candidates`` columns of ``frame`` that fit (all with ``wide``).

    Returns the candidates left out because they did not fit the terminal.
    """
    full = {c: [_cell(v, c, c in years) for v in frame[c]] for c in candidates}
    cells = full if wide else {c: [clip(v, TEXT_CELL_CHARS) for v in full[c]] for c in full}
    justify: dict[str, Justify] = {c: "right" if _numeric(frame[c]) else "left"
                                   for c in candidates}
    shown, left_out = list(candidates), []
    if not wide:
        shown, used = [], -1
        for c in candidates:
            need = _min_width(label(c), cells[c], justify[c]) + 3  # padding and rule
            if used + need <= console().width:
                shown.append(c)
                used += need
            else:
                left_out.append(c)
        if not shown and left_out:  # one column always shows (its text cut to fit)
            shown = [left_out.pop(0)]
    rows = [[cells[c][i] for c in shown] for i in range(len(frame))]
    print_table(fit_table(title, [(label(c), justify[c]) for c in shown], rows,
                          width=None if not wide else 10**6))
    if any(cells[c] != [" ".join(v.split()) for v in full[c]] for c in shown):
        console().print(f"Text longer than {TEXT_CELL_CHARS} characters cut (…): --wide "
                        "prints it in full.", highlight=False)
    return left_out


def _say_left_out(left_out: list[str], notes: list[str], how: str) -> None:
    """The line under a fitted table naming the columns it left out, and how to see them."""
    if not left_out:
        return
    other = [c for c in left_out if c not in notes]
    parts = []
    if other:
        parts.append(f"Not shown at {console().width} columns: {', '.join(other)}.")
    if notes:
        parts.append(f"Notes, sources and descriptions not shown: {', '.join(notes)}.")
    console().print(" ".join([*parts, how]), highlight=False)


def _min_width(header: str, cells: list[str], justify: Justify) -> int:
    """The narrowest a column can be without breaking a word (numbers: never wrapped)."""
    words = [w for t in [*cells, header] for w in t.split()]
    longest_word = max((len(w) for w in words), default=1)
    if justify == "right":
        return max([longest_word, *(len(t) for t in cells)])
    return longest_word


def _numeric(series: Any) -> bool:
    """Whether a column is numeric (booleans are not: they print as yes/no)."""
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(series.dtype)
                and not pd.api.types.is_bool_dtype(series.dtype))


def _cell(value: Any, column: str, is_year: bool = False) -> str:
    """One value as people read it: yes/no, integer counts, years without a separator.

    Whole numbers print as integers (``53``, ``2,009``; a year column, one named
    ``year`` or ``*_year`` or with unit year, as ``2009``); other numbers with up
    to three decimals (``41.317``), tiny ones with three significant digits.
    Text is printed as written; missing values are empty.
    """
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):  # numpy's too
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return ""
    if number.is_integer():
        year = is_year or column == "year" or column.endswith("_year")
        return count(number, separator=not year)
    if abs(number) < 0.001:
        return f"{number:.3g}"
    return f"{number:,.3f}".rstrip("0").rstrip(".")


def _print_schema(name: str, spec: Any, wide: bool) -> None:
    """The data dictionary of table ``name``: one line per column unless ``wide``."""
    columns: list[tuple[str, Justify]] = [("column", "left"), ("type", "left"),
                                          ("unit", "left"), ("required", "left"),
                                          ("description", "left")]
    base = [[c.name, c.type, c.unit, "yes" if c.required else "no"] for c in spec.columns]
    if wide:
        columns += [("key", "left"), ("min", "right"), ("max", "right"), ("allowed", "left")]
        rows = [[*b, c.description, "yes" if c.key else "",
                 _cell(c.min, "min", c.unit == "year"), _cell(c.max, "max", c.unit == "year"),
                 _allowed(c)]
                for b, c in zip(base, spec.columns, strict=True)]
        print_table(fit_table(f"{name}: data dictionary", columns, rows))
        return
    rows = [[*b, c.description] for b, c in zip(base, spec.columns, strict=True)]
    table = fit_table(f"{name}: data dictionary", columns, rows, clipped=4)
    print_table(table)
    cut = any(clip(c.description, table.columns[4].width or 0) != " ".join(c.description.split())
              for c in spec.columns)
    console().print(("Descriptions cut to one line (…): --wide prints them in full, with "
                     if cut else "--wide adds ") + "the key, min, max and allowed values of "
                    "each column.", highlight=False)


def _allowed(column: Any) -> str:
    """The allowed values of a dictionary column, readable (a reference names its table)."""
    if column.reference is not None:
        return f"values of {column.reference[0]}.{column.reference[1]}"
    return ", ".join(column.allowed)


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
    wide: bool = typer.Option(False, "--wide", help=DATA_WIDE_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Query the tables with SQL (DuckDB), read-only and time-limited by default.

    The table shows the result columns that fit the terminal, in query order, and
    names the ones left out (--wide shows them all at full width), and at most
    200 rows (--json returns up to --limit).
    """
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
    frame = frame.head(SQL_TABLE_ROWS).rename(columns=str)
    title = _rows(len(result)) + (
        f", first {count(len(frame))} shown" if len(frame) < len(result) else "")
    left_out = _print_frame(title, frame, list(frame.columns), set(), wide=wide)
    _say_left_out(left_out, [], "--wide shows every column at full width, or select "
                  "fewer columns in the query.")
    if len(frame) < len(result):
        console().print(f"--json returns up to --limit rows ({count(limit)}).", highlight=False)


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
        f"ok: {count(len(ds.tables))} tables, {count(total)} rows valid"
        + (f" (with overlay {overlay})" if overlay else ""),
        highlight=False, soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the ``data`` command group to ``app``."""
    importers.register(data_app)  # `alliance data import nato|sipri|kiel` (cli/importers.py)
    app.add_typer(data_app, name="data")
