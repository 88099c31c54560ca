"""The dashboard's chart data: compact series the browser draws with plotly.js.

The browser builds the traces (so the ally selector and the ghost line of the
unchanged scenario are restyles, not new requests); the server sends numbers
only. Probabilities are in percent with the 95 % half-width (1.96 standard
errors), as in the report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from alliance.assessment import Assessment
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.memo import per_result
from alliance.report.allies import spending_status
from alliance.report.build import Z95
from alliance.spending import SpendingResult

__all__ = ["dashboard_charts"]


def _r(values: Any, digits: int = 3) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), digits) for v in values]


@per_result(64)
def _spending(spending: SpendingResult, dataset: Dataset) -> dict[str, Any]:
    """The spending chart's series: they read the spending stage's results only."""
    allies = spending.allies
    status = spending_status(allies, dataset)
    d = allies.assign(status=status["status"].to_numpy(), source=status["source"].to_numpy())
    d = d[d["share_gdp_pct"].notna()].sort_values(["iso3", "year"])
    lines = []
    for iso3, g in d.groupby("iso3", sort=True):
        lines.append({"iso3": str(iso3), "name": str(g["name"].iloc[0]),
                      "years": [int(y) for y in g["year"]], "share": _r(g["share_gdp_pct"], 2),
                      "status": [str(s) for s in g["status"]],
                      "source": [str(s) for s in g["source"]]})
    median = d.groupby("year")["share_gdp_pct"].median()
    return {"allies": lines, "median": {"years": [int(y) for y in median.index],
                                        "share": _r(median.values, 2)},
            "thresholds": dict(spending.thresholds)}


def _median(a: Assessment) -> dict[str, Any]:
    d = a.spending.allies
    median = d[d["share_gdp_pct"].notna()].groupby("year")["share_gdp_pct"].median()
    return {"years": [int(y) for y in median.index], "share": _r(median.values, 2)}


def _gaps(a: Assessment, year: int) -> list[dict[str, Any]]:
    g = a.gaps[a.gaps["year"] == year]
    label = capability_catalogue().label
    rows = []
    for r in g.sort_values("capability").to_dict("records"):
        req = float(r["requirement"])
        gap = float(r["gap"])
        rows.append({"capability": str(r["capability"]), "label": label(str(r["capability"])),
                     "unit": str(r["unit"]), "gap": round(gap, 1), "requirement": round(req, 1),
                     "gap_pct": round(100 * gap / req, 1) if req > 0 else 0.0})
    return rows


def _deliveries(a: Assessment) -> list[dict[str, Any]]:
    d = a.plan.deliveries
    d = d[d["units"] > 1e-6]
    by = d.groupby(["capability", "year"], as_index=False)["units"].sum()
    label = capability_catalogue().label
    return [{"label": label(str(cap)), "years": [int(y) for y in g["year"]],
             "units": _r(g["units"], 1)} for cap, g in by.groupby("capability", sort=True)]


def _risk(a: Assessment) -> dict[str, Any]:
    d = a.deterrence.sort_values("year")
    out: dict[str, Any] = {"years": [int(y) for y in d["year"]]}
    for m in ("p_probe", "p_fait_accompli"):
        out[m] = _r(100 * d[m], 2)
        out[f"{m}_half95"] = _r(100 * Z95 * d[f"{m}_stderr"], 2)
    return out


def dashboard_charts(a: Assessment, reference: Assessment | None, dataset: Dataset,
                     report_year: int) -> dict[str, Any]:
    """Series for the dashboard's four charts, and the unchanged scenario's as ``reference``.

    ``spending``: every ally's core share of GDP [%] per year with each point's
    status and source, the median ally and the pledge levels; ``gaps``: gap per
    capability area in the report year (clamped into the scenario's years) [units
    and % of requirement]; ``deliveries``: planned units per capability and year;
    ``risk``: P(probe) and P(fait accompli) [%] with 95 % half-widths.
    """
    years = a.scenario.years
    year = min(max(report_year, years[0]), years[-1])
    out: dict[str, Any] = {
        "report_year": year,
        "spending": _spending(a.spending, dataset),
        "gaps": _gaps(a, year),
        "deliveries": _deliveries(a),
        "risk": _risk(a),
        "reference": None,
    }
    if reference is not None:
        out["reference"] = {"scenario": reference.scenario.name, "median": _median(reference),
                            "gaps": _gaps(reference, year), "risk": _risk(reference)}
    return out
