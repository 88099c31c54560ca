"""The vectorised crisis Monte Carlo (NumPy).

One draw is one crisis: the adversary picks a probe type and a target, every
ally draws its willingness, the alliance decides by consensus or a coalition of
the willing acts, forces close on the target, and the adversary probes if its
perceived expected gain beats its perceived expected cost. The model is stated
in ``docs/deterrence.md``; :mod:`alliance.deterrence.reference` writes the same
model agent by agent and the tests check that both agree.

Layout of the computation
    * :func:`prepare_year` turns parameters, allies and one context row into
      small lookup tables (probe x target x ally willingness odds, target x ally
      combat power of every ally in the target's theatre by hour after its decision).
    * :func:`block_randoms` draws every random number of one block of
      :data:`~alliance.params.BLOCK_DRAWS` draws from a counter-based
      Philox stream keyed by the seed, with the block index as the counter. Draw
      ``d`` therefore always gets the same numbers whatever the batch size,
      and every year and scenario uses the same numbers for the same seed
      (common random numbers).
    * :func:`evaluate` computes the outcome of every draw of a batch: four compiled
      (Numba) passes fused over draws x allies (:mod:`alliance.deterrence.kernel`),
      with every transcendental function a NumPy / SciPy call on per-draw vectors.
      :func:`evaluate_numpy` states the same computation as plain NumPy array
      operations (the engine before issue 11 item 7); it is kept as the reference
      path, and the tests check that both give the same bits for every draw.
    * :func:`simulate` loops over batches (memory stays flat for any draw
      count), tallies per block, and combines block sums exactly
      (``math.fsum``), so the result is bit-identical for any batching.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtri

from alliance.constants import MAX_DRAW_YEARS
from alliance.deterrence.inputs import (
    ForceInputs,
    YearForces,
    forces_of,
    validate_allies,
    validate_context,
)
from alliance.deterrence.willingness import logit_normal_location
from alliance.errors import ModelError
from alliance.geo import great_circle_km
from alliance.params import BLOCK_DRAWS, PROBE_TYPES, DeterrenceParams

__all__ = [
    "DRAW_COLUMNS",
    "HEADLINE_OUTPUTS",
    "OUTPUT_COLUMNS",
    "PROBABILITY_OUTPUTS",
    "AllyGeometry",
    "BlockRandoms",
    "Outcomes",
    "YearTables",
    "block_randoms",
    "KERNEL_MIN_DRAW_YEARS",
    "batch_evaluator",
    "evaluate",
    "evaluate_numpy",
    "great_circle_km",
    "prepare_year",
    "simulate",
    "simulate_draws",
]

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int], None]

# Arrays of the kernel, by the dtype the engine stores in them.
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]

#: Probability outputs (each also has a ``<name>_stderr`` column).
PROBABILITY_OUTPUTS: tuple[str, ...] = (
    "p_probe",
    "p_undivided_response",
    "p_coalition_response",
    "p_no_timely_decision",
    "p_fait_accompli",
    "p_fait_accompli_given_probe",
)

#: The probabilities quoted as headline figures (summary, CLI table, report, dashboard).
HEADLINE_OUTPUTS: tuple[str, ...] = (
    "p_probe",
    "p_undivided_response",
    "p_coalition_response",
    "p_fait_accompli",
)

#: Columns of the table :func:`simulate` returns, in order.
OUTPUT_COLUMNS: tuple[str, ...] = (
    "year",
    "draws",
    "seed",
    "backend",
    "us_forces_in_place",
    "us_reinforcements",
    "capability_coverage",
    *PROBABILITY_OUTPUTS,
    "mean_decision_latency_h",
    "mean_consensus_latency_h",
    "mean_force_ratio",
    "mean_force_ratio_incursion",
    *(f"{name}_stderr" for name in PROBABILITY_OUTPUTS),
    "mean_decision_latency_h_stderr",
    "mean_consensus_latency_h_stderr",
)

#: Columns of the per-draw table :func:`simulate_draws` returns.
DRAW_COLUMNS: tuple[str, ...] = (
    "year",
    "draw",
    "probe_type",
    "target_iso3",
    "n_holdouts",
    "coalition_formed",
    "decision_latency_h",
    "consensus_latency_h",
    "coalition_latency_h",
    "time_to_objective_h",
    "force_ratio",
    "p_stop",
    "probe",
    "undivided_response",
    "coalition_response",
    "fait_accompli",
)

_STREAM_DOMAIN = 0xDE7E  # separates the deterrence streams from any other use of the seed
_MAX_PER_DRAW_TABLE = 10**6
_P_CLIP = 1e-9
_INCURSION = PROBE_TYPES.index("limited_incursion")


class AllyGeometry(NamedTuple):
    """Static facts of the allies table used by every year."""

    iso3: tuple[str, ...]
    borders: BoolArray  # (A,) bool, borders Russia or Belarus
    distance_km: FloatArray  # (A, A) capital to capital
    threat_distance_km: FloatArray  # (A,) capital to the threat origin
    us_index: int  # -1 when the US is not in the table

    @classmethod
    def build(cls, params: DeterrenceParams, allies: pd.DataFrame) -> AllyGeometry:
        """Geometry from a validated allies table and the parameters' reference points."""
        lat = allies["capital_lat"].to_numpy(dtype=np.float64)
        lon = allies["capital_lon"].to_numpy(dtype=np.float64)
        iso3 = tuple(allies["iso3"].tolist())
        return cls(
            iso3=iso3,
            borders=allies["borders_russia_belarus"].to_numpy(dtype=bool),
            distance_km=great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]),
            threat_distance_km=great_circle_km(
                lat, lon, params.threat_origin_lat, params.threat_origin_lon
            ),
            us_index=iso3.index(params.us_iso3) if params.us_iso3 in iso3 else -1,
        )


