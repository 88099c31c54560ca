"""Scenario validation of the capabilities section: errors name the line and field."""

from __future__ import annotations

import pytest

from alliance.errors import ScenarioError
from alliance.scenario import load_scenario


def test_unknown_capability_area_names_line_and_field(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\ncapabilities:\n  user_requirements:\n    tanks: 3\n",
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert err.field == "capabilities.user_requirements"
    assert err.line == 3  # the line of the mapping that holds the unknown key
    assert "unknown capability area 'tanks'" in str(err)


def test_unknown_key_in_capabilities_is_an_error(tmp_path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\ncapabilities:\n  sustainment_halflife: 6\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.field == "capabilities.sustainment_halflife"
    assert info.value.line == 3


def test_half_life_must_be_positive(tmp_path) -> None:
    path = tmp_path / "neg.yaml"
    path.write_text("name: neg\ncapabilities:\n  sustainment_half_life_months: 0\n",
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.field == "capabilities.sustainment_half_life_months"
