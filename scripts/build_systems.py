"""Build the bundled industrial catalogue (systems.csv) and its FX table (fx_rates.csv).

Usage::

    python scripts/build_systems.py [SHARED_DATA_DIR] [--out PACKAGE_DATA_DIR]

``SHARED_DATA_DIR`` defaults to ``/work/shared/data``; the output goes to
``src/alliance/data/tables/`` next to this repository. The build is
deterministic: same inputs, same bytes.

Inputs
------
* ``industry/systems_catalogue.csv`` (one row per system or producer: unit cost,
  currency and price year, production rate today and planned, lead time,
  backlog, source, grade) - the preferred input; every row is used or left out
  with a reason (``EXCLUDED``).
* ``capabilities/unit_costs.csv`` - the few priced contracts the catalogue
  lacks (``FROM_UNIT_COSTS``), graded by ``capabilities/SOURCES.md``.
* Curated additions written below (``CURATION`` per raw row, ``ADDITIONS`` for
  systems with no raw row). Each names its original publication (``source``)
  and the page it was read from (``transcribed_from``).

Rules
-----
* **Capability**: the raw ``capability``; ``combat_aircraft`` rows go to
  ``fighter_aircraft_5th_gen`` (F-35) or ``fighter_aircraft_4th_gen`` (the rest).
* **Origin**: ``us_made`` = the design authority is a US company (purchases are
  subject to the scenario's US arms-sales setting); ``european_supplier`` = the
  design authority *and* the line are in a European ally or Canada. Systems that
  are neither (K2, K9, Chunmoo, PULS) are the scenario's non-European lever.
* **Unit cost**: USD million of the price year (nominal, not deflated), converted
  from the contract currency at that year's average rate in ``fx_rates.csv``.
  A price year without a sourced rate is converted at the latest earlier sourced
  rate of that currency and ``derived`` says so. Package prices (contract value /
  quantity, with support, spares, training or munitions) are flagged in
  ``unit_cost_basis``.
* **Lead time**: years from contract to first delivery, rounded to the nearest
  whole year (half up) because the planning LP plans in whole years; the raw
  value is in ``derived``.
* **Rates**: ``annual_production_rate_units`` is the line rate today, all
  customers, in ``production_rate_year``; ``planned_rate_units`` the announced
  ramp, reached in ``planned_rate_year``. Monthly rates x 12. Empty when not found.
* **Backlog**: units on order and not delivered, all customers, as of
  ``production_rate_year``; ``backlog_european_units`` the part ordered by
  European allies or Canada. Empty when unknown.
* **Plannable areas only**: rows whose area ``capability_catalogue.csv`` marks
  ``plannable = false`` are held back and listed when the script runs (today the
  frigate and submarine classes: FREMM EVO, F126, FDI, Type 26, Type 31, Type
  212CD, A26). Flip the flag and rerun to publish them.
* **Canonical** (the LP's default buy): one row per capability and origin
  (``us`` / ``european`` / ``other``), among rows with a USD unit cost: rows
  graded A or B before C; then rows with a known production rate (today or
  planned) first; then the most recent price year; then the most recent rate
  year; then the better grade; then the system name. Medium-range air defence
  (IRIS-T SLM, NASAMS) is never canonical for the long-range area. Every other
  row has ``canonical = false`` (the LP sees them with ``catalogue_rule =
  all_priced``).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from table_io import write_csv  # scripts/table_io.py (scripts/ is on sys.path)

DEFAULT_SHARED = Path("/work/shared/data")
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "alliance" / "data" / "tables"

FED_G5A_2024 = "https://federalreserve.gov/releases/g5a/20240201"
FED_G5A_2021 = "https://federalreserve.gov/releases/g5a/20210104"


def _fed(currency: str, year: int, rate: str, usd_per_unit: bool, page: str) -> dict[str, str]:
    value = 1.0 / float(rate) if usd_per_unit else float(rate)
    how = (
        f"published as {rate} US dollars per {currency}; units_per_usd = 1 / {rate}"
        if usd_per_unit
        else f"published as {rate} {currency} per US dollar"
    )
    release = "1 Feb 2024" if page == FED_G5A_2024 else "4 Jan 2021"
    return {
        "currency": currency,
        "year": str(year),
        "units_per_usd": f"{value:.4f}",
        "status": "actual",
        "source": page,
        "publication": "Board of Governors of the Federal Reserve System, Foreign Exchange "
        f"Rates G.5A (Annual), release of {release}",
        "transcribed_from": "",
        "headline": "True",
        "headline_note": "",
        "source_grade": "A",
        "note": f"Federal Reserve G.5A annual average of daily noon buying rates in New York "
        f"({year}); {how}.",
    }


#: Yearly average exchange rates, currency units per USD, with the page each was read from.
FX_RATES: list[dict[str, str]] = [
    _fed("EUR", 2019, "1.1194", True, FED_G5A_2021),
    _fed("EUR", 2020, "1.1410", True, FED_G5A_2024),
    _fed("EUR", 2021, "1.1830", True, FED_G5A_2024),
    _fed("EUR", 2022, "1.0534", True, FED_G5A_2024),
    _fed("EUR", 2023, "1.0817", True, FED_G5A_2024),
    {
        "currency": "EUR",
        "year": "2024",
        "units_per_usd": "0.924",
        "status": "actual",
        "source": "https://www.irs.gov/individuals/international-taxpayers/yearly-average-currency-exchange-rates",
        "publication": "US Internal Revenue Service, Yearly average currency exchange rates",
        "transcribed_from": "https://euro2.net/euro/euro-to-usd-conversion-by-date/",
        "headline": "True",
        "headline_note": "",
        "source_grade": "B",
        "note": "IRS yearly average currency exchange rate (euro per US dollar) as relayed by "
        "euro2.net (Mar 2025); the IRS page itself was not in the corpus; the Federal Reserve "
        "G.5A edition for 2024 was not found.",
    },
    _fed("GBP", 2019, "1.2768", True, FED_G5A_2021),
    _fed("GBP", 2022, "1.2371", True, FED_G5A_2024),
    _fed("GBP", 2023, "1.2440", True, FED_G5A_2024),
    _fed("SEK", 2021, "8.5812", False, FED_G5A_2024),
    _fed("SEK", 2022, "10.1177", False, FED_G5A_2024),
    _fed("SEK", 2023, "10.6089", False, FED_G5A_2024),
]

#: Columns of fx_rates.csv: the provenance layout of the spending tables (issue 13), so that
#: scripts/build_spending_data.py's in-place refresh leaves the file unchanged.
FX_COLUMNS = [
    "currency",
    "year",
    "units_per_usd",
    "status",
    "source",
    "publication",
    "transcribed_from",
    "headline",
    "headline_note",
    "source_grade",
    "note",
]

#: Raw catalogue rows left out of systems.csv, with the reason.
EXCLUDED: dict[str, str] = {
    "155mm shells - EU aggregate (ASAP)": (
        "aggregate of the European lines (it contains the Rheinmetall, Nammo and KNDS France "
        "rows): adding it would count the same shells twice; its 1m (Jan 2024) -> 2m/yr "
        "(end-2025 target) is in docs/industry_data.md"
    ),
    "New 155mm shell plant (greenfield build time)": (
        "reference case for the time to build a line (plant capex, not a unit price); in "
        "docs/industry_data.md"
    ),
}

#: Rows of capabilities/unit_costs.csv that the catalogue lacks (prices only).
FROM_UNIT_COSTS: dict[str, dict[str, Any]] = {
    "E-7A Wedgetail (UK)": {
        "system": "E-7A Wedgetail",
        "capability": "aew_c",
        "us_made": True,
        "european_supplier": False,
        "producer_country": "USA",
        "source": "House of Commons Defence Committee report on the E-7 (Jul 2023), as "
        "reported by UK Defence Journal",
        "lead_time_years": None,
        "note": "UK cut its order from 5 to 3; NATO dropped its planned 6 E-7 in Nov 2025 "
        "(Flightglobal). Package price incl. 5 MESA radars.",
    },
    "KC-46A / KC-767B (Italy plan, cancelled)": {
        "system": "KC-46A Pegasus",
        "capability": "air_to_air_refuelling",
        "us_made": True,
        "european_supplier": False,
        "producer_country": "USA",
        "source": "Analisi Difesa (Nov 2022) on Italy's planned 6 KC-46 (EUR 1.12bn incl. 5 "
        "years support, trade-in of 4 KC-767A)",
        "lead_time_years": None,
        "note": "Italy dropped the plan in 2024 for A330 MRTT; the price stands as the "
        "indicative cost of a US tanker in production.",
    },
    "IRIS-T SLM fire unit (Germany)": {
        "system": "IRIS-T SLM (fire unit)",
        "capability": "ground_based_air_defence_long_range",
        "us_made": False,
        "european_supplier": True,
        "producer_country": "DEU",
        "source": "Reuters (14 Jun 2023): Germany to buy six IRIS-T SLM for EUR 950m, as "
        "reported by Devdiscourse",
        "lead_time_years": None,
        "note": "MEDIUM RANGE (~40 km): filed under long-range air defence because the "
        "catalogue has no medium-range area; not a like-for-like replacement of Patriot/SAMP/T "
        "and never canonical for the area.",
    },
}


def _c(**kw: Any) -> dict[str, Any]:
    return kw


#: Per raw catalogue row: the original publication, origin, backlog split and
#: corrections (a key present here overrides the raw cell).
CURATION: dict[str, dict[str, Any]] = {
    "Leopard 2A8": _c(
        european_supplier=True,
        source="BAAINBw (Federal Office of Bundeswehr Equipment), May 2023: framework "
        "contract for up to 123 Leopard 2A8, first 18 for EUR 525.6m",
        transcribed_from="https://esut.de/en/2023/05/meldungen/42279/rahmenvertrag-fuer-bis-zu-123-leopard-2a8-unterschrieben/",
        production_rate_year=2025,
        backlog_units=350,
        backlog_european_units=350,
        note="Line rate NOT counted: KNDS publishes none. The 40-50/yr traces to KNDS "
        "Deutschland CEO Ralf Ketzel in the ARD documentary 'NATO - wer wird Europa "
        "schuetzen?' (Apr 2024: 'only 40 to 50 tanks a year' in Munich, ~2 years order to "
        "delivery), read only on mirror pages (headtopics.com; a Merkur/FR copy on "
        "web.lifelines.name), so it is left empty here: planning states a named assumption "
        "(40-50/yr is the range this lead supports). Backlog: "
        "~350 ordered by DEU, NLD, NOR, LTU, CZE per KNDS to dpa (30 Nov 2025, grade A), "
        "first handed over 19 Nov 2025, so nearly all undelivered.",
    ),
    "K2 Black Panther (K2GF/K2PL)": _c(
        european_supplier=False,
        source="UPI (4 Jul 2025) on the Poland-Korea K2 executive contracts",
        production_rate_year=2025,
        planned_rate_year=2026,
        backlog_units=180,
        backlog_european_units=180,
        note="Rate: 180 EC1 tanks delivered Dec 2022-end 2025 (~60/yr); planned 58/yr = 116 "
        "K2GF over 2026-27. Backlog: Executive Contract 2 (1 Aug 2025), 180 tanks for Poland "
        "(116 K2GF 2026-27, 64 K2PL 2028-30), Korea JoongAng Daily.",
    ),
    "CV90 (MkIIIC/MkIV)": _c(
        european_supplier=True,
        source="BAE Systems Hagglunds statements as reported by Defence Industry Europe "
        "(Sep 2025); price range from Defense News",
        backlog_units=600,
        backlog_european_units=600,
        note="Rate 50/yr is the 2020 level; BAE plans 250/yr by 2026 (5x 2020), possibly 350. "
        "Backlog ~600 on order (Sep 2025), all for European users (CZE, SVK, SWE, DNK, NLD, "
        "LTU, NOR and others).",
    ),
    "Puma S1": _c(
        european_supplier=True,
        source="BAAINBw contract (May 2023): 50 Puma S1 for EUR 1.087bn, as reported by "
        "Defence Brief",
        production_rate_year=2025,
        backlog_units=250,
        backlog_european_units=250,
        note="Backlog: 50 for delivery Dec 2025-early 2027 + 200 ordered Dec 2025 (first "
        "deliveries mid-2028). No line rate stated (the 50-vehicle batch implies ~40/yr).",
    ),
    "Lynx KF41": _c(
        european_supplier=True,
        source="Rheinmetall / Hungarian MoD contract (Sep 2020), as reported by ADBR",
        note="Backlog not computable: Hungary 218 (172 built in Hungary from end-2023, "
        "delivered count not published), Italy 21 (Nov 2025) of 1,050 planned. No rate found.",
    ),
    "ASCOD IFV": _c(
        european_supplier=True,
        source="GDELS press release (30 Jan 2025) on Latvia's first 42 ASCOD, reproduced on "
        "a forum, as reproduced there (the release itself was not found)",
        production_rate_year=2025,
        backlog_european_units=42,
        note="Design authority and line in Spain/Austria (GDELS); the group is owned by US "
        "General Dynamics - not counted as US-made (European design and line). Backlog: "
        "Latvia 42 (lower bound; other ASCOD orders not split).",
    ),
    "PzH 2000": _c(
        european_supplier=True,
        source="Bundeswehr / BAAINBw (Mar 2023): 10 new PzH 2000 for EUR 184m, as reported "
        "by Military Leak",
        production_rate_year=2025,
        backlog_european_units=22,
        note="Backlog: German orders 10 + 12 (+6 option) delivering 2025-29 (lower bound); "
        "Ukraine's up-to-100 authorised in 2022 is not split by delivery. No line rate found.",
    ),
    "RCH 155": _c(
        european_supplier=True,
        source="BAAINBw order (Dec 2025): 84 RCH 155 for ~EUR 1.2bn, as reported by Shephard",
        production_rate_year=2025,
        backlog_european_units=84,
        note="Backlog: Germany 84 (framework up to 500; lower bound); Ukraine's 54 and the UK "
        "demonstrator not counted. Deliveries 2027-29 per a weak source (implied ~28/yr).",
    ),
    "CAESAR (MkI/MkII, 6x6/8x8)": _c(
        european_supplier=True,
        source="KNDS France statements (AFP, Oct 2023) as reported by Military Leak; "
        "12/month goal per Le Monde (Apr 2025)",
        unit_cost=252_000_000,
        currency="EUR",
        price_year=2025,
        unit_cost_basis="contract value / quantity incl. spare parts, auxiliary equipment, "
        "simulators and training (and EUR 12m of KNDS repair shops in Lithuania): Lithuania "
        "30 CAESAR Mk II for ~EUR 252m (Dec 2025)",
        quantity_divisor=30,
        price_source="Lithuanian Ministry of Defence (Dec 2025, EUR 252m) via dpa/Agerpres "
        "(https://news.yam.ro/ro/story/18275953) and KNDS France release (30 units) via "
        "Schweizer Soldat (https://www.schweizer-soldat.ch/2026/02/litauen.html)",
        note="Planned 144/yr = the 12/month goal for end-2025 (Le Monde), not confirmed "
        "achieved; 8/month possible 'depending on orders'. Backlog not summed (France 109 Mk "
        "II, Lithuania 48, Portugal, Belgium, Croatia, Czechia: delivered counts not "
        "published).",
    ),
    "K9 Thunder (K9A1/K9PL)": _c(
        european_supplier=False,
        source="Korea Herald (4 Dec 2023) on Poland's K9 executive contracts",
        production_rate_year=2025,
        backlog_units=146,
        backlog_european_units=146,
        note="Backlog: EC2 (Dec 2023) 152 = 6 K9A1 in 2025 + 146 K9PL 2026-27 (the 146 are "
        "counted; 308 of the 672 framework still uncontracted). No rate found.",
    ),
    "Archer (on RMMV HX2 8x8)": _c(
        european_supplier=True,
        source="FMV order (Sep 2023): 48 Archer, as reported by ESD",
        production_rate_year=2025,
        backlog_units=48,
        backlog_european_units=48,
        note="Backlog: Sweden's 48 (first deliveries 2025; delivered count not published).",
    ),
    "M142 HIMARS": _c(
        european_supplier=False,
        source="Reuters (Feb 2023): Lockheed's Camden plant ramps HIMARS to 60/yr, supply "
        "chain for 96/yr",
        transcribed_from="https://news.yahoo.com/lockheeds-himars-plant-gearing-meet-000113780.html",
        unit_cost=495_000_000,
        currency="USD",
        price_year=2022,
        unit_cost_basis="contract value / quantity incl. missiles (incl. ATACMS), maintenance "
        "equipment and training: Lithuania 8 HIMARS for USD 495m (DSCA notification Nov 2022, "
        "contract Dec 2022)",
        quantity_divisor=8,
        price_source="DSCA notification / Lithuanian MoD (Dec 2022), as reported by The Baltic "
        "Times: https://www.baltictimes.com/united_states_selling_eight_himars_systems_to_lithuania_for_usd_495_mln/",
        lead_time_years=3,
        lead_note="Lithuania contract Dec 2022, first systems 2025 (Lithuanian MoD)",
        note="Planned 96/yr: year not stated by Reuters. Price is a package with munitions.",
    ),
    "PULS / EuroPULS": _c(
        european_supplier=False,
        source="Globes (Dec 2024) on Germany's first PULS batch",
        note="Design authority Elbit (Israel); EuroPULS is a KNDS Deutschland-Elbit teaming for "
        "European orders. No rate found.",
    ),
    "K239 Chunmoo / Homar-K": _c(
        european_supplier=False,
        source="KBS World (Nov 2022) on Poland's Homar-K executive contract 1",
        production_rate_year=2025,
        backlog_european_units=72,
        note="Backlog: EC2 (Apr 2024) 72 launchers for delivery by 2027 (lower bound; EC1 "
        "remainder not published). No lead time or rate found.",
    ),
    "Patriot (fire unit, Config 3+)": _c(
        european_supplier=False,
        source="RTX press release (PRNewswire, Mar 2023): Switzerland 5 Patriot fire units "
        "for USD 1.2bn",
        transcribed_from="https://www.adnkronos.com/raytheon-technologies-awarded-12-billion-contract-to-provide-patriot-air-defense-system-to-switzerland_21caOVpsawBwazn9EaV0Wb",
        source_grade="A",
        planned_rate_units=12,
        note="Planned 12 fire units/yr: Raytheon CEO Greg Hayes to the Wall Street Journal "
        "(relayed by M5 Dergi, B); year not stated. Today's rate ~1 fire unit/month per "
        "Raytheon is only relayed by a weak page: left empty. Backlog not published.",
    ),
    "PAC-3 MSE": _c(
        european_supplier=False,
        source="US Department of War release (6 Jan 2026): framework agreement with Lockheed "
        "Martin to raise PAC-3 MSE output from ~600 to 2,000 a year; US Army contract Sep 2025 "
        "USD 9.8bn for 1,970",
        transcribed_from="https://www.militaryspot.com/news/dow-partners-to-expand-munitions-production",
        planned_rate_year=2030,
        backlog_units=1970,
        production_rate_year=2025,
        note="620 delivered in 2025 (+20% y/y, Lockheed Martin); 2,000/yr by end-2030 per "
        "Lockheed's CEO (Defense News); earlier goal 650/yr by 2027. Backlog = the FY2024-26 "
        "multiyear (1,970, awarded Sep 2025; lower bound, US + FMS, European share not "
        "published).",
    ),
    "Patriot GEM-T (PAC-2)": _c(
        us_made=True,
        european_supplier=False,
        source="RTX / NSPA release (Jan 2024): NATO Support and Procurement Agency orders up "
        "to 1,000 GEM-T from COMLOG for up to USD 5.6bn",
        transcribed_from="https://govconexec.com/2024/01/nato-selects-rtx-mbda-joint-venture-to-expand-patriot-missile-production-in-europe/",
        production_rate_year=2024,
        backlog_units=1000,
        backlog_european_units=1000,
        note="US design (Raytheon) built under licence by COMLOG (Raytheon/MBDA Deutschland "
        "JV, Schrobenhausen): counted as US-made because the licence and US-controlled "
        "parts are subject to US export approval. Backlog 'up to 1,000' (DEU ~500, ROU 200, "
        "NLD, ESP; upper bound). No rate found.",
    ),
    "SAMP/T NG": _c(
        european_supplier=True,
        source="OCCAR (Feb 2023): contract for SAMP/T NG production for France and Italy",
        unit_cost=674_000_000,
        currency="EUR",
        price_year=2024,
        unit_cost_basis="LOWER BOUND: French 2024 defence budget line / quantity, EUR 674m for "
        "8 SAMP/T NG sections (Defense Mirror); the French sections are modernisations (new "
        "radar and engagement module, existing launchers) and exclude missiles, so a new "
        "battery costs more",
        quantity_divisor=8,
        price_source="French 2024 defence budget as reported by Defense Mirror (weak, C): "
        "https://defensemirror.com/news/37712/France__Italy_Procure_Upgraded_SAMP_T_Air_Defense_Systems",
        source_grade="C",
        production_rate_year=2025,
        backlog_european_units=18,
        note="Grade C for the price (a weak outlet relaying the French budget); OCCAR's contract "
        "(A) gives no value. No rate published. Backlog: France 8 + Italy 10 systems (same "
        "source; lower bound, Denmark's Sep 2025 choice not contracted). Entry into service "
        "2026 (Italian MoD).",
    ),
    "Aster 30 (B1/B1NT)": _c(
        european_supplier=True,
        source="MBDA / OCCAR statements (Jul 2025) as reported by Airforce Technology",
        unit_cost=2_000_000_000,
        currency="EUR",
        price_year=2022,
        unit_cost_basis="contract value / quantity, mixed Aster 15 / Aster 30 B1 / B1NT: OCCAR "
        "Dec 2022 order of 700 for ~EUR 2bn (French Ministry of the Armed Forces)",
        quantity_divisor=700,
        price_source="French Ministry of the Armed Forces release (Feb 2023), as reported by "
        "The Defense Post: https://www.thedefensepost.com/2023/02/02/france-italy-aster-missiles/",
        production_rate_year=2025,
        backlog_units=1000,
        backlog_european_units=1000,
        note="Mixed-variant average (Aster 15 is cheaper than Aster 30). Backlog ~1,000 for "
        "FRA/ITA/UK (Dec 2022 + Feb 2025 +218). MBDA: production cycle 42 months (2022) -> "
        "<18 months (2026), monthly rate +50% (DGA via FOB); absolute rate not disclosed.",
    ),
    "IRIS-T SLM": _c(
        system="IRIS-T SLM (line rate)",
        european_supplier=True,
        source="Reuters (Jun 2024) on Diehl's IRIS-T output, as reported by onvista",
        note="MEDIUM RANGE (~40 km). Rate row of the line (3-4 FUs 2023, >=8 in 2025, >=10/yr "
        "from 2026; missiles ~400-500/yr). Priced row: 'IRIS-T SLM (fire unit)'.",
    ),
    "NASAMS": _c(
        european_supplier=True,
        source="Finansavisen (Nov 2024) on the Dutch NASAMS contract with Kongsberg",
        note="MEDIUM RANGE; Kongsberg with RTX (the AMRAAM missile is US-made). Contracts lack "
        "fire-unit counts: no unit price.",
    ),
    "Rafale F4": _c(
        capability="fighter_aircraft_4th_gen",
        european_supplier=True,
        source="Dassault Aviation release (7 Jan 2026): 26 Rafale delivered in 2025 (15 "
        "export, 11 France), backlog 220 (175 export, 45 France), as reported by AeroTime",
        unit_cost=5_000_000_000,
        currency="EUR",
        price_year=2023,
        unit_cost_basis="contract value / quantity, lower bound: France Tranche 5, 42 Rafale "
        "for 'more than EUR 5bn' (DGA, Jan 2024)",
        quantity_divisor=42,
        price_source="Flightglobal (Jan 2024): https://flightglobal.com/defence/france-signs-tranche-5-deal-for-42-air-force-rafales/156476.article",
        planned_rate_units=48,
        planned_rate_year=2028,
        backlog_units=220,
        backlog_european_units=45,
        lead_time_years=4,
        lead_note="Tranche 5 deliveries 2027-2032 on a 2023 price year",
        note="Ramp per Dassault CEO Trappier (Le Journal du Dimanche, Mar 2025, via Forces "
        "News): 3/month in 2026, 4/month from 2028-29, 5/month studied; Dassault (8 Oct 2025): "
        "533 ordered, 233 to deliver, rates 'up to 4 a month'. Most of the backlog is export: "
        "the line is ~8 years full at 2025 pace. Dassault's annual report was not in the corpus.",
    ),
    "Eurofighter Typhoon (T4/T5)": _c(
        capability="fighter_aircraft_4th_gen",
        european_supplier=True,
        source="Flightglobal (Oct 2025) on Germany's Tranche 5 contract; price from a weak "
        "relay (hubu.news); rate per the consortium CEO at the Paris Air Show (Jun 2025)",
        source_grade="C",
        backlog_units=107,
        backlog_european_units=107,
        note="Grade C: the EUR 3.75bn programme value for 20 comes from a weak source. Backlog: "
        "DEU 38 T4 (to 2030) + 20 T5 (2031-34) + ESP 25 + ITA 24 (European; Turkey's deal "
        "pending, not counted). Rate 14 -> 20/yr within 36 months, 30 later.",
    ),
    "Gripen E/F": _c(
        capability="fighter_aircraft_4th_gen",
        european_supplier=True,
        source="Saab / FMV (Aug 2025): Thailand 4 Gripen E/F for ~SEK 5.3bn, as reported by "
        "O Povo",
        note="Package price. Colombia (Nov 2025): 17 for EUR 3.1bn (EUR 182m each, Saab via "
        "tu.no). No official line rate; backlog (Brazil, Sweden, Colombia, Thailand) not split "
        "by delivery.",
    ),
    "F-35A Lightning II": _c(
        capability="fighter_aircraft_5th_gen",
        european_supplier=False,
        source="US DoD contract announcement for F-35 Lots 18-19 (USD 24.29bn / 296 aircraft), "
        "as reported by Air & Space Forces Magazine",
        unit_cost=103_000_000,
        unit_cost_basis="airframe average of all variants (Lots 18-19, USD 82.4m, excl. "
        "engine) + F135 engine (P&W Lot 18, USD 2.9bn / 141 = USD 20.6m); F-35A is cheaper "
        "than the average",
        production_rate_year=2025,
        backlog_units=416,
        note="156/yr = stated line capacity; 191 delivered in 2025 incl. stored TR-3 jets, 110 "
        "in 2024 (Breaking Defense). Backlog 416 at start-2026; the European share (DEU, POL, "
        "FIN, CHE, CZE, ROU, GRC, BEL, DNK, NLD, ITA, GBR) is not published per year. Cameri "
        "FACO (Leonardo) assembles Italian, Dutch and Swiss jets; its rate was not found.",
    ),
    "A330 MRTT": _c(
        european_supplier=True,
        source="Airbus (Paris Air Show, Jun 2025) as reported by Flightglobal; price: Canada "
        "contract Jul 2023",
        backlog_units=15,
        backlog_european_units=15,
        note="Rate 4-5/yr conversion capacity (4.5 used); a rate increase with the A330-800 "
        "MRTT+ is under study (no figure). Backlog: 6 for European customers (Apr 2025) + "
        "Canada 9 (4 new, 5 converted); Canada counts with the European allies here.",
    ),
    "A400M Atlas": _c(
        european_supplier=True,
        source="Airbus (2018) as reported by Flightglobal: A400M final-assembly rate cut to 8 "
        "a year from 2020",
        unit_cost=24_000_000_000,
        currency="EUR",
        price_year=2010,
        unit_cost_basis="programme cost per aircraft incl. development (upper bound for a "
        "marginal aircraft): EUR 20bn launch contract + the 2010 rescue (EUR 11m per aircraft, "
        "just under EUR 2bn, plus EUR 1.5bn of export-levy credits) over 170 aircraft; "
        "rounded to EUR 24bn / 170",
        quantity_divisor=170,
        price_source="Airforce Technology (Nov 2010) on the A400M rescue agreement: "
        "http://www.airforce-technology.com/news/news101551-html/",
        fx_override=("EUR", 2019),
        note="No contract unit price is public (Kazakhstan's 2023 order undisclosed). The "
        "programme cost per aircraft is a named stand-in; it is converted at the 2019 rate, "
        "the earliest sourced EUR rate (the 2010 average was not in the corpus; at about "
        "1.33 USD per EUR it would give ~16% more USD). FAL workload to ~2028 (French press, C).",
    ),
    "GlobalEye": _c(
        european_supplier=True,
        source="Saab / FMV (Jun 2024): Sweden exercises an option for a third GlobalEye for "
        "~SEK 2.6bn, as reported by Flightglobal",
        backlog_european_units=5,
        production_rate_year=2025,
        note="Platform: Bombardier Global 6000/6500 (Canada), mission system Saab. Backlog: "
        "Sweden 3, France 2 (Dec 2025, SEK 12.3bn incl. support); UAE deliveries not split. "
        "No rate found.",
    ),
    "P-8A Poseidon": _c(
        european_supplier=False,
        source="US DoD contract announcement (Feb 2024): USD 3.4bn for 17 P-8A (14 Canada, 3 "
        "Germany), as reported by Aviation24",
        production_rate_year=2025,
        backlog_units=21,
        backlog_european_units=21,
        note="Backlog: Canada 14 (from 2026) + Germany 7 of 8 (first handed over 2 Oct 2025). "
        "No line rate found.",
    ),
    "MQ-9B SkyGuardian": _c(
        european_supplier=False,
        source="Polish MoD contract (Dec 2024): 3 MQ-9B for ~PLN 1.2bn, as reported by Overt "
        "Defense",
        production_rate_year=2025,
        backlog_european_units=3,
        note="MALE class, filed under HALE (the catalogue has one drone area). Backlog: Poland "
        "3 (lower bound). No rate found.",
    ),
    "FREMM EVO": _c(
        european_supplier=True,
        source="OCCAR contract (Jul 2024): 2 FREMM EVO for ~EUR 1.5bn, as reported by Defense "
        "News",
        production_rate_year=2025,
        backlog_units=2,
        backlog_european_units=2,
    ),
    "F126 (Niedersachsen class)": _c(
        european_supplier=True,
        source="Maritime Executive (2025) on the F126 programme (reported value ~EUR 9bn for "
        "6)",
        production_rate_year=2025,
        backlog_units=6,
        backlog_european_units=6,
        note="Programme under review; first ship slipped to ~2032; value reported >EUR 10bn "
        "elsewhere.",
    ),
    "FDI (Amiral Ronarc'h / FDI HN)": _c(
        european_supplier=True,
        source="Naval News (Sep 2021) / Greek MoD contract (Mar 2022): 3 FDI for ~EUR 3bn",
        production_rate_year=2025,
        backlog_units=9,
        backlog_european_units=9,
        note="Backlog: Greece 4 + French Navy 5 (as of 2025; first units delivering).",
    ),
    "Type 26 (City class / Norway)": _c(
        european_supplier=True,
        source="Norwegian government selection of Type 26 (Aug 2025, ~GBP 10bn for at least "
        "5), as reported by WION",
        production_rate_year=2025,
        backlog_units=13,
        backlog_european_units=13,
        note="Norwegian figure likely includes support: an upper bound; UK build ~GBP 1bn "
        "each (2019). Backlog: UK 8 + Norway >=5.",
    ),
    "Type 31 (Arrowhead 140)": _c(
        european_supplier=True,
        source="UK MoD (2019) average production cost per ship, as reported by Defense Update",
        production_rate_year=2025,
        backlog_units=5,
        backlog_european_units=5,
        note="2019 target price; later cost growth not captured.",
    ),
    "Type 212CD": _c(
        european_supplier=True,
        source="German government order (Dec 2024): 4 more Type 212CD for EUR 4.7bn, as "
        "reported by Forecast International",
        production_rate_year=2025,
        backlog_units=12,
        backlog_european_units=12,
    ),
    "A26 (Blekinge class)": _c(
        european_supplier=True,
        source="Svenska Dagbladet (Sep 2021) on the renegotiated A26 contract, as relayed by "
        "World Military News",
        production_rate_year=2025,
        backlog_units=2,
        backlog_european_units=2,
        note="Grade C (aggregator of SvD): Saab/FMV's own figure was not found. Poland's Orka "
        "selection (Nov 2025) has no contract.",
    ),
    "Taurus Neo": _c(
        european_supplier=True,
        source="BAAINBw contract (18 Dec 2025) to prepare Taurus Neo serial production, as "
        "reported by Flightglobal; price from a press estimate (600 for ~EUR 2.1bn, rbc.ua)",
        source_grade="C",
        lead_time_years=4,
        lead_note="serial production from 2029 on a Dec 2025 contract (press estimate)",
        note="Grade C: quantity and value undisclosed by BAAINBw; the EUR 3.5m per missile is "
        "a planned budget / planned quantity. The Taurus KEPD 350 line is idle.",
    ),
    "SCALP-EG / Storm Shadow": _c(
        european_supplier=True,
        source="UK government / MBDA (9 Jul 2025): production restart, first French order in "
        "15 years, as reported by Defence Blog",
        note="No price, rate or quantity disclosed.",
    ),
    "JASSM-ER": _c(
        european_supplier=False,
        source="DSCA news release (12 Mar 2024): Poland, 821 AGM-158B-2 JASSM-ER for an "
        "estimated USD 1.77bn",
        transcribed_from="https://defensehere.com/en/us-approves-potential-sale-of-1-77b-worth-of-air-to-surface-missiles-to-poland",
        source_grade="B",
        unit_cost=1_770_000_000,
        currency="USD",
        price_year=2024,
        unit_cost_basis="notified ceiling value / quantity incl. logistics and programme "
        "support (DSCA, Mar 2024; Anadolu via defensehere)",
        quantity_divisor=821,
        price_source="",
        production_rate_year=2024,
        backlog_european_units=821,
        note="The catalogue's raw row (a weak page on a Mar 2025 lot contract, no quantities) "
        "is replaced by the DSCA notification. Backlog: Poland 821 notified (ceiling; a "
        "notification, not yet all contracted). Current rate not found.",
    ),
    "155mm shells - Rheinmetall (group)": _c(
        system="155 mm shell - Rheinmetall (group)",
        european_supplier=True,
        source="Financial Times (2025) on Rheinmetall's 155 mm output, as relayed by "
        "Europost Agency; Unterluss plant figures from Rheinmetall (Aug 2025)",
        source_grade="B",
        unit_cost=1_100_000_000,
        currency="EUR",
        price_year=2024,
        unit_cost_basis="market price per shell from the NSPA Jan 2024 contract: ~200,000 "
        "rounds for EUR 1.1bn (Nexter/KNDS France and Junghans; Reuters), applied to every "
        "European line (named assumption: no per-shell price of this line is published)",
        quantity_divisor=200_000,
        price_source="Reuters (Jan 2024) on NATO's EUR 1.1bn 155 mm order, as reported by UNN: "
        "https://unn.ua/en/amp/nato-to-buy-155-mm-shells-worth-11-billion-euros-part-of-the-ammunition-will-go-to-ukraine",
        lead_time_years=2,
        lead_note="NSPA: deliveries start 24-36 months after order for most 2023-24 orders; "
        "first deliveries of the Jan 2024 order expected late 2025 (Reuters)",
        note="Rate group-wide incl. Spain (Expal) and South Africa. Bundeswehr framework up to "
        "EUR 8.5bn (Jun 2024; quantity undisclosed). Unterluss: 25k end-2025, 140k 2026, "
        "350k/yr from 2027.",
    ),
    "155mm shells - Nammo": _c(
        system="155 mm shell - Nammo",
        european_supplier=True,
        source="Norwegian Ministry of Defence (Jul 2024): state funding for a new Nammo 155 mm "
        "line; pre-war rate per Nammo's CEO (NTB)",
        unit_cost=1_100_000_000,
        currency="EUR",
        price_year=2024,
        unit_cost_basis="market price per shell from the NSPA Jan 2024 contract (~200,000 for "
        "EUR 1.1bn; Reuters), applied to every European line (named assumption)",
        quantity_divisor=200_000,
        price_source="Reuters (Jan 2024) via UNN: https://unn.ua/en/amp/nato-to-buy-155-mm-shells-worth-11-billion-euros-part-of-the-ammunition-will-go-to-ukraine",
        production_rate_year=2021,
        note="7,000/yr is the pre-2022 rate (year taken as 2021); the current rate is "
        "confidential; the new line raises output of the most modern shells tenfold (no "
        "absolute figure).",
    ),
    "155mm shells - KNDS France": _c(
        system="155 mm shell - KNDS France",
        european_supplier=True,
        source="Le Monde (Apr 2025) on KNDS France output, as relayed by Euromaidan Press",
        unit_cost=1_100_000_000,
        currency="EUR",
        price_year=2024,
        unit_cost_basis="contract value / quantity: NSPA Jan 2024, ~200,000 rounds for EUR "
        "1.1bn from Nexter (KNDS France) and Junghans (Reuters)",
        quantity_divisor=200_000,
        price_source="Reuters (Jan 2024) via UNN: https://unn.ua/en/amp/nato-to-buy-155-mm-shells-worth-11-billion-euros-part-of-the-ammunition-will-go-to-ukraine",
        note="Output doubled; target 100,000 shells/yr by end-2025 (planned, not confirmed).",
    ),
}

#: Systems with no raw catalogue row.
ADDITIONS: list[dict[str, Any]] = [
    {
        "system": "PEGASUS (SIGINT, Global 6000)",
        "capability": "isr_aircraft",
        "us_made": False,
        "european_supplier": True,
        "producer": "Hensoldt (prime), Lufthansa Technik (integration), Bombardier (platform)",
        "producer_country": "DEU",
        "unit_cost": 1_500_000_000,
        "currency": "EUR",
        "price_year": 2021,
        "quantity_divisor": 3,
        "unit_cost_basis": "contract value / quantity incl. ground evaluation stations: "
        "Germany 3 PEGASUS SIGINT aircraft for ~EUR 1.5bn (BMVg value, Jun 2021)",
        "lead_time_years": 5,
        "lead_note": "contract Jun 2021, first system 2026, completion 2028 (Hensoldt)",
        "production_rate_year": 2025,
        "backlog_units": 3,
        "backlog_european_units": 3,
        "source": "Reuters (Jun 2021) on Hensoldt's PEGASUS contract (value per the German "
        "defence ministry), as reported by Boersen-Zeitung",
        "transcribed_from": "https://boersen-zeitung.de/unternehmen-branchen/milliardenauftrag-fuer-hensoldt-9f90c9f4-d9a4-11eb-8819-e61625a73621",
        "source_grade": "A",
        "note": "The only European crewed ISR (SIGINT) aircraft with a public price. Platform "
        "made in Canada (Bombardier, Wichita-modified); first aircraft reached Hamburg Dec 2025 "
        "(AIN). Germany considers 3-6 more (Zona Militar, Sep 2025).",
    },
]

GRADE_ORDER = {"A": 0, "A-": 1, "B+": 2, "B": 3, "B-": 4, "C+": 5, "C": 6, "C-": 7}

COLUMNS = [
    "system",
    "capability",
    "us_made",
    "european_supplier",
    "producer",
    "producer_country",
    "unit_cost_musd",
    "price_year",
    "unit_cost_local",
    "currency",
    "unit_cost_basis",
    "annual_production_rate_units",
    "production_rate_year",
    "planned_rate_units",
    "planned_rate_year",
    "lead_time_years",
    "backlog_units",
    "backlog_european_units",
    "service_life_years",
    "capability_units_per_system",
    "canonical",
    "source",
    "publication",
    "transcribed_from",
    "source_grade",
    "derived",
]


def read_grades(sources_md: Path) -> dict[str, str]:
    """URL -> reliability grade (A, A-, B+, ...) from a SOURCES.md source table."""
    grades: dict[str, str] = {}
    pattern = re.compile(r"^\|\s*\d+\s*\|\s*(\S+)\s*\|.*\|\s*([ABC][+-]?)\s*\|\s*$")
    for line in sources_md.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match:
            grades[match.group(1)] = match.group(2)
    return grades


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _first_year(text: str) -> int | None:
    match = re.search(r"(19|20)\d\d", text)
    return int(match.group(0)) if match else None


def _round_years(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _num(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def _fx(rates: dict[tuple[str, int], float], currency: str, year: int) -> tuple[float, int] | None:
    """Rate of ``currency`` in ``year``, else the latest earlier sourced year."""
    years = [y for (c, y) in rates if c == currency and y <= year]
    if not years:
        return None
    used = max(years)
    return rates[(currency, used)], used


def _usd_million(
    cost: float | None,
    currency: str,
    year: int | None,
    rates: dict[tuple[str, int], float],
    fx_override: tuple[str, int] | None,
) -> tuple[str, str]:
    """(unit cost in USD million as text, how it was converted)."""
    if cost is None:
        return "", ""
    if currency == "USD":
        return _fmt(cost / 1e6, 6), ""
    if year is None:
        return "", f"no price year: {currency} cost not converted"
    if fx_override is not None:
        rate, used = rates[fx_override], fx_override[1]
    else:
        found = _fx(rates, currency, year)
        if found is None:
            return "", f"no sourced {currency} rate for {year} or earlier: USD cost left empty"
        rate, used = found
    how = f"{currency} / {rate} {currency} per USD ({used} yearly average, fx_rates.csv)"
    if used != year:
        how += f"; price year {year} converted at the {used} rate (latest sourced)"
    return _fmt(cost / rate / 1e6, 6), how


def _raw_lead(raw: str, curated: dict[str, Any], derived: list[str]) -> str:
    if "lead_time_years" in curated:
        value = curated["lead_time_years"]
        if value is None:
            return ""
        derived.append(f"lead time: {curated.get('lead_note', 'as curated')}")
        return str(value)
    parsed = _num(raw)
    if parsed is None:
        return ""
    rounded = _round_years(parsed)
    if rounded != parsed:
        derived.append(f"lead time {raw} yr from the source, rounded to {rounded}")
    return str(rounded)


def _provenance(publication: str, url: str, curated: dict[str, Any]) -> tuple[str, str, str]:
    """(source, publication, transcribed_from) in the project's provenance layout.

    ``source`` is a URL: the original's when the curation knows it (``original_url``),
    else the page the figures were read on; ``publication`` names the original in words
    (with "as reported by ..." when it was read at a relay); ``transcribed_from`` is the
    page read when ``source`` is the original's URL, else empty.
    """
    page = str(curated.get("transcribed_from") or url)
    original = str(curated.get("original_url", ""))
    if original and original != page:
        return original, publication, page
    return page, publication, ""


def _int_text(value: Any) -> str:
    return "" if value is None or value == "" else str(int(value))


def _rates(raw: dict[str, str], curated: dict[str, Any], derived: list[str]) -> dict[str, str]:
    rate = _num(raw.get("production_rate_per_year", ""))
    raw_year = raw.get("production_rate_year", "")
    rate_year = curated.get("production_rate_year", _first_year(raw_year))
    if rate is not None and raw.get("production_rate_year", "").strip() not in ("", str(rate_year)):
        derived.append(
            f"rate year '{raw['production_rate_year']}' in the source, taken as {rate_year}"
        )
    planned = curated.get("planned_rate_units", _num(raw.get("planned_rate_per_year", "")))
    planned_year = curated.get(
        "planned_rate_year", _first_year(raw.get("planned_rate_year", ""))
    )
    return {
        "annual_production_rate_units": _fmt(rate),
        "production_rate_year": _int_text(rate_year),
        "planned_rate_units": _fmt(planned),
        "planned_rate_year": _int_text(planned_year),
    }


def _price(
    raw: dict[str, str], curated: dict[str, Any], rates: dict[tuple[str, int], float]
) -> tuple[dict[str, str], list[str]]:
    derived: list[str] = []
    divisor = curated.get("quantity_divisor")
    if "unit_cost" in curated:
        cost: float | None = float(curated["unit_cost"]) / (divisor or 1)
        if divisor:
            derived.append(
                f"unit cost = {curated['unit_cost']:,} {curated.get('currency', 'USD')} / "
                f"{divisor:,}"
            )
        if curated.get("price_source"):
            derived.append(f"price: {curated['price_source']}")
    else:
        cost = _num(raw.get("unit_cost", ""))
    currency = curated.get("currency", raw.get("unit_cost_currency", "").strip())
    year_text = raw.get("unit_cost_price_year", "").strip()
    year = curated.get("price_year", int(year_text) if year_text else None)
    usd, how = _usd_million(cost, currency, year, rates, curated.get("fx_override"))
    if how:
        derived.append(how)
    basis = curated.get("unit_cost_basis", raw.get("unit_cost_basis", "").strip())
    return {
        "unit_cost_musd": usd,
        "price_year": "" if year is None or cost is None else str(year),
        "unit_cost_local": _fmt(cost, 0),
        "currency": currency if cost is not None else "",
        "unit_cost_basis": basis if cost is not None else "",
    }, derived


def _row(
    raw: dict[str, str], curated: dict[str, Any], rates: dict[tuple[str, int], float]
) -> dict[str, str]:
    """One systems.csv row from a raw catalogue row (or an addition) and its curation."""
    price, derived = _price(raw, curated, rates)
    lead = _raw_lead(raw.get("lead_time_years", ""), curated, derived)
    rate_cols = _rates(raw, curated, derived)
    if curated.get("note"):
        derived.append(str(curated["note"]))
    us_made = curated.get("us_made", raw.get("producer_country", "") == "USA")
    source, publication, transcribed = _provenance(
        str(curated["source"]), raw.get("source_url", ""), curated
    )
    return {
        "system": curated.get("system", raw.get("system", "")),
        "capability": curated.get("capability", raw.get("capability", "")),
        "us_made": "true" if us_made else "false",
        "european_supplier": "true" if curated["european_supplier"] else "false",
        "producer": curated.get("producer", raw.get("producer", "")),
        "producer_country": curated.get("producer_country", raw.get("producer_country", "")),
        **price,
        **rate_cols,
        "lead_time_years": lead,
        "backlog_units": _int_text(curated.get("backlog_units")),
        "backlog_european_units": _int_text(curated.get("backlog_european_units")),
        "service_life_years": "",
        "capability_units_per_system": "1",
        "canonical": "false",
        "source": source,
        "publication": publication,
        "transcribed_from": transcribed,
        "source_grade": str(curated.get("source_grade", raw.get("source_grade", "")))[:1],
        "derived": "; ".join(derived),
    }


def _unit_cost_row(
    raw: dict[str, str], extra: dict[str, Any], grade: str, rates: dict[tuple[str, int], float]
) -> dict[str, str]:
    """A systems row from a unit_costs.csv contract row."""
    as_catalogue = {
        "system": raw["system"],
        "producer": raw["producer"],
        "unit_cost": raw["unit_cost"],
        "unit_cost_currency": raw["currency"],
        "unit_cost_price_year": raw["price_year"],
        "unit_cost_basis": raw["unit_cost_basis"],
        "source_url": raw["source_url"],
        "source_grade": grade,
    }
    curated = dict(extra)
    if raw["contract_value"] and raw["contract_quantity"]:
        curated["note"] = (
            f"unit cost = {float(raw['contract_value']):,.0f} {raw['currency']} / "
            f"{float(raw['contract_quantity']):,.0f} (capabilities/unit_costs.csv); "
            + str(extra.get("note", ""))
        )
    return _row(as_catalogue, curated, rates)


def _origin(row: dict[str, str]) -> str:
    if row["us_made"] == "true":
        return "us"
    return "european" if row["european_supplier"] == "true" else "other"


def mark_canonical(rows: list[dict[str, str]]) -> None:
    """Set ``canonical`` on one priced row per capability and origin (rule in the docstring)."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        medium_range = "MEDIUM RANGE" in row["derived"]
        if row["unit_cost_musd"] and not medium_range:
            groups.setdefault((row["capability"], _origin(row)), []).append(row)
    for members in groups.values():
        best = min(
            members,
            key=lambda x: (
                x["source_grade"] == "C",
                not (x["annual_production_rate_units"] or x["planned_rate_units"]),
                -int(x["price_year"] or 0),
                -int(x["production_rate_year"] or 0),
                GRADE_ORDER.get(x["source_grade"], 9),
                x["system"],
            ),
        )
        best["canonical"] = "true"


