"""The vectorised engine: reproducibility, output contract, calibration."""

from __future__ import annotations

import numpy as np
import pandas.testing as pdt
import pytest

from alliance.deterrence import (
    OUTPUT_COLUMNS,
    PROBABILITY_OUTPUTS,
    simulate,
    simulate_draws,
)
from alliance.deterrence.engine import AllyGeometry, willingness_means
from alliance.deterrence.inputs import validate_allies
from alliance.deterrence.willingness import logit_normal_location
from alliance.params import BLOCK_DRAWS, PROBE_TYPES, DeterrenceParams
from tests.deterrence.deterrence_inputs import make_context, make_forces

DRAWS = 3 * BLOCK_DRAWS + 123  # a partial last block on purpose


def test_same_seed_same_numbers(params, allies, crisis_context):
    a = simulate(params, allies, crisis_context, DRAWS, seed=11)
    b = simulate(params, allies, crisis_context, DRAWS, seed=11)
    pdt.assert_frame_equal(a, b)
    c = simulate(params, allies, crisis_context, DRAWS, seed=12)
    assert not a["p_probe"].equals(c["p_probe"])


@pytest.mark.parametrize("batch_size", [BLOCK_DRAWS, 2 * BLOCK_DRAWS, 16 * BLOCK_DRAWS])
def test_batch_size_never_changes_results(params, allies, crisis_context, batch_size):
    ref = simulate(params, allies, crisis_context, DRAWS, seed=3, batch_size=4 * BLOCK_DRAWS)
    out = simulate(params, allies, crisis_context, DRAWS, seed=3, batch_size=batch_size)
    pdt.assert_frame_equal(ref, out, check_exact=True)


@pytest.mark.parametrize("workers", [2, 3])
def test_worker_count_never_changes_results(params, allies, crisis_context, workers):
    ref = simulate(params, allies, crisis_context, DRAWS, seed=5, batch_size=BLOCK_DRAWS)
    out = simulate(params, allies, crisis_context, DRAWS, seed=5, batch_size=BLOCK_DRAWS,
                   workers=workers)
    pdt.assert_frame_equal(ref, out, check_exact=True)


def test_draw_streams_do_not_depend_on_draw_count(params, allies, crisis_context):
    """Draw d is the same crisis whether 5000 or 9000 draws are run."""
    short = simulate_draws(params, allies, crisis_context, 5000, seed=9)
    long = simulate_draws(params, allies, crisis_context, 9000, seed=9)
    head = long.groupby("year").head(5000).reset_index(drop=True)
    pdt.assert_frame_equal(short.reset_index(drop=True), head)


def test_output_contract(params, allies, crisis_context):
    out = simulate(params, allies, crisis_context, 5000, seed=1)
    assert tuple(out.columns) == OUTPUT_COLUMNS
    assert out["year"].tolist() == [2026, 2035]
    assert [c for c in out.columns if c.startswith("p_") and not c.endswith("_stderr")] == list(
        PROBABILITY_OUTPUTS
    )
    for col in PROBABILITY_OUTPUTS:
        assert out[col].between(0.0, 1.0).all(), col
    parts = out["p_undivided_response"] + out["p_coalition_response"] + out["p_no_timely_decision"]
    np.testing.assert_allclose(parts, out["p_probe"])
    assert (out["p_fait_accompli"] <= out["p_probe"]).all()
    np.testing.assert_allclose(
        out["p_fait_accompli_given_probe"] * out["p_probe"], out["p_fait_accompli"]
    )
    assert (out["mean_decision_latency_h"] <= out["mean_consensus_latency_h"]).all()
    # standard error of a proportion: over all draws, or over the probes for the conditional
    for col in PROBABILITY_OUTPUTS:
        p = out[col]
        n = out["p_probe"] * 5000 if col == "p_fait_accompli_given_probe" else 5000
        np.testing.assert_allclose(out[f"{col}_stderr"], np.sqrt(p * (1 - p) / n), err_msg=col)


