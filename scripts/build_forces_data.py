"""Build the bundled forces and mobility tables from the researched raw data.

Usage::

    python scripts/build_forces_data.py [FORCES_DIR] [MOBILITY_DIR] [--out PACKAGE_DATA_DIR]

FORCES_DIR defaults to ``/work/shared/data/forces`` (``order_of_battle.csv``,
``readiness_standards.csv``), MOBILITY_DIR to ``/work/shared/data/mobility``
(``corridor_nodes.csv``, ``corridor_links.csv``, ``movement_factors.csv``).
Writes ``tables/{order_of_battle,readiness_standards,corridor_nodes,
corridor_links,movement_factors}.csv`` under ``src/alliance/data`` (or ``--out``).

Figures are copied, never changed. What the script adds, by rules written below:

* ``source`` (the URL the figure was read at, or the original's URL where it is
  known: table ``ORIGINAL_URL``), ``source_publication`` (the original
  publication in words: table ``PUBLISHERS`` by the domain read) and
  ``transcribed_from`` (the copy read when it is not the original publisher's
  own page; empty otherwise), ``grade`` (A/B/C as researched, or the grade of a
  re-sourced row: table ``RESOURCED``).
* ``counted`` with ``not_counted_reason``: a grade-C row stays in the table but
  out of every force total, as does a headquarters, a formation counted inside
  another row and a rotation that has ended.
* Order of battle: ``brigade_type`` (heavy / medium / light / air_assault /
  headquarters), ``echelon`` and ``brigade_equivalents`` (1 per brigade; a
  multinational battlegroup or a brigade still building up counts its personnel
  / 4,000, the reference brigade strength of ``movement_factors``
  ``abct_personnel``), ``full_strength_year``.
* Links: ``link_id``, ``gauge`` and ``transload_required`` (1520 mm rail in the
  Baltic states needs a transload from standard gauge), ``status`` and two
  Rail Baltica rows (``planned``: the lever ``mobility.rail_baltica_open``).
* Numeric ``value_numeric`` / ``figure_numeric`` where a factor's value is a
  plain number.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_FORCES = Path("/work/shared/data/forces")
DEFAULT_MOBILITY = Path("/work/shared/data/mobility")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "alliance" / "data"

#: Reference strength of one brigade [troops] for brigade equivalents of
#: battlegroups and brigades building up (ABCT ~4,000 soldiers, AUSA via the leads).
BRIGADE_REFERENCE_PERSONNEL = 4000.0

#: Domain read -> (original publication, the page read is a copy of it).
PUBLISHERS: dict[str, tuple[str, bool]] = {
    "livemint.com": ("Bloomberg News (syndicated by Livemint)", True),
    "millichronicle.com": ("Reuters (copy)", True),
    "daily8.com": ("Reuters (syndicated copy)", True),
    "stylemagazine.com": ("CNN (syndicated copy)", True),
    "unionleader.com": ("Reuters (syndicated)", True),
    "indebta.com": ("Financial Times (republished text)", True),
    "bizonews.com": ("Financial Times (republished text)", True),
    "firam.net": ("AFP (reprint)", True),
    "byteseu.com": ("PA Media (copy)", True),
    "fas.org": ("US Army CGSC ST 100-3 Battle Book (FAS mirror of the official text)", True),
    "www.fas.org": ("US Army CGSC ST 100-3 Battle Book (FAS mirror of the official text)", True),
    "shape.nato.int": ("NATO SHAPE", False),
    "eur-lex.europa.eu": ("EUR-Lex, Official Journal of the EU", False),
    "army.mil": ("US Army", False),
    "www.army.mil": ("US Army", False),
    "dvidshub.net": ("DVIDS (US DoD)", False),
    "www.eur.army.mil": ("US Army Europe and Africa", False),
    "www.afsbeurope.army.mil": ("405th AFSB, US Army", False),
    "www.bundesregierung.de": ("German Federal Government", False),
    "www.rand.org": ("RAND Corporation", False),
    "ssi.armywarcollege.edu": ("US Army War College, Strategic Studies Institute", False),
}
#: Domains that mirror Wikipedia (or host copies of it): the original is Wikipedia.
WIKI_MIRRORS = (
    "ipfs", "wikimili.com", "kiwix", "sagapedia.com", "zxc.wiki", "piglix.com",
    "clateway.com",
)

#: Grade-C order-of-battle rows re-sourced in this build: raw unit name ->
#: (source URL, publication, grade, what the source confirms).
RESOURCED: dict[str, tuple[str, str, str, str]] = {
    "34th Armoured Cavalry Brigade": (
        "https://www.rp.pl/opinie-polityczno-spoleczne/art41207071-marek-kutarba-bursztynowe-"
        "czolgi-k2-na-granicach-obwodu-krolewieckiego",
        "Rzeczpospolita (Marek Kutarba)", "B",
        "re-sourced: rp.pl names the 34th Armoured Cavalry Brigade with two tank battalions in "
        "the 11th Armoured Cavalry Division",
    ),
    "17th Wielkopolska Mechanised Brigade": (
        "https://www.rp.pl/opinie-polityczno-spoleczne/art41207071-marek-kutarba-bursztynowe-"
        "czolgi-k2-na-granicach-obwodu-krolewieckiego",
        "Rzeczpospolita (Marek Kutarba)", "B",
        "re-sourced: rp.pl names the 17th Wielkopolska Mechanised Brigade as the third brigade "
        "of the 11th Division (no tanks)",
    ),
    "20th Bartoszyce Mechanised Brigade": (
        "http://polska-zbrojna.pl/home/articleshow/14652?t=Zolnierze-z-garnizonow-Bartoszyce-i-"
        "Morag",
        "Polska Zbrojna (Polish MoD Military Publishing Institute)", "A",
        "re-sourced: Polska Zbrojna on the 20th Bartoszyce Mechanised Brigade (BWP-1, T-72, "
        "2S1; garrisons Bartoszyce and Morag)",
    ),
}

#: Rows kept out of every force total for a reason other than their grade.
NOT_COUNTED: dict[str, str] = {
    "Multinational Battlegroup Lithuania": "subordinated to Panzerbrigade 45 since Feb 2026: "
    "counted in that row",
    "V Corps (Forward) HQ": "corps headquarters, not a manoeuvre brigade",
    "2nd Infantry Brigade Combat Team, 101st Airborne": "rotation ended Oct 2025 without "
    "replacement (us_posture: about 1,000 US troops remain in Romania)",
}

#: Brigades still building up: raw unit prefix -> (share of full strength in the
#: row's year, year of full strength, how the share was read).
BUILD_UP: dict[str, tuple[float, int, str]] = {
    "Panzerbrigade 45": (
        2000.0 / 4800.0, 2028,
        "share = ~2,000 on site by summer 2026 (Bloomberg, in the row's note) / 4,800 planned; "
        "full capability end-2027, so full strength from 2028",
    ),
}

TYPE_MAP = {
    "heavy": "heavy",
    "medium": "medium",
    "light": "light",
    "airborne/air-assault": "air_assault",
    "other": "headquarters",
}

OOB_COLUMNS = [
    "unit_id", "holder", "unit", "brigade_type", "echelon", "brigade_equivalents",
    "full_strength_year", "personnel", "main_equipment", "home_location", "home_country",
    "lat", "lon", "stationing", "readiness_note", "as_of_year", "counted",
    "not_counted_reason", "source", "source_publication", "transcribed_from", "grade",
    "note", "derived",
]
READINESS_COLUMNS = [
    "standard_id", "standard", "figure", "figure_numeric", "unit", "counted",
    "not_counted_reason", "source", "source_publication", "transcribed_from", "grade", "note",
    "derived",
]
NODE_COLUMNS = [
    "node_id", "name", "kind", "country", "lat", "lon", "throughput_per_day",
    "throughput_unit", "source", "source_publication", "transcribed_from", "grade", "note",
]
LINK_COLUMNS = [
    "link_id", "from_node", "to_node", "mode", "distance_km", "transit_hours",
    "capacity_per_day", "capacity_unit", "gauge", "transload_required", "status",
    "constraint_note", "source", "source_publication", "transcribed_from", "grade", "note",
    "derived",
]
FACTOR_COLUMNS = [
    "factor", "value", "value_numeric", "unit", "source", "source_publication",
    "transcribed_from", "grade", "note", "derived",
]

#: Readiness standards the raw table lacks, from the leads (public-figures.md, section F).
EXTRA_READINESS: list[dict[str, str]] = [
    {
        "standard": "NATO Force Model Tier 1 (~100,000 in up to 10 days)",
        "figure": "100000", "unit": "troops within 10 days",
        "source_url": "https://ssi.armywarcollege.edu/SSI-Media/Recent-Publications/Display/"
        "Article/3788521/the-new-nato-force-model-ready-for-launch/",
        "grade": "B",
        "note": "US Army War College SSI article as quoted in the leads "
        "(public-figures.md section F, marked checked there); not re-read by this build",
    },
    {
        "standard": "NATO Force Model Tier 2 (~200,000 in 10-30 days)",
        "figure": "200000", "unit": "troops within 10-30 days",
        "source_url": "https://ssi.armywarcollege.edu/SSI-Media/Recent-Publications/Display/"
        "Article/3788521/the-new-nato-force-model-ready-for-launch/",
        "grade": "B", "note": "as tier 1",
    },
    {
        "standard": "NATO Force Model Tier 3 (>=500,000 in 30-180 days)",
        "figure": "500000", "unit": "troops within 30-180 days",
        "source_url": "https://ssi.armywarcollege.edu/SSI-Media/Recent-Publications/Display/"
        "Article/3788521/the-new-nato-force-model-ready-for-launch/",
        "grade": "B", "note": "as tier 1",
    },
    {
        "standard": "Allied Reaction Force size (up to ~40,000 in 10 days)",
        "figure": "40000", "unit": "troops within 10 days",
        "source_url": "https://shape.nato.int/news-archive/2024/stand-up-of-allied-reaction-"
        "force-marks-a-new-era-for-nato",
        "grade": "C",
        "note": "the 10-day standard is SHAPE's (grade A); the 40,000 figure is from secondary "
        "press (actualno, via the leads, section B): a check target, not a force total",
    },
]

#: Rail Baltica (1435 mm) rows: in service only with mobility.rail_baltica_open.
RAIL_BALTICA: list[dict[str, str]] = [
    {
        "from_node": "LT_KAU", "to_node": "LV_RIG", "mode": "rail", "distance_km": "265",
        "source_url": "https://www.therailagenda.com/p/rail-baltica-enters-full-scale-build",
        "source_grade": "B",
        "note": "Rail Baltica 1435 mm, 870 km Tallinn-LT/PL border, 25 t/axle, freight 120 "
        "km/h; 2030 target. Distance = the Via Baltica road section (general knowledge)",
    },
    {
        "from_node": "LV_RIG", "to_node": "EE_TAP", "mode": "rail", "distance_km": "330",
        "source_url": "https://www.therailagenda.com/p/rail-baltica-enters-full-scale-build",
        "source_grade": "B",
        "note": "Rail Baltica Riga-Tallinn section (with a spur to Tapa assumed); distance "
        "approximate (general knowledge)",
    },
]

#: 1520 mm rail links (the Baltic network north and east of Kaunas).
BROAD_GAUGE_NODES = {"LV_RIG", "EE_VGA", "EE_TAP", "LT_PAB", "LT_JON", "LT_PNV"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def provenance(url: str) -> tuple[str, str, str]:
    """``(source, source_publication, transcribed_from)`` of a URL read."""
    if not url.startswith(("http://", "https://")):
        raise SystemExit(f"not a URL: {url!r}; every raw row must cite an http(s) URL")
    domain = urlparse(url).netloc.lower()
    if any(m in domain for m in WIKI_MIRRORS):
        return url, "Wikipedia (copy on a mirror site)", url
    if domain.endswith("wikipedia.org"):
        return url, "Wikipedia", ""
    for known, (publication, is_copy) in PUBLISHERS.items():
        if domain == known or domain.endswith("." + known):
            return url, publication, url if is_copy else ""
    return url, domain.removeprefix("www."), ""


def _number(text: str) -> str:
    cleaned = text.replace(",", "").strip()
    return cleaned if re.fullmatch(r"-?\d+(\.\d+)?", cleaned) else ""


def _source_cells(url: str, grade: str) -> dict[str, str]:
    source, publication, transcribed = provenance(url)
    return {"source": source, "source_publication": publication,
            "transcribed_from": transcribed, "grade": grade}


def order_of_battle(raw: list[dict[str, str]]) -> list[dict[str, str]]:
    """The bundled order of battle (rules in the module docstring)."""
    rows = []
    for n, r in enumerate(raw, start=1):
        out = dict(r)
        out["unit_id"] = f"oob.{n}"
        out["brigade_type"] = TYPE_MAP[r["brigade_type"]]
        out.update(_source_cells(r["source_url"], r["source_grade"]))
        derived = []
        resourced = next((v for k, v in RESOURCED.items() if r["unit"].startswith(k)), None)
        if resourced is not None:
            url, publication, grade, what = resourced
            out.update(source=url, source_publication=publication, transcribed_from="",
                       grade=grade)
            derived.append(what + f"; first lead {r['source_url']} (grade C)")
        unit = r["unit"]
        is_group = "Battlegroup" in unit or "Task Force" in unit
        out["echelon"] = (
            "headquarters" if out["brigade_type"] == "headquarters"
            else "division" if "Division" in unit
            else "battlegroup" if is_group else "brigade"
        )
        share, full_year = 1.0, int(r["as_of_year"])
        build = next((v for k, v in BUILD_UP.items() if unit.startswith(k)), None)
        personnel = float(r["personnel"]) if r["personnel"] else None
        if build is not None:
            share, full_year = build[0], build[1]
            derived.append("brigade_equivalents: " + build[2])
        elif out["echelon"] == "battlegroup" and personnel is not None:
            share = min(personnel / BRIGADE_REFERENCE_PERSONNEL, 1.0)
            derived.append(f"brigade_equivalents = personnel / {BRIGADE_REFERENCE_PERSONNEL:g}")
        elif out["echelon"] == "division":
            share = 1.0
            derived.append("division still forming: counted as one brigade equivalent "
                           "(its brigades are not listed separately)")
        elif out["echelon"] == "headquarters":
            share = 0.0
        out["brigade_equivalents"] = f"{share:.4g}"
        out["full_strength_year"] = str(full_year)
        reason = next((v for k, v in NOT_COUNTED.items() if unit.startswith(k)), "")
        if not reason and out["grade"] == "C":
            reason = ("grade C source (mirror, blog or aggregator) not re-sourced: kept out "
                      "of force totals")
        out["counted"] = "false" if reason else "true"
        out["not_counted_reason"] = reason
        out["derived"] = "; ".join(derived)
        rows.append(out)
    return rows


def readiness_standards(raw: list[dict[str, str]]) -> list[dict[str, str]]:
    """Readiness standards: raw rows with a figure, then the tier rows from the leads."""
    rows = []
    kept = [r for r in raw if r["figure"]]
    for n, r in enumerate(kept + EXTRA_READINESS, start=1):
        out = {
            "standard_id": f"ready.{n}", "standard": r["standard"], "figure": r["figure"],
            "figure_numeric": _number(r["figure"]), "unit": r["unit"], "note": r["note"],
            **_source_cells(r["source_url"], r["grade"]),
        }
        out["counted"] = "false" if out["grade"] == "C" else "true"
        out["not_counted_reason"] = "grade C" if out["grade"] == "C" else ""
        out["derived"] = "added from the leads (public-figures.md)" if r in EXTRA_READINESS else ""
        rows.append(out)
    return rows


def corridor_nodes(raw: list[dict[str, str]]) -> list[dict[str, str]]:
    """Corridor nodes with provenance columns."""
    return [{**r, **_source_cells(r["source_url"], r["source_grade"])} for r in raw]


def corridor_links(raw: list[dict[str, str]]) -> list[dict[str, str]]:
    """Corridor links with ids, gauge, transload flag and the planned Rail Baltica rows."""
    rows = []
    planned = [{**r, "status": "planned", "gauge": "1435"} for r in RAIL_BALTICA]
    for n, r in enumerate([*raw, *planned], start=1):
        out = {**r, **_source_cells(r["source_url"], r["source_grade"])}
        out["link_id"] = f"L{n:02d}"
        out.setdefault("status", "in_service")
        derived = []
        if r["mode"] == "rail" and "gauge" not in r:
            broad = r["from_node"] in BROAD_GAUGE_NODES or r["to_node"] in BROAD_GAUGE_NODES
            out["gauge"] = "1520" if broad else "1435"
            derived.append("gauge: 1520 mm where an end is on the Baltic broad-gauge network")
        out["transload_required"] = "true" if out.get("gauge") == "1520" else "false"
        if out["status"] == "planned":
            derived.append("planned Rail Baltica section (lever mobility.rail_baltica_open)")
        out["derived"] = "; ".join(derived)
        rows.append(out)
    return rows


def movement_factors(raw: list[dict[str, str]]) -> list[dict[str, str]]:
    """Movement factors with a numeric value where the value is a plain number."""
    rows = []
    for r in raw:
        out = {**r, **_source_cells(r["source_url"], r["grade"])}
        out["value_numeric"] = _number(r["value"])
        rows.append(out)
    rows.append({
        "factor": "abct_personnel", "value": "4000", "value_numeric": "4000",
        "unit": "soldiers per US armored brigade combat team",
        **_source_cells("https://www.ausa.org/tags/armor?page=1", "B"),
        "note": "AUSA: ~90 Abrams, almost 3,000 other rolling stock, ~4,000 soldiers (quoted "
        "in the abct_vehicles_2017 row); the reference brigade strength",
        "derived": "split out of the abct_vehicles_2017 row's note",
    })
    return rows


def main(argv: list[str] | None = None) -> int:
    """Build the five tables; returns 0 (a missing raw file stops with a message)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("forces", nargs="?", type=Path, default=DEFAULT_FORCES)
    parser.add_argument("mobility", nargs="?", type=Path, default=DEFAULT_MOBILITY)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    tables = args.out / "tables"
    _write(tables / "order_of_battle.csv", OOB_COLUMNS,
           order_of_battle(_read(args.forces / "order_of_battle.csv")))
    _write(tables / "readiness_standards.csv", READINESS_COLUMNS,
           readiness_standards(_read(args.forces / "readiness_standards.csv")))
    _write(tables / "corridor_nodes.csv", NODE_COLUMNS,
           corridor_nodes(_read(args.mobility / "corridor_nodes.csv")))
    _write(tables / "corridor_links.csv", LINK_COLUMNS,
           corridor_links(_read(args.mobility / "corridor_links.csv")))
    _write(tables / "movement_factors.csv", FACTOR_COLUMNS,
           movement_factors(_read(args.mobility / "movement_factors.csv")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
