"""The capability-gap model: requirement, European holdings, US contribution, gap.

Per capability area *c* and year *y* (all quantities in the area's unit)::

    E_eff(c,y) = readiness(c) * ( non-US-made holdings + sum_f a_f(y) * US-made holdings of family f
                                  + planned additions )
    U(c,y)     = U_in_place(c) * forces_in_place(y) + s(c) * U_outside(c) * reinforcements(y)
    gap(c,y)   = max(0, R(c) - E_eff(c,y) - U(c,y))

``R`` is the requirement (:mod:`alliance.capabilities.requirements`): it does not
depend on the holdings of the run, so adding ``k`` units to an ally's holdings
lowers the gap by ``k * readiness * availability`` until it reaches zero.
``a_f`` is the availability of US-made family *f* without US support
(:mod:`alliance.capabilities.sustainment`), ``s`` the share of the US inventory
outside Europe that reinforces it.

**Ranges.** Four assumptions carry a low-central-high range: the requirement
(a study's range or a named assumption), the reinforcement share, the
sustainment floor and the sustainment half-life. The inner term
``R - E_eff - U`` is a sum of a requirement part, a reinforcement part and a
European part, each monotone in its own assumptions, so ``gap_low``/``gap_high``
are exact: the central inner term plus, per part, the most favourable /
unfavourable of its two ends, clipped at 0. ``most_sensitive_assumption`` is the
assumption whose low-to-high swing (others central) moves the gap most.

Holdings are held at their latest reported level over the horizon; deliveries
of orders enter through ``additions`` (the planning stage). Missing data is never
read as zero without saying so: ``data_status`` says what is missing and what
was assumed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliance.capabilities.requirements import (
    GIUK_AREAS,
    Requirement,
    UsInventory,
    requirement_value,
    resolve_requirements,
)
from alliance.capabilities.sustainment import (
    CASES,
    FamilySustainment,
    availability_levels,
    family_sustainment,
    sustainment_key,
)
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.errors import ModelError
from alliance.memo import TableMemo
from alliance.params import CapabilityParams
from alliance.scenario import Scenario

__all__ = [
    "ASSUMPTION_LABELS",
    "GAP_COLUMNS",
    "Availability",
    "area_of",
    "availability_model",
    "baseline_table",
    "capability_coverage",
    "capability_gaps",
    "commitment_paths",
    "counted_holdings",
    "european_baseline",
    "european_reference",
    "holdings_by_ally",
    "us_inventory",
]

logger = logging.getLogger(__name__)

#: Columns of the gap table, in order.
GAP_COLUMNS: tuple[str, ...] = (
    "capability", "year", "unit", "requirement", "requirement_low", "requirement_high",
    "requirement_basis", "requirement_source", "requirement_kind", "requirement_note",
    "european_baseline", "european_holdings", "european_effective", "sustainment_loss",
    "us_in_place", "us_reinforcement", "us_contribution", "gap", "gap_low", "gap_high",
    "surplus", "coverage", "most_sensitive_assumption", "most_sensitive_swing",
    "allies_with_data", "data_status", "holdings_capabilities",
)
#: Plain names of the assumptions whose ranges make ``gap_low``/``gap_high``.
ASSUMPTION_LABELS: dict[str, str] = {
    "requirement": "requirement range",
    "reinforcement_share": "US reinforcement share",
    "sustainment_floor": "sustainment floor (US-made kit)",
    "sustainment_half_life": "sustainment half-life (US-made kit)",
}

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
    """European holdings per area as reported in ``holdings``.

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


