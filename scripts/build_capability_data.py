"""Build the bundled capability tables from the researched raw data.

Usage::

    python scripts/build_capability_data.py [RAW_DIR] [--out PACKAGE_DATA_DIR]

RAW_DIR defaults to ``/work/shared/data/capabilities`` (files ``enablers.csv``,
``us_posture_europe.csv``, ``requirement_estimates.csv`` and ``SOURCES.md``).
Writes ``tables/{capability_holdings,us_posture,requirement_estimates,
capability_requirements}.csv`` under ``src/alliance/data`` (or ``--out``).

What the script adds to the raw rows, all by rules written below:

* ``reliability`` (A/B/C) and ``reliability_detail`` (e.g. ``B-``): the grade
  in the row's note (``Rel. B+``) or else the grade of the row's source URL in
  SOURCES.md. A source with no grade stops the build.
* ``quantity_basis`` (in_service / ordered / planned / cumulative): from the
  marker in the system name, else from the note (per-row table ``BASIS_BY_NOTE``).
* ``system_family``, ``origin``, ``us_made``: from the ``system_families`` table
  (alliance.capabilities.families).
* ``counted``: whether the gap model counts the row as a current holding, with
  ``not_counted_reason`` (other basis, other unit, no figure, or an overlapping
  row - table ``OVERLAPS``). Figures themselves are copied, never changed.

``capability_requirements`` maps each published requirement to a capability
area, per study (table ``REQUIREMENT_MAP``); where a study gives no figure for an
area there is no row.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from alliance.capabilities.families import families_from_table, family_of
from alliance.catalogue import capability_catalogue
from alliance.data import load_dataset

DEFAULT_RAW = Path("/work/shared/data/capabilities")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "alliance" / "data"

GRADE_ORDER = ["A", "A-", "B+", "B", "B-", "C+", "C"]

#: Unit of each holdings capability (from the area it belongs to).
CATALOGUE = capability_catalogue()
FAMILIES = families_from_table(load_dataset().table("system_families"))
HOLDINGS_UNIT = {c.code: CATALOGUE.unit(c.area) for c in CATALOGUE.codes}

#: Markers in ``system`` that say what kind of number the quantity is.
BASIS_MARKERS: list[tuple[str, str]] = [
    (r"\(ordered to date\)", "cumulative"),
    (r"\(cumulative", "cumulative"),
    (r"\(total procurement\)", "cumulative"),
    (r"\(funded procurement\)", "ordered"),
    (r"\(rapid prototypes\)", "ordered"),
    (r"\(additional orders\)", "ordered"),
    (r"\(ordered\)|, ordered\)", "ordered"),
    (r"\(planned", "planned"),
    (r"\(programme\)", "planned"),
    (r"\(framework\)|, framework\)", "planned"),
    (r"F-35A planned", "ordered"),
    (r"\(delivered\)|, delivered\)|fire units delivered", "in_service"),
    (r"\(in service\)|\(active service\)|\(stock\)|\(combat-ready\)", "in_service"),
]

#: Rows without a marker whose note says the number is not a current holding.
#: Key: (holder, system) as in enablers.csv -> (basis, the words of the note that say so).
BASIS_BY_NOTE: dict[tuple[str, str], tuple[str, str]] = {
    ("DEU", "A400M Atlas"): ("ordered", "'Contracted fleet size'"),
    ("ESP", "A400M"): ("ordered", "'Total ordered'"),
    ("GBR", "E-7A Wedgetail AEW1"): ("ordered", "'Ordered (cut from 5 to 3 in 2021)'"),
    ("SWE", "Saab GlobalEye (S 106)"): ("ordered", "'Ordered: 2 in 2022 plus an option'"),
    ("FRA", "Saab GlobalEye"): ("ordered", "'Ordered 30 Dec 2025'"),
    ("DEU", "P-8A Poseidon"): ("ordered", "'Contract for five via FMS'"),
    ("GBR", "MQ-9B Protector RG1"): ("ordered", "UK 'investing in 16'"),
    ("NLD", "MQ-9A Reaper Block 5"): ("ordered", "'Ordered July 2018'"),
    ("DNK", "SAMP/T NG"): ("ordered", "'Ordered, not delivered'"),
    ("NOR", "F-35A"): ("planned", "'Full programme of record'"),
    ("ITA", "F-35A/F-35B"): ("planned", "'Planned total'"),
    ("DEU", "F-35A"): ("ordered", "'Ordered late 2022'"),
    ("FIN", "F-35A"): ("ordered", "'Ordered; deliveries from mid-2026'"),
    ("USA_EUCOM", "F-35A (48th Fighter Wing, RAF Lakenheath)"): (
        "planned", "'Planned complement: 2 squadrons x 24'"),
    ("SWE", "CV90 / Strf 90 (all variants)"): (
        "cumulative", "'deliveries 1994-2002; 51 since given to Ukraine'"),
    ("POL", "M142 HIMARS (Homar-A phase 1)"): ("ordered", "'20 launchers ... (signed Feb 2019)'"),
    ("BEL", "A400M (ordered)"): ("ordered", "'7 ordered'"),
    ("USA_EUCOM", "Arleigh Burke DDG (forward-deployed, Rota, Spain)"): (
        "in_service", "actual count (the 2023 row with 6 is the plan, see OVERLAPS)"),
}

#: Overlapping rows of the same holding: (holder, system, quantity) -> reason not counted.
OVERLAPS: dict[tuple[str, str, float], str] = {
    ("DEU", "Patriot fire unit", 12.0): "2022 holding; superseded by the 2024 row (9 fire units)",
    ("DEU", "Patriot fire unit (combat-ready)", 6.0): (
        "combat-ready subset of the 9 held (2024 row); use capabilities.readiness for readiness"),
    ("POL", "Patriot (Wisla phase 1)", 2.0): (
        "same phase-1 delivery as the 2023 row counted in fire units (4); counting both "
        "doubles it"),
    ("FRA", "Rafale (all services)", 143.0): (
        "2019 figure; superseded by the 2024 Air and Space Force row (90); transfers to GRC and "
        "HRV since"),
    ("USA_TOTAL", "all MBT (M1 Abrams)", 4640.0): (
        "Global Firepower count incl. stored tanks; the active-service row (2,509) is counted"),
    ("NLD", "Leopard 2A6 (German-owned, leased; Pzbtl 414)", 18.0): (
        "German-owned tanks; assumed already in Germany's count (risk of double counting)"),
    ("TUR", "S-400", 2.0): "not integrated with NATO air defence (source note); Russian-made",
    ("USA_EUCOM", "Arleigh Burke DDG (forward-deployed, Rota, Spain)", 6.0): (
        "2023 plan to reach 6 (planned); the 2024 count of 5 is counted"),
}

#: Rows whose quantity is the curator's sum of separately stated figures (SOURCES.md).
CURATOR_SUMS = {
    ("FIN", "K9 Thunder (Moukari)"): "48 + 48 (option) summed by the raw-data curator",
    ("SWE", "JAS 39C/D Gripen"): "70 Gripen C + 24 Gripen D summed by the raw-data curator",
}

#: US posture rows chosen where several figures exist for one (host, year, kind):
#: the highest reliability grade wins; ties are broken here, by source URL and figure.
POSTURE_TIEBREAK: dict[tuple[str, int, str], tuple[str, str, str]] = {
    ("EUR", 2025, "total"): ("https://www.krone.at/3751109", "100000",
                             "Pentagon figure (April 2025) incl. rotational forces"),
    ("EUR", 2022, "total"): ("https://evol.news/news/us-troops-surpass-100000-in-europe/", "100000",
                             "later 2022 figure: 'more than 100,000' by June 2022"),
    ("ROU", 2025, "total"): (
        "https://www.defense-aerospace.com/us-scales-back-brigade-rotation-in-romania-as-nato-"
        "rebalances-eastern-flank", "1000", "later 2025 figure (after the October 2025 cut)"),
}

STUDY_IDS: list[tuple[str, str]] = [
    ("Bruegel/Kiel Institute (Burilkov & Wolff)", "bruegel_kiel_2025"),
    ("Kiel Institute/Bruegel (Burilkov, Bushnell", "kiel_fit_for_war_2025"),
    ("IISS ", "iiss_2025"),
    ("NATO Secretary General Rutte", "nato_2025"),
]


@dataclass(frozen=True)
class Mapping:
    """How one published estimate maps to a capability area's requirement."""

    study_id: str
    capability: str
    items: tuple[str, ...]
    kind: str
    replaces_us: bool
    mapping: str
    derive: str = "copy"


