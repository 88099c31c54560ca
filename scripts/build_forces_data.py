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
* No counted row rests on Wikipedia: Wikipedia, its mirrors (``WIKI_MIRRORS``),
  aggregators and content farms are not sources for a counted figure. A raw row
  read at Wikipedia is re-sourced at a primary page (the army's, the ministry's,
  a wire or reputable press: table ``PRIMARY_SOURCES``; the Wikipedia page stays in
  ``note`` as the first lead); one that still rests on Wikipedia after the tables
  is kept out of the totals (``WIKIPEDIA_ONLY_REASON``).
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
from typing import NamedTuple
from urllib.parse import urlparse

from table_io import write_csv  # scripts/table_io.py (scripts/ is on sys.path)

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

#: Why a row still resting on Wikipedia (or a mirror) after the tables is not counted.
WIKIPEDIA_ONLY_REASON = "rests on Wikipedia only; no primary source found"


class Primary(NamedTuple):
    """A primary page for a row read at Wikipedia or a mirror (issue 11).

    ``transcribed_from``: the copy read when the original (a press release) was not read
    at its publisher's own page; ``personnel``: a troop figure [soldiers] the page (or the
    outlet named in ``confirms``) gives, replacing one that came from Wikipedia.
    """

    url: str
    publication: str
    grade: str
    confirms: str
    transcribed_from: str = ""
    personnel: str = ""


_FR_ARMY = "French Ministry of the Armed Forces (armée de Terre)"
_FI_ARMY = "Finnish Army (Maavoimat, Finnish Defence Forces)"
_SE_ARMY = "Swedish Armed Forces (Försvarsmakten)"
_FI_LEVEL = ("a regiment; counted as one brigade-level unit (joukko-osasto, the Finnish "
             "Defence Forces' term for brigades and regiments alike) as the raw table does")
_FI_TYPE = "type not stated by the source: the raw table's (general knowledge)"