def baseline_table(holdings: pd.DataFrame) -> pd.DataFrame:
    """European in-service holdings per holder and area: the rows of ``capability_baseline``.

    Counted rows as :func:`counted_holdings` keeps them with Canada and common
    fleets included (the parameters filter them later). Columns ``holder,
    holder_kind, capability, european_holdings, us_made_holdings, derived_from`` (the
    record ids summed), sorted.
    """
    counted = counted_holdings(holdings, CapabilityParams(include_canada=True,
                                                          include_nato_common=True))
    eur = _european_rows(counted)
    us = eur["us_made"].astype("boolean").fillna(False).astype(bool)
    eur = eur.assign(us_q=eur["quantity"].where(us, 0.0))
    table = (eur.groupby(["holder", "holder_kind", "area"], as_index=False)
             .agg(european_holdings=("quantity", "sum"), us_made_holdings=("us_q", "sum"),
                  derived_from=("record_id", lambda ids: "capability_holdings: "
                                + "|".join(sorted(map(str, ids)))))
             .rename(columns={"area": "capability"}))
    return table.sort_values(["capability", "holder"]).reset_index(drop=True)[
        ["holder", "holder_kind", "capability", "european_holdings", "us_made_holdings",
         "derived_from"]]


def european_baseline(baseline: pd.DataFrame, params: CapabilityParams) -> dict[str, float]:
    """The frozen European baseline per area [area unit] from the ``capability_baseline`` table.

    The table holds the bundled holdings as built, per holder and area
    (``scripts/build_capability_baseline.py``); an overlay of ``capability_holdings``
    does not move it, so requirements do not depend on the holdings a run reads.
    Canada and commonly owned fleets follow the parameters.
    """
    b = baseline
    if not params.include_canada:
        b = b[b["holder"].astype(str) != "CAN"]
    if not params.include_nato_common:
        b = b[b["holder_kind"].astype(str) != "nato_common"]
    sums = b.groupby("capability")["european_holdings"].sum()
    return {str(k): float(v) for k, v in sums.items()}


def us_inventory(
    counted: pd.DataFrame, posture: pd.DataFrame, base_year: int
) -> dict[str, UsInventory]:
    """US forces per area: holdings in Europe (USA_EUCOM) and outside it (USA_TOTAL − USA_EUCOM).

    Troops come from ``us_posture`` (latest counted EUR ``total`` and
    ``reinforcement_planned`` up to ``base_year``; the planned flow is published,
    so no share scales it). An area without any US figure is ``known=False``.
    """
    eucom = counted[counted["holder"] == "USA_EUCOM"].groupby("area")["quantity"].sum()
    total = counted[counted["holder"] == "USA_TOTAL"].groupby("area")["quantity"].sum()
    out: dict[str, UsInventory] = {}
    for area in capability_catalogue().area_names:
        if area == "troop_equivalents":
            out[area] = _us_troops(posture, base_year)
            continue
        in_place = float(eucom.get(area, 0.0))
        notes = []
        if area not in eucom.index:
            notes.append("US in Europe: no figure (counted as 0)")
        if area not in total.index:
            notes.append("US inventory: no figure (no reinforcement counted)")
        outside = max(0.0, float(total[area]) - in_place) if area in total.index else 0.0
        known = area in eucom.index or area in total.index
        out[area] = UsInventory(in_place, outside, True, known, "; ".join(notes))
    return out


def _us_troops(posture: pd.DataFrame, base_year: int) -> UsInventory:
    eur = posture[(posture["host"] == "EUR") & posture["counted"].astype(bool)
                  & posture["troops"].notna() & (posture["year"] <= base_year)]
    values: list[float] = []
    notes: list[str] = []
    for kind in ("total", "reinforcement_planned"):
        part = eur[eur["kind"] == kind].sort_values("year")
        values.append(float(part.iloc[-1]["troops"]) if len(part) else 0.0)
        if part.empty:
            notes.append(f"no US {kind} troop figure for Europe (counted as 0)")
    return UsInventory(values[0], values[1], False, not notes, "; ".join(notes))


# --------------------------------------------------------------------------- availability


