"""Parameters of the deterrence stage (the ``deterrence`` section of a scenario).

Every field states its unit and either the published figure it rests on or the
word *Assumption*: a stylised value chosen so that the model runs and stays
transparent, listed with every result (:meth:`DeterrenceParams.assumptions`).
The model is stated in ``docs/deterrence.md``.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from alliance.constants import (
    BLOCK_DRAWS,
    MAX_BATCH_BLOCKS,
    MAX_DRAW_YEARS,
    MAX_DRAWS_PER_YEAR,
)
from alliance.errors import ModelError
from alliance.params._base import ParamsModel

__all__ = ["BLOCK_DRAWS", "PROBE_TYPES", "DeterrenceParams", "ProbeTypeParams"]



#: Probe types the adversary chooses from (order fixes the random streams).
PROBE_TYPES: tuple[str, ...] = ("hybrid_sabotage", "limited_incursion", "standoff_strikes")

_RAND = (
    "Shlapak & Johnson 2016, Reinforcing Deterrence on NATO's Eastern Flank, RAND RR-1253-A: "
    "Russian forces reach the outskirts of Tallinn or Riga in 36-60 hours"
)


class ProbeTypeParams(ParamsModel):
    """How one kind of probe looks to the adversary and to the alliance."""

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
        0.4,
        gt=0.0,
        description="Force ratio at which the response stops the probe with probability 0.5 "
        "[ratio]; force ratio = capability coverage x NATO combat power in theatre when the "
        "objective falls / adversary_force. Assumption (calibration in docs/deterrence.md).",
    )
    adversary_force: float = Field(
        13.0,
        gt=0.0,
        description="The adversary's force for this probe [power units: medium-brigade "
        "equivalents, heavy x heavy_brigade_weight]. Assumption (calibration in "
        "docs/deterrence.md).",
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
        force_ratio_midpoint=0.5,
        adversary_force=1.0,
        willingness_shift_logit=-1.0,
    )


def _incursion() -> ProbeTypeParams:
    return ProbeTypeParams(
        weight=0.2,
        gain=1.0,
        cost_if_stopped=3.0,
        time_to_objective_min_h=36.0,
        time_to_objective_max_h=60.0,
        force_ratio_midpoint=0.4,
        adversary_force=13.0,
        willingness_shift_logit=0.0,
    )


def _strikes() -> ProbeTypeParams:
    return ProbeTypeParams(
        weight=0.3,
        gain=0.6,
        cost_if_stopped=1.5,
        time_to_objective_min_h=24.0,
        time_to_objective_max_h=72.0,
        force_ratio_midpoint=0.3,
        adversary_force=8.0,
        willingness_shift_logit=0.3,
    )


class DeterrenceParams(ParamsModel):
    """Scenario-set parameters of the crisis Monte Carlo (units in each description).

    The model is stated in ``docs/deterrence.md``; each field below names its role
    there. Probabilities are fractions in [0, 1], times are hours, distances km.
    """

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
        "Atlantic Council or coalition) [hours]; lognormal. Assumption, consistent with the "
        "one public case: the North Atlantic Council invoked Article 5 less than 24 hours "
        "after the attacks of 11 September 2001 (NATO; P(base <= 24 h) = 0.92 at the "
        "defaults).",
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

    # --- forces in theatre (docs/deterrence.md, "Forces") ----------------------
    heavy_brigade_weight: float = Field(
        2.0, ge=0.0, le=10.0,
        description="Combat power of one heavy brigade in medium-brigade units [power units]. "
        "Assumption, range 1.5-3: RAND RR-1253 asks for heavy armour specifically.",
    )
    medium_brigade_weight: float = Field(
        1.0, ge=0.0, le=10.0,
        description="Combat power of one medium brigade: the unit [power units].",
    )
    light_brigade_weight: float = Field(
        0.6, ge=0.0, le=10.0,
        description="Combat power of one light brigade [power units]. Assumption, range 0.4-0.8.",
    )
    air_assault_brigade_weight: float = Field(
        0.6, ge=0.0, le=10.0,
        description="Combat power of one airborne or air-assault brigade [power units]. "
        "Assumption, range 0.4-0.8.",
    )
    strategic_warning_h: float = Field(
        0.0, ge=0.0, le=720.0,
        description="Hours of warning before the probe that reinforcements may use (added to "
        "every ally's time to arrive) [hours]. Assumption: 0, the alliance moves only once the "
        "probe starts (range 0-168).",
    )
    forward_forces_fight_at_once: bool = Field(
        True,
        description="Forward-stationed formations in the target's theatre fight from hour 0 "
        "whatever their government decides (they are attacked too); false: only if their "
        "holder is willing and has decided in time. Assumption.",
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
        MAX_DRAWS_PER_YEAR, ge=1, le=MAX_DRAWS_PER_YEAR,
        description="Largest number of Monte Carlo draws per year a run may ask for [count]; "
        f"at most {MAX_DRAWS_PER_YEAR:,} (about 25 s a year on 2 cores), and draws x years "
        f"at most {MAX_DRAW_YEARS:,} per run (a few minutes).",
    )
    batch_size: int = Field(
        4 * BLOCK_DRAWS, ge=BLOCK_DRAWS, le=MAX_BATCH_BLOCKS * BLOCK_DRAWS,
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
            msg = f"unknown probe type {name!r}; expected one of {PROBE_TYPES}"
            raise ModelError(msg)
        value: ProbeTypeParams = getattr(self, name)
        return value

    def us_commitment_index(self, forces_in_place: float, reinforcements: float) -> float:
        """US commitment index in [0, 1] from the year's US forces in place and reinforcements."""
        w = self.us_commitment_weight_forces_in_place
        return w * forces_in_place + (1.0 - w) * reinforcements
