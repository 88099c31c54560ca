"""`alliance data import nato|sipri|kiel FILE.xlsx --out DIR`: workbooks -> overlay folders.

Each command reads a workbook the analyst already has (nothing is downloaded) and writes
a validated overlay folder that every command's ``--overlay`` accepts. A layout that has
drifted (renamed sheet, moved header, inserted column, unknown country) is one error line
naming file, sheet, row and column, with exit status 2.

The report reads at 80 columns: rows written per table (integer counts), the
folder on a line of its own (never broken), and what was skipped, one line each
(``--wide``: in full).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from alliance.cli.common import (
    clip,
    console,
    count,
    fail,
    fit_table,
    print_json,
    print_table,
    text,
)
from alliance.errors import AllianceError

import_app = typer.Typer(
    rich_markup_mode=None,
    help="Import NATO, SIPRI or Kiel workbooks (.xlsx) into an overlay folder.",
    no_args_is_help=True,
)

FileArgument = typer.Argument(..., help="The workbook (.xlsx) as the publisher released it.")
OutOption = typer.Option(..., "--out", help="Overlay folder to write (replaced as a whole).")
JsonOption = typer.Option(False, "--json", help="One JSON object on stdout.")
WideOption = typer.Option(False, "--wide", help="Print what was skipped in full (one line "
                          "each by default, cut with '…').")


def _report(kind: str, file: Path, result: Any, json_out: bool, wide: bool = False) -> None:
    rows = dict(result.rows)
    if json_out:
        print_json({"kind": kind, "file": str(file), "out": str(result.out_dir), "rows": rows,
                    "skipped": list(result.skipped)})
        return
    print_table(fit_table(f"{kind}: wrote a validated overlay folder",
                          [("table", "left"), ("rows", "right")],
                          [[text(t), count(n)] for t, n in rows.items()]))
    # paths on lines of their own, never wrapped inside (the terminal folds a long one)
    console().print(f"Folder: {text(result.out_dir)}", highlight=False, soft_wrap=True)
    console().print(f"Use it with: --overlay {text(result.out_dir)}", highlight=False,
                    soft_wrap=True)
    if not result.skipped:
        return
    console().print(f"Skipped ({count(len(result.skipped))}, not imported):", highlight=False)
    width = console().width
    lines = [" ".join(str(line).split()) for line in result.skipped]
    for line in lines:
        console().print("  " + text(line if wide else clip(line, width - 2)), highlight=False)
    if not wide and any(len(line) > width - 2 for line in lines):
        console().print("Lines cut (…): --wide prints them in full.", highlight=False)


@import_app.command("nato")
def nato(
    file: Path = FileArgument, out: Path = OutOption,
    source: str | None = typer.Option(None, "--source", help="URL of the publication."),
    edition: str | None = typer.Option(None, "--edition", help="Edition label."),
    json_out: bool = JsonOption,
    wide: bool = WideOption,
) -> None:
    """NATO 'Defence Expenditure of NATO Countries' tables -> defence_expenditure."""
    from alliance.data.importers import import_nato
    from alliance.data.importers.nato import NATO_SOURCE

    try:
        result = import_nato(file, out, source=source or NATO_SOURCE, edition=edition)
    except AllianceError as exc:
        raise fail(exc) from None
    _report("nato", file, result, json_out, wide)


@import_app.command("sipri")
def sipri(
    file: Path = FileArgument, out: Path = OutOption,
    source: str | None = typer.Option(None, "--source", help="URL of the publication."),
    json_out: bool = JsonOption,
    wide: bool = WideOption,
) -> None:
    """SIPRI Military Expenditure Database workbook -> sipri_milex."""
    from alliance.data.importers import import_sipri
    from alliance.data.importers.sipri import SIPRI_SOURCE

    try:
        result = import_sipri(file, out, source=source or SIPRI_SOURCE)
    except AllianceError as exc:
        raise fail(exc) from None
    _report("sipri", file, result, json_out, wide)


@import_app.command("kiel")
def kiel(
    file: Path = FileArgument, out: Path = OutOption,
    source: str | None = typer.Option(None, "--source", help="URL of the publication."),
    release: str | None = typer.Option(None, "--release", help="Release label."),
    data_through: str | None = typer.Option(
        None, "--data-through", help="Last date the release covers (YYYY-MM-DD)."
    ),
    json_out: bool = JsonOption,
    wide: bool = WideOption,
) -> None:
    """Kiel Ukraine Support Tracker workbook -> ukraine_support."""
    from alliance.data.importers import import_kiel
    from alliance.data.importers.kiel import KIEL_SOURCE

    try:
        result = import_kiel(file, out, source=source or KIEL_SOURCE, release=release,
                             data_through=data_through)
    except AllianceError as exc:
        raise fail(exc) from None
    _report("kiel", file, result, json_out, wide)


def register(data_app: typer.Typer) -> None:
    """Add the ``import`` sub-commands to ``alliance data``."""
    data_app.add_typer(import_app, name="import")
