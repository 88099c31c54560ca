"""The capability-gap model: requirement, European holdings, US contribution, gap.

Per capability area *c* and year *y* (all quantities in the area's unit)::

    a(y)       = T(y) + (a(y-1) - T(y)) * 2**(-12 / H),   a(first_year - 1) = 1
    T(y)       = floor + (1 - floor) * sustainment(y)
    E_eff(c,y) = readiness(c) * ( sum of non-US-made holdings + a(y) * sum of US-made holdings )
    U(c,y)     = U_in_place(c) * forces_in_place(y) + U_reinforcement(c) * reinforcements(y)
    R(c)       = E_ref(c) + X(c)            (kind 'additional': a study's extra need X)
               = X(c)                       (kind 'total', and user requirements)
               = m(c) * E_ref(c)            (kind 'multiple_of_baseline')
    surplus    = E_eff + U - R,   gap = max(0, -surplus)

``a`` is the availability of US-made equipment in European hands (H =
``sustainment_half_life_months``), ``E_ref`` the European holdings of the bundled
data as reported (the reference a study's additional need is on top of). With
``us_contribution_basis = 'study'`` and a requirement that is a study's need to
replace the US, ``U_in_place + U_reinforcement = X`` split by the US troop split
of the ``us_posture`` table; otherwise ``U_in_place`` is the counted USA_EUCOM
holdings and ``U_reinforcement = share * (USA_TOTAL - USA_EUCOM)``.

Consequences the tests check: with the US fully committed and sustaining
(``a = 1``, ``U = U_full``) the gap of an additional need is ``max(0, X - U_full)``,
which is 0 on the 'study' basis; with the US gone and sustainment kept, the gap
is exactly ``X``; with sustainment denied it is ``X`` plus the availability lost
on US-made kit (column ``sustainment_loss``).

Holdings are held at their latest reported level over the horizon; deliveries
of orders enter through ``additions`` (the planning stage). Missing data is never
read as zero: the ``data_status`` column says what is missing and what was assumed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.errors import ModelError
from alliance.params import CapabilityParams
from alliance.scenario import Scenario

__all__ = [
    "GAP_COLUMNS",
    "area_of",
    "capability_coverage",
    "capability_gaps",
    "commitment_paths",
    "counted_holdings",
    "european_effective",
    "european_reference",
    "gap_table",
    "holdings_by_ally",
    "resolve_requirements",
    "sustainment_availability",
    "us_contribution_full",
    "us_troop_split",
]

logger = logging.getLogger(__name__)

#: Columns of the gap table, in order.
GAP_COLUMNS: tuple[str, ...] = (
    "capability", "year", "unit", "requirement", "requirement_source", "requirement_kind",
    "european_holdings", "european_effective", "sustainment_loss", "us_in_place",
    "us_reinforcement", "us_contribution", "us_contribution_basis", "gap", "surplus",
    "coverage", "allies_with_data", "data_status", "holdings_capabilities",
)

_EUROPEAN_KINDS = ("ally", "nato_common", "europe_aggregate")


def area_of(capability: str) -> str:
    """Capability area of a holdings capability (fighter_aircraft_5th_gen -> combat_aircraft)."""
    return capability_catalogue().area_of(capability)


def _area_units() -> dict[str, str]:
    """Area -> unit, from the capability catalogue."""
    return {a.area: a.unit for a in capability_catalogue().areas}


# --------------------------------------------------------------------------- inputs


def commitment_paths(scenario: Scenario) -> pd.DataFrame:
    """US commitment per scenario year: ``year, forces_in_place, reinforcements, sustainment``.

    Fractions 0-1 read from ``scenario.us_commitment`` (piecewise linear in year).
    """
    uc = scenario.us_commitment
    return pd.DataFrame({
        "year": scenario.years,
        "forces_in_place": [uc.forces_in_place.at(y) for y in scenario.years],
        "reinforcements": [uc.reinforcements.at(y) for y in scenario.years],
        "sustainment": [uc.sustainment.at(y) for y in scenario.years],
    })


def sustainment_availability(
    sustainment: Mapping[int, float] | pd.Series,
    half_life_months: float,
    floor: float = 0.0,
) -> pd.Series:
    """Availability of US-made equipment by year [fraction 0-1], end of each year.

    ``sustainment`` maps consecutive years to the US sustainment level (0-1). The
    availability starts at 1 the year before the first year and relaxes each year
    toward the target ``floor + (1 - floor) * sustainment`` with half-life
    ``half_life_months`` (12 months per step): denial decays it, restored
    sustainment recovers it at the same rate. Monotone: more sustainment in any
    year never lowers availability in any year.
    """
    if half_life_months <= 0:
        msg = f"capabilities.sustainment_half_life_months is {half_life_months}; give a value > 0"
        raise ModelError(msg)
    if not 0.0 <= floor <= 1.0:
        msg = f"capabilities.unsustained_availability_floor is {floor}; give a value in 0-1"
        raise ModelError(msg)
    items = sorted(dict(sustainment).items())
    keep = 2.0 ** (-12.0 / half_life_months)
    level = 1.0
    out: dict[int, float] = {}
    for year, s in items:
        target = floor + (1.0 - floor) * float(s)
        level = target + (level - target) * keep
        out[int(year)] = level
    return pd.Series(out, name="availability", dtype=float).rename_axis("year")


def counted_holdings(holdings: pd.DataFrame, params: CapabilityParams) -> pd.DataFrame:
    """Rows the model counts as current holdings, with their capability ``area``.

    Keeps ``counted`` rows with a published quantity in the area's unit (the build
    script already set ``counted`` false for other bases, units and overlaps; this
    re-checks so that overlays cannot mix meanings). Drops Canada and commonly owned
    fleets when the parameters say so.
    """
    h = holdings.copy()
    h["area"] = [area_of(str(c)) for c in h["capability"]]
    mask = h["counted"].astype(bool) & h["quantity"].notna()
    mask &= h["quantity_basis"].astype(str) == "in_service"
    mask &= h["unit"].astype(str) == h["area"].map(_area_units())
    if not params.include_canada:
        mask &= h["holder"].astype(str) != "CAN"
    if not params.include_nato_common:
        mask &= h["holder_kind"].astype(str) != "nato_common"
    return h[mask].reset_index(drop=True)


def _european_rows(counted: pd.DataFrame) -> pd.DataFrame:
    """European rows per area: allies and common fleets, or the aggregate where no ally has data."""
    eur = counted[counted["holder_kind"].isin(_EUROPEAN_KINDS) & (counted["holder"] != "USA")]
    ally_level = eur[eur["holder_kind"] != "europe_aggregate"]
    with_allies = set(ally_level["area"])
    aggregate = eur[(eur["holder_kind"] == "europe_aggregate") & ~eur["area"].isin(with_allies)]
    return pd.concat([ally_level, aggregate], ignore_index=True)


def european_reference(holdings: pd.DataFrame, params: CapabilityParams) -> pd.DataFrame:
    """European holdings per area as reported: the reference a study's need is added to.

    Columns: ``capability`` (area), ``european_holdings`` (sum of counted rows, NaN
    when no European row has a figure), ``us_made_holdings``, ``unknown_origin_holdings``,
    ``allies_with_data``, ``holders_without_figure`` (European holders whose rows in the
    area lack a figure). Areas without rows are included with NaN.
    """
    counted = counted_holdings(holdings, params)
    eur = _european_rows(counted)
    us = eur["us_made"].astype("boolean")
    eur = eur.assign(
        q_us=eur["quantity"].where(us.fillna(False).astype(bool), 0.0),
        q_unknown=eur["quantity"].where(us.isna(), 0.0),
        ally=eur["holder"].where(eur["holder_kind"] == "ally"),
    )
    agg = eur.groupby("area").agg(
        european_holdings=("quantity", "sum"),
        us_made_holdings=("q_us", "sum"),
        unknown_origin_holdings=("q_unknown", "sum"),
        allies_with_data=("ally", "nunique"),
    )
    h = holdings.assign(area=[area_of(str(c)) for c in holdings["capability"]])
    no_fig = h[h["holder_kind"].isin(_EUROPEAN_KINDS) & h["quantity"].isna()
               & (h["quantity_basis"] == "in_service")]
    missing = no_fig.groupby("area")["holder"].agg(lambda s: ", ".join(sorted(set(map(str, s)))))
    out = agg.reindex(list(capability_catalogue().area_names))
    out[["us_made_holdings", "unknown_origin_holdings"]] = (
        out[["us_made_holdings", "unknown_origin_holdings"]].fillna(0.0))
    out["allies_with_data"] = out["allies_with_data"].fillna(0).astype(int)
    out["holders_without_figure"] = missing.reindex(out.index).fillna("")
    out["european_holdings"] = out["european_holdings"].astype(float)
    return out.rename_axis("capability").reset_index()


def european_effective(
    reference: pd.DataFrame,
    availability: pd.Series,
    params: CapabilityParams,
    additions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """European effective holdings per area and year.

    ``E_eff = readiness * (non-US-made + a(y) * US-made)``; rows of unknown origin are
    not discounted. ``additions`` (optional: ``capability, year, quantity, us_made``)
    are units added by that year (e.g. deliveries of the planning stage), discounted
    like holdings. Returns ``capability, year, european_effective, sustainment_loss,
    european_added``; NaN where the area has no European figure and nothing is added.
    """
    rows = []
    add = _additions_by_area_year(additions)
    for _, r in reference.iterrows():
        area = str(r["capability"])
        ready = params.readiness_for(area)
        held = float(r["european_holdings"])
        us = float(r["us_made_holdings"]) if not math.isnan(held) else 0.0
        for year, a in zip(availability.index, availability, strict=True):
            added_plain, added_us = add.get((area, int(year)), (0.0, 0.0))
            added = added_plain + added_us
            if math.isnan(held) and added == 0.0:
                eff = loss = math.nan
            else:
                base = 0.0 if math.isnan(held) else held
                eff = ready * (base - us + added_plain + a * (us + added_us))
                loss = ready * (1.0 - a) * (us + added_us)
            rows.append({"capability": area, "year": int(year), "european_effective": eff,
                         "sustainment_loss": loss, "european_added": added})
    return pd.DataFrame(rows)


def _additions_by_area_year(
    additions: pd.DataFrame | None,
) -> dict[tuple[str, int], tuple[float, float]]:
    if additions is None or additions.empty:
        return {}
    missing = {"capability", "year", "quantity", "us_made"} - set(additions.columns)
    if missing:
        msg = f"additions: missing column(s) {', '.join(sorted(missing))}"
        raise ModelError(msg)
    out: dict[tuple[str, int], tuple[float, float]] = {}
    for _, r in additions.iterrows():
        cap = str(r["capability"])
        area = cap if cap in capability_catalogue().area_names else area_of(cap)
        key = (area, int(r["year"]))
        plain, us = out.get(key, (0.0, 0.0))
        q = float(r["quantity"])
        if bool(r["us_made"]):
            us += q
        else:
            plain += q
        out[key] = (plain, us)
    return out


def resolve_requirements(
    requirements: pd.DataFrame, reference: pd.DataFrame, params: CapabilityParams
) -> pd.DataFrame:
    """The requirement of each area under the chosen source [area unit].

    Columns: ``capability, requirement, requirement_source, requirement_kind,
    additional_need, replaces_us``. ``requirement`` is NaN when no study gives a
    figure ('no requirement') or when an additional/multiple requirement meets an
    area without European holdings data; ``additional_need`` keeps the study's extra
    need so the gap can still be stated.
    """
    order = _study_order(params)
    ref = reference.set_index("capability")["european_holdings"]
    by_key: dict[tuple[str, str], list[pd.Series]] = {}
    for _, req in requirements.iterrows():
        by_key.setdefault((str(req["study_id"]), str(req["capability"])), []).append(req)
    rows = []
    for area in capability_catalogue().area_names:
        e_ref = float(ref.get(area, math.nan))
        row: dict[str, object] = {"capability": area, "requirement": math.nan,
                                  "requirement_source": "none", "requirement_kind": "",
                                  "additional_need": math.nan, "replaces_us": False}
        if area in params.user_requirements:
            row.update(requirement=float(params.user_requirements[area]),
                       requirement_source="user", requirement_kind="total")
            rows.append(row)
            continue
        for study in order:
            hits = by_key.get((study, area), [])
            if not hits:
                continue
            if len(hits) > 1:
                msg = f"capability_requirements: more than one row for {study}/{area}"
                raise ModelError(msg)
            if _apply_study(row, hits[0], study, e_ref, params.requirement_range_point):
                break
        rows.append(row)
    return pd.DataFrame(rows)


def _study_order(params: CapabilityParams) -> list[str]:
    """Studies to try, in order, under ``params.requirement_source`` (none for 'user')."""
    source = params.requirement_source
    if source == "combined":
        return list(params.combined_order)
    if source == "user":
        return []
    return [source]


def _apply_study(
    row: dict[str, object], r: pd.Series, study: str, e_ref: float, point: str
) -> bool:
    """Fill ``row`` from the study's requirement row ``r``; False when it has no figure.

    An 'additional' need is added to the European reference holdings ``e_ref``, a
    'multiple_of_baseline' multiplies it, a 'total' is the requirement itself.
    """
    value = _range_point(r["value_low"], r["value_high"], point)
    if value is None:
        return False
    kind = str(r["kind"])
    row.update(requirement_source=study, requirement_kind=kind,
               replaces_us=bool(r["replaces_us"]))
    if kind == "additional":
        row["additional_need"] = value
        row["requirement"] = e_ref + value
    elif kind == "multiple_of_baseline":
        row["requirement"] = value * e_ref
    elif kind == "total":
        row["requirement"] = value
    else:
        msg = f"capability_requirements: unknown kind {kind!r} for {study}/{row['capability']}"
        raise ModelError(msg)
    return True


def _range_point(low: float | None, high: float | None, point: str) -> float | None:
    """The low, high or mid point of a study's range; the one end given, or None."""
    lo = None if pd.isna(low) else float(low)
    hi = None if pd.isna(high) else float(high)
    if lo is None and hi is None:
        return None
    if lo is None:
        return hi
    if hi is None:
        return lo
    return {"low": lo, "high": hi, "mid": (lo + hi) / 2.0}[point]


