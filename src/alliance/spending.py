"""The spending model: who meets which pledge, when, and what the rest costs.

Pure functions from (Dataset, spending assumptions) to tidy DataFrames.

Conventions
-----------
* Shares are NATO-definition core defence expenditure in percent of GDP.
* Money is USD million: ``*_musd_current`` at current prices and exchange
  rates, ``*_musd_constant`` at constant 2025 prices (base year prices). The
  deflator is each ally's IMF consumer-price inflation projection (no GDP
  deflator series is bundled; named assumption).
* Years up to the base year (2025) are the data as published (``is_actual``);
  later years are projections along a path.

Paths
-----
``frozen``   the base-year share held constant.
``trend``    real spending grows at the recent growth of the share of GDP
             (CAGR over ``trend_window_years``) times projected real GDP growth,
             capped at ``trend_real_growth_cap_pct``.
``national`` linear to the ally's announced national target (pledges table,
             ``national_path_iso3``) by its target year, then linear to the
             Hague core target by the Hague year (a target above 3.5 % is
             held); an undated target (Spain's 2.1 % ceiling) is held; allies
             with no national target follow ``hague``.
``hague``    linear from the base-year share to 3.5 % by 2035 (held if above).
``custom``   per-ally shares given in the scenario.

On every path the real growth of a defence budget is capped by the absorption
cap; where the cap binds the share falls short of the path and
``absorption_cap_binding`` is true.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

import pandas as pd
from scipy import stats

from alliance.data import Dataset
from alliance.errors import ModelError
from alliance.params import AllyOverride, SpendingAssumptions
from alliance.scenario import Scenario

__all__ = [
    "PLEDGE_LEVELS",
    "SpendingResult",
    "pledge_thresholds",
    "aggregates",
    "burden_sharing",
    "olson_zeckhauser",
    "pledge_years",
    "project_spending",
    "spending_for",
]

logger = logging.getLogger(__name__)

#: Pledge levels the model counts (``pledges.pledge_level``), each met on this share column.
PLEDGE_LEVELS: tuple[str, ...] = ("two_pct", "core", "total")
_LEVEL_COLUMN: dict[str, str] = {
    "two_pct": "share_gdp_pct",
    "core": "share_gdp_pct",
    "total": "total_share_gdp_pct",
}
_MET_YEAR_COLUMN: dict[str, str] = {
    "two_pct": "two_pct_met_year",
    "core": "core_pledge_met_year",
    "total": "total_pledge_met_year",
}
_COUNT_COLUMN: dict[str, str] = {
    "two_pct": "allies_at_2pct",
    "core": "allies_at_3_5pct",
    "total": "allies_at_5pct",
}
_EPS = 1e-9


def pledge_thresholds(ds: Dataset) -> dict[str, float]:
    """Share of GDP [percent] of each alliance-wide pledge level, from the ``pledges`` table.

    Keys ``two_pct``, ``core``, ``related``, ``total``: the rows whose
    ``pledge_level`` names them (Wales 2014, The Hague 2025). Each level must be
    defined by exactly one row with a share.
    """
    pledges = ds.table("pledges")
    out: dict[str, float] = {}
    for level in ("two_pct", "core", "related", "total"):
        rows = pledges[pledges["pledge_level"] == level]
        if len(rows) != 1 or pd.isna(rows["target_share_gdp_pct"].iloc[0]):
            msg = (
                f"pledges table: pledge_level {level!r} must be on exactly one row with a "
                f"target_share_gdp_pct (found {len(rows)})"
            )
            raise ModelError(msg)
        out[level] = float(rows["target_share_gdp_pct"].iloc[0])
    return out


@dataclass(frozen=True)
class SpendingResult:
    """All spending tables for one scenario."""

    allies: pd.DataFrame
    """Per ally and year (actuals and projection)."""
    pledges: pd.DataFrame
    """Per ally: year each pledge is met (or missing)."""
    aggregates: pd.DataFrame
    """Per year: NATO totals, US share, counts of allies at 2/3.5/5 %."""
    burden: pd.DataFrame
    """Per ally and year: fair-share ratio."""
    olson_zeckhauser: pd.DataFrame
    """Per year: Spearman rho between GDP and defence burden, p-value, n."""
    thresholds: dict[str, float]
    """Pledge levels [percent of GDP] from the ``pledges`` table (:func:`pledge_thresholds`)."""


def _macro_paths(
    ds: Dataset, sp: SpendingAssumptions, base_year: int, last_year: int, isos: list[str]
) -> pd.DataFrame:
    """Nominal GDP (USD bn), deflator (base year = 1) and real growth per ally and year.

    GDP: the gdp table (World Bank to 2023, IMF WEO Oct 2025 2024-2030). After the
    last IMF year, nominal GDP grows by (1 + real growth) x (1 + inflation), both the
    last IMF projection carried forward unless the scenario sets long-run values.
    The scenario's ``gdp_growth_adjustment_pp`` shifts real growth in projection years.
    """
    gdp = ds.table("gdp")
    growth = ds.table("gdp_growth_forecast").set_index(["iso3", "year"])["real_growth_pct"]
    infl = ds.table("inflation_forecast").set_index(["iso3", "year"])["inflation_pct"]
    gdp_map = gdp.set_index(["iso3", "year"])["gdp_usd_bn"]
    rows = []
    for iso3 in isos:
        g_years = sorted(y for (i, y) in growth.index if i == iso3)
        i_years = sorted(y for (i, y) in infl.index if i == iso3)
        if (iso3, base_year) not in gdp_map.index:
            raise ModelError(f"gdp table has no {iso3} {base_year} row; the base year needs GDP.")
        nominal = float(gdp_map[(iso3, base_year)])
        deflator = 1.0
        rows.append((iso3, base_year, nominal, deflator, float("nan")))
        for year in range(base_year + 1, last_year + 1):
            real_g = _forecast(growth, iso3, year, g_years[-1], sp.long_run_real_gdp_growth_pct)
            inflation = _forecast(infl, iso3, year, i_years[-1], sp.long_run_inflation_pct)
            real_g += sp.gdp_growth_adjustment_pp
            deflator *= 1.0 + inflation / 100.0
            if (iso3, year) in gdp_map.index and sp.gdp_growth_adjustment_pp == 0.0:
                nominal = float(gdp_map[(iso3, year)])
            else:
                nominal *= (1.0 + real_g / 100.0) * (1.0 + inflation / 100.0)
            rows.append((iso3, year, nominal, deflator, real_g))
    return pd.DataFrame(
        rows, columns=["iso3", "year", "gdp_usd_bn", "deflator", "real_gdp_growth_pct"]
    )


def _forecast(
    series: pd.Series, iso3: str, year: int, last_year: int, long_run: float | None
) -> float:
    """IMF projection for (iso3, year) [percent per year].

    After the projection's last year: the scenario's long-run value, or else the
    last projection carried forward.
    """
    if (iso3, year) in series.index:
        return float(series[(iso3, year)])
    return long_run if long_run is not None else float(series[(iso3, last_year)])


def _national_targets(ds: Dataset) -> dict[str, tuple[float, int | None]]:
    pledges = ds.table("pledges")
    out: dict[str, tuple[float, int | None]] = {}
    for _, row in pledges.iterrows():
        tag = row["national_path_iso3"]
        if tag is None or pd.isna(tag) or not str(tag):
            continue
        year = None if pd.isna(row["target_year"]) else int(row["target_year"])
        for iso3 in str(tag).split("|"):
            out[iso3] = (float(row["target_share_gdp_pct"]), year)
    return out


def _linear(start: float, start_year: int, end: float, end_year: int, year: int) -> float:
    if year >= end_year:
        return end
    return start + (end - start) * (year - start_year) / (end_year - start_year)


def _path_share(
    path: str,
    iso3: str,
    year: int,
    base_share: float,
    base_year: int,
    sp: SpendingAssumptions,
    national: dict[str, tuple[float, int | None]],
    hague: float,
) -> float:
    """Share of GDP the path aims at in ``year`` (before the absorption cap).

    ``hague`` is the core target of the hague path [percent of GDP].
    """
    hague_year = sp.hague_target_year
    if path == "frozen":
        return base_share
    if path == "hague":
        return (
            max(base_share, _linear(base_share, base_year, hague, hague_year, year))
            if base_share < hague
            else base_share
        )
    if path == "national":
        if iso3 not in national:
            return _path_share("hague", iso3, year, base_share, base_year, sp, national, hague)
        target, target_year = national[iso3]
        if target_year is None:
            return target
        target_year = max(target_year, base_year + 1)
        if year <= target_year:
            return _linear(base_share, base_year, target, target_year, year)
        if target >= hague or target_year >= hague_year:
            return target
        return _linear(target, target_year, hague, hague_year, year)
    raise ModelError(f"spending path {path!r} has no share rule here")


@dataclass(frozen=True)
class _Projection:
    """What every ally's projection reads: assumptions, macro paths and pledge rules."""

    sp: SpendingAssumptions
    macro: pd.DataFrame  # per (iso3, year): gdp_usd_bn, deflator, real_gdp_growth_pct
    national: dict[str, tuple[float, int | None]]
    hague: float  # core pledge level [percent of GDP]
    base_year: int
    last_year: int

    def macro_row(self, iso3: str, year: int) -> pd.Series:
        """GDP [USD bn, current], deflator (base year = 1) and real growth of (iso3, year)."""
        # on this (iso3, year) MultiIndex the key selects a row; pandas-stubs reads it as a cell
        return cast(pd.Series, self.macro.loc[(iso3, year)])


