"""Fixture workbooks in the publishers' layouts, written with openpyxl by the tests.

Each writer takes ``drift`` flags that break the layout the way real releases drift
(renamed sheet, inserted column, moved header, unknown country, bad codes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

NATO_YEARS: list[Any] = [2021, 2022, 2023, "2024e", "2025e"]
#: Share of GDP rows of the NATO fixture (name or STANAG code, then one cell per year).
NATO_SHARES: list[list[Any]] = [
    ["Albania", 1.24, 1.21, 1.75, 2.03, ".."],
    ["BEL", 1.04, 1.18, 1.21, 1.30, 2.00],
    ["Germany", 1.32, 1.39, 1.57, 2.12, ".."],
    ["Türkiye", 1.43, 1.37, 1.64, 2.09, 2.33],
    ["NATO Europe and Canada", 1.60, 1.70, 1.90, 2.02, 2.27],
    ["NATO Total", 2.50, 2.50, 2.60, 2.71, 2.76],
]
NATO_USD: list[list[Any]] = [
    ["Albania", 226.0, 228.0, 400.0, 480.0, ".."],
    ["Germany", 56000.0, 58000.0, 70000.0, 97000.0, ".."],
]


def _rows(ws: Any, start: int, rows: list[list[Any]], shift: int = 0) -> None:
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ws.cell(row=start + i, column=1 + shift + j, value=value)


def nato_workbook(path: Path, *, header_row: int = 5, drift: str | None = None) -> Path:
    """NATO 'Defence Expenditure of NATO Countries' tables: USD, national currency, % GDP."""
    wb = Workbook()
    usd = wb.active
    usd.title = "Table 2"
    usd["A1"] = "Table 2: Defence expenditure"
    usd["A2"] = "Million US dollars, current prices and exchange rates"
    _rows(usd, header_row, [["Country", *NATO_YEARS], *NATO_USD])
    nat = wb.create_sheet("Table 1")
    nat["A1"] = "Table 1: Defence expenditure"
    nat["A2"] = "Million national currency units, current prices"
    _rows(nat, header_row, [["Country", *NATO_YEARS], ["Albania", 1.0, 2.0, 3.0, 4.0, 5.0]])
    gdp = wb.create_sheet("Table 3")
    gdp["A1"] = "Table 3: Defence expenditure as a share of GDP (%)"
    gdp["A2"] = "Based on current prices"
    shares = [list(r) for r in NATO_SHARES]
    if drift == "unknown_country":
        shares.insert(2, ["Atlantis", 1.0, 1.0, 1.0, 1.0, 1.0])
    if drift == "bad_code":
        shares[1][3] = "n.v."
    start = 30 if drift == "moved_header" else header_row
    header = ["Country", *NATO_YEARS]
    if drift == "extra_column":  # a column inserted in the data, not in the header
        header = ["Country", 2021, 2022, None, 2023, "2024e", "2025e"]
        shares = [[r[0], r[1], r[2], 9.99, *r[3:]] for r in shares]
    _rows(gdp, start, [header, *shares])
    gdp.cell(row=start + len(shares) + 2, column=1,
             value="Figures for 2024 and 2025 are estimates.")
    wb.save(path)
    return path


def sipri_workbook(path: Path, *, drift: str | None = None) -> Path:
    """SIPRI Milex: a front page, Share of GDP (fractions), Current US$, local currency."""
    wb = Workbook()
    front = wb.active
    front.title = "Front page"
    front["A1"] = "SIPRI Military Expenditure Database"
    share = wb.create_sheet("GDP share" if drift == "renamed_sheet" else "Share of GDP")
    share["A1"] = "Military expenditure by country as percentage of gross domestic product"
    share["A3"] = "Figures in blue are SIPRI estimates."
    header = 20 if drift == "moved_header" else 6
    rows: list[list[Any]] = [
        ["Country", "Notes", 2022, 2023, 2024],
        ["Africa", None, None, None, None],
        ["Algeria", None, 0.048, 0.082, 0.08],
        ["Europe", None, None, None, None],
        ["Germany", None, 0.0139, 0.0152, 0.0190],
        ["France", "‡", 0.0194, 0.0206, "[0.0206]"],
        ["Poland†", None, 0.0240, 0.0380, 0.0420],
        ["North Macedonia", None, "xxx", ". .", 0.0170],
    ]
    if drift == "footnote":
        rows[4][4] = "0.019#"
    _rows(share, header, rows)
    usd = wb.create_sheet("Current US$")
    usd["A1"] = "Military expenditure by country, in current US$ m."
    _rows(usd, 6, [["Country", "Notes", 2022, 2023, 2024], ["Germany", None, 58000.0, 66800.0,
                                                            88500.0]])
    local = wb.create_sheet("Local currency financial years")
    local["A1"] = "Local currency"
    wb.save(path)
    return path


MAIN_HEADER = ["donor", "announcement_date", "aid_type_general", "aid_type_specific", "measure",
               "reporting_currency", "tot_activity_value", "tot_sub_activity_value_EUR"]
MAIN_ROWS: list[list[Any]] = [
    ["Germany", dt.datetime(2023, 3, 1), "Military", "Weapons", "Allocation", "EUR", 2.0e9, 2.0e9],
    ["Germany", dt.datetime(2024, 5, 2), "Military", "Weapons", "Allocation", "EUR", 7.0e9, 7.0e9],
    ["Germany", "2024-06-30", "Humanitarian", "Food", "Allocation", "EUR", 0.5e9, 0.5e9],
    ["United States", dt.datetime(2024, 4, 24), "Military", "PDA", "Allocation", "USD", 20e9,
     18.0e9],
    ["Denmark", dt.datetime(2024, 2, 1), "Military", "F-16", "Allocation", "DKK", 1e10, 3.0e9],
    ["EU (Commission and Council)", dt.datetime(2024, 3, 1), "Financial", "Loan", "Allocation",
     "EUR", 12e9, 12.0e9],
    ["Japan", dt.datetime(2024, 1, 1), "Financial", "Loan", "Commitment", "JPY", 1e12, 4.0e9],
]
SUMMARY_HEADER = ["Country", "EU member", "Geographic Europe", "Financial allocations",
                  "Humanitarian allocations", "Military allocations",
                  "Total bilateral allocations"]
SUMMARY_ROWS: list[list[Any]] = [
    ["Germany", 1, 1, 1.4, 3.3, 10.6, 15.3],
    ["United States", 0, 0, 30.0, 3.2, 64.0, 97.2],
    ["Total", None, None, 100.0, 20.0, 130.0, 250.0],
]


def kiel_workbook(path: Path, *, blank_first_column: bool = False,
                  drift: str | None = None) -> Path:
    """Kiel Ukraine Support Tracker: MAIN DATA (one row per activity) and Country Summary."""
    wb = Workbook()
    main = wb.active
    main.title = "MAIN DATA" if drift == "renamed_sheet" else "Bilateral Assistance, MAIN DATA"
    shift = 1 if blank_first_column else 0
    rows = [list(r) for r in MAIN_ROWS]
    if drift == "unknown_donor":
        rows.append(["Narnia", dt.datetime(2024, 1, 1), "Military", "", "Allocation", "EUR", 1.0,
                     1.0])
    if drift == "bad_aid_type":
        rows[0][2] = "Cyber"
    start = 10 if drift == "moved_header" else 1
    _rows(main, start, [MAIN_HEADER, *rows], shift)
    summary = wb.create_sheet("Country Summary (€)")
    summary["A1"] = "Country Summary: bilateral aid by donor, EUR billion"
    _rows(summary, 8, [SUMMARY_HEADER, *SUMMARY_ROWS], shift)
    wb.save(path)
    return path
