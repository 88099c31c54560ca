"""Optional JAX backend of the crisis Monte Carlo (XLA-compiled, CPU).

Computes the same model as :func:`alliance.deterrence.engine.evaluate` from the same
lookup tables (:func:`~alliance.deterrence.engine.prepare_year`), fused and compiled
by XLA, in float32. It takes its random numbers from the NumPy engine's Philox
block streams (JAX's own generators are several times slower than NumPy's on
CPU), so for a given seed it computes the same crises; float32 arithmetic makes a
few draws that sit on a threshold come out differently, so results agree with
NumPy statistically (and nearly draw by draw), and are identical for any batch
size.

Install with ``pip install 'alliance[jax]'``. Importing this module never needs JAX;
only running it does (:class:`~alliance.errors.ModelError` with the install hint
otherwise).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from alliance.deterrence.engine import (
    BlockRandoms,
    Tally,
    YearTables,
    batch_randoms,
    batches,
    check_run,
    results_frame,
    year_tables,
)
from alliance.errors import ModelError
from alliance.params import BLOCK_DRAWS, DeterrenceParams

__all__ = ["jax_available", "simulate_jax"]

logger = logging.getLogger(__name__)

_INSTALL_HINT = "backend 'jax' needs JAX; install it with: pip install 'alliance[jax]'"


def jax_available() -> bool:
    """True when JAX can be imported (imports it: about a second the first time)."""
    try:
        _jax()
    except ModelError:
        return False
    return True


def _jax() -> tuple[Any, Any]:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as exc:
        raise ModelError(_INSTALL_HINT) from exc
    return jax, jnp


@lru_cache(maxsize=1)
def _kernel() -> Callable[..., Any]:
    """The jit-compiled batch kernel: (randoms, valid draws per block, tables) -> block sums."""
    # Long by design: the kernel and its helpers are closures over the JAX modules, which
    # are imported only here (JAX is optional); XLA traces and fuses them as one function.
    jax, jnp = _jax()
    from jax.scipy.special import ndtri

    b = BLOCK_DRAWS
    f32 = jnp.float32

    def share_on_time(tab: YearTables, willing: Any, transit: Any, t: Any, slack: Any,
                      t_obj: Any) -> Any:
        on_time = (transit <= slack[:, None]) & willing
        share = jnp.where(on_time, tab.contribution, f32(0.0)).sum(axis=1)
        rows = jnp.arange(t.shape[0])
        own = (tab.transit_h[t, t] <= t_obj).astype(f32)
        share = share + tab.contribution[t] * (own - on_time[rows, t].astype(f32))
        us = tab.us_index
        us_slack = jnp.where(t == us, t_obj, jnp.where(willing[:, us], slack, -jnp.inf))
        share = share + tab.contribution_fwd * (tab.transit_fwd_h[t] <= us_slack).astype(f32)
        return jnp.maximum(share, f32(0.0))

    def stop_probability(tab: YearTables, force_ratio: Any, k: Any) -> Any:
        powered = force_ratio**tab.success_slope
        return powered / (powered + tab.midpoint_pow[k])

    def block(r: BlockRandoms, n_valid: Any, tab: YearTables) -> Any:
        # Long by design: engine.evaluate step by step for one block of draws (read the two
        # side by side), then the masked block sums; XLA fuses it into one kernel.
        a = tab.transit_h.shape[0]
        u_probe, u_target, u_objective, u_stop = r.u_probe, r.u_target, r.u_objective, r.u_stop
        z_mood, z_base, z_formation, z_perception = (
            r.z_mood, r.z_base, r.z_formation, r.z_perception
        )
        # float32 rounds u close to 1 up to 1.0: keep the holdout quantile finite
        u_holdout = jnp.clip(r.u_holdout, jnp.finfo(f32).tiny, f32(1.0 - 2.0**-24))
        u_willing = r.u_willing

        k = jnp.minimum(jnp.searchsorted(tab.probe_cdf, u_probe, side="right"), 2)
        t = jnp.minimum(jnp.searchsorted(tab.target_cdf, u_target, side="right"), a - 1)
        odds = tab.willingness_odds[k * a + t] * jnp.exp(-tab.mood_sd_logit * z_mood)[:, None]
        one_plus = odds + f32(1.0)
        willing = u_willing * one_plus < f32(1.0)
        blocking = (f32(1.0) - u_willing) * one_plus < tab.holdout_share * odds
        n_willing = willing.sum(axis=1)
        n_holdouts = blocking.sum(axis=1)

        base = jnp.exp(tab.base_log_median_h + tab.base_sigma * z_base)
        q = u_holdout ** (f32(1.0) / jnp.maximum(n_holdouts, 1))
        slowest = jnp.exp(tab.holdout_log_median_h + tab.holdout_sigma * ndtri(q))
        consensus = base + jnp.where(n_holdouts > 0, slowest, f32(0.0))
        formed = (n_holdouts > 0) & (n_willing - 1 >= tab.coalition_min_members)
        formation = base + jnp.exp(tab.formation_log_median_h + tab.formation_sigma * z_formation)
        decision = jnp.where(formed, jnp.minimum(consensus, formation), consensus)

        t_obj = tab.time_to_objective_min_h[k] + tab.time_to_objective_span_h[k] * u_objective
        transit = tab.transit_h[t]
        share = share_on_time(tab, willing, transit, t, t_obj - decision, t_obj)
        p_stop = stop_probability(tab, tab.coverage * share, k)
        stopped = u_stop < p_stop

        median_base = jnp.exp(tab.base_log_median_h)
        plan_consensus = median_base + jnp.where(
            n_holdouts > 0,
            jnp.exp(tab.holdout_log_median_h + tab.holdout_sigma
                    * ndtri(f32(0.5) ** (f32(1.0) / jnp.maximum(n_holdouts, 1)))),
            f32(0.0),
        )
        plan_formation = median_base + jnp.exp(tab.formation_log_median_h)
        plan_decision = jnp.where(formed, jnp.minimum(plan_consensus, plan_formation),
                                  plan_consensus)
        plan_t_obj = tab.time_to_objective_min_h[k] + f32(0.5) * tab.time_to_objective_span_h[k]
        plan_share = share_on_time(tab, willing, transit, t, plan_t_obj - plan_decision,
                                   plan_t_obj)
        pc = jnp.clip(stop_probability(tab, tab.coverage * plan_share, k), 1e-6, 1.0 - 1e-6)
        perceived = jnp.log(pc) - jnp.log1p(-pc) + tab.perception_noise_logit * z_perception
        probe = perceived < tab.probe_threshold_logit[k]
        undivided = probe & (consensus <= t_obj)
        coalition = probe & ~undivided & formed & (decision <= t_obj)
        fait_accompli = probe & ~stopped

        valid = jnp.arange(b) < n_valid
        decision = jnp.where(valid, decision, f32(0.0))
        consensus = jnp.where(valid, consensus, f32(0.0))
        return (
            jnp.stack([
                (probe & valid).sum(), (undivided & valid).sum(),
                (coalition & valid).sum(), (fait_accompli & valid).sum(),
            ]),
            jnp.stack([
                decision.sum(), (decision * decision).sum(),
                consensus.sum(), (consensus * consensus).sum(),
            ]),
        )

    def batch(r: BlockRandoms, n_valid: Any, tab: YearTables) -> Any:
        per = n_valid.shape[0]
        blocks = BlockRandoms(*(x.reshape((per, b) + x.shape[1:]) for x in r))
        return jax.vmap(block, in_axes=(0, 0, None))(blocks, n_valid, tab)

    compiled: Callable[..., Any] = jax.jit(batch)  # jax is untyped here (optional extra)
    return compiled


def _device_tables(tab: YearTables) -> YearTables:
    """Tables as float32 JAX arrays (integers stay integers)."""
    _, jnp = _jax()
    converted: dict[str, Any] = {}
    for name, value in tab._asdict().items():
        if isinstance(value, np.ndarray):
            converted[name] = jnp.asarray(value, dtype=jnp.float32)
        elif isinstance(value, int | np.integer) and not isinstance(value, bool):
            converted[name] = jnp.asarray(value, dtype=jnp.int32)
        else:
            converted[name] = jnp.asarray(value, dtype=jnp.float32)
    return YearTables(**converted)


def _device_randoms(r: BlockRandoms, per: int) -> BlockRandoms:
    """Batch randoms as float32 JAX arrays, padded with zeros to ``per`` full blocks."""
    _, jnp = _jax()
    n = r.u_probe.shape[0]
    pad = per * BLOCK_DRAWS - n
    arrays = []
    for x in r:
        padded = np.pad(x, [(0, pad)] + [(0, 0)] * (x.ndim - 1)) if pad else x
        arrays.append(jnp.asarray(padded, dtype=jnp.float32))
    return BlockRandoms(*arrays)


def simulate_jax(
    params: DeterrenceParams,
    allies: pd.DataFrame,
    context: pd.DataFrame,
    draws: int,
    seed: int,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """The crisis Monte Carlo on JAX; same arguments and output table as ``simulate``.

    Random numbers come block by block from the NumPy Philox streams, so the numbers
    do not depend on ``batch_size``. The last batch is padded with masked draws so
    one compiled kernel serves every batch.
    """
    jax, jnp = _jax()
    size = check_run(params, draws, seed, batch_size)
    geometry, tables = year_tables(params, allies, context)
    n_allies = len(geometry.iso3)
    kernel = _kernel()
    device = [(row, _device_tables(tab)) for row, tab in tables]
    tallies = [Tally() for _ in tables]
    per = size // BLOCK_DRAWS
    logger.info("deterrence (jax): %d draws x %d years, seed %d, batch %d", draws,
                len(tables), seed, size)
    for first, sizes in batches(draws, size):
        randoms = _device_randoms(batch_randoms(seed, first, sizes, n_allies), per)
        n_valid = jnp.asarray(list(sizes) + [0] * (per - len(sizes)), dtype=jnp.int32)
        for tally, (_, tab) in zip(tallies, device, strict=True):
            counts, sums = jax.device_get(kernel(randoms, n_valid, tab))
            counts = np.asarray(counts, dtype=np.int64)
            sums = np.asarray(sums, dtype=np.float64)
            for j, n in enumerate(sizes):
                tally.add_block_sums(n, *counts[j], *sums[j])
        if progress is not None:
            progress(sum(sizes))
    return results_frame(list(zip((row for row, _ in tables), tallies, strict=True)),
                         draws, seed, "jax")
