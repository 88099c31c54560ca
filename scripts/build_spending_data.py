"""Build the bundled spending tables of alliance from the researched raw data.

Reads ``../shared/data/spending`` (or the folder given as first argument) and
writes ``src/alliance/data/tables/{allies,defence_expenditure,gdp,
gdp_growth_forecast,inflation_forecast,pledges,nato_aggregates}.csv``. Figures are
copied exactly; every row keeps its source URL. Where a figure is derived (money =
share x GDP), the row says how in ``derived``.

Run: python scripts/build_spending_data.py [/path/to/shared/data/spending]
"""

from __future__ import annotations

import sys
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
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def build_forecasts(src: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    growth = pd.read_csv(src / "gdp_growth_forecast.csv").rename(
        columns={"country_iso3": "iso3", "source_url": "source"}
    )
    growth["source_grade"] = growth["note"].map(_grade)
    growth = growth[["iso3", "year", "real_growth_pct", "vintage", "source", "source_grade"]]
    infl = pd.read_csv(src / "inflation_forecast_imf.csv").rename(
        columns={"country_iso3": "iso3", "source_url": "source"}
    )
    infl["source_grade"] = infl["note"].map(_grade)
    infl = infl[["iso3", "year", "inflation_pct", "indicator", "vintage", "source", "source_grade"]]
    return growth, infl


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
    shares = shares.rename(columns={"country_iso3": "iso3", "source_url": "source"})
    dup = shares.duplicated(["iso3", "year"], keep=False)
    if dup.any():
        raise SystemExit(f"duplicate ally-years in share sources: {shares[dup]}")
    shares["source_grade"] = shares["note"].fillna("").map(_grade)
    shares.loc[shares["source_grade"] == "", "source_grade"] = "B"
    germany_2025 = (shares["iso3"] == "DEU") & (shares["year"] == 2025)
    shares.loc[germany_2025, "status"] = "provisional"

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

    out = shares[
        ["iso3", "country", "year", "share_gdp_pct", "status", "edition", "source", "source_grade"]
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
        "source_grade",
        "split_source",
        "published_source",
        "published_grade",
        "derived",
        "imported_from",  # filled only by `alliance data import nato` overlays (issue 13)
    ]
    out["imported_from"] = ""
    out = out[[c for c in ordered if c in out.columns]]
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def build_pledges(src: Path) -> pd.DataFrame:
    p = pd.read_csv(src / "pledges.csv", dtype={"target_year": "string"})
    p = p.rename(columns={"source_url": "source"})
    p["target_year"] = p["target_year"].fillna("")
    p["national_path_iso3"] = ""
    for iso3, (actor, year, words) in NATIONAL_PATH_ROWS.items():
        hit = (
            (p["actor"] == actor)
            & (p["target_year"] == year)
            & p["pledge"].str.contains(words, regex=False)
        )
        if hit.sum() != 1:
            raise SystemExit(f"national path row for {iso3} not found once: {actor} {year}")
        idx = p.index[hit][0]
        p.loc[idx, "national_path_iso3"] = "|".join(
            x for x in [p.loc[idx, "national_path_iso3"], iso3] if x
        )
    p.insert(0, "pledge_id", range(1, len(p) + 1))
    return p


def build_aggregates(src: Path) -> pd.DataFrame:
    a = pd.read_csv(src / "nato_aggregates.csv").rename(columns={"source_url": "source"})
    a.insert(0, "aggregate_id", range(1, len(a) + 1))
    a["verified"] = ~a["note"].fillna("").str.contains("UNVERIFIED")
    return a


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
    # ukraine_support, purl, purl_totals and purl_members are curated in the package
    # since issue 13 (packages separated from running totals, per-ally membership,
    # publication and grade per row); sipri_milex is built from the SIPRI files there
    # too. This script no longer writes them, so a rebuild cannot undo that curation.


if __name__ == "__main__":
    default = ROOT.parent / "shared" / "data" / "spending"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