#: Published estimates -> capability requirements. ``derive`` says how the value
#: is obtained: "copy" (as published), "difference" (first item minus second:
#: a total need minus the study's own count of European stock), "multiplier"
#: (1 + percent/100).
REQUIREMENT_MAP: list[Mapping] = [
    Mapping("bruegel_kiel_2025", "troop_equivalents",
            ("extra troops (fighting-capacity equivalent)",), "additional", True,
            "Fighting-capacity-equivalent troops Europe must add to replace ~100,000 US troops in "
            "Europe plus up to 200,000 US reinforcements; the study equates this to about 50 new "
            "mechanised/armoured brigades (row 'new brigades')."),
    Mapping("bruegel_kiel_2025", "main_battle_tank", ("main battle tanks (minimum)",),
            "additional", True, "Minimum tanks for the new force, on top of today's holdings."),
    Mapping("bruegel_kiel_2025", "infantry_fighting_vehicle",
            ("infantry fighting vehicles (minimum)",), "additional", True,
            "Minimum IFVs for the new force, on top of today's holdings."),
    Mapping("bruegel_kiel_2025", "artillery_155mm_sp_and_mlrs", ("artillery pieces (minimum)",),
            "additional", True,
            "Minimum artillery pieces for the new force; one piece counted as one self-propelled "
            "gun or rocket-launcher vehicle (assumption: the study's pieces are the mechanised "
            "force's guns, not towed guns or mortars)."),
    Mapping("kiel_fit_for_war_2025", "main_battle_tank",
            ("European main battle tanks required", "European main battle tank stock 2023"),
            "additional", False,
            "Study's required European tank fleet minus the study's own count of the 2023 stock "
            "(1,627), i.e. its additional need; added to our holdings because the two counts "
            "cover different country sets.", "difference"),
    Mapping("kiel_fit_for_war_2025", "ground_based_air_defence_long_range",
            ("Patriot + SAMP/T systems needed", "Patriot + SAMP/T systems in stock 2024"),
            "additional", False,
            "Patriot + SAMP/T systems needed minus the study's 2024 stock (35), i.e. the "
            "additional need; one system counted as one battery / fire unit.", "difference"),
    Mapping("iiss_2025", "combat_aircraft", ("tactical combat aircraft to replace",),
            "additional", True,
            "US tactical combat aircraft Europe would have to replace (4th and 5th generation "
            "fighters together)."),
    Mapping("iiss_2025", "frigate_destroyer", ("destroyers to replace",), "additional", True,
            "US destroyers Europe would have to replace, counted in the frigate_destroyer area "
            "(the area also holds frigates)."),
    Mapping("iiss_2025", "ground_based_air_defence_long_range",
            ("long-range surface-to-air missile systems to replace",), "additional", True,
            "Long-range SAM systems to replace; press wording '24 long-range surface-to-air "
            "missiles' read as systems (SOURCES.md doubt 3), one system = one battery."),
    Mapping("iiss_2025", "troop_equivalents",
            ("US personnel to replace in a large-scale operation",), "additional", True,
            "US personnel Europe would have to replace in a large-scale operation, counted as "
            "troop equivalents one for one."),
    Mapping("nato_2025", "ground_based_air_defence_long_range",
            ("increase in air and missile defence",), "multiple_of_baseline", False,
            "Rutte's '+400 %' air and missile defence read as 5 times today's European long-range "
            "air defence (his figure covers all air and missile defence, not only long range).",
            "multiplier"),
]


