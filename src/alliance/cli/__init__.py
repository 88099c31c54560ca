"""The `alliance` command line: a thin shell around the library.

It parses input, calls the library and presents results (Rich tables for
people, ``--json`` for machines).

Errors a user can fix (AllianceError) print as one line on stderr with exit
status 2; nothing else is caught.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

import typer

from alliance.errors import AllianceError, one_line

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


#: Whether an unexpected error shows its Python traceback (``--debug`` or ALLIANCE_DEBUG=1).
_DEBUG = {"traceback": os.environ.get("ALLIANCE_DEBUG", "") not in ("", "0")}


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr."),
    debug: bool = typer.Option(
        False, "--debug", help="Show the Python traceback of an unexpected error."
    ),
) -> None:
    if debug:
        _DEBUG["traceback"] = True
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
    # GIUK barrier (issue 12), registered on its own so the module list above stays as it is.
    from alliance.cli import asw as asw_command

    asw_command.register(app)
    # Ukraine support and PURL (issue 13), likewise on its own.
    from alliance.cli import ukraine as ukraine_command

    ukraine_command.register(app)
    # Forces and mobility (issue 11), likewise on its own.
    from alliance.cli import mobility as mobility_command

    mobility_command.register(app)


_register()


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so that no output is left half-written."""
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Entry point of the console script.

    A user error prints one line and exits 2; an interrupt (Ctrl-C, SIGTERM) exits
    130 with earlier outputs intact; any other exception is a bug in alliance: one
    line saying so, exit 1, and the traceback only with ``--debug``.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except AllianceError as exc:
        typer.echo(f"error: {one_line(str(exc))}", err=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: earlier outputs are left as they were.", err=True)
        raise SystemExit(130) from None
    except Exception as exc:
        if _DEBUG["traceback"]:
            raise
        typer.echo(
            f"error: internal error ({type(exc).__name__}: {one_line(str(exc))}); this is a bug in "
            "alliance, please report it (run again with --debug for the traceback).",
            err=True,
        )
        raise SystemExit(1) from None