@dataclass(frozen=True)
class Availability:
    """Availability of US-made kit per family and year, at the ends of the sustainment ranges."""

    families: Mapping[str, FamilySustainment]
    default: FamilySustainment
    sustainment: Mapping[int, float]

    def of(self, family: str) -> FamilySustainment:
        """The sustainment of ``family`` (the default for families without a row)."""
        return self.families.get(family, self.default)

    def series(self, family: str, floor_case: str = "central",
               half_life_case: str = "central") -> pd.Series:
        """Availability by year [fraction 0-1] of ``family`` at the given range ends."""
        return self.of(family).availability(self.sustainment, floor_case, half_life_case)

    def levels(self, family: str, floor_case: str = "central",
               half_life_case: str = "central") -> dict[int, float]:
        """:meth:`series` as a plain year -> availability [fraction 0-1] mapping (memoised)."""
        s = self.of(family)
        return dict(availability_levels(sustainment_key(self.sustainment),
                                        s.half_life_months[half_life_case], s.floor[floor_case]))


_FAMILIES: TableMemo[tuple[dict[str, FamilySustainment], FamilySustainment]] = TableMemo(16)


def stored_tables(dataset: Dataset, names: Sequence[str]) -> tuple[tuple[str, ...],
                                                                   tuple[pd.DataFrame, ...]]:
    """The names of the tables ``names`` the dataset holds, and its own (uncopied) frames.

    For memo keys (:class:`alliance.memo.TableMemo`): the same frames on every call
    skip the fingerprints. The frames are read, never changed.
    """
    held = tuple(n for n in names if dataset.has_table(n))
    return held, dataset.frames(held)


def availability_model(dataset: Dataset, scenario: Scenario) -> Availability:
    """Per-family availability of US-made kit under the scenario's sustainment path."""
    params = _params(scenario)
    held, tables = stored_tables(dataset, ("sustainment",))
    families, default = _FAMILIES.get(tables, (held, params.model_dump_json()), lambda: (
        family_sustainment(dataset.table("sustainment") if held else None, params)))
    sustainment = scenario.us_commitment.sustainment
    return Availability(families, default, {y: sustainment.at(y) for y in scenario.years})


# --------------------------------------------------------------------------- variants


@dataclass(frozen=True)
class _Variant:
    """One evaluation of the model: which end of each assumption's range is used."""

    requirement: str = "central"
    share: str = "central"
    floor: str = "central"
    half_life: str = "central"


_VARIANTS: dict[str, _Variant] = {
    "central": _Variant(),
    "requirement_low": _Variant(requirement="low"),
    "requirement_high": _Variant(requirement="high"),
    "reinforcement_share_low": _Variant(share="low"),
    "reinforcement_share_high": _Variant(share="high"),
    "sustainment_floor_low": _Variant(floor="low"),
    "sustainment_floor_high": _Variant(floor="high"),
    "sustainment_half_life_low": _Variant(half_life="low"),
    "sustainment_half_life_high": _Variant(half_life="high"),
    "sustainment_low": _Variant(floor="low", half_life="low"),
    "sustainment_high": _Variant(floor="high", half_life="high"),
}
#: Separable parts of the inner term and the variants at the two ends of each.
_PARTS: dict[str, tuple[str, str]] = {
    "requirement": ("requirement_low", "requirement_high"),
    "reinforcement_share": ("reinforcement_share_low", "reinforcement_share_high"),
    "sustainment": ("sustainment_low", "sustainment_high"),
}


@dataclass(frozen=True)
class _AreaHoldings:
    """European counted holdings of one area: non-US-made units and US-made units by family."""

    plain: float
    us_by_family: Mapping[str, float]
    has_data: bool


def _area_holdings(counted: pd.DataFrame) -> dict[str, _AreaHoldings]:
    eur = _european_rows(counted)
    us = eur["us_made"].astype("boolean").fillna(False).astype(bool).to_numpy()
    out = {area: _AreaHoldings(0.0, {}, False) for area in capability_catalogue().area_names}
    plain: dict[str, float] = {}
    by_family: dict[str, dict[str, float]] = {}
    for area, family, quantity, is_us in zip(eur["area"], eur["system_family"], eur["quantity"],
                                             us, strict=True):
        if is_us:
            fams = by_family.setdefault(str(area), {})
            fams[str(family)] = fams.get(str(family), 0.0) + float(quantity)
        else:
            plain[str(area)] = plain.get(str(area), 0.0) + float(quantity)
    for area in set(plain) | set(by_family):
        out[area] = _AreaHoldings(plain.get(area, 0.0), by_family.get(area, {}), True)
    return out


