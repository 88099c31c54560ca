"""The public API is deliberate, and the docs name every parameter."""

from __future__ import annotations

from pathlib import Path

import alliance.deterrence as deterrence
from alliance.params import DeterrenceParams, ProbeTypeParams

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deterrence.md"


def test_public_api_is_pinned():
    assert sorted(deterrence.__all__) == sorted([
        "ALLY_COLUMNS", "CONTEXT_COLUMNS", "HEADLINE_OUTPUTS", "LEVERS", "OUTPUT_COLUMNS",
        "PROBABILITY_OUTPUTS", "SENSITIVITY_OUTPUTS", "allies_with_gdp",
        "deterrence_context_from_scenario", "simulate", "simulate_draws", "simulate_reference",
        "sobol_sensitivity",
    ])
    for name in deterrence.__all__:
        assert hasattr(deterrence, name)


def test_docs_name_every_parameter_with_a_unit():
    text = DOCS.read_text(encoding="utf-8")
    for model in (DeterrenceParams, ProbeTypeParams):
        for name, info in model.model_fields.items():
            assert f"`{name}`" in text, f"docs/deterrence.md does not describe {name}"
            assert info.description, name


def test_assumptions_are_listed():
    assumptions = {a.parameter: a for a in DeterrenceParams().assumptions()}
    assert "default_capability_coverage" in assumptions
    assert "base_reliability" not in assumptions  # sourced (Leeds, Long & Mitchell 2000)
    coverage = assumptions["default_capability_coverage"]
    assert coverage.value == f"{DeterrenceParams().default_capability_coverage:g}"
    assert coverage.sentence().startswith(f"default_capability_coverage = {coverage.value}: ")
    prefixed = DeterrenceParams().assumptions(prefix="deterrence.")
    assert [a.parameter for a in prefixed] == [f"deterrence.{p}" for p in assumptions]
