"""The vectorised engine agrees with the agent-by-agent reference within Monte Carlo error."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.deterrence import simulate, simulate_reference
from alliance.params import DeterrenceParams
from tests.deterrence.deterrence_inputs import make_context

CHECKED = (
    "p_probe",
    "p_undivided_response",
    "p_coalition_response",
    "p_fait_accompli",
    "mean_decision_latency_h",
    "mean_consensus_latency_h",
)

SETTINGS = {
    "defaults, full US commitment": ({}, make_context(us=1.0, coverage=0.8)),
    "low trust, US gone": (
        {"trust_in_alliance": 0.3, "trust_in_us": 0.2}, make_context(us=0.0, coverage=0.5)
    ),
    "slow decisions, many holdouts": (
        {"decision_latency_multiplier": 2.0, "holdout_share_of_unwilling": 0.8,
         "coalition_min_members": 3},
        make_context(us=0.5, coverage=1.0),
    ),
    "Berkemeier-Fuhrmann 1945-2003 reliability": (
        {"base_reliability": 0.22, "willingness_mood_sd_logit": 2.0},
        make_context(us=0.7, coverage=0.7),
    ),
}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_engine_agrees_with_reference(name, allies):
    update, context = SETTINGS[name]
    params = DeterrenceParams(**update)
    ref = simulate_reference(params, allies, context, 2500, seed=21).iloc[0]
    vec = simulate(params, allies, context, 40000, seed=22).iloc[0]
    for col in CHECKED:
        se = np.hypot(ref[f"{col}_stderr"], vec[f"{col}_stderr"])
        assert abs(ref[col] - vec[col]) < 4 * se + 1e-12, (col, ref[col], vec[col], se)


def test_reference_is_reproducible(params, allies):
    context = make_context()
    a = simulate_reference(params, allies, context, 300, seed=5)
    b = simulate_reference(params, allies, context, 300, seed=5)
    assert a.equals(b)