def _additions_by_area_year(
    additions: pd.DataFrame | None,
) -> dict[tuple[str, int], tuple[float, float]]:
    """(area, year) -> (non-US-made, US-made) units added by that year."""
    if additions is None or additions.empty:
        return {}
    missing = {"capability", "year", "quantity", "us_made"} - set(additions.columns)
    if missing:
        msg = f"additions: missing column(s) {', '.join(sorted(missing))}"
        raise ModelError(msg)
    areas = capability_catalogue().area_names
    out: dict[tuple[str, int], tuple[float, float]] = {}
    for capability, year, quantity, us_made in zip(
            additions["capability"].tolist(), additions["year"].tolist(),
            additions["quantity"].tolist(), additions["us_made"].tolist(), strict=True):
        cap = str(capability)
        area = cap if cap in areas else area_of(cap)
        key = (area, int(year))
        plain, us = out.get(key, (0.0, 0.0))
        q = float(quantity)
        if bool(us_made):
            us += q
        else:
            plain += q
        out[key] = (plain, us)
    return out


@dataclass(frozen=True)
class _AreaFacts:
    """The columns of one area's gap rows that no lever and no addition moves."""

    requirement_basis: str
    requirement_source: str
    requirement_kind: str
    requirement_note: str
    european_baseline: float
    """Frozen European baseline [area unit]."""
    reported_holdings: float
    """European holdings as reported [area unit]; NaN when no European row has a figure."""
    allies_with_data: int
    unit: str
    holdings_capabilities: str
    data_status: str


@dataclass(frozen=True)
class _Static:
    """What the gap model reads from the tables and parameters, resolved once per dataset."""

    requirements: Mapping[str, Requirement]
    us: Mapping[str, UsInventory]
    holdings: Mapping[str, _AreaHoldings]
    facts: Mapping[str, _AreaFacts]


@dataclass(frozen=True)
class _Context:
    """Everything a variant evaluation reads, resolved once per run."""

    params: CapabilityParams
    static: _Static
    areas: tuple[str, ...]
    """Areas in output order (sorted by name)."""
    years: tuple[int, ...]
    """Scenario years in output order (ascending)."""
    forces_in_place: Mapping[int, float]
    reinforcements: Mapping[int, float]
    additions: Mapping[tuple[str, int], tuple[float, float]]
    availability: Availability
    # availability by year per (family, floor case, half-life case), shared by the variants
    availability_cache: dict[tuple[str, str, str], dict[int, float]] = field(
        default_factory=dict)


def _european_effective(
    ctx: _Context, area: str, v: _Variant
) -> list[tuple[float, float, float]]:
    """(effective, sustainment loss, units added) per year of ``ctx.years``: one area, variant."""
    held = ctx.static.holdings[area]
    ready = ctx.params.readiness_for(area)
    cache = ctx.availability_cache
    series: dict[str, dict[int, float]] = {}
    for family in held.us_by_family or {"(default)": 0.0}:
        key = (family, v.floor, v.half_life)
        if key not in cache:
            cache[key] = ctx.availability.levels(family, v.floor, v.half_life)
        series[family] = cache[key]
    us_total = sum(held.us_by_family.values())
    fallback = next(iter(series.values()))
    out: list[tuple[float, float, float]] = []
    for y in ctx.years:
        kept = sum(q * series[f][y] for f, q in held.us_by_family.items())
        # US-made additions decay like the area's US-made holdings (their mix), else the default
        mean = (kept / us_total) if us_total > 0 else fallback[y]
        added_plain, added_us = ctx.additions.get((area, y), (0.0, 0.0))
        effective = ready * (held.plain + kept + added_plain + mean * added_us)
        loss = ready * ((us_total - kept) + (1.0 - mean) * added_us)
        out.append((effective, loss, added_plain + added_us))
    return out


