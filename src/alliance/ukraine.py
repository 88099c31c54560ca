"""Ukraine support (Kiel Ukraine Support Tracker) and PURL: what Europe gives and what it costs.

Pure functions of the Dataset, the Scenario and the spending stage's GDP paths that
return tidy tables:

* :func:`donor_years`: per donor and year, military / financial / humanitarian
  allocations [EUR bn] and military aid as a share of the donor's GDP, from the
  ``ukraine_support`` rows that are one year's flow (an imported Kiel workbook gives
  every donor; the bundled release has only a few donor-years);
* :func:`europe_us_shares`: Europe's and the US's shares of their combined support,
  per Kiel snapshot (cumulative to a date) and per year of flows;
* :func:`purl_by_ally`: PURL per ally (joined or not, packages, amounts, dates, sources)
  and :func:`purl_totals`: packages summed against the reported running totals;
* :func:`budget_draw`: Europe's military support in the scenario years under the lever
  (keep, raise, stop), split over European allies, in EUR bn and percent of GDP, with
  the PURL part capped by the US arms-sales lever (PURL buys US weapons).

The draw on European production (155 mm shells, air-defence interceptors) is taken by
the planning LP, which reserves ``UkraineParams.output_share`` of every European line
of those areas (docs/ukraine.md); this stage reports the draw on budgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from alliance.data import Dataset
from alliance.errors import ModelError
from alliance.memo import TableMemo
from alliance.scenario import Scenario

__all__ = [
    "AID_TYPES",
    "UkraineResult",
    "budget_draw",
    "donor_years",
    "eur_per_usd",
    "europe_us_shares",
    "latest_release",
    "purl_by_ally",
    "purl_totals",
    "replace_us_military_aid_share_of_eu_gdp",
    "ukraine_support_for",
]

logger = logging.getLogger(__name__)

AID_TYPES: tuple[str, ...] = ("military", "financial", "humanitarian")
_EUROPE_GROUPS = ("country", "europe_part")
#: Allies outside Europe (their aid is neither European nor the US's in the Kiel split).
_NON_EUROPEAN_ALLIES = ("CAN", "USA")

T = TypeVar("T")
#: The stage's parts that read the tables alone, one memo per part (each keyed by the
#: contents of the tables it reads): a lever change recomputes only the budget draw.
_FLOWS: dict[str, TableMemo[pd.DataFrame]] = {w: TableMemo(8) for w in ("preferred", "bundled")}
_DONORS: TableMemo[pd.DataFrame] = TableMemo(8)
_SHARES: TableMemo[pd.DataFrame] = TableMemo(8)
_PURL_ALLIES: TableMemo[pd.DataFrame] = TableMemo(8)
_PURL_TOTALS: TableMemo[pd.DataFrame] = TableMemo(8)
_LATEST: TableMemo[dict[str, str]] = TableMemo(8)


def _from_tables(memo: TableMemo[T], ds: Dataset, names: tuple[str, ...], key: Hashable,
                 compute: Callable[[], T]) -> T:
    """``compute()`` memoised on the contents of the tables ``names`` of ``ds`` and ``key``.

    The dataset's own frames are the memo's keys (read, never changed), so that the
    same dataset skips the fingerprints. A table the dataset lacks raises the
    dataset's unknown-table error.
    """
    return memo.get(ds.frames(names), key, compute)


@dataclass(frozen=True)
class UkraineResult:
    """The Ukraine stage's tables (see the module docstring)."""

    donor_years: pd.DataFrame
    europe_us: pd.DataFrame
    purl_allies: pd.DataFrame
    purl_totals: pd.DataFrame
    budget_draw: pd.DataFrame
    europe_years: pd.DataFrame
    """Per scenario year: Europe's total military support, of which PURL, and what stopped."""
    latest_release: dict[str, str]
    """The Kiel figure in the data that covers the latest date: data_through, publication,
    source (an imported workbook counts when given ``--data-through``)."""


def eur_per_usd(ds: Dataset) -> tuple[float, int]:
    """The latest yearly EUR per USD rate in the ``fx_rates`` table and its year."""
    fx = ds.table("fx_rates")
    eur = fx[fx["currency"] == "EUR"].sort_values("year")
    if eur.empty:
        raise ModelError("fx_rates has no EUR rate; the Ukraine stage converts EUR to USD.")
    return float(eur["units_per_usd"].iloc[-1]), int(eur["year"].iloc[-1])