class YearTables(NamedTuple):
    """Lookup tables of one year (probe type k, target t, ally i). A JAX pytree too."""

    probe_cdf: FloatArray  # (3,) cumulative probe-type probabilities
    target_cdf: FloatArray  # (A,) cumulative target probabilities
    willingness_odds: Float32Array  # (3*A, A): exp(-eta[k, t, i]); row k*A + t; 0 = target
    curve: Float32Array  # (A*(H+1), C): power of active ally c in t's theatre h h after deciding
    curve_cols: IndexArray  # (C,) the allies whose curves are not all zero
    self_curve: FloatArray  # (A*(H+1),) the target's own curve, row t*(H+1) + h
    hours: int  # H, the last hour of the curves
    own_power: FloatArray  # (A,) target's own brigades in place at hour 0
    forward_power: Float32Array  # (A, A) forward formations in t's theatre, by holder
    forward_total: FloatArray  # (A,) sum over holders
    forward_at_once: bool
    warning_h: float
    adversary_force: FloatArray  # (3,) per probe type
    coverage: float
    time_to_objective_min_h: FloatArray  # (3,)
    time_to_objective_span_h: FloatArray  # (3,)
    midpoint_pow: FloatArray  # (3,) midpoint ** slope
    probe_threshold_logit: FloatArray  # (3,) log(gain / effective cost)
    success_slope: float
    perception_noise_logit: float
    mood_sd_logit: float
    base_log_median_h: float
    base_sigma: float
    holdout_log_median_h: float
    holdout_sigma: float
    formation_log_median_h: float
    formation_sigma: float
    coalition_min_members: int
    holdout_share: float  # share of unwilling allies that block consensus


def _log_median(median_h: float) -> float:
    return math.log(median_h) if median_h > 0.0 else -math.inf


def willingness_means(
    params: DeterrenceParams, geometry: AllyGeometry, us_commitment: float
) -> FloatArray:
    """Mean willingness ``m[k, t, i]`` of ally i to answer probe type k against target t.

    ``logit m = logit(base_reliability) - w_ta (1 - trust_in_alliance) - w_dc domestic
    + w_px exp(-d(t, i) / decay) + w_fl borders_i + shift_k``, minus
    ``w_tu (1 - trust_in_us x c_us)`` for European allies or ``w_uc (1 - c_us)`` for
    the US, where ``c_us`` is the year's US commitment index. Probability in (0, 1).
    """
    p = params
    base = (
        math.log(p.base_reliability / (1.0 - p.base_reliability))
        - p.weight_trust_in_alliance * (1.0 - p.trust_in_alliance)
        - p.weight_domestic_constraint * p.domestic_constraint
    )
    a = len(geometry.iso3)
    ally_term = np.full(a, base) + p.weight_frontline * geometry.borders
    us_term = np.full(a, -p.weight_trust_in_us * (1.0 - p.trust_in_us * us_commitment))
    if geometry.us_index >= 0:
        us_term[geometry.us_index] = -p.weight_us_commitment * (1.0 - us_commitment)
    proximity = p.weight_proximity * np.exp(-geometry.distance_km / p.proximity_decay_km)
    shift = np.array([p.probe(name).willingness_shift_logit for name in PROBE_TYPES])
    logit = (
        shift[:, None, None] + proximity[None, :, :] + (ally_term + us_term)[None, None, :]
    )
    return np.asarray(1.0 / (1.0 + np.exp(-logit)))


def target_probabilities(params: DeterrenceParams, geometry: AllyGeometry) -> FloatArray:
    """Probability that each ally is the target: border multiplier x exp(-distance / decay)."""
    exposure = np.where(geometry.borders, params.exposure_border_weight, 1.0) * np.exp(
        -geometry.threat_distance_km / params.exposure_decay_km
    )
    total = exposure.sum()
    if not total > 0.0:
        raise ModelError(
            "deterrence.exposure_border_weight: every ally has zero exposure as a target; "
            "raise exposure_border_weight or include allies that do not border Russia/Belarus"
        )
    return np.asarray(exposure / total)


def _probe_thresholds(params: DeterrenceParams, forces_in_place: float) -> FloatArray:
    """``log(gain / effective cost)`` per probe type (+inf when a stopped probe costs nothing).

    The cost of a stopped probe grows with the US forces in place (escalation).
    """
    escalation = 1.0 + params.us_escalation_weight * forces_in_place
    return np.array(
        [
            math.log(q.gain) - math.log(q.cost_if_stopped * escalation)
            if q.cost_if_stopped > 0.0
            else math.inf
            for q in (params.probe(name) for name in PROBE_TYPES)
        ]
    )


def prepare_year(
    params: DeterrenceParams,
    geometry: AllyGeometry,
    forces_in_place: float,
    reinforcements: float,
    coverage: float,
    forces: YearForces,
) -> YearTables:
    """Lookup tables for one year's context (US commitment, coverage and forces)."""
    p = params
    a = len(geometry.iso3)
    f = forces.reordered(geometry.iso3)
    # allies whose closure never reaches any theatre within the window add nothing: drop them
    active = np.flatnonzero(f.curve.any(axis=(0, 1)))
    us_commitment = p.us_commitment_index(forces_in_place, reinforcements)
    means = willingness_means(p, geometry, us_commitment)
    eta = logit_normal_location(means, p.willingness_mood_sd_logit)
    odds = np.exp(-eta)
    odds[:, np.arange(a), np.arange(a)] = 0.0  # the target always defends itself
    weights = np.array([p.probe(name).weight for name in PROBE_TYPES])
    probe_cdf = np.cumsum(weights / weights.sum())
    target_cdf = np.cumsum(target_probabilities(p, geometry))
    probes = [p.probe(name) for name in PROBE_TYPES]
    m = p.decision_latency_multiplier
    return YearTables(
        probe_cdf=probe_cdf,
        target_cdf=target_cdf,
        willingness_odds=odds.reshape(3 * a, a).astype(np.float32),
        curve=np.ascontiguousarray(
            f.curve[:, :, active].reshape(a * (f.hours + 1), active.size), dtype=np.float32),
        curve_cols=active,
        self_curve=np.ascontiguousarray(
            f.curve[np.arange(a), :, np.arange(a)].reshape(-1), dtype=np.float64),
        hours=f.hours,
        own_power=np.asarray(f.own, dtype=np.float64),
        forward_power=np.asarray(f.forward, dtype=np.float32),
        forward_total=np.asarray(f.forward, dtype=np.float64).sum(axis=1),
        forward_at_once=p.forward_forces_fight_at_once,
        warning_h=p.strategic_warning_h,
        adversary_force=np.array([q.adversary_force for q in probes]),
        coverage=float(coverage),
        time_to_objective_min_h=np.array([q.time_to_objective_min_h for q in probes]),
        time_to_objective_span_h=np.array(
            [q.time_to_objective_max_h - q.time_to_objective_min_h for q in probes]
        ),
        midpoint_pow=np.array([q.force_ratio_midpoint**p.success_slope for q in probes]),
        probe_threshold_logit=_probe_thresholds(p, forces_in_place),
        success_slope=p.success_slope,
        perception_noise_logit=p.perception_noise_logit,
        mood_sd_logit=p.willingness_mood_sd_logit,
        base_log_median_h=_log_median(m * p.decision_base_median_h),
        base_sigma=p.decision_base_sigma,
        holdout_log_median_h=_log_median(m * p.holdout_delay_median_h),
        holdout_sigma=p.holdout_delay_sigma,
        formation_log_median_h=_log_median(m * p.coalition_formation_median_h),
        formation_sigma=p.coalition_formation_sigma,
        coalition_min_members=p.coalition_min_members,
        holdout_share=p.holdout_share_of_unwilling,
    )


