"""force_inputs_from_closure on hand-made closure tables (power by hour, shifts, carries)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from alliance.deterrence.inputs import (
    brigade_power,
    force_inputs_from_closure,
    validate_allies,
    validate_context,
)
from alliance.errors import ModelError
from alliance.params import DeterrenceParams

ISO3 = ("AAA", "BBB", "CCC")
STEP_H = 12.0
HOURS = 40


def _tables(text_dtype: str | None) -> tuple[pd.DataFrame, ...]:
    curves = pd.DataFrame({
        "area": ["A1"] * 6,
        "ally": ["AAA", "AAA", "AAA", "BBB", "BBB", "ZZZ"],
        "brigade_type": ["heavy", "heavy", "heavy", "medium", "medium", "light"],
        "step": [0, 1, 2, 0, 2, 0],
        "hour": [0.0, 12.0, 24.0, 0.0, 24.0, 0.0],
        "brigades": [0.0, 1.0, 2.0, 0.5, 1.5, 9.0],
    })
    forward = pd.DataFrame({"target": ["AAA", "AAA", "XXX"], "ally": ["BBB", "BBB", "BBB"],
                            "brigade_type": ["light", "heavy", "heavy"],
                            "brigades": [1.0, 0.5, 7.0]})
    in_place = pd.DataFrame({"target": ["CCC", "CCC"], "brigade_type": ["medium", "heavy"],
                             "brigades": [2.0, 1.0]})
    targets = pd.DataFrame({"iso3": ["AAA", "CCC"], "area": ["A1", "A1"],
                            "has_area": [True, False], "extra_h": [0.0, 13.0]})
    frames = (curves, forward, in_place, targets)
    if text_dtype is not None:
        frames = tuple(f.astype({c: text_dtype for c in f.columns if f[c].dtype.kind in "OT"
                                 or str(f[c].dtype) == "str"}) for f in frames)
    return frames


@pytest.mark.parametrize("text_dtype", [None, "object"])
def test_power_by_hour_per_target_and_ally(text_dtype):
    params = DeterrenceParams()
    w = brigade_power(params)
    curves, forward, in_place, targets = _tables(text_dtype)
    f = force_inputs_from_closure(ISO3, forward, in_place, curves, targets, STEP_H,
                                  brigade_power(params), HOURS)
    assert f.own.tolist() == [0.0, 0.0, w["medium"] * 2.0 + w["heavy"] * 1.0]
    assert f.forward[0, 1] == w["light"] * 1.0 + w["heavy"] * 0.5
    assert np.count_nonzero(f.forward) == 1
    heavy = [w["heavy"] * b for b in (0.0, 1.0, 2.0)]
    medium = [w["medium"] * b for b in (0.5, 0.5, 1.5)]  # step 1 carries step 0
    expected = np.zeros((3, HOURS + 1, 3), dtype=np.float32)
    for h in range(HOURS + 1):
        step = min(math.floor(h / STEP_H + 1e-9), 2)
        expected[0, h, 0], expected[0, h, 1] = heavy[step], medium[step]
        late = math.floor((h - 13.0) / STEP_H + 1e-9)
        if late >= 0:  # CCC borrows A1 13 road hours away; its own curve is not there
            expected[2, h, 0], expected[2, h, 1] = heavy[min(late, 2)], medium[min(late, 2)]
    np.testing.assert_array_equal(f.curve, expected)
    assert f.curve.dtype == np.float32


def test_no_curves_gives_no_reinforcements():
    params = DeterrenceParams()
    _, forward, in_place, targets = _tables(None)
    empty = pd.DataFrame([], columns=["area", "ally", "brigade_type", "step", "hour",
                                      "brigades"])
    f = force_inputs_from_closure(ISO3, forward, in_place, empty, targets, STEP_H,
                                  brigade_power(params), HOURS)
    assert not f.curve.any() and f.curve.shape == (3, HOURS + 1, 3)


def test_validators_accept_text_numbers_and_name_bad_cells():
    allies = pd.DataFrame({"iso3": ["AAA", "BBB"], "name": ["A", "B"],
                           "borders_russia_belarus": [True, False],
                           "capital_lat": ["50.5", 51], "capital_lon": [10.0, 11.0]})
    clean = validate_allies(allies)
    assert clean["capital_lat"].dtype == np.float64
    assert clean["capital_lat"].tolist() == [50.5, 51.0]
    with pytest.raises(ModelError, match="capital_lon.*BBB"):
        validate_allies(allies.assign(capital_lon=[10.0, float("nan")]))
    context = pd.DataFrame({"year": [2031, 2030], "us_forces_in_place": [1, 0.5],
                            "us_reinforcements": [1.0, 1.0],
                            "capability_coverage": ["0.7", 0.8]})
    out = validate_context(context)
    assert out["year"].tolist() == [2030, 2031]
    assert out["us_forces_in_place"].tolist() == [0.5, 1.0]
    assert out["capability_coverage"].tolist() == [0.8, 0.7]
    with pytest.raises(ModelError, match="us_reinforcements.*2031"):
        validate_context(context.assign(us_reinforcements=[1.5, 1.0]))
