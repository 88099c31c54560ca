"""Helpers shared by the CLI commands: JSON output and error exits."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import typer
from rich.console import Console

from alliance.errors import AllianceError

console = Console()
err_console = Console(stderr=True)


def jsonable(value: Any) -> Any:
    """Convert pandas/numpy values to plain JSON (NaN and NA become null)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) or math.isinf(float(value)) else float(value)
    return value


def print_json(payload: dict[str, Any]) -> None:
    """Print one JSON object on stdout."""
    typer.echo(json.dumps(jsonable(payload), ensure_ascii=False))


def fail(exc: AllianceError) -> typer.Exit:
    """Print a user error as one line and return the exit to raise (status 2)."""
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(2)


def fmt(value: Any, digits: int = 2) -> str:
    """Format a number for a table; empty for missing."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float | np.floating):
        return "" if math.isnan(value) else f"{value:,.{digits}f}"
    return str(value)
