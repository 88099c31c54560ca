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
  later years are projections along a path. Every output row carries the
  ``status`` of its figure (``actual | estimate | provisional | projection``):
  the table's status for published years (NATO marks 2024 and 2025 as
  estimates, Germany 2025 as provisional), ``projection`` for model years.
* A bundled row with ``headline`` false (it rests only on an aggregator, mirror
  or personal site) is kept but left out of every headline count (allies at
  2 / 3.5 / 5 %, the year a pledge is met); so are the projection years that
  start from it. ``allies_not_counted_iso3`` in ``aggregates`` names them.

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
             with no national target follow ``hague``. Where the pledge row
             holds a plan in money (``target_money_bn``, e.g. Germany's EUR
             152.8bn in 2029) the path follows the money instead: national
             currency interpolated linearly (current prices) from the base
             year (share x GDP, converted at the same rate) to the plan year,
             converted to USD at one rate per currency (the latest yearly
             average in ``fx_rates`` unless the scenario sets one: a named
             assumption), divided by projected GDP for the share; constant
             prices divide by the deflator as on every path. After the plan
             year the plan-year share goes linearly to the Hague target.
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
    "STATUS_ORDER",
    "MoneyPlan",
    "money_plans",
    "weakest_status",
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
#: Status of a figure, weakest last: a year's status is the weakest among its rows.
STATUS_ORDER: tuple[str, ...] = ("actual", "estimate", "provisional", "projection")


def weakest_status(statuses: pd.Series) -> str:
    """The weakest status in ``statuses`` (``projection`` > ``provisional`` > ...)."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    known = [str(x) for x in statuses.dropna() if str(x) in rank]
    return max(known, key=rank.__getitem__) if known else "actual"


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


def _counted(value: object) -> bool:
    """A row's ``headline`` flag: empty (or no column) counts as true."""
    return True if value is None or value is pd.NA or pd.isna(cast(float, value)) else bool(value)


def _national_targets(ds: Dataset) -> dict[str, tuple[float, int | None]]:
    pledges = ds.table("pledges")
    out: dict[str, tuple[float, int | None]] = {}
    for _, row in pledges.iterrows():
        tag = row["national_path_iso3"]
        if tag is None or pd.isna(tag) or not str(tag):
            continue
        if not _counted(row.get("headline")):
            logger.warning("pledges row %s is flagged (headline=false); the national path "
                           "ignores it: %s", row.get("pledge_id"), row.get("headline_note"))
            continue
        year = None if pd.isna(row["target_year"]) else int(row["target_year"])
        for iso3 in str(tag).split("|"):
            out[iso3] = (float(row["target_share_gdp_pct"]), year)
    return out


@dataclass(frozen=True)
class MoneyPlan:
    """A national plan in money that the ``national`` path follows (pledges table)."""

    iso3: str
    amount_bn: float
    """Planned spending in the plan year [billion national currency, current prices]."""
    currency: str
    year: int
    units_per_usd: float
    """Exchange rate used for every year [national currency per USD]."""
    fx_basis: str
    """Where the rate comes from (fx_rates row or the scenario)."""


def _latest_fx(ds: Dataset, currency: str) -> tuple[float, str]:
    fx = ds.table("fx_rates") if "fx_rates" in ds.table_names() else pd.DataFrame()
    rows = fx[fx["currency"] == currency] if len(fx) else fx
    if not len(rows):
        raise ModelError(
            f"fx_rates has no {currency} rate; the national path converts a {currency} money "
            "plan with it (add a row or set spending.national_money_fx_units_per_usd)."
        )
    last = rows.sort_values("year").iloc[-1]
    return float(last["units_per_usd"]), f"fx_rates {currency} {int(last['year'])} yearly average"


