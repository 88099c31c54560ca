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
  another row, a rotation that has ended and a brigade committed away from the
  alliance's eastern flank (Turkey's Syrian/Iraqi border: the reason in the row).
* Order of battle: the raw rows, then ``EXTRA_ORDER_OF_BATTLE`` (brigades of the
  allies the raw table misses, each citing the page read; ``unit_id`` ``oob.95`` on),
  with ``NO_BRIGADE_REASON`` saying why an ally has no brigade at all;
  ``brigade_type`` (heavy / medium / light / air_assault /
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
    # order-of-battle rows added for the allies the raw table misses (issue 11)
    "army.gr": ("Hellenic Army General Staff", False),
    "aa.com.tr": ("Anadolu Agency", False),
    "hurriyet.com.tr": ("Hürriyet", False),
    "trthaber.com": ("TRT Haber (Turkish public broadcaster)", False),
    "haberport.com": ("Turkish Ministry of National Defence announcement (carried by "
                      "Haberport)", True),
    "halktv.com.tr": ("DHA, Demirören News Agency (carried by Halk TV)", True),
    "ntv.com.tr": ("Anadolu Agency (carried by NTV)", True),
    "karar.com": ("İHA, İhlas News Agency (carried by Karar)", True),
    "rtl.be": ("RTL Belgium", False),
    "ionline.sapo.pt": ("Jornal i", False),
    "tvi24.iol.pt": ("Lusa (carried by TVI24)", True),
    "antenalivre.pt": ("Antena Livre (regional radio)", False),
    "mil.sk": ("Armed Forces of the Slovak Republic", False),
    "armf.bg": ("Bulgarian Land Forces", False),
    "www.bta.bg": ("BTA, Bulgarian News Agency", False),
    "vecernji.hr": ("Večernji list", False),
    "hrt.hr": ("HRT, Croatian Radiotelevision", False),
    "slovenskavojska.si": ("Slovenian Armed Forces General Staff", False),
    "mod.gov.mk": ("Ministry of Defence of North Macedonia", False),
    "greekcitytimes.com": ("Greek City Times", False),
    "luleburgaz.bel.tr": ("Lüleburgaz Municipality", False),
}
#: Domains that mirror Wikipedia (or host copies of it): the original is Wikipedia.
WIKI_MIRRORS = (
    "ipfs", "wikimili.com", "kiwix", "sagapedia.com", "zxc.wiki", "piglix.com",
    "clateway.com", "pinocchiopedia.com",
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

#: Why an ally with no counted brigade row has none (issue 11): the order of battle
#: states it instead of leaving the ally silently empty.
NO_BRIGADE_REASON: dict[str, str] = {
    "ISL": "no armed forces (Iceland has no army; the raw data README says so)",
    "LUX": "no brigade: the Luxembourg Army is a battalion-size force (general knowledge, "
    "not sourced in this build)",
    "MNE": "no brigade: the Army of Montenegro is organised in battalions (general "
    "knowledge, not sourced in this build)",
    "ALB": "no brigade found: the Land Force was re-formed in 2009 from the Rapid Reaction "
    "Brigade and the Commando Regiment and is organised in battalions (a Wikipedia mirror, "
    "piglix.com; no ministry page found)",
}


def _extra(
    holder: str, unit: str, kind: str, where: tuple[str, str, float, float], url: str,
    grade: str, year: int, note: str, **cells: str,
) -> dict[str, str]:
    """One added order-of-battle row in the raw table's columns (``cells``: the rest)."""
    location, country, lat, lon = where
    return {
        "holder": holder, "unit": unit, "brigade_type": kind,
        "personnel": cells.get("personnel", ""), "main_equipment": cells.get("equipment", ""),
        "home_location": location, "home_country": country, "lat": f"{lat:g}",
        "lon": f"{lon:g}", "stationing": "home", "readiness_note": cells.get("readiness", ""),
        "as_of_year": str(year), "source_url": url, "source_grade": grade,
        "note": note + "; coordinates of the town or base (general knowledge)",
        "not_counted_reason": cells.get("reason", ""),
    }


_TSK_BORDER = ("Syrian/Iraqi border (2nd Army): committed to Turkey's own border and "
               "cross-border operations, not counted for NATO's eastern flank")
_GR_EVROS = "D Army Corps 'Thraki' (guards the Greek-Turkish land border on the Evros)"

#: Manoeuvre brigades of the allies the raw table misses (issue 11), appended after the
#: raw rows (unit_id oob.95 on). Each row cites the page read; Wikipedia and its mirrors
#: were used only to find a primary page, and a row resting on one stays out of totals
#: (grade C). Turkey: the 1st Army's brigades in Thrace (European Turkey, the road to
#: Bulgaria and Romania) are counted; brigades on the Syrian/Iraqi border are kept out
#: (reason in the row); the Cyprus Turkish Peace Forces are not listed (Cyprus is not an
#: ally; only Wikipedia found).
EXTRA_ORDER_OF_BATTLE: list[dict[str, str]] = [
    # --- Turkey (TUR) ---
    _extra("TUR", "1st Armoured Brigade (1. Zırhlı Tugay)", "heavy",
           ("Kırklareli", "TUR", 41.735, 27.225),
           "https://www.haberport.com/gundem/kirklareli-de-durgun-sulardan-gecis-egitimi-"
           "tatbikati-zirhli-araclar-basariyla-gecti-315648h", "B", 2025,
           "Ministry of National Defence (MSB) announcement, as carried by Haberport: the 1st "
           "Armoured Brigade Command crossed a still-water obstacle with tanks at Kırklareli; "
           "the MSB original was not found in the stored copies",
           readiness="1st Army, Thrace"),
    _extra("TUR", "8th Mechanised Infantry Brigade (8. Mekanize Piyade Tugayı)", "heavy",
           ("Tekirdağ (Orgeneral Doğu Aktulga barracks)", "TUR", 41.07, 27.3),
           "http://aa.com.tr/tr/turkiye/askeri-birliklerin-sehir-disina-tasinmasi-suruyor/"
           "633739", "A", 2016,
           "Anadolu Agency 23 Aug 2016: tanks of the 66th Bde moved to the 8th Mechanised "
           "Infantry Brigade's Orgeneral Doğu Aktulga barracks, 25 km from Tekirdağ on the "
           "Malkara road",
           readiness="1st Army, Thrace"),
    _extra("TUR", "54th Mechanised Infantry Brigade (54. Mekanize Piyade Tugayı)", "heavy",
           ("Edirne", "TUR", 41.677, 26.556),
           "https://www.hurriyet.com.tr/gundem/live-tum-yurtta-30-agustos-zafer-bayrami-"
           "coskusu-42931310", "B", 2025,
           "Hürriyet 30 Aug 2025: 54th Mechanised Infantry Brigade commander and a unit of the "
           "brigade at the Edirne parade",
           readiness="1st Army, Thrace; on the Greek and Bulgarian borders"),
    _extra("TUR", "66th Mechanised Infantry Brigade (66. Mekanize Piyade Tugayı)", "heavy",
           ("Çorlu (Tekirdağ)", "TUR", 41.159, 27.8),
           "https://halktv.com.tr/gundem/nato-tatbikatina-katilacak-mehmetcikler-yola-cikti-"
           "457437h", "B", 2021,
           "DHA via Halk TV 2021: units of the 66th Mechanised Infantry Brigade at Çorlu sent "
           "to Romania for NATO's Steadfast Defender 2021; moved from Istanbul to Çorlu in "
           "2016 (Anadolu Agency, 633739)",
           readiness="5th Corps, 1st Army, Thrace; units deployed to Romania for Steadfast "
           "Defender 2021"),
    _extra("TUR", "18th Mechanised Infantry Brigade (18. Mekanize Piyade Tugayı)", "heavy",
           ("Gelibolu (Fahrettin Altay barracks)", "TUR", 40.41, 26.67),
           "https://www.ntv.com.tr/galeri/turkiye/canakkalede-seferberlik-tatbikati-hedefler-"
           "ates-altina-alindi-1696989", "B", 2025,
           "Anadolu Agency via NTV 16 Nov 2025: Yıldırım-2025 mobilisation exercise at the 18th "
           "Mechanised Infantry Brigade Command, Gelibolu, with the 1st Army and 2nd Corps "
           "commanders",
           readiness="2nd Corps, 1st Army (Gallipoli peninsula, European side)"),
    _extra("TUR", "41st Commando Brigade (41. Komando Tugayı)", "light",
           ("Kırklareli", "TUR", 41.735, 27.225),
           "https://trthaber.com/haber/turkiye/komando-tugaylarinin-sayisi-16ya-yukseldi-"
           "380375.html", "B", 2018,
           "TRT Haber 2018: four new commando brigades (Denizli 11th, Sakarya 7th, Trabzon "
           "17th, Kırklareli 41st), 16 in all; colours presented at Çorlu in 2020 (Milliyet)",
           readiness="1st Army, Thrace"),
    _extra("TUR", "95th Armoured Brigade (95. Zırhlı Tugay)", "heavy",
           ("Malkara (Tekirdağ)", "TUR", 40.89, 26.9),
           "https://hurriyet.com.tr/yerel-haberler/tekirdag/malkara-nin-kurtulusunun-93-"
           "yilina-buruk-kutlama-37196442", "B", 2015,
           "İHA via Hürriyet 14 Nov 2015: the 95th Armoured Brigade commander at the Malkara "
           "ceremony; still at Malkara in a 2020s Veterans' Day report (59haber.com)",
           readiness="1st Army, Thrace"),
    _extra("TUR", "65th Mechanised Infantry Brigade (65. Mekanize Piyade Tugayı)", "heavy",
           ("Lüleburgaz (Kırklareli)", "TUR", 41.405, 27.355),
           "https://luleburgaz.bel.tr/haberler/canakkale-zaferinin-108-yilinda-sehitler-anildi",
           "B", 2023,
           "Lüleburgaz municipality 20 Mar 2023: a guard of the 65th Mechanised Infantry "
           "Brigade Command at the Lüleburgaz ceremony (also 2021: memorial protocol signed "
           "at the brigade)",
           readiness="1st Army, Thrace"),
    _extra("TUR", "55th Mechanised Infantry Brigade (55. Mekanize Piyade Tugayı)", "heavy",
           ("Kırklareli", "TUR", 41.735, 27.225),
           "https://beyazgazete.com/haber/2022/9/19/trakya-da-gaziler-gunu-torenlerle-"
           "kutlandi-6607380.html", "C", 2022,
           "a brigade officer speaks at the Kırklareli Veterans' Day ceremony (news portal "
           "reprint; the brigade's garrison is inferred from the ceremony)",
           readiness="1st Army, Thrace"),
    _extra("TUR", "4th Mechanised Infantry Brigade (4. Mekanize Piyade Tugayı)", "heavy",
           ("Keşan (Edirne)", "TUR", 40.856, 26.63),
           "https://pinocchiopedia.com/wiki/4th_Mechanised_Infantry_Brigade_(Turkey)", "C",
           2020, "Wikipedia mirror (2nd Corps, Keşan, Greek border monitoring)",
           readiness="2nd Corps, 1st Army, Thrace"),
    _extra("TUR", "57th Mechanised Infantry Brigade (57. Mekanize Piyade Tugayı)", "heavy",
           ("Süloğlu (Edirne)", "TUR", 41.77, 26.915),
           "http://www.vatandasgazetesi.com.tr/57-mekanize-tugayinda-devir-teslim-"
           "makale,440.html", "C", 2018,
           "local columnist on the brigade's change of command at Süloğlu (5th Corps) in 2018",
           readiness="5th Corps, 1st Army, Thrace"),
    _extra("TUR", "20th Armoured Brigade (20. Zırhlı Tugay)", "heavy",
           ("Şanlıurfa", "TUR", 37.167, 38.794),
           "https://karar.com/mardinden-suriye-sinirina-askeri-sevkiyat-756181", "B", 2018,
           "İHA via Karar 2018: convoys for Operation Olive Branch staged at the 20th "
           "Armoured Brigade Command, Şanlıurfa",
           readiness="7th Corps, 2nd Army; Syrian border", reason=_TSK_BORDER),
    _extra("TUR", "70th Mechanised Infantry Brigade (70. Mekanize Piyade Tugayı)", "heavy",
           ("Kızıltepe (Mardin)", "TUR", 37.193, 40.586),
           "https://zims-en.kiwix.campusafrica.gos.orange.com/wikipedia_en_all_nopic/A/"
           "70th_Mechanised_Infantry_Brigade_(Turkey)", "C", 2012,
           "Wikipedia copy on a kiwix mirror: Syrian border protection, three border "
           "battalions",
           readiness="7th Corps, 2nd Army; Syrian border", reason=_TSK_BORDER),
    # --- Greece (GRC) ---
    _extra("GRC", "XXV Armoured Brigade '2nd Cavalry Regiment - Efessos'", "heavy",
           ("Petrochori (Xanthi)", "GRC", 41.02, 24.85),
           "http://army.gr/en/content/tribute-xxv-armoured-brigade-xxv-arm-bde-2nd-cavalry-"
           "regiment-efessos", "A", 2018,
           "Hellenic Army: HQ at Petrochori, Xanthi since 15 Dec 2017; 'spearhead of D Army "
           "Corps'", equipment="Leopard 2A6HEL", readiness=_GR_EVROS + "; XX Armoured Division"),
    _extra("GRC", "XXI Armoured Brigade 'Pindos Cavalry'", "heavy",
           ("Komotini", "GRC", 41.118, 25.405),
           "http://army.gr/en/events", "A", 2020,
           "Hellenic Army: exercise DIMARATOS SOCRATES 2020 at Alexandroupoli with the XXI "
           "Armoured Brigade; garrison Komotini per a 2024 change-of-command report "
           "(epilarhia.blogspot.com) and Wikipedia", readiness=_GR_EVROS),
    _extra("GRC", "XXIII Armoured Brigade '3rd Cavalry Regiment - Dorylaio'", "heavy",
           ("Alexandroupoli", "GRC", 40.848, 25.874),
           "http://army.gr/en/node/366825", "A", 2018,
           "Hellenic Army: tank platoon competition of all armoured brigades (XXI, XXIII, XXIV, "
           "XXV), Xanthi, May 2018; garrison Alexandroupoli (change of command at "
           "'Anthypolochagos Theodoros Kandilaptis' camp, proelasi.com, 15 Mar 2018)",
           readiness=_GR_EVROS + "; XII Mechanised Infantry Division 'Evrou'"),
    _extra("GRC", "XXIV Armoured Brigade '1st Cavalry Regiment - Florina'", "heavy",
           ("Litochoro", "GRC", 40.103, 22.502),
           "http://army.gr/en/node/366825", "A", 2018,
           "Hellenic Army: tank platoon competition of all armoured brigades, May 2018; "
           "garrison Litochoro (change of command Feb 2025, pierikialithia.blogspot.com)",
           readiness="1st Army"),
    _extra("GRC", "33rd Mechanised Brigade 'Kydonion'", "heavy",
           ("Polykastro", "GRC", 40.996, 22.573),
           "http://army.gr/en/node/162210", "A", 2024,
           "Hellenic Army: exercise GRANIKOS, June 2024, with the 33rd and 34th Mechanised and "
           "71st Airmobile brigades; garrison Polykastro (staratalogia.gr 2021: the Chief of "
           "the Army Staff said it stays there)", readiness="C Army Corps / NRDC-GR"),
    _extra("GRC", "50th Mechanised Brigade 'Apsos'", "heavy",
           ("Soufli", "GRC", 41.197, 26.3),
           "http://army.gr/en/content/feature-50th-mechanised-brigade-apsos", "A", 2020,
           "Hellenic Army feature: headquartered in Soufli since October 1988",
           readiness=_GR_EVROS),
    _extra("GRC", "7th Mechanised Brigade 'Sarantaporos'", "heavy",
           ("Provatonas (Evros)", "GRC", 41.07, 26.17),
           "https://greekcitytimes.com/2021/04/27/deputy-defence-minister-tours/", "B", 2021,
           "Greek City Times 2021: the deputy defence minister visited the 3rd, 7th, 31st and "
           "50th brigades on the Evros; garrison Provatonas (maxitis.gr 2020, named as a "
           "candidate for merger in a restructuring plan)",
           readiness=_GR_EVROS + "; XVI Mechanised Infantry Division"),
    _extra("GRC", "71st Airmobile Brigade 'Pontos'", "airborne/air-assault",
           ("Nea Santa (Kilkis)", "GRC", 40.845, 22.895),
           "http://army.gr/en/node/162210", "A", 2024,
           "Hellenic Army: exercise GRANIKOS, June 2024; garrison Nea Santa, Kilkis since 1989 "
           "(proelasi.com unit history); HELBROC EU battlegroup framework",
           readiness="C Army Corps / NRDC-GR"),
    _extra("GRC", "8th Motorised Brigade 'Ipirou'", "medium",
           ("Ioannina", "GRC", 39.665, 20.853),
           "http://www.army.gr/en/events", "A", 2018,
           "Hellenic Army: the First Army commander visited the '8th Motorised Brigade - VIII "
           "MP IPIROU' during exercise PARMENION-2018; garrison Ioannina (general knowledge)",
           readiness="1st Army"),
    # --- Belgium (BEL) ---
    _extra("BEL", "Motorised Brigade (Brigade Motorisée / Gemotoriseerde Brigade)", "medium",
           ("Marche-en-Famenne (Camp Roi Albert; second HQ Leopoldsburg)", "BEL", 50.227,
            5.344),
           "https://www.rtl.be/actu/magazine/la-brigade-motorisee-ouvre-ses-portes-dimanche-"
           "marche-en-famenne/2023-04-05/article/540352", "B", 2023,
           "RTL 2023: the only unit of its size in the Belgian army, about 7,500 personnel, 15 "
           "combined-arms units incl. 5 manoeuvre battalions; CaMo vehicles from 2025. Also "
           "mil.be (Belgian Defence): https://www.mil.be/fr/l-evolution-de-la-defense/"
           "brigade-motorisee/", personnel="7500",
           equipment="Griffon, Jaguar (CaMo, from 2025), Taurus, Aurus, Serval",
           readiness="Land Component"),
    # --- Portugal (PRT) ---
    _extra("PRT", "Mechanised Brigade (Brigada Mecanizada)", "heavy",
           ("Santa Margarida military camp (Constância)", "PRT", 39.435, -8.31),
           "https://ionline.sapo.pt/artigo/810283/pelotao-do-exercito-para-missao-a-eslovaquia-"
           "em-preparacao?seccao=Portugal_i", "B", 2024,
           "Jornal i 2024: the Mechanised Brigade at Santa Margarida readies a Leopard 2A6 "
           "platoon for the NATO battlegroup in Slovakia (34 tanks available); M113 per "
           "mediotejo.net", equipment="Leopard 2A6, M113", readiness="Portuguese Army"),
    _extra("PRT", "Intervention Brigade (Brigada de Intervenção)", "medium",
           ("Coimbra", "PRT", 40.205, -8.419),
           "http://www.tvi24.iol.pt/sociedade/pandur/murca-invadida-por-militares-ate-31-de-"
           "julho", "B", 2013,
           "Lusa via TVI24 2013: about 1,500 troops of the Intervention Brigade with Pandur "
           "II 8x8 in its annual exercise ('the wheeled armoured force'); HQ Coimbra "
           "(books.uc.pt, 10 years of the brigade)", equipment="Pandur II 8x8",
           readiness="Portuguese Army"),
    _extra("PRT", "Rapid Reaction Brigade (Brigada de Reação Rápida)", "airborne/air-assault",
           ("Tancos / Vila Nova da Barquinha", "PRT", 39.475, -8.385),
           "https://www.antenalivre.pt/cultura/brigadeiro-general-almeida-pereira-e-o-novo-"
           "comandante-da-brr", "B", 2025,
           "Antena Livre Oct 2025: change of command; light forces, airborne and airmobile "
           "operations; garrison Vila Nova da Barquinha (O Mirante 2024)",
           readiness="Portuguese Army"),
    # --- Slovakia (SVK) ---
    _extra("SVK", "1st Mechanised Brigade (1. mechanizovaná brigáda)", "heavy",
           ("Topoľčany", "SVK", 48.561, 18.175),
           "https://uvpsdsrnato.mil.sk/index.php?ID=87163", "A", 2019,
           "Slovak Armed Forces 2019: 1st Mechanised Brigade Topoľčany with units in Levice, "
           "Martin, Nitra, Rožňava and Sereď; 13th Mechanised Battalion Levice with BVP-M and "
           "T-72", equipment="BVP-M, T-72", readiness="Land Forces"),
    _extra("SVK", "2nd Mechanised Brigade 'Prešovská' (2. mechanizovaná brigáda)", "heavy",
           ("Prešov", "SVK", 48.998, 21.239),
           "https://veps.mil.sk/index.php?ID=45261", "A", 2014,
           "Slovak Armed Forces: historical name granted 2014, based in Prešov; reorganised "
           "Sep 2022 (ozbrojenesily.sk); equipment not given by the source: heavy by the "
           "mechanised rule", readiness="Land Forces"),
    # --- Bulgaria (BGR) ---
    _extra("BGR", "2nd Tundzha Mechanised Brigade (2-ра Тунджанска механизирана бригада)",
           "heavy", ("Stara Zagora", "BGR", 42.425, 25.635),
           "https://landforce.armf.bg/Brigaden-general-stanimir-hristov-poe-komandvaneto-na-2-"
           "ra-tundzhanska-mehanizirana-brigada/11:3455.html", "A", 2022,
           "Bulgarian Land Forces: change of command, Stara Zagora, Jan 2022",
           readiness="Land Forces"),
    _extra("BGR", "61st Stryama Mechanised Brigade (61-ва Стрямска механизирана бригада)",
           "heavy", ("Karlovo", "BGR", 42.641, 24.806),
           "https://www.bta.bg/bg/news/bulgaria/1003865-prezidentat-rumen-radev-poseti-61-va-"
           "stryamska-mehanizirana-brigada-v-karlovo-i-", "A", 2025,
           "BTA Nov 2025: President visits the brigade at Karlovo; Stryker vehicles due from "
           "end-2025 (wheeled: the row becomes medium once they replace its tracked "
           "vehicles); the largest Land Forces formation (plovdiv24.bg)",
           equipment="Stryker (deliveries from end-2025)", readiness="Land Forces"),
    # --- Croatia (HRV) ---
    _extra("HRV", "Guards Armoured Mechanised Brigade (Gardijska oklopno-mehanizirana "
           "brigada)", "heavy", ("Vinkovci", "HRV", 45.288, 18.805),
           "https://www.vecernji.hr/vijesti/milanovic-porucio-vojnicima-prije-i-iznad-svega-"
           "vas-zadatak-je-obrana-hrvatske-domovine-1665605", "B", 2023,
           "Večernji list 2023: 16th anniversary of the brigade (formed 20 Mar 2007) at the "
           "Vinkovci barracks", readiness="Croatian Army"),
    _extra("HRV", "Guards Mechanised Brigade (Gardijska mehanizirana brigada)", "medium",
           ("Knin", "HRV", 44.041, 16.196),
           "https://radio.hrt.hr/radio-knin/vijesti/u-kninu-je-obiljezena-16-obljetnica-"
           "ustrojavanja-gardijske-mehanizirane-brigade-hrvatske-kopnene-vojske-10692000",
           "B", 2023,
           "HRT Radio Knin 2023: 16th anniversary of the Guards Mechanised Brigade, one of the "
           "Croatian Army's two strike formations; medium (wheeled): its mechanised battalions "
           "ride Patria 8x8 (hcz-zu.hr, a veterans' association page)",
           equipment="Patria AMV", readiness="Croatian Army"),
    # --- Slovenia (SVN) ---
    _extra("SVN", "1st Brigade (1. brigada Slovenske vojske)", "light",
           ("Ljubljana (Edvard Peperko barracks)", "SVN", 46.056, 14.532),
           "http://www.slovenskavojska.si/odnosi-z-javnostmi/sporocila-za-javnost/novica/nov/"
           "slovesnost-ob-predaji-in-prevzemu-dolznosti-poveljnika-1-brigade/", "A", 2017,
           "Slovenian Armed Forces General Staff 2017: change of command at the Edvard Peperko "
           "barracks; infantry and mountain regiments (10th infantry, 132nd mountain: Obramba "
           "12/2015)", readiness="Forces Command"),
    _extra("SVN", "72nd Brigade (72. brigada Slovenske vojske)", "light",
           ("Maribor (General Maister barracks)", "SVN", 46.554, 15.646),
           "https://www.slovenskavojska.si/o-vojski/obseg-in-struktura/poveljstvo-sil/"
           "72brigada-slovenske-vojske/", "A", 2024,
           "Slovenian Armed Forces: 20th and 74th infantry regiments, a signals battalion and "
           "a territorial regiment since 2013; builds the battalion battle group",
           readiness="Forces Command"),
    # --- North Macedonia (MKD) ---
    _extra("MKD", "1st Infantry Brigade", "light",
           ("Petrovec ('Strasho Pindzur' barracks)", "MKD", 41.939, 21.615),
           "http://www.mod.gov.mk/?mainnews=sekerinska-na-denot-na-prvata-pesadiska-brigada-"
           "bevte-nasata-prethodnica-vo-nato&lang=en", "A", 2020,
           "Ministry of Defence of North Macedonia 2020: Day of the First Infantry Brigade; "
           "includes the Light Infantry Battalion (NATO-declared)", readiness="Army"),
]

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
        reason = reason or r.get("not_counted_reason", "")
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
           order_of_battle([*_read(args.forces / "order_of_battle.csv"),
                            *EXTRA_ORDER_OF_BATTLE]))
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
