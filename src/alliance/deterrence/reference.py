"""The crisis model written agent by agent: the plain reference implementation.

One Python object per ally and per draw, scalar random draws from Python's
``random`` module, no arrays: slow, but easy to read against the model statement
in ``docs/deterrence.md``. It shares nothing with the vectorised engine except
the parameters, the input-table checks and the willingness calibration
(:func:`~alliance.deterrence.willingness.logit_normal_location`); the tests check that
both implementations agree within Monte Carlo error.

Style after Mesa: a :class:`CrisisModel` owns the random generator and the agents
and runs the crisis in ordered steps; each :class:`AllyAgent` decides for itself.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from alliance.deterrence.engine import Tally, check_run, results_frame
from alliance.deterrence.inputs import (
    ForceInputs,
    YearForces,
    forces_of,
    validate_allies,
    validate_context,
)
from alliance.deterrence.willingness import logit_normal_location
from alliance.errors import ModelError
from alliance.geo import EARTH_RADIUS_KM
from alliance.params import PROBE_TYPES, DeterrenceParams, ProbeTypeParams

__all__ = ["AllyAgent", "CrisisModel", "CrisisResult", "simulate_reference"]

logger = logging.getLogger(__name__)

_REFERENCE_DOMAIN = 0x5EF


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees [km]."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@lru_cache(maxsize=65536)
def _location(mean: float, sd: float) -> float:
    """Logit-normal location giving willingness mean ``mean`` (memoised: means repeat)."""
    return float(logit_normal_location(mean, sd))


def _lognormal(rng: random.Random, median_h: float, sigma: float) -> float:
    """A lognormal time with the given median [hours] (0 when the median is 0)."""
    if median_h <= 0.0:
        return 0.0
    return rng.lognormvariate(math.log(median_h), sigma)


@dataclass
class CrisisResult:
    """What happened in one crisis draw."""

    probe_type: str
    target: str
    n_holdouts: int
    coalition_formed: bool
    decision_latency_h: float
    consensus_latency_h: float
    time_to_objective_h: float
    force_ratio: float
    p_stop: float
    probe: bool
    undivided_response: bool
    coalition_response: bool
    fait_accompli: bool


class AllyAgent:
    """One ally in one crisis: decides whether it is willing, blocks or abstains."""

    def __init__(
        self,
        model: CrisisModel,
        iso3: str,
        lat: float,
        lon: float,
        borders: bool,
        index: int,
    ) -> None:
        self.model = model
        self.iso3 = iso3
        self.lat = lat
        self.lon = lon
        self.borders = borders
        self.index = index
        self.is_us = iso3 == model.params.us_iso3
        self.is_target = False
        self.willing = False
        self.holdout = False
        self.departure_h = math.inf

    def distance_to(self, other: AllyAgent) -> float:
        """Capital-to-capital distance [km]."""
        return _distance_km(self.lat, self.lon, other.lat, other.lon)

    def willingness_mean(self, probe: ProbeTypeParams, target: AllyAgent) -> float:
        """Mean willingness: the willingness equation of docs/deterrence.md."""
        p = self.model.params
        c_us = self.model.us_commitment
        logit = math.log(p.base_reliability / (1.0 - p.base_reliability))
        logit -= p.weight_trust_in_alliance * (1.0 - p.trust_in_alliance)
        logit -= p.weight_domestic_constraint * p.domestic_constraint
        if self.is_us:
            logit -= p.weight_us_commitment * (1.0 - c_us)
        else:
            logit -= p.weight_trust_in_us * (1.0 - p.trust_in_us * c_us)
        logit += p.weight_proximity * math.exp(-self.distance_to(target) / p.proximity_decay_km)
        if self.borders:
            logit += p.weight_frontline
        logit += probe.willingness_shift_logit
        return _sigmoid(logit)

    def decide(self, probe: ProbeTypeParams, target: AllyAgent, mood: float) -> None:
        """Draw this ally's willingness and choose: willing, holdout (blocks) or abstain."""
        if self.is_target:
            self.willing, self.holdout = True, False
            return
        p = self.model.params
        mean = self.willingness_mean(probe, target)
        location = _location(mean, p.willingness_mood_sd_logit)
        willingness = _sigmoid(location + p.willingness_mood_sd_logit * mood)
        u = self.model.rng.random()
        self.willing = u < willingness
        self.holdout = (not self.willing) and (1.0 - u) < (
            p.holdout_share_of_unwilling * (1.0 - willingness)
        )

    def holdout_delay(self) -> float:
        """Hours this holdout takes before it lifts its objection."""
        p = self.model.params
        return _lognormal(
            self.model.rng, p.decision_latency_multiplier * p.holdout_delay_median_h,
            p.holdout_delay_sigma,
        )

    def power_after(self, target: AllyAgent, hours: float) -> float:
        """This ally's combat power in the target's theatre ``hours`` after it decides."""
        f = self.model.forces
        if hours < 0.0:
            return 0.0
        h = min(int(math.floor(hours)), f.hours)
        return float(f.curve[target.index, h, self.index])


