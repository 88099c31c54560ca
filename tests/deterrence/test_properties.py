"""Properties of the model, checked with hypothesis on common random numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.deterrence import simulate, simulate_draws
from alliance.params import DeterrenceParams
from tests.deterrence.deterrence_inputs import make_allies, make_context

ALLIES = make_allies()
DRAWS = 4096
# With common random numbers (same seed) the model is monotone draw by draw, so the
# check is far tighter than Monte Carlo error (4 standard errors would be ~0.03):
# at most one draw may flip through float32 rounding at a threshold.
TOLERANCE = 1.0 / DRAWS
SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _fa(params: DeterrenceParams, us: float, coverage: float, seed: int) -> tuple[float, float]:
    row = simulate(params, ALLIES, make_context(us=us, coverage=coverage), DRAWS, seed).iloc[0]
    return float(row["p_fait_accompli"]), float(row["p_fait_accompli_stderr"])


fraction = st.floats(0.0, 1.0, allow_nan=False)


@SETTINGS
@given(low=fraction, high=fraction, us=fraction, coverage=st.floats(0.2, 1.5),
       seed=st.integers(0, 2**31))
def test_more_trust_never_raises_fait_accompli(low, high, us, coverage, seed):
    low, high = sorted((low, high))
    base = DeterrenceParams()
    p_low, se_low = _fa(base.model_copy(update={"trust_in_alliance": low}), us, coverage, seed)
    p_high, se_high = _fa(base.model_copy(update={"trust_in_alliance": high}), us, coverage, seed)
    assert p_high <= p_low + TOLERANCE


@SETTINGS
@given(low=fraction, high=fraction, trust_us=fraction, seed=st.integers(0, 2**31))
def test_more_trust_in_us_never_raises_fait_accompli(low, high, trust_us, seed):
    low, high = sorted((low, high))
    base = DeterrenceParams()
    p_low, se_low = _fa(base.model_copy(update={"trust_in_us": low}), 1.0, 0.8, seed)
    p_high, se_high = _fa(base.model_copy(update={"trust_in_us": high}), 1.0, 0.8, seed)
    assert p_high <= p_low + TOLERANCE


@SETTINGS
@given(low=fraction, high=fraction, coverage=st.floats(0.2, 1.5), seed=st.integers(0, 2**31))
def test_more_us_commitment_never_raises_fait_accompli(low, high, coverage, seed):
    low, high = sorted((low, high))
    params = DeterrenceParams()
    p_low, se_low = _fa(params, low, coverage, seed)
    p_high, se_high = _fa(params, high, coverage, seed)
    assert p_high <= p_low + TOLERANCE


@SETTINGS
@given(
    base_h=st.floats(0.0, 96.0), holdout_h=st.floats(0.0, 200.0),
    formation_h=st.floats(0.0, 200.0), share=fraction, sigma=st.floats(0.0, 2.0),
    members=st.integers(0, 8), seed=st.integers(0, 2**31),
)
def test_unanimity_never_faster_than_coalition(base_h, holdout_h, formation_h, share, sigma,
                                               members, seed):
    params = DeterrenceParams(
        decision_base_median_h=base_h, holdout_delay_median_h=holdout_h,
        coalition_formation_median_h=formation_h, holdout_share_of_unwilling=share,
        holdout_delay_sigma=sigma, coalition_formation_sigma=sigma,
        coalition_min_members=members,
    )
    draws = simulate_draws(params, ALLIES, make_context(us=0.5), 2000, seed)
    consensus = draws["consensus_latency_h"].to_numpy()
    coalition = draws["coalition_latency_h"].to_numpy()
    assert np.all(consensus >= coalition)
    # a coalition is only faster when someone blocks consensus
    faster = coalition < consensus
    assert np.all(draws.loc[faster, "n_holdouts"] > 0)
    assert np.all(draws.loc[faster, "coalition_formed"])