#: Per-row quantities of one variant evaluation [area unit].
_EVALUATED = ("requirement", "european_effective", "sustainment_loss", "european_added",
              "us_in_place", "us_reinforcement", "inner")


def _evaluate(ctx: _Context, v: _Variant) -> dict[str, np.ndarray]:
    """Requirement, European and US contributions and the inner term for one variant.

    One value per row (areas of ``ctx.areas``, each over ``ctx.years``), columns ``_EVALUATED``.
    """
    shares = {a: dict(zip(CASES, ctx.params.share_for(a).ends(), strict=True))[v.share]
              for a in capability_catalogue().area_names}
    requirements, us_all = ctx.static.requirements, ctx.static.us
    rows: list[tuple[float, float, float, float, float, float, float]] = []
    for area in ctx.areas:
        requirement = requirement_value(requirements[area], v.requirement, requirements,
                                        us_all, shares)
        us = us_all[area]
        outside = us.outside * (shares[area] if us.share_applies else 1.0)
        for year, (eff, loss, added) in zip(ctx.years, _european_effective(ctx, area, v),
                                            strict=True):
            in_place = us.in_place * float(ctx.forces_in_place[year])
            reinforcement = outside * float(ctx.reinforcements[year])
            rows.append((requirement, eff, loss, added, in_place, reinforcement,
                         requirement - eff - in_place - reinforcement))
    table = np.array(rows, dtype=float).reshape(len(rows), len(_EVALUATED))
    return {name: table[:, i] for i, name in enumerate(_EVALUATED)}


# --------------------------------------------------------------------------- assembly