class CrisisModel:
    """One crisis: the adversary, the allies, the decision and the outcome."""

    def __init__(
        self,
        params: DeterrenceParams,
        allies: list[tuple[str, float, float, bool]],
        forces_in_place: float,
        reinforcements: float,
        coverage: float,
        rng: random.Random,
        forces: YearForces,
    ) -> None:
        self.params = params
        self.rng = rng
        self.forces_in_place = forces_in_place
        self.reinforcements = reinforcements
        self.coverage = coverage
        self.us_commitment = params.us_commitment_index(forces_in_place, reinforcements)
        self.forces = forces
        self.agents = [
            AllyAgent(self, iso3, lat, lon, borders, i)
            for i, (iso3, lat, lon, borders) in enumerate(allies)
        ]

    # --- the adversary's choices ------------------------------------------------
    def choose_probe(self) -> str:
        """Probe type, drawn with the parameters' weights."""
        weights = [self.params.probe(name).weight for name in PROBE_TYPES]
        u = self.rng.random() * sum(weights)
        cumulative = 0.0
        for name, weight in zip(PROBE_TYPES, weights, strict=True):
            cumulative += weight
            if u < cumulative:
                return name
        return PROBE_TYPES[-1]

    def exposure(self, agent: AllyAgent) -> float:
        """Exposure of an ally as a target."""
        p = self.params
        distance = _distance_km(agent.lat, agent.lon, p.threat_origin_lat, p.threat_origin_lon)
        multiplier = p.exposure_border_weight if agent.borders else 1.0
        return multiplier * math.exp(-distance / p.exposure_decay_km)

    def choose_target(self) -> AllyAgent:
        """Target ally, drawn with weights proportional to exposure."""
        exposures = [self.exposure(a) for a in self.agents]
        u = self.rng.random() * sum(exposures)
        cumulative = 0.0
        for agent, e in zip(self.agents, exposures, strict=True):
            cumulative += e
            if u < cumulative:
                return agent
        return self.agents[-1]

    # --- the alliance -------------------------------------------------------------
    def forces_on_time(
        self, target: AllyAgent, decision_h: float, t_obj: float
    ) -> float:
        """NATO combat power in the target's theatre when the objective falls [power units].

        The target's own brigades in place, forward formations in its theatre (all, or
        those of willing holders that decided in time), the target's own closure from
        hour 0 and each willing ally's closure from its decision; every arrival gets
        ``strategic_warning_h`` more hours.
        """
        p = self.params
        f = self.forces
        t = target.index
        power = float(f.own[t])
        warning = p.strategic_warning_h
        for agent in self.agents:
            if agent.is_target:
                power += agent.power_after(target, t_obj + warning)
                continue
            fwd = float(f.forward[t, agent.index])
            if p.forward_forces_fight_at_once:
                power += fwd
            if not agent.willing:
                continue
            slack = t_obj + warning - decision_h
            if slack >= 0.0:
                power += agent.power_after(target, slack)
                if not p.forward_forces_fight_at_once:
                    power += fwd
        return power

    def stop_probability(self, force_ratio: float, probe: ProbeTypeParams) -> float:
        """Chance that a response with this force ratio stops the probe."""
        if force_ratio <= 0.0:
            return 0.0
        s = self.params.success_slope
        odds_against: float = (probe.force_ratio_midpoint / force_ratio) ** s
        return 1.0 / (1.0 + odds_against)

    def planned_stop_probability(
        self, probe: ProbeTypeParams, target: AllyAgent, n_holdouts: int, formed: bool
    ) -> float:
        """The adversary's reading of P(stop), clipped to [1e-9, 1 - 1e-9].

        It knows who is willing and who blocks, but plans with typical (median) timings.
        """
        p = self.params
        m = p.decision_latency_multiplier
        median_base = m * p.decision_base_median_h
        plan_consensus = median_base
        if n_holdouts:
            # median of the slowest of n lognormal delays
            z = NormalDist().inv_cdf(0.5 ** (1.0 / n_holdouts))
            plan_consensus += m * p.holdout_delay_median_h * math.exp(p.holdout_delay_sigma * z)
        plan_formation = median_base + m * p.coalition_formation_median_h
        plan_decision = min(plan_consensus, plan_formation) if formed else plan_consensus
        plan_t_obj = 0.5 * (probe.time_to_objective_min_h + probe.time_to_objective_max_h)
        planned = self.stop_probability(
            self.coverage * self.forces_on_time(target, plan_decision, plan_t_obj)
            / probe.adversary_force, probe
        )
        return min(max(planned, 1e-9), 1.0 - 1e-9)

    def run(self) -> CrisisResult:
        """Play one crisis and report it."""
        p = self.params
        rng = self.rng
        m = p.decision_latency_multiplier
        name = self.choose_probe()
        probe = p.probe(name)
        target = self.choose_target()
        target.is_target = True

        mood = rng.gauss(0.0, 1.0)
        for agent in self.agents:
            agent.decide(probe, target, mood)
        holdouts = [a for a in self.agents if a.holdout]
        willing_others = sum(1 for a in self.agents if a.willing and not a.is_target)

        base = _lognormal(rng, m * p.decision_base_median_h, p.decision_base_sigma)
        consensus = base + max((a.holdout_delay() for a in holdouts), default=0.0)
        formation = base + _lognormal(
            rng, m * p.coalition_formation_median_h, p.coalition_formation_sigma
        )
        formed = bool(holdouts) and willing_others >= p.coalition_min_members
        decision = min(consensus, formation) if formed else consensus

        t_obj = rng.uniform(probe.time_to_objective_min_h, probe.time_to_objective_max_h)
        force_ratio = (self.coverage * self.forces_on_time(target, decision, t_obj)
                       / probe.adversary_force)
        p_stop = self.stop_probability(force_ratio, probe)
        stopped = rng.random() < p_stop

        planned = self.planned_stop_probability(probe, target, len(holdouts), formed)
        perceived = math.log(planned / (1.0 - planned)) + p.perception_noise_logit * rng.gauss(
            0.0, 1.0
        )
        cost = probe.cost_if_stopped * (1.0 + p.us_escalation_weight * self.forces_in_place)
        threshold = math.log(probe.gain / cost) if cost > 0.0 else math.inf
        probing = perceived < threshold

        undivided = probing and consensus <= t_obj
        coalition = probing and not undivided and formed and decision <= t_obj
        return CrisisResult(
            probe_type=name,
            target=target.iso3,
            n_holdouts=len(holdouts),
            coalition_formed=formed,
            decision_latency_h=decision,
            consensus_latency_h=consensus,
            time_to_objective_h=t_obj,
            force_ratio=force_ratio,
            p_stop=p_stop,
            probe=probing,
            undivided_response=undivided,
            coalition_response=coalition,
            fait_accompli=probing and not stopped,
        )


