"""Headline numbers of one scenario: the only source of the numbers the report's text quotes.

Pure functions from stage results to plain JSON-ready values. Units follow the
stage tables: money in USD million (``*_musd``), shares of GDP in percent,
probabilities as fractions 0-1 with Monte Carlo standard errors (``*_stderr``),
capability gaps in each capability's own unit.
"""

from __future__ import annotations

import math
from typing import Any, TypedDict, cast

import numpy as np
import pandas as pd

from alliance.catalogue import capability_catalogue
from alliance.deterrence import HEADLINE_OUTPUTS
from alliance.memo import per_result
from alliance.planning import PlanResult
from alliance.scenario import Scenario
from alliance.spending import SpendingResult
from alliance.ukraine import UkraineResult

__all__ = ["GAP_TOLERANCE", "clamp_year", "scenario_summary"]

#: Gap at or below which a capability counts as closed in the summary [area units].
GAP_TOLERANCE: float = 1e-6


def _num(value: Any) -> float | None:
    """A plain float, or None for missing/NaN."""
    if value is None or value is pd.NA:
        return None
    v = float(value)
    return None if math.isnan(v) or math.isinf(v) else v


def _int(value: Any) -> int | None:
    """A plain int, or None for missing/NaN."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    return int(value)


def _status(value: Any) -> str | None:
    """A status string, or None when the level is never met (missing)."""
    return None if value is None or value is pd.NA or (isinstance(value, float)
                                                       and math.isnan(value)) else str(value)


def clamp_year(year: int, years: list[int]) -> int:
    """``year`` moved into the span of ``years`` (ascending): first or last year when outside."""
    return min(max(year, years[0]), years[-1])


@per_result(64)
def _spending_summary(spending: SpendingResult, horizon: int, path: str,
                      report_year: int) -> dict[str, Any]:
    agg = spending.aggregates.set_index("year")
    pledges = spending.pledges
    armed = pledges[pledges["has_armed_forces"]]

    def at(year: int) -> dict[str, Any]:
        def cell(column: str) -> Any:
            return agg[column].loc[year]

        return {
            "year": int(year),
            "allies_at_2pct": int(cell("allies_at_2pct")),
            "allies_at_3_5pct": int(cell("allies_at_3_5pct")),
            "allies_at_5pct": int(cell("allies_at_5pct")),
            "nato_total_musd_current": _num(cell("nato_total_musd_current")),
            "europe_canada_musd_current": _num(cell("europe_canada_musd_current")),
            "us_share_pct": _num(cell("us_share_pct")),
            "nato_share_gdp_pct": _num(cell("nato_share_gdp_pct")),
            # status of the year's figures (actual | estimate | provisional | projection) and
            # the allies whose flagged rows the counts leave out (issue 13)
            "status": str(cell("status")),
            "allies_not_counted": [x for x in str(cell("allies_not_counted_iso3")).split("|")
                                   if x],
        }

    core = {str(r.iso3): _int(r.core_pledge_met_year) for r in armed.itertuples()}
    total = {str(r.iso3): _int(r.total_pledge_met_year) for r in armed.itertuples()}
    missing_core = sorted(str(r.name) for r in armed.itertuples()
                          if (met := _int(r.core_pledge_met_year)) is None or met > horizon)
    binding = spending.allies
    binding = binding[(~binding["is_actual"]) & binding["absorption_cap_binding"].astype(bool)]
    return {
        "path": path,
        "pledge_thresholds_pct": dict(spending.thresholds),
        "allies_with_armed_forces": len(armed),
        "report_year": at(report_year),
        "horizon": at(horizon),
        "core_pledge_met_year": core,
        "core_pledge_met_status": {str(r.iso3): _status(r.core_pledge_met_status)
                                   for r in armed.itertuples()},
        "total_pledge_met_year": total,
        "total_pledge_met_status": {str(r.iso3): _status(r.total_pledge_met_status)
                                    for r in armed.itertuples()},
        "allies_missing_core_by_horizon": missing_core,
        "absorption_cap_binding_allies": sorted(binding["iso3"].unique().tolist()),
    }


class CapabilityGapSummary(TypedDict):
    """One capability area's headline gap figures (in the area's unit; years as int)."""

    capability: str
    label: str
    unit: str
    requirement_report_year: float | None
    requirement_basis: str
    requirement_source: str
    gap_report_year: float | None
    gap_low_report_year: float | None
    gap_high_report_year: float | None
    most_sensitive_assumption_report_year: str
    gap_without_us_report_year: float | None
    gap_horizon: float | None
    peak_gap: float | None
    peak_gap_year: int | None
    closure_year: int | None


#: The gaps columns one capability's headline figures read.
_GAP_COLUMNS: tuple[str, ...] = (
    "capability", "year", "unit", "requirement", "requirement_basis", "requirement_source",
    "gap", "gap_low", "gap_high", "most_sensitive_assumption", "european_effective",
)


def _peak(rows: list[dict[str, Any]]) -> tuple[float | None, int | None]:
    """The largest gap and its first year (missing gaps skipped; None when all are missing)."""
    known = [r for r in rows if _num(r["gap"]) is not None]
    if not known:
        return None, None
    top = max(known, key=lambda r: float(r["gap"]))  # max keeps the first of equal gaps
    return float(top["gap"]), int(top["year"])


def _gap_summary(gaps: pd.DataFrame, plan: PlanResult, report_year: int) -> dict[str, Any]:
    closure = plan.closure_year
    catalogue = capability_catalogue()
    by_capability: dict[str, list[dict[str, Any]]] = {}
    for record in gaps[list(_GAP_COLUMNS)].to_dict("records"):
        by_capability.setdefault(str(record["capability"]), []).append(
            {str(k): v for k, v in record.items()})
    rows: list[CapabilityGapSummary] = []
    for cap in sorted(by_capability):
        g = sorted(by_capability[cap], key=lambda r: int(r["year"]))
        ry = clamp_year(report_year, [int(g[0]["year"]), int(g[-1]["year"])])
        at = next(r for r in g if int(r["year"]) == ry)
        without_us = at["requirement"] - at["european_effective"]
        peak_gap, peak_year = _peak(g)
        rows.append({
            "capability": cap,
            "label": catalogue.label(cap),
            "unit": str(g[0]["unit"]),
            "requirement_report_year": _num(at["requirement"]),
            "requirement_basis": str(at["requirement_basis"]),
            "requirement_source": str(at["requirement_source"]),
            "gap_report_year": _num(at["gap"]),
            "gap_low_report_year": _num(at["gap_low"]),
            "gap_high_report_year": _num(at["gap_high"]),
            "most_sensitive_assumption_report_year": str(at["most_sensitive_assumption"]),
            "gap_without_us_report_year": _num(without_us if _num(without_us) is None
                                               else max(without_us, 0.0)),
            "gap_horizon": _num(g[-1]["gap"]),
            "peak_gap": peak_gap,
            "peak_gap_year": peak_year,
            "closure_year": closure.get(cap),
        })
    open_rows = [r for r in rows if (r["gap_report_year"] or 0.0) > GAP_TOLERANCE]
    open_without_us = [r for r in rows if (r["gap_without_us_report_year"] or 0.0) > GAP_TOLERANCE]
    return {
        "report_year": report_year,
        "capabilities": rows,
        "open_gaps_report_year": len(open_rows),
        "open_gaps_without_us_report_year": len(open_without_us),
        "capabilities_assessed": len(rows),
    }


def _plan_summary(plan: PlanResult, horizon: int) -> dict[str, Any]:
    closure = plan.closure_year
    not_closed = sorted(c for c, y in closure.items() if y is None)
    closed_years = [y for y in closure.values() if y is not None]
    spend = plan.spend
    return {
        "status": str(plan.status),
        "total_cost_musd": _num(plan.total_cost_musd),
        "spend_musd": _num(spend["musd"].sum()) if len(spend) else 0.0,
        "closure_year": closure,
        "last_closure_year": None if not_closed or not closed_years else max(closed_years),
        "capabilities_not_closed": not_closed,
        "horizon": int(plan.horizon) if plan.horizon else horizon,
        "binding": list(plan.binding),
    }


def _deterrence_summary(
    deterrence: pd.DataFrame, draws: int, seed: int, report_year: int
) -> dict[str, Any]:
    d = deterrence.sort_values("year")
    per_year = []
    for r in d.to_dict("records"):
        entry: dict[str, Any] = {"year": int(r["year"])}
        for m in HEADLINE_OUTPUTS:
            entry[m] = _num(r.get(m))
            entry[f"{m}_stderr"] = _num(r.get(f"{m}_stderr"))
        entry["mean_decision_latency_h"] = _num(r.get("mean_decision_latency_h"))
        per_year.append(entry)
    peak = max(per_year, key=lambda e: e["p_probe"] or 0.0)
    ry = clamp_year(report_year, [per_year[0]["year"], per_year[-1]["year"]])
    at_ry = next(e for e in per_year if e["year"] == ry)
    return {
        "draws": draws,
        "seed": seed,
        "per_year": per_year,
        "report_year": at_ry,
        "peak_p_probe": peak["p_probe"],
        "peak_p_probe_stderr": peak["p_probe_stderr"],
        "peak_p_probe_year": peak["year"],
    }


def scenario_summary(
    *,
    scenario: Scenario,
    spending: SpendingResult,
    gaps: pd.DataFrame,
    plan: PlanResult,
    deterrence: pd.DataFrame,
    draws: int,
    seed: int,
    report_year: int,
) -> dict[str, Any]:
    """Headline numbers of one scenario as plain JSON-ready Python values."""
    ry = clamp_year(report_year, scenario.years)
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "first_year": scenario.first_year,
        "horizon": scenario.horizon,
        "report_year": ry,
        "spending": _spending_summary(spending, scenario.horizon, scenario.spending.path, ry),
        "gaps": _gap_summary(gaps, plan, ry),
        "plan": _plan_summary(plan, scenario.horizon),
        "deterrence": _deterrence_summary(deterrence, draws, seed, ry),
    }


# --- GIUK barrier (issue 12) -------------------------------------------------------------


def asw_summary(
    detection: pd.DataFrame, requirements: pd.DataFrame, report_year: int
) -> dict[str, Any]:
    """P(detect) per leg with and without US assets, and the MPA and frigates Europe needs.

    All in ``report_year`` (clamped to the table's years); probabilities 0-1 per transit.
    """
    years = sorted(int(y) for y in detection["year"].unique())
    ry = clamp_year(report_year, years)
    d = detection.loc[detection["year"] == ry]
    r = requirements.loc[requirements["year"] == ry].set_index("capability")

    def need(area: str) -> float | None:
        return _num(r.loc[area, "requirement_units"]) if area in r.index else None

    return {
        "year": ry,
        "p_detect": {str(x["leg"]): _num(x["p_detect"]) for x in d.to_dict("records")},
        "p_detect_without_us": {
            str(x["leg"]): _num(x["p_detect_without_us"]) for x in d.to_dict("records")
        },
        "target_p_detect": _num(r["target_p_detect"].iloc[0]) if len(r) else None,
        "mpa_needed": need("maritime_patrol_aircraft"),
        "frigates_needed": need("frigate_destroyer"),
    }


# --- Ukraine support and PURL (issue 13) -------------------------------------------------


def _latest_share_per_year(europe_us: pd.DataFrame) -> list[dict[str, Any]]:
    """Europe's and the US's share per year: the year's latest figure pair, totals first."""
    out: list[dict[str, Any]] = []
    if europe_us.empty:
        return out
    e = europe_us.assign(_total=europe_us["aid_type"].astype(str).str.startswith(("total",
                                                                                   "military+")))
    for year, g in e.groupby("year"):
        g = g.sort_values(["_total", "data_through"])
        last = g.iloc[-1]
        out.append({"year": int(cast(int, year)),
                    "europe_share_pct": _num(last["europe_share_pct"]),
                    "us_share_pct": _num(last["us_share_pct"]), "basis": str(last["basis"]),
                    "aid_type": str(last["aid_type"]), "measure": str(last["measure"]),
                    "data_through": str(last["data_through"])})
    return out


def ukraine_summary(result: UkraineResult, scenario: Scenario, report_year: int) -> dict[str, Any]:
    """Europe vs US shares per year, PURL members and totals, and the budget draw.

    Money in EUR bn (``*_eur_bn``) or USD million (``*_usd_m``); shares in percent.
    """
    return _ukraine_summary(result, scenario.ukraine.support, report_year)


@per_result(64)
def _ukraine_summary(result: UkraineResult, support: str, report_year: int) -> dict[str, Any]:
    purl = result.purl_allies
    joined = purl[purl["joined"].astype("boolean").fillna(False).astype(bool)]
    refused = purl[purl["joined"].astype("boolean").eq(False).fillna(False).astype(bool)]
    totals = result.purl_totals.sort_values("total_usd_m")
    years = result.europe_years.set_index("year")
    ry = clamp_year(report_year, [int(y) for y in years.index])
    draw = result.budget_draw[result.budget_draw["year"] == ry]
    top = draw.sort_values("draw_eur_bn", ascending=False).head(5)
    return {
        "support": support,
        "kiel_latest_release": dict(result.latest_release),
        "europe_us_shares": _latest_share_per_year(result.europe_us),
        "purl_allies_joined": len(joined),
        "purl_allies_joined_share_pct": _num(100 * len(joined) / len(purl)) if len(purl) else None,
        "purl_allies_refused": sorted(str(x) for x in refused["iso3"]),
        "purl_latest_total_usd_m": _num(totals["total_usd_m"].iloc[-1]) if len(totals) else None,
        "purl_packages_with_usd_sum_usd_m": _num(
            result.purl_totals["packages_with_usd_sum_usd_m"].iloc[0]) if len(totals) else None,
        "report_year": ry,
        "europe_military_eur_bn": _num(years.loc[ry, "europe_military_eur_bn"]),
        "purl_usd_m": _num(years.loc[ry, "purl_usd_m"]),
        "purl_stopped_eur_bn": _num(years.loc[ry, "purl_stopped_eur_bn"]),
        "largest_draw_eur_bn": {str(r.iso3): _num(r.draw_eur_bn) for r in top.itertuples()},
    }
