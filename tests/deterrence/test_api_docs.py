"""The public API is deliberate, and the docs name every parameter."""

from __future__ import annotations

from pathlib import Path

import alliance.deterrence as deterrence
from alliance.deterrence import DeterrenceParams, ProbeTypeParams

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deterrence.md"


def test_public_api_is_pinned():
    assert sorted(deterrence.__all__) == sorted([
        "ALLY_COLUMNS", "BLOCK_DRAWS", "CONTEXT_COLUMNS", "LEVERS", "OUTPUT_COLUMNS",
        "PROBABILITY_OUTPUTS", "PROBE_TYPES", "SENSITIVITY_OUTPUTS", "DeterrenceParams",
        "ProbeTypeParams", "allies_with_gdp", "deterrence_context_from_scenario", "simulate",
        "simulate_draws", "simulate_reference", "sobol_sensitivity",
        "upstream_capability_coverage",
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
    assumptions = DeterrenceParams().assumptions()
    assert "default_capability_coverage" in assumptions
    assert "base_reliability" not in assumptions  # sourced (Leeds, Long & Mitchell 2000)
