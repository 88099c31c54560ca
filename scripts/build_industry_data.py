"""Build the bundled sustainment, recruitment and recent-deliveries tables.

Usage::

    python scripts/build_industry_data.py [SHARED_DATA_DIR] [--out PACKAGE_DATA_DIR]

``SHARED_DATA_DIR`` defaults to ``/work/shared/data``; output goes to
``src/alliance/data/tables/``. Deterministic: same inputs, same bytes.

* ``sustainment.csv`` - one row per US-made system family of
  ``system_families.csv`` (read from the package tables; the build stops if a
  US-made family has no row): dependence on US mission data/software, spares and
  depots (high / medium / low), the software/cloud link, European depots or
  licensed production, and a floor (share of the fleet usable indefinitely
  without US support, 0-1) and a half-life (months for availability to halve
  once US support stops), each low / central / high. No public measurement of
  floors or half-lives exists: the values are named assumptions (``assumption``)
  with wide ranges; published anchors (GAO, JPO, NSPA) are in ``source``.
* ``recruitment.csv`` - the troop pipeline per European ally and Canada, computed
  from NATO's military-personnel series (``spending/nato_2025_edition_tables_extra.csv``,
  metric ``personnel_k``, NATO Table 7) plus sourced national targets
  (``TARGETS``). Rule: ``low`` = the mean yearly net change from 2022 to the last
  year NATO gives (2025, or 2024), not below 0; ``high`` = the larger of ``low``,
  the best single year in that window and the yearly pace a national target
  needs from the last year. The sum over rows is the European yearly limit.
* ``procurement_deliveries.csv`` - recent deliveries per year (curated,
  ``DELIVERIES``): the "today's pace" input of the procurement projection.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

from table_io import write_csv  # scripts/table_io.py (scripts/ is on sys.path)

DEFAULT_SHARED = Path("/work/shared/data")
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "alliance" / "data" / "tables"

SUSTAINMENT_COLUMNS = [
    "family",
    "us_made",
    "mission_data_software_dependence",
    "spares_dependence",
    "depot_dependence",
    "software_cloud_dependence",
    "european_depot_or_licence",
    "floor_low",
    "floor_central",
    "floor_high",
    "half_life_months_low",
    "half_life_months_central",
    "half_life_months_high",
    "source",
    "publication",
    "transcribed_from",
    "source_grade",
    "assumption",
]
RECRUITMENT_COLUMNS = [
    "iso3",
    "year_from",
    "year_to",
    "net_additional_troops_per_year_low",
    "net_additional_troops_per_year_high",
    "target_troops",
    "target_year",
    "source",
    "publication",
    "transcribed_from",
    "source_grade",
    "note",
]
DELIVERY_COLUMNS = [
    "holder",
    "capability",
    "year",
    "delivered_units",
    "system",
    "source",
    "publication",
    "transcribed_from",
    "source_grade",
    "note",
]

GAO_F35 = (
    "GAO-23-105341, F-35 Aircraft: DOD and the Military Services Need to Reassess the Future "
    "Sustainment Strategy (Sep 2023): fleet mission capable rate ~55% in March 2023, >10,000 "
    "components awaiting repair; GAO-19-321 (Apr 2019): spares are a global pool owned and "
    "managed by the prime contractor"
)
GAO_F35_PAGE = (
    "https://breakingdefense.com/2023/09/only-55-percent-of-f-35s-mission-capable-putting-"
    "depot-work-in-spotlight-gao/?_hsmi=275305405"
)
SEED_KILL_SWITCH = (
    "Jack Smith (Eurointelligence), 22 Jan 2026, seed article 003: 'numerous other ways the US "
    "could quickly make European weaponry useless, with anything from denying maintenance "
    "support to stopping software updates'; kill switches are 'speculation'"
)
GENERIC_US_OWNED = (
    "US-owned and US-operated in Europe: in a withdrawal it leaves with the US, so European "
    "sustainment is moot; floor 0 and a short half-life if any unit were transferred without "
    "support"
)


def _s(
    family: str,
    levels: tuple[str, str, str],
    software: str,
    depot: str,
    floor: tuple[float, float, float],
    half_life: tuple[float, float, float],
    assumption: str,
    source: str = "",
    transcribed_from: str = "",
    grade: str = "C",
) -> dict[str, Any]:
    return {
        "family": family,
        "levels": levels,
        "software": software,
        "depot": depot,
        "floor": floor,
        "half_life": half_life,
        "assumption": assumption,
        "source": source,
        "transcribed_from": transcribed_from,
        "grade": grade,
    }


#: One entry per US-made family: (mission data/software, spares, depot) dependence.
SUSTAINMENT: list[dict[str, Any]] = [
    _s(
        "F-35",
        ("high", "high", "medium"),
        "ALIS, now ODIN: the logistics and maintenance information system through which parts "
        "orders, work orders and technical data flow to the US prime (partners objected to "
        "sovereign data leaving the country, Defense News 2019); mission data files are built "
        "at reprogramming laboratories in the US (Eglin AFB; the UK and Australia co-fund one "
        "there, 2020); software blocks (TR-3/Block 4) come from the US. No public evidence of "
        "a 'kill switch': the levers are data, keys, updates and parts.",
        "Cameri FACO/MRO&U (Italy, Leonardo): European airframe depot for Italy, Norway, the "
        "Netherlands and since Mar 2025 USAFE (F-35 JPO); F135 heavy engine maintenance "
        "assigned to Norway and the Netherlands (DoD, Dec 2014); Cameri also builds wings.",
        (0.0, 0.15, 0.35),
        (3.0, 9.0, 24.0),
        "Even with full US support only ~55% of the fleet is mission capable (GAO). Without the "
        "contractor-managed global spares pool and ODIN, availability falls fast; Cameri, the "
        "European engine depots and cannibalisation keep a small part flying (floor), but "
        "mission-data and software updates stop, so combat value decays even for jets that fly. "
        "Half-life central 9 months: a few months of spares on hand plus cannibalisation.",
        GAO_F35 + "; JPO via The Aviationist (Mar 2025) on Cameri; Shephard (Feb 2020) on the "
        "UK/Australia reprogramming laboratory at Eglin",
        GAO_F35_PAGE,
        "B",
    ),
    _s(
        "F-16",
        ("medium", "medium", "low"),
        "Operational flight programme and mission-planning updates from the US (Lockheed/US "
        "Air Force); no cloud dependence of the ALIS kind.",
        "None sourced here (European operators have run national F-16 depots and mid-life "
        "updates for decades; not verified in this data).",
        (0.2, 0.45, 0.7),
        (12.0, 30.0, 60.0),
        "Mature, widely produced airframe with a large global spares market and long European "
        "maintenance experience: a sizeable floor and a slow decay; software and weapons "
        "integration updates stop.",
    ),
    _s(
        "F/A-18",
        ("medium", "high", "medium"),
        "Mission computer software and updates via the US Navy programme office.",
        "None sourced here.",
        (0.1, 0.3, 0.6),
        (6.0, 18.0, 36.0),
        "Out of production (Super Hornet line closing); spares come through US Navy FMS: "
        "national depots (Finland, Spain, Switzerland) keep part of the fleet flying.",
    ),
    _s(
        "EA-18G",
        ("high", "high", "high"),
        "Electronic-attack libraries and software from the US Navy.",
        "None.",
        (0.0, 0.05, 0.2),
        (3.0, 6.0, 12.0),
        GENERIC_US_OWNED + ". Threat libraries are US-only.",
    ),
    _s(
        "KC-135",
        ("low", "high", "high"),
        "Little mission software; Boeing/USAF supply chain.",
        "None.",
        (0.0, 0.0, 0.1),
        (2.0, 6.0, 12.0),
        GENERIC_US_OWNED + ".",
    ),
    _s(
        "RC-135",
        ("high", "high", "high"),
        "SIGINT mission systems, data processing and updates in the US (the UK's RC-135W "
        "Airseeker is run jointly with the USAF).",
        "None (depot work in the US).",
        (0.0, 0.1, 0.3),
        (3.0, 9.0, 18.0),
        "The UK's three RC-135W depend on a joint programme with the USAF for mission systems, "
        "crews' training pipeline and depot; without it only a residual capability remains.",
    ),
    _s(
        "C-17",
        ("low", "high", "high"),
        "Little mission software; Boeing global sustainment (performance-based) for parts.",
        "None sourced (UK fleet of 8 and NATO SAC Heavy Airlift Wing of 3 rely on Boeing).",
        (0.1, 0.3, 0.5),
        (6.0, 15.0, 36.0),
        "Out of production; the parts pool is Boeing-managed: a transport airframe keeps "
        "flying longer on stocks and cannibalisation than a fighter.",
    ),
    _s(
        "C-5",
        ("low", "high", "high"),
        "Little mission software.",
        "None.",
        (0.0, 0.0, 0.1),
        (2.0, 6.0, 12.0),
        GENERIC_US_OWNED + ".",
    ),
    _s(
        "C-130J",
        ("low", "medium", "medium"),
        "Avionics and mission software updates from Lockheed Martin; no cloud link.",
        "None sourced (large European fleet: UK, Italy, Denmark, Norway, and the Franco-German "
        "squadron at Evreux; national maintenance not verified in this data).",
        (0.2, 0.45, 0.7),
        (12.0, 24.0, 48.0),
        "In production, widely operated tactical transport with a broad parts market: a "
        "sizeable floor; software and engine (Rolls-Royce AE2100, UK-made) support differ.",
    ),
    _s(
        "F-15",
        ("high", "high", "high"),
        "Mission data and software from the US Air Force.",
        "None.",
        (0.0, 0.05, 0.2),
        (3.0, 6.0, 12.0),
        GENERIC_US_OWNED + " (F-15E at Lakenheath).",
    ),
    _s(
        "King Air ISR",
        ("medium", "medium", "medium"),
        "ISR mission systems (sensors, datalinks) often US-supplied; the King Air airframe is "
        "a commercial type with a civil parts market.",
        "None sourced (the UK's Shadow R1/R2 are supported in the UK; not verified here).",
        (0.2, 0.4, 0.7),
        (6.0, 18.0, 36.0),
        "Commercial airframe keeps flying on civil parts; the mission kit's updates and "
        "datalinks may depend on the US.",
    ),
    _s(
        "KC-767",
        ("low", "high", "medium"),
        "Little mission software; small fleet (Italy, 4) supported by Boeing.",
        "None sourced.",
        (0.1, 0.3, 0.5),
        (6.0, 18.0, 36.0),
        "Small fleet on a commercial 767 base: commercial parts help, the refuelling boom and "
        "mission kit depend on Boeing.",
    ),
    _s(
        "KC-46",
        ("medium", "high", "high"),
        "Remote vision system and software from Boeing/USAF.",
        "None.",
        (0.0, 0.1, 0.3),
        (3.0, 9.0, 18.0),
        "No European operator (Italy dropped its plan): " + GENERIC_US_OWNED + ".",
    ),
    _s(
        "E-3",
        ("high", "high", "medium"),
        "Mission system software, crypto and Link 16 keys under US control.",
        "None sourced (NATO E-3A fleet at Geilenkirchen and France's E-3F are maintained in "
        "Europe; not verified in this data).",
        (0.1, 0.3, 0.5),
        (6.0, 12.0, 30.0),
        "707 airframe out of production; NATO's 14 E-3A retire by 2035 (Flightglobal, Nov "
        "2025). European maintenance keeps part flying, but mission-system updates stop.",
    ),
    _s(
        "E-7",
        ("high", "high", "high"),
        "MESA radar and mission-system software from Boeing/Northrop Grumman.",
        "None (UK fleet of 3 being delivered).",
        (0.0, 0.1, 0.3),
        (3.0, 9.0, 18.0),
        "New fleet with no European depot: near-total dependence in the first years.",
    ),
    _s(
        "P-8",
        ("high", "high", "high"),
        "Acoustic and mission software, libraries and sonobuoy data from the US Navy; spares "
        "via FMS.",
        "None sourced (UK, Norway and Germany run their fleets with US Navy support).",
        (0.0, 0.15, 0.35),
        (3.0, 9.0, 24.0),
        "Commercial 737 base helps the airframe, but the anti-submarine mission depends on US "
        "Navy software and libraries: flights continue, the mission decays.",
    ),
    _s(
        "RQ-4",
        ("high", "high", "high"),
        "Satellite command and data links, ground segment and software from Northrop Grumman.",
        "None (NATO AGS fleet of 5 at Sigonella).",
        (0.0, 0.05, 0.25),
        (2.0, 6.0, 12.0),
        "Remotely piloted over satellite links with contractor support: little can continue "
        "without it.",
    ),
    _s(
        "MQ-9",
        ("high", "high", "high"),
        "Ground control station software and satellite command links from General Atomics; "
        "the articles' example of a cloud-type dependence (UK defence use of Amazon Web "
        "Services) is of the same kind.",
        "None sourced.",
        (0.0, 0.1, 0.3),
        (2.0, 6.0, 18.0),
        "Remotely piloted over satellite links with contractor support; national payloads "
        "do not remove the dependence.",
        SEED_KILL_SWITCH,
        "",
        "C",
    ),
    _s(
        "Tomahawk",
        ("high", "medium", "high"),
        "Mission planning (US Tomahawk planning system), navigation and target data from the "
        "US.",
        "None.",
        (0.0, 0.2, 0.5),
        (6.0, 24.0, 60.0),
        "A missile stock stays physically usable for years, but every shot needs US mission "
        "planning: the floor is the share a European planning capability could use.",
    ),
    _s(
        "JASSM",
        ("high", "medium", "high"),
        "Mission planning (JMPS) and target data from the US.",
        "None.",
        (0.1, 0.3, 0.6),
        (6.0, 24.0, 60.0),
        "Stocks (Finland, Poland) remain usable until shelf life; planning and recertification "
        "depend on the US.",
    ),
    _s(
        "Patriot",
        ("medium", "high", "medium"),
        "Post-deployment software builds from Raytheon and the US Army; national operators run "
        "their own systems (no cloud link).",
        "PAC-2 GEM-T built under licence by COMLOG (Raytheon/MBDA Deutschland JV, "
        "Schrobenhausen) for NSPA's order of up to 1,000 (Jan 2024); Raytheon industrial "
        "partners in Germany and Spain (second-hand). PAC-3 MSE is US-only (Lockheed).",
        (0.2, 0.4, 0.7),
        (6.0, 18.0, 48.0),
        "European GEM-T production and national maintenance keep a floor; PAC-3 MSE "
        "interceptors and radar spares are US-only, so the anti-ballistic part decays first.",
        "RTX / NSPA release (Jan 2024) on the GEM-T order from COMLOG",
        "https://govconexec.com/2024/01/nato-selects-rtx-mbda-joint-venture-to-expand-patriot-missile-production-in-europe/",
        "B",
    ),
    _s(
        "THAAD",
        ("high", "high", "high"),
        "Radar and fire-control software from Lockheed/US Army.",
        "None.",
        (0.0, 0.0, 0.1),
        (2.0, 6.0, 12.0),
        GENERIC_US_OWNED + ".",
    ),
    _s(
        "Aegis Ashore",
        ("high", "high", "high"),
        "US Navy combat system.",
        "None.",
        (0.0, 0.0, 0.0),
        (1.0, 3.0, 6.0),
        GENERIC_US_OWNED + " (Romania, Poland: US Navy sites).",
    ),
    _s(
        "M1 Abrams",
        ("low", "high", "medium"),
        "Fire-control and battle-management software from GDLS/US Army; no cloud link.",
        "None sourced (Poland builds up national support for its M1A1/M1A2 fleet; not verified "
        "in this data).",
        (0.2, 0.45, 0.7),
        (12.0, 24.0, 60.0),
        "One US production line (Lima) for hulls and the AGT1500 turbine: engine and armour "
        "spares dominate; a land vehicle keeps running on stocks and cannibalisation.",
    ),
    _s(
        "M2 Bradley",
        ("low", "medium", "medium"),
        "Little software dependence.",
        "None sourced.",
        (0.3, 0.5, 0.8),
        (12.0, 36.0, 72.0),
        "Simple, widely produced vehicle: a high floor and slow decay.",
    ),
    _s(
        "M60",
        ("low", "low", "low"),
        "None (upgraded fleets carry non-US fire control).",
        "None sourced (Turkish and Greek fleets are upgraded nationally).",
        (0.5, 0.7, 0.9),
        (24.0, 60.0, 120.0),
        "Old, simple, nationally upgraded tanks: largely independent of US support.",
    ),
    _s(
        "M109",
        ("low", "medium", "low"),
        "Little software dependence (digital fire control on late variants).",
        "None sourced.",
        (0.4, 0.6, 0.85),
        (18.0, 48.0, 96.0),
        "Widely used in Europe for decades, with national maintenance: a high floor.",
    ),
    _s(
        "M270",
        ("medium", "medium", "medium"),
        "Fire-control software; GMLRS rockets are made in the US only (Lockheed).",
        "None sourced (European M270 users upgraded their launchers nationally; not verified).",
        (0.2, 0.4, 0.7),
        (6.0, 18.0, 48.0),
        "The launchers can be kept running; the guided rockets cannot be replaced without the "
        "US, so effective availability follows the rocket stock.",
    ),
    _s(
        "HIMARS",
        ("medium", "high", "high"),
        "Fire-control software; GMLRS and ATACMS made in the US only.",
        "None.",
        (0.1, 0.3, 0.6),
        (6.0, 12.0, 36.0),
        "New fleets (Poland, Baltics, Romania) without European depots, munitions US-only.",
    ),
    _s(
        "Arleigh Burke",
        ("high", "high", "high"),
        "Aegis combat system.",
        "None.",
        (0.0, 0.0, 0.0),
        (1.0, 3.0, 6.0),
        GENERIC_US_OWNED + " (Rota).",
    ),
    _s(
        "US SSN",
        ("high", "high", "high"),
        "US Navy.",
        "None.",
        (0.0, 0.0, 0.0),
        (1.0, 3.0, 6.0),
        GENERIC_US_OWNED + ".",
    ),
]

NATO_2025_PDF = "https://www.nato.int/content/dam/nato/webready/documents/finance/def-exp-2025-en.pdf"
NATO_TABLE7 = (
    "NATO, Defence Expenditure of NATO Countries (2014-2025), 28 Aug 2025, Table 7: military "
    "personnel (2024 and 2025 estimates), as transcribed in a public CSV (grade B)"
)

#: National targets: (target troops, target year, source, transcribed_from, grade, note).
TARGETS: dict[str, tuple[int, int, str, str, str, str]] = {
    "DEU": (
        260_000,
        2035,
        "dpa (20 Jan 2026) quoting the defence ministry: active force to 260,000 by the "
        "mid-2030s under the new military service (law passed 5 Dec 2025); Bundeswehr "
        "personnel balance 2025: 184,200 at end-2025 (+3,000), 181,150 at end-2024",
        "https://www.finanzen.net/nachricht/aktien/roundup-pistorius-aktive-truppe-so-gross-wie-seit-12-jahren-nicht-15424617",
        "A",
        "The earlier goal was 203,000 by 2031 (Reuters/dpa 2024). NATO counts 186,400 for 2025 "
        "(estimate) against the Bundeswehr's 184,200.",
    ),
    "POL": (
        300_000,
        2035,
        "Polish Homeland Defence Act (Mar 2022): armed forces to 300,000 (250,000 professional, "
        "50,000 territorial) by 2035, as reported by SUV Report",
        "https://suv.report/polnisches-militaer-wird-drittgroesste-streitmacht-der-nato/",
        "C",
        "Grade C for the target (a weak relay of the Act); the achieved growth is NATO's.",
    ),
}

#: Recent deliveries: (holder, capability, year, units, system, source, transcribed_from,
#: grade, note).
DELIVERIES: list[tuple[str, str, int, float, str, str, str, str, str]] = [
    (
        "FRA",
        "fighter_aircraft_4th_gen",
        2024,
        14,
        "Rafale",
        "Dassault Aviation release (Jan 2025): 21 Rafale delivered in 2024, 14 to France, 7 "
        "export",
        "https://actualidadaeroespacial.com/dassault-aviation-entrego-21-aviones-rafale-y-31-falcon-en-2024/",
        "B",
        "French deliveries only; export deliveries (mostly outside Europe) not counted.",
    ),
    (
        "FRA",
        "fighter_aircraft_4th_gen",
        2025,
        11,
        "Rafale",
        "Dassault Aviation release (7 Jan 2026): 26 Rafale delivered in 2025, 11 to France, 15 "
        "export",
        "https://www.aerotime.aero/?p=133207",
        "B",
        "French deliveries only.",
    ),
    (
        "NOR",
        "fighter_aircraft_5th_gen",
        2025,
        3,
        "F-35A",
        "Norwegian Armed Forces (2025): the last 3 of 52 F-35A delivered by spring 2025, as "
        "reported by Continental Defence",
        "https://continental-defence.com/norway-receives-three-new-f-35-jets-final-deliveries-expected-by-summer",
        "B",
        "Programme complete (52). Lockheed delivered 191 F-35 to all customers in 2025 and 110 "
        "in 2024 (Breaking Defense); the European share per year is not published.",
    ),
    (
        "DEU",
        "main_battle_tank",
        2025,
        1,
        "Leopard 2A8",
        "Bundeswehr / KNDS handover in Munich (19 Nov 2025), as reported by Milmag",
        "https://milmag.pl/en/the-first-leopard-2a8-tanks-for-germany-and-norway-unveiled",
        "B",
        "First serial 2A8 (symbolic handover); the 123 German 2A8 deliver 2027-2030 (~35/yr "
        "implied in 2029-30).",
    ),
    (
        "NOR",
        "main_battle_tank",
        2025,
        1,
        "Leopard 2A8",
        "Bundeswehr / KNDS handover in Munich (19 Nov 2025), as reported by Milmag",
        "https://milmag.pl/en/the-first-leopard-2a8-tanks-for-germany-and-norway-unveiled",
        "B",
        "First of Norway's 54 (first serial vehicle shown).",
    ),
    (
        "POL",
        "main_battle_tank",
        2022,
        10,
        "K2",
        "Polish MoD / Hyundai Rotem: first 10 K2 delivered Dec 2022 (Executive Contract 1), "
        "as reported by UPI",
        "https://www.upi.com/Top_News/World-News/2025/07/04/skoreaK2-tanks-south-korea-poland-deal/8251751641289/",
        "B",
        "EC1: 180 delivered Dec 2022-end 2025 (mean ~60/yr; the 2023 and 2024 split is not "
        "published).",
    ),
    (
        "POL",
        "main_battle_tank",
        2025,
        47,
        "K2",
        "Polish MoD / Hyundai Rotem: 133 of 180 EC1 tanks shipped by end-Jun 2025, the last 47 "
        "in H2 2025, as reported by UPI",
        "https://www.upi.com/Top_News/World-News/2025/07/04/skoreaK2-tanks-south-korea-poland-deal/8251751641289/",
        "B",
        "LOWER BOUND for 2025: second half only (the first-half count is not published).",
    ),
    (
        "DEU",
        "maritime_patrol_aircraft",
        2025,
        1,
        "P-8A Poseidon",
        "Boeing delivery (Oct 2025) and Bundeswehr arrival in Germany (7 Nov 2025) of the "
        "first of 8 German P-8A, as reported by Flightglobal",
        "https://www.flightglobal.com/fixed-wing/first-p-8a-anti-submarine-warfare-aircraft-arrives-in-germany/165236.article",
        "B",
        "The remaining 7 by 2028-29 (Boeing/Bundeswehr). The UK's 9 and Norway's 5 were "
        "delivered earlier (2020-23).",
    ),
    (
        "DEU",
        "ground_based_air_defence_long_range",
        2024,
        1,
        "IRIS-T SLM",
        "Diehl Defence / Bundeswehr: first of 6 German IRIS-T SLM fire units delivered Aug "
        "2024 (Reuters), as reported by onvista",
        "https://www.onvista.de/news/2024/06-06-ruestungskonzern-diehl-weitet-produktion-von-iris-t-aus-0-20-26279673",
        "B",
        "MEDIUM RANGE (~40 km) filed under the long-range area (see systems.csv). Diehl's line: "
        ">=8 fire units in 2025 for all customers.",
    ),
    (
        "EUR",
        "ammunition_155mm",
        2024,
        1_000_000,
        "155 mm shells (EU industry)",
        "European Commission (Mar 2024): EU production capacity of 155 mm shells reached 1 "
        "million a year in Jan 2024, as reported by the Kyiv Independent",
        "https://kyivindependent.com/eu-allocates-544-million-to-ramp-up-ammunition-production",
        "B",
        "CAPACITY, not audited deliveries: the best public proxy of the yearly pace.",
    ),
    (
        "EUR",
        "ammunition_155mm",
        2025,
        2_000_000,
        "155 mm shells (EU industry)",
        "EU Commissioner Kubilius (Dec 2024): about 2 million shells expected to be produced "
        "in 2025 (ASAP target: 2 million a year by end-2025), as reported by the Kyiv "
        "Independent",
        "https://kyivindependent.com/eu-allocates-544-million-to-ramp-up-ammunition-production",
        "B",
        "EXPECTED output / capacity target, not audited deliveries; a large share goes to "
        "Ukraine.",
    ),
    (
        "DEU",
        "fighter_aircraft_4th_gen",
        2024,
        13.9,
        "combat aircraft (Kiel Military Procurement Tracker)",
        "Kiel Institute, 'Fit for war in decades' (Wolff et al., Sep 2024): Germany would need "
        "~15 years at the current procurement pace to restore its 2004 stock of combat "
        "aircraft (434 in 2004, 226 in 2021), as reported by 24 Hours Worlds",
        "https://24hoursworlds.com/politics/806219/",
        "C",
        "DERIVED pace = (434 - 226) / 15 = 13.9 a year (all combat aircraft, filed under 4th "
        "generation). Grade C: the stock figures were read on a reprint site; the Kiel press "
        "release (idw) confirms the 'century' finding only.",
    ),
    (
        "DEU",
        "main_battle_tank",
        2024,
        51.5,
        "main battle tanks (Kiel Military Procurement Tracker)",
        "Kiel Institute, 'Fit for war in decades' (Sep 2024): ~40 years to restore the 2004 "
        "tank stock (2,398 in 2004, 339 in 2021) at the current pace, as reported by 24 Hours "
        "Worlds",
        "https://24hoursworlds.com/politics/806219/",
        "C",
        "DERIVED pace = (2,398 - 339) / 40 = 51.5 a year (orders at the 2023-24 pace, not "
        "deliveries). Grade C (reprint site).",
    ),
    (
        "DEU",
        "artillery_155mm_sp_and_mlrs",
        2024,
        8.6,
        "howitzers (Kiel Military Procurement Tracker)",
        "Kiel Institute, 'Fit for war in decades' (Sep 2024): ~100 years to restore the 2004 "
        "howitzer stock (978 in 2004, 121 in 2021) at the current pace, as reported by 24 "
        "Hours Worlds",
        "https://24hoursworlds.com/politics/806219/",
        "C",
        "DERIVED pace = (978 - 121) / 100 = 8.6 a year. Grade C (reprint site).",
    ),
]


def _fmt(value: float) -> str:
    text = f"{value:.4f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def build_sustainment(families_csv: Path) -> list[dict[str, str]]:
    """Sustainment rows; stops if a US-made family has no row or a row names no family."""
    with families_csv.open(encoding="utf-8", newline="") as f:
        families = list(csv.DictReader(f))
    us_made = {r["family"] for r in families if r["us_made"].strip().lower() == "true"}
    covered = {e["family"] for e in SUSTAINMENT}
    missing = sorted(us_made - covered)
    if missing:
        msg = (
            f"{families_csv}: US-made families without a sustainment row: {missing}; add them "
            "to SUSTAINMENT in scripts/build_industry_data.py"
        )
        raise ValueError(msg)
    extra = sorted(covered - {r["family"] for r in families})
    if extra:
        raise ValueError(f"{families_csv}: SUSTAINMENT names unknown families {extra}")
    rows = []
    for e in SUSTAINMENT:
        md, spares, depot = e["levels"]
        row = {
            "family": e["family"],
            "us_made": "true" if e["family"] in us_made else "false",
            "mission_data_software_dependence": md,
            "spares_dependence": spares,
            "depot_dependence": depot,
            "software_cloud_dependence": e["software"],
            "european_depot_or_licence": e["depot"],
            "source": e["transcribed_from"],
            "publication": e["source"],
            "transcribed_from": "",
            "source_grade": e["grade"],
            "assumption": e["assumption"],
        }
        for name, values in (("floor", e["floor"]), ("half_life_months", e["half_life"])):
            for level, value in zip(("low", "central", "high"), values, strict=True):
                row[f"{name}_{level}"] = _fmt(value)
        rows.append(row)
    return rows


def _personnel(nato_csv: Path) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    with nato_csv.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["metric"] == "personnel_k" and r["value"].strip():
                out.setdefault(r["country_iso3"], {})[int(r["year"])] = float(r["value"])
    return out


def build_recruitment(nato_csv: Path, start: int = 2022) -> list[dict[str, str]]:
    """Troop pipeline per European ally and Canada (rule in the module docstring)."""
    rows = []
    personnel = _personnel(nato_csv)
    for iso3 in sorted(personnel):
        series = personnel[iso3]
        if iso3 == "USA" or start not in series:
            continue
        last = max(series)
        years = [y for y in range(start, last + 1) if y in series]
        mean = (series[last] - series[start]) * 1000 / (last - start)
        best = max((series[b] - series[a]) * 1000 for a, b in zip(years, years[1:], strict=False))
        low = max(0.0, mean)
        high = max(low, best)
        target = TARGETS.get(iso3)
        note = (
            f"NATO Table 7: {series[start] * 1000:,.0f} ({start}) -> {series[last] * 1000:,.0f} "
            f"({last}); mean {mean:+,.0f}/yr, best year {best:+,.0f}"
        )
        publication, transcribed, grade = NATO_TABLE7, _nato_page(nato_csv, iso3), "B"
        if target:
            pace = (target[0] - series[last] * 1000) / (target[1] - last)
            high = max(high, pace)
            note += f"; target pace {pace:,.0f}/yr. {target[5]}"
            publication = f"{NATO_TABLE7}; target: {target[2]} ({target[3]})"
            grade = max(grade, target[4])
        rows.append(
            {
                "iso3": iso3,
                "year_from": str(start),
                "year_to": str(last),
                "net_additional_troops_per_year_low": _fmt(round(low)),
                "net_additional_troops_per_year_high": _fmt(round(high)),
                "target_troops": str(target[0]) if target else "",
                "target_year": str(target[1]) if target else "",
                "source": NATO_2025_PDF,
                "publication": publication,
                "transcribed_from": transcribed,
                "source_grade": grade,
                "note": note,
            }
        )
    return rows


def _nato_page(nato_csv: Path, iso3: str) -> str:
    with nato_csv.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["metric"] == "personnel_k" and r["country_iso3"] == iso3:
                return r["source_url"]
    return ""


def build_deliveries() -> list[dict[str, str]]:
    """Recent deliveries per year, as curated in ``DELIVERIES``."""
    return [
        {
            "holder": holder,
            "capability": capability,
            "year": str(year),
            "delivered_units": _fmt(units),
            "system": system,
            "source": page,
            "publication": source,
            "transcribed_from": "",
            "source_grade": grade,
            "note": note,
        }
        for holder, capability, year, units, system, source, page, grade, note in DELIVERIES
    ]


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--families",
        type=Path,
        default=DEFAULT_OUT / "system_families.csv",
        help="system_families.csv to cover (default: the package table)",
    )
    args = parser.parse_args()
    nato = args.shared / "spending" / "nato_2025_edition_tables_extra.csv"
    write_csv(args.out / "sustainment.csv", build_sustainment(args.families), SUSTAINMENT_COLUMNS)
    write_csv(args.out / "recruitment.csv", build_recruitment(nato), RECRUITMENT_COLUMNS)
    write_csv(args.out / "procurement_deliveries.csv", build_deliveries(), DELIVERY_COLUMNS)


if __name__ == "__main__":
    main()