def norm_url(url: str) -> str:
    """Normalise a URL for lookup: no scheme, no www., no trailing slash, lower-case."""
    u = url.strip().lower()
    u = re.sub(r"^https?://", "", u)
    u = re.sub(r"^www\.", "", u)
    return u.rstrip("/")


def read_grades(sources_md: Path) -> dict[str, str]:
    """Source URL (normalised) -> reliability grade cell from the SOURCES.md tables."""
    grades: dict[str, str] = {}
    for line in sources_md.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0].isdigit() and cells[1].startswith("http"):
            grades[norm_url(cells[1])] = cells[-1]
    return grades


def grade_letter(detail: str) -> str:
    """A/B/C from a grade cell like 'B- (GFP data)'."""
    m = re.match(r"\s*([ABC])", detail)
    if not m:
        raise SystemExit(f"cannot read a reliability grade from {detail!r}")
    return m.group(1)


def grade_for(url: str, note: str, grades: dict[str, str]) -> str:
    """Grade from the note ('Rel. B+') or else from SOURCES.md by URL; stop if none."""
    m = re.search(r"Rel\.\s*([ABC][+-]?)", note or "")
    if m:
        return m.group(1)
    key = norm_url(url)
    if key in grades:
        return grades[key].split(" ")[0]
    raise SystemExit(f"no reliability grade for source {url!r}: add it to SOURCES.md")


