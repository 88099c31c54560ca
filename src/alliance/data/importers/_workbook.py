"""What the workbook importers share: sheets, header rows, cells and the drift error.

Opening a workbook, finding sheets and header rows, reading cells with the publishers'
missing-value codes and footnote symbols, and the one error for a drifted layout.

Every problem is a :class:`~alliance.errors.DataValidationError` naming the file, the
sheet (in the message), the row (``line``) and the column letter, and saying what to fix.
Nothing here downloads anything: the importers read files the analyst already has.
"""

from __future__ import annotations

import csv
import logging
import math
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alliance._io import replace_folder
from alliance.errors import DataValidationError

__all__ = [
    "MAX_WORKBOOK_BYTES",
    "MISSING_CODES",
    "CountryMatcher",
    "ImportResult",
    "Sheet",
    "cell_number",
    "column_letter",
    "drift",
    "find_header",
    "find_sheet",
    "normalise",
    "open_workbook",
    "write_overlay",
]

logger = logging.getLogger(__name__)

#: Largest workbook read [bytes] (the Kiel tracker is about 30 MB).
MAX_WORKBOOK_BYTES: int = 200_000_000
#: Largest number of rows read from one sheet [rows].
MAX_SHEET_ROWS: int = 500_000
#: Cell texts that mean "no figure" in NATO (``..``) and SIPRI (``xxx``, ``. .``) workbooks.
MISSING_CODES: frozenset[str] = frozenset(
    {"", "..", ". .", "...", "xxx", "-", "–", "—", "n.a.", "na", "n/a"}
)
#: SIPRI footnote symbols and what each means (SIPRI Milex notes).
FOOTNOTES: dict[str, str] = {
    "†": "no_pensions",
    "‡": "current_only",
    "§": "adopted_budget",
    "¶": "no_paramilitary",
    "ǁ": "redenominated",
    "‖": "redenominated",
    "*": "footnote",
}


def normalise(text: object) -> str:
    """Lower-case text with footnote symbols, accents and repeated spaces removed."""
    raw = "" if text is None else str(text)
    raw = "".join(ch for ch in raw if ch not in FOOTNOTES)
    raw = unicodedata.normalize("NFKD", raw)
    raw = "".join(ch for ch in raw if not unicodedata.combining(ch))
    raw = re.sub(r"\s+", " ", raw).strip().lower()
    return raw.rstrip(" .:")


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Sheet:
    """One worksheet read into memory: its name and its rows of cell values."""

    file: Path
    name: str
    rows: list[tuple[Any, ...]]

    def cell(self, row: int, col: int) -> Any:
        """The value at 0-based ``row`` and ``col`` (None outside the used range)."""
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return None
        return self.rows[row][col]


def drift(sheet: Sheet | None, file: Path, message: str, *, row: int | None = None,
          col: int | None = None, fix: str) -> DataValidationError:
    """The error for a workbook that does not have the expected layout.

    ``row`` and ``col`` are 0-based; the error shows the spreadsheet row number and
    column letter.
    """
    where = f"sheet '{sheet.name}': " if sheet is not None else ""
    return DataValidationError(
        file.name if sheet is None else file,
        f"{where}{message}",
        line=None if row is None else row + 1,
        column=None if col is None else column_letter(col),
        fix=fix,
    )