def _flows(ds: Dataset, which: str = "preferred") -> pd.DataFrame:
    """Allocation rows that are one year's flow of one donor (or donor group).

    ``preferred``: the rows of an imported Kiel workbook when there are any (it lists
    every donor, so bundled press figures would count twice), else the bundled rows;
    ``bundled``: the bundled (and hand-overlaid) rows only. Memoised: read only.
    """
    return _from_tables(_FLOWS[which], ds, ("ukraine_support",), which,
                        lambda: _flow_rows(ds, which))


def _flow_rows(ds: Dataset, which: str) -> pd.DataFrame:
    """:func:`_flows`, computed."""
    uk = ds.table("ukraine_support")
    flows = uk[uk["year"].notna() & (uk["measure"] == "allocated")].copy()
    imported = flows["imported_from"].notna()
    flows = flows[~imported] if which == "bundled" or not imported.any() else flows[imported]
    flows["year"] = flows["year"].astype(int)
    flows["aid"] = flows["aid_type"].where(flows["aid_type"].isin(AID_TYPES), "total")
    flows["iso3"] = flows["iso3"].fillna("")
    flows["donor_group"] = flows["donor_group"].fillna("other")
    return flows


def donor_years(ds: Dataset, gdp: pd.DataFrame) -> pd.DataFrame:
    """Per donor and year: allocations by aid type [EUR bn] and military aid in % of GDP.

    ``gdp`` has ``iso3, year, gdp_usd_bn`` (the spending stage's paths). ``total_eur_bn``
    is the sum of the typed allocations, or the untyped total where the source gives no
    type. ``share_of_gdp_pct`` is military aid / GDP (EUR converted at the latest rate of
    ``fx_rates``); empty for donors without GDP in the data (groups, non-allies).
    """
    table = _from_tables(_DONORS, ds, ("ukraine_support", "fx_rates"), "donor_years",
                         lambda: _donor_allocations(ds))
    if table.empty:
        return table.copy()
    out = table.copy()
    rate, _ = eur_per_usd(ds)
    g = dict(zip(zip(gdp["iso3"].tolist(), gdp["year"].tolist(), strict=True),
                 gdp["gdp_usd_bn"].tolist(), strict=True))
    gdp_usd = [g.get((i, y), np.nan) if i else np.nan for i, y in zip(out["iso3"], out["year"],
                                                                       strict=True)]
    out["share_of_gdp_pct"] = out["military_eur_bn"] / rate / np.asarray(gdp_usd, float) * 100
    return out


def _donor_allocations(ds: Dataset) -> pd.DataFrame:
    """:func:`donor_years` with ``share_of_gdp_pct`` empty (NaN): the part GDP does not move."""
    flows = _flows(ds)
    columns = ["donor", "iso3", "donor_group", "year", *(f"{a}_eur_bn" for a in AID_TYPES),
               "total_eur_bn", "share_of_gdp_pct", "rows"]
    if flows.empty:
        return pd.DataFrame(columns=columns)
    keys = ["donor", "iso3", "donor_group", "year"]
    wide = flows.pivot_table(index=keys, columns="aid", values="value_eur_bn", aggfunc="sum")
    wide = wide.reindex(columns=[*AID_TYPES, "total"])
    counts = flows.groupby(keys).size().rename("rows")
    out = wide.join(counts).reset_index()
    typed = out[list(AID_TYPES)]
    out["total_eur_bn"] = np.where(typed.notna().any(axis=1), typed.sum(axis=1), out["total"])
    out = out.rename(columns={a: f"{a}_eur_bn" for a in AID_TYPES})
    out["share_of_gdp_pct"] = np.nan
    return out[columns].sort_values(["year", "donor"]).reset_index(drop=True)


def _snapshot_year(text: object) -> int | None:
    s = str(text or "")
    return int(s[:4]) if s[:4].isdigit() else None


def europe_us_shares(ds: Dataset) -> pd.DataFrame:
    """Europe's and the US's shares of their combined support, per Kiel figure pair.

    ``basis`` is ``snapshot`` for a release's cumulative totals (Europe total and US of
    the same aid type, measure and ``data_through``) and ``flow`` for one year's
    allocations summed over donors (European countries and EU institutions against the
    US; from an imported workbook). Shares are of Europe + US [percent].
    """
    return _from_tables(_SHARES, ds, ("ukraine_support",), "europe_us",
                        lambda: _europe_us_rows(ds)).copy()


