"""Build the bundled systems catalogue (systems.csv) and its FX table (fx_rates.csv).

Usage::

    python scripts/build_systems.py [SHARED_DATA_DIR] [--out PACKAGE_DATA_DIR]

``SHARED_DATA_DIR`` defaults to ``/work/shared/data``; the output goes to
``src/alliance/data/tables/`` next to this repository. The build is
deterministic: same inputs, same bytes.

What it does
------------
* Reads ``capabilities/unit_costs.csv`` (one row per priced contract or
  production statement) and the reliability grades of ``capabilities/SOURCES.md``.
* Maps each row to a capability of ``enablers.csv`` and an origin (US-made or
  not); rows that are munitions, medium-range systems or vehicles outside the
  capability list are left out (``EXCLUDED`` says why).
* Converts unit costs to USD million. **Price basis: nominal USD of the row's
  price year**, converted from EUR at that year's yearly average rate
  (IRS yearly averages, in ``fx_rates.csv`` with the page they were read from);
  not deflated to 2025 (older rows are understated by US inflation since their
  price year). Where no sourced rate was found (EUR 2025, GBP 2023, SEK 2022)
  the USD cell stays empty, unless the source itself gives a USD figure.
* Lead times: first delivery year − price (contract) year, where the row's note
  gives both; otherwise empty. Production rates: as stated in the row, turned
  into units per year (``derived`` says how); otherwise empty.
* Canonical rule (one system per capability and origin for the LP): among the
  rows with a USD unit cost and a source graded better than C, the most recent
  price year; ties go to the better grade (A > A- > B+ > B > B-), then to the
  larger contract quantity. Other rows stay in the table with
  ``canonical = false`` (the LP can see them with ``catalogue_rule = all_priced``).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
from pathlib import Path

DEFAULT_SHARED = Path("/work/shared/data")
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "alliance" / "data" / "tables"

#: Yearly average exchange rates, currency units per USD (IRS yearly averages),
#: with the page each figure was read from.
FX_RATES: list[dict[str, str]] = [
    {
        "currency": currency,
        "year": str(year),
        "units_per_usd": rate,
        "source": "https://euro2.net/euro/euro-to-usd-conversion-by-date/",
        "source_grade": "B",
        "note": "IRS yearly average currency exchange rate (euro per US dollar) as "
        "relayed by euro2.net (Mar 2025); the IRS page itself was not in the corpus.",
    }
    for currency, year, rate in [
        ("EUR", 2020, "0.877"),
        ("EUR", 2021, "0.846"),
        ("EUR", 2022, "0.951"),
        ("EUR", 2023, "0.924"),
        ("EUR", 2024, "0.924"),
    ]
] + [
    {
        "currency": "GBP",
        "year": "2022",
        "units_per_usd": "0.811",
        "source": "https://www.cpasforexpats.com/post/2023-irs-exchange-rates",
        "source_grade": "B",
        "note": "IRS yearly average rate for 2022 (pound per US dollar) quoted by a CPA firm.",
    }
]

#: Rows of unit_costs.csv left out of the catalogue, with the reason.
EXCLUDED: dict[str, str] = {
    "Boxer heavy weapon carrier (Germany)": (
        "heavy weapon carrier, not an infantry fighting vehicle"
    ),
    "155mm artillery shell (Rheinmetall, German order)": "munition, not a counted capability",
    "155mm artillery shell - EU-wide production capacity": "munition production, not a system",
    "155mm artillery shell - US production": "munition production, not a system",
    "PAC-3 MSE interceptor (Germany FMS case)": "interceptor missile, not a battery",
    "IRIS-T SLM fire unit (Germany)": "medium-range air defence (~40 km), not long-range",
    "IRIS-T SLM missile": "medium-range interceptor missile",
}

#: (regex on the system name, capability, us_made).
CAPABILITY_RULES: list[tuple[str, str, bool]] = [
    (r"^Leopard 2A8", "main_battle_tank", False),
    (r"^(CV90|Lynx|Schakal)", "infantry_fighting_vehicle", False),
    (r"^(PzH 2000|CAESAR)", "artillery_155mm_sp_and_mlrs", False),
    (r"^Patriot", "ground_based_air_defence_long_range", True),
    (r"^SAMP/T", "ground_based_air_defence_long_range", False),
    (r"^(Storm Shadow|Taurus)", "long_range_strike_missile", False),
    (r"^F-35", "fighter_aircraft_5th_gen", True),
    (r"^(Rafale|Eurofighter)", "fighter_aircraft_4th_gen", False),
    (r"^P-8A", "isr_aircraft", True),
    (r"^E-7A", "aew_c", True),
    (r"^Saab GlobalEye", "aew_c", False),
    (r"^(A330 MRTT|Heavy tanker)", "air_to_air_refuelling", False),
    (r"^KC-46A", "air_to_air_refuelling", True),
    (r"^A400M", "strategic_airlift", False),
    (r"^MQ-9A", "hale_uav", True),
]

#: Lead times [years] = first delivery year - price year, from the row's note.
LEAD_TIMES: dict[str, tuple[int, str]] = {
    "Leopard 2A8 MBT (Germany, first batch)": (2, "deliveries 2025-2026 on a 2023 contract"),
    "Leopard 2A8 MBT (Germany, 105-tank option)": (3, "delivery 2027-2030 on a 2024 order"),
    "CV90 IFV (Czech Republic)": (3, "delivery 2026-2030 on a 2023 contract"),
    "Schakal wheeled IFV (Boxer with Puma turret, Germany)": (
        2,
        "delivery 2027-2031 on a 2025 order",
    ),
    "PzH 2000 155mm SP howitzer (Germany, 10)": (2, "delivery 2025-2026 on a 2023 contract"),
    "CAESAR 155mm truck-mounted howitzer": (
        2,
        "lead time 15 months per source, rounded up to whole years",
    ),
    "Taurus Neo cruise missile (planned)": (5, "first deliveries 2029 on a 2024 plan"),
    "F-35 (average, all variants, Lots 18-19)": (1, "deliveries from 2026 on a 2025 contract"),
    "Rafale F4 (France tranche 5)": (4, "deliveries 2027-2032 on a 2023 price year"),
    "Saab GlobalEye (Sweden)": (5, "delivery planned 2027 on a 2022 contract"),
}

#: Production rates [units/year] where the row states one.
PRODUCTION_RATES: dict[str, tuple[float, str]] = {
    "CAESAR 155mm truck-mounted howitzer": (72.0, "6 per month (Oct 2023) x 12"),
    "Taurus KEPD 350 cruise missile": (0.0, "line idle per source"),
    "F-35 (average, all variants, Lots 18-19)": (
        148.0,
        "296 aircraft over Lots 18-19 = 148 per lot, one lot a year; whole line, all customers",
    ),
    "Rafale F4 (France tranche 5)": (24.0, "'>2/month (2025)' x 12; lower bound; whole line"),
    "Saab GlobalEye (France)": (
        4.0,
        "Saab conversion capacity 4 aircraft per year (low-reliability reprint)",
    ),
}

#: USD figures given by the source itself (no FX needed), [USD per unit].
SOURCE_USD: dict[str, tuple[float, str]] = {
    "Saab GlobalEye (France)": (
        670_000_000.0,
        "source's own conversion: USD 1.34bn / 2 aircraft",
    ),
}

GRADE_ORDER = {"A": 0, "A-": 1, "B+": 2, "B": 3, "B-": 4, "C+": 5, "C": 6, "C-": 7}

COLUMNS = [
    "system",
    "capability",
    "us_made",
    "producer",
    "unit_cost_musd",
    "price_year",
    "unit_cost_local",
    "currency",
    "unit_cost_basis",
    "annual_production_rate_units",
    "lead_time_years",
    "service_life_years",
    "capability_units_per_system",
    "canonical",
    "source",
    "source_grade",
    "derived",
]


def read_grades(sources_md: Path) -> dict[str, str]:
    """URL → reliability grade (A, A-, B+, ...) from the SOURCES.md source table."""
    grades: dict[str, str] = {}
    pattern = re.compile(r"^\|\s*\d+\s*\|\s*(\S+)\s*\|.*\|\s*([ABC][+-]?)\s*\|\s*$")
    for line in sources_md.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match:
            grades[match.group(1)] = match.group(2)
    return grades


def _capability(system: str) -> tuple[str, bool]:
    for pattern, capability, us_made in CAPABILITY_RULES:
        if re.search(pattern, system):
            return capability, us_made
    msg = f"no capability rule for unit_costs.csv row '{system}'"
    raise ValueError(msg)


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def build(shared: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Return (systems rows, fx rows) built from the shared data folder."""
    caps = shared / "capabilities"
    grades = read_grades(caps / "SOURCES.md")
    fx = {(r["currency"], int(r["year"])): float(r["units_per_usd"]) for r in FX_RATES}
    rows: list[dict[str, str]] = []
    with (caps / "unit_costs.csv").open(encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    quantities: dict[str, float] = {}
    for r in raw:
        name = r["system"].strip()
        if name in EXCLUDED:
            continue
        capability, us_made = _capability(name)
        derived: list[str] = []
        cost_local = float(r["unit_cost"]) if r["unit_cost"].strip() else None
        currency = r["currency"].strip()
        year = int(r["price_year"]) if r["price_year"].strip() else None
        usd: float | None = None
        if name in SOURCE_USD:
            usd, text = SOURCE_USD[name]
            derived.append(text)
        elif cost_local is not None and currency == "USD":
            usd = cost_local
            if year is None:
                derived.append("price year not stated; USD taken as published")
        elif cost_local is not None and year is not None and (currency, year) in fx:
            rate = fx[(currency, year)]
            usd = cost_local / rate
            derived.append(
                f"{currency} / {rate} {currency} per USD ({year} IRS yearly average, fx_rates.csv)"
            )
        elif cost_local is not None:
            derived.append(f"no sourced {currency} {year} yearly average rate: USD cost left empty")
        if "derived" in r["unit_cost_basis"]:
            derived.append("unit cost = contract value / quantity (package price)")
        lead = ""
        if name in LEAD_TIMES:
            value, text = LEAD_TIMES[name]
            lead = str(value)
            derived.append(f"lead time: {text}")
        rate_units = ""
        if name in PRODUCTION_RATES:
            value, text = PRODUCTION_RATES[name]
            rate_units = _fmt(value)
            derived.append(f"production rate: {text}")
        grade = grades.get(r["source_url"].strip(), "")
        quantities[name] = float(r["contract_quantity"]) if r["contract_quantity"].strip() else 0.0
        rows.append(
            {
                "system": name,
                "capability": capability,
                "us_made": "true" if us_made else "false",
                "producer": r["producer"].strip(),
                "unit_cost_musd": _fmt(None if usd is None else usd / 1e6),
                "price_year": "" if year is None else str(year),
                "unit_cost_local": _fmt(cost_local, 0),
                "currency": currency,
                "unit_cost_basis": r["unit_cost_basis"].strip(),
                "annual_production_rate_units": rate_units,
                "lead_time_years": lead,
                "service_life_years": "",
                "capability_units_per_system": "1",
                "canonical": "false",
                "source": r["source_url"].strip(),
                "source_grade": grade[:1],
                "derived": "; ".join(derived),
                "_grade": grade,
            }
        )
    # canonical rule
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        if row["unit_cost_musd"] and not row["_grade"].startswith("C"):
            groups.setdefault((row["capability"], row["us_made"]), []).append(row)
    for members in groups.values():
        best = min(
            members,
            key=lambda x: (
                -(int(x["price_year"]) if x["price_year"] else 0),
                GRADE_ORDER.get(x["_grade"], 9),
                -quantities[x["system"]],
                x["system"],
            ),
        )
        best["canonical"] = "true"
    for row in rows:
        del row["_grade"]
    rows.sort(key=lambda x: (x["capability"], x["us_made"], x["system"]))
    return rows, FX_RATES


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    """Write rows with a fixed column order and Unix newlines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    systems, fx = build(args.shared)
    write_csv(args.out / "systems.csv", systems, COLUMNS)
    write_csv(
        args.out / "fx_rates.csv",
        fx,
        ["currency", "year", "units_per_usd", "source", "source_grade", "note"],
    )


if __name__ == "__main__":
    main()
