"""Parameters and input tables of the deterrence stage (the crisis Monte Carlo).

:class:`DeterrenceParams` is the ``deterrence`` section of a scenario. Every field
states its unit and either the published figure it rests on or the word
*Assumption*: a stylised value chosen so that the model runs and stays
transparent, listed with every result (:meth:`DeterrenceParams.assumptions`).

The stage takes two tables besides the parameters (contracts checked by
:func:`validate_allies` and :func:`validate_context`):

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
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alliance.errors import ModelError

if TYPE_CHECKING:  # imported for type hints only: alliance.scenario imports this module
    from alliance.scenario import Scenario

__all__ = [
    "ALLY_COLUMNS",
    "BLOCK_DRAWS",
    "CONTEXT_COLUMNS",
    "PROBE_TYPES",
    "DeterrenceParams",
    "ProbeTypeParams",
    "allies_with_gdp",
    "deterrence_context_from_scenario",
    "logit_normal_location",
    "upstream_capability_coverage",
    "validate_allies",
    "validate_context",
]

logger = logging.getLogger(__name__)

#: Draws per random-number block. Every block has its own counter-based stream
#: keyed by (seed, block index), so results never depend on how blocks are
#: grouped into batches or spread over workers. Fixed: changing it changes results.
BLOCK_DRAWS: int = 4096

#: Probe types the adversary chooses from (order fixes the random streams).
PROBE_TYPES: tuple[str, ...] = ("hybrid_sabotage", "limited_incursion", "standoff_strikes")

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

_RAND = (
    "Shlapak & Johnson 2016, Reinforcing Deterrence on NATO's Eastern Flank, RAND RR-1253-A: "
    "Russian forces reach the outskirts of Tallinn or Riga in 36-60 hours"
)


class ProbeTypeParams(BaseModel):
    """How one kind of probe looks to the adversary and to the alliance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weight: float = Field(
        1.0,
        ge=0.0,
        description="Relative weight with which the adversary considers this probe type "
        "[dimensionless, normalised over the three types]. Assumption.",
    )
    gain: float = Field(
        1.0,
        gt=0.0,
        description="Adversary's gain if the probe is not stopped [utility units; only the "
        "ratio to cost_if_stopped matters]. Assumption.",
    )
    cost_if_stopped: float = Field(
        1.0,
        ge=0.0,
        description="Adversary's cost if the alliance stops the probe, before the US "
        "escalation mark-up [utility units]. Assumption.",
    )
    time_to_objective_min_h: float = Field(
        36.0,
        ge=0.0,
        description="Shortest time the adversary needs to reach its objective [hours]; the "
        "time is uniform between min and max.",
    )
    time_to_objective_max_h: float = Field(
        60.0,
        ge=0.0,
        description="Longest time the adversary needs to reach its objective [hours].",
    )
    force_ratio_midpoint: float = Field(
        0.04,
        gt=0.0,
        description="Force ratio at which the response stops the probe with probability 0.5 "
        "[ratio]; force ratio = capability coverage x share of the alliance's weight (GDP at "
        "full US commitment) that is willing and on time. Assumption.",
    )
    willingness_shift_logit: float = Field(
        0.0,
        ge=-5.0,
        le=5.0,
        description="Shift of every ally's willingness for this probe type [logit units]; "
        "negative for ambiguous, deniable probes. Assumption.",
    )

    @model_validator(mode="after")
    def _check_time_window(self) -> ProbeTypeParams:
        if self.time_to_objective_max_h < self.time_to_objective_min_h:
            raise ValueError(
                f"time_to_objective_max_h ({self.time_to_objective_max_h:g}) is below "
                f"time_to_objective_min_h ({self.time_to_objective_min_h:g})"
            )
        return self


def _hybrid() -> ProbeTypeParams:
    return ProbeTypeParams(
        weight=0.5,
        gain=0.5,
        cost_if_stopped=0.5,
        time_to_objective_min_h=12.0,
        time_to_objective_max_h=48.0,
        force_ratio_midpoint=0.005,
        willingness_shift_logit=-1.0,
    )


