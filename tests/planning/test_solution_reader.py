"""The direct solution reader against linopy's own read-back (a consistency check).

``solve_plan`` reads HiGHS's primal values and row duals as NumPy arrays by label
(:class:`alliance.planning.solve.Solution`) instead of letting linopy write them
back onto the model as xarray (``Model.assign_result``). Both read the same solver
result, so they must agree exactly: every variable, every dual, the tidy frames
and the objective terms. This is a consistency check (the two hold the same
numbers by construction), not a reproduction. The closure and pace years are
also checked against a plain per-area loop (the definition) as a cross-check of
their vectorised form, and the paid capacity against pandas' grouped running sum.
"""

from __future__ import annotations

import linopy
import numpy as np
import pandas as pd
import pytest

from alliance.assessment import RunSettings, run_stages
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.planning import PlanningInputs, plan, plan_inputs
from alliance.planning.model import build_model, cost_expression, shortfall_objective
from alliance.planning.results import closure_years
from alliance.planning.solve import (
    INEQUALITY_FAMILIES,
    Solution,
    _optional_table,
    _paid_capacity,
    _quiet_native_stdout,
    _read_duals,
    _solve,
    _systems_by_area,
    _values,
)
from alliance.scenario import apply_overrides, load_scenario

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["baseline", "us-drawdown, 0.5"])
def solved(request: pytest.FixtureRequest, dataset: Dataset) -> tuple[
    PlanningInputs, linopy.Model, Solution
]:
    """A bundled scenario's LP solved twice: read directly, and by linopy (same model)."""
    sc = load_scenario("baseline")
    if request.param != "baseline":
        sc = apply_overrides(load_scenario("us-drawdown"),
                             {"us_commitment.forces_in_place": 0.5,
                              "us_commitment.reinforcements": 0.5})
    done = run_stages(dataset, sc, RunSettings(draws=1, seed=0), until="capabilities")
    inputs, _ = plan_inputs(dataset, sc, done.need("spending").allies, done.need("gaps"))
    m = build_model(inputs)
    solution = _solve(m, inputs, "shortfall")
    with _quiet_native_stdout():
        status, condition = m.solve(solver_name="highs", io_api="direct", output_flag=False,
                                    time_limit=inputs.params.time_limit_seconds,
                                    sanitize_zeros=False, sanitize_infinities=False)
    assert (status, condition) == ("ok", "optimal")
    return inputs, m, solution


def test_every_variable_equals_linopys_solution(solved) -> None:
    _, m, solution = solved
    for name in m.variables:
        np.testing.assert_array_equal(solution.variable(name), m.variables[name].solution.values)


def test_every_dual_equals_linopys_dual(solved) -> None:
    _, m, solution = solved
    for name in m.constraints:
        np.testing.assert_array_equal(solution.constraint_dual(name),
                                      m.constraints[name].dual.values)


def test_tidy_frames_equal_xarrays_to_dataframe(solved) -> None:
    _, m, solution = solved
    for name in ("order", "build", "capex_paid", "shortfall", "delivery"):
        frame = m.variables[name].solution.to_dataframe(name="value").reset_index()
        frame["value"] = np.where(np.abs(frame["value"]) < 1e-9, 0.0, frame["value"])
        pd.testing.assert_frame_equal(_values(solution, name, "value"), frame, check_exact=True)


def test_duals_table_equals_xarrays_to_dataframe(solved) -> None:
    inputs, m, solution = solved
    frames = []
    for family in INEQUALITY_FAMILIES:
        dual = m.constraints[family].dual
        other = [d for d in dual.dims if d != "year"]
        df = dual.to_dataframe(name="dual").reset_index()
        df = df.rename(columns={other[0]: "index"}) if other else df.assign(index="")
        if "year" not in df.columns:
            df["year"] = inputs.years[-1]
        df["family"] = family
        frames.append(df[["family", "index", "year", "dual"]])
    expected = pd.concat(frames, ignore_index=True)
    pd.testing.assert_frame_equal(_read_duals(m, solution, inputs.years[-1]), expected,
                                  check_exact=True)


def test_objective_terms_equal_linopys_expression_values(solved) -> None:
    inputs, m, solution = solved
    for expression in (shortfall_objective(m, inputs), cost_expression(m, inputs)):
        assert solution.expression_value(expression) == float(expression.solution.sum())


def _closure_by_loop(shortfall: pd.DataFrame, years: list[int], tol: float) -> pd.DataFrame:
    """The closure year per area, one area at a time (the definition, as first written)."""
    out = []
    for cap, grp in shortfall.groupby("capability", sort=False):
        series = grp.set_index("year")["shortfall"].reindex(years).fillna(0.0)
        open_years = series.index[series > tol]
        if len(open_years) == 0:
            closure: int | None = years[0]
        elif open_years.max() == years[-1]:
            closure = None
        else:
            closure = int(open_years.max()) + 1
        out.append({"capability": cap, "closure_year": closure})
    return pd.DataFrame(out, columns=["capability", "closure_year"]).astype(
        {"closure_year": "object"}
    )


@pytest.mark.parametrize("tol", [0.0, 0.5, 10.0])
def test_closure_years_match_the_per_area_definition(tol: float) -> None:
    shortfall = pd.DataFrame({
        "capability": ["a"] * 4 + ["b"] * 4 + ["c"] * 4 + ["d"] * 2,
        "year": [1, 2, 3, 4] * 3 + [1, 3],
        "shortfall": [5, 3, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 4, np.nan],
    })
    years = [1, 2, 3, 4]
    pd.testing.assert_frame_equal(closure_years(shortfall, years, tol),
                                  _closure_by_loop(shortfall, years, tol), check_exact=True)


@pytest.mark.parametrize("lag", [0, 1, 3, 40])
def test_paid_capacity_matches_the_grouped_running_sum(lag: int) -> None:
    """The array form gives the very numbers of pandas' grouped cumsum and shift."""
    rng = np.random.default_rng(7)
    added = rng.random((12, 25)) * 10.0 ** rng.integers(-6, 4, (12, 25))
    added[rng.random(added.shape) < 0.4] = 0.0
    table = pd.DataFrame({"system": np.repeat([f"s{i:02d}" for i in rng.permutation(12)], 25),
                          "added": added.reshape(-1)})
    running = table.groupby("system")["added"].cumsum()
    expected = running.groupby(table["system"]).shift(lag, fill_value=0.0) if lag else running
    assert np.array_equal(_paid_capacity(added, lag).reshape(-1), expected.to_numpy())


def test_memoised_inputs_leave_the_shared_tables_as_loaded(dataset: Dataset) -> None:
    """Planning twice (the second time from the memos) gives the same plan, and the
    tables shared between calls are still the tables the Dataset loaded."""
    sc = load_scenario("baseline")
    done = run_stages(dataset, sc, RunSettings(draws=1, seed=0), until="capabilities")
    first, again = (plan(dataset, sc, done.need("spending").allies, done.need("gaps"))
                    for _ in range(2))
    for name in ("orders", "deliveries", "capacity", "spend", "shortfall", "closure", "duals"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name),
                                      check_exact=True)
    assert (again.binding, again.objective) == (first.binding, first.objective)
    for name in ("recruitment", "procurement_deliveries"):
        pd.testing.assert_frame_equal(_optional_table(dataset, name), dataset.table(name))
    systems = dataset.table("systems")
    systems["capability"] = systems["capability"].map(capability_catalogue().area_of)
    pd.testing.assert_frame_equal(_systems_by_area(dataset), systems)