class BlockRandoms(NamedTuple):
    """Every random number of a block of draws (per-draw vectors and draws x allies)."""

    u_probe: FloatArray
    u_target: FloatArray
    z_mood: FloatArray
    z_base: FloatArray
    u_holdout: FloatArray
    z_formation: FloatArray
    u_objective: FloatArray
    u_stop: FloatArray
    z_perception: FloatArray
    u_willing: Float32Array  # (n, A)

    def head(self, n: int) -> BlockRandoms:
        """The first ``n`` draws."""
        return BlockRandoms._make(a[:n] for a in self)

    @staticmethod
    def concat(parts: Sequence[BlockRandoms]) -> BlockRandoms:
        """Blocks joined in order."""
        if len(parts) == 1:
            return parts[0]
        return BlockRandoms(*(np.concatenate(arrays) for arrays in zip(*parts, strict=True)))


def _philox_key(seed: int) -> npt.NDArray[np.uint64]:
    """Philox key (two 64-bit words) derived from ``seed`` and the deterrence stream domain."""
    state = np.random.SeedSequence([seed, _STREAM_DOMAIN]).generate_state(2, dtype=np.uint64)
    # numpy's stub types generate_state as uint32 | uint64 whatever dtype is asked for
    return cast(npt.NDArray[np.uint64], state)


def block_randoms(seed: int, block: int, n_allies: int) -> BlockRandoms:
    """Random numbers of block ``block`` (draws ``block*BLOCK_DRAWS`` onwards).

    The stream is NumPy's counter-based Philox with a key derived from ``seed`` and
    the counter starting at ``block << 128``, so a block's numbers depend only on
    (seed, block). A full block is always drawn; a last partial block uses its head.
    """
    gen = np.random.Generator(np.random.Philox(key=_philox_key(seed), counter=block << 128))
    n = BLOCK_DRAWS
    return BlockRandoms(
        u_probe=gen.random(n),
        u_target=gen.random(n),
        z_mood=gen.standard_normal(n),
        z_base=gen.standard_normal(n),
        u_holdout=gen.random(n),
        z_formation=gen.standard_normal(n),
        u_objective=gen.random(n),
        u_stop=gen.random(n),
        z_perception=gen.standard_normal(n),
        u_willing=gen.random((n, n_allies), dtype=np.float32),
    )


class Outcomes(NamedTuple):
    """Per-draw results of :func:`evaluate` (arrays of length n)."""

    probe_type: IndexArray  # index into PROBE_TYPES
    target: IndexArray  # index into the allies table
    n_holdouts: IndexArray
    coalition_formed: BoolArray
    decision_latency_h: FloatArray  # first collective decision (coalition or consensus)
    consensus_latency_h: FloatArray
    time_to_objective_h: FloatArray
    force_ratio: FloatArray
    p_stop: FloatArray
    probe: BoolArray
    undivided_response: BoolArray
    coalition_response: BoolArray
    fait_accompli: BoolArray


