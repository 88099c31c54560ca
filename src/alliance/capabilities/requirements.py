"""Requirements per capability area that do not depend on the holdings a run reads.

Two bases, chosen per area in the scenario (``capabilities.requirement_basis``,
default from the capability catalogue):

* ``replace_us`` — like-for-like replacement of what the US contributes to
  European defence (the IISS 2025 method)::

      R = E_base + U_in_place + s * (U_total - U_in_place)

  ``E_base`` is the *frozen* European baseline (table ``capability_baseline``:
  the bundled holdings as built, not the holdings of this run), ``U_in_place``
  the US holdings in Europe (holder USA_EUCOM; for troops the ``us_posture``
  total), ``U_total`` the US inventory (USA_TOTAL; for troops the planned
  reinforcements are added as published) and ``s`` the reinforcement share.
* ``force_package`` — an absolute quantity: a study's total, or its additional
  need on top of the study's own reference stock (else ``E_base``), a multiple
  of it, the aircraft and frigates that hold the GIUK barrier without US assets
  (:mod:`alliance.asw`), or the user's figure.

Where the basis yields no figure the scenario's named assumption with a range
(``capabilities.assumed_requirements``) is used; an area without either is
reported as 'no requirement' (NaN), never 0. Every requirement is evaluated at
the low, central and high end of its range (:func:`requirement_value`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from alliance.catalogue import capability_catalogue
from alliance.errors import ModelError
from alliance.params import CapabilityParams

__all__ = [
    "GIUK_AREAS",
    "Requirement",
    "UsInventory",
    "requirement_value",
    "resolve_requirements",
]

#: Areas the GIUK barrier model gives a force package for.
GIUK_AREAS = ("maritime_patrol_aircraft", "frigate_destroyer")
_ENDS = ("low", "central", "high")


@dataclass(frozen=True)
class UsInventory:
    """US forces per area [area unit]: in Europe, and what could reinforce it."""

    in_place: float
    """US holdings in Europe (USA_EUCOM) or US troops in Europe."""
    outside: float
    """US inventory outside Europe (USA_TOTAL − USA_EUCOM), or planned troop reinforcements."""
    share_applies: bool
    """Whether the reinforcement share scales ``outside`` (False: a published flow, e.g. troops)."""
    known: bool
    """Whether any US figure exists for the area."""
    status: str = ""


@dataclass(frozen=True)
class Requirement:
    """How one area's requirement is set; evaluate it with :func:`requirement_value`."""

    capability: str
    basis: str
    """'replace_us' or 'force_package' (as used: a fallback is said in ``note``)."""
    source: str
    """'replace_us', a study id, 'giuk_barrier', 'user', 'assumption' or 'none'."""
    kind: str
    """'us_replacement', 'total', 'additional', 'multiple_of_baseline', 'per_unit' or ''."""
    ends: Mapping[str, float] = field(default_factory=dict)
    """The figure at 'low', 'central', 'high' (meaning depends on ``kind``)."""
    reference_stock: float = math.nan
    """Stock an additional need or a multiple is on top of [area unit]."""
    per_unit_of: str | None = None
    note: str = ""


def _point(low: Any, high: Any, central_point: str) -> dict[str, float] | None:
    lo = None if pd.isna(low) else float(str(low))
    hi = None if pd.isna(high) else float(str(high))
    if lo is None and hi is None:
        return None
    lo = hi if lo is None else lo
    hi = lo if hi is None else hi
    assert lo is not None and hi is not None
    central = {"low": lo, "high": hi, "mid": (lo + hi) / 2.0}[central_point]
    return {"low": lo, "central": central, "high": hi}


def _study_rows(requirements: pd.DataFrame) -> dict[tuple[str, str], Mapping[str, Any]]:
    """(study, area) -> the force-package row; IISS-type 'US assets to replace' rows are skipped."""
    out: dict[tuple[str, str], Mapping[str, Any]] = {}
    for row in requirements.to_dict("records"):
        if str(row.get("basis") or "force_package") == "replace_us_published":
            continue
        key = (str(row["study_id"]), str(row["capability"]))
        if key in out:
            msg = f"capability_requirements: more than one row for {key[0]}/{key[1]}"
            raise ModelError(msg)
        out[key] = {str(k): v for k, v in row.items()}
    return out


