"""The compiled (Numba) passes of the crisis Monte Carlo's per-batch kernel.

:func:`alliance.deterrence.engine.evaluate` runs the model of one batch of draws as
four compiled passes, with NumPy / SciPy calls on per-draw vectors in between, instead
of the thirty-odd NumPy operations over draws x allies arrays of
:func:`alliance.deterrence.engine.evaluate_numpy`:

1. NumPy: the three per-draw exponentials (alliance mood, base decision time,
   coalition formation time).
2. :func:`willingness_pass` (one pass over draws x allies): probe type and target by
   inverse CDF, each ally's willing / holdout / abstain test, the counts, and the
   base and exponent of the slowest holdout's quantile ``max(u, 1e-300)^(1/n)``.
3. NumPy: that power, ``ndtri`` and ``exp``: the slowest holdout's delay.
4. :func:`forces_pass` (one pass over draws x the allies with arrivals): decision
   times, time to the objective, combat power on time for the draw and for the
   adversary's plan, both force ratios.
5. NumPy: ``force_ratio ** success_slope`` for both ratios.
6. :func:`stop_pass`: P(stop) and the adversary's clipped reading of it.
7. NumPy: ``log`` and ``log1p`` of that reading.
8. :func:`outcome_pass`: the probe decision and the four outcome flags.

Exactness. Every transcendental function (``exp``, ``**``, ``ndtri``, ``log``,
``log1p``) stays the NumPy / SciPy call the plain-NumPy path makes, on contiguous
float64 vectors, so each element gets the very same bits. The compiled passes only
do IEEE-754 ``+ - * /``, ``floor``, comparisons and float32 <-> float64 conversions,
in the same order and precision as that path: float32 arithmetic for the willingness
test, and every float64 row sum in NumPy's own pairwise order (:func:`pairwise_sum`,
the order of ``np.add.reduce`` over a contiguous row: eight interleaved accumulators
up to 128 terms, halves beyond; a float32 row cast to float64 follows it while the row
fits NumPy's 8192-element cast buffer, i.e. for any allies table). They are compiled
without ``fastmath`` (no reassociation, no fused multiply-add) and with
``error_model="numpy"`` (a division by zero gives inf / nan, as in NumPy), so every
draw's outcome is bit-identical to the NumPy path's whatever the batch;
``tests/deterrence/test_kernel.py`` checks that draw by draw. The one difference: a
NaN decision time (possible only with a zero median decision time and a quantile
that rounds to 1) counts as late here, where the NumPy path fails on an invalid index.

Compilation: ``numba.njit(cache=True, nogil=True)``. The first call in a fresh
environment compiles (several seconds; ``benchmarks/bench_deterrence.py`` measures
it); later processes load the machine code from Numba's cache (``__pycache__`` next
to this file, or ``NUMBA_CACHE_DIR``). ``nogil`` lets ``simulate(..., workers=2)`` run
two batches at once. Importing this module imports Numba, so
:mod:`alliance.deterrence.engine` imports it only when a batch is evaluated: commands
that never simulate do not pay for it.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

__all__ = [
    "forces_pass",
    "outcome_pass",
    "pairwise_sum",
    "stop_pass",
    "willingness_pass",
]

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]

# error_model="numpy": a float division by zero gives inf / nan as in NumPy, not an exception
_jit = numba.njit(cache=True, nogil=True, error_model="numpy")
# helpers called once or twice per draw are inlined into the passes (no per-call overhead)
_inline = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")

# NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src): below 8 terms a
# plain loop, up to _PW_BLOCK terms eight interleaved accumulators, beyond that halves.
_PW_BLOCK = 128


@_jit
def _pairwise_leaf(values: FloatArray, start: int, n: int) -> float:
    """NumPy's pairwise sum of at most ``_PW_BLOCK`` terms (no further halving)."""
    if n < 8:
        res = 0.0
        for i in range(start, start + n):
            res += values[i]
        return res
    r0 = values[start]
    r1 = values[start + 1]
    r2 = values[start + 2]
    r3 = values[start + 3]
    r4 = values[start + 4]
    r5 = values[start + 5]
    r6 = values[start + 6]
    r7 = values[start + 7]
    i = 8
    end = n - n % 8
    while i < end:
        j = start + i
        r0 += values[j]
        r1 += values[j + 1]
        r2 += values[j + 2]
        r3 += values[j + 3]
        r4 += values[j + 4]
        r5 += values[j + 5]
        r6 += values[j + 6]
        r7 += values[j + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += values[start + i]
        i += 1
    return float(res)


@_jit
def pairwise_sum(values: FloatArray, start: int, n: int) -> float:
    """Sum of ``values[start:start + n]`` in NumPy's pairwise order (``np.add.reduce``).

    ``np.sum(x, axis=1, dtype=np.float64)`` of a C-contiguous row gives
    ``0.0 + pairwise_sum(row)`` bit for bit (the reduction starts from the identity).
    Above ``_PW_BLOCK`` terms NumPy sums the two halves (the first a multiple of 8
    long) and adds them; that recursion runs here on an explicit stack (Numba's cache
    cannot hold a recursive function).
    """
    if n <= _PW_BLOCK:
        return _pairwise_leaf(values, start, n)
    depth = 3 * 64  # halving 2**63 terms needs 63 levels; each level holds at most 3 tasks
    task_start = np.empty(depth, dtype=np.int64)
    task_n = np.empty(depth, dtype=np.int64)
    task_combine = np.empty(depth, dtype=np.bool_)
    sums = np.empty(depth, dtype=np.float64)
    tasks = 1
    task_start[0] = start
    task_n[0] = n
    task_combine[0] = False
    done = 0
    while tasks > 0:
        tasks -= 1
        s = task_start[tasks]
        m = task_n[tasks]
        if task_combine[tasks]:
            done -= 1
            sums[done - 1] = sums[done - 1] + sums[done]
        elif m <= _PW_BLOCK:
            sums[done] = _pairwise_leaf(values, s, m)
            done += 1
        else:
            half = m // 2
            half -= half % 8
            # popped last to first: the left half, the right half, then their sum
            task_start[tasks] = s
            task_n[tasks] = m
            task_combine[tasks] = True
            task_start[tasks + 1] = s + half
            task_n[tasks + 1] = m - half
            task_combine[tasks + 1] = False
            task_start[tasks + 2] = s
            task_n[tasks + 2] = half
            task_combine[tasks + 2] = False
            tasks += 3
    return float(sums[0])


@_jit
def willingness_pass(
    u_probe: FloatArray, u_target: FloatArray, probe_cdf: FloatArray, target_cdf: FloatArray,
    odds: Float32Array, mood: FloatArray, u_willing: Float32Array, keep: np.float32,
    share: np.float32, one: np.float32, u_holdout: FloatArray, probe_type: IndexArray,
    target: IndexArray, n_holdouts: IndexArray, n_willing: IndexArray, willing: BoolArray,
    holdout_base: FloatArray, holdout_exponent: FloatArray,
) -> None:
    """Probe type, target and every ally's choice of each draw (fills the last seven arrays).

    With ``q = 1 + odds[k*A + t, i] * float32(mood)`` (float32; ``mood = exp(-sd z)``): ally i
    is willing iff ``u q < 1`` and blocks consensus iff ``u q > q keep + share``
    (``keep = 1 - holdout_share``, ``share = holdout_share``; all float32 scalars). The
    slowest holdout's quantile is ``holdout_base ** holdout_exponent`` with
    ``holdout_base = max(u_holdout, 1e-300)`` and ``holdout_exponent = 1 / max(n, 1)``.
    """
    n, a = u_willing.shape
    n_types = probe_cdf.shape[0]
    for d in range(n):
        # np.searchsorted(cdf, u, side="right"): the number of cdf entries <= u
        k = 0
        for j in range(n_types):
            k += probe_cdf[j] <= u_probe[d]
        t = 0
        for j in range(a):
            t += target_cdf[j] <= u_target[d]
        probe_type[d] = min(k, n_types - 1)
        target[d] = min(t, a - 1)
    # a second loop over the draws keeps the ally loop simple enough to vectorise
    for d in range(n):
        row = probe_type[d] * a + target[d]
        m = np.float32(mood[d])  # the NumPy path's astype(np.float32)
        holdouts = 0
        yes = 0
        for i in range(a):
            q = odds[row, i] * m + one
            uq = u_willing[d, i] * q
            w = uq < one
            willing[d, i] = w
            yes += w
            holdouts += uq > q * keep + share
        n_holdouts[d] = holdouts
        n_willing[d] = yes
        u = u_holdout[d]
        holdout_base[d] = u if u >= 1e-300 or u != u else 1e-300  # np.maximum(u, 1e-300)
        holdout_exponent[d] = 1.0 / max(holdouts, 1)


@_inline
def _minimum(a: float, b: float) -> float:
    """``np.minimum`` of two floats (a NaN propagates)."""
    if a != a or a <= b:
        return a
    return b


@_jit
def forces_pass(
    probe_type: IndexArray, target: IndexArray, n_holdouts: IndexArray, n_willing: IndexArray,
    willing: BoolArray, base_h: FloatArray, slowest_h: FloatArray, formation_delay_h: FloatArray,
    u_objective: FloatArray, time_to_objective_min_h: FloatArray,
    time_to_objective_span_h: FloatArray, coalition_min_members: int,
    plan_consensus_h: FloatArray, plan_formation_h: float, curve: Float32Array,
    curve_cols: IndexArray, self_curve: FloatArray, hours: int, own_power: FloatArray,
    forward_power: Float32Array, forward_total: FloatArray, forward_at_once: bool,
    warning_h: float, coverage: float, adversary_force: FloatArray, scratch: FloatArray,
    consensus_h: FloatArray, decision_h: FloatArray, formed: BoolArray, t_obj_h: FloatArray,
    force_ratio: FloatArray, plan_ratio: FloatArray,
) -> None:
    """Decision times, combat power and force ratios of each draw (fills the last six).

    ``plan_consensus_h[n]``: the adversary's typical consensus time with n holdouts;
    ``plan_formation_h``: its typical coalition time (both from the engine);
    ``scratch``: float64 work space of at least ``max(len(curve_cols), n_allies)``.
    Combat power as the engine's ``_power_on_time``, once at the draw's own timings
    and once at the adversary's planning timings.
    """
    # Long by design: one compiled loop over draws (Numba), the steps of the force model in
    # the order of engine.evaluate_numpy, which it must match bit for bit.
    n = probe_type.shape[0]
    c_count = curve_cols.shape[0]
    a = forward_power.shape[1]
    for d in range(n):
        k = probe_type[d]
        t = target[d]
        nh = n_holdouts[d]
        base = base_h[d]
        consensus = base + (slowest_h[d] if nh > 0 else 0.0)
        coalition = nh > 0 and n_willing[d] - 1 >= coalition_min_members
        formation = base + formation_delay_h[d]
        decision = _minimum(consensus, formation) if coalition else consensus
        t_obj = time_to_objective_min_h[k] + time_to_objective_span_h[k] * u_objective[d]
        consensus_h[d] = consensus
        decision_h[d] = decision
        formed[d] = coalition
        t_obj_h[d] = t_obj
        plan_consensus = plan_consensus_h[nh]
        plan_decision = (_minimum(plan_consensus, plan_formation_h) if coalition
                         else plan_consensus)
        plan_t_obj = time_to_objective_min_h[k] + 0.5 * time_to_objective_span_h[k]
        for case in range(2):
            # combat power in t's theatre when the objective falls (engine._power_on_time)
            objective = t_obj if case == 0 else plan_t_obj
            slack = (objective - (decision if case == 0 else plan_decision)) + warning_h
            on_time = slack >= 0.0
            hour_f = np.floor(slack) if slack > 0.0 else 0.0
            row = t * (hours + 1) + (hours if hour_f > hours else int(hour_f))
            power = own_power[t]
            if c_count > 0:
                if c_count < 8:  # NumPy's pairwise sum of fewer than 8 terms: a plain loop
                    arrivals = 0.0
                    for c in range(c_count):
                        arrived = np.float64(curve[row, c])
                        arrivals += arrived if on_time and willing[d, curve_cols[c]] else 0.0
                else:
                    for c in range(c_count):
                        arrived = np.float64(curve[row, c])
                        scratch[c] = arrived if on_time and willing[d, curve_cols[c]] else 0.0
                    arrivals = (_pairwise_leaf(scratch, 0, c_count) if c_count <= _PW_BLOCK
                                else pairwise_sum(scratch, 0, c_count))
                power = power + (0.0 + arrivals)
                own_f = np.floor(objective + warning_h)
                own_row = t * (hours + 1) + (hours if own_f > hours else int(own_f))
                at_slack = self_curve[row]
                power = power + (self_curve[own_row] - (at_slack if on_time else 0.0))
            if forward_at_once:
                power = power + forward_total[t]
            else:
                for i in range(a):
                    held = np.float64(forward_power[t, i])
                    scratch[i] = held if on_time and willing[d, i] else 0.0
                power = power + (0.0 + (_pairwise_leaf(scratch, 0, a) if a <= _PW_BLOCK
                                        else pairwise_sum(scratch, 0, a)))
            ratio = coverage * (0.0 if power < 0.0 else power) / adversary_force[k]
            if case == 0:
                force_ratio[d] = ratio
            else:
                plan_ratio[d] = ratio


@_jit
def stop_pass(
    probe_type: IndexArray, powered: FloatArray, plan_powered: FloatArray,
    midpoint_pow: FloatArray, p_clip: float, p_stop: FloatArray, plan_p_stop: FloatArray,
) -> None:
    """P(stop) = r^s / (r^s + m^s) per draw, and the plan's, clipped to [p_clip, 1 - p_clip]."""
    hi = 1.0 - p_clip
    for d in range(probe_type.shape[0]):
        mid = midpoint_pow[probe_type[d]]
        p_stop[d] = powered[d] / (powered[d] + mid)
        pc = plan_powered[d] / (plan_powered[d] + mid)
        # np.clip(pc, lo, hi): a NaN stays NaN
        pc = p_clip if pc < p_clip else pc
        plan_p_stop[d] = hi if pc > hi else pc


@_jit
def outcome_pass(
    probe_type: IndexArray, log_pc: FloatArray, log1m_pc: FloatArray, z_perception: FloatArray,
    perception_noise_logit: float, probe_threshold_logit: FloatArray, consensus_h: FloatArray,
    decision_h: FloatArray, t_obj_h: FloatArray, formed: BoolArray, u_stop: FloatArray,
    p_stop: FloatArray, probe: BoolArray, undivided: BoolArray, coalition: BoolArray,
    fait_accompli: BoolArray,
) -> None:
    """The adversary probes iff its noisy logit of P(stop) is below the threshold; outcomes."""
    for d in range(probe_type.shape[0]):
        perceived = (log_pc[d] - log1m_pc[d]) + perception_noise_logit * z_perception[d]
        p = perceived < probe_threshold_logit[probe_type[d]]
        u = p and consensus_h[d] <= t_obj_h[d]
        probe[d] = p
        undivided[d] = u
        coalition[d] = p and not u and formed[d] and decision_h[d] <= t_obj_h[d]
        fait_accompli[d] = p and not (u_stop[d] < p_stop[d])