def evaluate(r: BlockRandoms, tab: YearTables) -> Outcomes:
    """Outcome of every draw of ``r`` under the year's tables (the model, fused kernel).

    The same model and the same numbers, bit for bit, as :func:`evaluate_numpy` (the
    plain-NumPy statement of the model, kept as the reference path), computed in four
    compiled passes (:mod:`alliance.deterrence.kernel`) with every transcendental
    function (``exp``, ``**``, ``ndtri``, ``log``, ``log1p``) left to the NumPy / SciPy
    call the reference path makes, on whole per-draw vectors. Memory: one draws x
    allies bool array and about thirty per-draw vectors.
    """
    # Long by design: the buffers of the four compiled passes and the NumPy calls between
    # them, in the order of the kernel module's docstring; splitting it would hand the
    # draws x allies buffers around.
    from alliance.deterrence import kernel  # imports Numba: only when a batch is evaluated

    n, a = r.u_willing.shape
    k = np.empty(n, dtype=np.intp)
    t = np.empty(n, dtype=np.intp)
    n_holdouts = np.empty(n, dtype=np.intp)
    n_willing = np.empty(n, dtype=np.intp)
    willing = np.empty((n, a), dtype=np.bool_)
    # the three per-draw exponentials of the reference path, in one call
    exps = np.empty((3, n))
    np.multiply(-tab.mood_sd_logit, r.z_mood, out=exps[0])
    np.multiply(tab.base_sigma, r.z_base, out=exps[1])
    np.add(tab.base_log_median_h, exps[1], out=exps[1])
    np.multiply(tab.formation_sigma, r.z_formation, out=exps[2])
    np.add(tab.formation_log_median_h, exps[2], out=exps[2])
    np.exp(exps, out=exps)
    # u^(1/n) is the quantile of the slowest of n holdouts; u kept off 0 so it stays finite
    slowest = np.empty(n)  # max(u, 1e-300), then the slowest holdout's delay [h]
    exponent = np.empty(n)  # 1 / max(n_holdouts, 1)
    kernel.willingness_pass(
        r.u_probe, r.u_target, tab.probe_cdf, tab.target_cdf, tab.willingness_odds, exps[0],
        r.u_willing, np.float32(1.0 - tab.holdout_share), np.float32(tab.holdout_share),
        np.float32(1.0), r.u_holdout, k, t, n_holdouts, n_willing, willing, slowest, exponent)
    np.power(slowest, exponent, out=slowest)
    ndtri(slowest, out=slowest)
    np.multiply(tab.holdout_sigma, slowest, out=slowest)
    np.add(tab.holdout_log_median_h, slowest, out=slowest)
    np.exp(slowest, out=slowest)
    consensus = np.empty(n)
    decision = np.empty(n)
    formed = np.empty(n, dtype=np.bool_)
    t_obj = np.empty(n)
    ratios = np.empty((2, n))  # the draw's force ratio, the adversary's planning ratio
    kernel.forces_pass(
        k, t, n_holdouts, n_willing, willing, exps[1], slowest, exps[2], r.u_objective,
        tab.time_to_objective_min_h, tab.time_to_objective_span_h, tab.coalition_min_members,
        _plan_consensus_h(tab, a), _plan_formation_h(tab), tab.curve, tab.curve_cols,
        tab.self_curve, tab.hours, tab.own_power, tab.forward_power, tab.forward_total,
        tab.forward_at_once, tab.warning_h, tab.coverage, tab.adversary_force,
        np.empty(max(tab.curve_cols.size, a)), consensus, decision, formed, t_obj, ratios[0],
        ratios[1])
    del willing

    powered = ratios**tab.success_slope
    stops = np.empty((2, n))  # P(stop), the adversary's clipped reading of it
    kernel.stop_pass(k, powered[0], powered[1], tab.midpoint_pow, _P_CLIP, stops[0], stops[1])
    probe = np.empty(n, dtype=np.bool_)
    undivided = np.empty(n, dtype=np.bool_)
    coalition_response = np.empty(n, dtype=np.bool_)
    fait_accompli = np.empty(n, dtype=np.bool_)
    kernel.outcome_pass(
        k, np.log(stops[1]), np.log1p(-stops[1]), r.z_perception, tab.perception_noise_logit,
        tab.probe_threshold_logit, consensus, decision, t_obj, formed, r.u_stop, stops[0],
        probe, undivided, coalition_response, fait_accompli)
    return Outcomes(
        probe_type=k,
        target=t,
        n_holdouts=n_holdouts,
        coalition_formed=formed,
        decision_latency_h=decision,
        consensus_latency_h=consensus,
        time_to_objective_h=t_obj,
        force_ratio=ratios[0],
        p_stop=stops[0],
        probe=probe,
        undivided_response=undivided,
        coalition_response=coalition_response,
        fait_accompli=fait_accompli,
    )


#: Draws x years from which a process that has not loaded the compiled kernel yet loads
#: it; smaller runs take the plain-NumPy path (the same bits). Loading costs a one-off
#: ~0.5 s (import Numba, load the cached machine code), won back at ~0.6 us per
#: draw-year: about a million draw-years (benchmarks/bench_deterrence.py measures it).
KERNEL_MIN_DRAW_YEARS = 1_000_000

Evaluator = Callable[[BlockRandoms, YearTables], Outcomes]


def batch_evaluator(draw_years: int) -> Evaluator:
    """The kernel for a run of ``draw_years`` draws x years: the fastest, same bits.

    :func:`evaluate` (compiled) once the kernel is loaded in this process or the run
    is large enough to repay loading it (:data:`KERNEL_MIN_DRAW_YEARS`), else
    :func:`evaluate_numpy`. Both give identical outcomes (tests/deterrence/test_kernel.py),
    so the choice changes the time a run takes, never its numbers.
    """
    if draw_years >= KERNEL_MIN_DRAW_YEARS or "alliance.deterrence.kernel" in sys.modules:
        return evaluate
    return evaluate_numpy


def _plan_consensus_h(tab: YearTables, n_allies: int) -> FloatArray:
    """The adversary's typical consensus time [h] by number of holdouts 0..n_allies.

    The expression of :func:`evaluate_numpy` evaluated once per holdout count.
    """
    n_holdouts = np.arange(n_allies + 1, dtype=np.intp)
    return np.asarray(np.exp(tab.base_log_median_h) + np.where(
        n_holdouts > 0,
        np.exp(tab.holdout_log_median_h
               + tab.holdout_sigma * ndtri(0.5 ** (1.0 / np.maximum(n_holdouts, 1)))),
        0.0,
    ))


def _plan_formation_h(tab: YearTables) -> float:
    """The adversary's typical coalition decision time [h] (as :func:`evaluate_numpy`)."""
    return float(np.exp(tab.base_log_median_h) + np.exp(tab.formation_log_median_h))