def open_workbook(path: Path) -> dict[str, Sheet]:
    """Every sheet of an .xlsx workbook, read with cached values (formulas not evaluated)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise DataValidationError(path, "workbook not found", fix="give the path of an .xlsx file.")
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise DataValidationError(
            path, f"workbook of {size:,} bytes is larger than {MAX_WORKBOOK_BYTES:,}",
            fix="give the publisher's workbook, not a merged file.",
        )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DataValidationError(
            path, f"not a readable .xlsx workbook ({type(exc).__name__})",
            fix="save the file as an Excel workbook (.xlsx) and import it again.",
        ) from None
    sheets: dict[str, Sheet] = {}
    try:
        for ws in book.worksheets:
            rows: list[tuple[Any, ...]] = []
            for values in ws.iter_rows(values_only=True):
                rows.append(tuple(values))
                if len(rows) > MAX_SHEET_ROWS:
                    raise DataValidationError(
                        path, f"sheet '{ws.title}': more than {MAX_SHEET_ROWS:,} rows",
                        fix="import the publisher's workbook as downloaded.",
                    )
            sheets[ws.title] = Sheet(path, ws.title, rows)
    finally:
        book.close()
    return sheets


def find_sheet(sheets: dict[str, Sheet], file: Path, names: Sequence[str]) -> Sheet:
    """The sheet called one of ``names`` (compared normalised); an error lists the sheets."""
    wanted = {normalise(n) for n in names}
    for name, sheet in sheets.items():
        if normalise(name) in wanted:
            return sheet
    raise DataValidationError(
        file,
        f"no sheet named {' or '.join(repr(n) for n in names)}; "
        f"the workbook has {', '.join(repr(s) for s in sheets) or 'no sheets'}",
        fix="import the publisher's workbook as downloaded (a renamed sheet is not recognised), "
        "or rename the sheet back.",
    )


def find_header(
    sheet: Sheet, labels: Sequence[str], *, max_row: int, what: str
) -> tuple[int, dict[str, int]]:
    """The 0-based header row within the first ``max_row`` rows and each label's column.

    A header row is the first row holding every one of ``labels`` (normalised, exact
    cell match). A header further down than ``max_row`` is layout drift: an error.
    """
    want = [normalise(label) for label in labels]
    for r, values in enumerate(sheet.rows[:max_row]):
        cells = {normalise(v): c for c, v in reversed(list(enumerate(values))) if v is not None}
        if all(w in cells for w in want):
            return r, {label: cells[w] for label, w in zip(labels, want, strict=True)}
    raise drift(
        sheet, sheet.file,
        f"no header row with {', '.join(repr(x) for x in labels)} in rows 1-{max_row} "
        f"({what})",
        row=min(max_row, max(len(sheet.rows), 1)) - 1, col=0,
        fix="the header has moved or been renamed: import the publisher's layout, or put the "
        f"header back within the first {max_row} rows.",
    )


def cell_number(
    sheet: Sheet, row: int, col: int, *, unit: str
) -> tuple[float | None, tuple[str, ...]]:
    """A numeric cell: its value (None for a missing-value code) and its footnote flags.

    Numbers may carry SIPRI footnote symbols or square brackets (SIPRI estimates);
    any other text is an error naming the cell.
    """
    value = sheet.cell(row, col)
    if value is None:
        return None, ()
    if isinstance(value, bool):
        raise drift(sheet, sheet.file, f"expected a number in {unit}, found {value!r}",
                    row=row, col=col, fix="the column holds figures; check the layout.")
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value), ()
    text = str(value).strip()
    flags = [meaning for symbol, meaning in FOOTNOTES.items() if symbol in text]
    bare = "".join(ch for ch in text if ch not in FOOTNOTES).strip()
    if bare.startswith("[") and bare.endswith("]"):
        bare, flags = bare[1:-1].strip(), [*flags, "estimate"]
    if bare.lower() in MISSING_CODES:
        return None, tuple(flags)
    try:
        number = float(bare.replace(",", ""))
        if not math.isfinite(number):
            raise ValueError(bare)
    except ValueError:
        raise drift(
            sheet, sheet.file, f"expected a number in {unit} or a missing-value code "
            f"({', '.join(repr(c) for c in sorted(MISSING_CODES) if c)}), found {text!r}",
            row=row, col=col, fix="correct the cell, or check that the columns have not moved.",
        ) from None
    return number, tuple(flags)


@dataclass
class CountryMatcher:
    """Allies by English name, common alias or ISO3/STANAG code; known aggregates skipped."""

    names: dict[str, str]
    aggregates: tuple[str, ...] = (
        "nato total", "nato europe", "nato europe and canada", "nato europe & canada",
        "europe and canada", "total nato", "nato", "world", "europe", "total",
    )
    aliases: dict[str, str] = field(default_factory=lambda: {
        "czech republic": "CZE", "czechia": "CZE", "turkey": "TUR", "turkiye": "TUR",
        "north macedonia": "MKD", "macedonia": "MKD", "macedonia, fyr": "MKD",
        "united kingdom": "GBR", "uk": "GBR", "great britain": "GBR",
        "united states": "USA", "united states of america": "USA", "usa": "USA", "us": "USA",
        "slovak republic": "SVK", "the netherlands": "NLD", "netherlands": "NLD",
    })

    @classmethod
    def from_allies(cls, iso3: Sequence[str], names: Sequence[str]) -> CountryMatcher:
        """A matcher for the allies table's codes and names."""
        table = {normalise(n): str(c) for c, n in zip(iso3, names, strict=True)}
        table.update({normalise(c): str(c) for c in iso3})
        return cls(table)

    def match(self, text: object) -> str | None:
        """The ISO3 code, ``""`` for an aggregate row, None when unknown."""
        key = normalise(text)
        key = re.sub(r"\s*\(.*\)$", "", key)  # "Germany (a)" -> "germany"
        key = re.sub(r"\s*\d+$", "", key)  # footnote numbers after the name
        if key in self.aggregates or key.startswith(("nato ", "total ")):
            return ""
        return self.names.get(key) or self.aliases.get(key)


@dataclass(frozen=True)
class ImportResult:
    """What an importer wrote: the overlay folder, the rows per table and what it skipped."""

    out_dir: Path
    rows: dict[str, int]
    skipped: tuple[str, ...] = ()


def write_overlay(out_dir: Path, tables: dict[str, list[dict[str, Any]]],
                  columns: dict[str, list[str]]) -> Path:
    """Write each table's rows as CSV into a fresh overlay folder that replaces ``out_dir``.

    The folder is validated as an overlay (:func:`alliance.data.load_dataset`) before it
    takes the place of ``out_dir``: an import that would not load leaves the old folder
    as it was.
    """
    from alliance.data import load_dataset

    def fill(tmp: Path) -> None:
        for name, rows in tables.items():
            with (tmp / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns[name], extrasaction="raise")
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: _csv_cell(v) for k, v in row.items()})
        load_dataset(tmp)

    return replace_folder(out_dir, fill)


def _csv_cell(value: Any) -> str:
    """A CSV cell: empty for None, ``repr``-exact for floats, ``true``/``false`` for bools."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
