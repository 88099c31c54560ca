"""Bad parameters and inputs give clear errors that name the field."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from alliance.deterrence import simulate, simulate_reference
from alliance.errors import ModelError
from alliance.params import DeterrenceParams


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trust_in_alliance", 1.5),
        ("trust_in_us", -0.1),
        ("base_reliability", 1.0),
        ("holdout_share_of_unwilling", 2.0),
        ("decision_base_median_h", -1.0),
        ("holdout_delay_median_h", -5.0),
        ("heavy_brigade_weight", -0.5),
        ("strategic_warning_h", -1.0),
        ("batch_size", 5000),
        ("not_a_parameter", 1.0),
    ],
)
def test_bad_parameter_names_the_field(field, value):
    with pytest.raises(ValidationError, match=field):
        DeterrenceParams(**{field: value})


def test_bad_probe_parameters():
    with pytest.raises(ValidationError, match="time_to_objective_max_h"):
        DeterrenceParams(limited_incursion={"time_to_objective_min_h": 60,
                                            "time_to_objective_max_h": 36})
    with pytest.raises(ValidationError, match="weight"):
        DeterrenceParams(
            hybrid_sabotage={"weight": 0}, limited_incursion={"weight": 0},
            standoff_strikes={"weight": 0},
        )
    with pytest.raises(ValidationError, match="adversary_force"):
        DeterrenceParams(limited_incursion={"adversary_force": 0})


@pytest.mark.parametrize("draws", [0, -5])
def test_draws_must_be_positive(params, allies, crisis_context, draws):
    with pytest.raises(ModelError, match="draws"):
        simulate(params, allies, crisis_context, draws, seed=1)
    with pytest.raises(ModelError, match="draws"):
        simulate_reference(params, allies, crisis_context, draws, seed=1)


def test_draws_beyond_documented_maximum(params, allies, crisis_context):
    with pytest.raises(ModelError, match="max_draws"):
        simulate(params, allies, crisis_context, 10**9 + 1, seed=1)
    small = params.model_copy(update={"max_draws": 1000})
    with pytest.raises(ModelError, match="exceeds the maximum 1,000 a year"):
        simulate(small, allies, crisis_context, 1001, seed=1)


def test_bad_seed_batch_backend(params, allies, crisis_context):
    with pytest.raises(ModelError, match="seed"):
        simulate(params, allies, crisis_context, 100, seed=-1)
    with pytest.raises(ModelError, match="batch_size"):
        simulate(params, allies, crisis_context, 100, seed=1, batch_size=1000)
    with pytest.raises(ModelError, match="backend"):
        simulate(params, allies, crisis_context, 100, seed=1, backend="torch")


def test_bad_context_names_column_and_year(params, allies, crisis_context):
    bad = crisis_context.copy()
    bad.loc[1, "us_forces_in_place"] = 1.2
    with pytest.raises(ModelError, match=r"us_forces_in_place.*2035"):
        simulate(params, allies, bad, 100, seed=1)
    with pytest.raises(ModelError, match="capability_coverage"):
        simulate(params, allies, crisis_context.drop(columns="capability_coverage"), 100, seed=1)
    negative = crisis_context.assign(capability_coverage=[-0.1, 0.5])
    with pytest.raises(ModelError, match="capability_coverage"):
        simulate(params, allies, negative, 100, seed=1)


def test_bad_allies_names_column_and_ally(params, allies, crisis_context):
    with pytest.raises(ModelError, match=r"capital_lon.*EST"):
        simulate(params, allies.assign(capital_lon=[None] + [1.0] * 7), crisis_context, 100,
                 seed=1)
    with pytest.raises(ModelError, match="capital_lat"):
        simulate(params, allies.assign(capital_lat=95.0), crisis_context, 100, seed=1)
    with pytest.raises(ModelError, match="duplicates"):
        simulate(params, pd.concat([allies, allies.head(1)]), crisis_context, 100, seed=1)
