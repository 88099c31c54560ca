"""`alliance plan` with hand-built upstream tables (the other stages are stubbed)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

try:
    from alliance.cli import plan as plan_cli
except ImportError as exc:  # the CLI package registers every stage's command on import
    pytest.skip(f"alliance.cli not importable yet: {exc}", allow_module_level=True)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """A Typer app with only `plan`, and a small upstream (two allies, two capabilities)."""
    import alliance.data
    import alliance.pipeline

    def upstream(dataset: object, scenario: object) -> SimpleNamespace:
        years = scenario.years  # type: ignore[attr-defined]
        gaps = pd.DataFrame(
            [
                {"capability": c, "year": y, "requirement": 100.0, "european_effective": 60.0,
                 "us_contribution": 0.0, "gap": 40.0, "unit": "units"}
                for c in ("main_battle_tank", "ground_based_air_defence_long_range")
                for y in years
            ]
        )
        spending = pd.DataFrame(
            [{"iso3": a, "year": y, "share_gdp_pct": 3.0, "equipment_musd_constant": 5000.0}
             for a in ("DEU", "POL") for y in years]
        )
        return SimpleNamespace(gaps=gaps, spending=spending)

    monkeypatch.setattr(alliance.pipeline, "run_upstream", upstream)
    real = alliance.data.load_dataset

    def dataset(overlay: object = None) -> object:
        return real(overlay)

    monkeypatch.setattr(alliance.data, "load_dataset", dataset)
    application = typer.Typer()
    plan_cli.register(application)

    @application.command("noop")
    def _noop() -> None:
        """Keep Typer in multi-command mode."""

    return application


def test_plan_json(app: typer.Typer) -> None:
    """--json prints one object with the contract's keys."""
    res = CliRunner().invoke(app, ["plan", "--scenario", "baseline", "--horizon", "2030",
                                   "--pooled-share", "0.3", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("scenario", "status", "objective", "closure_year", "shortfall", "spend", "binding"):
        assert key in out
    assert set(out["shortfall"][0]) >= {"capability", "year", "shortfall"}
    assert set(out["spend"][0]) >= {"buyer", "year", "musd"}
    assert any(r["buyer"] == "EUR_POOL" for r in out["spend"])


def test_plan_bad_option_exits_2(app: typer.Typer) -> None:
    """A bad override is one error line and exit status 2, no traceback."""
    res = CliRunner().invoke(app, ["plan", "--scenario", "baseline", "--pooled-share", "1.5"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