@dataclass(frozen=True)
class _AllyRule:
    """One ally's spending path, absorption cap [percent per year] and equipment share."""

    iso3: str
    name: str
    path: str
    override: AllyOverride | None
    cap: float
    eq_share: float


def project_spending(
    ds: Dataset, sp: SpendingAssumptions, base_year: int = 2025, last_year: int = 2035
) -> pd.DataFrame:
    """Project every ally's defence spending from ``base_year`` to ``last_year``.

    Returns one row per ally and year from 2014 to ``last_year`` with columns
    ``iso3, name, year, path, is_actual, share_gdp_pct, target_share_gdp_pct,
    related_share_gdp_pct, total_share_gdp_pct, gdp_usd_bn, spending_musd_current,
    spending_musd_constant, equipment_share_pct, equipment_musd_current,
    equipment_musd_constant, real_growth_pct, absorption_cap_binding,
    gap_two_pct_musd, gap_core_musd, gap_total_musd`` (gaps are current-price
    money still needed to reach 2 %, 3.5 % core and 5 % total; zero when met).
    Iceland (no armed forces) has empty shares throughout.
    """
    if last_year <= base_year:
        raise ModelError(f"last_year {last_year} must be after base_year {base_year}.")
    thresholds = pledge_thresholds(ds)
    hague = (
        thresholds["core"] if sp.hague_core_target_pct is None else sp.hague_core_target_pct
    )
    allies = ds.table("allies")
    names = dict(zip(allies["iso3"], allies["name"], strict=True))
    hist = ds.table("defence_expenditure")
    unknown = set(sp.ally_overrides) - set(names)
    if unknown:
        raise ModelError(
            f"spending.ally_overrides names unknown allies: {', '.join(sorted(unknown))}."
        )
    isos = list(allies["iso3"])
    macro = _macro_paths(ds, sp, base_year, last_year, isos).set_index(["iso3", "year"])
    ctx = _Projection(sp, macro, _national_targets(ds), hague, base_year, last_year)
    gdp_hist = ds.table("gdp").set_index(["iso3", "year"])["gdp_usd_bn"]

    records: list[dict[str, object]] = []
    for iso3 in isos:
        h = hist[hist["iso3"] == iso3].set_index("year").sort_index()
        ally = _ally_rule(sp, iso3, names[iso3], h)
        records += _actual_rows(ally, h, base_year, gdp_hist)
        base_share = h["share_gdp_pct"].get(base_year, float("nan"))
        if pd.isna(base_share):
            # no armed forces (Iceland): nothing to project
            records += _unarmed_rows(ctx, ally)
            continue
        records += _projected_rows(ctx, ally, h, float(base_share))
    return _with_totals_and_gaps(pd.DataFrame.from_records(records), thresholds)