def evaluate_numpy(r: BlockRandoms, tab: YearTables) -> Outcomes:
    """Outcome of every draw of ``r`` under the year's tables (the model, plain NumPy).

    The reference path of :func:`evaluate`: the same numbers, bit for bit; a whole run
    with it takes about 2.3 times as long (``benchmarks/bench_deterrence.py``).

    Steps (docs/deterrence.md, section "One crisis draw"): probe type k and target t
    by inverse CDF; ally i is willing iff ``u < W = sigmoid(eta[k,t,i] + sd z_mood)``,
    a holdout (blocks consensus) iff ``1 - u < b (1 - W)``, else it abstains;
    consensus at ``base + slowest holdout delay`` (the maximum of n lognormal delays,
    drawn by inverse CDF from ``u^(1/n)``); a coalition (holdouts present, enough
    willing allies) decides at ``min(consensus, base + formation)``; willing allies
    leave at the decision, the target's own forces at hour 0, the others send
    nothing; force ratio = coverage x weight on time; P(stop) is logistic in the log
    force ratio; the adversary probes iff its noisy reading of P(stop), computed with
    typical (median) timings, is below gain / (gain + cost).
    """
    # Long by design: the vectorised kernel, one pass over a batch in the order of the
    # docstring's steps (docs/deterrence.md); its draws x allies temporaries are freed
    # (del) as soon as each step is done, which helpers handing them back would defeat.
    # Kept as written before the compiled kernel: evaluate must reproduce it bit for bit.
    a = tab.own_power.shape[0]
    k = np.minimum(np.searchsorted(tab.probe_cdf, r.u_probe, side="right"), 2)
    t = np.minimum(np.searchsorted(tab.target_cdf, r.u_target, side="right"), a - 1)

    # ally i is willing iff u < W, blocks consensus iff 1 - u < b (1 - W), abstains otherwise,
    # with W = sigmoid(eta[k,t,i] + sd z_mood) = 1 / (1 + odds), odds = exp(-eta) exp(-sd z)
    # with q = 1 + odds: willing iff u q < 1; blocking iff (1 - u) q < b (q - 1), i.e.
    # iff u q > q (1 - b) + b; every step in place on two draws x allies buffers
    q = tab.willingness_odds[k * a + t]
    q *= np.exp(-tab.mood_sd_logit * r.z_mood).astype(np.float32)[:, None]
    q += np.float32(1.0)
    uq = r.u_willing * q
    willing = uq < np.float32(1.0)
    q *= np.float32(1.0 - tab.holdout_share)
    q += np.float32(tab.holdout_share)
    n_holdouts = np.count_nonzero(uq > q, axis=1)
    del q, uq
    n_willing = np.count_nonzero(willing, axis=1)
    willing_active = willing[:, tab.curve_cols]
    if tab.forward_at_once:
        del willing

    base = np.exp(tab.base_log_median_h + tab.base_sigma * r.z_base)
    # u^(1/n) is the quantile of the slowest of n holdouts; kept off 0 so it stays finite
    q = np.maximum(r.u_holdout, 1e-300) ** (1.0 / np.maximum(n_holdouts, 1))
    slowest = np.exp(tab.holdout_log_median_h + tab.holdout_sigma * ndtri(q))
    consensus = base + np.where(n_holdouts > 0, slowest, 0.0)
    formed = (n_holdouts > 0) & (n_willing - 1 >= tab.coalition_min_members)
    formation = base + np.exp(tab.formation_log_median_h + tab.formation_sigma * r.z_formation)
    decision = np.where(formed, np.minimum(consensus, formation), consensus)

    # willing allies leave at the decision, the target's own forces at hour 0; others never
    t_obj = tab.time_to_objective_min_h[k] + tab.time_to_objective_span_h[k] * r.u_objective
    power = _power_on_time(tab, willing_active, t, t_obj - decision, t_obj,
                           None if tab.forward_at_once else willing)
    force_ratio = tab.coverage * power / tab.adversary_force[k]
    p_stop = _stop_probability(tab, force_ratio, k)
    stopped = r.u_stop < p_stop

    # the adversary reads who is willing and who blocks, but plans with typical timings
    plan_consensus = np.exp(tab.base_log_median_h) + np.where(
        n_holdouts > 0,
        np.exp(tab.holdout_log_median_h
               + tab.holdout_sigma * ndtri(0.5 ** (1.0 / np.maximum(n_holdouts, 1)))),
        0.0,
    )
    plan_formation = np.exp(tab.base_log_median_h) + np.exp(tab.formation_log_median_h)
    plan_decision = np.where(formed, np.minimum(plan_consensus, plan_formation), plan_consensus)
    plan_t_obj = tab.time_to_objective_min_h[k] + 0.5 * tab.time_to_objective_span_h[k]
    plan_power = _power_on_time(tab, willing_active, t, plan_t_obj - plan_decision, plan_t_obj,
                                None if tab.forward_at_once else willing)
    del willing_active
    plan_ratio = tab.coverage * plan_power / tab.adversary_force[k]
    pc = np.clip(_stop_probability(tab, plan_ratio, k), _P_CLIP, 1.0 - _P_CLIP)
    perceived = np.log(pc) - np.log1p(-pc) + tab.perception_noise_logit * r.z_perception
    probe = perceived < tab.probe_threshold_logit[k]
    undivided = probe & (consensus <= t_obj)
    coalition_response = probe & ~undivided & formed & (decision <= t_obj)
    return Outcomes(
        probe_type=k,
        target=t,
        n_holdouts=n_holdouts,
        coalition_formed=formed,
        decision_latency_h=decision,
        consensus_latency_h=consensus,
        time_to_objective_h=t_obj,
        force_ratio=force_ratio,
        p_stop=p_stop,
        probe=probe,
        undivided_response=undivided,
        coalition_response=coalition_response,
        fait_accompli=probe & ~stopped,
    )


def _power_on_time(
    tab: YearTables, willing_active: BoolArray, target: IndexArray, slack_h: FloatArray,
    t_obj: FloatArray | float, willing: BoolArray | None = None,
) -> FloatArray:
    """NATO combat power in the target's theatre when the objective falls [power units].

    ``own_power[t]`` (in place) + forward formations in t's theatre (all of them at
    once, or those of willing holders that decided in time: then ``willing``, the full
    draws x allies mask, is needed) + each willing ally's closure curve at ``slack +
    warning`` hours after the decision + the target's own curve at ``t_obj + warning``
    hours (it moves from hour 0). ``willing_active``: the willing mask of the allies
    with a curve (``tab.curve_cols``).
    """
    last = tab.hours
    slack = np.asarray(slack_h, dtype=np.float64) + tab.warning_h
    on_time = slack >= 0.0
    hour = np.minimum(np.floor(np.maximum(slack, 0.0)), last).astype(np.intp)
    base = target * (last + 1)
    row = base + hour
    power = tab.own_power[target].copy()
    if tab.curve_cols.size:
        arrived = tab.curve[row]  # (n, C) power of each active ally by its slack
        # a row-wise reduction (not BLAS) so a draw's sum never depends on the batch around it
        power += np.where(willing_active & on_time[:, None], arrived, np.float32(0.0)).sum(
            axis=1, dtype=np.float64)
        own_hour = np.minimum(np.floor(np.asarray(t_obj, dtype=np.float64) + tab.warning_h),
                              last).astype(np.intp)
        # the target counted above at its slack (it is always willing) moves from hour 0
        power += tab.self_curve[base + own_hour] - np.where(on_time, tab.self_curve[row], 0.0)
    if willing is None:
        power += tab.forward_total[target]
    else:
        fwd = np.where(willing & on_time[:, None], tab.forward_power[target], np.float32(0.0))
        power += fwd.sum(axis=1, dtype=np.float64)
    result: FloatArray = np.maximum(power, 0.0)
    return result


