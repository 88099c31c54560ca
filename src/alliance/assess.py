"""The main job: run every stage for one or many scenarios and write the outputs.

:func:`run_assessments` runs :func:`alliance.pipeline.assess_scenario` per
scenario; :func:`result_tables` turns the results into tidy long tables with a
``scenario`` column (written as Parquet); :func:`summarise` extracts the
headline numbers (written as ``summary.json`` and the only source of the
numbers quoted in the report's text); :func:`write_outputs` writes a folder
atomically: everything goes into a temporary sibling folder first, which then
replaces the previous outputs in one rename.

Units follow the stage tables: money in USD million (``*_musd``), shares of GDP
in percent, probabilities as fractions 0-1, capability gaps in each
capability's own unit (systems, aircraft, batteries ...).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliance.data import Dataset
from alliance.errors import AllianceError
from alliance.pipeline import Assessment, assess_scenario
from alliance.scenario import Scenario, load_scenario

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "REPORT_YEAR",
    "TABLE_NAMES",
    "capability_label",
    "result_tables",
    "run_assessments",
    "summarise",
    "summarise_one",
    "write_outputs",
]

logger = logging.getLogger(__name__)

#: Monte Carlo draws per scenario used by ``alliance assess`` unless told otherwise.
DEFAULT_DRAWS: int = 20_000
#: Seed of the crisis Monte Carlo unless told otherwise.
DEFAULT_SEED: int = 20250624
#: Year the headline numbers quote (clamped into each scenario's years) [year].
REPORT_YEAR: int = 2030

#: Parquet tables written by :func:`write_outputs` (file stem, one per table).
TABLE_NAMES: tuple[str, ...] = (
    "spending",
    "pledge_years",
    "aggregates",
    "burden_sharing",
    "olson_zeckhauser",
    "gaps",
    "dependency",
    "plan_orders",
    "plan_deliveries",
    "plan_capacity",
    "plan_spend",
    "plan_shortfall",
    "plan_closure",
    "deterrence",
)

#: Probabilities of the crisis Monte Carlo quoted in the summary (fractions 0-1).
DETERRENCE_MEASURES: tuple[str, ...] = (
    "p_probe",
    "p_undivided_response",
    "p_coalition_response",
    "p_fait_accompli",
)

_GAP_TOL = 1e-6


def capability_label(capability: str) -> str:
    """Plain-language name of a capability code (e.g. 'long-range air defence')."""
    from alliance.planning import CAPABILITY_LABELS

    return CAPABILITY_LABELS.get(capability, capability.replace("_", " "))


def run_assessments(
    dataset: Dataset,
    scenarios: Iterable[str | Scenario],
    *,
    draws: int,
    seed: int,
    on_stage: Callable[[str, str], None] | None = None,
) -> list[Assessment]:
    """Run every stage for each scenario (built-in name, YAML path or Scenario).

    ``on_stage(scenario_name, stage)`` is told each stage as it starts. Every
    scenario is loaded and validated before the first one runs.
    """
    if draws < 1:
        msg = f"draws: expected a positive number of Monte Carlo draws, found {draws}."
        raise AllianceError(msg)
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    names = [s.name for s in loaded]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        msg = f"scenarios: each scenario may appear once; repeated: {', '.join(duplicates)}."
        raise AllianceError(msg)
    results = []
    for scenario in loaded:
        logger.info("assessing %s (%d draws, seed %d)", scenario.name, draws, seed)

        def tell(stage: str, _name: str = scenario.name) -> None:
            if on_stage is not None:
                on_stage(_name, stage)

        results.append(assess_scenario(dataset, scenario, draws=draws, seed=seed, on_stage=tell))
    return results


def _with_scenario(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    out = frame.copy()
    out.insert(0, "scenario", name)
    return out.reset_index(drop=True)


def _plan_closure(plan: Any) -> pd.DataFrame:
    closure = plan.closure.copy()
    closure["closure_year"] = pd.array(
        [None if v is None or pd.isna(v) else int(v) for v in closure["closure_year"]],
        dtype="Int64",
    )
    return closure


def _tables_of(a: Assessment) -> dict[str, pd.DataFrame]:
    plan = a.plan
    return {
        "spending": a.spending.allies,
        "pledge_years": a.spending.pledges,
        "aggregates": a.spending.aggregates,
        "burden_sharing": a.spending.burden,
        "olson_zeckhauser": a.spending.olson_zeckhauser,
        "gaps": a.gaps,
        "dependency": a.dependency,
        "plan_orders": plan.orders,
        "plan_deliveries": plan.deliveries,
        "plan_capacity": plan.capacity,
        "plan_spend": plan.spend,
        "plan_shortfall": plan.shortfall,
        "plan_closure": _plan_closure(plan),
        "deterrence": a.deterrence,
    }


def result_tables(assessments: Iterable[Assessment]) -> dict[str, pd.DataFrame]:
    """Tidy long tables over all scenarios, each with a leading ``scenario`` column."""
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_NAMES}
    for a in assessments:
        for name, frame in _tables_of(a).items():
            parts[name].append(_with_scenario(frame, a.scenario.name))
    return {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items() if frames}


def _num(value: Any) -> float | None:
    """A plain float, or None for missing/NaN."""
    if value is None or value is pd.NA:
        return None
    v = float(value)
    return None if math.isnan(v) or math.isinf(v) else v


def _int(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    return int(value)


def _clamp_year(year: int, years: list[int]) -> int:
    return min(max(year, years[0]), years[-1])


def _spending_summary(a: Assessment, report_year: int) -> dict[str, Any]:
    sc = a.scenario
    agg = a.spending.aggregates.set_index("year")
    pledges = a.spending.pledges
    armed = pledges[pledges["has_armed_forces"]]
    horizon = sc.horizon

    def at(year: int) -> dict[str, Any]:
        row = agg.loc[year]
        return {
            "year": int(year),
            "allies_at_2pct": int(row["allies_at_2pct"]),
            "allies_at_3_5pct": int(row["allies_at_3_5pct"]),
            "allies_at_5pct": int(row["allies_at_5pct"]),
            "nato_total_musd_current": _num(row["nato_total_musd_current"]),
            "europe_canada_musd_current": _num(row["europe_canada_musd_current"]),
            "us_share_pct": _num(row["us_share_pct"]),
            "nato_share_gdp_pct": _num(row["nato_share_gdp_pct"]),
        }

    core = {str(r.iso3): _int(r.core_pledge_met_year) for r in armed.itertuples()}
    total = {str(r.iso3): _int(r.total_pledge_met_year) for r in armed.itertuples()}
    missing_core = sorted(str(r.name) for r in armed.itertuples()
                          if _int(r.core_pledge_met_year) is None
                          or _int(r.core_pledge_met_year) > horizon)
    binding = a.spending.allies
    binding = binding[(~binding["is_actual"]) & binding["absorption_cap_binding"].astype(bool)]
    return {
        "path": sc.spending.path,
        "allies_with_armed_forces": len(armed),
        "report_year": at(report_year),
        "horizon": at(horizon),
        "core_pledge_met_year": core,
        "total_pledge_met_year": total,
        "allies_missing_core_by_horizon": missing_core,
        "absorption_cap_binding_allies": sorted(binding["iso3"].unique().tolist()),
    }


def _gap_summary(a: Assessment, report_year: int) -> dict[str, Any]:
    gaps = a.gaps
    closure = a.plan.closure_year
    rows = []
    for cap, g in gaps.groupby("capability", sort=True):
        g = g.set_index("year").sort_index()
        without_us = (g["requirement"] - g["european_effective"]).clip(lower=0.0)
        ry = _clamp_year(report_year, [int(g.index.min()), int(g.index.max())])
        peak_year = int(g["gap"].idxmax()) if g["gap"].notna().any() else None
        rows.append({
            "capability": str(cap),
            "label": capability_label(str(cap)),
            "unit": str(g["unit"].iloc[0]),
            "requirement_report_year": _num(g.loc[ry, "requirement"]),
            "gap_report_year": _num(g.loc[ry, "gap"]),
            "gap_without_us_report_year": _num(without_us.loc[ry]),
            "gap_horizon": _num(g["gap"].iloc[-1]),
            "peak_gap": _num(g["gap"].max()),
            "peak_gap_year": peak_year,
            "closure_year": closure.get(str(cap)),
        })
    open_rows = [r for r in rows if (r["gap_report_year"] or 0.0) > _GAP_TOL]
    open_without_us = [r for r in rows if (r["gap_without_us_report_year"] or 0.0) > _GAP_TOL]
    return {
        "report_year": report_year,
        "capabilities": rows,
        "open_gaps_report_year": len(open_rows),
        "open_gaps_without_us_report_year": len(open_without_us),
        "capabilities_assessed": len(rows),
    }


def _plan_summary(a: Assessment) -> dict[str, Any]:
    plan = a.plan
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
        "horizon": int(plan.horizon) if plan.horizon else a.scenario.horizon,
        "binding": list(plan.binding),
    }


def _deterrence_summary(a: Assessment, report_year: int) -> dict[str, Any]:
    d = a.deterrence.sort_values("year")
    per_year = []
    for r in d.to_dict("records"):
        entry: dict[str, Any] = {"year": int(r["year"])}
        for m in DETERRENCE_MEASURES:
            entry[m] = _num(r.get(m))
            entry[f"{m}_stderr"] = _num(r.get(f"{m}_stderr"))
        entry["mean_decision_latency_h"] = _num(r.get("mean_decision_latency_h"))
        per_year.append(entry)
    peak = max(per_year, key=lambda e: e["p_probe"] or 0.0)
    ry = _clamp_year(report_year, [per_year[0]["year"], per_year[-1]["year"]])
    at_ry = next(e for e in per_year if e["year"] == ry)
    return {
        "draws": a.draws,
        "seed": a.seed,
        "per_year": per_year,
        "report_year": at_ry,
        "peak_p_probe": peak["p_probe"],
        "peak_p_probe_stderr": peak["p_probe_stderr"],
        "peak_p_probe_year": peak["year"],
    }


def summarise_one(a: Assessment, report_year: int = REPORT_YEAR) -> dict[str, Any]:
    """Headline numbers of one scenario as plain JSON-ready Python values."""
    sc = a.scenario
    ry = _clamp_year(report_year, sc.years)
    return {
        "scenario": sc.name,
        "description": sc.description,
        "first_year": sc.first_year,
        "horizon": sc.horizon,
        "report_year": ry,
        "spending": _spending_summary(a, ry),
        "gaps": _gap_summary(a, ry),
        "plan": _plan_summary(a),
        "deterrence": _deterrence_summary(a, ry),
    }


def summarise(assessments: Iterable[Assessment], report_year: int = REPORT_YEAR) -> dict[str, Any]:
    """Headline numbers of every scenario: ``{"scenarios": {name: ...}, ...}``."""
    items = list(assessments)
    return {
        "alliance_version": _version(),
        "report_year": report_year,
        "draws": items[0].draws if items else None,
        "seed": items[0].seed if items else None,
        "units": {
            "money": "USD million (musd); current prices unless named constant",
            "shares": "percent of GDP",
            "probabilities": "fraction 0-1 per year, with Monte Carlo standard error (_stderr)",
            "gaps": "capability's own unit (see 'unit')",
        },
        "scenarios": {a.scenario.name: summarise_one(a, report_year) for a in items},
    }


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alliance")
    except PackageNotFoundError:
        return "unknown"


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one table as Parquet (object columns of mixed type become strings)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            kinds = {type(v) for v in out[col].dropna()}
            if len(kinds) > 1:
                out[col] = out[col].map(lambda v: None if v is None or v is pd.NA else str(v))
    out.to_parquet(path, index=False)


def write_outputs(
    out_dir: str | Path,
    tables: Mapping[str, pd.DataFrame],
    summary: Mapping[str, Any],
    report_html: str,
) -> Path:
    """Write report.html, summary.json and ``<table>.parquet`` into ``out_dir`` atomically.

    Files are written into a temporary sibling folder which then replaces
    ``out_dir`` by rename; the previous outputs stay untouched until that moment,
    and an interrupted write removes the temporary folder. Returns ``out_dir``.
    """
    out = Path(out_dir).resolve()
    if out.exists() and not out.is_dir():
        raise AllianceError(f"--out: {out} exists and is not a folder; choose a folder path.")
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AllianceError(f"--out: cannot create {parent}: {exc.strerror}.") from None
    token = uuid.uuid4().hex[:8]
    tmp = parent / f".{out.name}.tmp-{token}"
    old = parent / f".{out.name}.old-{token}"
    try:
        tmp.mkdir()
        for name, frame in tables.items():
            _write_table(frame, tmp / f"{name}.parquet")
        (tmp / "summary.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        (tmp / "report.html").write_text(report_html, encoding="utf-8")
        if out.exists():
            os.replace(out, old)
        try:
            os.replace(tmp, out)
        except BaseException:
            if old.exists() and not out.exists():
                os.replace(old, out)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    logger.info("wrote %d tables, summary.json and report.html to %s", len(tables), out)
    return out
