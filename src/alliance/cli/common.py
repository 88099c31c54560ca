"""Helpers shared by the CLI commands: JSON output, error exits, number formatting.

Like every CLI module, this one imports only Typer, Rich and the light parts of
alliance at module level; the library's heavy modules load inside the command
that needs them, so ``alliance --help`` stays fast (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import functools
import math
from typing import Any, Literal

import rich
import typer

from alliance.errors import AllianceError, one_line

__all__ = ["Justify", "console", "err_console", "fail", "fmt", "new_table", "print_json", "text"]

#: How a table column is aligned (rich.console.JustifyMethod, named here without importing Rich).
Justify = Literal["default", "left", "center", "right", "full"]


@functools.cache
def console() -> rich.console.Console:
    """The console for results (stdout), made on first use.

    It never parses markup: user and data text is printed as written (styles are
    given with ``style=``). Made lazily so that ``alliance --help`` does not pay for Rich.
    """
    import rich.console

    return rich.console.Console(markup=False)


@functools.cache
def err_console() -> rich.console.Console:
    """The console for errors and progress (stderr), made on first use; no markup."""
    import rich.console

    return rich.console.Console(stderr=True, markup=False)


def new_table(*args: Any, **kwargs: Any) -> rich.table.Table:
    """A Rich table (loaded on first use, like the consoles)."""
    import rich.table

    return rich.table.Table(*args, **kwargs)


def print_json(payload: dict[str, Any]) -> None:
    """Print one JSON object on stdout (NaN and NA become null)."""
    from alliance._json import dumps

    typer.echo(dumps(payload))


def text(value: object) -> str:
    """User or data text as a string (the consoles print it as written, never as markup)."""
    return str(value)


def fail(exc: AllianceError) -> typer.Exit:
    """Print a user error as one line and return the exit to raise (status 2)."""
    err_console().print("error:", style="bold red", end=" ")
    err_console().print(one_line(str(exc)), highlight=False, soft_wrap=True)
    return typer.Exit(2)


def fmt(value: Any, digits: int = 2) -> str:
    """Format a number for a table; empty for missing (None, NaN, pandas NA)."""
    if value is None:
        return ""
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return ""
    return f"{number:,.{digits}f}"
