"""Deterrence on forces: the force ratio, RAND's calibration, and monotone properties.

The force ratio when the objective falls = capability coverage x NATO combat power
in the target's theatre / the adversary's force for the probe (docs/deterrence.md).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.deterrence import simulate, simulate_draws
from alliance.params import DeterrenceParams
from tests.deterrence.deterrence_inputs import ISO3, make_allies, make_context, make_forces

ALLIES = make_allies()
BALTIC = ("EST", "LVA", "LTU")
INCURSION_ONLY = {"hybrid_sabotage": {"weight": 0.0}, "standoff_strikes": {"weight": 0.0}}

#: RAND RR-1253 (Shlapak & Johnson 2016), key findings, wording as published:
RAND_WORDING = (
    "Having a force of about seven brigades, including three heavy armored brigades - "
    "adequately supported by airpower, land-based fires, and other enablers on the ground and "
    "ready to fight at the onset of hostilities - might prevent such an outcome."
)
#: "Rare": at most this share of incursion crises against a Baltic state ends in a fait
#: accompli (the threshold the calibration test names).
RARE = 0.05
#: "Most": more than this share of launched incursions ends in a fait accompli.
MOST = 0.5


def _baltic_incursions(params: DeterrenceParams, forces, us: float = 1.0, seed: int = 3):
    ctx = make_context(us=us, coverage=1.0, forces=forces)
    draws = simulate_draws(params, ALLIES, ctx, 40_000, seed)
    return draws.loc[draws["target_iso3"].isin(BALTIC)]


def test_force_ratio_is_coverage_times_power_over_adversary():
    """Consistency check: own forces only, nobody else: r = coverage x own / adversary."""
    params = DeterrenceParams(**INCURSION_ONLY)
    own = {c: 2.0 + i for i, c in enumerate(ISO3)}
    forces = make_forces([2030], own=own, baltic_forward={}, arrivals={})
    ctx = make_context(coverage=0.6, forces=forces)
    draws = simulate_draws(params, ALLIES, ctx, 4096, seed=1)
    expected = 0.6 * draws["target_iso3"].map(own) / params.limited_incursion.adversary_force
    np.testing.assert_allclose(draws["force_ratio"], expected, rtol=1e-12)
    m, s = params.limited_incursion.force_ratio_midpoint, params.success_slope
    r = draws["force_ratio"]
    np.testing.assert_allclose(draws["p_stop"], r**s / (r**s + m**s), rtol=1e-12)


def test_rand_2016_posture_most_incursions_end_in_fait_accompli():
    """RAND 2016: as postured then (national light forces, a few battalions forward, no
    fast reinforcement) Russian forces reach Tallinn or Riga in 36-60 h.

    Input: the Baltic states' own brigades of 2015 (one light brigade each, 0.6 power
    units; Lithuania's mechanised brigade, 1.0) and a few allied battalions (a third of
    a light brigade, 0.2), no arrivals within the window. Output: the share of launched
    incursions against a Baltic state that end in a fait accompli, and the time it takes.
    """
    params = DeterrenceParams(**INCURSION_ONLY)
    forces = make_forces([2030], own={"EST": 0.6, "LVA": 0.6, "LTU": 1.0},
                         baltic_forward={"USA": 0.2}, arrivals={})
    inc = _baltic_incursions(params, forces)
    launched = inc.loc[inc["probe"]]
    share = launched["fait_accompli"].mean()
    assert len(launched) > 1000
    assert share > MOST, share
    t = launched.loc[launched["fait_accompli"], "time_to_objective_h"]
    assert t.min() >= 36.0 and t.max() <= 60.0


def test_rand_seven_brigades_three_heavy_make_fait_accompli_rare():
    """RAND 2016 (wording in RAND_WORDING): about seven brigades, three heavy, in place
    at the start. Input: 3 heavy (x heavy_brigade_weight) + 4 medium brigades forward in
    the Baltic theatre, nothing else. Output: P(fait accompli) per incursion crisis
    against a Baltic state <= RARE (5 %), with and without the US tripwire."""
    params = DeterrenceParams(**INCURSION_ONLY)
    power = 3 * params.heavy_brigade_weight + 4 * params.medium_brigade_weight
    forces = make_forces([2030], own={}, baltic_forward={"DEU": power}, arrivals={})
    for us in (1.0, 0.0):
        inc = _baltic_incursions(params, forces, us=us)
        assert inc["fait_accompli"].mean() <= RARE, (us, inc["fait_accompli"].mean())
    # and the same posture without those brigades is not rare
    bare = make_forces([2030], own={"EST": 0.6, "LVA": 0.6, "LTU": 1.0}, baltic_forward={},
                       arrivals={})
    assert _baltic_incursions(params, bare, us=0.0)["fait_accompli"].mean() > 2 * RARE


def test_forward_forces_that_wait_for_their_government_count_less():
    at_once = DeterrenceParams(**INCURSION_ONLY)
    waiting = at_once.model_copy(update={"forward_forces_fight_at_once": False})
    ctx = make_context(us=0.3)
    a = simulate(at_once, ALLIES, ctx, 8192, seed=4).iloc[0]
    b = simulate(waiting, ALLIES, ctx, 8192, seed=4).iloc[0]
    assert b["mean_force_ratio"] < a["mean_force_ratio"]
    assert b["p_fait_accompli"] >= a["p_fait_accompli"] - 1.0 / 8192


def test_strategic_warning_lets_reinforcements_arrive():
    params = DeterrenceParams(**INCURSION_ONLY)
    warned = params.model_copy(update={"strategic_warning_h": 48.0})
    ctx = make_context()
    a = simulate(params, ALLIES, ctx, 8192, seed=5).iloc[0]
    b = simulate(warned, ALLIES, ctx, 8192, seed=5).iloc[0]
    assert b["mean_force_ratio_incursion"] > a["mean_force_ratio_incursion"]


def test_trust_lowers_fait_accompli_when_reinforcements_arrive_in_time():
    """With arrivals inside the window (the hand-built curves), more trust in the alliance
    lowers P(fait accompli) by more than 4 standard errors."""
    ctx = make_context(us=0.5)
    low = simulate(DeterrenceParams(trust_in_alliance=0.2), ALLIES, ctx, 20_000, seed=9).iloc[0]
    high = simulate(DeterrenceParams(trust_in_alliance=0.95), ALLIES, ctx, 20_000,
                    seed=9).iloc[0]
    se = np.hypot(low["p_fait_accompli_stderr"], high["p_fait_accompli_stderr"])
    assert low["p_fait_accompli"] - high["p_fait_accompli"] > 4 * se


DRAWS = 4096
SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _fa(forces, seed: int, us: float = 0.5) -> float:
    row = simulate(DeterrenceParams(), ALLIES, make_context(us=us, forces=forces), DRAWS,
                   seed).iloc[0]
    return float(row["p_fait_accompli"])


@SETTINGS
@given(low=st.floats(0.2, 3.0), high=st.floats(0.2, 3.0), seed=st.integers(0, 2**31))
def test_more_brigades_in_theatre_never_raise_fait_accompli(low, high, seed):
    """Property: scaling every brigade up (own, forward, arrivals) never raises P(FA).

    Common random numbers make the model monotone draw by draw; one draw of float32
    rounding at a threshold is allowed (well inside Monte Carlo error)."""
    low, high = sorted((low, high))
    assert _fa(make_forces([2030], scale=high), seed) <= _fa(
        make_forces([2030], scale=low), seed) + 1.0 / DRAWS


@SETTINGS
@given(shift=st.integers(0, 40), seed=st.integers(0, 2**31))
def test_earlier_arrivals_never_raise_fait_accompli(shift, seed):
    """Property: arrivals ``shift`` hours earlier (faster permits, more lift) never raise P(FA)."""
    from tests.deterrence.deterrence_inputs import ARRIVALS

    earlier = {a: tuple((max(h - shift, 0), p) for h, p in steps) for a, steps in ARRIVALS.items()}
    assert _fa(make_forces([2030], arrivals=earlier), seed) <= _fa(
        make_forces([2030]), seed) + 1.0 / DRAWS


def test_missing_forces_is_a_clear_error():
    from alliance.errors import ModelError

    bare = make_context().copy()
    bare.attrs.clear()
    with pytest.raises(ModelError, match="no forces"):
        simulate(DeterrenceParams(), ALLIES, bare, 100, seed=1)
    with pytest.raises(ModelError, match="year 2031"):
        simulate(DeterrenceParams(), ALLIES, make_context(years=(2031,), forces=make_forces(
            [2030])), 100, seed=1)
