"""Build the bundled spending tables of alliance from the researched raw data.

Reads ``../shared/data/spending`` (or the folder given as first argument) and
writes ``src/alliance/data/tables/{allies,defence_expenditure,gdp,
gdp_growth_forecast,inflation_forecast,pledges,nato_aggregates}.csv``. Figures are
copied exactly; every row keeps its source URL. Where a figure is derived (money =
share x GDP), the row says how in ``derived``.

Provenance (issue 13): every spending row names the ORIGINAL publication in
``source`` (its official URL) and ``publication`` (title, table), the page the
figure was actually read on in ``transcribed_from`` (empty when read at the
original), a ``status`` (actual | estimate | provisional | projection) and
``headline`` (false, with ``headline_note``, for a row that rests only on an
aggregator, mirror or personal site: such rows stay out of every headline count).
The map from pages read to original publications is ``ORIGINALS`` below; the
sites that cannot carry a counted figure are ``NOT_CITABLE``. The curated tables
``fx_rates`` and ``sipri_milex`` get the same columns in place (idempotent).

Run: python scripts/build_spending_data.py [/path/to/shared/data/spending]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "alliance" / "data" / "tables"

NATO_MEMBERS_URL = "https://www.nato.int/cps/en/natohq/topics_52044.htm"
EU_MEMBERS_URL = "https://european-union.europa.eu/principles-countries-history/eu-countries_en"
CAPITALS_URL = (
    "https://github.com/olve/newsmap/blob/9ad8856ba48773f1afb0ce78bf04c89aa2fd5e99/"
    "static/js/COUNTRY_CAPITAL_COORDINATES.js"
)
RUSSIA_BORDERS_URL = "https://en.wikipedia.org/wiki/Borders_of_Russia"
BELARUS_BORDERS_URL = "https://en.wikipedia.org/wiki/Geography_of_Belarus"

# iso3, name, accession year, EU member, land border with Russia or Belarus,
# capital, latitude, longitude (capital coordinates as in CAPITALS_URL).
ALLIES: list[tuple[str, str, int, bool, bool, str, float, float]] = [
    ("ALB", "Albania", 2009, False, False, "Tirana", 41.31666666666667, 19.816667),
    ("BEL", "Belgium", 1949, True, False, "Brussels", 50.833333333333336, 4.333333),
    ("BGR", "Bulgaria", 2004, True, False, "Sofia", 42.68333333333333, 23.316667),
    ("CAN", "Canada", 1949, False, False, "Ottawa", 45.416666666666664, -75.7),
    ("HRV", "Croatia", 2009, True, False, "Zagreb", 45.8, 16.0),
    ("CZE", "Czechia", 1999, True, False, "Prague", 50.083333333333336, 14.466667),
    ("DNK", "Denmark", 1949, True, False, "Copenhagen", 55.666666666666664, 12.583333),
    ("EST", "Estonia", 2004, True, True, "Tallinn", 59.43333333333333, 24.716667),
    ("FIN", "Finland", 2023, True, True, "Helsinki", 60.166666666666664, 24.933333),
    ("FRA", "France", 1949, True, False, "Paris", 48.86666666666667, 2.333333),
    ("DEU", "Germany", 1955, True, False, "Berlin", 52.516666666666666, 13.4),
    ("GRC", "Greece", 1952, True, False, "Athens", 37.983333333333334, 23.733333),
    ("HUN", "Hungary", 1999, True, False, "Budapest", 47.5, 19.083333),
    ("ISL", "Iceland", 1949, False, False, "Reykjavik", 64.15, -21.95),
    ("ITA", "Italy", 1949, True, False, "Rome", 41.9, 12.483333),
    ("LVA", "Latvia", 2004, True, True, "Riga", 56.95, 24.1),
    ("LTU", "Lithuania", 2004, True, True, "Vilnius", 54.68333333333333, 25.316667),
    ("LUX", "Luxembourg", 1949, True, False, "Luxembourg", 49.6, 6.116667),
    ("MNE", "Montenegro", 2017, False, False, "Podgorica", 42.43333333333333, 19.266667),
    ("NLD", "Netherlands", 1949, True, False, "Amsterdam", 52.35, 4.916667),
    ("MKD", "North Macedonia", 2020, False, False, "Skopje", 42.0, 21.433333),
    ("NOR", "Norway", 1949, False, True, "Oslo", 59.916666666666664, 10.75),
    ("POL", "Poland", 1999, True, True, "Warsaw", 52.25, 21.0),
    ("PRT", "Portugal", 1949, True, False, "Lisbon", 38.71666666666667, -9.133333),
    ("ROU", "Romania", 2004, True, False, "Bucharest", 44.43333333333333, 26.1),
    ("SVK", "Slovakia", 2004, True, False, "Bratislava", 48.15, 17.116667),
    ("SVN", "Slovenia", 2004, True, False, "Ljubljana", 46.05, 14.516667),
    ("ESP", "Spain", 1982, True, False, "Madrid", 40.4, -3.683333),
    ("SWE", "Sweden", 2024, True, False, "Stockholm", 59.333333333333336, 18.05),
    ("TUR", "Türkiye", 1952, False, False, "Ankara", 39.93333333333333, 32.866667),
    ("GBR", "United Kingdom", 1949, False, False, "London", 51.5, -0.083333),
    ("USA", "United States", 1949, False, False, "Washington, D.C.", 38.883333, -77.0),
]

# National target used by the `national` spending path, per ally: the row of
# pledges.csv (matched on actor and target year) that is the latest dated
# national plan on the NATO definition. Rule: a dated target beats an undated
# ambition; the latest target year wins; Spain's ceiling is a target too.
NATIONAL_PATH_ROWS: dict[str, tuple[str, str, str]] = {
    "DEU": ("Germany", "2029", "Reach 3.5%"),
    "POL": ("Poland", "2026", "draft budget"),  # an adopted figure beats an ambition
    "EST": ("Estonia, Latvia, Lithuania", "2026", "5% of GDP"),
    "LVA": ("Estonia, Latvia, Lithuania", "2026", "5% of GDP"),
    "LTU": ("Estonia, Latvia, Lithuania", "2026", "5% of GDP"),
    "GBR": ("United Kingdom", "2027", "2.5% of GDP"),  # core; the 4.1 % adds resilience
    "FIN": ("Finland", "2029", "3% of GDP"),
    "ESP": ("Spain", "", "ceiling"),
    "CAN": ("Canada", "2025", "2% of GDP"),
    "BEL": ("Belgium", "2025", "2% of GDP"),
}

# --- Provenance: original publications, pages read, sites that cannot carry a counted figure

NATO_2025_PDF = "https://www.nato.int/content/dam/nato/webready/documents/finance/def-exp-2025-en.pdf"
NATO_2025_RELEASE = (
    "https://www.nato.int/en/news-and-events/articles/news/2025/08/28/"
    "defence-expenditure-of-nato-countries-2014-2025"
)
NATO_2025 = (
    "NATO, Defence Expenditure of NATO Countries (2014-2025), press release and PDF of "
    "28 Aug 2025 (data cut-off 3 Jun 2025; 2024 and 2025 are estimates)"
)
HAGUE_DECLARATION = "https://www.nato.int/cps/en/natohq/official_texts_236705.htm"
HAGUE = "NATO, The Hague Summit Declaration, 25 Jun 2025"
IMF_WEO_OCT_2025 = "https://www.imf.org/en/Publications/WEO/weo-database/2025/October"
WDI_GDP = "https://data.worldbank.org/indicator/NY.GDP.MKTP.CD"
IRS_FX = (
    "https://www.irs.gov/individuals/international-taxpayers/yearly-average-currency-exchange-rates"
)
SIPRI_MILEX = "https://www.sipri.org/databases/milex"
UGENT_TABLE3 = (
    "https://github.com/Datavisualiatie-UGent/project-dv26-2/blob/"
    "ee88433924b67ff92a67bf2c663bc3556b60bf57/assets/shareofgdp.csv"
)
ERR_BALTIC_5PCT = (
    "https://news.err.ee/1609703727/baltics-call-for-nato-members-to-spend-5-of-gdp-on-defense"
)
DPA_2014_THREE_ALLIES = "https://news.yahoo.com/unprecedented-11-rise-defence-spending-110118271.html"
AGENCE_EUROPE_HAGUE = "https://agenceurope.eu/en/bulletin/detail/13667"
ESUT_GERMANY_PLAN = (
    "https://esut.de/2025/06/meldungen/60842/verteidigungshaushalt-2025-steigt-auf-624-milliarden-euro/"
)


@dataclass(frozen=True)
class Original:
    """The original publication a transcribed figure comes from."""

    url: str
    publication: str


def _table(n: int, what: str) -> Original:
    return Original(NATO_2025_PDF, f"{NATO_2025}, Table {n}: {what}")


#: Page read (URL prefix) -> the original publication it transcribes or reports.
ORIGINALS: dict[str, Original] = {
    "https://github.com/namanjain92/NATO-Analytics/": _table(
        3, "defence expenditure as a share of GDP (%)"
    ),
    "https://github.com/Datavisualiatie-UGent/project-dv26-2/blob/ee884": _table(
        3, "defence expenditure as a share of GDP (%)"
    ),
    "https://github.com/Datavisualiatie-UGent/project-dv26-2/blob/de13c": _table(
        8, "distribution of defence expenditure by main category; Table 7: military personnel"
    ),
    "https://rdrr.io/cran/stevedata/": Original(NATO_2025_RELEASE, NATO_2025),
    "https://www.24chasa.bg/": _table(
        3, "Germany 2025 at the 2 % floor as NATO's tables show it provisionally (the Excel "
        "cell is empty)"
    ),
    "https://tass.com/world/2008301": Original(NATO_2025_RELEASE, NATO_2025),
    "https://www.forcesnews.com/": Original(NATO_2025_RELEASE, NATO_2025),
    "https://www.skai.gr/": Original(NATO_2025_RELEASE, NATO_2025),
    "https://www.tportal.hr/": Original(NATO_2025_RELEASE, NATO_2025),
    "https://en.defence-ua.com/": _table(2, "defence expenditure, constant 2021 prices"),
    "https://defenceagenda.com/": _table(2, "defence expenditure, current prices"),
    "https://github.com/datasets/gdp/": Original(
        WDI_GDP, "World Bank, World Development Indicators, NY.GDP.MKTP.CD (GDP, current US$)"
    ),
    "https://github.com/Nielssouza/DJANGO-DASH/": Original(
        IMF_WEO_OCT_2025, "IMF, World Economic Outlook database, October 2025: NGDPD (GDP, "
        "current prices, USD bn)"
    ),
    "https://github.com/franzmohr/macroprojections/": Original(
        IMF_WEO_OCT_2025, "IMF, World Economic Outlook database, October 2025 (published "
        "14 Oct 2025): NGDP_RPCH and PCPIPCH"
    ),
    "https://www.firstpost.com/": Original(HAGUE_DECLARATION, HAGUE),
    "https://en.parapolitika.gr/": Original(HAGUE_DECLARATION, HAGUE),
    "https://agenceurope.eu/": Original(HAGUE_DECLARATION, HAGUE),
    "https://euro2.net/": Original(IRS_FX, "US Internal Revenue Service, Yearly average "
                                   "currency exchange rates"),
    "https://www.cpasforexpats.com/": Original(IRS_FX, "US Internal Revenue Service, Yearly "
                                               "average currency exchange rates"),
    "https://www.icaew.com/": Original(SIPRI_MILEX, "SIPRI Military Expenditure Database, "
                                       "April 2026 release (2025 data)"),
    "https://nicklotito.com/": Original(SIPRI_MILEX, "SIPRI Military Expenditure Database, "
                                        "April 2025 release (2024 data)"),
    "https://www.politico.eu/article/germany-berlin": Original(
        SIPRI_MILEX, "SIPRI Military Expenditure Database, April 2025 release (2024 data)"
    ),
    "https://martinwheatcroft.com/": Original(SIPRI_MILEX, "SIPRI Military Expenditure "
                                              "Database, April 2024 release (2023 data)"),
}

#: Sites that cannot carry a counted figure (aggregator networks, content farms, mirrors,
#: reprint sites, personal sites): a row resting only on one gets headline=false.
NOT_CITABLE: dict[str, str] = {
    "news-pravda.com": "news-pravda aggregator network only (marked UNVERIFIED in the raw data)",
    "welingelichtekringen.nl": "news aggregator reposting ANP/Bloomberg/Reuters; the primary "
    "report was not read",
    "pamfleti.net": "reprint of a Politico article on a reprint site; the SG Annual Report 2025 "
    "was not read",
    "vhueurope.com": "mirror of a Sky News live page",
    "news.by": "Belarusian state outlet relaying a minister, marked UNVERIFIED in the raw data",
    "nicklotito.com": "personal site's chart labelled SIPRI; the SIPRI database was not read",
    "highgainstoday.com": "content farm",
}


def _citable(page: str) -> tuple[bool, str]:
    for site, reason in NOT_CITABLE.items():
        if site in page:
            return False, reason
    return True, ""


def provenance(page: str) -> dict[str, object]:
    """``source``, ``publication``, ``transcribed_from``, ``headline`` and its note of a row.

    ``page`` is the URL the figure was read on. When it transcribes a known original,
    ``source`` becomes the original and ``transcribed_from`` the page; otherwise the page
    is the source (read at the original, or the original's URL is unknown).
    """
    original = next((o for prefix, o in ORIGINALS.items() if page.startswith(prefix)), None)
    ok, reason = _citable(page)
    return {
        "source": original.url if original else page,
        "publication": original.publication if original else "",
        "transcribed_from": page if original else "",
        "headline": ok,
        "headline_note": reason,
    }


def with_provenance(df: pd.DataFrame, page_column: str = "source") -> pd.DataFrame:
    """``df`` with the provenance columns derived from ``page_column`` (the page read).

    Rows that already name a ``transcribed_from`` (a curated table built before) keep it.
    """
    out = df.copy()
    pages = out[page_column].astype(str)
    if "transcribed_from" in out.columns:
        done = out["transcribed_from"].fillna("").astype(str) != ""
        pages = pages.where(~done, out["transcribed_from"].astype(str))
    prov = pd.DataFrame([provenance(p) for p in pages], index=out.index)
    for column in prov.columns:
        if column == "publication" and column in out.columns:
            keep = out[column].fillna("").astype(str) != ""
            out[column] = out[column].where(keep, prov[column])
        else:
            out[column] = prov[column]
    return out

#: Provenance columns every spending table carries (see ``provenance``).
PROV_COLUMNS = ["publication", "transcribed_from", "headline", "headline_note"]


def _table3_copy_2025(src: Path) -> dict[str, tuple[float, str]]:
    """NATO Table 3 2025 estimates per ally as the checked copy gives them (unrounded).

    From ``verification_third_pass.csv`` (claims "XXX 2025 share of GDP ..."): value and
    the copy's URL. Germany is absent: the copy leaves its cell empty.
    """
    v = pd.read_csv(src / "verification_third_pass.csv")
    hit = v["claim"].str.match(r"^[A-Z]{3} 2025 share of GDP ") & (v["verdict"] == "verified")
    hit &= v["source_url"] == UGENT_TABLE3
    return {
        str(c)[:3]: (float(val), str(url))
        for c, val, url in zip(v.loc[hit, "claim"], v.loc[hit, "value"], v.loc[hit, "source_url"],
                               strict=True)
    }


def _table3_2025(src: Path, shares: pd.DataFrame) -> pd.DataFrame:
    """Replace the press figures of 2025 by NATO Table 3 as the checked copy holds it.

    The press (Defense Express, Forces News, ANP, Mediafax, ...) rounded NATO's figures to
    1-2 decimals; the copy reproduces every one of them at that precision
    (verification_third_pass.csv). Each replaced row says so in ``note``.
    """
    out = shares.copy()
    copy = _table3_copy_2025(src)
    for i in out.index[out["year"] == 2025]:
        iso3 = str(out.loc[i, "iso3"])
        if iso3 not in copy or out.loc[i, "source"] == UGENT_TABLE3:
            continue
        value, url = copy[iso3]
        old, page = out.loc[i, "share_gdp_pct"], out.loc[i, "source"]
        out.loc[i, "note"] = (
            f"re-sourced to NATO Table 3 (copy, unrounded {value}); replaces the press "
            f"figure {old} read on {page}"
        )
        out.loc[i, ["share_gdp_pct", "source", "source_grade"]] = [value, url, "B"]
    return out


def _pledge_grade(url: str) -> str:
    """Reliability of a pledge source: A official or major wire, B press, C weak."""
    a = ("nato.int", "err.ee", "abcnews.go.com", "belganewsagency", "tass.com", "agenceurope")
    c = ("news.by", "vhueurope", "highgainstoday")
    if any(x in url for x in a):
        return "A"
    return "C" if any(x in url for x in c) else "B"


#: Pledge rows whose figure is re-sourced: (actor, words of the pledge) -> new page read.
PLEDGE_RESOURCED: dict[tuple[str, str], tuple[str, str]] = {
    ("Estonia, Latvia, Lithuania", "5% of GDP from 2026"): (
        ERR_BALTIC_5PCT,
        "ERR News (Estonian public broadcaster), 23 May 2025: the three Baltic states have "
        "committed to 5 % of GDP from 2026 (replaces a content-farm page)",
    ),
    ("NATO (Hague Summit, 25 Jun 2025)", "Annual national plans"): (
        AGENCE_EUROPE_HAGUE,
        "Agence Europe (Jun 2025) on the declaration's 2029 review clause (replaces the "
        "particle.news digest)",
    ),
}
#: The alliance-wide pledge levels (``pledge_level``), matched on actor and pledge words.
PLEDGE_LEVELS: dict[tuple[str, str], str] = {
    ("NATO (Wales Summit, 5 Sep 2014)", "move towards 2%"): "two_pct",
    ("NATO (Hague Summit, 25 Jun 2025)", "Total defence"): "total",
    ("NATO (Hague Summit, 25 Jun 2025)", "Core defence"): "core",
    ("NATO (Hague Summit, 25 Jun 2025)", "Defence- and security-related"): "related",
}
#: National plans in money (issue 13): (actor, target year, pledge words) ->
#: (amount in billions, currency, basis, page read).
MONEY_PLANS: dict[tuple[str, str, str], tuple[float, str, str, str]] = {
    ("Germany", "2029", "Reach 3.5%"): (
        152.8,
        "EUR",
        "core defence budget (Einzelplan 14) in 2029, current prices, in the federal "
        "government's Finanzplan to 2029 (Bundesministerium der Finanzen, cabinet 24 Jun "
        "2025): EUR 62.4bn (2025), 82.7 (2026), 93.3 (2027), 136.5 (2028), 152.8 (2029); the "
        "NATO-definition total incl. about EUR 9bn a year for Ukraine is about EUR 162bn in "
        "2029 (Augen geradeaus!, 23 Jun 2025). The BMF/Bundestag document itself was not in "
        "the stored copies; read on esut.de, confirmed by stern (dpa) and taz (AFP)",
        ESUT_GERMANY_PLAN,
    ),
}


def _pledge_status(actor: str, year: str) -> str:
    """actual: an agreed alliance text; estimate: a current-year level; projection: a plan."""
    if actor.startswith("NATO"):
        return "actual"
    return "estimate" if year and int(year) <= 2025 else "projection"


def _write(df: pd.DataFrame, name: str) -> None:
    path = OUT / f"{name}.csv"
    df.to_csv(path, index=False, lineterminator="\n")
    print(f"wrote {path.relative_to(ROOT)} ({len(df)} rows)")


def build_allies() -> pd.DataFrame:
    rows = []
    for iso3, name, year, eu, border, capital, lat, lon in ALLIES:
        rows.append(
            {
                "iso3": iso3,
                "name": name,
                "accession_year": year,
                "eu_member": eu,
                "borders_russia_belarus": border,
                "capital": capital,
                "capital_lat": lat,
                "capital_lon": lon,
                "source": NATO_MEMBERS_URL,
                "eu_member_source": EU_MEMBERS_URL,
                "capital_source": CAPITALS_URL,
                "border_source": BELARUS_BORDERS_URL
                if iso3 == "POL"
                else RUSSIA_BORDERS_URL
                if border
                else RUSSIA_BORDERS_URL,
                "derived": (
                    "capital coordinates: the source's United States row has shifted cells; "
                    "latitude 38.883333 and longitude -77.000000 read from them"
                    if iso3 == "USA"
                    else ""
                ),
            }
        )
    return pd.DataFrame(rows)


def _grade(note: str) -> str:
    for grade in ("A", "B", "C"):
        if f"Grade {grade}" in note or f"grade {grade}" in note:
            return grade
    return ""


def build_gdp(src: Path) -> pd.DataFrame:
    wb = pd.read_csv(src / "gdp.csv")
    wb = wb.rename(columns={"country_iso3": "iso3", "gdp_usd_current_bn": "gdp_usd_bn"})
    wb["vintage"] = "World Bank WDI NY.GDP.MKTP.CD (datasets/gdp, 2026-03-20)"
    wb["status"] = "actual"
    wb["source_grade"] = "B"
    imf = pd.read_csv(src / "gdp_levels_imf.csv")
    imf = imf.rename(columns={"country_iso3": "iso3", "gdp_usd_current_bn": "gdp_usd_bn"})
    imf["status"] = imf["year"].map(lambda y: "actual" if y <= 2024 else "projection")
    imf["source_grade"] = imf["note"].map(_grade).replace("", "B")
    cols = ["iso3", "year", "gdp_usd_bn", "status", "vintage", "source", "source_grade"]
    out = pd.concat(
        [
            wb.rename(columns={"source_url": "source"})[cols],
            imf.rename(columns={"source_url": "source"})[cols],
        ],
        ignore_index=True,
    )
    out = with_provenance(out)[[*cols[:6], *PROV_COLUMNS, "source_grade"]]
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def build_forecasts(src: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    growth = pd.read_csv(src / "gdp_growth_forecast.csv").rename(
        columns={"country_iso3": "iso3", "source_url": "source"}
    )
    growth["source_grade"] = growth["note"].map(_grade)
    growth["status"] = "projection"  # IMF staff projections from 2025 on (Oct 2025 WEO)
    growth = with_provenance(growth)[
        ["iso3", "year", "real_growth_pct", "status", "vintage", "source", *PROV_COLUMNS,
         "source_grade"]
    ]
    infl = pd.read_csv(src / "inflation_forecast_imf.csv").rename(
        columns={"country_iso3": "iso3", "source_url": "source"}
    )
    infl["source_grade"] = infl["note"].map(_grade)
    infl["status"] = "projection"
    infl = with_provenance(infl)[
        ["iso3", "year", "inflation_pct", "indicator", "status", "vintage", "source",
         *PROV_COLUMNS, "source_grade"]
    ]
    return growth, infl


#: Raw notes reworded where they call a published figure a "placeholder": the figure
#: is NATO's own provisional estimate, and the row says so in ``status``.
NOTE_WORDING: dict[str, str] = {
    "Provisional placeholder pending the Bundestag budget":
        "NATO's figure is provisional, pending the Bundestag budget",
}


def build_defence_expenditure(src: Path, gdp: pd.DataFrame) -> pd.DataFrame:
    main = pd.read_csv(src / "nato_defence_expenditure.csv")
    main["note"] = ""
    main["edition"] = "NATO 2014-2025 (Aug 2025)"
    add1 = pd.read_csv(src / "nato_2025_additions.csv")
    add2 = pd.read_csv(src / "nato_2025_additions_2.csv")
    add1["edition"] = add2["edition"] = "NATO 2014-2025 (Aug 2025)"
    # additions_2 fills allies that additions_1 left empty; drop those empty rows first.
    filled_by_2 = set(add2["country_iso3"])
    add1 = add1[~(add1["country_iso3"].isin(filled_by_2) & add1["share_gdp_pct"].isna())]
    shares = pd.concat([main, add1, add2], ignore_index=True)
    for raw_words, words in NOTE_WORDING.items():
        shares["note"] = shares["note"].str.replace(raw_words, words, regex=False)
    shares = shares.rename(columns={"country_iso3": "iso3", "source_url": "source"})
    dup = shares.duplicated(["iso3", "year"], keep=False)
    if dup.any():
        raise SystemExit(f"duplicate ally-years in share sources: {shares[dup]}")
    shares["source_grade"] = shares["note"].fillna("").map(_grade)
    shares.loc[shares["source_grade"] == "", "source_grade"] = "B"
    germany_2025 = (shares["iso3"] == "DEU") & (shares["year"] == 2025)
    shares.loc[germany_2025, "status"] = "provisional"
    shares = _table3_2025(src, shares)
    shares = with_provenance(shares)

    extra = pd.read_csv(src / "nato_2025_edition_tables_extra.csv")
    split = extra.pivot_table(
        index=["country_iso3", "year"], columns="metric", values="value", aggfunc="first"
    ).reset_index()
    split = split.rename(columns={"country_iso3": "iso3"})
    split_source = (
        extra.groupby(["country_iso3", "year"])["source_url"].first().rename("split_source")
    )
    split = split.merge(
        split_source.reset_index().rename(columns={"country_iso3": "iso3"}), on=["iso3", "year"]
    )
    rename = {
        "equipment_share_pct": "equipment_share_pct",
        "personnel_share_pct": "personnel_share_pct",
        "infrastructure_share_pct": "infrastructure_share_pct",
        "other_share_pct": "other_share_pct",
        "personnel_k": "military_personnel_k",
    }
    split = split[["iso3", "year", "split_source", *rename]].rename(columns=rename)
    split["split_transcribed_from"] = split["split_source"]
    split["split_source"] = [provenance(u)["source"] for u in split["split_source"]]

    out = shares[
        ["iso3", "country", "year", "share_gdp_pct", "status", "edition", "source",
         *PROV_COLUMNS, "source_grade", "note"]
    ].rename(columns={"country": "name"})
    out = out.merge(split, on=["iso3", "year"], how="left")

    # Money: derived as share x GDP where both are known.
    g = gdp.set_index(["iso3", "year"])
    money, how = [], []
    for iso3, year, share in zip(out["iso3"], out["year"], out["share_gdp_pct"], strict=True):
        if pd.isna(share) or (iso3, year) not in g.index:
            money.append(float("nan"))
            how.append("")
            continue
        row = g.loc[(iso3, year)]
        money.append(round(share / 100.0 * row["gdp_usd_bn"] * 1000.0, 3))
        how.append(
            "spending_musd_current = share_gdp_pct/100 x GDP (gdp table, "
            f"{row['vintage'].split(' (')[0]}, {year}); NATO uses its own GDP series"
        )
    out["spending_musd_current"] = money
    out["derived"] = how

    pub = pd.read_csv(src / "nato_usd_current.csv")
    pub = pub[pub["edition"] == "NATO 2014-2025 (Aug 2025)"]
    pub = pub.rename(
        columns={
            "country_iso3": "iso3",
            "expenditure_usd_current_m": "spending_musd_current_published",
            "source_url": "published_source",
        }
    )
    pub["published_grade"] = pub["note"].map(_grade)
    pub = pub.drop_duplicates(["iso3", "year"], keep="first")
    out = out.merge(
        pub[
            [
                "iso3",
                "year",
                "spending_musd_current_published",
                "published_source",
                "published_grade",
            ]
        ],
        on=["iso3", "year"],
        how="left",
    )
    ordered = [
        "iso3",
        "name",
        "year",
        "share_gdp_pct",
        "spending_musd_current",
        "spending_musd_current_published",
        "equipment_share_pct",
        "personnel_share_pct",
        "infrastructure_share_pct",
        "other_share_pct",
        "military_personnel_k",
        "status",
        "edition",
        "source",
        *PROV_COLUMNS,
        "source_grade",
        "split_source",
        "split_transcribed_from",
        "published_source",
        "published_grade",
        "derived",
        "note",
        "imported_from",  # filled only by `alliance data import nato` overlays (issue 13)
    ]
    out["imported_from"] = ""
    out = out[[c for c in ordered if c in out.columns]]
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def _match(p: pd.DataFrame, actor: str, words: str, year: str | None = None) -> int:
    hit = (p["actor"] == actor) & p["pledge"].str.contains(words, regex=False)
    if year is not None:
        hit &= p["target_year"] == year
    if hit.sum() != 1:
        raise SystemExit(f"pledges: row {actor!r} / {words!r} not found once")
    return int(p.index[hit][0])


def build_pledges(src: Path) -> pd.DataFrame:
    p = pd.read_csv(src / "pledges.csv", dtype={"target_year": "string"})
    p = p.rename(columns={"source_url": "source"})
    p["target_year"] = p["target_year"].fillna("")
    p["pledge_level"] = ""
    for (actor, words), level in PLEDGE_LEVELS.items():
        p.loc[_match(p, actor, words), "pledge_level"] = level
    for (actor, words), (page, why) in PLEDGE_RESOURCED.items():
        i = _match(p, actor, words)
        p.loc[i, "detail"] = f"{p.loc[i, 'detail']}. Re-sourced: {why}"
        p.loc[i, "source"] = page
    money = {"target_money_bn": float("nan"), "target_money_currency": "",
             "target_money_basis": "", "target_money_source": ""}
    for column, empty in money.items():
        p[column] = empty
    for (actor, year, words), (amount, currency, basis, page) in MONEY_PLANS.items():
        i = _match(p, actor, words, year)
        p.loc[i, list(money)] = [amount, currency, basis, page]
    p["national_path_iso3"] = ""
    for iso3, (actor, year, words) in NATIONAL_PATH_ROWS.items():
        idx = _match(p, actor, words, year)
        p.loc[idx, "national_path_iso3"] = "|".join(
            x for x in [p.loc[idx, "national_path_iso3"], iso3] if x
        )
    p["status"] = [_pledge_status(a, y) for a, y in zip(p["actor"], p["target_year"],
                                                          strict=True)]
    p = with_provenance(p)
    p["source_grade"] = [_pledge_grade(u) for u in p["source"].where(
        p["transcribed_from"] == "", p["transcribed_from"])]
    p.insert(0, "pledge_id", range(1, len(p) + 1))
    cols = ["pledge_id", "actor", "pledge", "target_share_gdp_pct", "target_year",
            *money, "detail", "pledge_level", "status", "source", *PROV_COLUMNS,
            "source_grade", "national_path_iso3"]
    return p[cols]


#: nato_aggregates rows re-sourced: (aggregate, year, metric) -> (value, page, note).
AGGREGATES_RESOURCED: dict[tuple[str, int, str], tuple[float | None, str, str]] = {
    ("NATO Total", 2025, "defence_expenditure_share_gdp"): (
        2.759921547, UGENT_TABLE3,
        "Table 3 value (copy, unrounded); replaces 2.76 read on nato.news-pravda.com",
    ),
    ("United States", 2025, "defence_expenditure"): (
        None, "https://defenceagenda.com/nato-2025-defence-expenditure/2",
        "current prices; Defence Agenda gives USD 980bn for the US (nato_usd_current.csv); "
        "replaces nato.news-pravda.com",
    ),
    ("NATO Total", 2025, "defence_expenditure"): (
        None, "https://www.tportal.hr/vijesti/clanak/izdvajanja-za-vojsku-clanica-nato-a-"
        "mogla-bi-ove-godine-usporiti-20250828",
        "derived: US 845 + Europe/Canada 559 (Reuters via tportal.hr, 2021 prices); the "
        "total itself was read only on canada.news-pravda.com",
    ),
    ("NATO (allies with armed forces)", 2014, "allies_at_or_above_2pct"): (
        None, DPA_2014_THREE_ALLIES,
        "SG Stoltenberg (dpa, 14 Feb 2024): in 2014 only three allies met the 2 % target; "
        "replaces spanish.news-pravda.com",
    ),
}


def build_aggregates(src: Path) -> pd.DataFrame:
    a = pd.read_csv(src / "nato_aggregates.csv").rename(columns={"source_url": "source"})
    a["status"] = a["status"].fillna("estimate")  # NATO's 2025 figures are estimates
    for (agg, year, metric), (value, page, note) in AGGREGATES_RESOURCED.items():
        hit = (a["aggregate"] == agg) & (a["year"] == year) & (a["metric"] == metric)
        if metric == "defence_expenditure" and agg == "NATO Total":
            hit &= a["value"] == 1404
        if metric == "defence_expenditure" and agg == "United States":
            hit &= a["value"] == 980
        if hit.sum() != 1:
            raise SystemExit(f"nato_aggregates: {agg} {year} {metric} not found once")
        if value is not None:
            a.loc[hit, "value"] = value
        a.loc[hit, ["source", "note"]] = [page, note]
    copy = pd.read_csv(src / "verification_third_pass.csv")
    ec = copy[copy["claim"].str.startswith("NATO Europe and Canada 2025 share of GDP")]
    a = pd.concat([a, pd.DataFrame({
        "aggregate": ["NATO Europe and Canada"], "year": [2025],
        "metric": ["defence_expenditure_share_gdp"], "value": [float(ec["value"].iloc[0])],
        "unit": ["percent"], "edition": ["NATO 2014-2025 (Aug 2025)"], "status": ["estimate"],
        "source": [UGENT_TABLE3], "note": ["Table 3 value (copy, unrounded)"],
    })], ignore_index=True)
    a["verified"] = ~a["note"].fillna("").str.contains("UNVERIFIED")
    a = with_provenance(a)
    a.insert(0, "aggregate_id", range(1, len(a) + 1))
    return a


def refresh_curated(name: str, status: pd.Series | str) -> pd.DataFrame:
    """Add the provenance columns and ``status`` to a curated package table, in place.

    Idempotent: a row whose ``transcribed_from`` is filled keeps it, and ``source`` is
    then already the original.
    """
    path = OUT / f"{name}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["status"] = status if isinstance(status, str) else status.to_numpy()
    df = with_provenance(df)
    front = [c for c in df.columns if c not in (*PROV_COLUMNS, "status", "source")]
    at = front.index("source_grade")
    return df[[*front[:at], "status", "source", *PROV_COLUMNS, *front[at:]]]


def main(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    allies = build_allies()
    gdp = build_gdp(src)
    growth, infl = build_forecasts(src)
    _write(allies, "allies")
    _write(gdp, "gdp")
    _write(growth, "gdp_growth_forecast")
    _write(infl, "inflation_forecast")
    _write(build_defence_expenditure(src, gdp), "defence_expenditure")
    _write(build_pledges(src), "pledges")
    _write(build_aggregates(src), "nato_aggregates")
    _write(refresh_curated("fx_rates", "actual"), "fx_rates")
    sipri = pd.read_csv(OUT / "sipri_milex.csv", dtype=str, keep_default_na=False)
    flags = sipri["flags"].str.split("|")
    _write(refresh_curated("sipri_milex", flags.map(
        lambda f: "estimate" if "estimate" in f else "actual")), "sipri_milex")
    # ukraine_support, purl, purl_totals and purl_members are curated in the package
    # since issue 13 (packages separated from running totals, per-ally membership,
    # publication and grade per row); sipri_milex is built from the SIPRI files there
    # too. This script no longer writes their figures, so a rebuild cannot undo that
    # curation; it only adds the provenance columns to fx_rates and sipri_milex (above).


if __name__ == "__main__":
    default = ROOT.parent / "shared" / "data" / "spending"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
