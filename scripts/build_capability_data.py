"""Build the bundled capability tables from the researched raw data.

Usage::

    python scripts/build_capability_data.py [RAW_DIR] [--out PACKAGE_DATA_DIR]

RAW_DIR defaults to ``/work/shared/data/capabilities`` (files ``enablers.csv``,
``enabler_holdings_second_pass.csv``, ``us_posture_europe.csv``,
``requirement_estimates.csv``, ``us_share_of_enablers.csv`` and ``SOURCES.md``).
The project's own curated inputs sit next to this script in ``capability_data/``:
``holdings_additions.csv`` (figures found in the source review, each with its
original source, where it was read and a grade) and ``holdings_review.csv``
(per raw row: a replaced source, a corrected basis, a remapped area, a reason
not to count it, an estimate flag, or a sub-fleet mark). Writes
``tables/{capability_holdings,us_posture,requirement_estimates,
capability_requirements}.csv`` under ``src/alliance/data`` (or ``--out``).
See docs/capability_data.md.

What the script adds to the raw rows, all by rules written below:

* ``reliability`` (A/B/C) and ``reliability_detail`` (e.g. ``B-``): the grade
  in the row's note (``Rel. B+``), the second pass's ``source_grade``, the review's
  grade for a replaced source, or else the grade of the source URL in SOURCES.md.
  A source with no grade stops the build.
* ``quantity_basis`` (in_service / ordered / planned / cumulative): the second
  pass's ``status``; for enablers.csv the marker in the system name, else the note
  (per-row table ``BASIS_BY_NOTE``); a review ``basis`` action overrides both.
* ``system_family``, ``origin``, ``us_made``: from the ``system_families`` table
  (alliance.capabilities.families).
* ``counted``: whether the gap model counts the row as a current holding, with
  ``not_counted_reason``: other basis, other unit, no figure, an overlapping row
  (``OVERLAPS`` and the review), a source on an aggregator site (``AGGREGATORS``:
  "aggregator only: <site>") or a grade-C source. One counted row per holder,
  code and system family unless the review marks them as sub-fleets (checked).
  Figures themselves are copied, never changed.
* ``source`` is the original publication, ``transcribed_from`` where the figure
  was read when that differs; ``estimate`` flags estimated stocks and fleets.

``capability_requirements`` maps each published requirement to a capability
area, per study (table ``REQUIREMENT_MAP``), with its basis (``force_package`` or
``replace_us_published``), kind, the study's own reference stock and year, and
the absolute requirement where the study gives enough to compute it; where a
study gives no figure for an area there is no row (the model then states a
named assumption).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from alliance.capabilities.families import families_from_table, family_of
from alliance.catalogue import capability_catalogue

DEFAULT_RAW = Path("/work/shared/data/capabilities")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "alliance" / "data"
#: Curated inputs of this project (figures found and source reviews), next to this script.
CURATED = Path(__file__).resolve().parent / "capability_data"
SECOND_PASS = "enabler_holdings_second_pass.csv"
RAW_FILE_NAMES = {"enablers": "enablers.csv", "second_pass": SECOND_PASS,
                  "curated": "capability_data/holdings_additions.csv"}
RAW_FILE_KEYS = {v: k for k, v in RAW_FILE_NAMES.items()}
BASES = ("in_service", "ordered", "planned", "cumulative")
REVIEW_ACTIONS = ("source", "basis", "remap", "not_counted", "estimate", "subfleet", "note")

#: Aggregator networks, content farms, reprint and mirror sites: never the source of a
#: counted figure (a row resting on one is kept, counted=false, "aggregator only: <site>").
AGGREGATORS: tuple[str, ...] = (
    "fakti.bg", "govconexec.com", "warnesysworld.com", "aeronewsjournal.com", "newslanes.com",
    "yenisafak.com", "marketscreener.com", "oxfordmail.co.uk", "news-pravda.com",
    "europesays.com", "essanews.com", "legalclarity.org", "thetechy.life", "factually.co",
    "newswire.com.pk", "zazoom.it", "gagadget.com", "uncut-news.ch", "aussiedlerbote.de",
    "sundries.news", "closetheskyoverukraine.com", "news--of-the-day.com",
    "keypublishing.wordpress-developer.us", "issuhub.com", "owiki.org", "eiffelpost.com",
    "deutsch.city", "4ni.co.uk", "conservativeinsider.org", "worldofweapon.wordpress.com",
    "viajes4dias.com", "gamereactor.no", "newsbreak.com", "businesspress.online",
    "pledgetimes.com", "strategicstudyindia.com", "britishnews.org", "cnewsliveenglish.com",
    "ieu-monitoring.com", "censor.net", "dignitynews.eu", "aerospaceglobalnews.com",
    "trendsderzukunft.de", "militarywatches.online", "timesnewsnetworks.com",
)

#: (capability, unit as the second pass wrote it) -> (area unit, why one for one).
UNIT_ALIASES: dict[tuple[str, str], tuple[str, str]] = {
    ("attack_submarine", "submarines"): ("ships", "a submarine is one boat"),
    ("ground_based_air_defence_long_range", "fire_units"): (
        "batteries", "a Patriot/SAMP-T fire unit is one battery (SOURCES_enablers_second_pass.md)"),
    ("ground_based_air_defence_long_range", "systems"): (
        "batteries", "a Patriot 'system' is one fire unit / battery in Dutch and Greek usage "
        "(SOURCES_enablers_second_pass.md)"),
}

GRADE_ORDER = ["A", "A-", "B+", "B", "B-", "C+", "C"]

#: Unit of each holdings capability (from the area it belongs to).
CATALOGUE = capability_catalogue()
#: Read from the bundled CSV directly (not load_dataset()): the build must run while the
#: tables it writes do not yet match an updated data dictionary.
_FAMILY_TABLE = pd.read_csv(DEFAULT_OUT / "tables" / "system_families.csv", dtype=str,
                            keep_default_na=False)
_FAMILY_TABLE["match_order"] = _FAMILY_TABLE["match_order"].astype(int)
_FAMILY_TABLE["us_made"] = _FAMILY_TABLE["us_made"].map(
    {"true": True, "false": False, "": pd.NA}).astype("boolean")
FAMILIES = families_from_table(_FAMILY_TABLE)
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
        "Global Firepower count incl. stored tanks; the active-service row (2,509) rests on a "
        "content farm, so no US tank inventory is counted"),
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
RUSI_STUDY = ("RUSI Occasional Paper (Quintana, Heidenkamp, Codner), 'Europe's Air Transport and "
              "Air-to-Air Refuelling Capability: Examining the Collaborative Imperative', "
              "26 Aug 2014")


#: The studies' own pages: every estimate of a study names it as ``source``; the page the
#: figure was read from becomes ``transcribed_from``.
STUDY_PAGES: dict[str, str] = {
    "bruegel_kiel_2025":
        "https://www.bruegel.org/analysis/defending-europe-without-us-first-estimates-what-needed",
    "kiel_fit_for_war_2025": "https://www.ifw-kiel.de/publications/"
                             "fit-for-war-by-2030-european-rearmament-efforts-vis-a-vis-russia-34349",
    "iiss_2025": "https://www.iiss.org/research-paper/2025/05/"
                 "defending-europe-without-the-united-states-costs-and-consequences/",
    "rusi_2014": "https://www.rusi.org/publication/occasional-papers/"
                 "europes-air-transport-and-air-air-refuelling-capability-examining?page=263",
}

#: Estimates the requirements rest on whose transcription is weak but whose figure several
#: independent reports agree on: (study, item) -> (grade, the reports).
CORROBORATED: dict[tuple[str, str], tuple[str, str]] = {
    **{("bruegel_kiel_2025", item): ("B", "figure as reported by Euronews (21 Feb 2025, with "
       "co-author Burilkov; reprinted at timesnewsnetworks.com), El Mundo (reprinted at "
       "pledgetimes.com) and eunews.it, and the study text quoted on r/europe")
       for item in ("extra troops (fighting-capacity equivalent)", "main battle tanks (minimum)",
                    "infantry fighting vehicles (minimum)", "artillery pieces (minimum)",
                    "155mm shells for 90 days of high-intensity combat",
                    "European active-duty personnel (current)")},
    **{("kiel_fit_for_war_2025", item): ("B", "figure as reported from the launch of the "
       "report (Euronews report reprinted at businesspress.online and europeanmirror.com)")
       for item in ("European main battle tank stock 2023", "European main battle tanks required",
                    "Patriot + SAMP/T systems in stock 2024", "Patriot + SAMP/T systems needed")},
    **{("iiss_2025", item): ("B-", "IISS page not read; the figure agrees across independent "
       "reports of the study (Politico Europe, 15 May 2025, as reprinted by fakti.bg and "
       "overclockers.ru; scrolli.co; conflictwatcher.com)")
       for item in ("one-off procurement cost", "tactical combat aircraft to replace",
                    "destroyers to replace", "long-range surface-to-air missile systems to replace",
                    "US personnel to replace in a large-scale operation")},
}


@dataclass(frozen=True)
class Mapping:
    """How one published estimate maps to a capability area's requirement.

    ``basis``: 'force_package' (an absolute quantity the model can use) or
    'replace_us_published' (a study's own count of US assets to replace: a
    reproduction target, never used as a requirement). ``kind``: 'total' (the
    whole need), 'additional' (on top of ``reference`` or else the frozen European
    baseline), 'multiple_of_baseline'. ``reference``: item of the study's own stated
    European stock. ``derive``: 'copy', 'multiplier' (1 + percent/100) or
    'share_bound' (first item / (second item percent / 100): a stock said to be
    below that share of the need gives a lower bound of the need).
    """

    study_id: str
    capability: str
    items: tuple[str, ...]
    basis: str
    kind: str
    replaces_us: bool
    mapping: str
    derive: str = "copy"
    reference: str | None = None
    reference_year: str = ""


#: Published estimates -> capability requirements (``capability`` is the area).
REQUIREMENT_MAP: list[Mapping] = [
    Mapping("bruegel_kiel_2025", "troop_equivalents",
            ("extra troops (fighting-capacity equivalent)",), "force_package", "additional", True,
            "Fighting-capacity-equivalent troops Europe must add to replace ~100,000 US troops in "
            "Europe plus up to 200,000 US reinforcements; the study equates this to about 50 new "
            "mechanised/armoured brigades (row 'new brigades'). On top of the study's own count "
            "of European active-duty personnel (1.47 million).",
            reference="European active-duty personnel (current)", reference_year="2025"),
    Mapping("bruegel_kiel_2025", "main_battle_tank", ("main battle tanks (minimum)",),
            "force_package", "additional", True,
            "Minimum tanks for the new force, on top of today's holdings (the study states no "
            "European tank count, only that 1,400 exceeds the German, French, Italian and British "
            "holdings together)."),
    Mapping("bruegel_kiel_2025", "infantry_fighting_vehicle",
            ("infantry fighting vehicles (minimum)",), "force_package", "additional", True,
            "Minimum IFVs for the new force, on top of today's holdings (no stock stated)."),
    Mapping("bruegel_kiel_2025", "artillery_155mm_sp_and_mlrs", ("artillery pieces (minimum)",),
            "force_package", "additional", True,
            "Minimum artillery pieces for the new force; one piece counted as one self-propelled "
            "gun or rocket-launcher vehicle (assumption: the study's pieces are the mechanised "
            "force's guns, not towed guns or mortars)."),
    Mapping("bruegel_kiel_2025", "ammunition_155mm",
            ("155mm shells for 90 days of high-intensity combat",), "force_package", "additional",
            True,
            "'One million 155 mm shells' as the minimum for 90 days of high-intensity combat of "
            "the new force, 'beyond the scarce stocks now available' (read as additional; the "
            "study states no stock figure and none is bundled)."),
    Mapping("kiel_fit_for_war_2025", "main_battle_tank",
            ("European main battle tanks required",), "force_package", "total", False,
            "The study's required European tank fleet (range by scenario), a total; its own count "
            "of the 2023 stock is the reference stock.",
            reference="European main battle tank stock 2023"),
    Mapping("kiel_fit_for_war_2025", "ground_based_air_defence_long_range",
            ("Patriot + SAMP/T systems needed",), "force_package", "total", False,
            "Patriot + SAMP/T systems needed in total, one system counted as one battery / fire "
            "unit; the study's 2024 stock (35) is the reference stock.",
            reference="Patriot + SAMP/T systems in stock 2024"),
    Mapping("iiss_2025", "combat_aircraft", ("tactical combat aircraft to replace",),
            "replace_us_published", "additional", True,
            "US tactical combat aircraft Europe would have to replace (4th and 5th generation "
            "fighters together): a reproduction target for the replace-us requirement."),
    Mapping("iiss_2025", "frigate_destroyer", ("destroyers to replace",),
            "replace_us_published", "additional", True,
            "US destroyers Europe would have to replace (area frigate_destroyer): a reproduction "
            "target."),
    Mapping("iiss_2025", "ground_based_air_defence_long_range",
            ("long-range surface-to-air missile systems to replace",), "replace_us_published",
            "additional", True,
            "Long-range SAM systems to replace; press wording '24 long-range surface-to-air "
            "missiles' read as systems (SOURCES.md doubt 3), one system = one battery: a "
            "reproduction target."),
    Mapping("iiss_2025", "troop_equivalents",
            ("US personnel to replace in a large-scale operation",), "replace_us_published",
            "additional", True,
            "US personnel Europe would have to replace in a large-scale operation, counted as "
            "troop equivalents one for one: a reproduction target."),
    Mapping("nato_2025", "ground_based_air_defence_long_range",
            ("increase in air and missile defence",), "force_package", "multiple_of_baseline",
            False,
            "Rutte's '+400 %' air and missile defence read as 5 times today's European long-range "
            "air defence (his figure covers all air and missile defence, not only long range).",
            "multiplier"),
    Mapping("rusi_2014", "air_to_air_refuelling",
            ("tankers fielded by European nations by 2025 (planned)",
             "percent (upper bound) of NATO tanker requirement met by planned European fleet 2025"),
            "force_package", "total", False,
            "RUSI (2014): the ~100 tankers European nations planned to field by 2025 are 'less "
            "than 40 per cent of the NATO requirement', so the NATO tanker requirement is more "
            "than 100 / 0.40 = 250 aircraft (a lower bound; no upper end published).",
            "share_bound",
            reference="tankers fielded by European nations by 2025 (planned)"),
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


def _domain(url: str) -> str:
    """Host of a URL without scheme and 'www.' (lower-case)."""
    return norm_url(url).split("/")[0]


def aggregator_of(url: str) -> str | None:
    """The aggregator site a URL belongs to (``AGGREGATORS``), or None."""
    host = _domain(url)
    for site in AGGREGATORS:
        if host == site or host.endswith("." + site):
            return site
    return None


@dataclass
class RawRow:
    """One holdings row as read from a raw file, before the rules of this script."""

    file: str
    row: int
    capability: str
    holder: str
    system: str
    quantity: float | None
    unit: str
    status: str | None
    as_of_year: str
    source: str
    grade_cell: str | None
    note: str
    transcribed_from: str = ""
    estimate: bool = False
    derived: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    subfleet: bool = False


def _blank(value: object) -> bool:
    return value is None or str(value).strip() in ("", "nan", "<NA>")


def _year(value: object) -> str:
    return "" if _blank(value) else str(int(float(str(value))))


def _qty(value: object) -> float | None:
    return None if _blank(value) else float(str(value))


def read_raw_holdings(raw: Path) -> list[RawRow]:
    """Rows of enablers.csv and enabler_holdings_second_pass.csv, in file order."""
    rows: list[RawRow] = []
    en = pd.read_csv(raw / "enablers.csv", dtype={"note": str})
    for i, r in en.iterrows():
        rows.append(RawRow(
            "enablers", int(str(i)) + 1, str(r["capability"]), str(r["holder"]), str(r["system"]),
            _qty(r["quantity"]), str(r["unit"]), None, _year(r["as_of_year"]),
            str(r["source_url"]), None, "" if pd.isna(r["note"]) else str(r["note"])))
    sp = pd.read_csv(raw / SECOND_PASS, dtype={"note": str, "source_grade": str})
    for i, r in sp.iterrows():
        rows.append(RawRow(
            "second_pass", int(str(i)) + 1, str(r["capability"]), str(r["holder"]),
            str(r["system"]), _qty(r["quantity"]), str(r["unit"]), str(r["status"]),
            _year(r["as_of_year"]), str(r["source_url"]), str(r["source_grade"]),
            "" if pd.isna(r["note"]) else str(r["note"])))
    return rows


def read_additions(path: Path) -> list[RawRow]:
    """Curated rows (``capability_data/holdings_additions.csv``): figures found in this pass."""
    add = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for i, r in add.iterrows():
        if r["status"] not in BASES:
            raise SystemExit(f"{path.name} row {int(str(i)) + 1}: status {r['status']!r} is not "
                             f"one of {', '.join(BASES)}")
        row = RawRow(
            "curated", int(str(i)) + 1, r["capability"], r["holder"], r["system"],
            _qty(r["quantity"]), r["unit"], r["status"], r["as_of_year"], r["source"],
            r["grade"], r["note"], transcribed_from=r["transcribed_from"],
            estimate=r["estimate"] == "true")
        if r["derived"]:
            row.derived.append(r["derived"])
        rows.append(row)
    return rows


def read_review(path: Path) -> dict[tuple[str, int], list[dict[str, str]]]:
    """(file, row) -> review actions (``capability_data/holdings_review.csv``)."""
    review: dict[tuple[str, int], list[dict[str, str]]] = {}
    for r in pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records"):
        if r["action"] not in REVIEW_ACTIONS:
            raise SystemExit(f"{path.name}: unknown action {r['action']!r} (file {r['file']}, "
                             f"row {r['row']}); use one of {', '.join(REVIEW_ACTIONS)}")
        review.setdefault((str(r["file"]), int(r["row"])), []).append(
            {str(k): str(v) for k, v in r.items()})
    return review


def _apply_review(row: RawRow, actions: list[dict[str, str]]) -> str | None:
    """Apply review actions to ``row``; returns a basis override or None."""
    basis = None
    for a in actions:
        act = a["action"]
        if act == "source":
            row.transcribed_from = a["transcribed_from"] or row.source
            row.source, row.grade_cell = a["source"], a["grade"]
            row.derived.append(f"source replaced (was {row.transcribed_from}): {a['reason']}")
        elif act == "basis":
            basis = a["value"]
            if a["source"]:
                row.transcribed_from = a["transcribed_from"] or row.source
                row.source, row.grade_cell = a["source"], a["grade"]
            row.derived.append(f"quantity_basis set to {basis}: {a['reason']}")
        elif act == "remap":
            row.derived.append(f"capability remapped from {row.capability}: {a['reason']}")
            row.capability = a["value"]
        elif act == "not_counted":
            row.reasons.append(a["reason"])
        elif act == "estimate":
            row.estimate = True
        elif act == "subfleet":
            row.subfleet = True
        elif act == "note":
            row.note = f"{row.note} [{a['reason']}]" if row.note else a["reason"]
    return basis


def _normalise_unit(row: RawRow) -> None:
    """Units the second pass writes differently from the area unit (one for one)."""
    alias = UNIT_ALIASES.get((row.capability, row.unit))
    if alias is not None:
        row.derived.append(f"unit '{row.unit}' counted as '{alias[0]}': {alias[1]}")
        row.unit = alias[0]


def _grade(row: RawRow, grades: dict[str, str]) -> str:
    if row.grade_cell:
        return row.grade_cell
    return grade_for(row.source, row.note, grades)


def _holding_record(row: RawRow, basis: str, detail: str, record_id: str) -> dict[str, str]:
    fam = family_of(row.system, FAMILIES)
    if fam is None:
        raise SystemExit(f"{row.file} row {row.row}: no system family for {row.system!r}; "
                         "add a row to the system_families table")
    holder = row.holder
    if holder in ("USA_TOTAL", "USA_EUCOM"):
        kind, iso3 = ("us_total" if holder == "USA_TOTAL" else "us_in_europe"), "USA"
    elif holder == "NATO_COMMON":
        kind, iso3 = "nato_common", ""
    elif holder == "EUR":
        kind, iso3 = "europe_aggregate", ""
    else:
        kind, iso3 = "ally", holder
    origin, us_made = fam.origin, fam.us_made
    if fam.name == "military satellites":
        origin, us_made = (iso3 or holder), iso3 == "USA"
    return {
        "record_id": record_id,
        "capability": row.capability,
        "holder": holder,
        "holder_kind": kind,
        "iso3": iso3,
        "system": row.system,
        "system_family": fam.name,
        "origin": origin,
        "us_made": "" if us_made is None else str(us_made).lower(),
        "quantity": "" if row.quantity is None else _num(row.quantity),
        "unit": row.unit,
        "quantity_basis": basis,
        "as_of_year": row.as_of_year,
        "counted": str(not row.reasons).lower(),
        "not_counted_reason": "; ".join(row.reasons),
        "reliability": grade_letter(detail),
        "reliability_detail": detail,
        "estimate": str(row.estimate).lower(),
        "source": row.source,
        "transcribed_from": row.transcribed_from,
        "raw_file": RAW_FILE_NAMES[row.file],
        "raw_row": str(row.row),
        "note": row.note,
        "derived": "; ".join(row.derived),
    }


def _count_rules(row: RawRow, basis: str, detail: str) -> None:
    """Reasons (in order) why a row is not a counted current holding."""
    rules: list[str] = []
    if basis != "in_service":
        rules.append(f"quantity_basis is {basis} (not a current holding)")
    elif row.quantity is None:
        rules.append("quantity not published (see note)")
    elif row.unit != HOLDINGS_UNIT[row.capability]:
        rules.append(f"unit {row.unit!r} differs from the area unit "
                     f"{HOLDINGS_UNIT[row.capability]!r}")
    if row.file == "enablers" and row.quantity is not None:
        overlap = OVERLAPS.get((row.holder, row.system, row.quantity))
        if overlap:
            rules.append(overlap)
    site = aggregator_of(row.source)
    if site:
        rules.append(f"aggregator only: {site}")
    elif grade_letter(detail) == "C":
        rules.append(f"grade C source ({_domain(row.source)}); no A/B source found")
    row.reasons[:0] = rules


def _check_one_count_per_holding(frame: pd.DataFrame, rows: list[RawRow]) -> None:
    """One counted row per holder, area code and system family, unless marked as sub-fleets."""
    counted = frame[frame["counted"] == "true"]
    sub = {(r.file, r.row) for r in rows if r.subfleet}
    for key, group in counted.groupby(["holder", "capability", "system_family"]):
        if len(group) < 2:
            continue
        ids = [(k, int(n)) for k, n in zip(group["raw_file"].map(RAW_FILE_KEYS),
                                            group["raw_row"], strict=True)]
        if not all(i in sub for i in ids):
            raise SystemExit(
                f"capability_holdings: {len(group)} counted rows for {key} ({ids}); mark them "
                "'subfleet' (distinct holdings, summed) or 'not_counted' in holdings_review.csv")


def build_holdings(raw: Path, grades: dict[str, str], estimates: pd.DataFrame,
                   curated: Path = CURATED) -> pd.DataFrame:
    """The capability_holdings table: both raw passes, the curated rows and Europe's troops."""
    review = read_review(curated / "holdings_review.csv")
    rows = read_raw_holdings(raw) + read_additions(curated / "holdings_additions.csv")
    records = []
    counters: dict[str, int] = {}
    for row in rows:
        override = _apply_review(row, review.get((row.file, row.row), []))
        if row.capability not in HOLDINGS_UNIT:
            raise SystemExit(f"{row.file} row {row.row}: capability {row.capability!r} is not in "
                             "the capability catalogue")
        if row.file == "enablers":
            basis, basis_why = basis_of(row.holder, row.system)
            if basis_why:
                row.derived.insert(0, basis_why)
            if (row.holder, row.system) in CURATOR_SUMS:
                row.derived.append(CURATOR_SUMS[(row.holder, row.system)])
        else:
            basis = str(row.status)
        basis = override or basis
        _normalise_unit(row)
        detail = _grade(row, grades)
        _count_rules(row, basis, detail)
        key = f"{row.holder}.{row.capability}"
        counters[key] = counters.get(key, 0) + 1
        records.append(_holding_record(row, basis, detail, f"{key}.{counters[key]}"))
    records.append(_europe_troops(estimates))
    frame = pd.DataFrame(records)
    _check_one_count_per_holding(frame, rows)
    return frame