def _python_seed(seed: int, year: int) -> int:
    state = np.random.SeedSequence([seed, _REFERENCE_DOMAIN, year]).generate_state(4)
    return int.from_bytes(state.tobytes(), "little")


def simulate_reference(
    params: DeterrenceParams,
    allies: pd.DataFrame,
    context: pd.DataFrame,
    draws: int,
    seed: int,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    forces: ForceInputs | None = None,
) -> pd.DataFrame:
    """Run the crisis model agent by agent; same output table as :func:`simulate`.

    One :class:`CrisisModel` with fresh agents per draw, Python ``random`` seeded from
    (seed, year). ``batch_size`` only sets how often ``progress`` is called (default
    ``params.batch_size`` draws); the reference has its own random streams, so its
    numbers agree with the vectorised engine statistically, not draw by draw.
    """
    # Long by design: the reference is meant to read top to bottom against the model
    # statement (inputs, one crisis per draw, the block tallies), without helpers.
    size = check_run(params, draws, seed, batch_size)
    forces = forces if forces is not None else forces_of(context)
    if forces is None:
        raise ModelError("deterrence reference: no forces given (see simulate)")
    table = validate_allies(allies)
    ally_rows = [
        (str(r["iso3"]), float(r["capital_lat"]), float(r["capital_lon"]),
         bool(r["borders_russia_belarus"]))
        for r in table.to_dict("records")
    ]
    iso3 = tuple(r[0] for r in ally_rows)
    context = validate_context(context)
    rows = []
    for _, row in context.iterrows():
        year = int(row["year"])
        rng = random.Random(_python_seed(seed, year))
        year_forces = forces.year(year).reordered(iso3)
        tally = Tally()
        chunk: list[CrisisResult] = []
        for d in range(draws):
            model = CrisisModel(
                params, ally_rows, float(row["us_forces_in_place"]),
                float(row["us_reinforcements"]), float(row["capability_coverage"]), rng,
                year_forces,
            )
            chunk.append(model.run())
            if len(chunk) == size or d == draws - 1:
                tally.add_block(
                    np.array([c.probe for c in chunk]),
                    np.array([c.undivided_response for c in chunk]),
                    np.array([c.coalition_response for c in chunk]),
                    np.array([c.fait_accompli for c in chunk]),
                    np.array([c.decision_latency_h for c in chunk]),
                    np.array([c.consensus_latency_h for c in chunk]),
                )
                tally.add_ratios(
                    np.array([c.force_ratio for c in chunk]),
                    np.array([PROBE_TYPES.index(c.probe_type) for c in chunk]),
                )
                if progress is not None:
                    progress(len(chunk))
                chunk = []
        rows.append((row, tally))
        logger.debug("reference: year %d done (%d draws)", year, draws)
    return results_frame(rows, draws, seed, "reference")
