"""Input tables of the deterrence stage and their contracts.

The crisis Monte Carlo takes two tables besides its parameters
(:class:`alliance.params.DeterrenceParams`), checked by :func:`validate_allies`
and :func:`validate_context`:

``allies`` (one row per ally)
    ``iso3`` (str, unique), ``name`` (str), ``borders_russia_belarus`` (bool),
    ``capital_lat`` / ``capital_lon`` (degrees north / east). GDP no longer
    weighs an ally's contribution (a ``gdp_usd_bn`` column is ignored).

``context`` (one row per year, from the upstream stages)
    ``year`` (int, unique), ``us_forces_in_place`` (fraction 0-1 of the 2025
    posture), ``us_reinforcements`` (fraction 0-1 of the planned flow),
    ``capability_coverage`` (>= 0: share of the capability requirement Europe
    and the US can field that year, 1 = requirement met; from the capability
    stage, or :attr:`DeterrenceParams.default_capability_coverage`).

``forces`` (:class:`ForceInputs`, per year; the mobility stage's closure curves
turned into combat power by :func:`force_inputs_from_closure`): the target's own
brigades in place, forward presence in its theatre, and each ally's power in
theatre by hour after its decision. It travels with the context table
(``context.attrs["forces"]``, set by :func:`attach_forces`) or is given to
``simulate(..., forces=...)``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance.errors import ModelError
from alliance.params import DeterrenceParams
from alliance.scenario import Scenario

__all__ = [
    "ALLY_COLUMNS",
    "CONTEXT_COLUMNS",
    "ForceInputs",
    "YearForces",
    "attach_forces",
    "brigade_power",
    "force_inputs_from_closure",
    "forces_of",
    "allies_with_gdp",
    "deterrence_context_from_scenario",
    "validate_allies",
    "validate_context",
]

logger = logging.getLogger(__name__)

#: Required columns of the ``allies`` table.
ALLY_COLUMNS: tuple[str, ...] = (
    "iso3",
    "name",
    "borders_russia_belarus",
    "capital_lat",
    "capital_lon",
)

#: Required columns of the per-year ``context`` table.
CONTEXT_COLUMNS: tuple[str, ...] = (
    "year",
    "us_forces_in_place",
    "us_reinforcements",
    "capability_coverage",
)

def _as_float(column: pd.Series) -> pd.Series:
    """The column as float64 numbers, NaN where a cell is not a number."""
    if column.dtype == np.float64:
        return column
    return pd.to_numeric(column, errors="coerce").astype(float)


def _outside(values: pd.Series, low: float, high: float) -> npt.NDArray[np.bool_]:
    """Where a float64 column is NaN or outside ``[low, high]``."""
    v = values.to_numpy(dtype=np.float64)
    return np.asarray(~((v >= low) & (v <= high)))


def validate_allies(allies: pd.DataFrame) -> pd.DataFrame:
    """Check the ``allies`` table contract and return a clean copy (index 0..n-1).

    Raises :class:`~alliance.errors.ModelError` naming the column (and ally) at fault.
    """
    missing = [c for c in ALLY_COLUMNS if c not in allies.columns]
    if missing:
        raise ModelError(
            f"allies table: missing column(s) {missing}; required {list(ALLY_COLUMNS)}"
        )
    out = allies.loc[:, list(ALLY_COLUMNS)].reset_index(drop=True).copy()
    if len(out) < 2:
        raise ModelError(f"allies table: needs at least 2 allies, got {len(out)}")
    out["iso3"] = out["iso3"].astype(str)
    duplicated = sorted(set(out.loc[out["iso3"].duplicated(), "iso3"]))
    if duplicated:
        raise ModelError(f"allies table: column 'iso3' has duplicates {duplicated}")
    for column, low, high in (
        ("capital_lat", -90.0, 90.0),
        ("capital_lon", -180.0, 180.0),
    ):
        values = _as_float(out[column])
        bad = out.loc[_outside(values, low, high), "iso3"].tolist()
        if bad:
            raise ModelError(
                f"allies table: column '{column}' must be a number in [{low:g}, {high:g}]; "
                f"bad for {bad}"
            )
        out[column] = values
    borders = out["borders_russia_belarus"]
    if borders.isna().any():
        raise ModelError("allies table: column 'borders_russia_belarus' has empty cells")
    out["borders_russia_belarus"] = borders.astype(bool)
    return out


def validate_context(context: pd.DataFrame) -> pd.DataFrame:
    """Check the per-year ``context`` table contract; return a clean copy sorted by year.

    Raises :class:`~alliance.errors.ModelError` naming the column and year at fault.
    """
    missing = [c for c in CONTEXT_COLUMNS if c not in context.columns]
    if missing:
        raise ModelError(
            f"context table: missing column(s) {missing}; required {list(CONTEXT_COLUMNS)}"
        )
    out = context.loc[:, list(CONTEXT_COLUMNS)].copy()
    if out.empty:
        raise ModelError("context table: no rows (one row per year is required)")
    years = pd.to_numeric(out["year"], errors="coerce")
    if years.isna().any() or (years != years.round()).any():
        raise ModelError("context table: column 'year' must hold whole years")
    out["year"] = years.astype(int)
    if out["year"].duplicated().any():
        dup = sorted(set(out.loc[out["year"].duplicated(), "year"].tolist()))
        raise ModelError(f"context table: column 'year' has duplicates {dup}")
    for column, low, high in (
        ("us_forces_in_place", 0.0, 1.0),
        ("us_reinforcements", 0.0, 1.0),
        ("capability_coverage", 0.0, 10.0),
    ):
        values = _as_float(out[column])
        bad = out.loc[_outside(values, low, high), "year"].tolist()
        if bad:
            raise ModelError(
                f"context table: column '{column}' must be in [{low:g}, {high:g}]; "
                f"bad in year(s) {bad}"
            )
        out[column] = values
    out = out.sort_values("year").reset_index(drop=True)
    out.attrs = dict(context.attrs)
    return out


def deterrence_context_from_scenario(
    scenario: Scenario,
    capability_coverage: pd.Series | None = None,
) -> pd.DataFrame:
    """Per-year context table for the scenario's years.

    ``us_forces_in_place`` and ``us_reinforcements`` come from the scenario's US
    commitment paths. ``capability_coverage`` is a Series indexed by year from the
    capability stage; when None, every year uses the named assumption
    ``scenario.deterrence.default_capability_coverage``. A coverage Series that
    lacks a scenario year is an error naming the year.
    """
    params = scenario.deterrence
    years = scenario.years
    if capability_coverage is None:
        logger.info(
            "deterrence: no capability coverage given; assuming %.2f for every year "
            "(deterrence.default_capability_coverage)",
            params.default_capability_coverage,
        )
        coverage = [params.default_capability_coverage] * len(years)
    else:
        series = capability_coverage.copy()
        series.index = [int(y) for y in series.index]
        lacking = [y for y in years if y not in series.index]
        if lacking:
            raise ModelError(f"capability_coverage: no value for year(s) {lacking}")
        coverage = [float(series.loc[y]) for y in years]
    us = scenario.us_commitment
    context = pd.DataFrame(
        {
            "year": years,
            "us_forces_in_place": [float(us.forces_in_place.at(y)) for y in years],
            "us_reinforcements": [float(us.reinforcements.at(y)) for y in years],
            "capability_coverage": coverage,
        }
    )
    return validate_context(context)


def allies_with_gdp(
    allies: pd.DataFrame, gdp: pd.DataFrame, year: int | None = None
) -> pd.DataFrame:
    """The ``allies`` input table: the allies table joined with each ally's GDP.

    ``gdp`` has columns ``iso3, year, gdp_usd_bn`` (the dataset's ``gdp`` table). Each
    ally gets its value of the latest year with a value, at or before ``year`` when
    given (e.g. the scenario's ``base_year``). An ally without a value is an error
    naming it.
    """
    known = gdp.dropna(subset=["gdp_usd_bn"])
    if year is not None:
        known = known.loc[known["year"] <= year]
    known = known.sort_values(["iso3", "year"])
    latest = known.groupby("iso3", as_index=False).last()[["iso3", "gdp_usd_bn"]]
    merged = allies.drop(columns=[c for c in ("gdp_usd_bn",) if c in allies.columns]).merge(
        latest, on="iso3", how="left"
    )
    lacking = merged.loc[merged["gdp_usd_bn"].isna(), "iso3"].tolist()
    if lacking:
        limit = "" if year is None else f" up to {year}"
        raise ModelError(f"gdp table: no gdp_usd_bn{limit} for ally/allies {lacking}")
    return validate_allies(merged)


@dataclass(frozen=True, eq=False)
class YearForces:
    """Combat power of one year [power units: medium-brigade equivalents].

    Arrays are in the order of ``iso3``. ``own[t]``: target t's own brigades in
    place at hour 0. ``forward[t, i]``: ally i's forward-stationed formations in t's
    theatre. ``curve[t, h, i]``: ally i's power in t's theatre ``h`` hours after
    i's decision (h = 0..hours; the target's own curve runs from hour 0).
    """

    iso3: tuple[str, ...]
    own: npt.NDArray[np.float64]
    forward: npt.NDArray[np.float64]
    curve: npt.NDArray[np.float32]

    @property
    def hours(self) -> int:
        """Last hour of the curves."""
        return int(self.curve.shape[1] - 1)

    def reordered(self, iso3: tuple[str, ...]) -> YearForces:
        """The same forces in another ally order (allies absent here get nothing)."""
        if iso3 == self.iso3:
            return self
        pos = {c: i for i, c in enumerate(self.iso3)}
        idx = np.array([pos.get(c, -1) for c in iso3])
        ok = idx >= 0
        a, k = len(iso3), self.curve.shape[1]
        own = np.zeros(a)
        fwd = np.zeros((a, a))
        curve = np.zeros((a, k, a), dtype=np.float32)
        own[ok] = self.own[idx[ok]]
        sel = np.ix_(np.flatnonzero(ok), np.flatnonzero(ok))
        fwd[sel] = self.forward[np.ix_(idx[ok], idx[ok])]
        curve[np.flatnonzero(ok)[:, None, None], np.arange(k)[None, :, None],
              np.flatnonzero(ok)[None, None, :]] = self.curve[
            idx[ok][:, None, None], np.arange(k)[None, :, None], idx[ok][None, None, :]]
        return YearForces(iso3=iso3, own=own, forward=fwd, curve=curve)


@dataclass(frozen=True, eq=False)
class ForceInputs:
    """Forces per year and where they come from (one line, quoted in the outputs).

    Equality is identity (``eq=False``): pandas compares the ``attrs`` of frames it
    combines, and arrays have no single truth value.
    """

    years: Mapping[int, YearForces]
    source: str

    def __deepcopy__(self, memo: dict[int, object]) -> ForceInputs:
        """Itself: the forces are never modified.

        pandas deep-copies a frame's ``attrs`` on every operation, which would copy
        every year's arrays each time.
        """
        return self

    def year(self, year: int) -> YearForces:
        """The forces of ``year``; a ModelError names a missing year."""
        if year not in self.years:
            raise ModelError(f"forces: no force picture for year {year}; "
                             f"have {sorted(self.years)}")
        return self.years[year]


def brigade_power(params: DeterrenceParams) -> dict[str, float]:
    """Combat power of one brigade per type [power units]."""
    return {
        "heavy": params.heavy_brigade_weight,
        "medium": params.medium_brigade_weight,
        "light": params.light_brigade_weight,
        "air_assault": params.air_assault_brigade_weight,
    }


def _records(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """The rows of some columns of ``frame`` as tuples of Python values."""
    return list(zip(*(frame[c].tolist() for c in columns), strict=True))


def _power_by_step(
    curves: pd.DataFrame, weights: Mapping[str, float]
) -> dict[Any, tuple[list[str], npt.NDArray[np.float64]]]:
    """Per area: the allies and their power by step [power units], steps 0..last.

    A step an ally lacks carries its value of the step before (0 before its first).
    """
    if curves.empty:
        return {}
    kind_code, kinds = pd.factorize(curves["brigade_type"])
    # a type without a weight (or no type: code -1) has no power: NaN, as Series.map gives
    per_kind = np.array([*(weights.get(k, math.nan) for k in kinds.tolist()), math.nan])
    power = per_kind[kind_code] * curves["brigades"].to_numpy(dtype=np.float64)
    steps = curves["step"].to_numpy(dtype=np.int64)
    area_code, areas = pd.factorize(curves["area"])
    ally_code, allies = pd.factorize(curves["ally"])
    names = [str(a) for a in allies.tolist()]
    out: dict[Any, tuple[list[str], npt.NDArray[np.float64]]] = {}
    for k, area in enumerate(areas.tolist()):
        rows = np.flatnonzero(area_code == k)
        cols = np.unique(ally_code[rows])
        col_of = np.full(len(allies), -1)
        col_of[cols] = np.arange(cols.size)
        last = int(steps[rows].max())
        table = np.zeros((last + 1, cols.size))
        present = np.zeros((last + 1, cols.size), dtype=bool)
        at = (steps[rows], col_of[ally_code[rows]])
        np.add.at(table, at, power[rows])
        present[at] = True
        source_row = np.maximum.accumulate(
            np.where(present, np.arange(last + 1)[:, None], -1), axis=0)
        filled = np.where(source_row >= 0,
                          np.take_along_axis(table, np.maximum(source_row, 0), axis=0), 0.0)
        out[area] = ([names[c] for c in cols.tolist()], filled)
    return out


def force_inputs_from_closure(
    iso3: tuple[str, ...],
    forward: pd.DataFrame,
    in_place: pd.DataFrame,
    curves: pd.DataFrame,
    targets: pd.DataFrame,
    step_h: float,
    power: Mapping[str, float],
    hours: int,
) -> YearForces:
    """One year's :class:`YearForces` from the mobility stage's closure tables.

    ``forward`` (``target, ally, brigade_type, brigades``), ``in_place`` (``target,
    brigade_type, brigades``), ``curves`` (``area, ally, brigade_type, step,
    brigades``), ``targets`` (``iso3, area, has_area, extra_h``): see
    :class:`alliance.mobility.ClosureResult`. A target without its own assembly area
    takes the nearest area's curves shifted by ``extra_h`` and defends with all its
    own brigades in place. ``power``: combat power of one brigade per type
    (:func:`brigade_power` of the deterrence parameters) [power units].
    """
    weights = power
    pos = {c: i for i, c in enumerate(iso3)}
    a = len(iso3)
    own = np.zeros(a)
    fwd = np.zeros((a, a))
    curve = np.zeros((a, hours + 1, a), dtype=np.float32)
    for target, kind, brigades in _records(in_place, "target", "brigade_type", "brigades"):
        if target in pos:
            own[pos[target]] += weights[str(kind)] * float(brigades)
    for target, ally, kind, brigades in _records(forward, "target", "ally", "brigade_type",
                                                  "brigades"):
        if target in pos and ally in pos:
            fwd[pos[target], pos[ally]] += weights[str(kind)] * float(brigades)
    by_area = _power_by_step(curves, weights)
    hour = np.arange(hours + 1, dtype=np.float64)
    # the power by hour of an area's allies, per (area, extra road hours): many targets share
    shifted: dict[tuple[Any, float], npt.NDArray[np.float64]] = {}
    for iso3_t, area_t, has_area, extra_h in _records(targets, "iso3", "area", "has_area",
                                                       "extra_h"):
        iso3_t = str(iso3_t)
        if iso3_t not in pos or area_t not in by_area:
            continue
        allies, table = by_area[area_t]
        if (area_t, float(extra_h)) not in shifted:
            step = np.floor((hour - float(extra_h)) / step_h + 1e-9).astype(int)
            shifted[(area_t, float(extra_h))] = np.where(
                (step >= 0)[:, None], table[np.minimum(np.maximum(step, 0), len(table) - 1)],
                0.0)
        cols = [j for j, ally in enumerate(allies)
                if ally in pos and not (ally == iso3_t and not bool(has_area))]
        curve[pos[iso3_t]][:, [pos[allies[j]] for j in cols]] = (
            shifted[(area_t, float(extra_h))][:, cols])
    return YearForces(iso3=iso3, own=own, forward=fwd, curve=curve)


def attach_forces(context: pd.DataFrame, forces: ForceInputs) -> pd.DataFrame:
    """The context table carrying ``forces`` (``context.attrs["forces"]``)."""
    out = context.copy()
    out.attrs["forces"] = forces
    return out


def forces_of(context: pd.DataFrame) -> ForceInputs | None:
    """The forces a context table carries, if any."""
    value = context.attrs.get("forces")
    return value if isinstance(value, ForceInputs) else None