def _incursion() -> ProbeTypeParams:
    return ProbeTypeParams(
        weight=0.2,
        gain=1.0,
        cost_if_stopped=3.0,
        time_to_objective_min_h=36.0,
        time_to_objective_max_h=60.0,
        force_ratio_midpoint=0.04,
        willingness_shift_logit=0.0,
    )


def _strikes() -> ProbeTypeParams:
    return ProbeTypeParams(
        weight=0.3,
        gain=0.6,
        cost_if_stopped=1.5,
        time_to_objective_min_h=24.0,
        time_to_objective_max_h=72.0,
        force_ratio_midpoint=0.03,
        willingness_shift_logit=0.3,
    )


class DeterrenceParams(BaseModel):
    """Scenario-set parameters of the crisis Monte Carlo (units in each description).

    The model is stated in ``docs/deterrence.md``; each field below names its role
    there. Probabilities are fractions in [0, 1], times are hours, distances km.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- the adversary's menu -------------------------------------------------
    hybrid_sabotage: ProbeTypeParams = Field(
        default_factory=_hybrid,
        description="Hybrid sabotage (cables, rail, energy; deniable). Defaults: weight 0.5, "
        "gain 0.5, cost 0.5, objective in 12-48 h, midpoint 0.005, willingness -1.0 logit. "
        "Assumption.",
    )
    limited_incursion: ProbeTypeParams = Field(
        default_factory=_incursion,
        description="Limited land incursion (a Baltic fait accompli). Defaults: weight 0.2, "
        "gain 1, cost 3, objective in 36-60 h (" + _RAND + "), midpoint 0.04, willingness 0. "
        "Weights, gain, cost and midpoint: Assumption.",
    )
    standoff_strikes: ProbeTypeParams = Field(
        default_factory=_strikes,
        description="Stand-off missile and drone strikes. Defaults: weight 0.3, gain 0.6, "
        "cost 1.5, objective in 24-72 h, midpoint 0.03, willingness +0.3 logit. Assumption.",
    )

    # --- target choice (exposure) --------------------------------------------
    threat_origin_lat: float = Field(
        55.7558, ge=-90.0, le=90.0,
        description="Latitude of the threat's reference point, Moscow [degrees north].",
    )
    threat_origin_lon: float = Field(
        37.6173, ge=-180.0, le=180.0,
        description="Longitude of the threat's reference point, Moscow [degrees east].",
    )
    exposure_border_weight: float = Field(
        4.0, ge=0.0,
        description="Target-choice weight multiplier for allies bordering Russia or Belarus "
        "[dimensionless]. Assumption.",
    )
    exposure_decay_km: float = Field(
        1000.0, gt=0.0,
        description="Distance over which an ally's exposure as a target falls by a factor e: "
        "exposure = border multiplier x exp(-distance to threat / decay) [km]. Assumption.",
    )

    # --- willingness to respond ----------------------------------------------
    base_reliability: float = Field(
        0.745, gt=0.0, lt=1.0,
        description="Probability that an ally honours its commitment under reference "
        "conditions (full trust, full US commitment, no domestic constraint, no proximity) "
        "[probability]. Source: Leeds, Long & Mitchell 2000, 'Reevaluating Alliance "
        "Reliability', J. Conflict Resolution 44(5): 74.5 % of commitments honoured "
        "(1816-1944). Alternatives: Berkemeier & Fuhrmann 2018, 'Reassessing the fulfillment "
        "of alliance commitments in war', Research & Politics: about 0.50 overall, 0.22 for "
        "1945-2003.",
    )
    willingness_mood_sd_logit: float = Field(
        1.0, ge=0.0, le=3.0,
        description="Standard deviation of the alliance-wide political mood in a crisis "
        "[logit units]: each ally's willingness is logit-normal with the mean of the "
        "willingness equation and this common shock, so allies' choices are correlated. "
        "Assumption.",
    )
    trust_in_alliance: float = Field(
        0.8, ge=0.0, le=1.0,
        description="Allies' trust in each other's commitment [fraction 0-1, 1 = full]. "
        "Scenario lever; default is an Assumption.",
    )
    trust_in_us: float = Field(
        0.7, ge=0.0, le=1.0,
        description="European allies' trust that the US will stand by them, multiplied by the "
        "year's US commitment index [fraction 0-1]. Scenario lever; default is an Assumption.",
    )
    domestic_constraint: float = Field(
        0.2, ge=0.0, le=1.0,
        description="Strength of domestic political constraints on deploying forces "
        "(parliamentary approval, public opinion) [fraction 0-1]. Assumption.",
    )
    weight_trust_in_alliance: float = Field(
        2.0, ge=0.0,
        description="Willingness lost per unit of missing alliance trust [logit units]. "
        "Assumption.",
    )
    weight_trust_in_us: float = Field(
        1.5, ge=0.0,
        description="European willingness lost per unit of missing (trust in US x US "
        "commitment) [logit units]. Assumption.",
    )
    weight_us_commitment: float = Field(
        3.0, ge=0.0,
        description="US willingness lost per unit of missing US commitment index [logit "
        "units]. Assumption.",
    )
    weight_domestic_constraint: float = Field(
        1.0, ge=0.0,
        description="Willingness lost per unit of domestic constraint [logit units]. "
        "Assumption.",
    )
    weight_proximity: float = Field(
        1.5, ge=0.0,
        description="Willingness gained at full proximity to the target, proximity = "
        "exp(-capital distance / proximity_decay_km) [logit units]. Assumption.",
    )
    weight_frontline: float = Field(
        0.5, ge=0.0,
        description="Willingness gained by allies that themselves border Russia or Belarus "
        "[logit units]. Assumption.",
    )
    proximity_decay_km: float = Field(
        1000.0, gt=0.0,
        description="Distance over which threat proximity falls by a factor e [km]. "
        "Assumption.",
    )
    us_iso3: str = Field(
        "USA", min_length=3, max_length=3,
        description="ISO3 code of the United States in the allies table (its willingness "
        "follows the US commitment index; its forward forces are placed at the US hub).",
    )
    us_commitment_weight_forces_in_place: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Weight of forces in place (vs reinforcements) in the US commitment index "
        "= w x forces_in_place + (1 - w) x reinforcements [fraction 0-1]. Assumption.",
    )

    # --- decision making -------------------------------------------------------
    decision_base_median_h: float = Field(
        12.0, ge=0.0,
        description="Median time for the willing allies to convene and decide (North "
        "Atlantic Council or coalition) [hours]; lognormal. Assumption.",
    )
    decision_base_sigma: float = Field(
        0.5, ge=0.0, le=3.0,
        description="Log-scale standard deviation of the base decision time [dimensionless]. "
        "Assumption.",
    )
    holdout_share_of_unwilling: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Share of unwilling allies that block consensus (holdouts) rather than "
        "abstain constructively [fraction 0-1]; an ally blocks with probability b x (1 - "
        "willingness). Assumption.",
    )
    holdout_delay_median_h: float = Field(
        24.0, ge=0.0,
        description="Median extra time one holdout takes before it joins the consensus "
        "[hours]; lognormal per holdout, consensus waits for the slowest. Assumption.",
    )
    holdout_delay_sigma: float = Field(
        1.0, ge=0.0, le=3.0,
        description="Log-scale standard deviation of a holdout's delay [dimensionless]. "
        "Assumption.",
    )
    coalition_formation_median_h: float = Field(
        12.0, ge=0.0,
        description="Median extra time a coalition of the willing needs to organise outside "
        "the consensus (after the base decision time) [hours]; lognormal. Assumption.",
    )
    coalition_formation_sigma: float = Field(
        0.5, ge=0.0, le=3.0,
        description="Log-scale standard deviation of coalition formation time "
        "[dimensionless]. Assumption.",
    )
    coalition_min_members: int = Field(
        2, ge=0, le=100,
        description="Willing allies (besides the target) needed to act as a coalition "
        "[count]. Assumption.",
    )
    decision_latency_multiplier: float = Field(
        1.0, ge=0.0, le=10.0,
        description="Multiplier on every decision time (base, holdout, coalition); e.g. 0.5 "
        "for pre-delegated authority to SACEUR [dimensionless]. Scenario lever.",
    )

    # --- getting there ----------------------------------------------------------
    readiness_h: float = Field(
        12.0, ge=0.0,
        description="Time from an ally's decision to the departure of its lead elements "
        "[hours]; the target's own forces need only this. Assumption.",
    )
    transit_speed_kmh: float = Field(
        60.0, gt=0.0,
        description="Effective closure speed of the lead elements from the capital (or the "
        "US hub) to the target's capital, great-circle [km/h]. Assumption.",
    )
    us_forward_hub_lat: float = Field(
        52.41, ge=-90.0, le=90.0,
        description="Latitude of the hub of US forces in place, Poznan (V Corps forward "
        "command post) [degrees north].",
    )
    us_forward_hub_lon: float = Field(
        16.93, ge=-180.0, le=180.0,
        description="Longitude of the hub of US forces in place [degrees east].",
    )
    us_forward_share: float = Field(
        0.3, ge=0.0, le=1.0,
        description="Share of the full-commitment US contribution stationed in Europe "
        "(scaled by us_forces_in_place; the rest comes from the US, scaled by "
        "us_reinforcements) [fraction 0-1]. Assumption.",
    )

    # --- outcome and the adversary's calculus ----------------------------------
    success_slope: float = Field(
        3.0, gt=0.0, le=50.0,
        description="Slope of the success logistic in log force ratio: P(stop) = r^s / (r^s + "
        "midpoint^s) [dimensionless]. Assumption.",
    )
    perception_noise_logit: float = Field(
        1.0, ge=0.0, le=10.0,
        description="Noise in the adversary's reading of the alliance's chance to stop the "
        "probe [logit units]. Assumption.",
    )
    us_escalation_weight: float = Field(
        2.0, ge=0.0,
        description="Mark-up of the adversary's cost if stopped per unit of US forces in place "
        "(tripwire, escalation risk) [dimensionless]. Assumption.",
    )
    default_capability_coverage: float = Field(
        0.75, ge=0.0, le=10.0,
        description="Capability coverage used when the capability stage provides none [share "
        "of requirement, 1 = met]. Assumption: a stylised value; the capability stage's "
        "coverage replaces it in a full run.",
    )

    # --- numerics ---------------------------------------------------------------
    max_draws: int = Field(
        10**9, ge=1, le=10**12,
        description="Largest number of Monte Carlo draws a run may ask for [count].",
    )
    batch_size: int = Field(
        4 * BLOCK_DRAWS, ge=BLOCK_DRAWS, le=256 * BLOCK_DRAWS,
        description=f"Draws processed at once (memory per batch ~ batch x allies x 4 bytes "
        f"x a few arrays); a multiple of the fixed block of {BLOCK_DRAWS} draws [count]. "
        "Does not change results.",
    )

    @field_validator("batch_size")
    @classmethod
    def _batch_multiple_of_block(cls, value: int) -> int:
        if value % BLOCK_DRAWS:
            raise ValueError(f"batch_size must be a multiple of {BLOCK_DRAWS} draws, got {value}")
        return value

    @field_validator("us_iso3")
    @classmethod
    def _iso3_upper(cls, value: str) -> str:
        if not value.isalpha() or not value.isupper():
            raise ValueError(f"{value!r} is not an ISO3 code (three capital letters)")
        return value

    @model_validator(mode="after")
    def _check_probe_weights(self) -> DeterrenceParams:
        if sum(self.probe(name).weight for name in PROBE_TYPES) <= 0.0:
            raise ValueError(
                "probe type weights (hybrid_sabotage.weight, limited_incursion.weight, "
                "standoff_strikes.weight) must not all be zero"
            )
        return self

    def probe(self, name: str) -> ProbeTypeParams:
        """Parameters of probe type ``name`` (one of :data:`PROBE_TYPES`)."""
        if name not in PROBE_TYPES:
            raise ModelError(f"unknown probe type {name!r}; expected one of {PROBE_TYPES}")
        value: ProbeTypeParams = getattr(self, name)
        return value

    def us_commitment_index(self, forces_in_place: float, reinforcements: float) -> float:
        """US commitment index in [0, 1] from the year's US forces in place and reinforcements."""
        w = self.us_commitment_weight_forces_in_place
        return w * forces_in_place + (1.0 - w) * reinforcements

    def assumptions(self) -> dict[str, str]:
        """Named assumptions of this parameter set, as ``{field: 'value - description'}``."""
        out: dict[str, str] = {}
        for name, info in type(self).model_fields.items():
            description = info.description or ""
            if "Assumption" in description:
                out[name] = f"{getattr(self, name)!r} - {description}"
        return out


