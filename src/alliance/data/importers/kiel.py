"""Import the Kiel Institute's Ukraine Support Tracker workbook into a validated overlay.

Layout read (``Ukraine_Support_Tracker_Release_NN.xlsx``):

* ``Bilateral Assistance, MAIN DATA``: one row per (sub-)activity with ``donor``,
  ``announcement_date``, ``aid_type_general`` (Financial, Humanitarian, Military),
  ``measure`` (Allocation, Commitment) and the value in euros
  (``tot_sub_activity_value_EUR``; ``tot_sub_activity_value_EUR_OLD`` in older releases).
  Each becomes one ``ukraine_support`` row (``row_id`` 1,000,000 + sheet row) with the
  year of its announcement date, in EUR billion.
* ``Country Summary (€)``: one row per donor with allocations and commitments by aid
  type in EUR billion (header about eight rows down). Each figure becomes one row
  (``row_id`` 2,000,000 + 10 x sheet row + figure), cumulative to the release.

Columns are found by their header labels, so the blank first column added in release
28 and later is read like the older layout; a header further down than expected, a
renamed sheet or a donor the tracker does not list are errors naming file, sheet, row
and column.
"""

from __future__ import annotations

import datetime as dt
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

__all__ = ["KIEL_SOURCE", "MAIN_DATA", "SUMMARY", "import_kiel"]

logger = logging.getLogger(__name__)

#: The tracker's page (the workbook is linked from it).
KIEL_SOURCE = "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/"
MAIN_DATA = "Bilateral Assistance, MAIN DATA"
SUMMARY = "Country Summary (€)"
_MAIN_ROW_ID, _SUMMARY_ROW_ID = 1_000_000, 2_000_000
_AID_TYPES = {"military": "military", "financial": "financial", "humanitarian": "humanitarian"}
_MEASURES = {"allocation": "allocated", "commitment": "committed"}
#: Donors the tracker lists besides the allies: (ISO3, donor_group).
_OTHER_DONORS: dict[str, tuple[str | None, str]] = {
    "austria": ("AUT", "country"), "cyprus": ("CYP", "country"), "ireland": ("IRL", "country"),
    "malta": ("MLT", "country"), "switzerland": ("CHE", "country"),
    "australia": ("AUS", "other"), "china": ("CHN", "other"), "india": ("IND", "other"),
    "japan": ("JPN", "other"), "new zealand": ("NZL", "other"), "south korea": ("KOR", "other"),
    "korea": ("KOR", "other"), "taiwan": ("TWN", "other"),
}
_COLUMNS = ["row_id", "donor", "iso3", "donor_group", "period", "year", "aid_type", "measure",
            "value_eur_bn", "data_through", "release_date", "publication", "source",
            "source_grade", "note", "imported_from"]


def _donor(matcher: CountryMatcher, sheet: Sheet, row: int, col: int) -> tuple[str | None, str]:
    """(ISO3, donor_group) of a donor cell; an unknown donor is an error."""
    name = sheet.cell(row, col)
    key = normalise(name)
    if key.startswith(("eu ", "eu(", "european")) or key == "eu":
        return None, "europe_part"
    iso3 = matcher.match(name)
    if iso3:
        return iso3, "united_states" if iso3 == "USA" else "country"
    if key in _OTHER_DONORS:
        return _OTHER_DONORS[key]
    raise drift(sheet, sheet.file, f"unknown donor {str(name)!r}", row=row, col=col,
                fix="use a donor as the tracker names it (an ally, EU institutions, or one of "
                f"{', '.join(sorted(_OTHER_DONORS))}), or remove the row.")


def _year(value: Any, sheet: Sheet, row: int, col: int) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.year
    text = str(value).strip()
    m = re.search(r"(20\d\d)", text)
    if m is None:
        raise drift(sheet, sheet.file, f"expected an announcement date, found {text!r}",
                    row=row, col=col, fix="write the date as YYYY-MM-DD or leave it empty.")
    return int(m.group(1))