def us_troop_split(posture: pd.DataFrame, base_year: int) -> tuple[float, float, str]:
    """(US troops in Europe, planned US reinforcements, status) at ``base_year``.

    Counted ``us_posture`` rows for host EUR: the latest ``total`` and the latest
    ``reinforcement_planned`` figure up to ``base_year`` [troops]. NaN where absent.
    """
    eur = posture[(posture["host"] == "EUR") & posture["counted"].astype(bool)
                  & posture["troops"].notna() & (posture["year"] <= base_year)]
    notes = []
    values = []
    for kind in ("total", "reinforcement_planned"):
        part = eur[eur["kind"] == kind].sort_values("year")
        if part.empty:
            values.append(math.nan)
            notes.append(f"no US {kind} troop figure for Europe")
        else:
            values.append(float(part.iloc[-1]["troops"]))
    return values[0], values[1], "; ".join(notes)


def us_contribution_full(
    holdings: pd.DataFrame,
    posture: pd.DataFrame,
    resolved: pd.DataFrame,
    params: CapabilityParams,
    base_year: int,
) -> pd.DataFrame:
    """US contribution per area under full commitment [area unit].

    Columns ``capability, us_in_place_full, us_reinforcement_full,
    us_contribution_basis, us_status``. Troops come from ``us_posture`` (EUR total in
    place; planned reinforcements as published, no share applied). Missing US
    figures count as 0 and ``us_status`` says so.
    """
    counted = counted_holdings(holdings, params)
    in_place_troops, reinf_troops, troop_note = us_troop_split(posture, base_year)
    known = not (math.isnan(in_place_troops) or math.isnan(reinf_troops))
    if not known or in_place_troops + reinf_troops <= 0:
        split = math.nan
    else:
        split = in_place_troops / (in_place_troops + reinf_troops)
    res = resolved.set_index("capability").to_dict("index")
    eucom = counted[counted["holder"] == "USA_EUCOM"].groupby("area")["quantity"].sum()
    total = counted[counted["holder"] == "USA_TOTAL"].groupby("area")["quantity"].sum()
    rows = []
    for area in capability_catalogue().area_names:
        r = res.get(area)
        notes: list[str] = []
        study_basis = (params.us_contribution_basis == "study" and r is not None
                       and bool(r["replaces_us"]) and r["requirement_kind"] == "additional"
                       and not math.isnan(float(r["additional_need"])))
        if study_basis and r is not None and not math.isnan(split):
            need = float(r["additional_need"])
            rows.append({"capability": area, "us_in_place_full": split * need,
                         "us_reinforcement_full": (1.0 - split) * need,
                         "us_contribution_basis": f"study ({r['requirement_source']})",
                         "us_status": ""})
            continue
        if study_basis:
            notes.append(f"study basis needs the US troop split ({troop_note}); inventory used")
        if area == "troop_equivalents":
            in_place = 0.0 if math.isnan(in_place_troops) else in_place_troops
            reinf = 0.0 if math.isnan(reinf_troops) else reinf_troops
            if troop_note:
                notes.append(troop_note + " (counted as 0)")
        else:
            in_place = float(eucom.get(area, 0.0))
            if area not in eucom.index:
                notes.append("US in Europe: no data (counted as 0)")
            if area not in total.index:
                notes.append("US total: no data (no reinforcement counted)")
                reinf = 0.0
            else:
                reinf = params.share_for(area) * max(0.0, float(total[area]) - in_place)
        rows.append({"capability": area, "us_in_place_full": in_place,
                     "us_reinforcement_full": reinf, "us_contribution_basis": "inventory",
                     "us_status": "; ".join(notes)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- arithmetic


def gap_table(
    resolved: pd.DataFrame,
    reference: pd.DataFrame,
    effective: pd.DataFrame,
    us_full: pd.DataFrame,
    paths: pd.DataFrame,
    params: CapabilityParams | None = None,
) -> pd.DataFrame:
    """Combine requirement, European and US contributions into the gap table.

    Pure arithmetic on tidy frames (see the module docstring for the formulas):
    ``resolved`` from :func:`resolve_requirements`, ``reference`` from
    :func:`european_reference`, ``effective`` from :func:`european_effective`,
    ``us_full`` from :func:`us_contribution_full`, ``paths`` from
    :func:`commitment_paths`. One row per area and year, columns ``GAP_COLUMNS``.
    """
    del params  # the parameters act through the inputs; kept for a uniform signature
    frame = effective.merge(paths, on="year", how="left", validate="many_to_one")
    frame = frame.merge(resolved, on="capability", how="left", validate="many_to_one")
    frame = frame.merge(reference, on="capability", how="left", validate="many_to_one")
    frame = frame.merge(us_full, on="capability", how="left", validate="many_to_one")
    if frame[["forces_in_place", "reinforcements"]].isna().any().any():
        msg = "gap_table: commitment paths lack a year of the holdings table"
        raise ModelError(msg)
    frame["us_in_place"] = frame["us_in_place_full"] * frame["forces_in_place"]
    frame["us_reinforcement"] = frame["us_reinforcement_full"] * frame["reinforcements"]
    frame["us_contribution"] = frame["us_in_place"] + frame["us_reinforcement"]
    has_e = frame["european_effective"].notna()
    need = frame["requirement"] - frame["european_effective"]
    # additional need without European data: the extra need is known even if the level is not
    fallback = (~has_e) & (frame["requirement_kind"] == "additional")
    need = need.where(~fallback, frame["additional_need"])
    frame["surplus"] = frame["us_contribution"] - need
    # np.maximum of a Series is a Series (__array_ufunc__); numpy's stubs say ndarray
    frame["gap"] = cast(pd.Series, np.maximum(0.0, need - frame["us_contribution"])).where(
        need.notna()
    )
    total = frame["european_effective"] + frame["us_contribution"]
    frame["coverage"] = np.where(
        frame["requirement"] > 0, np.minimum(1.0, total / frame["requirement"]),
        np.where(frame["requirement"] == 0, 1.0, np.nan))
    frame["coverage"] = frame["coverage"].where(frame["requirement"].notna() & has_e)
    frame["european_holdings"] = frame["european_holdings"] + frame["european_added"].fillna(0.0)
    frame["unit"] = frame["capability"].map(_area_units())
    frame["holdings_capabilities"] = frame["capability"].map(
        lambda a: "|".join(capability_catalogue().area(a).codes)
    )
    frame["data_status"] = [_status(r) for r in frame.to_dict("records")]
    out = frame[list(GAP_COLUMNS)].sort_values(["capability", "year"]).reset_index(drop=True)
    out["year"] = out["year"].astype(int)
    out["allies_with_data"] = out["allies_with_data"].fillna(0).astype(int)
    return out


def _status(r: Mapping[Hashable, Any]) -> str:
    """The ``data_status`` of one gap row: what is missing and what was assumed ('ok')."""
    flags: list[str] = []
    if r["requirement_source"] in ("none", None) or pd.isna(r["requirement_source"]):
        flags.append("no requirement")
    if pd.isna(r["european_effective"]):
        if r["requirement_kind"] == "additional":
            flags.append("no European holdings data: gap = additional need - US contribution")
        else:
            flags.append("no European holdings data")
    if isinstance(r.get("holders_without_figure"), str) and r["holders_without_figure"]:
        flags.append(f"no figure for {r['holders_without_figure']}")
    unknown = r.get("unknown_origin_holdings")
    if isinstance(unknown, int | float) and unknown > 0:
        flags.append(f"{unknown:,.0f} units of unknown origin not discounted")
    us_status = r.get("us_status")
    if isinstance(us_status, str) and us_status:
        flags.append(us_status)
    return "; ".join(flags) if flags else "ok"


# --------------------------------------------------------------------------- stage


def _params(scenario: Scenario) -> CapabilityParams:
    params = getattr(scenario, "capabilities", None)
    return params if isinstance(params, CapabilityParams) else CapabilityParams()


def _availability(scenario: Scenario, params: CapabilityParams) -> pd.Series:
    paths = commitment_paths(scenario)
    return sustainment_availability(
        dict(zip(paths["year"], paths["sustainment"], strict=True)),
        params.sustainment_half_life_months,
        params.unsustained_availability_floor,
    )


def capability_gaps(
    dataset: Dataset, scenario: Scenario, additions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The capability stage: one row per capability area and scenario year.

    Columns ``GAP_COLUMNS``: ``requirement``, ``european_holdings`` (reported),
    ``european_effective``, ``us_contribution`` (= ``us_in_place`` +
    ``us_reinforcement``), ``gap`` and signed ``surplus`` in the area ``unit``;
    ``requirement_source`` ('none' = no study figure: reported, never read as 0),
    ``coverage`` (share of requirement covered, capped at 1) and ``data_status``.
    ``additions`` (optional ``capability, year, quantity, us_made``) adds units
    delivered by that year.
    """
    params = _params(scenario)
    holdings = dataset.table("capability_holdings")
    reference = european_reference(holdings, params)
    resolved = resolve_requirements(dataset.table("capability_requirements"), reference, params)
    us_full = us_contribution_full(holdings, dataset.table("us_posture"), resolved, params,
                                   getattr(scenario, "base_year", 2025))
    availability = _availability(scenario, params)
    effective = european_effective(reference, availability, params, additions)
    gaps = gap_table(resolved, reference, effective, us_full, commitment_paths(scenario), params)
    logger.info("capability gaps: %d areas x %d years (requirement source %s)",
                gaps["capability"].nunique(), gaps["year"].nunique(), params.requirement_source)
    return gaps


def capability_coverage(
    gaps: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.Series:
    """Aggregate share of requirement covered per year [fraction 0-1].

    Risk-weighted mean over capability areas with a requirement and holdings data
    of ``min(1, (european_effective + us_contribution) / requirement)``; weights
    from ``weights`` (area -> weight >= 0, default 1 each). A year without any
    such area is NaN. Index ``year``, name ``capability_coverage``.
    """
    g = gaps.copy()
    if "coverage" not in g.columns:
        total = g["european_effective"] + g["us_contribution"]
        # np.minimum of a Series is a Series (__array_ufunc__); numpy's stubs say ndarray
        g["coverage"] = cast(pd.Series, np.minimum(1.0, total / g["requirement"])).where(
            g["requirement"] > 0
        )
    g = g[g["coverage"].notna()]
    w = g["capability"].map(lambda a: float((weights or {}).get(a, 1.0)))
    if (w < 0).any():
        msg = "capabilities.risk_weights: weights must be >= 0"
        raise ModelError(msg)
    g = g.assign(w=w, wc=w * g["coverage"].clip(lower=0.0, upper=1.0))
    sums = g.groupby("year")[["w", "wc"]].sum()
    years = sorted(gaps["year"].unique())
    out = (sums["wc"] / sums["w"].where(sums["w"] > 0)).reindex(years)
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out.rename("capability_coverage")


def holdings_by_ally(dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """Holdings per European ally, capability area and year, with what is missing.

    Columns ``iso3, capability, year, unit, holdings`` (reported, counted rows),
    ``effective`` (US-made discounted by availability, times readiness),
    ``us_made_holdings``, ``on_order`` (firm orders, not counted), ``data_status``:
    'reported', 'no data', 'figure not published' or 'only orders/plans'. An ally
    without a row for an area has NaN holdings, never 0.
    """
    params = _params(scenario)
    holdings = dataset.table("capability_holdings")
    allies = dataset.table("allies")
    codes = [c for c in allies["iso3"].astype(str) if c != "USA"
             and (params.include_canada or c != "CAN")]
    counted = counted_holdings(holdings, params)
    counted = counted[counted["holder_kind"] == "ally"]
    h = holdings.copy()
    h["area"] = [area_of(str(c)) for c in h["capability"]]
    h = h[h["holder_kind"] == "ally"]
    availability = _availability(scenario, params)
    rows = []
    for iso3 in codes:
        for area in capability_catalogue().area_names:
            part = counted[(counted["holder"] == iso3) & (counted["area"] == area)]
            allrows = h[(h["holder"] == iso3) & (h["area"] == area)]
            orders = allrows[(allrows["quantity_basis"] == "ordered")
                             & (allrows["unit"] == capability_catalogue().unit(area))]
            if len(part):
                status = "reported"
            elif allrows.empty:
                status = "no data"
            elif (allrows["quantity_basis"] == "in_service").any():
                status = "figure not published"
            else:
                status = "only orders/plans"
            us = part.loc[part["us_made"].astype("boolean").fillna(False).astype(bool), "quantity"]
            held = float(part["quantity"].sum()) if len(part) else math.nan
            us_held = float(us.sum())
            ready = params.readiness_for(area)
            for year, a in zip(availability.index, availability, strict=True):
                eff = ready * (held - us_held + a * us_held) if len(part) else math.nan
                rows.append({
                    "iso3": iso3, "capability": area, "year": int(year),
                    "unit": capability_catalogue().unit(area),
                    "holdings": held, "effective": eff,
                    "us_made_holdings": us_held if len(part) else math.nan,
                    "on_order": float(orders["quantity"].sum()) if len(orders) else math.nan,
                    "data_status": status,
                })
    return pd.DataFrame(rows)