def _ally_rule(sp: SpendingAssumptions, iso3: str, name: str, h: pd.DataFrame) -> _AllyRule:
    """The ally's path and cap (its override, else the scenario's) and equipment share.

    The equipment share is the scenario's, else the ally's last reported share
    (NaN when it never reported one) [percent of spending].
    """
    override = sp.ally_overrides.get(iso3)
    path = override.path if override and override.path else sp.path
    cap = (
        override.absorption_cap_real_growth_pct
        if override and override.absorption_cap_real_growth_pct is not None
        else sp.absorption_cap_real_growth_pct
    )
    eq_known = h["equipment_share_pct"].dropna()
    eq_share = (
        sp.equipment_share_pct
        if sp.equipment_share_pct is not None
        else (float(eq_known.iloc[-1]) if len(eq_known) else float("nan"))
    )
    return _AllyRule(iso3, name, path, override, cap, eq_share)


def _actual_rows(
    ally: _AllyRule, h: pd.DataFrame, base_year: int, gdp_hist: pd.Series
) -> list[dict[str, object]]:
    """Reported years up to ``base_year`` (constant prices only in the base year)."""
    rows: list[dict[str, object]] = []
    for label, row in h.iterrows():
        year = cast(int, label)  # h is indexed by year; pandas-stubs types labels as Hashable
        if year > base_year:
            continue
        share = row["share_gdp_pct"]
        money = row["spending_musd_current"]
        eq = row["equipment_share_pct"]
        rows.append(
            _row(
                ally.iso3,
                ally.name,
                int(year),
                ally.path,
                True,
                share,
                share,
                float("nan"),
                gdp_hist.get((ally.iso3, int(year)), float("nan")),
                money,
                money if year == base_year else float("nan"),
                eq,
                float("nan"),
                False,
            )
        )
    return rows


