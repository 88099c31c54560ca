"""Sobol sensitivity: a tidy table, reproducible, sensible ranking."""

from __future__ import annotations

import pandas.testing as pdt
import pytest

from alliance.deterrence import LEVERS, sobol_sensitivity
from alliance.errors import ModelError


def test_sobol_table(params, allies, crisis_context):
    out = sobol_sensitivity(params, allies, crisis_context, year=2035, n_base=32, draws=1024,
                            seed=3)
    assert list(out.columns) == ["output", "lever", "S1", "S1_conf", "ST", "ST_conf"]
    assert len(out) == 2 * len(LEVERS)
    assert set(out["output"]) == {"p_fait_accompli", "p_probe"}
    assert set(out["lever"]) == set(LEVERS)
    assert out[["S1", "S1_conf", "ST", "ST_conf"]].notna().all().all()
    assert (out["ST_conf"] > 0).all()  # a bootstrap interval, not a placeholder zero
    again = sobol_sensitivity(params, allies, crisis_context, year=2035, n_base=32, draws=1024,
                              seed=3)
    pdt.assert_frame_equal(out, again)


def test_irrelevant_lever_has_small_total_index(params, allies, crisis_context):
    """Capability coverage matters far more than a lever with a tiny range."""
    levers = {"capability_coverage": (0.2, 1.5), "trust_in_us": (0.69, 0.71)}
    out = sobol_sensitivity(params, allies, crisis_context, levers=levers, n_base=64, draws=2048,
                            seed=1, outputs=("p_fait_accompli",)).set_index("lever")
    assert out.loc["capability_coverage", "ST"] > 5 * max(out.loc["trust_in_us", "ST"], 0.01)


def test_sobol_errors(params, allies, crisis_context):
    with pytest.raises(ModelError, match="unknown"):
        sobol_sensitivity(params, allies, crisis_context, levers={"moon_phase": (0, 1)})
    with pytest.raises(ModelError, match="power of 2"):
        sobol_sensitivity(params, allies, crisis_context, n_base=100)
    with pytest.raises(ModelError, match="year 1999"):
        sobol_sensitivity(params, allies, crisis_context, year=1999)
