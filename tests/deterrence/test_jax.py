"""The optional JAX backend computes the same model (skipped without JAX)."""

from __future__ import annotations

import numpy as np
import pandas.testing as pdt
import pytest

from alliance.deterrence import simulate
from alliance.params import BLOCK_DRAWS

jax = pytest.importorskip("jax")

CHECKED = ("p_probe", "p_undivided_response", "p_coalition_response", "p_fait_accompli",
           "mean_decision_latency_h")


def test_jax_agrees_with_numpy(params, allies, crisis_context):
    draws = 5 * BLOCK_DRAWS + 17
    vec = simulate(params, allies, crisis_context, draws, seed=8)
    jx = simulate(params, allies, crisis_context, draws, seed=8, backend="jax")
    assert jx["backend"].eq("jax").all()
    for col in CHECKED:
        se = np.hypot(vec[f"{col}_stderr"], jx[f"{col}_stderr"])
        assert (np.abs(vec[col] - jx[col]) < 4 * se + 1e-9).all(), col


def test_jax_batch_size_never_changes_results(params, allies, crisis_context):
    draws = 3 * BLOCK_DRAWS + 5
    a = simulate(params, allies, crisis_context, draws, seed=2, backend="jax",
                 batch_size=BLOCK_DRAWS)
    b = simulate(params, allies, crisis_context, draws, seed=2, backend="jax",
                 batch_size=4 * BLOCK_DRAWS)
    pdt.assert_frame_equal(a, b, check_exact=True)
