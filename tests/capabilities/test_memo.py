"""The memoised lever-free parts of the capability, ASW and Ukraine stages never go stale.

Each stage keeps what only the tables and some parameters decide (requirements,
holdings, unit costs, Kiel and PURL tables) between calls. These tests change a
parameter that enters those parts, or a table, between two calls and check the
results equal a computation that never saw the first call.
"""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.asw import asw_barrier
from alliance.capabilities import capability_gaps, dependency_exposure
from alliance.capabilities import dependency as dependency_module
from alliance.capabilities import gaps as gaps_module
from alliance.data import Dataset, load_dataset
from alliance.scenario import apply_overrides, load_scenario
from alliance.ukraine import purl_by_ally


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _forget() -> None:
    """Forget the memoised parts, so that the next call computes them."""
    for memo in (gaps_module._STATIC, gaps_module._FAMILIES, dependency_module._EXPOSURE):
        memo.clear()


@pytest.mark.parametrize("override", [
    {"capabilities.include_canada": False},
    {"capabilities.reinforcement_share": {"low": 0.1, "central": 0.2, "high": 0.3}},
    {"asw.target_p_detect": 0.6},
    {"us_commitment.sustainment": 0.3},
])
def test_a_changed_parameter_is_not_answered_from_the_memo(
    ds: Dataset, override: dict[str, object]
) -> None:
    base = load_scenario("baseline")
    changed = apply_overrides(base, override)
    _forget()
    cold_gaps, cold_dependency = capability_gaps(ds, changed), dependency_exposure(ds, changed)
    capability_gaps(ds, base)
    dependency_exposure(ds, base)
    pd.testing.assert_frame_equal(capability_gaps(ds, changed), cold_gaps, check_exact=True)
    pd.testing.assert_frame_equal(dependency_exposure(ds, changed), cold_dependency,
                                  check_exact=True)


def test_a_replaced_table_is_read_again(ds: Dataset) -> None:
    sc = load_scenario("baseline")
    before = capability_gaps(ds, sc)
    holdings = ds.tables["capability_holdings"]
    more = Dataset(tables={**ds.tables, "capability_holdings": holdings.assign(
        quantity=holdings["quantity"] * 2)}, schemas=ds.schemas)
    doubled = capability_gaps(more, sc)
    assert not doubled["european_holdings"].equals(before["european_holdings"])
    pd.testing.assert_frame_equal(capability_gaps(ds, sc), before, check_exact=True)


def test_results_handed_out_are_copies(ds: Dataset) -> None:
    sc = load_scenario("baseline")
    first = purl_by_ally(ds)
    first["packages"] = -1
    assert (purl_by_ally(ds)["packages"] >= 0).all()
    dep = dependency_exposure(ds, sc)
    dep["holdings"] = -1.0
    assert (dependency_exposure(ds, sc)["holdings"] >= 0).all()


def test_the_barrier_reads_the_plans_p8s_on_top_of_the_memoised_fleets(ds: Dataset) -> None:
    sc = load_scenario("baseline")
    without = asw_barrier(ds, sc).sensors
    bought = pd.DataFrame({"buyer": ["NOR"], "system": ["P-8A Poseidon"],
                           "capability": ["maritime_patrol_aircraft"], "year": [sc.years[0]],
                           "units": [4.0]})
    with_plan = asw_barrier(ds, sc, deliveries=bought).sensors
    europe = (with_plan["owner"] == "europe") & (with_plan["sensor"] == "maritime_patrol_aircraft")
    assert (with_plan.loc[europe, "fleet_units"].to_numpy()
            == without.loc[europe, "fleet_units"].to_numpy() + 4.0).all()
    pd.testing.assert_frame_equal(asw_barrier(ds, sc).sensors, without, check_exact=True)