def _ranges(frames: Mapping[str, Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Gap, gap_low/high, requirement_low/high and the largest swing, from every variant."""
    inner = frames["central"]["inner"]
    low, high = inner.copy(), inner.copy()
    for lo_name, hi_name in _PARTS.values():
        d_lo = frames[lo_name]["inner"] - inner
        d_hi = frames[hi_name]["inner"] - inner
        low += np.minimum(0.0, np.minimum(d_lo, d_hi))
        high += np.maximum(0.0, np.maximum(d_lo, d_hi))
    requirement = frames["central"]["requirement"]
    requirements = np.stack([f["requirement"] for f in frames.values()])
    stacked = np.stack([
        np.abs(np.maximum(0.0, frames[f"{name}_high"]["inner"])
               - np.maximum(0.0, frames[f"{name}_low"]["inner"]))
        for name in ASSUMPTION_LABELS
    ])
    best = np.argmax(stacked, axis=0)
    names = np.array(list(ASSUMPTION_LABELS.values()))
    swing = stacked.max(axis=0)
    # a swing below a millionth of the requirement is rounding, not sensitivity
    no_req = np.isnan(requirement)
    moved = swing > 1e-6 * np.maximum(1.0, np.where(no_req, 0.0, requirement))
    out = {
        "gap": np.maximum(0.0, inner), "gap_low": np.maximum(0.0, low),
        "gap_high": np.maximum(0.0, high),
        "requirement_low": np.fmin.reduce(requirements, axis=0),
        "requirement_high": np.fmax.reduce(requirements, axis=0),
    }
    for values in out.values():
        values[no_req] = math.nan
    out["most_sensitive_swing"] = swing
    out["most_sensitive_assumption"] = np.where(moved, names[best], "")
    return out


def _status(r: Mapping[Hashable, Any]) -> str:
    """The ``data_status`` of one gap row: what is missing and what was assumed ('ok')."""
    flags: list[str] = []
    source = r["requirement_source"]
    if source == "none":
        flags.append("no requirement")
    elif source == "assumption":
        flags.append("requirement is a named assumption (capabilities.assumed_requirements)")
    if pd.isna(r["european_holdings"]):
        flags.append("no European holdings figure (counted as 0: the gap is an upper bound)")
    if isinstance(r.get("holders_without_figure"), str) and r["holders_without_figure"]:
        flags.append(f"no figure for {r['holders_without_figure']}")
    unknown = r.get("unknown_origin_holdings")
    if isinstance(unknown, int | float) and unknown > 0:
        flags.append(f"{unknown:,.0f} units of unknown origin not discounted")
    us_status = r.get("us_status")
    if isinstance(us_status, str) and us_status:
        flags.append(us_status)
    return "; ".join(flags) if flags else "ok"


def _area_facts(
    requirements: Mapping[str, Requirement], us: Mapping[str, UsInventory],
    reference: pd.DataFrame, baseline: Mapping[str, float],
) -> dict[str, _AreaFacts]:
    """Per area, the gap columns that no lever moves (``reference``: :func:`european_reference`)."""
    out: dict[str, _AreaFacts] = {}
    for r in reference.to_dict("records"):
        area = str(r["capability"])
        req = requirements[area]
        status = _status({**r, "requirement_source": req.source, "us_status": us[area].status})
        out[area] = _AreaFacts(
            requirement_basis=req.basis, requirement_source=req.source,
            requirement_kind=req.kind, requirement_note=req.note.strip("; "),
            european_baseline=baseline.get(area, 0.0),
            reported_holdings=float(r["european_holdings"]),
            allies_with_data=int(r["allies_with_data"]), unit=_area_units()[area],
            holdings_capabilities="|".join(capability_catalogue().area(area).codes),
            data_status=status,
        )
    return out


def _assemble(ctx: _Context, frames: Mapping[str, Mapping[str, np.ndarray]]) -> pd.DataFrame:
    """The gap table (``GAP_COLUMNS``, sorted by area and year) from the variant evaluations."""
    central, ranges = frames["central"], _ranges(frames)
    n_years = len(ctx.years)
    facts = [ctx.static.facts[a] for a in ctx.areas]

    def per_area(values: Sequence[Any], dtype: Any = None) -> np.ndarray:
        return np.repeat(np.asarray(values, dtype=dtype), n_years)

    def texts(name: str) -> list[str]:
        return [str(getattr(f, name)) for f in facts for _ in ctx.years]

    requirement, added = central["requirement"], central["european_added"]
    reported = per_area([f.reported_holdings for f in facts], float)
    us_contribution = central["us_in_place"] + central["us_reinforcement"]
    has_e = ~np.isnan(reported) | (added > 0)
    effective = np.where(has_e, central["european_effective"], math.nan)
    total = effective + us_contribution
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(requirement > 0, np.minimum(1.0, total / requirement),
                            np.where(requirement == 0, 1.0, np.nan))
    coverage = np.where(~np.isnan(requirement) & has_e, coverage, math.nan)
    columns: dict[str, Any] = {
        "capability": [a for a in ctx.areas for _ in ctx.years],
        "year": np.tile(np.asarray(ctx.years, dtype=np.int64), len(ctx.areas)),
        "unit": texts("unit"), "requirement": requirement,
        "requirement_low": ranges["requirement_low"],
        "requirement_high": ranges["requirement_high"],
        "requirement_basis": texts("requirement_basis"),
        "requirement_source": texts("requirement_source"),
        "requirement_kind": texts("requirement_kind"),
        "requirement_note": texts("requirement_note"),
        "european_baseline": per_area([f.european_baseline for f in facts], float),
        "european_holdings": reported + added, "european_effective": effective,
        "sustainment_loss": central["sustainment_loss"], "us_in_place": central["us_in_place"],
        "us_reinforcement": central["us_reinforcement"], "us_contribution": us_contribution,
        "gap": ranges["gap"], "gap_low": ranges["gap_low"], "gap_high": ranges["gap_high"],
        "surplus": -central["inner"], "coverage": coverage,
        "most_sensitive_assumption": ranges["most_sensitive_assumption"].tolist(),
        "most_sensitive_swing": ranges["most_sensitive_swing"],
        "allies_with_data": per_area([f.allies_with_data for f in facts], np.int64),
        "data_status": texts("data_status"),
        "holdings_capabilities": texts("holdings_capabilities"),
    }
    return pd.DataFrame({name: columns[name] for name in GAP_COLUMNS})


# --------------------------------------------------------------------------- stage


def _params(scenario: Scenario) -> CapabilityParams:
    params = getattr(scenario, "capabilities", None)
    return params if isinstance(params, CapabilityParams) else CapabilityParams()


def _giuk(dataset: Dataset, scenario: Scenario, params: CapabilityParams) -> dict[str, float]:
    """The GIUK barrier's force package (first scenario year), only when an area can use it."""
    wanted = [a for a in GIUK_AREAS if params.basis_for(a) == "force_package"
              and a not in params.user_requirements]
    if not wanted or "giuk_barrier" not in params.force_package_order:
        return {}
    if not all(dataset.has_table(t) for t in ("giuk_legs", "asw_bases", "asw_sensors")):
        return {}
    # imported here: the barrier stage is only loaded when a requirement rests on it
    from alliance.asw import asw_barrier

    # the barrier of the first year alone (each year's barrier is computed on its own)
    rows = asw_barrier(dataset, scenario, years=[scenario.years[0]]).requirements
    first = rows[rows["year"] == rows["year"].min()]
    return {str(r["capability"]): float(r["requirement_units"]) for r in first.to_dict("records")}


#: Tables the lever-free part of the gap model reads (the GIUK ones for its force package).
_STATIC_TABLES = ("capability_holdings", "capability_baseline", "us_posture",
                  "capability_requirements", "giuk_legs", "asw_bases", "asw_sensors", "asw_fleet")
_STATIC: TableMemo[_Static] = TableMemo(16)


def _static(dataset: Dataset, scenario: Scenario, params: CapabilityParams) -> _Static:
    """Requirements, US inventory, holdings and per-area facts: no lever moves them.

    Memoised on the tables and on what of the scenario they read: the capability
    parameters, the base year, the first year and the ASW parameters (the GIUK
    force package holds P(detect) without US assets, so US commitment does not enter).
    """
    def compute() -> _Static:
        holdings = dataset.table("capability_holdings")
        counted = counted_holdings(holdings, params)
        baseline = european_baseline(dataset.table("capability_baseline"), params)
        us = us_inventory(counted, dataset.table("us_posture"),
                          getattr(scenario, "base_year", 2025))
        requirements = resolve_requirements(
            dataset.table("capability_requirements"), baseline, us,
            _giuk(dataset, scenario, params), params)
        facts = _area_facts(requirements, us, european_reference(holdings, params), baseline)
        return _Static(requirements, us, _area_holdings(counted), facts)

    held, tables = stored_tables(dataset, _STATIC_TABLES)
    asw = getattr(scenario, "asw", None)
    key = (held, params.model_dump_json(), getattr(scenario, "base_year", 2025),
           scenario.years[0], None if asw is None else asw.model_dump_json())
    return _STATIC.get(tables, key, compute)


def capability_gaps(
    dataset: Dataset, scenario: Scenario, additions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The capability stage: one row per capability area and scenario year (``GAP_COLUMNS``).

    ``requirement`` (central) with ``requirement_low``/``requirement_high``,
    ``requirement_basis`` and ``requirement_source`` ('none' = no figure: reported,
    never read as 0); ``european_baseline`` (frozen), ``european_holdings``
    (reported + added), ``european_effective``, ``us_contribution`` (=
    ``us_in_place`` + ``us_reinforcement``), ``gap`` with ``gap_low``/``gap_high``
    and signed ``surplus`` in the area ``unit``; ``coverage`` (share of the
    requirement covered, capped at 1); ``most_sensitive_assumption``; ``data_status``.
    ``additions`` (optional ``capability, year, quantity, us_made``) adds units
    delivered by that year.
    """
    params = _params(scenario)
    static = _static(dataset, scenario, params)
    uc, years = scenario.us_commitment, tuple(sorted(int(y) for y in scenario.years))
    ctx = _Context(
        params=params, static=static, areas=tuple(sorted(static.requirements)), years=years,
        forces_in_place={y: uc.forces_in_place.at(y) for y in years},
        reinforcements={y: uc.reinforcements.at(y) for y in years},
        additions=_additions_by_area_year(additions),
        availability=availability_model(dataset, scenario),
    )
    gaps = _assemble(ctx, {name: _evaluate(ctx, v) for name, v in _VARIANTS.items()})
    logger.info("capability gaps: %d areas x %d years", len(ctx.areas), len(years))
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
    g = gaps[gaps["coverage"].notna()]
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


def _row_availability(avail: Availability, part: pd.DataFrame, years: Sequence[int]) -> pd.Series:
    """Units kept usable per year of the counted rows ``part`` (US-made rows decay by family)."""
    us = part["us_made"].astype("boolean").fillna(False).astype(bool)
    kept = pd.Series(float(part.loc[~us, "quantity"].sum()), index=list(years))
    for family, rows in part[us].groupby("system_family"):
        kept = kept + float(rows["quantity"].sum()) * avail.series(str(family)).reindex(
            list(years))
    return kept


def holdings_by_ally(dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """Holdings per European ally, capability area and year, with what is missing.

    Columns ``iso3, capability, year, unit, holdings`` (reported, counted rows),
    ``effective`` (US-made discounted by their family's availability, times
    readiness), ``us_made_holdings``, ``on_order`` (firm orders, not counted),
    ``data_status``: 'reported', 'no data', 'figure not published' or 'only
    orders/plans'. An ally without a row for an area has NaN holdings, never 0.
    """
    params = _params(scenario)
    holdings = dataset.table("capability_holdings")
    codes = [c for c in dataset.table("allies")["iso3"].astype(str) if c != "USA"
             and (params.include_canada or c != "CAN")]
    counted = counted_holdings(holdings, params)
    counted = counted[counted["holder_kind"] == "ally"]
    h = holdings.assign(area=[area_of(str(c)) for c in holdings["capability"]])
    h = h[h["holder_kind"] == "ally"]
    avail = availability_model(dataset, scenario)
    years = list(scenario.years)
    rows = []
    for iso3 in codes:
        for area in capability_catalogue().area_names:
            part = counted[(counted["holder"] == iso3) & (counted["area"] == area)]
            allrows = h[(h["holder"] == iso3) & (h["area"] == area)]
            unit = capability_catalogue().unit(area)
            orders = allrows[(allrows["quantity_basis"] == "ordered") & (allrows["unit"] == unit)]
            status = _ally_status(part, allrows)
            us = part["us_made"].astype("boolean").fillna(False).astype(bool)
            kept = _row_availability(avail, part, years) if len(part) else None
            ready = params.readiness_for(area)
            for year in years:
                rows.append({
                    "iso3": iso3, "capability": area, "year": int(year), "unit": unit,
                    "holdings": float(part["quantity"].sum()) if len(part) else math.nan,
                    "effective": ready * float(kept.loc[year]) if kept is not None else math.nan,
                    "us_made_holdings": float(part.loc[us, "quantity"].sum())
                    if len(part) else math.nan,
                    "on_order": float(orders["quantity"].sum()) if len(orders) else math.nan,
                    "data_status": status,
                })
    return pd.DataFrame(rows)


def _ally_status(part: pd.DataFrame, allrows: pd.DataFrame) -> str:
    if len(part):
        return "reported"
    if allrows.empty:
        return "no data"
    if (allrows["quantity_basis"] == "in_service").any():
        return "figure not published"
    return "only orders/plans"