def basis_of(holder: str, system: str) -> tuple[str, str]:
    """(quantity_basis, why) for one enablers row."""
    if (holder, system) in BASIS_BY_NOTE:
        basis, words = BASIS_BY_NOTE[(holder, system)]
        return basis, f"quantity_basis from the note: {words}"
    for pattern, basis in BASIS_MARKERS:
        if re.search(pattern, system, flags=re.IGNORECASE):
            return basis, ""
    return "in_service", ""


def build_holdings(raw: Path, grades: dict[str, str], estimates: pd.DataFrame) -> pd.DataFrame:
    """The capability_holdings table: enablers.csv rows plus Europe's troop count."""
    en = pd.read_csv(raw / "enablers.csv", dtype={"note": str})
    rows = []
    counters: dict[str, int] = {}
    for _, r in en.iterrows():
        holder = str(r["holder"])
        system = str(r["system"])
        cap = str(r["capability"])
        if cap not in HOLDINGS_UNIT:
            raise SystemExit(f"enablers.csv: capability {cap!r} is not in the capability catalogue")
        fam = family_of(system, FAMILIES)
        if fam is None:
            raise SystemExit(
                f"enablers.csv: no system family for {system!r}; "
                "add a row to the system_families table"
            )
        qty = None if pd.isna(r["quantity"]) else float(r["quantity"])
        if holder in ("USA_TOTAL", "USA_EUCOM"):
            kind, iso3 = ("us_total" if holder == "USA_TOTAL" else "us_in_europe"), "USA"
        elif holder == "NATO_COMMON":
            kind, iso3 = "nato_common", ""
        else:
            kind, iso3 = "ally", holder
        origin, us_made = fam.origin, fam.us_made
        if fam.name == "military satellites":
            origin, us_made = (iso3 or holder), iso3 == "USA"
        basis, basis_why = basis_of(holder, system)
        unit = str(r["unit"])
        reason = ""
        if basis != "in_service":
            reason = f"quantity_basis is {basis} (not a current holding)"
        elif qty is None:
            reason = "quantity not published (see note)"
        elif unit != HOLDINGS_UNIT[cap]:
            reason = f"unit {unit!r} differs from the area unit {HOLDINGS_UNIT[cap]!r}"
        elif (holder, system, qty) in OVERLAPS:
            reason = OVERLAPS[(holder, system, qty)]
        derived = [basis_why] if basis_why else []
        if (holder, system) in CURATOR_SUMS:
            derived.append(CURATOR_SUMS[(holder, system)])
        counters[f"{holder}.{cap}"] = counters.get(f"{holder}.{cap}", 0) + 1
        rows.append({
            "record_id": f"{holder}.{cap}.{counters[f'{holder}.{cap}']}",
            "capability": cap,
            "holder": holder,
            "holder_kind": kind,
            "iso3": iso3,
            "system": system,
            "system_family": fam.name,
            "origin": origin,
            "us_made": "" if us_made is None else str(us_made).lower(),
            "quantity": "" if qty is None else _num(qty),
            "unit": unit,
            "quantity_basis": basis,
            "as_of_year": "" if pd.isna(r["as_of_year"]) else str(int(r["as_of_year"])),
            "counted": str(reason == "").lower(),
            "not_counted_reason": reason,
            "reliability": grade_letter(grade_for(str(r["source_url"]), str(r["note"]), grades)),
            "reliability_detail": grade_for(str(r["source_url"]), str(r["note"]), grades),
            "source": str(r["source_url"]),
            "note": "" if pd.isna(r["note"]) else str(r["note"]),
            "derived": "; ".join(derived),
        })
    # Europe's troops: the study's own count of European active-duty personnel.
    est = estimates[estimates["item"] == "European active-duty personnel (current)"]
    if len(est) != 1:
        raise SystemExit("requirement_estimates.csv: expected one row of European personnel")
    e = est.iloc[0]
    rows.append({
        "record_id": "EUR.troop_equivalents.1",
        "capability": "troop_equivalents",
        "holder": "EUR",
        "holder_kind": "europe_aggregate",
        "iso3": "",
        "system": "active-duty personnel (all European militaries)",
        "system_family": "personnel",
        "origin": "national",
        "us_made": "false",
        "quantity": _num(float(e["value_low"])),
        "unit": "troops",
        "quantity_basis": "in_service",
        "as_of_year": "2025",
        "counted": "true",
        "not_counted_reason": "",
        "reliability": e["reliability"],
        "reliability_detail": e["reliability_detail"],
        "source": e["source"],
        "note": "Bruegel/Kiel's count of European active-duty personnel: " + str(e["assumptions"]),
        "derived": f"copied from requirement_estimates {e['record_id']}; the study's 'personnel' "
                   "counted as troops (one for one)",
    })
    return pd.DataFrame(rows)