def test_reduced_us_commitment_raises_fait_accompli(params, allies, crisis_context):
    out = simulate(params, allies, crisis_context, 20000, seed=2).set_index("year")
    diff = out.loc[2035, "p_fait_accompli"] - out.loc[2026, "p_fait_accompli"]
    se = np.hypot(out.loc[2035, "p_fait_accompli_stderr"], out.loc[2026, "p_fait_accompli_stderr"])
    assert diff > 4 * se


def test_per_draw_table(params, allies, crisis_context):
    draws = simulate_draws(params, allies, crisis_context, 2000, seed=4)
    assert len(draws) == 4000
    assert set(draws["probe_type"]) == set(PROBE_TYPES)  # every type drawn at default weights
    assert (draws["consensus_latency_h"] >= draws["coalition_latency_h"]).all()
    assert not (draws["undivided_response"] & draws["coalition_response"]).any()
    assert (draws.loc[draws["fait_accompli"], "probe"]).all()


def test_base_reliability_reproduces_leeds_long_mitchell(allies):
    """Under reference conditions an ally's mean willingness is LLM 2000's 74.5 %."""
    p = DeterrenceParams(
        trust_in_alliance=1.0, trust_in_us=1.0, domestic_constraint=0.0,
        weight_proximity=0.0, weight_frontline=0.0,
    )
    geometry = AllyGeometry.build(p, validate_allies(allies))
    means = willingness_means(p, geometry, us_commitment=1.0)
    incursion = means[1]  # limited_incursion has no willingness shift
    np.testing.assert_allclose(incursion, 0.745)
    # and the logit-normal draw around it keeps that mean
    eta = logit_normal_location(0.745, p.willingness_mood_sd_logit)
    z = np.random.default_rng(0).standard_normal(400_000)
    w = 1.0 / (1.0 + np.exp(-(eta + p.willingness_mood_sd_logit * z)))
    assert abs(w.mean() - 0.745) < 4 * w.std() / np.sqrt(z.size)


@pytest.mark.parametrize("mean", [0.02, 0.22, 0.5, 0.745, 0.97])
@pytest.mark.parametrize("sd", [0.0, 0.7, 2.5])
def test_logit_normal_location_matches_mean(mean, sd):
    nodes, weights = np.polynomial.hermite_e.hermegauss(120)
    eta = float(logit_normal_location(mean, sd))
    m = (weights / np.sqrt(2 * np.pi)) @ (1.0 / (1.0 + np.exp(-(eta + sd * nodes))))
    assert abs(m - mean) < 1e-5


def test_rand_baltic_timing_and_no_timely_response(allies):
    """RAND (Shlapak & Johnson 2016): objective in 36-60 h; late answers mean a fait accompli."""
    p = DeterrenceParams(
        hybrid_sabotage={"weight": 0.0}, standoff_strikes={"weight": 0.0},
        decision_latency_multiplier=8.0,  # decisions take days
    )
    # nothing in place, nothing forward, and nobody arrives within four days
    none = make_forces([2030], own={}, baltic_forward={}, arrivals={})
    ctx = make_context(us=0.0, coverage=0.75, forces=none)
    draws = simulate_draws(p, allies, ctx, 20000, seed=6)
    assert (draws["probe_type"] == "limited_incursion").all()
    t = draws["time_to_objective_h"]
    assert t.min() >= 36.0 and t.max() <= 60.0
    assert abs(t.mean() - 48.0) < 0.3
    probes = draws[draws["probe"]]
    assert len(probes) > 0.9 * len(draws)
    assert probes["fait_accompli"].all()


def test_no_us_in_table_runs(params, allies, crisis_context):
    out = simulate(params, allies[allies["iso3"] != "USA"], crisis_context, 4096, seed=1)
    assert out[list(PROBABILITY_OUTPUTS)].notna().all().all()
    with_us = simulate(params, allies, crisis_context, 4096, seed=1)
    assert not out["p_fait_accompli"].equals(with_us["p_fait_accompli"])  # the US row counts