def _europe_us_rows(ds: Dataset) -> pd.DataFrame:
    """:func:`europe_us_shares`, computed."""
    uk = ds.table("ukraine_support")
    rows: list[dict[str, object]] = []
    snap = uk[uk["donor_group"].isin(["europe_total", "united_states"]) & uk["year"].isna()]
    for (through, aid, measure), g in snap.groupby(["data_through", "aid_type", "measure"]):
        europe = g[g["donor_group"] == "europe_total"]
        us = g[g["donor_group"] == "united_states"]
        if len(europe) != 1 or len(us) != 1:
            continue
        rows.append(_share_row(_snapshot_year(through), "snapshot", str(through), str(aid),
                               str(measure), float(europe["value_eur_bn"].iloc[0]),
                               float(us["value_eur_bn"].iloc[0]),
                               f"{europe['source'].iloc[0]} | {us['source'].iloc[0]}"))
    flows = _flows(ds)
    flows = flows[flows["aid"] != "total"]
    for year, g in flows.groupby("year"):
        europe_rows = g[g["donor_group"].isin(_EUROPE_GROUPS)
                        & ~g["iso3"].isin(_NON_EUROPEAN_ALLIES)]
        us_rows = g[g["donor_group"] == "united_states"]
        if europe_rows.empty or us_rows.empty or g["imported_from"].isna().all():
            continue  # one-year flows of both sides exist only in an imported workbook
        rows.append(_share_row(int(str(year)), "flow", str(year), "military+financial+"
                               "humanitarian", "allocated",
                               float(europe_rows["value_eur_bn"].sum()),
                               float(us_rows["value_eur_bn"].sum()),
                               str(g["source"].iloc[0])))
    columns = ["year", "basis", "data_through", "aid_type", "measure", "europe_eur_bn",
               "us_eur_bn", "europe_share_pct", "us_share_pct", "source"]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(rows)[columns].sort_values(["year", "data_through"]).reset_index(
        drop=True)


def _share_row(year: int | None, basis: str, through: str, aid: str, measure: str,
               europe: float, us: float, source: str) -> dict[str, object]:
    both = europe + us
    return {"year": year, "basis": basis, "data_through": through, "aid_type": aid,
            "measure": measure, "europe_eur_bn": europe, "us_eur_bn": us,
            "europe_share_pct": 100 * europe / both if both else np.nan,
            "us_share_pct": 100 * us / both if both else np.nan, "source": source}


def purl_by_ally(ds: Dataset) -> pd.DataFrame:
    """PURL per ally: joined or not (with source), packages, USD funded alone, dates.

    ``amount_usd_m`` sums the packages the ally funded alone with a USD amount; joint
    packages are counted in ``joint_packages`` but not split (no source gives the split);
    amounts given only in another currency are listed in ``other_amounts``.
    """
    return _from_tables(_PURL_ALLIES, ds, ("purl_members", "allies", "purl"), "purl_allies",
                        lambda: _purl_rows(ds)).copy()


def _purl_rows(ds: Dataset) -> pd.DataFrame:
    """:func:`purl_by_ally`, computed."""
    members = ds.table("purl_members")
    allies = ds.table("allies")[["iso3", "name"]]
    packages = ds.table("purl")
    rows = []
    for m in members.merge(allies, on="iso3").to_dict("records"):
        iso3 = str(m["iso3"])
        funded = packages[packages["contributors_iso3"].fillna("").str.split("|").apply(
            lambda codes, c=iso3: c in codes)]
        alone = funded[funded["contributors_iso3"] == iso3]
        usd = alone["amount_usd_m"].dropna()
        rows.append({
            "iso3": iso3, "name": m["name"],
            "joined": None if m["joined"] is pd.NA or m["joined"] is None else bool(m["joined"]),
            "as_of": m["as_of"], "packages": len(funded),
            "joint_packages": len(funded) - len(alone),
            "amount_usd_m": float(usd.sum()) if len(usd) else None,
            "other_amounts": "; ".join(alone.loc[alone["amount_usd_m"].isna(),
                                                 "amount_as_reported"].dropna().astype(str)),
            "dates": ", ".join(sorted(funded["date"].dropna().astype(str))),
            "evidence": m["evidence"], "source": m["source"], "source_grade": m["source_grade"],
        })
    return pd.DataFrame(rows)