def build_posture(raw: Path, grades: dict[str, str]) -> pd.DataFrame:
    """The us_posture table: US troops in Europe by host and year, plus planned reinforcements."""
    po = pd.read_csv(raw / "us_posture_europe.csv")
    rows = []
    for i, r in po.iterrows():
        detail = grade_for(str(r["source_url"]), "", grades)
        rows.append({
            "record_id": f"posture.{i + 1}",
            "host": str(r["host_iso3"]),
            "iso3": "" if r["host_iso3"] == "EUR" else str(r["host_iso3"]),
            "year": int(r["year"]),
            "troops": "" if pd.isna(r["troops"]) else _num(float(r["troops"])),
            "kind": str(r["kind"]),
            "counted": "true",
            "not_counted_reason": "",
            "reliability": grade_letter(detail),
            "reliability_detail": detail,
            "source": str(r["source_url"]),
            "note": str(r["note"]),
            "derived": "",
        })
    rows.append({
        "record_id": "posture.reinforcement.1",
        "host": "EUR",
        "iso3": "",
        "year": 2025,
        "troops": "200000",
        "kind": "reinforcement_planned",
        "counted": "true",
        "not_counted_reason": "",
        "reliability": "A",
        "reliability_detail": grade_for("https://ideas.repec.org/p/zbw/ifwkpb/312398.html", "",
                                        grades),
        "source": "https://ideas.repec.org/p/zbw/ifwkpb/312398.html",
        "note": "Bruegel/Kiel (Feb 2025): 'up to 200,000 US reinforcements assumed by NATO "
                "planners (RAND 2024)' on top of ~100,000 US troops in Europe; an upper bound.",
        "derived": "taken from the assumptions text of the Bruegel/Kiel 300,000-troop estimate "
                   "(requirement_estimates)",
    })
    frame = pd.DataFrame(rows)
    rank = {g: i for i, g in enumerate(GRADE_ORDER)}
    for (host, year, kind), group in frame.groupby(["host", "year", "kind"]):
        with_figure = group[group["troops"] != ""]
        for idx in group.index.difference(with_figure.index):
            frame.loc[idx, ["counted", "not_counted_reason"]] = ["false", "troops not published"]
        if len(with_figure) <= 1:
            continue
        best = min(rank[g] for g in with_figure["reliability_detail"])
        top = with_figure[with_figure["reliability_detail"].map(rank) == best]
        if len(top) > 1:
            choice = POSTURE_TIEBREAK.get((str(host), int(year), str(kind)))
            if choice is None:
                raise SystemExit(f"us_posture: tie for {(host, year, kind)}; add POSTURE_TIEBREAK")
            keep = top.index[(top["source"] == choice[0]) & (top["troops"] == choice[1])]
            if len(keep) != 1:
                raise SystemExit(f"us_posture: tie-break for {(host, year, kind)} matches no row")
            why = choice[2]
        else:
            keep, why = top.index, "highest reliability grade"
        for idx in with_figure.index.difference(keep):
            frame.loc[idx, ["counted", "not_counted_reason"]] = [
                "false", f"another figure for {host} {year} ({kind}) is used: {why}"]
    return frame


def _parse_value(text: str) -> tuple[float | None, float | None, str]:
    """(low, high, how) from a published value such as '2359-2920', 'up to 12', '10 (at least)'."""
    t = str(text).strip()
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)", t):
        v = float(m.group(1))
        return v, v, ""
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)", t):
        return float(m.group(1)), float(m.group(2)), "range 'a-b' split into low and high"
    if m := re.fullmatch(r"up to (\d+(?:\.\d+)?)", t):
        return None, float(m.group(1)), "'up to' read as an upper bound only"
    if m := re.fullmatch(r"(\d+(?:\.\d+)?) \(at least\)", t):
        return float(m.group(1)), None, "'at least' read as a lower bound only"
    raise SystemExit(f"requirement_estimates.csv: cannot parse value {t!r}")


