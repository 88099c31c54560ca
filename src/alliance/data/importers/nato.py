"""Import NATO's "Defence Expenditure of NATO Countries" workbook into a validated overlay.

Layout read (NATO press-release workbooks, e.g. ``def-exp-2025-en.xlsx``): several tables,
one per sheet, each with a few title rows naming the table and its unit, then a header
row with a ``Country`` column and one column per year (``2024e`` marks an estimate), then
one row per ally by English name or STANAG/ISO3 code, aggregate rows (``NATO Europe and
Canada``, ``NATO Total``) and ``..`` for a missing figure. The unit is read from the
title rows: a table in percent of GDP fills ``share_gdp_pct``; a table in million US
dollars at current prices fills ``spending_musd_current`` (as published). Tables in
national currency, constant prices, per capita or real change have no column in
``defence_expenditure`` and are skipped (listed in the result). Where a sheet holds two
blocks of years side by side (share of GDP and annual real change), the first block is
read.

The overlay's ``defence_expenditure.csv`` starts from the bundled row of each ally-year
(equipment shares and personnel are kept) and replaces the imported figures; each row's
``imported_from`` names the file, sheet, row and column of every figure it took.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliance.data.importers._workbook import (
    CountryMatcher,
    ImportResult,
    Sheet,
    cell_number,
    column_letter,
    drift,
    normalise,
    open_workbook,
    write_overlay,
)
from alliance.errors import DataValidationError

__all__ = ["NATO_SOURCE", "import_nato"]

logger = logging.getLogger(__name__)

#: NATO's page of the defence-expenditure releases (the workbooks are linked from it).
NATO_SOURCE = "https://www.nato.int/cps/en/natohq/topics_49198.htm"
#: Header rows further down than this are layout drift [rows].
MAX_HEADER_ROW = 25
_YEAR = re.compile(r"^(\d{4})\s*(e|est|\(e\))?$")
_FIRST_YEAR, _LAST_YEAR = 2014, 2025


@dataclass(frozen=True)
class _Table:
    sheet: Sheet
    measure: str  # "share_gdp_pct" or "spending_musd_current"
    header_row: int
    country_col: int
    years: dict[int, tuple[int, bool]]  # year -> (column, estimate)


def _measure(title: str) -> str | None:
    """The defence_expenditure column a table fills, from its title text (None: no column)."""
    if any(w in title for w in ("constant", "national currency", "per capita", "real change",
                                "volume", "personnel", "distribution", "equipment expenditure")):
        if "% of gdp" not in title and "share of gdp" not in title:
            return None
    if "of gdp" in title or "share of real gdp" in title:
        return "share_gdp_pct"
    if ("million us dollars" in title or "usd million" in title or "million usd" in title) and (
        "current" in title
    ):
        return "spending_musd_current"
    return None


def _header(sheet: Sheet) -> tuple[int, int, dict[int, tuple[int, bool]]] | None:
    """Header row, country column and year columns (first block), or None when absent."""
    for r, values in enumerate(sheet.rows[:MAX_HEADER_ROW]):
        labels = [normalise(v) for v in values]
        if "country" not in labels and "countries" not in labels:
            continue
        country = labels.index("country") if "country" in labels else labels.index("countries")
        years: dict[int, tuple[int, bool]] = {}
        for c, label in enumerate(labels):
            m = _YEAR.match(label.replace(" ", "")) if label else None
            if m is None:
                continue
            year = int(m.group(1))
            if year in years:
                break  # a second block of the same years (e.g. annual real change)
            years[year] = (c, m.group(2) is not None)
        if years:
            return r, country, years
    return None


def _tables(sheets: dict[str, Sheet], file: Path) -> tuple[list[_Table], list[str]]:
    tables: list[_Table] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for sheet in sheets.values():
        head = _header(sheet)
        if head is None:
            _check_moved_header(sheet)
            skipped.append(f"sheet '{sheet.name}': no table with a Country column and years")
            continue
        r, country, years = head
        title = " ".join(normalise(v) for row in sheet.rows[:r] for v in row if v is not None)
        measure = _measure(title)
        if measure is None or measure in seen:
            why = "no defence_expenditure column for its unit" if measure is None else (
                f"a second table of {measure}")
            skipped.append(f"sheet '{sheet.name}': {why} ({title[:60]!r})")
            continue
        seen.add(measure)
        tables.append(_Table(sheet, measure, r, country, years))
    if not tables:
        raise DataValidationError(
            file,
            "no NATO table in percent of GDP or million US dollars (current prices) found; "
            f"sheets are {', '.join(repr(s) for s in sheets)}",
            fix="import NATO's 'Defence Expenditure of NATO Countries' workbook; each table "
            f"needs its title with the unit above a header row (within rows 1-{MAX_HEADER_ROW}) "
            "holding 'Country' and the years.",
        )
    return tables, skipped


def _check_moved_header(sheet: Sheet) -> None:
    """A table titled with a known unit whose header is further down than expected: drift."""
    title = " ".join(normalise(v) for row in sheet.rows[:5] for v in row if v is not None)
    if _measure(title) is None:
        return
    found = next((r for r, values in enumerate(sheet.rows)
                  if any(normalise(v) in ("country", "countries") for v in values)), None)
    where = f"found at row {found + 1}" if found is not None else "not found"
    raise drift(
        sheet, sheet.file,
        f"the header row ('Country' and the years) is {where}, expected within rows "
        f"1-{MAX_HEADER_ROW}",
        row=found if found is not None else MAX_HEADER_ROW - 1, col=0,
        fix="the header has moved: import the publisher's layout, or move the header back up.",
    )


def _check_unlabelled(table: _Table, row: int) -> None:
    """A figure in a column with no header between the year columns is drift."""
    cols = sorted(c for c, _ in table.years.values())
    labelled = set(cols) | {table.country_col}
    for c in range(cols[0], cols[-1] + 1):
        if c in labelled:
            continue
        value = table.sheet.cell(row, c)
        if value is not None and str(value).strip() not in ("", ".."):
            raise drift(
                table.sheet, table.sheet.file,
                f"a figure ({value!r}) in a column without a year in the header row "
                f"{table.header_row + 1}",
                row=row, col=c,
                fix="a column has been inserted or the header has shifted: import the "
                "publisher's layout, or give the column its year.",
            )


def _read(table: _Table, matcher: CountryMatcher) -> list[tuple[str, int, float, bool, str]]:
    """(iso3, year, value, estimate, where) for every figure of one table."""
    sheet = table.sheet
    out: list[tuple[str, int, float, bool, str]] = []
    unit = "percent of GDP" if table.measure == "share_gdp_pct" else "USD million"
    for r in range(table.header_row + 1, len(sheet.rows)):
        name = sheet.cell(r, table.country_col)
        if name is None or not str(name).strip():
            continue
        iso3 = matcher.match(name)
        if iso3 is None:
            if not any(isinstance(v, int | float) for v in sheet.rows[r]):
                continue  # a note or footnote line under the table
            raise drift(
                sheet, sheet.file, f"unknown country {str(name)!r}", row=r,
                col=table.country_col,
                fix="use an ally's English name or ISO3/STANAG code (see `alliance data show "
                "allies`), or remove the row.",
            )
        if iso3 == "":
            continue
        _check_unlabelled(table, r)
        for year, (c, estimate) in table.years.items():
            value, _ = cell_number(sheet, r, c, unit=unit)
            if value is None or not _FIRST_YEAR <= year <= _LAST_YEAR:
                continue
            if table.measure == "share_gdp_pct" and not 0 <= value <= 100:
                raise drift(sheet, sheet.file, f"{value:g} is not a percentage of GDP",
                            row=r, col=c, fix="check that this table is in percent of GDP.")
            out.append((iso3, year, value, estimate, f"row {r + 1} col {column_letter(c)}"))
    return out


def import_nato(
    file: Path, out_dir: Path, *, source: str = NATO_SOURCE, edition: str | None = None
) -> ImportResult:
    """Read a NATO defence-expenditure workbook and write a validated overlay folder.

    Args:
        file: The workbook (.xlsx) as NATO publishes it.
        out_dir: The overlay folder to write (replaced as a whole).
        source: URL of the publication, written in each row's ``source``.
        edition: Edition label for ``edition`` (default: from the file name).

    Returns:
        What was written, and the sheets skipped with the reason.
    """
    from alliance.data import load_dataset

    bundled = load_dataset()
    allies = bundled.table("allies")
    matcher = CountryMatcher.from_allies(list(allies["iso3"]), list(allies["name"]))
    names = dict(zip(allies["iso3"], allies["name"], strict=True))
    tables, skipped = _tables(open_workbook(file), file)
    base: dict[tuple[str, int], dict[str, Any]] = {
        (str(r["iso3"]), int(r["year"])): {str(k): v for k, v in r.items()}
        for r in bundled.table("defence_expenditure").to_dict("records")
    }
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for table in tables:
        for iso3, year, value, estimate, where in _read(table, matcher):
            row = rows.get((iso3, year)) or _start_row(base.get((iso3, year)), iso3, names[iso3],
                                                       year)
            _apply(row, table.measure, value, estimate, source,
                   f"{file.name}, sheet '{table.sheet.name}', {where}")
            row["edition"] = edition or f"NATO workbook {file.name}"
            rows[(iso3, year)] = row
    gdp = bundled.table("gdp").set_index(["iso3", "year"])["gdp_usd_bn"].to_dict()
    for (iso3, year), row in rows.items():
        _derive_money(row, gdp.get((iso3, year)))
    columns = [c.name for c in bundled.schemas["defence_expenditure"].columns]
    ordered = [rows[k] for k in sorted(rows)]
    out = write_overlay(out_dir, {"defence_expenditure": ordered},
                        {"defence_expenditure": columns})
    logger.info("NATO import: %d ally-years from %s", len(ordered), file.name)
    return ImportResult(out, {"defence_expenditure": len(ordered)}, tuple(skipped))


def _start_row(bundled: dict[str, Any] | None, iso3: str, name: str, year: int) -> dict[str, Any]:
    """The bundled row of an ally-year as plain values, or a new row."""
    if bundled is None:
        return {"iso3": iso3, "name": name, "year": year, "status": "estimate",
                "source_grade": "A"}
    row = {k: (None if _missing(v) else v) for k, v in bundled.items()}
    row["imported_from"] = None
    return row


def _missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None or str(value) == "<NA>"
    except (TypeError, ValueError):
        return False


def _apply(row: dict[str, Any], measure: str, value: float, estimate: bool, source: str,
           where: str) -> None:
    """Put one imported figure into the row, with its provenance."""
    label = "share" if measure == "share_gdp_pct" else "USD m"
    if measure == "share_gdp_pct":
        row["share_gdp_pct"] = value
        row["source"], row["source_grade"] = source, "A"
        row["status"] = "estimate" if estimate else "actual"
        if row.get("derived"):  # money derived from the old share is no longer valid
            row["spending_musd_current"], row["derived"] = None, None
    else:
        row["spending_musd_current"] = value
        row["spending_musd_current_published"] = value
        row["published_source"], row["published_grade"] = source, "A"
        row["derived"] = None
    previous = row.get("imported_from")
    entry = f"{label}: {where}"
    row["imported_from"] = entry if not previous else f"{previous}; {entry}"


def _derive_money(row: dict[str, Any], gdp_usd_bn: float | None) -> None:
    """Money = share x GDP where the workbook gave a share but no money (as the bundle does)."""
    share = row.get("share_gdp_pct")
    if row.get("spending_musd_current") is not None or share is None or gdp_usd_bn is None:
        return
    row["spending_musd_current"] = float(share) / 100.0 * float(gdp_usd_bn) * 1000.0
    row["derived"] = (
        f"spending_musd_current = share_gdp_pct/100 x GDP (gdp table, {row['year']}); "
        "share imported from the NATO workbook"
    )