def money_plans(ds: Dataset, sp: SpendingAssumptions) -> dict[str, MoneyPlan]:
    """Per ally, the national plan in money its ``national`` path follows (may be empty).

    A pledges row counts when it is tagged for the ally (``national_path_iso3``), holds
    ``target_money_bn`` with a currency and a target year, and is not flagged. The rate
    is the scenario's ``national_money_fx_units_per_usd[currency]``, else the latest
    yearly average in ``fx_rates``, held for every year (named assumption).
    """
    if not sp.national_money_plans:
        return {}
    pledges = ds.table("pledges")
    if "target_money_bn" not in pledges.columns:
        return {}
    out: dict[str, MoneyPlan] = {}
    for _, row in pledges[pledges["target_money_bn"].notna()].iterrows():
        tag, year = row.get("national_path_iso3"), row.get("target_year")
        if tag is None or pd.isna(tag) or pd.isna(year) or not _counted(row.get("headline")):
            continue
        currency = str(row["target_money_currency"])
        if currency in sp.national_money_fx_units_per_usd:
            rate = sp.national_money_fx_units_per_usd[currency]
            basis = f"scenario spending.national_money_fx_units_per_usd.{currency}"
        else:
            rate, basis = _latest_fx(ds, currency)
        for iso3 in str(tag).split("|"):
            out[iso3] = MoneyPlan(iso3, float(row["target_money_bn"]), currency, int(year),
                                  rate, basis)
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
    money: dict[str, MoneyPlan]
    base_shares: dict[str, float]

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
    headline: bool = True
    """False when the base-year row is flagged: its projection stays out of the counts."""


def project_spending(
    ds: Dataset, sp: SpendingAssumptions, base_year: int = 2025, last_year: int = 2035
) -> pd.DataFrame:
    """Project every ally's defence spending from ``base_year`` to ``last_year``.

    Returns one row per ally and year from 2014 to ``last_year`` with columns
    ``iso3, name, year, path, is_actual, share_gdp_pct, target_share_gdp_pct,
    related_share_gdp_pct, total_share_gdp_pct, gdp_usd_bn, spending_musd_current,
    spending_musd_constant, equipment_share_pct, equipment_musd_current,
    equipment_musd_constant, real_growth_pct, absorption_cap_binding,
    status, headline, source, transcribed_from, money_plan_currency, money_plan_bn,
    money_projected_national_bn, money_plan_units_per_usd,
    gap_two_pct_musd, gap_core_musd, gap_total_musd`` (gaps are current-price
    money still needed to reach 2 %, 3.5 % core and 5 % total; zero when met).
    ``status`` is the published status up to the base year and ``projection``
    after it; ``headline`` false marks rows kept out of the counts; ``source`` and
    ``transcribed_from`` are the published row's (empty on projection years). The
    ``money_*`` columns are filled on the years a money plan drives (national
    path, base year + 1 to the plan year): the plan [bn national currency,
    current], what the projection spends in that currency (less than the plan
    only where the absorption cap binds) and the rate [currency per USD].
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
    ctx = _Projection(sp, macro, _national_targets(ds), hague, base_year, last_year,
                      money_plans(ds, sp), _base_shares(hist, base_year))
    gdp_hist = ds.table("gdp").set_index(["iso3", "year"])["gdp_usd_bn"]

    records: list[dict[str, object]] = []
    for iso3 in isos:
        h = hist[hist["iso3"] == iso3].set_index("year").sort_index()
        ally = _ally_rule(sp, iso3, names[iso3], h, base_year)
        records += _actual_rows(ally, h, base_year, gdp_hist)
        base_share = h["share_gdp_pct"].get(base_year, float("nan"))
        if pd.isna(base_share):
            # no armed forces (Iceland): nothing to project
            records += _unarmed_rows(ctx, ally)
            continue
        records += _projected_rows(ctx, ally, h, float(base_share))
    return _with_totals_and_gaps(pd.DataFrame.from_records(records), thresholds)


def _base_shares(hist: pd.DataFrame, base_year: int) -> dict[str, float]:
    """Base-year share of GDP per ally with armed forces [percent]."""
    rows = hist.loc[hist["year"] == base_year, ["iso3", "share_gdp_pct"]].dropna()
    return {str(i): float(v) for i, v in rows.itertuples(index=False)}


def _ally_rule(
    sp: SpendingAssumptions, iso3: str, name: str, h: pd.DataFrame, base_year: int
) -> _AllyRule:
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
    base = h.loc[base_year] if base_year in h.index else None
    headline = _counted(base.get("headline")) if base is not None else True
    return _AllyRule(iso3, name, path, override, cap, eq_share, headline)


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
                status=_status_of(row),
                headline=_counted(row.get("headline")),
            )
        )
        rows[-1].update(_provenance_of(row))
    return rows


def _provenance_of(row: pd.Series) -> dict[str, object]:
    """``source`` and ``transcribed_from`` of a published row (None where absent)."""
    out: dict[str, object] = {}
    for column in ("source", "transcribed_from"):
        value = row.get(column)
        out[column] = None if value is None or pd.isna(value) or not str(value) else str(value)
    return out


def _status_of(row: pd.Series) -> str:
    """A published row's status; ``actual`` when the table has none (e.g. a test table)."""
    status = row.get("status")
    return "actual" if status is None or pd.isna(status) else str(status)


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
                status="projection",
                headline=True,
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
        elif path == "national" and iso3 in ctx.money:
            target = _money_path_share(ctx, ctx.money[iso3], year, base_share)
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
                status="projection",
                headline=ally.headline,
            )
        )
        if path == "national" and iso3 in ctx.money:
            rows[-1].update(_money_columns(ctx, ctx.money[iso3], year, current))
        prev_real = real
    return rows