def build(
    shared: Path, catalogue_csv: Path | None = DEFAULT_OUT / "capability_catalogue.csv"
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Return (systems rows, fx rows) built from the shared data folder.

    Rows whose capability area the catalogue (``catalogue_csv``) marks unplannable are
    held back (the planning LP cannot buy them and the catalogue test requires "an area
    is plannable exactly when a system maps to it"); ``catalogue_csv=None`` keeps all.
    """
    rates = {(r["currency"], int(r["year"])): float(r["units_per_usd"]) for r in FX_RATES}
    with (shared / "industry" / "systems_catalogue.csv").open(encoding="utf-8", newline="") as f:
        catalogue = list(csv.DictReader(f))
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for raw in catalogue:
        name = raw["system"].strip()
        seen.add(name)
        if name in EXCLUDED:
            continue
        if name not in CURATION:
            msg = f"systems_catalogue.csv row '{name}' has no CURATION entry and is not EXCLUDED"
            raise ValueError(msg)
        rows.append(_row(raw, CURATION[name], rates))
    unknown = sorted(set(CURATION) - seen)
    if unknown:
        raise ValueError(f"CURATION names rows that are not in systems_catalogue.csv: {unknown}")
    caps = shared / "capabilities"
    grades = read_grades(caps / "SOURCES.md")
    with (caps / "unit_costs.csv").open(encoding="utf-8", newline="") as f:
        contracts = {r["system"].strip(): r for r in csv.DictReader(f)}
    for name, extra in FROM_UNIT_COSTS.items():
        raw = contracts[name]
        rows.append(_unit_cost_row(raw, extra, grades[raw["source_url"].strip()], rates))
    rows.extend(_row({}, addition, rates) for addition in ADDITIONS)
    plannable_codes = (
        {r["capability"] for r in rows} if catalogue_csv is None
        else plannable_codes_of(catalogue_csv)
    )
    rows = [r for r in rows if r["capability"] in plannable_codes]
    mark_canonical(rows)
    rows.sort(key=lambda x: (x["capability"], _origin(x), x["system"]))
    return rows, FX_RATES


def plannable_codes_of(catalogue_csv: Path) -> set[str]:
    """Holdings codes whose area the capability catalogue marks plannable."""
    with catalogue_csv.open(encoding="utf-8", newline="") as f:
        return {r["code"] for r in csv.DictReader(f) if r["plannable"].strip().lower() == "true"}


def held_back(shared: Path, catalogue_csv: Path) -> list[str]:
    """Names of curated systems left out because the catalogue marks their area unplannable."""
    everything, _ = build(shared, None)
    keep = plannable_codes_of(catalogue_csv)
    return sorted(f"{r['system']} ({r['capability']})" for r in everything
                  if r["capability"] not in keep)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--catalogue",
        type=Path,
        default=DEFAULT_OUT / "capability_catalogue.csv",
        help="capability catalogue whose plannable flags decide which rows are written",
    )
    args = parser.parse_args()
    systems, fx = build(args.shared, args.catalogue)
    for name in held_back(args.shared, args.catalogue):
        print(f"held back (area not plannable in {args.catalogue.name}): {name}")
    write_csv(args.out / "systems.csv", systems, COLUMNS)
    write_csv(args.out / "fx_rates.csv", fx, FX_COLUMNS)


if __name__ == "__main__":
    main()