#: Rows the raw table (or ``EXTRA_ORDER_OF_BATTLE``) read at Wikipedia or a mirror,
#: re-sourced at a primary page: unit prefix -> :class:`Primary` (what the page confirms:
#: the unit, brigade level, garrison, type). Each page was read in the stored copies; the
#: first 18 were counted on the Wikipedia page alone, the rest were grade C (issue 11).
PRIMARY_SOURCES: dict[str, Primary] = {
    # --- France (FRA) and the Franco-German Brigade (DEU row) ---
    "Deutsch-Französische Brigade": Primary(
        "http://www.defense.gouv.fr/terre/presentation/organisation-des-forces/brigades/"
        "brigade-franco-allemande", _FR_ARMY, "A",
        "the Franco-German Brigade (BFA): 2 French regiments, 3 German battalions, a mixed "
        "support battalion and a German engineer company; HQ at Müllheim since 1992"),
    "2e brigade blindée": Primary(
        "https://france3-regions.francetvinfo.fr/grand-est/emissions/gsuntheim-0/general-"
        "nicolas-casanova-gouverneur-militaire-strasbourg-1439727.html",
        "France 3 Grand Est (France Télévisions)", "B",
        "General Casanova commands the 2e brigade blindée (7,500 soldiers, heir of the 2e DB) "
        "and is military governor of Strasbourg; brigade command post at Illkirch (RAIDS "
        "magazine, raids.fr, on a 2e BB exercise)"),
    "9e brigade d'infanterie de marine": Primary(
        "https://archives.defense.gouv.fr/terre/l-armee-de-terre/le-niveau-divisionnaire/"
        "1re-division/9e-brigade-d-infanterie-de-marine/presentation.html",
        _FR_ARMY + ", archived page updated 26 Apr 2021", "A",
        "9e BIMa headquarters at Quartier Aboville, Poitiers; attached to the 1re division "
        "Scorpion; amphibious crisis-management brigade (current page defense.gouv.fr/"
        "9e-brigade-dinfanterie-marine)"),
    "11e brigade parachutiste": Primary(
        "https://france3-regions.francetvinfo.fr/occitanie/haute-garonne/toulouse/les-"
        "regiments-de-midi-pyrenees-en-alerte-852347.html",
        "France 3 Occitanie (France Télévisions)", "B",
        "2015: the 11e brigade parachutiste's headquarters at Toulouse and its parachute "
        "regiments (Pamiers, Tarbes, Toulouse, Montauban, Calvi, Carcassonne, Castres); the "
        "Army's emergency airborne brigade"),
    "27e brigade d'infanterie de montagne": Primary(
        "https://www.defense.gouv.fr/defense-sud-est/nos-unites/nos-brigades/27e-brigade-"
        "dinfanterie-montagne", _FR_ARMY + " (Défense Sud-Est)", "A",
        "the armée de Terre's mountain emergency brigade, subordinate to the 1re division; "
        "implantation Varces"),
    # --- United Kingdom (GBR) ---
    "16 Air Assault Brigade Combat Team": Primary(
        "https://gazette-news.co.uk/news/24322715.colchester-troops-involved-nato-mission-"
        "estonia", "Daily Gazette, Colchester (Newsquest)", "B",
        "Colchester's 16 Air Assault Brigade Combat Team, part of the British Army's global "
        "response force, jumped and air-assaulted (3 PARA battlegroup, Chinooks) in Exercise "
        "Swift Response in Estonia; the brigade is at Merville Barracks, Colchester (Daily "
        "Gazette, news/11405797)"),
    # --- Italy (ITA) ---
    "Brigata bersaglieri 'Garibaldi'": Primary(
        "https://difesaonline.it/node/19964", "Difesa Online", "B",
        "exercise 'Scacco Matto' of the Bersaglieri Brigade 'Garibaldi' led by its 4th tank "
        "regiment with Ariete tanks, Centauro and Dardo (heavy); garrison Caserta, 'Ferrari "
        "Orsi' barracks, with the 8th Bersaglieri regiment (Pupia TV, June 2023)"),
    # --- Poland (POL) ---
    "6th Airborne Brigade": Primary(
        "http://6bpd.wp.mil.pl/pl/1_338.html",
        "6th Airborne Brigade, Polish Armed Forces (wp.mil.pl)", "A",
        "the brigade's own site, Oct 2018: the 6 Brygada Powietrznodesantowa's feast in "
        "Kraków at its command building ('dowództwo krakowskich spadochroniarzy')"),
    "25th Airmobile Cavalry Brigade": Primary(
        "https://www.rmf24.pl/regiony/lodz/news-elitarna-polska-jednostka-ma-nowego-dowodce,"
        "nId,8050826", "RMF FM (RMF24)", "B",
        "Dec 2025: change of command of the 25th Air Cavalry Brigade in Tomaszów Mazowiecki "
        "(AW149 helicopters); its air-assault role in Polska Zbrojna (MoD publishing "
        "institute), 'Podniebni kawalerzyści'"),
    # --- Finland (FIN) ---
    "Pori Brigade": Primary(
        "https://maavoimat.fi/en/pori-brigade/about-us", _FI_ARMY, "A",
        "trains wartime troops and the Finnish international Rapid Deployment Force; "
        "garrisons Säkylä, Niinisalo, Vaasa and Turku; " + _FI_TYPE),
    "Kainuu Brigade": Primary(
        "https://maavoimat.fi/kainuun-prikaati", _FI_ARMY, "A",
        "one of Finland's largest units (4,000 conscripts), its main parts in Kajaani about "
        "3 km south of the centre; " + _FI_TYPE),
    "Armoured Brigade": Primary(
        "https://www.defmin.fi/sv/aktuellt/pressmeddelanden_och_nyheter/nyhetsarkiv/2021/"
        "forsvarsminister_kaikkonen_besoker_pansarbrigaden.11984.news",
        "Finnish Ministry of Defence", "A",
        "May 2021: the Armoured Brigade (Panssariprikaati) at Parolannummi, Hattula, trains "
        "mainly armoured and air-defence troops"),
    "Jaeger Brigade": Primary(
        "https://maavoimat.fi/en/jaeger-brigade", _FI_ARMY, "A",
        "based in Sodankylä and Rovaniemi, the northernmost brigade-level unit of the "
        "Finnish Defence Forces: Arctic training and air defence, about 2,200 conscripts a "
        "year"),
    "Guard Jaeger Regiment": Primary(
        "https://maavoimat.fi/-/kaartin-jaakarirykmentti-on-valmius-ja-edustusjoukko",
        _FI_ARMY, "A",
        "Aug 2016: the Guard Jaeger Regiment at Santahamina, a readiness unit responsible "
        "for the defence of the capital region, trains troops for combat in built-up "
        "areas; " + _FI_LEVEL),
    "Utti Jaeger Regiment": Primary(
        "https://maavoimat.fi/-/utin-jaakarirykmentti-harjoittelee-mukana-myos-"
        "helikoptereita", _FI_ARMY, "A",
        "May 2024: the Utti Jaeger Regiment exercises around Kouvola with Defence Forces "
        "helicopters (special forces and helicopter operations); " + _FI_LEVEL),
    # --- Sweden (SWE) ---
    "Norrbotten Brigade": Primary(
        "https://www.forsvarsmakten.se/sv/aktuellt/2021/10/stridsledning-radiotjanst-och-"
        "kamratskap/", _SE_ARMY, "A",
        "Oct 2021: the Third Brigade staff, one of Sweden's two brigade staffs, of the "
        "Norrbotten Regiment (I 19) exercises at Boden; a mechanised Norrland brigade is to "
        "be trained and kept in Boden in full (Boden municipality, boden.se, 2021); the "
        "2022 name Norrbotten Brigade (NMekB 19) rests on the Wikipedia lead"),
    "Skaraborg Brigade": Primary(
        "https://www.forsvarsmakten.se/p4", _SE_ARMY, "A",
        "Skaraborg Regiment (P 4), Skövde: the Second Brigade staff (one of two in Sweden) "
        "and the 41st and 42nd armoured battalions with Strv 122 and CV9040; the 2022 name "
        "Skaraborg Brigade (MekB 4) rests on the Wikipedia lead"),
    # --- Spain (ESP) ---
    "Brigada 'Rey Alfonso XIII'": Primary(
        "https://ejercito.defensa.gob.es/gl/unidades/Almeria/brileg/Historial/index.html",
        "Spanish Army (Ejército de Tierra, Ministry of Defence)", "A",
        "the Legion Brigade (BRILEG) headquarters at Viator, Almería, since August 1995; "
        "personnel 3,000 legionnaires (218 women) per Infodefensa (infodefensa.com, "
        "texto-diario/mostrar/4987784, 2024), replacing it.wikipedia's 2,600",
        personnel="3000"),
    # --- rows the raw table read at a Wikipedia mirror (grade C, kept out until now) ---
    # Germany (DEU)
    "Panzerlehrbrigade 9": Primary(
        "https://www.bundeswehr.de/de/auftrag-40906", "Bundeswehr (German Army)", "A",
        "'die Munsteraner Brigade', one of the Army's tank-heavy combat formations under "
        "1. Panzerdivision: Leopard, Puma, Boxer, Fennek"),
    "Panzergrenadierbrigade 37": Primary(
        "https://www.bundeswehr.de/de/organisation/heer/organisation/10-panzerdivision/"
        "panzergrenadierbrigade-37", "Bundeswehr (German Army)", "A",
        "of 10. Panzerdivision, stationed at Frankenberg (Saxony), eight active battalions; "
        "since 2025 on standby in Germany as Multinational Brigade Lithuania until "
        "Panzerbrigade 45 is fully ready (a separate brigade: not inside that row)"),
    "Luftlandebrigade 1": Primary(
        "https://www.saarbruecker-zeitung.de/saarland/saarbruecken/luftlandebrigade-1_aid-"
        "67034819", "Saarbrücker Zeitung", "B",
        "all the Bundeswehr's paratroopers under one command, 4,400 soldiers at five "
        "locations; brigade staff at Saarlouis, Fallschirmjägerregimenter 26 (Zweibrücken) "
        "and 31 (Seedorf)"),
    # Italy (ITA)
    "132a Brigata corazzata 'Ariete'": Primary(
        "https://www.messaggeroveneto.it/cronaca/la-brigata-ariete-ha-compiuto-79-anni-"
        "h21dc10t", "Messaggero Veneto", "B",
        "2018: the 132nd Armoured Brigade 'Ariete', the Italian Army's only armoured brigade, "
        "commanded from the 'Mittica' barracks, Pordenone, since 1949; eight units"),
    "Brigata alpina 'Julia'": Primary(
        "https://friulioggi.it/friuli/brigata-alpina-julia-75-anni-eventi-anniversario-23-"
        "settembre-2024", "Friuli Oggi", "B",
        "2024: the Alpine Brigade 'Julia', eight regiments in Friuli Venezia Giulia, Veneto "
        "and Trentino; change of command at the 'Di Prampero' barracks, Udine"),
    "Brigata alpina 'Taurinense'": Primary(
        "https://www.targatocn.it/2022/04/07/leggi-notizia/argomenti/attualita/articolo/la-"
        "taurinense-compie-70-anni-l11-aprile-la-giornata-dellorgoglio-alpino-a-cuneo.html",
        "Targatocn", "B",
        "April 2022: 70th anniversary at the 'Montegrappa' barracks, Turin, of the Alpine "
        "Brigade 'Taurinense', 5,000 personnel in eight units (Cuneo, Pinerolo, L'Aquila, "
        "Fossano, Bellinzago, Rivoli; command unit at Turin); change of command there "
        "reported by the City of Turin (comune.torino.it)"),
    "Brigata aeromobile 'Friuli'": Primary(
        "https://difesaonline.it/node/20257", "Difesa Online", "B",
        "the Chief of the Army Staff visits the airmobile brigade 'Friuli' at Bologna and "
        "Forlì (its own helicopters; 66th airmobile infantry regiment 'Trieste')"),
    "Brigata di cavalleria 'Pozzuolo del Friuli'": Primary(
        "https://www.friulioggi.it/gorizia/brigata-pozzuolo-del-friuli-celebra-191-anni-"
        "storia-6-marzo-2026/", "Friuli Oggi", "B",
        "March 2026: anniversary at the 'Federico Guella' barracks, Gorizia, seat of the "
        "brigade command; a combined-arms cavalry brigade with the national amphibious "
        "capability"),
    "Brigata meccanizzata 'Pinerolo'": Primary(
        "http://www.baritoday.it/cronaca/cambio-al-comando-della-brigata-pinerolo-6934917."
        "html", "Italian Army, Brigata 'Pinerolo' press release (carried by BariToday)", "B",
        "Sept 2019: change of command at Bari of the only fully digitised brigade, equipped "
        "with the Freccia 8x8 (wheeled: medium)",
        transcribed_from="http://www.baritoday.it/cronaca/cambio-al-comando-della-brigata-"
        "pinerolo-6934917.html"),
    "Brigata meccanizzata 'Aosta'": Primary(
        "https://www.strettoweb.com/2025/02/messina-celebrazioni-anniversario-fondazione-"
        "brigata-meccanizzata-aosta-foto/1871101/", "StrettoWeb", "B",
        "Feb 2025: anniversary of the mechanised brigade 'Aosta' at the 'Crisafulli-"
        "Zuccarello' barracks, Messina; units at Messina, Catania, Palermo and Trapani "
        "(ilMetropolitano, Army press release); type not stated: the raw table's"),
    "Brigata meccanizzata 'Sassari'": Primary(
        "https://www.agenzianova.com/a/65048e04904559.61968007/4543318/2023-09-15/sardegna-"
        "il-generale-stefano-messina-e-il-nuovo-comandante-della-brigata-sassari",
        "Agenzia Nova", "B",
        "Sept 2023: change of command of the Brigata 'Sassari' at the 'Gonzaga' barracks, "
        "Sassari; its command at the 'La Marmora' barracks, Sassari (Alguer.it, 2026)"),
    "Brigata meccanizzata 'Granatieri di Sardegna'": Primary(
        "https://www.esercito.difesa.it/organizzazione/capo-di-sme/Comando-Forze-Operative-"
        "Sud/Brigata-Mec-Granatieri-di-Sardegna", "Italian Army (Esercito Italiano)", "A",
        "a combined-arms brigade for 'presence and surveillance', above all of Rome: a "
        "grenadier, a cavalry and an artillery regiment and a battalion at Spoleto; command "
        "at the 'Gandin' barracks, Rome (Il Giornale)"),
    # Poland (POL)
    "1st Warsaw Armoured Brigade": Primary(
        "https://forsal.pl/kraj/bezpieczenstwo/artykuly/9839224,czolgi-abrams-juz-w-wesolej-"
        "mon-potwierdza-dostawe-amerykanskich-kolo.html", "Forsal.pl (Gazeta Prawna)", "B",
        "July 2025, per the Ministry of National Defence: first M1A2 SEPv3 Abrams for the "
        "1st Warsaw Armoured Brigade at Wesoła (also Siedlce, Biała Podlaska; 18th "
        "Mechanised Division; Leopard 2A5)"),
    "19th Lublin Mechanised Brigade": Primary(
        "https://www.lublin.uw.gov.pl/aktualnosci/19-brygada-zmechanizowana-b%C4%99dzie-mia"
        "%C5%82-sw%C3%B3j-sztandar", "Lublin Voivodeship Office (Polish government)", "A",
        "Feb 2020: the 19th Mechanised Brigade's command formed in Lublin in June 2019 by "
        "the Minister of National Defence's decision (battalions at Chełm and Zamość; full "
        "operational readiness 2022, Radio Lublin); type not stated: the raw table's"),
    "21st Podhale Rifles Brigade": Primary(
        "http://21bsp.wp.mil.pl/pl/71.html",
        "21st Podhale Rifles Brigade, Polish Armed Forces (wp.mil.pl)", "A",
        "10 units, about 4,000 soldiers; command, 1st rifle battalion, command and logistics "
        "battalions in Rzeszów"),
    "12th Szczecin Mechanised Brigade": Primary(
        "http://polska-zbrojna.pl/home/articleshow/31214?title=12-Brygada-swietowala",
        "Polska Zbrojna (Polish MoD Military Publishing Institute)", "A",
        "May 2020: the 12th Mechanised Brigade of Szczecin, garrisons Szczecin, Stargard and "
        "Choszczno"),
    "2nd Legions Mechanised Brigade": Primary(
        "http://12sdz.wp.mil.pl/pl/6_2001.html",
        "12th Mechanised Division, Polish Armed Forces (wp.mil.pl)", "A",
        "July 2017: the 2nd Legions Mechanised Brigade's feast with the Złocieniec "
        "authorities (Radio Szczecin 2023: the brigade's feast at Złocieniec)"),
    "7th Pomeranian Coastal Defence Brigade": Primary(
        "https://nowa.polska-zbrojna.pl/home/articleshow/8914?t=Swieto-niebieskich-beretow-",
        "Polska Zbrojna (Polish MoD Military Publishing Institute)", "A",
        "July 2013: the 7th Coastal Defence Brigade's feast at Słupsk, 12th Division "
        "(Kanał 6 2022: on Słupsk's main square); type not stated: the raw table's"),
    "9th Braniewo Armoured Cavalry Brigade": Primary(
        "http://22pkwkfor.wp.mil.pl/pl/20.html",
        "Polish Military Contingent KFOR, Polish Armed Forces (wp.mil.pl)", "A",
        "the 9th Armoured Cavalry Brigade is stationed in Braniewo, 6 km from the "
        "Kaliningrad border; tank brigade ('we ride tanks today')"),
    "15th Giżycko Mechanised Brigade": Primary(
        "http://15bz.wp.mil.pl/pl/104.html",
        "15th Giżycko Mechanised Brigade, Polish Armed Forces (wp.mil.pl)", "A",
        "the brigade's history page: formed 1994 at Giżycko from the 2nd Mechanised "
        "Regiment, named 'Giżycka' in 1995"),
    # Romania (ROU)
    "81st Mechanised Brigade": Primary(
        "https://stiridinbistrita.ro/start-instructie-in-2020/",
        "81st Mechanised Brigade press office, Romanian Land Forces (carried by Știri din "
        "Bistrița)", "B",
        "Jan 2020: the brigade's training year opened with its command, the 812th Infantry "
        "Battalion 'Bistrița' and the 405th Logistic Support Battalion, 4th Infantry "
        "Division 'Gemina'; 'the 81st Mechanised Brigade of Bistrița' in a Land Forces "
        "convoy notice (Realitatea de Mehedinți); type not stated: the raw table's",
        transcribed_from="https://stiridinbistrita.ro/start-instructie-in-2020/"),
    # Turkey (TUR), an added row
    "4th Mechanised Infantry Brigade": Primary(
        "https://hurriyet.com.tr/yerel-haberler/edirne/kesan/kesanin-dusman-isgalinden-"
        "kurtulusunun-96nci-41024140", "DHA, Demirören News Agency (carried by Hürriyet)", "B",
        "Nov 2018: the commander of the Keşan 4th Mechanised Infantry Brigade at the Keşan "
        "ceremony; 'Keşan/Edirne' in a 2023 Defence Ministry exercise post (İste Çanakkale)",
        transcribed_from="https://hurriyet.com.tr/yerel-haberler/edirne/kesan/kesanin-dusman-"
        "isgalinden-kurtulusunun-96nci-41024140"),
}

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