def _money_path_share(ctx: _Projection, plan: MoneyPlan, year: int, base_share: float) -> float:
    """Share of GDP [percent] the money plan implies in ``year`` (before the absorption cap).

    Up to the plan year: national currency [bn, current prices] linear from the base year
    (base share x base GDP x rate) to the plan; USD = currency / rate; share = USD / GDP.
    After it: the plan-year share, linear to the Hague core target by the Hague year
    (held when at or above it).
    """
    plan_year = max(plan.year, ctx.base_year + 1)
    if year <= plan_year:
        return 100.0 * _plan_money_bn(ctx, plan, year, base_share) / plan.units_per_usd / float(
            ctx.macro_row(plan.iso3, year)["gdp_usd_bn"]
        )
    plan_share = _money_path_share(ctx, plan, plan_year, base_share)
    if plan_share >= ctx.hague or plan_year >= ctx.sp.hague_target_year:
        return plan_share
    return _linear(plan_share, plan_year, ctx.hague, ctx.sp.hague_target_year, year)


def _plan_money_bn(ctx: _Projection, plan: MoneyPlan, year: int, base_share: float) -> float:
    """Planned spending in ``year`` [billion national currency, current prices], interpolated."""
    base_gdp = float(ctx.macro_row(plan.iso3, ctx.base_year)["gdp_usd_bn"])
    base_money = base_share / 100.0 * base_gdp * plan.units_per_usd
    return _linear(base_money, ctx.base_year, plan.amount_bn, max(plan.year, ctx.base_year + 1),
                   year)


def _money_columns(
    ctx: _Projection, plan: MoneyPlan, year: int, current_musd: float
) -> dict[str, object]:
    """Columns of a year on a money path: the plan money and the money actually projected."""
    if year > max(plan.year, ctx.base_year + 1):
        return {}
    return {
        "money_plan_currency": plan.currency,
        "money_plan_bn": _plan_money_bn(ctx, plan, year, _base_share(ctx, plan.iso3)),
        "money_projected_national_bn": current_musd / 1000.0 * plan.units_per_usd,
        "money_plan_units_per_usd": plan.units_per_usd,
    }


def _base_share(ctx: _Projection, iso3: str) -> float:
    """The base-year share the projection started from [percent of GDP]."""
    return float(ctx.base_shares[iso3])


#: Columns of the years on a money path (empty elsewhere) and of the published rows'
#: provenance (empty on projection years: the source is the scenario's path).
_MONEY_COLUMNS: dict[str, object] = {
    "source": None,
    "transcribed_from": None,
    "money_plan_currency": None,
    "money_plan_bn": float("nan"),
    "money_projected_national_bn": float("nan"),
    "money_plan_units_per_usd": float("nan"),
}