def _stop_probability(tab: YearTables, force_ratio: FloatArray, k: IndexArray) -> FloatArray:
    """P(stop) = r^s / (r^s + midpoint_k^s): logistic in log force ratio, 0 at r = 0."""
    powered = force_ratio**tab.success_slope
    return np.asarray(powered / (powered + tab.midpoint_pow[k]))


def _block_sum(values: FloatArray) -> float:
    """Sum of one block's values (NumPy's pairwise sum over its own contiguous array).

    The same block always gives the same bits whatever batch it came in; blocks are
    then combined exactly with ``math.fsum``.
    """
    return float(np.add.reduce(values, dtype=np.float64))


@dataclass
class Tally:
    """Exact, batching-independent sums over blocks of draws for one year."""

    n: int = 0
    probe: int = 0
    undivided: int = 0
    coalition: int = 0
    fait_accompli: int = 0
    latency_sums: list[float] = field(default_factory=list)
    latency_squares: list[float] = field(default_factory=list)
    consensus_sums: list[float] = field(default_factory=list)
    consensus_squares: list[float] = field(default_factory=list)
    ratio_sums: list[float] = field(default_factory=list)
    incursions: int = 0
    incursion_ratio_sums: list[float] = field(default_factory=list)

    def add_ratios(self, force_ratio: FloatArray, probe_type: IndexArray) -> None:
        """Add one block's force ratios (all draws, and the limited incursions)."""
        r = np.ascontiguousarray(force_ratio, dtype=np.float64)
        inc = probe_type == _INCURSION
        self.ratio_sums.append(_block_sum(r))
        self.incursions += int(np.count_nonzero(inc))
        self.incursion_ratio_sums.append(_block_sum(np.ascontiguousarray(r[inc])))

    def add_block(
        self, probe: BoolArray, undivided: BoolArray, coalition: BoolArray,
        fait_accompli: BoolArray, latency_h: FloatArray, consensus_h: FloatArray,
    ) -> None:
        """Add one block's per-draw outcomes (a block is always summed on its own)."""
        self.n += int(probe.shape[0])
        self.probe += int(np.count_nonzero(probe))
        self.undivided += int(np.count_nonzero(undivided))
        self.coalition += int(np.count_nonzero(coalition))
        self.fait_accompli += int(np.count_nonzero(fait_accompli))
        lat = np.ascontiguousarray(latency_h, dtype=np.float64)
        con = np.ascontiguousarray(consensus_h, dtype=np.float64)
        self.latency_sums.append(_block_sum(lat))
        self.latency_squares.append(_block_sum(lat * lat))
        self.consensus_sums.append(_block_sum(con))
        self.consensus_squares.append(_block_sum(con * con))

    def add_block_sums(
        self, n: int, probe: int, undivided: int, coalition: int, fait_accompli: int,
        latency_sum: float, latency_square_sum: float, consensus_sum: float,
        consensus_square_sum: float,
    ) -> None:
        """Add one block given as sums (backends that reduce blocks themselves)."""
        self.n += int(n)
        self.probe += int(probe)
        self.undivided += int(undivided)
        self.coalition += int(coalition)
        self.fait_accompli += int(fait_accompli)
        self.latency_sums.append(float(latency_sum))
        self.latency_squares.append(float(latency_square_sum))
        self.consensus_sums.append(float(consensus_sum))
        self.consensus_squares.append(float(consensus_square_sum))

    def add_outcomes(self, out: Outcomes, block_sizes: Sequence[int]) -> None:
        """Add a batch of outcomes made of consecutive blocks of the given sizes."""
        start = 0
        for size in block_sizes:
            s = slice(start, start + size)
            self.add_block(
                out.probe[s], out.undivided_response[s], out.coalition_response[s],
                out.fait_accompli[s], out.decision_latency_h[s], out.consensus_latency_h[s],
            )
            self.add_ratios(out.force_ratio[s], out.probe_type[s])
            start += size

    def absorb(self, other: Tally) -> None:
        """Add another tally's blocks to this one, in place."""
        self.n += other.n
        self.probe += other.probe
        self.undivided += other.undivided
        self.coalition += other.coalition
        self.fait_accompli += other.fait_accompli
        self.latency_sums.extend(other.latency_sums)
        self.latency_squares.extend(other.latency_squares)
        self.consensus_sums.extend(other.consensus_sums)
        self.consensus_squares.extend(other.consensus_squares)
        self.ratio_sums.extend(other.ratio_sums)
        self.incursions += other.incursions
        self.incursion_ratio_sums.extend(other.incursion_ratio_sums)

    def merge(self, other: Tally) -> Tally:
        """Tally of both sets of blocks (order-independent: sums are exact)."""
        return Tally(
            n=self.n + other.n,
            probe=self.probe + other.probe,
            undivided=self.undivided + other.undivided,
            coalition=self.coalition + other.coalition,
            fait_accompli=self.fait_accompli + other.fait_accompli,
            latency_sums=self.latency_sums + other.latency_sums,
            latency_squares=self.latency_squares + other.latency_squares,
            consensus_sums=self.consensus_sums + other.consensus_sums,
            consensus_squares=self.consensus_squares + other.consensus_squares,
            ratio_sums=self.ratio_sums + other.ratio_sums,
            incursions=self.incursions + other.incursions,
            incursion_ratio_sums=self.incursion_ratio_sums + other.incursion_ratio_sums,
        )

    def summary(self) -> dict[str, float]:
        """Probabilities, means and Monte Carlo standard errors."""
        n = self.n

        def prop(count: int, denominator: int) -> tuple[float, float]:
            if denominator == 0:
                return math.nan, math.nan
            p = count / denominator
            return p, math.sqrt(p * (1.0 - p) / denominator)

        def mean(sums: list[float], squares: list[float]) -> tuple[float, float]:
            total = math.fsum(sums)
            mu = total / n
            if n < 2:
                return mu, math.nan
            var = max(math.fsum(squares) - total * total / n, 0.0) / (n - 1)
            return mu, math.sqrt(var / n)

        none = self.probe - self.undivided - self.coalition
        values = {
            "p_probe": prop(self.probe, n),
            "p_undivided_response": prop(self.undivided, n),
            "p_coalition_response": prop(self.coalition, n),
            "p_no_timely_decision": prop(none, n),
            "p_fait_accompli": prop(self.fait_accompli, n),
            "p_fait_accompli_given_probe": prop(self.fait_accompli, self.probe),
            "mean_decision_latency_h": mean(self.latency_sums, self.latency_squares),
            "mean_consensus_latency_h": mean(self.consensus_sums, self.consensus_squares),
        }
        out: dict[str, float] = {}
        for name, (value, stderr) in values.items():
            out[name] = value
            out[f"{name}_stderr"] = stderr
        out["mean_force_ratio"] = math.fsum(self.ratio_sums) / n if n else math.nan
        out["mean_force_ratio_incursion"] = (
            math.fsum(self.incursion_ratio_sums) / self.incursions if self.incursions
            else math.nan
        )
        return out


