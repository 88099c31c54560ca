"""One small `alliance assess` run shared by the report tests (module scope)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from alliance.cli.assess import register

SCENARIOS = ("baseline", "europe-alone")
DRAWS = 2000
SEED = 7


def assess_app() -> typer.Typer:
    """A Typer app with only the assess/serve commands (as the lead's CLI registers them)."""
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def assess_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run `alliance assess baseline europe-alone --draws 2000` once; return paths and output."""
    out = tmp_path_factory.mktemp("assess") / "out"
    result = CliRunner().invoke(
        assess_app(),
        ["assess", *SCENARIOS, "--draws", str(DRAWS), "--seed", str(SEED), "--out", str(out)],
    )
    if result.exit_code != 0:
        raise AssertionError(f"alliance assess failed ({result.exit_code}):\n{result.output}\n"
                             f"{result.exception!r}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {"out": Path(out), "output": result.output, "summary": summary,
            "html": (out / "report.html").read_text(encoding="utf-8")}
