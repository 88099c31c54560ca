"""One capability catalogue, as data: tables, stages and parameter validators agree with it."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from alliance.assessment import Assessment
from alliance.capabilities import capability_coverage
from alliance.catalogue import capability_catalogue, parse_catalogue
from alliance.data import Dataset
from alliance.errors import DataValidationError, ScenarioError
from alliance.params import CapabilityParams, PlanningParams
from alliance.planning import build_inputs, plan, plannable
from alliance.planning.model import shortfall_weights
from alliance.scenario import apply_overrides

CATALOGUE = capability_catalogue()


@pytest.mark.parametrize("table", ["capability_holdings", "systems"])
def test_every_capability_in_the_tables_is_a_catalogue_code(dataset: Dataset, table: str) -> None:
    used = set(dataset.table(table)["capability"].astype(str))
    assert used  # the table has rows
    assert sorted(used - set(CATALOGUE.code_names)) == []


@pytest.mark.parametrize("table", ["capability_holdings", "systems"])
def test_data_dictionary_allows_only_catalogue_codes(dataset: Dataset, table: str) -> None:
    allowed = dataset.schemas[table].column("capability").allowed
    if allowed:
        assert sorted(set(allowed) - set(CATALOGUE.code_names)) == []


def test_dataset_table_is_the_catalogue(dataset: Dataset) -> None:
    table = dataset.table("capability_catalogue")
    assert tuple(table["code"].astype(str)) == CATALOGUE.code_names
    assert len(set(CATALOGUE.code_names)) == len(CATALOGUE.code_names)
    for code in CATALOGUE.codes:
        assert code.code in CATALOGUE.area(code.area).codes


def test_every_area_is_described_the_same_on_all_its_rows(dataset: Dataset) -> None:
    table = dataset.table("capability_catalogue")
    columns = ["area_label", "unit", "plannable", "requirement_basis"]
    distinct = table.groupby("area")[columns].nunique()
    assert distinct.to_numpy().max() == 1, distinct[distinct.max(axis=1) > 1]
    for area in CATALOGUE.areas:
        rows = table[table["area"] == area.area]
        assert tuple(rows["code"].astype(str)) == area.codes
        assert rows["area_label"].iloc[0] == area.label
        assert rows["unit"].iloc[0] == area.unit
        assert bool(rows["plannable"].iloc[0]) is area.plannable
        assert rows["requirement_basis"].iloc[0] == area.requirement_basis


def test_catalogue_refuses_an_area_described_two_ways() -> None:
    header = "code,area,label,area_label,unit,plannable,requirement_basis,description,source\n"
    rows = (
        "a4,fighters,4th gen,fighters,aircraft,true,replace_us,d,https://x.org\n"
        "a5,fighters,5th gen,fighters,vehicles,true,replace_us,d,https://x.org\n"
    )
    with pytest.raises(DataValidationError, match="area 'fighters'") as info:
        parse_catalogue(header + rows)
    assert info.value.line == 3


def test_area_is_plannable_exactly_when_a_system_maps_to_it(dataset: Dataset) -> None:
    with_system = {CATALOGUE.area_of(c) for c in dataset.table("systems")["capability"]}
    assert set(CATALOGUE.plannable_areas) == with_system
    assert set(CATALOGUE.area_names) - with_system  # some areas have no procurable system


def test_gaps_and_summary_use_the_catalogue_units_and_labels(
    assessments: dict[str, Assessment],
) -> None:
    for name, a in assessments.items():
        for frame in (a.gaps, a.gaps_after_plan, a.plan.shortfall):
            per_area = frame.groupby("capability")["unit"].unique()
            assert set(per_area.index) <= set(CATALOGUE.area_names), name
            for area, units in per_area.items():
                assert list(units) == [CATALOGUE.unit(str(area))], (name, area)
        members = a.gaps.groupby("capability")["holdings_capabilities"].unique()
        for area, codes in members.items():
            assert list(codes) == ["|".join(CATALOGUE.area(str(area)).codes)], (name, area)
        rows = a.summary(2030)["gaps"]["capabilities"]
        assert rows
        for row in rows:
            area = CATALOGUE.area(row["capability"])
            assert (row["label"], row["unit"]) == (area.label, area.unit), name


# --- risk weights are keyed by capability area, both ways -------------------------------


def test_planning_risk_weight_of_an_area_is_accepted() -> None:
    params = PlanningParams(risk_weights={"combat_aircraft": 2})
    assert params.risk_weight("combat_aircraft") == 2.0
    assert params.risk_weight("main_battle_tank") == 1.0


def test_planning_risk_weight_changes_the_lp(
    dataset: Dataset, assessments: dict[str, Assessment]
) -> None:
    # europe-alone leaves combat aircraft short, so their weight matters to the plan.
    base = assessments["europe-alone"]
    short = base.plan.shortfall.groupby("capability")["shortfall"].sum()
    assert short["combat_aircraft"] > 1.0
    heavier = apply_overrides(base.scenario, {"planning.risk_weights": {"combat_aircraft": 2}})
    assert heavier.planning.risk_weights == {"combat_aircraft": 2.0}

    def weights(params: PlanningParams) -> dict[str, float]:
        systems = dataset.table("systems")
        systems["capability"] = systems["capability"].map(CATALOGUE.area_of)
        inputs = build_inputs(
            systems=systems,
            gaps=plannable(base.gaps),
            budgets=base.spending.allies.dropna(subset=["share_gdp_pct"]),
            params=params,
            scenario_years=base.scenario.years,
            arms_sales_by_year=dict.fromkeys(base.scenario.years, 1.0),
        )
        return shortfall_weights(inputs).to_dict()

    before, after = weights(base.scenario.planning), weights(heavier.planning)
    assert after["combat_aircraft"] == pytest.approx(2.0 * before["combat_aircraft"], rel=1e-12)
    assert {k: v for k, v in after.items() if k != "combat_aircraft"} == {
        k: v for k, v in before.items() if k != "combat_aircraft"
    }

    result = plan(dataset, heavier, base.spending.allies, base.gaps)
    assert result.objective != pytest.approx(base.plan.objective, rel=1e-6)
    # A heavier weight on one area can never leave that area with a larger optimal shortfall.
    new_short = result.shortfall.groupby("capability")["shortfall"].sum()
    assert new_short["combat_aircraft"] <= short["combat_aircraft"] * (1 + 1e-6) + 1e-6


REFUSED = [
    ({"fighter_aircraft_5th_gen": 5}, "unknown capability area 'fighter_aircraft_5th_gen'"),
    ({"troop_equivalents": 1}, "'troop_equivalents' has no procurable system"),
]


@pytest.mark.parametrize("field", ["risk_weights", "default_initial_capacity_by_capability"])
@pytest.mark.parametrize(("value", "message"), REFUSED)
def test_planning_area_maps_refuse_codes_and_unplannable_areas(
    field: str, value: dict[str, float], message: str, assessments: dict[str, Assessment]
) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        PlanningParams(**{field: value})
    assert info.value.errors()[0]["loc"] == (field,)
    assert "combat_aircraft" in str(info.value)  # the message lists what is allowed

    scenario = assessments["europe-alone"].scenario
    with pytest.raises(ScenarioError, match=message) as raised:
        apply_overrides(scenario, {f"planning.{field}": value})
    assert raised.value.field == f"planning.{field}"
    assert f"planning.{field}" in str(raised.value)


@pytest.mark.parametrize(
    "field", ["risk_weights", "readiness", "reinforcement_shares", "user_requirements",
              "requirement_basis", "assumed_requirements"]
)
def test_capability_area_maps_refuse_holdings_codes(field: str) -> None:
    with pytest.raises(ValidationError, match="unknown capability area 'fighter_aircraft_5th_gen'"):
        CapabilityParams(**{field: {"fighter_aircraft_5th_gen": 0.5}})


def test_capability_risk_weights_accept_every_area_and_change_coverage(
    assessments: dict[str, Assessment],
) -> None:
    # Coverage weights any assessed area, plannable or not (troops have no system).
    params = CapabilityParams(risk_weights={"troop_equivalents": 3, "combat_aircraft": 2})
    assert params.weight_for("troop_equivalents") == 3.0
    gaps = assessments["europe-alone"].gaps_after_plan
    equal = capability_coverage(gaps)
    weighted = capability_coverage(gaps, params.risk_weights)
    assert (weighted - equal).abs().max() > 1e-6
    with pytest.raises(ValidationError, match="risk_weights: value -1 for .combat_aircraft."):
        CapabilityParams(risk_weights={"combat_aircraft": -1})


def test_area_names_and_codes_are_distinct_vocabularies() -> None:
    # A grouped area (several codes) is never itself a code: its name cannot be misread.
    grouped = [a for a in CATALOGUE.areas if len(a.codes) > 1]
    assert grouped
    for area in grouped:
        assert area.area not in CATALOGUE.code_names
    assert dataclasses.asdict(CATALOGUE.area("combat_aircraft"))["codes"] == (
        "fighter_aircraft_4th_gen",
        "fighter_aircraft_5th_gen",
    )
