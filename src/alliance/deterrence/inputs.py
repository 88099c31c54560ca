"""Input tables of the deterrence stage and their contracts.

The crisis Monte Carlo takes two tables besides its parameters
(:class:`alliance.params.DeterrenceParams`), checked by :func:`validate_allies`
and :func:`validate_context`:

``allies`` (one row per ally)
    ``iso3`` (str, unique), ``name`` (str), ``borders_russia_belarus`` (bool),
    ``capital_lat`` / ``capital_lon`` (degrees north / east), ``gdp_usd_bn``
    (float > 0, billion current USD; the weight of the ally's contribution).

``context`` (one row per year, from the upstream stages)
    ``year`` (int, unique), ``us_forces_in_place`` (fraction 0-1 of the 2025
    posture), ``us_reinforcements`` (fraction 0-1 of the planned flow),
    ``capability_coverage`` (>= 0: share of the capability requirement Europe
    and the US can field that year, 1 = requirement met; from the capability
    stage, or :attr:`DeterrenceParams.default_capability_coverage`).
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd

from alliance.errors import ModelError
from alliance.scenario import Scenario

__all__ = [
    "ALLY_COLUMNS",
    "CONTEXT_COLUMNS",
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
    "gdp_usd_bn",
)

#: Required columns of the per-year ``context`` table.
CONTEXT_COLUMNS: tuple[str, ...] = (
    "year",
    "us_forces_in_place",
    "us_reinforcements",
    "capability_coverage",
)

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
        ("gdp_usd_bn", 0.0, math.inf),
    ):
        values = pd.to_numeric(out[column], errors="coerce").astype(float)
        bad = out.loc[~values.between(low, high) | values.isna(), "iso3"].tolist()
        if column == "gdp_usd_bn":
            bad = out.loc[~(values > 0.0) | values.isna() | ~np.isfinite(values), "iso3"].tolist()
        if bad:
            raise ModelError(
                f"allies table: column '{column}' must be a number in "
                f"{'(0, inf)' if column == 'gdp_usd_bn' else f'[{low:g}, {high:g}]'}; "
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
        values = pd.to_numeric(out[column], errors="coerce").astype(float)
        bad = out.loc[~values.between(low, high) | values.isna(), "year"].tolist()
        if bad:
            raise ModelError(
                f"context table: column '{column}' must be in [{low:g}, {high:g}]; "
                f"bad in year(s) {bad}"
            )
        out[column] = values
    return out.sort_values("year").reset_index(drop=True)


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