@lru_cache(maxsize=1)
def _gauss_hermite_rule() -> tuple[np.ndarray, np.ndarray]:
    """64-node probabilists' Gauss-Hermite rule, weights normalised to the N(0, 1) density."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(64)
    return nodes, weights / math.sqrt(2.0 * math.pi)


_LOGIT_LIMIT = 30.0
_GRID_POINTS = 6001  # logit step 0.005 on [-30, 0]


@lru_cache(maxsize=32)
def _location_grid(sd: float) -> tuple[np.ndarray, np.ndarray]:
    """Logit(mean) grid on [-30, 0] and the matching logit-normal locations (Newton)."""
    logits = np.linspace(-_LOGIT_LIMIT, 0.0, _GRID_POINTS)
    m = 1.0 / (1.0 + np.exp(-logits))
    nodes, weights = _gauss_hermite_rule()
    shocks = sd * nodes
    eta = logits * math.sqrt(1.0 + math.pi * sd * sd / 8.0)  # probit approximation
    for _ in range(100):
        s = 1.0 / (1.0 + np.exp(-(eta[:, None] + shocks)))
        step = (s @ weights - m) / np.maximum((s * (1.0 - s)) @ weights, 1e-300)
        eta = eta - np.clip(step, -2.0, 2.0)
        if float(np.max(np.abs(step))) < 1e-11:
            break
    return logits, eta


def logit_normal_location(mean: Any, sd: float) -> np.ndarray:
    """Location ``eta`` such that ``E[sigmoid(eta + sd * Z)] = mean`` for ``Z ~ N(0, 1)``.

    The willingness of an ally in a draw is ``sigmoid(eta + sd * z_mood)``: a
    logit-normal variable whose mean is the willingness mean ``mean`` (a
    probability, clipped to [1e-13, 1 - 1e-13]). Solved once per ``sd`` by Newton's
    method with a 64-node Gauss-Hermite rule on a grid of logit(mean) (step 0.005)
    and interpolated linearly (error below 1e-5 in the mean); uses the symmetry
    ``eta(1 - m) = -eta(m)``. Exact (``logit(mean)``) when ``sd`` is 0.
    """
    m = np.asarray(mean, dtype=np.float64)
    logit = np.clip(np.log(m) - np.log1p(-m), -_LOGIT_LIMIT, _LOGIT_LIMIT)
    if sd <= 0.0:
        return logit
    grid, eta = _location_grid(float(sd))
    return np.asarray(np.sign(logit) * -np.interp(-np.abs(logit), grid, eta))


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


def upstream_capability_coverage(dataset: Any, scenario: Scenario) -> pd.Series | None:
    """Capability coverage per year (index year) from the capability stage, or None.

    Calls ``alliance.pipeline.capability_coverage(dataset, scenario)`` when that
    import succeeds. When it does not (a build without the capability stage), it
    returns None and :func:`deterrence_context_from_scenario` falls back to the named
    assumption ``default_capability_coverage``.
    """
    try:
        from alliance.pipeline import capability_coverage
    except ImportError:
        logger.info("capability stage unavailable; using deterrence.default_capability_coverage")
        return None
    series: pd.Series = capability_coverage(dataset, scenario)
    return series


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