def _from_study(
    area: str, study: str, row: Mapping[str, Any], baseline: float, params: CapabilityParams
) -> Requirement | None:
    ends = _point(row["value_low"], row["value_high"], params.requirement_central_point)
    if ends is None:
        return None
    kind = str(row["kind"])
    if kind not in ("total", "additional", "multiple_of_baseline"):
        msg = f"capability_requirements: unknown kind {kind!r} for {study}/{area}"
        raise ModelError(msg)
    stock: Any = row.get("reference_stock")
    has_stock = stock is not None and not pd.isna(stock)
    reference = float(str(stock)) if has_stock else baseline
    note = "" if has_stock or kind == "total" else "on top of the frozen European baseline"
    return Requirement(area, "force_package", study, kind, ends, reference, note=note)


def resolve_requirements(
    requirements: pd.DataFrame,
    baseline: Mapping[str, float],
    us: Mapping[str, UsInventory],
    giuk: Mapping[str, float],
    params: CapabilityParams,
) -> dict[str, Requirement]:
    """How each catalogue area's requirement is set under ``params``.

    ``baseline`` is the frozen European baseline per area, ``us`` the US
    inventory, ``giuk`` the GIUK barrier's force package (area -> units; empty
    when not computed).
    """
    rows = _study_rows(requirements)
    out: dict[str, Requirement] = {}
    for area in capability_catalogue().area_names:
        out[area] = _resolve_area(area, rows, baseline.get(area, 0.0), us.get(area), giuk, params)
    for req in out.values():
        if req.per_unit_of is not None and out[req.per_unit_of].per_unit_of is not None:
            msg = (f"capabilities.assumed_requirements: {req.capability} is per unit of "
                   f"{req.per_unit_of}, which is itself per unit of another area")
            raise ModelError(msg)
    return out


def _resolve_area(
    area: str,
    rows: Mapping[tuple[str, str], Mapping[str, Any]],
    baseline: float,
    us: UsInventory | None,
    giuk: Mapping[str, float],
    params: CapabilityParams,
) -> Requirement:
    if area in params.user_requirements:
        value = float(params.user_requirements[area])
        return Requirement(area, "force_package", "user", "total", dict.fromkeys(_ENDS, value))
    basis = params.basis_for(area)
    if basis == "replace_us" and us is not None and us.known:
        return Requirement(area, "replace_us", "replace_us", "us_replacement", {}, baseline)
    tried = "replace_us: no US figure" if basis == "replace_us" else ""
    if basis == "force_package":
        found = _force_package(area, rows, baseline, giuk, params)
        if found is not None:
            return found
        tried = "force_package: no study figure"
    assumed = params.assumed_requirements.get(area)
    if assumed is not None:
        return Requirement(
            area, basis, "assumption", "per_unit" if assumed.per_unit_of else "total",
            dict(zip(_ENDS, assumed.ends(), strict=True)), per_unit_of=assumed.per_unit_of,
            note=f"{tried}; named assumption: {assumed.basis}",
        )
    return Requirement(area, basis, "none", "", note=tried)


def _force_package(
    area: str,
    rows: Mapping[tuple[str, str], Mapping[str, Any]],
    baseline: float,
    giuk: Mapping[str, float],
    params: CapabilityParams,
) -> Requirement | None:
    for source in params.force_package_order:
        if source == "giuk_barrier":
            if area in giuk and math.isfinite(giuk[area]):
                return Requirement(area, "force_package", "giuk_barrier", "total",
                                   dict.fromkeys(_ENDS, float(giuk[area])),
                                   note="held on every GIUK leg without US assets")
            continue
        row = rows.get((source, area))
        if row is not None:
            found = _from_study(area, source, row, baseline, params)
            if found is not None:
                return found
    return None


def requirement_value(
    req: Requirement,
    end: str,
    resolved: Mapping[str, Requirement],
    us: Mapping[str, UsInventory],
    shares: Mapping[str, float],
) -> float:
    """The requirement [area unit] at ``end`` ('low'/'central'/'high') of its own range.

    ``us`` is the US inventory per area and ``shares`` the reinforcement share per
    area used for a replace-us requirement (a per-unit requirement is evaluated on
    the other area's). NaN for 'no requirement'.
    """
    if req.source == "none":
        return math.nan
    if req.kind == "us_replacement":
        inventory = us.get(req.capability)
        if inventory is None:
            return math.nan
        share = shares[req.capability] if inventory.share_applies else 1.0
        return req.reference_stock + inventory.in_place + share * inventory.outside
    value = float(req.ends[end])
    if req.kind == "additional":
        return req.reference_stock + value
    if req.kind == "multiple_of_baseline":
        return value * req.reference_stock
    if req.kind == "per_unit":
        assert req.per_unit_of is not None
        return value * requirement_value(resolved[req.per_unit_of], end, resolved, us, shares)
    return value