def purl_totals(ds: Dataset) -> pd.DataFrame:
    """The reported running totals of PURL, each against the sum of package amounts."""
    return _from_tables(_PURL_TOTALS, ds, ("purl_totals", "purl"), "purl_totals",
                        lambda: _purl_sums(ds)).copy()


def _purl_sums(ds: Dataset) -> pd.DataFrame:
    """:func:`purl_totals`, computed."""
    totals = ds.table("purl_totals").sort_values("total_id").reset_index(drop=True)
    packages = ds.table("purl")
    known = float(packages["amount_usd_m"].dropna().sum())
    totals["packages_with_usd_sum_usd_m"] = known
    return totals


def _european_weights(ds: Dataset, gdp: pd.DataFrame, flows: pd.DataFrame, split: str,
                      year: int) -> tuple[pd.Series, str]:
    """Each European ally's share of Europe's military support, and how it was set."""
    allies = ds.table("allies")
    europe = [i for i in allies["iso3"] if i not in _NON_EUROPEAN_ALLIES]
    if split == "observed":
        mil = flows[(flows["aid"] == "military") & flows["iso3"].isin(europe)
                    & (flows["donor_group"] == "country")]
        if not mil.empty:
            last = int(mil["year"].max())
            by = mil[mil["year"] == last].groupby("iso3")["value_eur_bn"].sum()
            if by.sum() > 0 and len(by) >= 2:
                w = by.reindex(europe, fill_value=0.0)
                return w / w.sum(), f"observed shares of {last} (ukraine_support)"
    g = gdp[gdp["year"] == year].set_index("iso3")["gdp_usd_bn"].reindex(europe).fillna(0.0)
    return g / g.sum(), f"GDP shares of {year}"


def _base_levels(ds: Dataset, sc: Scenario) -> tuple[float, float, float]:
    """(European base, what raise adds [EUR bn/yr], PURL [USD m/yr]) from params or data."""
    p = sc.ukraine
    flows = _flows(ds, "bundled")
    mil24 = flows[(flows["year"] == 2024) & (flows["aid"] == "military")]
    all24 = mil24.loc[mil24["donor_group"] == "all_donors", "value_eur_bn"]
    us24 = mil24.loc[mil24["donor_group"] == "united_states", "value_eur_bn"]
    base, adds = p.european_military_base_eur_bn, p.raise_adds_eur_bn
    if base is None:
        if all24.empty or us24.empty:
            raise ModelError("ukraine.european_military_base_eur_bn: the data has no 2024 "
                             "military allocations of all donors and of the US; set it.")
        base = float(all24.iloc[0]) - float(us24.iloc[0])
    if adds is None:
        if us24.empty:
            raise ModelError("ukraine.raise_adds_eur_bn: the data has no 2024 US military "
                             "allocation; set it.")
        adds = float(us24.iloc[0])
    purl = p.purl_usd_m_per_year
    if purl is None:
        totals = ds.table("purl_totals").sort_values("total_usd_m")
        purl = float(totals["total_usd_m"].iloc[-1]) if len(totals) else 0.0
    return base, adds, purl


