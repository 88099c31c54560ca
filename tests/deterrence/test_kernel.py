"""The compiled kernel gives the plain-NumPy path's numbers bit for bit (issue 11, item 7).

``engine.evaluate`` (Numba passes, with every exp / power / ndtri / log left to NumPy and
SciPy) must reproduce ``engine.evaluate_numpy`` (the model as plain NumPy array
operations, the engine before issue 11 item 7, kept as the reference path) exactly:
every per-draw outcome and every float bit, for the bundled scenarios, hand-built and
random inputs, any batch size and 1 or 2 threads. These are equality checks, not
tolerances: one flipped draw or one differing last bit fails them.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.deterrence import engine, simulate, simulate_draws
from alliance.deterrence.engine import (
    Outcomes,
    batch_randoms,
    block_sizes,
    evaluate,
    evaluate_numpy,
    year_tables,
)
from alliance.deterrence.inputs import ForceInputs, YearForces, attach_forces
from alliance.params import BLOCK_DRAWS, DeterrenceParams
from tests.deterrence.deterrence_inputs import make_context, make_forces

DRAWS = 3 * BLOCK_DRAWS + 123  # a partial last block on purpose
BUNDLED = ("baseline", "eastern-flank-surge", "europe-alone", "us-drawdown")


def assert_identical(fused: Outcomes, reference: Outcomes) -> None:
    """Every field: same dtype, same shape, same bytes (so also the same NaN and -0.0)."""
    for name, got, want in zip(Outcomes._fields, fused, reference, strict=True):
        assert got.dtype == want.dtype, name
        assert got.shape == want.shape, name
        same = np.ascontiguousarray(got).tobytes() == np.ascontiguousarray(want).tobytes()
        if not same:
            bad = np.flatnonzero(got != want)
            raise AssertionError(f"{name}: {bad.size} draws differ, first {bad[:5]}")


@pytest.fixture(autouse=True)
def always_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """simulate / simulate_draws take the compiled kernel for runs of any size here
    (outside these tests small runs may take the NumPy path: ``batch_evaluator``)."""
    monkeypatch.setattr(engine, "KERNEL_MIN_DRAW_YEARS", 0)


def _same_runs(run, monkeypatch: pytest.MonkeyPatch) -> None:
    """``run()`` through the compiled kernel and through the reference path: equal frames."""
    fused = run()
    with monkeypatch.context() as m:
        m.setattr(engine, "evaluate", evaluate_numpy)
        reference = run()
    pdt.assert_frame_equal(fused, reference, check_exact=True)


# --- the summation order -------------------------------------------------------------


@pytest.mark.parametrize("n", [*range(0, 140), 255, 256, 257, 1000, BLOCK_DRAWS, 10_001])
def test_pairwise_sum_is_numpys_order(n):
    """Values spanning 16 orders of magnitude, so the order of the additions shows."""
    from alliance.deterrence.kernel import pairwise_sum

    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 9, n)
    assert (0.0 + pairwise_sum(x, 0, n)) == np.add.reduce(x, dtype=np.float64)
    if n > 8192:
        return  # NumPy casts float32 rows through 8192-element buffers: rows of allies are shorter
    # a row of a float32 matrix summed as float64, as in the engine's combat power
    rows = x.astype(np.float32).reshape(1, n)
    assert (0.0 + pairwise_sum(rows[0].astype(np.float64), 0, n)) == rows.sum(
        axis=1, dtype=np.float64)[0]


def test_order_matters_for_those_values():
    """The data above would catch a different order (so the test above can fail)."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal(100) * 10.0 ** rng.integers(-8, 9, 100)
    sequential = 0.0
    for value in x:
        sequential += value
    assert sequential != np.add.reduce(x)


def test_plan_consensus_table_matches_the_per_draw_expression(params, allies, crisis_context):
    """The adversary's typical consensus time, tabulated by holdout count, equals the
    reference path's per-draw expression for every count 0..A (the whole domain)."""
    from scipy.special import ndtri

    _, tables = year_tables(params, allies, crisis_context)
    tab = tables[0][1]
    a = len(allies)
    counts = np.random.default_rng(0).permutation(np.repeat(np.arange(a + 1), 997))
    per_draw = np.exp(tab.base_log_median_h) + np.where(
        counts > 0,
        np.exp(tab.holdout_log_median_h
               + tab.holdout_sigma * ndtri(0.5 ** (1.0 / np.maximum(counts, 1)))),
        0.0,
    )
    table = engine._plan_consensus_h(tab, a)
    assert table[counts].tobytes() == per_draw.tobytes()


