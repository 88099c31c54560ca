"""The `alliance` command line: a thin shell around the library.

It parses input, calls the library and presents results (Rich tables for
people, ``--json`` for machines).

Errors a user can fix (AllianceError) print as one line on stderr with exit
status 2; nothing else is caught.
"""

from __future__ import annotations

import logging
import sys

import typer

from alliance.errors import AllianceError

__all__ = ["app", "main"]

app = typer.Typer(
    name="alliance",
    # Plain Click help: Rich help formatting costs ~40 ms of imports on every start-up
    # (benchmarks/bench_startup.py); tables and progress bars still use Rich.
    rich_markup_mode=None,
    help="An open model of NATO under a reduced US commitment: pledges, capability gaps, "
    "procurement planning and deterrence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _register() -> None:
    # The command modules import app above; registering them here, after app exists,
    # keeps each command in its own module (cli/<stage>.py with register(app)).
    from alliance.cli import assess, data, deter, gaps, plan, scenario, spending

    for module in (data, scenario, spending, gaps, plan, deter, assess):
        module.register(app)


_register()


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except AllianceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