def _with_totals_and_gaps(out: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """Add equipment money, total share and the money gap to each pledge level, sorted."""
    for column, empty in _MONEY_COLUMNS.items():
        if column not in out.columns:
            out[column] = pd.Series(empty, index=out.index, dtype="object" if empty is None
                                    else "float64")
    out["headline"] = out["headline"].astype(bool)
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
    *,
    status: str,
    headline: bool,
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
        "status": status,
        "headline": headline,
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
    Rows with ``headline`` false are no evidence: a level reached only on them is
    not met. ``*_met_status`` gives the status of the row where the level is met
    (``estimate``: NATO's 2024/2025 estimates; ``projection``: a model year).
    """
    rows = []
    for iso3, g in projection.groupby("iso3", sort=True):
        g = g.sort_values("year")
        entry: dict[str, object] = {
            "iso3": iso3,
            "name": g["name"].iloc[0],
            "has_armed_forces": bool(g["share_gdp_pct"].notna().any()),
        }
        counted = g[g["headline"].astype(bool)] if "headline" in g.columns else g
        for level in PLEDGE_LEVELS:
            key, column = _MET_YEAR_COLUMN[level], _LEVEL_COLUMN[level]
            hit = counted.loc[counted[column] >= thresholds[level] - _EPS]
            entry[key] = int(hit["year"].iloc[0]) if len(hit) else None
            entry[key.replace("_year", "_status")] = (
                str(hit["status"].iloc[0]) if len(hit) and "status" in hit.columns else None
            )
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
    allies_at_3_5pct, allies_at_5pct`` (counts of allies with armed forces whose
    row is not flagged), ``allies_with_armed_forces``, ``allies_not_counted_iso3``
    (|-separated: flagged rows, left out of the counts but kept in the money totals)
    and ``status``: the weakest status of the year's rows (a 2025 total built on
    NATO's estimates and Germany's provisional figure is ``provisional``).
    """
    rows = []
    for year, g in projection.groupby("year", sort=True):
        armed = g[g["share_gdp_pct"].notna()]
        flagged = ~armed["headline"].astype(bool) if "headline" in armed.columns else (
            pd.Series(False, index=armed.index))
        counted = armed[~flagged]
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
                (counted[_LEVEL_COLUMN[level]] >= thresholds[level] - _EPS).sum()
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
                "allies_not_counted_iso3": "|".join(sorted(armed.loc[flagged, "iso3"])),
                "status": weakest_status(g["status"]) if "status" in g.columns else "actual",
            }
        )
    return pd.DataFrame(rows)


def burden_sharing(projection: pd.DataFrame) -> pd.DataFrame:
    """Fair-share ratio per ally and year: (share of NATO spending) / (share of NATO GDP).

    Over allies with armed forces and a money figure that year. A ratio above 1
    means the ally carries more than its economic weight. Columns: ``iso3, year,
    share_of_nato_spending_pct, share_of_nato_gdp_pct, fair_share_ratio, status``.
    """
    d = projection[projection["spending_musd_current"].notna() & projection["gdp_usd_bn"].notna()]
    d = d[d["share_gdp_pct"].notna()]
    tot_spend = d.groupby("year")["spending_musd_current"].transform("sum")
    tot_gdp = d.groupby("year")["gdp_usd_bn"].transform("sum")
    out = d[["iso3", "year"]].copy()
    out["share_of_nato_spending_pct"] = 100.0 * d["spending_musd_current"] / tot_spend
    out["share_of_nato_gdp_pct"] = 100.0 * d["gdp_usd_bn"] / tot_gdp
    out["fair_share_ratio"] = out["share_of_nato_spending_pct"] / out["share_of_nato_gdp_pct"]
    if "status" in d.columns:
        out["status"] = d["status"]
    return out.reset_index(drop=True)


def olson_zeckhauser(projection: pd.DataFrame) -> pd.DataFrame:
    """Olson-Zeckhauser test per year: Spearman rank correlation of GDP and defence burden.

    Olson & Zeckhauser (1966) predict that larger allies carry a disproportionate
    burden (positive rho: exploitation of the large by the small). Over allies with
    armed forces and a GDP figure that year. Columns: ``year, olson_zeckhauser_rho,
    olson_zeckhauser_p, n_allies, status`` (weakest status of the year's rows).
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
                "status": weakest_status(g["status"]) if "status" in g.columns else "actual",
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
