"""Golden results guard the headline: the summary of every built-in scenario against the
committed reference tests/golden/summary.json (tolerances in tests/golden/golden.py).

Regenerate on purpose with ``.venv/bin/python scripts/update_golden.py`` and review the
diff in git.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from alliance.assess import REPORT_YEAR, summarise
from alliance.assessment import Assessment
from alliance.scenario import builtin_scenario_names
from tests.conftest import SMALL_SETTINGS
from tests.golden.golden import (
    REFERENCE,
    VOLATILE_FIELDS,
    Difference,
    compare,
    headline,
    reference_summary,
    report,
)
from tests.scripts import load_script

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "update_golden.py"


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


def test_reference_was_made_with_the_suite_settings(reference: dict[str, Any]) -> None:
    assert (reference["draws"], reference["seed"]) == (SMALL_SETTINGS.draws, SMALL_SETTINGS.seed)
    assert reference["report_year"] == REPORT_YEAR
    assert sorted(reference["scenarios"]) == builtin_scenario_names()
    assert not set(VOLATILE_FIELDS) & set(reference)


def test_headline_figures_match_the_reference(
    reference: dict[str, Any], assessments: dict[str, Assessment]
) -> None:
    current = reference_summary(summarise(assessments.values()))
    assert (current["draws"], current["seed"]) == (reference["draws"], reference["seed"])
    differences = compare(reference, current)
    if differences:
        pytest.fail(report(differences), pytrace=False)


# --- the comparison itself catches drift ------------------------------------------------


def _bump(value: Any) -> Any:
    """A clearly different value: numbers x 1.3 (plus one, so that zeros move too)."""
    if value is None:
        return 2099  # a gap that never closed now closes, or a missing figure appears
    if isinstance(value, int):
        return round(value * 1.3) + 1
    return value * 1.3 + 1.0


def test_comparison_reports_every_moved_figure(reference: dict[str, Any]) -> None:
    figures = headline(reference)
    # Every figure the brief names is guarded, for every scenario.
    paths = {path for _, path in figures}
    for expected in (
        "spending/report_year/allies_at_3_5pct",
        "spending/horizon/us_share_pct",
        "plan/total_cost_musd",
        f"deterrence/{REPORT_YEAR}/p_fait_accompli",
        "gaps/main_battle_tank/gap_report_year",
        "plan/closure_year/main_battle_tank",
    ):
        assert expected in paths
    assert {name for name, _ in figures} == set(reference["scenarios"])

    perturbed = copy.deepcopy(reference)
    for s in perturbed["scenarios"].values():
        for when in ("report_year", "horizon"):
            at = s["spending"][when]
            for key in (
                "allies_at_2pct",
                "allies_at_3_5pct",
                "allies_at_5pct",
                "nato_total_musd_current",
                "us_share_pct",
            ):
                at[key] = _bump(at[key])
        for row in s["gaps"]["capabilities"]:
            row["gap_report_year"] = _bump(row["gap_report_year"])
            row["requirement_report_year"] = _bump(row["requirement_report_year"])
        closure = s["plan"]["closure_year"]
        s["plan"]["closure_year"] = {k: _bump(v) for k, v in closure.items()}
        s["plan"]["total_cost_musd"] = _bump(s["plan"]["total_cost_musd"])
        for row in s["deterrence"]["per_year"]:
            row["p_probe"] = _bump(row["p_probe"])
            row["p_fait_accompli"] = _bump(row["p_fait_accompli"])
        if "asw" in s:  # GIUK barrier (issue 12)
            for key in ("p_detect", "p_detect_without_us"):
                s["asw"][key] = {leg: _bump(v) for leg, v in s["asw"][key].items()}
            for key in ("mpa_needed", "frigates_needed"):
                s["asw"][key] = _bump(s["asw"][key])

    differences = compare(reference, perturbed)
    assert {(d.scenario, d.path) for d in differences} == set(figures)
    message = report(differences)
    assert "scripts/update_golden.py" in message
    assert "review the diff" in message


def test_comparison_tolerates_round_off_and_names_the_figure(reference: dict[str, Any]) -> None:
    nudged = copy.deepcopy(reference)
    s = nudged["scenarios"]["europe-alone"]
    year = next(r for r in s["deterrence"]["per_year"] if r["year"] == REPORT_YEAR)
    year["p_fait_accompli"] += 1e-12  # round-off: within tolerance
    s["spending"]["report_year"]["nato_total_musd_current"] *= 1 + 1e-9
    assert compare(reference, nudged) == []

    old = year["p_fait_accompli"]
    year["p_fait_accompli"] = old + 0.01
    s["spending"]["horizon"]["allies_at_5pct"] += 1
    lines = [d.line() for d in compare(reference, nudged)]
    assert lines[0].startswith("europe-alone / spending/horizon/allies_at_5pct: ")
    assert "(+1, " in lines[0]
    assert lines[1].startswith(f"europe-alone / deterrence/{REPORT_YEAR}/p_fait_accompli: ")
    assert "(+0.01, " in lines[1]
    assert len(lines) == 2


def test_comparison_reports_figures_that_appear_or_vanish(reference: dict[str, Any]) -> None:
    fewer = copy.deepcopy(reference)
    del fewer["scenarios"]["baseline"]
    gone = compare(reference, fewer)
    assert gone and {d.scenario for d in gone} == {"baseline"}
    assert all(d.line().endswith("-> (missing) (changed)") for d in gone)
    assert compare(fewer, reference) == [
        Difference(d.scenario, d.path, d.now, d.reference) for d in gone
    ]


def test_update_script_uses_the_suite_settings() -> None:
    # The script imports SMALL_SETTINGS from tests/conftest.py (one definition).
    module = load_script(SCRIPT.stem)
    assert module.SMALL_SETTINGS is SMALL_SETTINGS
    assert module.REFERENCE == REFERENCE
