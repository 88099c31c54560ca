"""The report's "Ukraine and PURL" section: rankings, Europe vs US over time, PURL members."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from alliance.assessment import Assessment

__all__ = ["ukraine_context"]

#: Donors listed in each ranking.
TOP = 10


def _rankings(a: Assessment) -> dict[str, Any]:
    dy = a.ukraine.donor_years
    donors = dy[dy["donor_group"].isin(["country", "united_states", "other"])
                & dy["military_eur_bn"].notna()]
    if donors.empty:
        return {"year": None, "by_money": [], "by_share": []}
    year = int(donors["year"].max())
    latest = donors[donors["year"] == year]
    money = latest.sort_values("military_eur_bn", ascending=False).head(TOP)
    share = latest.dropna(subset=["share_of_gdp_pct"]).sort_values(
        "share_of_gdp_pct", ascending=False).head(TOP)
    return {
        "year": year,
        "by_money": [{"donor": r["donor"], "eur_bn": float(r["military_eur_bn"])}
                     for r in money.to_dict("records")],
        "by_share": [{"donor": r["donor"], "pct": float(r["share_of_gdp_pct"])}
                     for r in share.to_dict("records")],
    }


def _amount(value: Any) -> float | None:
    return None if value is None or math.isnan(float(value)) else float(value)


def ukraine_context(assessments: Sequence[Assessment], summary: dict[str, Any]) -> dict[str, Any]:
    """What the template's Ukraine section shows (data rows from the first assessment)."""
    first = assessments[0]
    purl = first.ukraine.purl_allies
    members = [{"iso3": r["iso3"], "name": r["name"], "joined": r["joined"],
                "packages": int(r["packages"]), "amount_usd_m": _amount(r["amount_usd_m"]),
                "other": r["other_amounts"], "source": r["source"], "grade": r["source_grade"]}
               for r in purl.to_dict("records")]
    per_scenario = {name: s.get("ukraine") for name, s in summary["scenarios"].items()}
    first_summary = next((s for s in per_scenario.values() if s), None)
    return {
        "rankings": _rankings(first),
        "shares": first_summary["europe_us_shares"] if first_summary else [],
        "members": members,
        "scenarios": per_scenario,
        "totals": first.ukraine.purl_totals.to_dict("records"),
    }