def provenance(url: str) -> tuple[str, str, str]:
    """``(source, source_publication, transcribed_from)`` of a URL read."""
    if not url.startswith(("http://", "https://")):
        raise SystemExit(f"not a URL: {url!r}; every raw row must cite an http(s) URL")
    domain = urlparse(url).netloc.lower().rstrip(".")
    if any(m in domain for m in WIKI_MIRRORS):
        return url, "Wikipedia (copy on a mirror site)", url
    if domain.endswith("wikipedia.org"):
        return url, "Wikipedia", ""
    for known, (publication, is_copy) in PUBLISHERS.items():
        if domain == known or domain.endswith("." + known):
            return url, publication, url if is_copy else ""
    return url, domain.removeprefix("www."), ""


def is_wikipedia(url: str) -> bool:
    """Whether ``url`` is a Wikipedia page or a copy of one (a mirror, kiwix, IPFS)."""
    domain = urlparse(url).netloc.lower().rstrip(".")
    return domain.endswith("wikipedia.org") or any(m in domain for m in WIKI_MIRRORS)


def _primary_source(out: dict[str, str], raw: dict[str, str], derived: list[str]) -> None:
    """Re-source a row read at Wikipedia at its primary page (``PRIMARY_SOURCES``)."""
    primary = next((v for k, v in PRIMARY_SOURCES.items() if raw["unit"].startswith(k)), None)
    if primary is None or not is_wikipedia(raw["source_url"]):
        return
    out.update(source=primary.url, source_publication=primary.publication,
               transcribed_from=primary.transcribed_from, grade=primary.grade)
    out["note"] = f"{out['note']}; first lead (not a source): {raw['source_url']}"
    derived.append("re-sourced at a primary page (issue 11): " + primary.confirms)
    if primary.personnel:
        out["personnel"] = primary.personnel