def _europe_troops(estimates: pd.DataFrame) -> dict[str, str]:
    """Europe's troops: the Bruegel/Kiel study's own count of European active-duty personnel."""
    est = estimates[estimates["item"] == "European active-duty personnel (current)"]
    if len(est) != 1:
        raise SystemExit("requirement_estimates.csv: expected one row of European personnel")
    e = est.iloc[0]
    return {
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
        "estimate": "false",
        "source": e["source"],
        "transcribed_from": e["transcribed_from"],
        "raw_file": "requirement_estimates.csv",
        "raw_row": str(e["record_id"]).split(".")[-1],
        "note": "Bruegel/Kiel's count of European active-duty personnel: " + str(e["assumptions"]),
        "derived": f"copied from requirement_estimates {e['record_id']}; the study's 'personnel' "
                   "counted as troops (one for one)",
    }


def build_posture(raw: Path, grades: dict[str, str]) -> pd.DataFrame:
    """The us_posture table: US troops in Europe by host and year, plus planned reinforcements."""
    po = pd.read_csv(raw / "us_posture_europe.csv")
    rows = []
    for i, r in po.iterrows():
        detail = grade_for(str(r["source_url"]), "", grades)
        rows.append({
            "record_id": f"posture.{int(str(i)) + 1}",
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
            choice = POSTURE_TIEBREAK.get((str(host), int(str(year)), str(kind)))
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


def _estimate_row(i: int, study_id: str, study: str, item: str, value: str, unit: str,
                  assumptions: str, url: str, detail: str) -> dict[str, str]:
    low, high, how = _parse_value(value)
    source, transcribed = url, ""
    page = STUDY_PAGES.get(study_id)
    if page is not None and norm_url(page) != norm_url(url):
        source, transcribed = page, url
    derived = [how] if how else []
    corroborated = CORROBORATED.get((study_id, item))
    if corroborated is not None:
        derived.append(f"grade {corroborated[0]} (transcription graded {detail}): "
                       f"{corroborated[1]}")
        detail = corroborated[0]
    elif aggregator_of(url) and grade_letter(detail) != "C":
        derived.append(f"grade C: read only on an aggregator ({aggregator_of(url)}), "
                       f"transcription graded {detail}")
        detail = "C"
    return {
        "record_id": f"estimate.{i}",
        "study_id": study_id,
        "study": study,
        "item": item,
        "value_text": value,
        "value_low": "" if low is None else _num(low),
        "value_high": "" if high is None else _num(high),
        "unit": unit,
        "assumptions": assumptions,
        "reliability": grade_letter(detail),
        "reliability_detail": detail,
        "source": source,
        "transcribed_from": transcribed,
        "derived": "; ".join(derived),
    }


def build_estimates(raw: Path, grades: dict[str, str]) -> pd.DataFrame:
    """The requirement_estimates table: published estimates as copied, ranges split.

    Rows of requirement_estimates.csv, then RUSI's tanker figures from
    us_share_of_enablers.csv (study ``rusi_2014``).
    """
    re_ = pd.read_csv(raw / "requirement_estimates.csv", dtype=str)
    rows = []
    for i, r in re_.iterrows():
        study_id = next((sid for prefix, sid in STUDY_IDS if r["study"].startswith(prefix)),
                        "other")
        rows.append(_estimate_row(
            int(str(i)) + 1, study_id, r["study"], r["item"], r["value"], r["unit"],
            "" if pd.isna(r["assumptions"]) else r["assumptions"], r["source_url"],
            grade_for(r["source_url"], "", grades)))
    shares = pd.read_csv(raw / "us_share_of_enablers.csv", dtype=str)
    rusi = shares[shares["source_url"].map(norm_url) == norm_url(STUDY_PAGES["rusi_2014"])]
    rusi = rusi[rusi["unit"].str.contains("2025")]
    if len(rusi) != 2:
        raise SystemExit("us_share_of_enablers.csv: expected the two RUSI 2025 tanker rows")
    for s in rusi.to_dict("records"):
        unit = str(s["unit"])
        rows.append(_estimate_row(
            len(rows) + 1, "rusi_2014", RUSI_STUDY, unit, str(s["figure"]),
            "percent" if unit.startswith("percent") else "tankers", str(s["context"]),
            str(s["source_url"]), str(s["grade"])))
    return pd.DataFrame(rows)


def _found_estimates(estimates: pd.DataFrame, m: Mapping) -> list[pd.Series]:
    found = []
    for item in m.items + ((m.reference,) if m.reference and m.reference not in m.items else ()):
        hit = estimates[(estimates["study_id"] == m.study_id) & (estimates["item"] == item)]
        if len(hit) != 1:
            raise SystemExit(f"requirement_estimates: no single row {m.study_id}/{item!r}")
        found.append(hit.iloc[0])
    return found


def _opt(value: str) -> float | None:
    return None if value == "" else float(value)


def _requirement_value(m: Mapping, found: list[pd.Series]) -> tuple[
        float | None, float | None, str]:
    """(low, high, how) of one mapping in the unit of its kind."""
    first = found[0]
    low, high = _opt(first["value_low"]), _opt(first["value_high"])
    if m.derive == "multiplier":
        pct = first["value_text"]
        return (None if low is None else 1 + low / 100, None if high is None else 1 + high / 100,
                f"+{pct} % read as a multiple of 1 + {pct}/100")
    if m.derive == "share_bound":
        stock, share = float(found[0]["value_low"]), float(found[1]["value_low"])
        return (stock / (share / 100), None,
                f"{found[0]['value_text']} tankers are less than {found[1]['value_text']} % of "
                f"the requirement: requirement > {found[0]['value_text']} / "
                f"{share / 100:g} (lower bound only)")
    return low, high, ""


def build_requirements(estimates: pd.DataFrame) -> pd.DataFrame:
    """The capability_requirements table from ``REQUIREMENT_MAP``."""
    rank = {g: i for i, g in enumerate(GRADE_ORDER)}
    rows = []
    for m in REQUIREMENT_MAP:
        found = _found_estimates(estimates, m)
        first = found[0]
        low, high, derived = _requirement_value(m, found)
        ref = None
        if m.reference is not None:
            ref = next(f for f in found if f["item"] == m.reference)
        stock = None if ref is None else float(ref["value_low"])
        ref_year = m.reference_year or (
            "" if ref is None else (re.findall(r"(20\d\d)", str(ref["item"])) or [""])[-1])
        if m.kind == "total":
            abs_low, abs_high = low, high
        elif m.kind == "additional" and stock is not None:
            abs_low = None if low is None else stock + low
            abs_high = None if high is None else stock + high
        else:
            abs_low = abs_high = None
        worst = max((f["reliability_detail"] for f in found), key=lambda g: rank[g])
        transcribed = sorted({f["transcribed_from"] or f["source"] for f in found})
        rows.append({
            "requirement_id": f"{m.study_id}.{m.capability}",
            "study_id": m.study_id,
            "capability": m.capability,
            "basis": m.basis,
            "kind": m.kind,
            "value_low": "" if low is None else _num(low),
            "value_high": "" if high is None else _num(high),
            "unit": ("multiple" if m.kind == "multiple_of_baseline"
                     else CATALOGUE.unit(m.capability)),
            "reference_stock": "" if stock is None else _num(stock),
            "reference_year": ref_year,
            "absolute_low": "" if abs_low is None else _num(abs_low),
            "absolute_high": "" if abs_high is None else _num(abs_high),
            "study_value": first["value_text"],
            "study_unit": first["unit"],
            "replaces_us": str(m.replaces_us).lower(),
            "estimate_ids": "|".join(f["record_id"] for f in found),
            "mapping": m.mapping,
            "reliability": grade_letter(worst),
            "reliability_detail": worst,
            "source": first["source"],
            "transcribed_from": " | ".join(transcribed),
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
    for name in ("enablers.csv", SECOND_PASS, "us_posture_europe.csv",
                 "requirement_estimates.csv", "us_share_of_enablers.csv", "SOURCES.md"):
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
