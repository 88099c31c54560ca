"""Import SIPRI's Military Expenditure Database workbook into a validated overlay.

Layout read (``SIPRI-Milex-data-1949-2024.xlsx``): one sheet per measure (``Current US$``,
``Constant (2023) US$``, ``Share of GDP``, ``Per capita``, ``Share of Govt. spending``;
the local-currency sheets have no column here and are skipped), each with title and note
rows above a header row (``Country``, ``Notes``, then one column per year; the header sits
about six rows down, ``skiprows=5`` in common parsers), region headings between the
countries, ``xxx`` (the country did not exist) and ``. .`` (no data) for missing figures,
and footnote symbols on names or figures (``†`` no pensions, ``‡`` current-year only,
``§`` adopted budget, ``¶`` no paramilitary, ``ǁ`` redenominated; square brackets mark
SIPRI estimates). Symbols are kept in ``flags``. SIPRI stores shares as fractions
formatted as percent: a share sheet whose figures are all at most 1 is read as fractions
and multiplied by 100; US$ sheets are in US$ million.

Only allies are written (SIPRI covers about 170 countries); the countries skipped are
counted in the result. The ``Share of GDP`` sheet is required: a workbook without it is
not SIPRI's layout.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from alliance.data.importers._workbook import (
    CountryMatcher,
    ImportResult,
    Sheet,
    cell_number,
    column_letter,
    drift,
    find_header,
    find_sheet,
    normalise,
    open_workbook,
    write_overlay,
)

__all__ = ["SIPRI_SOURCE", "import_sipri"]

logger = logging.getLogger(__name__)

#: SIPRI's Military Expenditure Database page (the workbook is linked from it).
SIPRI_SOURCE = "https://www.sipri.org/databases/milex"
#: Header rows further down than this are layout drift [rows].
MAX_HEADER_ROW = 12
_COLUMNS = ["iso3", "year", "measure", "value", "flags", "price_basis", "source",
            "source_grade", "imported_from"]
_SHARES = ("share_gdp_pct", "share_govt_pct")


def _measure(sheet_name: str) -> tuple[str, str | None] | None:
    name = normalise(sheet_name)
    if name.startswith("share of gdp"):
        return "share_gdp_pct", None
    if name.startswith("share of govt") or name.startswith("share of government"):
        return "share_govt_pct", None
    if name.startswith("current us"):
        return "usd_current_m", None
    if name.startswith("constant"):
        basis = re.search(r"\((\d{4})\)", sheet_name)
        return "usd_constant_m", f"constant {basis.group(1)} US$" if basis else sheet_name
    if name.startswith("per capita"):
        return "per_capita_usd", None
    return None


def _year_columns(sheet: Sheet, header_row: int) -> dict[int, int]:
    years: dict[int, int] = {}
    for c, value in enumerate(sheet.rows[header_row]):
        label = normalise(value)
        if re.fullmatch(r"\d{4}(\.0)?", label):
            years[int(float(label))] = c
    if not years:
        raise drift(sheet, sheet.file, "the header row has no year columns", row=header_row,
                    col=0, fix="import SIPRI's layout: Country, Notes, then one column per year.")
    return years


def _read_sheet(
    sheet: Sheet, measure: str, basis: str | None, matcher: CountryMatcher, source: str
) -> tuple[list[dict[str, Any]], set[str]]:
    header_row, cols = find_header(sheet, ["Country"], max_row=MAX_HEADER_ROW,
                                   what="SIPRI: Country, Notes, years")
    country_col = cols["Country"]
    notes_col = next((c for c, v in enumerate(sheet.rows[header_row]) if normalise(v) == "notes"),
                     None)
    years = _year_columns(sheet, header_row)
    rows: list[dict[str, Any]] = []
    others: set[str] = set()
    for r in range(header_row + 1, len(sheet.rows)):
        name = sheet.cell(r, country_col)
        if name is None or not str(name).strip():
            continue
        iso3 = matcher.match(name)
        if not iso3:
            others.add(str(name).strip())
            continue
        marks = str(name) + ("" if notes_col is None else str(sheet.cell(r, notes_col) or ""))
        row_flags = [m for s, m in (("†", "no_pensions"), ("‡", "current_only"),
                                    ("§", "adopted_budget"), ("¶", "no_paramilitary"),
                                    ("ǁ", "redenominated"), ("‖", "redenominated")) if s in marks]
        for year, c in years.items():
            value, flags = cell_number(sheet, r, c, unit=measure)
            if value is None:
                continue
            rows.append({
                "iso3": iso3, "year": year, "measure": measure, "value": value,
                "flags": "|".join(dict.fromkeys([*row_flags, *flags])) or None,
                "price_basis": basis, "source": source, "source_grade": "A",
                "imported_from": f"{sheet.file.name}, sheet '{sheet.name}', row {r + 1}, "
                f"column {column_letter(c)}",
            })
    if measure in _SHARES and rows and max(float(x["value"]) for x in rows) <= 1.0:
        for x in rows:
            x["value"] = float(x["value"]) * 100.0
    return rows, others


def import_sipri(file: Path, out_dir: Path, *, source: str = SIPRI_SOURCE) -> ImportResult:
    """Read a SIPRI Milex workbook and write a validated ``sipri_milex`` overlay folder.

    Args:
        file: The workbook (.xlsx) as SIPRI publishes it.
        out_dir: The overlay folder to write (replaced as a whole).
        source: URL of the publication, written in each row's ``source``.

    Returns:
        What was written, and what was skipped (sheets without a column here, non-allies).
    """
    from alliance.data import load_dataset

    allies = load_dataset().table("allies")
    matcher = CountryMatcher.from_allies(list(allies["iso3"]), list(allies["name"]))
    sheets = open_workbook(file)
    find_sheet(sheets, file, ["Share of GDP"])  # SIPRI's layout has it; its absence is drift
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    others: set[str] = set()
    for sheet in sheets.values():
        kind = _measure(sheet.name)
        if kind is None:
            skipped.append(f"sheet '{sheet.name}': no sipri_milex measure for it")
            continue
        got, other = _read_sheet(sheet, kind[0], kind[1], matcher, source)
        rows += got
        others |= other
    if others:
        skipped.append(f"{len(others)} countries or regions that are not allies "
                       f"(e.g. {', '.join(sorted(others)[:3])})")
    rows.sort(key=lambda x: (x["iso3"], x["year"], x["measure"]))
    out = write_overlay(out_dir, {"sipri_milex": rows}, {"sipri_milex": _COLUMNS})
    logger.info("SIPRI import: %d figures from %s", len(rows), file.name)
    return ImportResult(out, {"sipri_milex": len(rows)}, tuple(skipped))