def _not_counted_reason(out: dict[str, str], raw: dict[str, str]) -> str:
    """Why a row stays out of every force total (empty: it is counted)."""
    reason = next((v for k, v in NOT_COUNTED.items() if raw["unit"].startswith(k)), "")
    reason = reason or raw.get("not_counted_reason", "")
    if not reason and is_wikipedia(out["source"]):
        reason = WIKIPEDIA_ONLY_REASON
    if not reason and out["grade"] == "C":
        reason = ("grade C source (mirror, blog or aggregator) not re-sourced: kept out "
                  "of force totals")
    return reason


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
        _primary_source(out, r, derived)
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
        reason = _not_counted_reason(out, r)
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


#: Raw link notes reworded: where the source names no US port or airport, the end the
#: table uses is a named assumption of the model, and the note says which.
LINK_NOTE_WORDING: dict[str, str] = {
    "Savannah used as placeholder origin.":
        "The link starts at Savannah: a named assumption (the model splits the US flow "
        "evenly over its four US ports, US_SAV, US_CHS, US_BMT and US_CC).",
    "CONUS APOE/APOD pair is a placeholder.":
        "The airports of embarkation and debarkation are not stated: Savannah to Powidz "
        "is a named assumption.",
}


def corridor_links(raw: list[dict[str, str]]) -> list[dict[str, str]]:
    """Corridor links with ids, gauge, transload flag and the planned Rail Baltica rows."""
    rows = []
    planned = [{**r, "status": "planned", "gauge": "1435"} for r in RAIL_BALTICA]
    for n, r in enumerate([*raw, *planned], start=1):
        out = {**r, **_source_cells(r["source_url"], r["source_grade"])}
        for raw_words, words in LINK_NOTE_WORDING.items():
            out["note"] = out.get("note", "").replace(raw_words, words)
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
    write_csv(tables / "order_of_battle.csv",
              order_of_battle([*_read(args.forces / "order_of_battle.csv"),
                               *EXTRA_ORDER_OF_BATTLE]), OOB_COLUMNS)
    write_csv(tables / "readiness_standards.csv",
              readiness_standards(_read(args.forces / "readiness_standards.csv")),
              READINESS_COLUMNS)
    write_csv(tables / "corridor_nodes.csv",
              corridor_nodes(_read(args.mobility / "corridor_nodes.csv")), NODE_COLUMNS)
    write_csv(tables / "corridor_links.csv",
              corridor_links(_read(args.mobility / "corridor_links.csv")), LINK_COLUMNS)
    write_csv(tables / "movement_factors.csv",
              movement_factors(_read(args.mobility / "movement_factors.csv")), FACTOR_COLUMNS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