def build_estimates(raw: Path, grades: dict[str, str]) -> pd.DataFrame:
    """The requirement_estimates table: published estimates as copied, ranges split."""
    re_ = pd.read_csv(raw / "requirement_estimates.csv", dtype=str)
    rows = []
    for i, r in re_.iterrows():
        low, high, how = _parse_value(r["value"])
        study_id = next((sid for prefix, sid in STUDY_IDS if r["study"].startswith(prefix)),
                        "other")
        detail = grade_for(r["source_url"], "", grades)
        rows.append({
            "record_id": f"estimate.{i + 1}",
            "study_id": study_id,
            "study": r["study"],
            "item": r["item"],
            "value_text": r["value"],
            "value_low": "" if low is None else _num(low),
            "value_high": "" if high is None else _num(high),
            "unit": r["unit"],
            "assumptions": "" if pd.isna(r["assumptions"]) else r["assumptions"],
            "reliability": grade_letter(detail),
            "reliability_detail": detail,
            "source": r["source_url"],
            "derived": how,
        })
    return pd.DataFrame(rows)


def build_requirements(estimates: pd.DataFrame) -> pd.DataFrame:
    """The capability_requirements table from ``REQUIREMENT_MAP``."""
    rank = {g: i for i, g in enumerate(GRADE_ORDER)}
    rows = []
    for m in REQUIREMENT_MAP:
        found = []
        for item in m.items:
            hit = estimates[(estimates["study_id"] == m.study_id) & (estimates["item"] == item)]
            if len(hit) != 1:
                raise SystemExit(f"requirement_estimates: no single row {m.study_id}/{item!r}")
            found.append(hit.iloc[0])
        first = found[0]
        low = float(first["value_low"]) if first["value_low"] != "" else None
        high = float(first["value_high"]) if first["value_high"] != "" else None
        derived = ""
        if m.derive == "difference":
            stock = float(found[1]["value_low"])
            low = None if low is None else low - stock
            high = None if high is None else high - stock
            derived = (f"{first['value_text']} {first['unit']} minus the study's stock of "
                       f"{found[1]['value_text']} ({found[1]['record_id']})")
        elif m.derive == "multiplier":
            low = None if low is None else 1 + low / 100
            high = None if high is None else 1 + high / 100
            pct = first["value_text"]
            derived = f"+{pct} % read as a multiple of 1 + {pct}/100"
        worst = max((f["reliability_detail"] for f in found), key=lambda g: rank[g])
        rows.append({
            "requirement_id": f"{m.study_id}.{m.capability}",
            "study_id": m.study_id,
            "capability": m.capability,
            "kind": m.kind,
            "value_low": "" if low is None else _num(low),
            "value_high": "" if high is None else _num(high),
            "unit": (
                "multiple" if m.kind == "multiple_of_baseline" else CATALOGUE.unit(m.capability)
            ),
            "study_value": first["value_text"],
            "study_unit": first["unit"],
            "replaces_us": str(m.replaces_us).lower(),
            "estimate_ids": "|".join(f["record_id"] for f in found),
            "mapping": m.mapping,
            "reliability": grade_letter(worst),
            "reliability_detail": worst,
            "source": first["source"],
            "derived": derived,
        })
    return pd.DataFrame(rows)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def write(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as CSV (minimal quoting, UTF-8, LF line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="?", type=Path, default=DEFAULT_RAW,
                        help=f"folder of the raw capability data (default {DEFAULT_RAW})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="package data folder to write tables/ into")
    args = parser.parse_args(argv)
    raw: Path = args.raw
    for name in ("enablers.csv", "us_posture_europe.csv", "requirement_estimates.csv",
                 "SOURCES.md"):
        if not (raw / name).is_file():
            print(f"error: {raw / name} not found", file=sys.stderr)
            return 2
    grades = read_grades(raw / "SOURCES.md")
    estimates = build_estimates(raw, grades)
    tables = {
        "requirement_estimates": estimates,
        "capability_requirements": build_requirements(estimates),
        "capability_holdings": build_holdings(raw, grades, estimates),
        "us_posture": build_posture(raw, grades),
    }
    for name, frame in tables.items():
        write(frame, args.out / "tables" / f"{name}.csv")
        print(f"{name}: {len(frame)} rows -> {args.out / 'tables' / (name + '.csv')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
