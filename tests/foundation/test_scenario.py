"""Scenario model: built-ins load; bad files name line, field, expected and found."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.errors import ScenarioError
from alliance.params import FractionPath
from alliance.scenario import (
    Scenario,
    apply_overrides,
    builtin_scenario_names,
    load_scenario,
    parameter_table,
)


def test_builtins_load() -> None:
    names = builtin_scenario_names()
    assert names == ["baseline", "eastern-flank-surge", "europe-alone", "us-drawdown"]
    for name in names:
        sc = load_scenario(name)
        assert sc.name == name and sc.years[0] == sc.first_year


def test_overrides_scenario_exercises_ally_overrides() -> None:
    sc = load_scenario("eastern-flank-surge")
    assert sc.spending.ally_overrides["POL"].shares is not None


def test_year_path_interpolates_and_holds() -> None:
    p = FractionPath({2025: 1.0, 2035: 0.0})
    assert p.at(2020) == 1.0 and p.at(2030) == pytest.approx(0.5) and p.at(2040) == 0.0


def test_europe_alone_cuts_everything_from_2027() -> None:
    us = load_scenario("europe-alone").us_commitment
    assert us.forces_in_place.at(2026) == 1.0
    for part in (us.forces_in_place, us.reinforcements, us.sustainment, us.arms_sales):
        assert part.at(2027) == 0.0


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_is_an_error_with_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\nspending:\n  path: hague\n  absorbtion_cap: 3\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert err.line == 4 and err.field == "spending.absorbtion_cap"
    assert "unknown key" in str(err)


def test_bad_value_names_expected_and_found(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\nus_commitment:\n  forces_in_place: {2025: 1.7}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert err.line == 3
    assert err.field.startswith("us_commitment.forces_in_place")
    assert "outside 0-1" in err.expected and "1.7" in err.found


def test_bad_path_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\nspending:\n  path: moonshot\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.line == 3 and "moonshot" in info.value.found


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\nspending: [\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.line is not None


def test_apply_overrides_validates() -> None:
    sc = apply_overrides(load_scenario("baseline"), {"us_commitment.forces_in_place": 0.5})
    assert sc.us_commitment.forces_in_place.at(2030) == 0.5
    with pytest.raises(ScenarioError):
        apply_overrides(sc, {"us_commitment.forces_in_place": 2.0})
    with pytest.raises(ScenarioError, match="no field"):
        apply_overrides(sc, {"us_commitment.navy": 1.0})


def test_parameter_table_lists_every_parameter() -> None:
    rows = parameter_table(load_scenario("us-drawdown"))
    params = {r["parameter"]: r for r in rows}
    assert params["us_commitment.forces_in_place"]["default"] == "no"
    assert params["spending.absorption_cap_real_growth_pct"]["default"] == "yes"
    assert all(r["description"] for r in rows)


def test_default_scenario_round_trips_through_json_schema() -> None:
    schema = Scenario.model_json_schema()
    assert schema["additionalProperties"] is False
    sc = Scenario(name="x")
    assert Scenario.model_validate(sc.model_dump()) == sc