def budget_draw(
    ds: Dataset, sc: Scenario, gdp: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Europe's military support per scenario year and its draw on each European ally.

    Level: keep = base, raise = base + raise_adds, stop = 0 [EUR bn/yr]. PURL (USD m/yr,
    converted to EUR) is the part that buys US weapons: in year t only
    ``us_commitment.arms_sales(t)`` of it goes through; the rest is redirected to
    European production (the budget draw is unchanged) or lost, as
    ``ukraine.purl_when_sales_stop`` says. Returns (europe_years, per ally-year draw).
    """
    base, adds, purl_usd = _base_levels(ds, sc)
    rate, _ = eur_per_usd(ds)
    level = {"keep": base, "raise": base + adds, "stop": 0.0}[sc.ukraine.support]
    scale = level / base if base > 0 else 0.0
    weights, how = _european_weights(ds, gdp, _flows(ds), sc.ukraine.burden_split,
                                     sc.base_year)
    years, allies_rows = [], []
    g = dict(zip(zip(gdp["iso3"].tolist(), gdp["year"].tolist(), strict=True),
                 gdp["gdp_usd_bn"].tolist(), strict=True))
    for year in sc.years:
        sales = sc.us_commitment.arms_sales.at(year)
        purl_planned = min(purl_usd * rate / 1000 * scale, level)
        purl_through = purl_planned * sales
        stopped = purl_planned - purl_through
        total = level - (stopped if sc.ukraine.purl_when_sales_stop == "lost" else 0.0)
        years.append({"year": year, "support": sc.ukraine.support,
                      "europe_military_eur_bn": total, "purl_eur_bn": purl_through,
                      "purl_usd_m": purl_through / rate * 1000,
                      "purl_stopped_eur_bn": stopped, "us_arms_sales": sales})
        for iso3, w in weights.items():
            draw = total * float(w)
            gdp_usd = g.get((iso3, year), np.nan)
            allies_rows.append({"iso3": iso3, "year": year, "draw_eur_bn": draw,
                                "share_of_gdp_pct": draw / rate / gdp_usd * 100,
                                "weight": float(w), "weight_basis": how})
    return pd.DataFrame(years), pd.DataFrame(allies_rows)


def replace_us_military_aid_share_of_eu_gdp(ds: Dataset, year: int = 2024) -> dict[str, float]:
    """Bruegel/Kiel's cost of replacing US military aid, as a share of EU GDP [percent].

    US military allocations of ``year`` (ukraine_support, EUR bn) over the GDP of the
    EU members among the allies (gdp table, USD bn, at the year's EUR rate). The four
    EU members outside NATO (Austria, Ireland, Cyprus, Malta) are not in the gdp table.
    """
    flows = _flows(ds, "bundled")
    us = flows[(flows["year"] == year) & (flows["aid"] == "military")
               & (flows["donor_group"] == "united_states")]
    if us.empty:
        raise ModelError(f"ukraine_support has no US military allocation for {year}.")
    allies = ds.table("allies")
    eu = set(allies.loc[allies["eu_member"].astype(bool), "iso3"])
    gdp = ds.table("gdp")
    eu_gdp_usd = float(gdp[(gdp["year"] == year) & gdp["iso3"].isin(eu)]["gdp_usd_bn"].sum())
    fx = ds.table("fx_rates")
    rate = float(fx[(fx["currency"] == "EUR") & (fx["year"] == year)]["units_per_usd"].iloc[0])
    us_eur = float(us["value_eur_bn"].sum())
    return {"us_military_eur_bn": us_eur, "eu_allies_gdp_eur_bn": eu_gdp_usd * rate,
            "eu_members_counted": float(len(eu)),
            "share_of_eu_gdp_pct": 100 * us_eur / (eu_gdp_usd * rate)}


def latest_release(ds: Dataset) -> dict[str, str]:
    """The ukraine_support row covering the latest ``data_through`` (ties: latest release)."""
    latest: dict[str, str] = _from_tables(_LATEST, ds, ("ukraine_support",), "latest_release",
                                          lambda: _latest_row(ds))
    return dict(latest)


def _latest_row(ds: Dataset) -> dict[str, str]:
    """:func:`latest_release`, computed."""
    uk = ds.table("ukraine_support").dropna(subset=["data_through"])
    if uk.empty:
        return {}
    uk = uk.assign(_release=uk["release_date"].fillna("")).sort_values(
        ["data_through", "_release"])
    last = uk.iloc[-1]
    return {k: "" if pd.isna(last[k]) else str(last[k])
            for k in ("data_through", "release_date", "publication", "source")}


def ukraine_support_for(ds: Dataset, sc: Scenario, gdp: pd.DataFrame) -> UkraineResult:
    """Run the Ukraine stage. ``gdp``: ``iso3, year, gdp_usd_bn`` (spending stage)."""
    europe_years, draw = budget_draw(ds, sc, gdp)
    return UkraineResult(
        donor_years=donor_years(ds, gdp),
        europe_us=europe_us_shares(ds),
        purl_allies=purl_by_ally(ds),
        purl_totals=purl_totals(ds),
        budget_draw=draw,
        europe_years=europe_years,
        latest_release=latest_release(ds),
    )
