"""Per-ally data for the report's and the dashboard's country card and map.

Every figure carries its status (actual / estimate / provisional / projection)
and its source. Columns a stage's tables do not (yet) have are skipped: the
card shows what is there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from alliance.assessment import Assessment
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset

__all__ = ["CARD_COLUMNS", "STATUSES", "ally_cards", "map_status", "spending_status"]

#: The statuses a number can have, in the order the legend lists them.
STATUSES: tuple[str, ...] = ("actual", "estimate", "provisional", "projection")
#: Where a projected number comes from.
PROJECTION_SOURCE = "alliance model: the scenario's spending path (see Assumptions)"


def _clean(value: Any) -> Any:
    """A JSON-ready scalar (NaN and NA become None, numpy scalars plain Python)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def spending_status(spending: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """``iso3, year, status, source, transcribed_from`` of every spending row.

    The spending stage's own ``status``/``source``/``transcribed_from`` columns are
    used where present. Until the stage has a ``status`` column, it is derived
    from ``is_actual``: a data year takes the status and source of its row in the
    bundled ``defence_expenditure`` table (NATO's actual / estimate /
    provisional), a projected year is ``projection`` with the model as source.
    No status is invented beyond these.
    """
    out = spending[["iso3", "year"]].copy()
    if "status" in spending.columns:
        out["status"] = spending["status"].astype("string")
        out["source"] = (spending["source"].astype("string") if "source" in spending.columns
                         else pd.Series(pd.NA, index=spending.index, dtype="string"))
    else:
        table = dataset.table("defence_expenditure")
        cols = [c for c in ("iso3", "year", "status", "source", "transcribed_from")
                if c in table.columns]
        known = table[cols].drop_duplicates(["iso3", "year"])
        merged = out.merge(known, on=["iso3", "year"], how="left")
        actual = spending["is_actual"].to_numpy(dtype=bool)
        out["status"] = pd.Series(merged["status"].to_numpy(), index=out.index,
                                  dtype="string").where(actual, "projection")
        out["source"] = pd.Series(merged["source"].to_numpy(), index=out.index,
                                  dtype="string").where(actual, PROJECTION_SOURCE)
        if "transcribed_from" in merged.columns:
            out["transcribed_from"] = merged["transcribed_from"].to_numpy()
    if "transcribed_from" in spending.columns:
        out["transcribed_from"] = spending["transcribed_from"].to_numpy()
    out["status"] = out["status"].fillna("projection")
    out["source"] = out["source"].fillna(PROJECTION_SOURCE)
    return out


class _Sources:
    """Interns source strings: each card row names a source by its index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def ref(self, value: Any) -> int | None:
        text = _clean(value)
        if text is None or str(text).strip() == "":
            return None
        key = str(text).strip()
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(key)
        return self._index[key]


def _spending_rows(a: Assessment, dataset: Dataset, sources: _Sources) -> dict[str, list[Any]]:
    d = a.spending.allies
    st = spending_status(d, dataset)
    rows: dict[str, list[Any]] = {}
    for rec, s, src in zip(d.to_dict("records"), st["status"], st["source"], strict=True):
        rows.setdefault(str(rec["iso3"]), []).append([
            int(rec["year"]), _round(rec.get("share_gdp_pct"), 2),
            _round(rec.get("spending_musd_current"), 0), str(s), sources.ref(src)])
    return rows


def _round(value: Any, digits: int) -> float | None:
    v = _clean(value)
    return None if v is None else round(float(v), digits)


def _pledges(a: Assessment) -> dict[str, dict[str, Any]]:
    cols = [c for c in a.spending.pledges.columns if c.endswith("_met_year")]
    out = {}
    for rec in a.spending.pledges.to_dict("records"):
        out[str(rec["iso3"])] = {c: _clean(rec[c]) for c in cols}
    return out


def _holdings(dataset: Dataset, sources: _Sources) -> dict[str, list[dict[str, Any]]]:
    h = dataset.table("capability_holdings")
    label = capability_catalogue().label
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in h.to_dict("records"):
        iso3 = _clean(rec.get("iso3"))
        if iso3 is None:
            continue
        row = {"capability": label(str(rec["capability"])), "system": _clean(rec.get("system")),
               "quantity": _clean(rec.get("quantity")), "unit": _clean(rec.get("unit")),
               "as_of": _clean(rec.get("as_of_year")), "us_made": bool(_clean(rec.get("us_made"))),
               "counted": bool(_clean(rec.get("counted"))) if "counted" in rec else True,
               "reliability": _clean(rec.get("reliability")),
               "source": sources.ref(rec.get("source"))}
        out.setdefault(str(iso3), []).append(row)
    return out


def _exposure(a: Assessment) -> dict[str, list[dict[str, Any]]]:
    label = capability_catalogue().label
    keep = ("unit", "holdings", "us_made_holdings", "us_made_share", "us_made_systems",
            "availability_loss_at_horizon", "value_at_stake_musd", "value_status")
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in a.dependency.to_dict("records"):
        row = {"capability": label(str(rec["capability"]))}
        row.update({k: _clean(rec[k]) for k in keep if k in rec})
        out.setdefault(str(rec["iso3"]), []).append(row)
    return out


def _gap_share(a: Assessment, report_year: int) -> dict[str, list[dict[str, Any]]]:
    """Each ally's holdings as a share of the European holdings per capability area."""
    dep = a.dependency
    if dep.empty or "holdings" not in dep.columns:
        return {}
    gaps = a.gaps[a.gaps["year"] == report_year].set_index("capability")
    totals = dep.groupby("capability")["holdings"].sum()
    label = capability_catalogue().label
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in dep.to_dict("records"):
        cap = str(rec["capability"])
        total = float(totals.get(cap, 0.0))
        share = float(rec["holdings"]) / total if total > 0 else None
        row: dict[str, Any] = {"capability": label(cap), "holdings": _clean(rec["holdings"]),
                               "share_of_european_pct": None if share is None
                               else round(100 * share, 1)}
        if cap in gaps.index:
            g = gaps.loc[cap]
            for col in ("requirement", "gap", "gap_low", "gap_high", "requirement_basis"):
                if col in gaps.columns:
                    row[col] = _clean(g[col])
        out.setdefault(str(rec["iso3"]), []).append(row)
    return out


def _alliance_gaps(a: Assessment, report_year: int) -> dict[str, list[Any]]:
    """Per capability area label: requirement, gap (and its low/high where the stage has them)."""
    g = a.gaps[a.gaps["year"] == report_year]
    label = capability_catalogue().label
    cols = CARD_COLUMNS["gaps"]
    return {label(str(r["capability"])): [_round(r.get(c), 1) for c in cols]
            for r in g.to_dict("records")}


def _ukraine(a: Assessment, sources: _Sources) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    purl = a.ukraine.purl_allies
    for rec in purl.to_dict("records"):
        out.setdefault(str(rec["iso3"]), {})["purl"] = {
            "joined": _clean(rec.get("joined")), "packages": _clean(rec.get("packages")),
            "amount_usd_m": _clean(rec.get("amount_usd_m")),
            "other_amounts": _clean(rec.get("other_amounts")),
            "grade": _clean(rec.get("source_grade")), "source": sources.ref(rec.get("source"))}
    for rec in a.ukraine.donor_years.to_dict("records"):
        iso3 = _clean(rec.get("iso3"))
        if iso3 is None:
            continue
        out.setdefault(str(iso3), {}).setdefault("support", []).append({
            "year": _clean(rec["year"]), "military_eur_bn": _round(rec.get("military_eur_bn"), 3),
            "total_eur_bn": _round(rec.get("total_eur_bn"), 3)})
    return out


#: Columns of the card's row lists (rows are arrays in this order, to keep the page small).
CARD_COLUMNS: dict[str, tuple[str, ...]] = {
    "holdings": ("capability", "system", "quantity", "unit", "as_of", "us_made", "counted",
                 "reliability", "source"),
    "exposure": ("capability", "holdings", "us_made_share", "us_made_systems"),
    "gap_share": ("capability", "holdings", "share_of_european_pct"),
    # per scenario, aligned with the exposure rows
    "availability": ("availability_loss_at_horizon",),
    # per scenario and capability area (label), for the whole alliance
    "gaps": ("requirement", "gap", "gap_low", "gap_high"),
}


def _pack(kind: str, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows as arrays in :data:`CARD_COLUMNS` order (a column a row lacks is None)."""
    cols = CARD_COLUMNS[kind]
    out = []
    for r in rows:
        values = [r.get(c) for c in cols]
        out.append([round(v, 3) if isinstance(v, float) else v for v in values])
    return out


def ally_cards(assessments: Sequence[Assessment], dataset: Dataset,
               report_year: int) -> dict[str, Any]:
    """Everything the country card shows, for every ally, as plain JSON.

    Returns ``{"allies": {iso3: {...}}, "sources": [str], "scenarios": [str],
    "columns": {kind: [column]}}`` (holdings, exposure and gap rows are arrays in
    ``columns`` order):
    per ally its name, the data years' spending rows ``[year, % GDP, USD m
    current, status, source index]`` (``data_years``), per scenario the projected
    years as ``[first year, [% GDP], [USD m]]`` (status projection, source the
    model) and pledge years, and (scenario-independent
    or of the first scenario) holdings, kill-switch exposure, its share of the
    European holdings per capability area next to the gap, PURL and Ukraine support.
    """
    sources = _Sources()
    first = assessments[0]
    allies = dataset.table("allies")
    holdings = _holdings(dataset, sources)
    cards: dict[str, Any] = {}
    per_scenario = [(a.scenario.name, _spending_rows(a, dataset, sources), _pledges(a),
                     _exposure(a), _gap_share(a, report_year)) for a in assessments]
    ukraine = _ukraine(first, sources)
    for rec in allies.to_dict("records"):
        iso3 = str(rec["iso3"])
        card: dict[str, Any] = {
            "name": str(rec["name"]), "accession_year": _clean(rec.get("accession_year")),
            "eu_member": bool(_clean(rec.get("eu_member"))),
            "borders_russia_belarus": bool(_clean(rec.get("borders_russia_belarus"))),
            "source": sources.ref(rec.get("source")),
            "holdings": _pack("holdings", holdings.get(iso3, [])), "ukraine": ukraine.get(iso3, {}),
            "scenarios": {},
        }
        # data years are the same in every scenario: kept once, projections per scenario
        first_rows = per_scenario[0][1].get(iso3, []) if per_scenario else []
        card["data_years"] = [r for r in first_rows if r[3] != "projection"]
        # holdings-based rows are the same in every scenario: kept once, with the
        # scenario's availability loss and gap per row under "scenarios"
        _, _, _, exposure0, gap_share0 = per_scenario[0]
        card["exposure"] = _pack("exposure", exposure0.get(iso3, []))
        card["gap_share"] = _pack("gap_share", gap_share0.get(iso3, []))
        for name, spend, pledges, exposure, _ in per_scenario:
            projected = [r for r in spend.get(iso3, []) if r[3] == "projection"]
            card["scenarios"][name] = {"projection": [
                                           projected[0][0] if projected else None,
                                           [r[1] for r in projected], [r[2] for r in projected]],
                                       "pledges": pledges.get(iso3, {}),
                                       "availability": _pack("availability",
                                                             exposure.get(iso3, []))}
        cards[iso3] = card
    return {"allies": cards, "sources": sources.items,
            "scenarios": [a.scenario.name for a in assessments], "statuses": list(STATUSES),
            "columns": {k: list(v) for k, v in CARD_COLUMNS.items()},
            "gaps": {a.scenario.name: _alliance_gaps(a, report_year) for a in assessments}}


def map_status(assessments: Sequence[Assessment]) -> dict[str, dict[str, Any]]:
    """Per scenario and ally: the year it reaches the core pledge and its kill-switch exposure.

    ``{scenario: {iso3: {"core_year": int | None, "us_made_share_pct": float | None}}}``;
    the exposure is the holdings-weighted US-made share over the ally's capability areas.
    """
    out: dict[str, dict[str, Any]] = {}
    for a in assessments:
        p = a.spending.pledges.set_index("iso3")
        dep = a.dependency
        exposure: dict[str, float] = {}
        if not dep.empty and {"holdings", "us_made_holdings"} <= set(dep.columns):
            sums = dep.groupby("iso3")[["holdings", "us_made_holdings"]].sum()
            for iso3, r in sums.iterrows():
                if r["holdings"] > 0:
                    exposure[str(iso3)] = round(100 * r["us_made_holdings"] / r["holdings"], 1)
        entry: dict[str, Any] = {}
        for iso3 in p.index:
            met = _clean(p.loc[iso3, "core_pledge_met_year"])
            entry[str(iso3)] = {"core_year": None if met is None else int(met),
                                "has_armed_forces": bool(p.loc[iso3, "has_armed_forces"]),
                                "us_made_share_pct": exposure.get(str(iso3))}
        out[a.scenario.name] = entry
    return out