def check_run(params: DeterrenceParams, draws: int, seed: int, batch_size: int | None) -> int:
    """Validate draws, seed and batch size; return the batch size to use."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer):
        raise ModelError(f"draws must be a whole number, got {draws!r}")
    if draws <= 0:
        raise ModelError(f"draws must be positive, got {draws}")
    if draws > params.max_draws:
        raise ModelError(
            f"draws {draws:,} exceeds the maximum {params.max_draws:,} a year "
            "(deterrence.max_draws, at most 10,000,000); lower --draws"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ModelError(f"seed must be a non-negative whole number, got {seed!r}")
    size = params.batch_size if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size <= 0:
        raise ModelError(f"batch_size must be a positive whole number, got {size!r}")
    if size % BLOCK_DRAWS:
        raise ModelError(f"batch_size must be a multiple of {BLOCK_DRAWS} draws, got {size}")
    return int(size)


def check_total_work(draws: int, years: int) -> None:
    """Refuse a run of more than MAX_DRAW_YEARS draws x years (it would take too long)."""
    if draws * years > MAX_DRAW_YEARS:
        msg = (
            f"draws x years = {draws:,} x {years} exceeds {MAX_DRAW_YEARS:,} (a few minutes of "
            "work); lower --draws or choose fewer years (--year)"
        )
        raise ModelError(msg)


def block_sizes(draws: int) -> list[int]:
    """Sizes of the blocks that make up ``draws`` (all full but the last)."""
    full, rest = divmod(draws, BLOCK_DRAWS)
    return [BLOCK_DRAWS] * full + ([rest] if rest else [])


def batches(draws: int, batch_size: int) -> list[tuple[int, list[int]]]:
    """(first block index, block sizes) of each batch."""
    sizes = block_sizes(draws)
    per = batch_size // BLOCK_DRAWS
    return [(i, sizes[i : i + per]) for i in range(0, len(sizes), per)]


def batch_randoms(seed: int, first_block: int, sizes: Sequence[int], n_allies: int) -> BlockRandoms:
    """Random numbers of consecutive blocks, joined."""
    return BlockRandoms.concat(
        [block_randoms(seed, first_block + j, n_allies).head(size) for j, size in enumerate(sizes)]
    )


def year_tables(
    params: DeterrenceParams, allies: pd.DataFrame, context: pd.DataFrame,
    forces: ForceInputs | None = None,
) -> tuple[AllyGeometry, list[tuple[pd.Series, YearTables]]]:
    """Validated geometry and per-year tables for every context row.

    ``forces`` defaults to the ones the context carries (:func:`attach_forces`); a
    ModelError says how to get them when there are none.
    """
    forces = forces if forces is not None else forces_of(context)
    if forces is None:
        raise ModelError(
            "deterrence: no forces given; build the inputs with "
            "alliance.assessment.deterrence_inputs (the mobility stage's closure curves) or "
            "pass simulate(..., forces=ForceInputs(...))"
        )
    allies = validate_allies(allies)
    context = validate_context(context)
    geometry = AllyGeometry.build(params, allies)
    tables = [
        (
            row,
            prepare_year(
                params, geometry, float(row["us_forces_in_place"]),
                float(row["us_reinforcements"]), float(row["capability_coverage"]),
                forces.year(int(row["year"])),
            ),
        )
        for _, row in context.iterrows()
    ]
    return geometry, tables


def results_frame(
    rows: Sequence[tuple[pd.Series, Tally]], draws: int, seed: int, backend: str
) -> pd.DataFrame:
    """The output table from per-year tallies."""
    records = []
    for row, tally in rows:
        record: dict[str, object] = {
            "year": int(row["year"]),
            "draws": draws,
            "seed": seed,
            "backend": backend,
            "us_forces_in_place": float(row["us_forces_in_place"]),
            "us_reinforcements": float(row["us_reinforcements"]),
            "capability_coverage": float(row["capability_coverage"]),
        }
        record.update(tally.summary())
        records.append(record)
    return pd.DataFrame.from_records(records, columns=list(OUTPUT_COLUMNS))


def _batch_tallies(
    seed: int, first: int, sizes: Sequence[int], n_allies: int,
    tables: Sequence[tuple[pd.Series, YearTables]], evaluator: Evaluator,
) -> list[Tally]:
    """Per-year tallies of one batch of consecutive blocks."""
    randoms = batch_randoms(seed, first, sizes, n_allies)
    tallies = []
    for _, tab in tables:
        tally = Tally()
        tally.add_outcomes(evaluator(randoms, tab), sizes)
        tallies.append(tally)
    return tallies


def simulate(
    params: DeterrenceParams,
    allies: pd.DataFrame,
    context: pd.DataFrame,
    draws: int,
    seed: int,
    batch_size: int | None = None,
    backend: str = "numpy",
    progress: ProgressCallback | None = None,
    workers: int = 1,
    forces: ForceInputs | None = None,
) -> pd.DataFrame:
    """Run the crisis Monte Carlo for every year of ``context``.

    Args:
        params: the deterrence parameters.
        allies: the allies table (contract in :mod:`alliance.deterrence.inputs`).
        context: one row per year (contract in :mod:`alliance.deterrence.inputs`).
        draws: crises simulated per year (1 .. ``params.max_draws``).
        seed: non-negative seed; the same seed gives identical numbers for any
            batch size and any number of workers.
        batch_size: draws evaluated at once, a multiple of ``BLOCK_DRAWS`` (default
            ``params.batch_size``); changes memory use, never results.
        backend: ``"numpy"`` or ``"jax"`` (needs ``pip install 'alliance[jax]'``).
        progress: called with the number of draws finished after each batch (all
            years at once).
        workers: threads evaluating batches in parallel (NumPy and the compiled
            kernel release the GIL);
            memory grows with workers x batch, results do not change. NumPy
            backend only.
        forces: combat power per year (default: the forces ``context`` carries,
            see :func:`alliance.deterrence.inputs.attach_forces`).

    Returns:
        One row per year with :data:`OUTPUT_COLUMNS`: probabilities are per crisis
        draw (unconditional), latencies in hours over all draws, each with a Monte
        Carlo standard error.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 256:
        raise ModelError(f"workers must be a whole number in 1..256, got {workers!r}")
    if backend == "jax":
        from alliance.deterrence.jax_backend import simulate_jax

        return simulate_jax(params, allies, context, draws, seed, batch_size, progress, forces)
    if backend != "numpy":
        raise ModelError(f"backend must be 'numpy' or 'jax', got {backend!r}")
    size = check_run(params, draws, seed, batch_size)
    check_total_work(draws, len(context))
    geometry, tables = year_tables(params, allies, context, forces)
    a = len(geometry.iso3)
    logger.info("deterrence: %d draws x %d years x %d allies, seed %d, batch %d, workers %d",
                draws, len(tables), a, seed, size, workers)
    tallies = _tally_batches(seed, batches(draws, size), a, tables, workers, progress)
    return results_frame(list(zip((row for row, _ in tables), tallies, strict=True)),
                         draws, seed, "numpy")


