"""Ukraine support draws on European production (issue 13, item 4): the lever reserves output.

The shares are named assumptions (``ukraine.shell_output_share``,
``interceptor_output_share``); the test checks what the lever does with them, not
their values: keep reserves the share, raise multiplies it (capped at 1), stop
frees the lines, and a plan with more output reserved never closes the shell gap
earlier.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.assessment import RunSettings, run_stages
from alliance.data import Dataset
from alliance.params import UkraineParams
from alliance.scenario import apply_overrides, load_scenario


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(1.0, 3.0))
def test_the_lever_orders_the_reserved_share(share: float, factor: float) -> None:
    p = {lever: UkraineParams(support=lever, shell_output_share=share,  # type: ignore[arg-type]
                              raise_output_factor=factor).output_share("ammunition_155mm")
         for lever in ("keep", "raise", "stop")}
    assert p["stop"] == 0.0
    assert p["keep"] == pytest.approx(share)
    assert p["keep"] <= p["raise"] <= 1.0
    assert UkraineParams().output_share("main_battle_tank") == 0.0


def test_more_output_for_ukraine_never_closes_the_shell_gap_earlier(dataset: Dataset) -> None:
    closure = {}
    for lever in ("stop", "keep", "raise"):
        sc = apply_overrides(load_scenario("europe-alone"), {"ukraine.support": lever})
        plan = run_stages(dataset, sc, RunSettings(draws=1, seed=0), until="planning").need("plan")
        row = plan.closure.set_index("capability").loc["ammunition_155mm"]
        closure[lever] = row["closure_year"] if row["closure_year"] == row["closure_year"] else 9999
        said = [a for a in plan.assumptions if a.startswith("ammunition_155mm") and "Ukraine" in a]
        assert bool(said) == (lever != "stop")
    assert closure["stop"] <= closure["keep"] <= closure["raise"]
