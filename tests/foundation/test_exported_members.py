"""The public API of the package is deliberate: pin it (cf. httpx test_exported_members.py)."""

import alliance


def test_exported_members() -> None:
    assert sorted(alliance.__all__) == [
        "AllianceError",
        "Assessment",
        "DataValidationError",
        "Dataset",
        "ModelError",
        "RunSettings",
        "Scenario",
        "ScenarioError",
        "SpendingResult",
        "apply_overrides",
        "assess_scenario",
        "builtin_scenario_names",
        "load_dataset",
        "load_scenario",
        "spending_for",
    ]
    for name in alliance.__all__:
        assert hasattr(alliance, name), name