def _unarmed_rows(ctx: _Projection, ally: _AllyRule) -> list[dict[str, object]]:
    """Projection years of an ally without armed forces: GDP and related spending only."""
    rows: list[dict[str, object]] = []
    for year in range(ctx.base_year + 1, ctx.last_year + 1):
        m = ctx.macro_row(ally.iso3, year)
        rows.append(
            _row(
                ally.iso3,
                ally.name,
                year,
                ally.path,
                False,
                float("nan"),
                float("nan"),
                ctx.sp.related_share_gdp_pct.at(year),
                m["gdp_usd_bn"],
                float("nan"),
                float("nan"),
                float("nan"),
                float("nan"),
                False,
            )
        )
    return rows


def _projected_rows(
    ctx: _Projection, ally: _AllyRule, h: pd.DataFrame, base_share: float
) -> list[dict[str, object]]:
    """Projection years: the path's share, its real growth capped by the absorption cap."""
    sp, iso3, path, override, cap = ctx.sp, ally.iso3, ally.path, ally.override, ally.cap
    rows: list[dict[str, object]] = []
    trend_growth = _trend_growth(h, ctx.base_year, sp) if path == "trend" else 0.0
    base_gdp = float(ctx.macro["gdp_usd_bn"].loc[(iso3, ctx.base_year)])
    prev_real = base_share / 100.0 * base_gdp * 1000.0
    for year in range(ctx.base_year + 1, ctx.last_year + 1):
        m = ctx.macro_row(iso3, year)
        real_gdp_musd = m["gdp_usd_bn"] * 1000.0 / m["deflator"]
        if path == "custom":
            if override is None or override.shares is None:
                raise ModelError(
                    f"{iso3}: path 'custom' needs spending.ally_overrides.{iso3}.shares."
                )
            target = override.shares.at(year)
        elif path == "trend":
            wanted = (1.0 + trend_growth) * (1.0 + m["real_gdp_growth_pct"] / 100.0) - 1.0
            wanted = min(wanted, sp.trend_real_growth_cap_pct / 100.0)
            target = 100.0 * prev_real * (1.0 + wanted) / real_gdp_musd
        else:
            target = _path_share(
                path, iso3, year, base_share, ctx.base_year, sp, ctx.national, ctx.hague
            )
        wanted_real = target / 100.0 * real_gdp_musd
        limit_real = prev_real * (1.0 + cap / 100.0)
        binding = wanted_real > limit_real * (1.0 + 1e-12)
        real = min(wanted_real, limit_real)
        share = 100.0 * real / real_gdp_musd
        growth = 100.0 * (real / prev_real - 1.0) if prev_real > 0 else float("nan")
        current = real * m["deflator"]
        rows.append(
            _row(
                iso3,
                ally.name,
                year,
                path,
                False,
                share,
                target,
                sp.related_share_gdp_pct.at(year),
                m["gdp_usd_bn"],
                current,
                real,
                ally.eq_share,
                growth,
                binding,
            )
        )
        prev_real = real
    return rows