def _main_rows(sheet: Sheet, matcher: CountryMatcher, base: dict[str, Any]) -> list[dict[str, Any]]:
    labels = ["donor", "announcement_date", "aid_type_general", "measure"]
    header, cols = find_header(sheet, labels, max_row=5, what="Kiel MAIN DATA")
    named = {normalise(v): c for c, v in enumerate(sheet.rows[header]) if v is not None}
    value_col = named.get("tot_sub_activity_value_eur", named.get("tot_sub_activity_value_eur_old"))
    if value_col is None:
        raise drift(sheet, sheet.file, "no value column 'tot_sub_activity_value_EUR' (or "
                    "'..._EUR_OLD') in the header row", row=header, col=0,
                    fix="import the tracker's MAIN DATA sheet as published.")
    out: list[dict[str, Any]] = []
    for r in range(header + 1, len(sheet.rows)):
        if all(v is None or str(v).strip() == "" for v in sheet.rows[r]):
            continue
        iso3, group = _donor(matcher, sheet, r, cols["donor"])
        aid = _AID_TYPES.get(normalise(sheet.cell(r, cols["aid_type_general"])))
        measure = _MEASURES.get(normalise(sheet.cell(r, cols["measure"])))
        for value, col, allowed in ((aid, "aid_type_general", _AID_TYPES),
                                    (measure, "measure", _MEASURES)):
            if value is None:
                raise drift(sheet, sheet.file,
                            f"{sheet.cell(r, cols[col])!r} is not one of "
                            f"{', '.join(k.capitalize() for k in allowed)}",
                            row=r, col=cols[col], fix="check the column; the tracker's values are "
                            "listed in its codebook.")
        eur, _ = cell_number(sheet, r, value_col, unit="EUR")
        if eur is None:
            continue
        year = _year(sheet.cell(r, cols["announcement_date"]), sheet, r,
                     cols["announcement_date"])
        out.append({**base, "row_id": _MAIN_ROW_ID + r + 1, "donor": str(sheet.cell(r,
                    cols["donor"])).strip(), "iso3": iso3, "donor_group": group,
                    "period": str(year) if year else "undated", "year": year, "aid_type": aid,
                    "measure": measure, "value_eur_bn": eur / 1e9,
                    "imported_from": f"{sheet.file.name}, sheet '{sheet.name}', row {r + 1}, "
                    f"column {column_letter(value_col)}"})
    return out


def _summary_rows(
    sheet: Sheet, matcher: CountryMatcher, base: dict[str, Any]
) -> list[dict[str, Any]]:
    figures = [(f"{aid.capitalize()} allocations", aid, "allocated") for aid in _AID_TYPES]
    header, cols = find_header(sheet, ["Country", *(f[0] for f in figures)], max_row=12,
                               what="Kiel Country Summary")
    optional = [(f"{aid.capitalize()} commitments", aid, "committed") for aid in _AID_TYPES]
    labels = {normalise(v): c for c, v in enumerate(sheet.rows[header]) if v is not None}
    present = [(lab, aid, m, cols[lab]) for lab, aid, m in figures] + [
        (lab, aid, m, labels[normalise(lab)]) for lab, aid, m in optional
        if normalise(lab) in labels]
    out: list[dict[str, Any]] = []
    for r in range(header + 1, len(sheet.rows)):
        name = sheet.cell(r, cols["Country"])
        if name is None or not str(name).strip() or normalise(name).startswith("total"):
            continue
        iso3, group = _donor(matcher, sheet, r, cols["Country"])
        for k, (_, aid, measure, c) in enumerate(present):
            value, _ = cell_number(sheet, r, c, unit="EUR billion")
            if value is None:
                continue
            out.append({**base, "row_id": _SUMMARY_ROW_ID + 10 * (r + 1) + k,
                        "donor": str(name).strip(), "iso3": iso3, "donor_group": group,
                        "period": "cumulative to the release", "year": None, "aid_type": aid,
                        "measure": measure, "value_eur_bn": value,
                        "imported_from": f"{sheet.file.name}, sheet '{sheet.name}', "
                        f"row {r + 1}, column {column_letter(c)}"})
    return out


def import_kiel(
    file: Path, out_dir: Path, *, source: str = KIEL_SOURCE, release: str | None = None,
    data_through: str | None = None,
) -> ImportResult:
    """Read a Kiel Ukraine Support Tracker workbook and write a validated overlay folder.

    Args:
        file: The workbook (.xlsx) as the Kiel Institute publishes it.
        out_dir: The overlay folder to write (replaced as a whole).
        source: URL of the publication, written in each row's ``source``.
        release: Release label (default: from the file name), kept in ``publication``.
        data_through: Last date the release covers (YYYY-MM-DD), if known.

    Returns:
        What was written.
    """
    from alliance.data import load_dataset

    allies = load_dataset().table("allies")
    matcher = CountryMatcher.from_allies(list(allies["iso3"]), list(allies["name"]))
    sheets = open_workbook(file)
    main = find_sheet(sheets, file, [MAIN_DATA])
    summary = find_sheet(sheets, file, [SUMMARY, "Country Summary (EUR)", "Country Summary"])
    base = {"data_through": data_through, "release_date": None,
            "publication": f"Kiel Institute, Ukraine Support Tracker ({release or file.stem})",
            "source": source, "source_grade": "A", "note": None}
    rows = _main_rows(main, matcher, base) + _summary_rows(summary, matcher, base)
    out = write_overlay(out_dir, {"ukraine_support": rows}, {"ukraine_support": _COLUMNS})
    logger.info("Kiel import: %d rows from %s", len(rows), file.name)
    return ImportResult(out, {"ukraine_support": len(rows)})