def _tally_batches(
    seed: int,
    work: list[tuple[int, list[int]]],
    a: int,
    tables: Sequence[tuple[pd.Series, YearTables]],
    workers: int,
    progress: ProgressCallback | None,
) -> list[Tally]:
    """Per-year tallies over every batch, in ``workers`` threads (same sums for any count)."""
    tallies = [Tally() for _ in tables]
    evaluator = batch_evaluator(sum(sum(sizes) for _, sizes in work) * len(tables))

    def run(item: tuple[int, list[int]]) -> list[Tally]:
        return _batch_tallies(seed, item[0], item[1], a, tables, evaluator)

    def collect(item: tuple[int, list[int]], batch_tallies: list[Tally]) -> None:
        for total, tally in zip(tallies, batch_tallies, strict=True):
            total.absorb(tally)
        if progress is not None:
            progress(sum(item[1]))

    if workers == 1:
        for item in work:
            collect(item, run(item))
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # a bounded window of batches in flight keeps memory flat
            window = 2 * workers
            for start in range(0, len(work), window):
                chunk = work[start : start + window]
                for item, result in zip(chunk, pool.map(run, chunk), strict=True):
                    collect(item, result)
    return tallies


def simulate_draws(
    params: DeterrenceParams,
    allies: pd.DataFrame,
    context: pd.DataFrame,
    draws: int,
    seed: int,
    forces: ForceInputs | None = None,
) -> pd.DataFrame:
    """Per-draw outcomes (:data:`DRAW_COLUMNS`) for every year: for inspection and tests.

    Same streams as :func:`simulate` (draw d of a seed is the same crisis in both).
    At most 10**6 draws (the table holds every draw).
    """
    check_run(params, draws, seed, None)
    if draws > _MAX_PER_DRAW_TABLE:
        raise ModelError(f"draws {draws} too many for a per-draw table (max {_MAX_PER_DRAW_TABLE})")
    geometry, tables = year_tables(params, allies, context, forces)
    a = len(geometry.iso3)
    randoms = batch_randoms(seed, 0, block_sizes(draws), a)
    iso3 = np.array(geometry.iso3)
    evaluator = batch_evaluator(draws * len(tables))
    frames = []
    for row, tab in tables:
        out = evaluator(randoms, tab)
        frames.append(
            pd.DataFrame(
                {
                    "year": int(row["year"]),
                    "draw": np.arange(draws),
                    "probe_type": np.array(PROBE_TYPES)[out.probe_type],
                    "target_iso3": iso3[out.target],
                    "n_holdouts": out.n_holdouts,
                    "coalition_formed": out.coalition_formed,
                    "decision_latency_h": out.decision_latency_h,
                    "consensus_latency_h": out.consensus_latency_h,
                    "coalition_latency_h": out.decision_latency_h,
                    "time_to_objective_h": out.time_to_objective_h,
                    "force_ratio": out.force_ratio,
                    "p_stop": out.p_stop,
                    "probe": out.probe,
                    "undivided_response": out.undivided_response,
                    "coalition_response": out.coalition_response,
                    "fait_accompli": out.fait_accompli,
                },
                columns=list(DRAW_COLUMNS),
            )
        )
    return pd.concat(frames, ignore_index=True)