# --- the bundled scenarios -----------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_inputs() -> dict[str, tuple[pd.DataFrame, pd.DataFrame, DeterrenceParams]]:
    """Allies, context (with the mobility stage's forces) and parameters per scenario."""
    from alliance.assessment import RunSettings, deterrence_inputs, run_stages
    from alliance.data import load_dataset
    from alliance.scenario import load_scenario

    dataset = load_dataset()
    out = {}
    for name in BUNDLED:
        scenario = load_scenario(name)
        upstream = run_stages(dataset, scenario, RunSettings(draws=1, seed=0), until="planning")
        allies, context = deterrence_inputs(dataset, scenario, upstream.need("gaps_after_plan"))
        out[name] = (allies, context, scenario.deterrence)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenarios_every_year_draw_by_draw(bundled_inputs, name):
    allies, context, params = bundled_inputs[name]
    _, tables = year_tables(params, allies, context)
    randoms = batch_randoms(20260, 0, block_sizes(DRAWS), len(allies))
    for row, tab in tables:
        try:
            assert_identical(evaluate(randoms, tab), evaluate_numpy(randoms, tab))
        except AssertionError as exc:
            raise AssertionError(f"{name} {int(row['year'])}: {exc}") from exc


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenarios_per_draw_table_and_summary(bundled_inputs, name, monkeypatch):
    allies, context, params = bundled_inputs[name]
    _same_runs(lambda: simulate_draws(params, allies, context, DRAWS, seed=5), monkeypatch)
    _same_runs(lambda: simulate(params, allies, context, DRAWS, seed=5), monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize(("batch_size", "workers"),
                         [(BLOCK_DRAWS, 1), (2 * BLOCK_DRAWS, 2), (16 * BLOCK_DRAWS, 1),
                          (BLOCK_DRAWS, 2)])
def test_bundled_baseline_any_batch_any_threads(bundled_inputs, batch_size, workers,
                                                monkeypatch):
    """The fused kernel in any batching and 1 or 2 threads = the reference path in one."""
    allies, context, params = bundled_inputs["baseline"]
    context = context.loc[context["year"].isin([2026, 2035])]
    context.attrs.update(bundled_inputs["baseline"][1].attrs)
    draws = 5 * BLOCK_DRAWS + 17
    fused = simulate(params, allies, context, draws, seed=8, batch_size=batch_size,
                     workers=workers)
    with monkeypatch.context() as m:
        m.setattr(engine, "evaluate", evaluate_numpy)
        reference = simulate(params, allies, context, draws, seed=8, batch_size=BLOCK_DRAWS)
    pdt.assert_frame_equal(fused, reference, check_exact=True)


# --- hand-built and random inputs ----------------------------------------------------


def test_hand_built_inputs_every_parameter_path(allies, crisis_context, monkeypatch):
    """Forward forces waiting for their government, strategic warning, a coalition of
    one, no holdouts at all: every branch of the kernel against the reference path."""
    variants = [
        DeterrenceParams(),
        DeterrenceParams(forward_forces_fight_at_once=False),
        DeterrenceParams(strategic_warning_h=48.0, decision_latency_multiplier=0.5),
        DeterrenceParams(coalition_min_members=1, holdout_share_of_unwilling=0.9),
        DeterrenceParams(holdout_share_of_unwilling=0.0, willingness_mood_sd_logit=0.0),
        DeterrenceParams(trust_in_alliance=0.0, trust_in_us=0.0, success_slope=1.0),
        DeterrenceParams(decision_latency_multiplier=0.0),  # every decision at hour 0
    ]
    for params in variants:
        _same_runs(lambda p=params: simulate_draws(p, allies, crisis_context, DRAWS, seed=2),
                   monkeypatch)
    # no capability at all (every force ratio 0, P(stop) 0) and no US commitment
    bare = make_context(us=0.0, coverage=0.0)
    _same_runs(lambda: simulate_draws(DeterrenceParams(), allies, bare, DRAWS, seed=2),
               monkeypatch)


def _random_inputs(n_allies: int, active: int, hours: int, seed: int,
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random allies (capitals in Europe) and forces with ``active`` allies arriving."""
    rng = np.random.default_rng(seed)
    iso3 = tuple(f"A{i:02d}" for i in range(n_allies))
    allies = pd.DataFrame({
        "iso3": iso3, "name": iso3, "borders_russia_belarus": rng.random(n_allies) < 0.3,
        "capital_lat": rng.uniform(36.0, 65.0, n_allies),
        "capital_lon": rng.uniform(-10.0, 30.0, n_allies),
    })
    steps = rng.random((n_allies, hours + 1, n_allies)) < 0.04
    curve = np.cumsum(steps * rng.uniform(0.1, 3.0, steps.shape), axis=1).astype(np.float32)
    curve[:, :, rng.permutation(n_allies)[active:]] = 0.0
    forward = np.where(rng.random((n_allies, n_allies)) < 0.1,
                       rng.uniform(0.1, 2.0, (n_allies, n_allies)), 0.0)
    forces = YearForces(iso3=iso3, own=rng.uniform(0.0, 8.0, n_allies), forward=forward,
                        curve=curve)
    context = pd.DataFrame({"year": [2030], "us_forces_in_place": [0.4],
                            "us_reinforcements": [0.6], "capability_coverage": [0.9]})
    return allies, attach_forces(context, ForceInputs(years={2030: forces}, source="random"))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n_allies=st.integers(2, 40), active_share=st.floats(0.0, 1.0),
       hours=st.integers(0, 80), at_once=st.booleans(), warning_h=st.sampled_from([0.0, 30.0]),
       latency=st.floats(0.25, 4.0), share=st.floats(0.0, 1.0), members=st.integers(0, 4),
       seed=st.integers(0, 2**31))
def test_random_inputs_draw_by_draw(n_allies, active_share, hours, at_once, warning_h, latency,
                                    share, members, seed):
    """Property: up to 40 allies, any number with arrivals (the 8-accumulator sums from 8
    on), any closure window and parameters: outcomes identical to the reference path."""
    allies, context = _random_inputs(n_allies, round(active_share * n_allies), hours, seed)
    params = DeterrenceParams(
        us_iso3="XXX", forward_forces_fight_at_once=at_once, strategic_warning_h=warning_h,
        decision_latency_multiplier=latency, holdout_share_of_unwilling=share,
        coalition_min_members=members)
    _, tables = year_tables(params, allies, context)
    randoms = batch_randoms(seed, 0, block_sizes(BLOCK_DRAWS + 5), n_allies)
    assert_identical(evaluate(randoms, tables[0][1]), evaluate_numpy(randoms, tables[0][1]))


def test_hand_built_worker_threads_and_batches(params, allies, crisis_context, monkeypatch):
    for batch_size, workers in ((BLOCK_DRAWS, 2), (8 * BLOCK_DRAWS, 1)):
        fused = simulate(params, allies, crisis_context, DRAWS, seed=4, batch_size=batch_size,
                         workers=workers)
        with monkeypatch.context() as m:
            m.setattr(engine, "evaluate", evaluate_numpy)
            reference = simulate(params, allies, crisis_context, DRAWS, seed=4)
        pdt.assert_frame_equal(fused, reference, check_exact=True)


def test_eight_allies_all_arriving_use_the_accumulator_sum(allies, monkeypatch):
    """Eight allies with arrivals: the combat-power sum has 8 terms (NumPy's unrolled
    pairwise block, not the plain loop below 8)."""
    arrivals = {c: ((h, 0.1 + 0.37 * i),) for i, (c, h) in enumerate(
        zip(allies["iso3"], (3, 7, 11, 19, 23, 29, 31, 37), strict=True))}
    forces = make_forces([2030], arrivals=arrivals)
    context = make_context(forces=forces)
    _, tables = year_tables(DeterrenceParams(), allies, context)
    assert tables[0][1].curve_cols.size == 8
    _same_runs(lambda: simulate_draws(DeterrenceParams(), allies, context, DRAWS, seed=3),
               monkeypatch)


# --- compilation and start-up --------------------------------------------------------


def test_kernel_is_compiled_cached_nogil_and_without_fastmath():
    from alliance.deterrence import kernel

    for fn in (kernel.willingness_pass, kernel.forces_pass, kernel.stop_pass,
               kernel.outcome_pass, kernel.pairwise_sum):
        options = fn.targetoptions
        assert options.get("nogil") is True, fn
        assert not options.get("fastmath"), fn
        assert options.get("error_model") == "numpy", fn
        assert fn._cache.__class__.__name__ == "FunctionCache", fn  # cache=True


def test_small_runs_in_a_fresh_process_skip_loading_the_kernel(monkeypatch):
    """The choice of path: the kernel once loaded or for a big run, else plain NumPy."""
    from alliance.deterrence import kernel

    monkeypatch.setattr(engine, "KERNEL_MIN_DRAW_YEARS", 2_000_000)
    monkeypatch.delitem(sys.modules, "alliance.deterrence.kernel")
    assert engine.batch_evaluator(1_999_999) is evaluate_numpy
    assert engine.batch_evaluator(2_000_000) is evaluate
    monkeypatch.setitem(sys.modules, "alliance.deterrence.kernel", kernel)  # loaded
    assert engine.batch_evaluator(1) is evaluate


def test_numba_is_imported_only_when_a_batch_is_evaluated():
    code = ("import sys, alliance.cli, alliance.deterrence, alliance.deterrence.engine; "
            "print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.strip()
    assert out == "False"
