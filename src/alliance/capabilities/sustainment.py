"""Sustainment per system family: how fast US-made kit stops working once US support stops.

Each US-made system family depends on US support (mission data and software,
spares, depot work). Without it, the availability of the family in European
hands relaxes toward a *floor* (the share kept usable by European depots,
licensed production, stocks) with a *half-life*::

    a_f(y) = T_f(y) + (a_f(y-1) - T_f(y)) * 2**(-12 / H_f),   a_f(first_year - 1) = 1
    T_f(y) = floor_f + (1 - floor_f) * sustainment(y)

Floors and half-lives come from the bundled ``sustainment`` table (one row per
family, low/central/high, each with a source or a named assumption); families
without a row use the scenario's ``default_unsustained_floor`` and
``default_half_life_months`` ranges, and the levers ``unsustained_availability_floor``
and ``sustainment_half_life_months`` replace every family's value when set.
Non-US-made kit keeps availability 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from alliance.errors import ModelError
from alliance.memo import memoised
from alliance.params import CapabilityParams

__all__ = [
    "CASES",
    "FamilySustainment",
    "availability_levels",
    "family_sustainment",
    "sustainment_availability",
    "sustainment_key",
]

#: The ends of the sustainment range: 'low' = pessimistic (low floor, short half-life).
CASES: tuple[str, ...] = ("low", "central", "high")


@dataclass(frozen=True)
class FamilySustainment:
    """Floor [fraction 0-1] and half-life [months] of one family, per case, and their basis."""

    family: str
    floor: Mapping[str, float]
    half_life_months: Mapping[str, float]
    basis: str

    def availability(
        self, sustainment: Mapping[int, float], floor_case: str, half_life_case: str
    ) -> pd.Series:
        """Availability by year for the given ends of the floor and half-life ranges."""
        return sustainment_availability(
            sustainment, self.half_life_months[half_life_case], self.floor[floor_case]
        )


def sustainment_availability(
    sustainment: Mapping[int, float] | pd.Series,
    half_life_months: float,
    floor: float = 0.0,
) -> pd.Series:
    """Availability of a US-made family by year [fraction 0-1], end of each year.

    ``sustainment`` maps consecutive years to the US sustainment level (0-1). The
    availability starts at 1 the year before the first year and relaxes each year
    toward ``floor + (1 - floor) * sustainment`` with half-life ``half_life_months``
    (12 months per step): denial decays it, restored sustainment recovers it at the
    same rate. Monotone: more sustainment in any year never lowers availability.
    """
    levels = availability_levels(sustainment_key(sustainment), half_life_months, floor)
    return pd.Series(dict(levels), name="availability", dtype=float).rename_axis("year")


def sustainment_key(sustainment: Mapping[int, float] | pd.Series) -> tuple[tuple[int, float], ...]:
    """A sustainment path as sorted ``(year, level [fraction 0-1])`` pairs (hashable)."""
    return tuple((int(y), float(s)) for y, s in sorted(dict(sustainment).items()))


@memoised(4096)
def availability_levels(
    sustainment: tuple[tuple[int, float], ...], half_life_months: float, floor: float = 0.0
) -> tuple[tuple[int, float], ...]:
    """:func:`sustainment_availability` as ``(year, availability [fraction 0-1])`` pairs.

    ``sustainment`` is a :func:`sustainment_key`. Memoised: the capability stage reads
    the same few curves for every area and variant, and a lever change repeats them.
    """
    if half_life_months <= 0 or not math.isfinite(half_life_months):
        msg = f"sustainment half-life is {half_life_months}; give a value > 0 months"
        raise ModelError(msg)
    if not 0.0 <= floor <= 1.0:
        msg = f"unsustained availability floor is {floor}; give a value in 0-1"
        raise ModelError(msg)
    keep = 2.0 ** (-12.0 / half_life_months)
    level = 1.0
    out: list[tuple[int, float]] = []
    for year, s in sustainment:
        target = floor + (1.0 - floor) * s
        level = target + (level - target) * keep
        out.append((year, level))
    return tuple(out)


def _ends(row: Mapping[str, Any], stem: str) -> dict[str, float] | None:
    values = [row.get(f"{stem}_{case}") for case in CASES]
    if any(v is None or pd.isna(v) for v in values):
        return None
    return {case: float(str(v)) for case, v in zip(CASES, values, strict=True)}


def family_sustainment(
    table: pd.DataFrame | None, params: CapabilityParams
) -> tuple[dict[str, FamilySustainment], FamilySustainment]:
    """Per-family sustainment from the ``sustainment`` table, and the default for the rest.

    A row with an incomplete range falls back to the default range for that
    quantity (stated in ``basis``). The levers of ``params`` override every family.
    """
    default = FamilySustainment(
        family="(default)",
        floor=dict(zip(CASES, params.default_unsustained_floor.ends(), strict=True)),
        half_life_months=dict(zip(CASES, params.default_half_life_months.ends(), strict=True)),
        basis="assumption: capabilities.default_unsustained_floor / default_half_life_months",
    )
    out: dict[str, FamilySustainment] = {}
    records: list[dict[str, Any]] = [] if table is None else [
        {str(k): v for k, v in r.items()} for r in table.to_dict("records")]
    for row in records:
        floor = _ends(row, "floor") or dict(default.floor)
        half_life = _ends(row, "half_life_months") or dict(default.half_life_months)
        source = str(row.get("source") or "") if not pd.isna(row.get("source")) else ""
        assumption = row.get("assumption")
        named = "" if assumption is None or pd.isna(assumption) else str(assumption)
        out[str(row["family"])] = FamilySustainment(
            family=str(row["family"]), floor=floor, half_life_months=half_life,
            basis=source or (f"assumption: {named}" if named else "sustainment table"),
        )
    return {f: _with_levers(s, params) for f, s in out.items()}, _with_levers(default, params)


def _with_levers(s: FamilySustainment, params: CapabilityParams) -> FamilySustainment:
    floor, half_life, basis = dict(s.floor), dict(s.half_life_months), s.basis
    if params.unsustained_availability_floor is not None:
        floor = dict.fromkeys(CASES, params.unsustained_availability_floor)
        basis += "; floor set by capabilities.unsustained_availability_floor"
    if params.sustainment_half_life_months is not None:
        half_life = dict.fromkeys(CASES, params.sustainment_half_life_months)
        basis += "; half-life set by capabilities.sustainment_half_life_months"
    return FamilySustainment(s.family, floor, half_life, basis)