def _with_totals_and_gaps(out: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """Add equipment money, total share and the money gap to each pledge level, sorted."""
    out["equipment_musd_current"] = (
        out["spending_musd_current"] * out["equipment_share_pct"] / 100.0
    )
    out["equipment_musd_constant"] = (
        out["spending_musd_constant"] * out["equipment_share_pct"] / 100.0
    )
    out["total_share_gdp_pct"] = out["share_gdp_pct"] + out["related_share_gdp_pct"]
    gdp_musd = out["gdp_usd_bn"] * 1000.0
    for name in PLEDGE_LEVELS:
        level, column = thresholds[name], _LEVEL_COLUMN[name]
        out[f"gap_{name}_musd"] = (level - out[column]).clip(lower=0.0) / 100.0 * gdp_musd
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def _row(
    iso3: str,
    name: str,
    year: int,
    path: str,
    actual: bool,
    share: float,
    target: float,
    related: float,
    gdp: float,
    current: float,
    constant: float,
    eq_share: float,
    growth: float,
    binding: bool,
) -> dict[str, object]:
    return {
        "iso3": iso3,
        "name": name,
        "year": year,
        "path": path,
        "is_actual": actual,
        "share_gdp_pct": share,
        "target_share_gdp_pct": target,
        "related_share_gdp_pct": related,
        "gdp_usd_bn": gdp,
        "spending_musd_current": current,
        "spending_musd_constant": constant,
        "equipment_share_pct": eq_share,
        "real_growth_pct": growth,
        "absorption_cap_binding": binding,
    }


def _trend_growth(h: pd.DataFrame, base_year: int, sp: SpendingAssumptions) -> float:
    """Recent growth rate of the share of GDP (compound, per year) over the trend window.

    Real spending growth on the trend path = (1 + this) x (1 + real GDP growth) - 1;
    since the share is then (1 + this) times the previous share, the trend path is
    implemented as share growth, capped in real terms by the caller.
    """
    start_year = base_year - sp.trend_window_years
    shares = h["share_gdp_pct"]
    if start_year not in shares.index or pd.isna(shares.get(start_year)):
        return 0.0
    s0, s1 = float(shares[start_year]), float(shares[base_year])
    if s0 <= 0:
        return 0.0
    ratio_per_year: float = (s1 / s0) ** (1.0 / sp.trend_window_years)
    return ratio_per_year - 1.0


def pledge_years(projection: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """Per ally, the first year each pledge level is reached (actual or projected).

    Columns: ``iso3, name, two_pct_met_year, core_pledge_met_year,
    total_pledge_met_year`` (nullable Int64: empty = not by the last year) and
    ``has_armed_forces``. 2 % and 3.5 % are checked on the core share; 5 % on
    core + related spending (related spending exists only in projection years).
    """
    rows = []
    for iso3, g in projection.groupby("iso3", sort=True):
        g = g.sort_values("year")
        entry: dict[str, object] = {
            "iso3": iso3,
            "name": g["name"].iloc[0],
            "has_armed_forces": bool(g["share_gdp_pct"].notna().any()),
        }
        for level in PLEDGE_LEVELS:
            key, column = _MET_YEAR_COLUMN[level], _LEVEL_COLUMN[level]
            hit = g.loc[g[column] >= thresholds[level] - _EPS, "year"]
            entry[key] = int(hit.iloc[0]) if len(hit) else None
        rows.append(entry)
    out = pd.DataFrame(rows)
    for key in _MET_YEAR_COLUMN.values():
        out[key] = out[key].astype("Int64")
    return out


def aggregates(projection: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """NATO totals per year (years where every ally with armed forces has money figures).

    Columns: ``year, nato_total_musd_current, us_musd_current,
    europe_canada_musd_current, us_share_pct, nato_share_gdp_pct,
    nato_total_musd_constant`` (projection years only), ``allies_at_2pct,
    allies_at_3_5pct, allies_at_5pct`` (counts of allies with armed forces),
    ``allies_with_armed_forces``.
    """
    rows = []
    for year, g in projection.groupby("year", sort=True):
        armed = g[g["share_gdp_pct"].notna()]
        money_known = armed["spending_musd_current"].notna().all() and len(armed) > 0
        total = armed["spending_musd_current"].sum() if money_known else float("nan")
        us = (
            armed.loc[armed["iso3"] == "USA", "spending_musd_current"].sum()
            if money_known
            else float("nan")
        )
        gdp_known = g["gdp_usd_bn"].notna().all()
        nato_share = (
            (100.0 * total / (g["gdp_usd_bn"].sum() * 1000.0))
            if (money_known and gdp_known)
            else float("nan")
        )
        constant = armed["spending_musd_constant"]
        counts = {
            _COUNT_COLUMN[level]: int(
                (armed[_LEVEL_COLUMN[level]] >= thresholds[level] - _EPS).sum()
            )
            for level in PLEDGE_LEVELS
        }
        rows.append(
            {
                "year": int(cast(int, year)),  # pandas-stubs types group keys as any scalar
                "nato_total_musd_current": total,
                "us_musd_current": us,
                "europe_canada_musd_current": total - us,
                "us_share_pct": 100.0 * us / total if money_known and total > 0 else float("nan"),
                "nato_share_gdp_pct": nato_share,
                "nato_total_musd_constant": constant.sum()
                if constant.notna().all()
                else float("nan"),
                **counts,
                "allies_with_armed_forces": len(armed),
            }
        )
    return pd.DataFrame(rows)


def burden_sharing(projection: pd.DataFrame) -> pd.DataFrame:
    """Fair-share ratio per ally and year: (share of NATO spending) / (share of NATO GDP).

    Over allies with armed forces and a money figure that year. A ratio above 1
    means the ally carries more than its economic weight. Columns: ``iso3, year,
    share_of_nato_spending_pct, share_of_nato_gdp_pct, fair_share_ratio``.
    """
    d = projection[projection["spending_musd_current"].notna() & projection["gdp_usd_bn"].notna()]
    d = d[d["share_gdp_pct"].notna()]
    tot_spend = d.groupby("year")["spending_musd_current"].transform("sum")
    tot_gdp = d.groupby("year")["gdp_usd_bn"].transform("sum")
    out = d[["iso3", "year"]].copy()
    out["share_of_nato_spending_pct"] = 100.0 * d["spending_musd_current"] / tot_spend
    out["share_of_nato_gdp_pct"] = 100.0 * d["gdp_usd_bn"] / tot_gdp
    out["fair_share_ratio"] = out["share_of_nato_spending_pct"] / out["share_of_nato_gdp_pct"]
    return out.reset_index(drop=True)


def olson_zeckhauser(projection: pd.DataFrame) -> pd.DataFrame:
    """Olson-Zeckhauser test per year: Spearman rank correlation of GDP and defence burden.

    Olson & Zeckhauser (1966) predict that larger allies carry a disproportionate
    burden (positive rho: exploitation of the large by the small). Over allies with
    armed forces and a GDP figure that year. Columns: ``year, olson_zeckhauser_rho,
    olson_zeckhauser_p, n_allies``.
    """
    rows = []
    for year, g in projection.groupby("year", sort=True):
        g = g[g["share_gdp_pct"].notna() & g["gdp_usd_bn"].notna()]
        if len(g) < 3:
            continue
        result = stats.spearmanr(g["gdp_usd_bn"], g["share_gdp_pct"])
        rows.append(
            {
                "year": int(cast(int, year)),  # pandas-stubs types group keys as any scalar
                "olson_zeckhauser_rho": float(result.statistic),
                "olson_zeckhauser_p": float(result.pvalue),
                "n_allies": len(g),
            }
        )
    return pd.DataFrame(rows)


def spending_for(ds: Dataset, scenario: Scenario) -> SpendingResult:
    """Run the spending stage for a scenario (projection to max(horizon, Hague year))."""
    last = max(scenario.horizon, scenario.spending.hague_target_year)
    thresholds = pledge_thresholds(ds)
    projection = project_spending(ds, scenario.spending, scenario.base_year, last)
    return SpendingResult(
        allies=projection,
        pledges=pledge_years(projection, thresholds),
        aggregates=aggregates(projection, thresholds),
        burden=burden_sharing(projection),
        olson_zeckhauser=olson_zeckhauser(projection),
        thresholds=thresholds,
    )
