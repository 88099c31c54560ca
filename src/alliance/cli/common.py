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

__all__ = [
    "PM_NOTE",
    "WIDE_HELP",
    "Z95",
    "Justify",
    "add_rows",
    "clip",
    "console",
    "count",
    "err_console",
    "fail",
    "fit_table",
    "fmt",
    "label",
    "new_table",
    "pm95",
    "print_json",
    "print_table",
    "report_table",
    "text",
]

#: Half-width of the 95 % interval in standard errors: the one ± convention of the CLI,
#: the JSON (``*_half95``) and the report.
Z95: float = 1.96
#: The line printed under every table that shows ±.
PM_NOTE: str = "± is the 95 % Monte Carlo interval (1.96 standard errors)."
#: Help text of the ``--wide`` option of every command that prints a table.
WIDE_HELP: str = "Also print the notes and source columns (needs about 120 columns)."

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


def report_table(title: str, columns: list[tuple[str, Justify]],
                 notes: list[str] | None = None, *, wide: bool = False) -> rich.table.Table:
    """A table that reads at 80 columns: plain labels, no word broken, notes only if wide.

    Text columns wrap at spaces; numeric (right-justified) columns never wrap;
    :func:`add_rows` then widens each column to its longest word, so no word is
    broken. Headers are plain labels (:func:`label` for ids). Columns named in
    ``notes`` are added only with ``wide`` (the ``--wide`` option, :data:`WIDE_HELP`).

    Args:
        title: Table title (plain words).
        columns: ``(header, justify)`` per column shown at every width; numbers
            right-justified.
        notes: Headers of the note/source columns shown only with ``wide``.
        wide: Whether ``--wide`` was given.

    Returns:
        The Rich table; add rows with values for the columns in order (and the
        notes' values only when ``wide``).
    """
    table = new_table(title=title, title_justify="left", expand=False, show_edge=False)
    for header, justify in columns:
        table.add_column(header, justify=justify, no_wrap=justify == "right")
    if wide:
        for header in notes or []:
            table.add_column(header, justify="left")
    return table


def add_rows(table: rich.table.Table, rows: list[list[str]]) -> rich.table.Table:
    """Add ``rows`` and give each column room for its longest word (max 24), header included.

    Rich wraps cells at spaces but folds a word longer than its column mid-word;
    a column at least as wide as its longest word never breaks one.
    """
    for row in rows:
        table.add_row(*row)
    for i, column in enumerate(table.columns):
        words = [w for r in rows if i < len(r) for w in str(r[i]).split()]
        words += str(column.header).split()
        longest = max((len(w) for w in words), default=1)
        column.min_width = max(column.min_width or 0, min(longest, 24))
    return table


def clip(value: object, width: int) -> str:
    """``value`` on one line of at most ``width`` characters: cut at a space, with '…' if longer.

    Whitespace runs (line breaks included) become one space. Only a first word longer
    than ``width`` is cut inside the word (still ending in '…').
    """
    line = " ".join(str(value).split())
    if len(line) <= width:
        return line
    if width <= 1:
        return "…"[:max(width, 0)]
    head = line[: width - 1]
    cut = head.rfind(" ")
    if cut > 0:
        head = head[:cut].rstrip(" ,;:")
    return head + "…"


def fit_table(title: str, columns: list[tuple[str, Justify]], rows: list[list[str]],
              width: int | None = None, *, clipped: int | None = None) -> rich.table.Table:
    """A table of ``rows`` whose column widths fit ``width`` without breaking a word.

    Each column starts at its natural width (its longest cell) and the widest are
    narrowed first, their text wrapping at spaces, until the table fits; no column
    gets narrower than its longest word (a right-justified, numeric column than its
    longest cell: numbers never wrap). When even those minimums do not fit, the
    columns keep them and the table is wider than ``width``:
    :func:`print_table` then prints it whole (the terminal folds the lines), which
    is what ``--wide`` asks for. The widths are fixed on the columns, so Rich never
    re-squeezes a column below a word.

    Args:
        title: Table title (plain words).
        columns: ``(header, justify)`` per column; headers wrap at spaces.
        rows: Cell text per row, in column order (whitespace runs become one space).
        width: Characters available (default: the console's width).
        clipped: Index of a column (a long note or description) whose cells are cut
            to one line of the width the column gets, ending in '…' (:func:`clip`);
            it yields its room first and may narrow to 10 characters.

    Returns:
        The Rich table, rows added and widths set.
    """
    cells = [[" ".join(str(c).split()) for c in row] for row in rows]
    table = report_table(title, list(columns))
    budget = (console().width if width is None else width) - (3 * len(columns) - 1)
    natural, minimum = [], []
    for i, (header, justify) in enumerate(columns):
        texts = [row[i] for row in cells if i < len(row)]
        longest_word = max((len(w) for t in [*texts, header] for w in t.split()), default=1)
        longest_cell = max((len(t) for t in texts), default=0)
        natural.append(max(longest_cell, longest_word, 1))
        minimum.append(natural[-1] if justify == "right" else longest_word)
        if i == clipped:
            header_word = max((len(w) for w in header.split()), default=1)
            minimum[-1] = min(natural[-1], max(header_word, 10))
    if clipped is None:
        widths = _collapse(natural, minimum, budget)
    else:  # the others wrap first, as far as needed to leave the clipped column 24 characters
        reserve = min(natural[clipped], 24)
        others = _collapse(natural[:clipped] + natural[clipped + 1:],
                           minimum[:clipped] + minimum[clipped + 1:], budget - reserve)
        room = min(natural[clipped], budget - sum(others))
        widths = others[:clipped] + [max(minimum[clipped], room)] + others[clipped:]
    for row in cells:
        if clipped is not None and clipped < len(row):
            row[clipped] = clip(row[clipped], widths[clipped])
        table.add_row(*row)
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w
        column.no_wrap = False  # cells fit (numbers whole); a long header wraps at spaces
        column.overflow = "fold"  # never a silent '…' from Rich: only clip() cuts, visibly
    return table


def print_table(table: rich.table.Table) -> None:
    """Print ``table`` whole: at the console's width, or wider if its fixed widths need it.

    A table from :func:`fit_table` wider than the terminal (``--wide``, or columns
    whose longest words do not fit) is printed at its own width instead of being
    squeezed, so no word is ever broken; the terminal folds the long lines. The
    title is printed above the table as a line of its own (wrapped at spaces at the
    console's width), so a table narrower than its title never breaks a word of it.
    """
    import rich.console

    if table.title:
        console().print(str(table.title), style="bold", highlight=False)
        table.title = None
    needed = sum((c.width or 0) + 2 for c in table.columns) + max(len(table.columns) - 1, 0)
    if needed <= console().width:
        console().print(table)
        return
    wide = rich.console.Console(file=console().file, width=needed, markup=False,
                                highlight=False, force_terminal=console().is_terminal)
    wide.print(table)


def _collapse(natural: list[int], minimum: list[int], budget: int) -> list[int]:
    """Column widths from ``natural``, the widest narrowed first until they fit ``budget``.

    One character a round off every widest column, never below ``minimum``; stops
    when the sum fits or every column is at its minimum.
    """
    widths = list(natural)
    excess = sum(widths) - budget
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not shrinkable:
            break
        top = max(widths[i] for i in shrinkable)
        for i in shrinkable:
            if widths[i] == top and excess > 0:
                widths[i] -= 1
                excess -= 1
    return widths


def label(identifier: str) -> str:
    """An internal id as a plain label: ``air_defence`` -> 'air defence'."""
    return str(identifier).replace("_", " ").replace("-", " ").strip()


def count(value: Any, *, separator: bool = True) -> str:
    """An integer count ('31', never '31.0'; a year with ``separator=False``); empty if missing."""
    number = _number(value)
    if not isinstance(number, float):
        return number
    return f"{round(number):,d}" if separator else f"{round(number):d}"


def pm95(value: Any, stderr: Any, digits: int = 3, *, percent: bool = False) -> str:
    """A Monte Carlo estimate with its 95 % interval: '0.231 ± 0.006' (or '23.1 % ± 0.6')."""
    v, e = fmt(value, 12), fmt(stderr, 12)
    if v == "":
        return ""
    number = float(v.replace(",", ""))
    half = Z95 * float(e.replace(",", "")) if e else None
    if percent:
        digits = max(digits - 2, 0)
        head = f"{100 * number:.{digits}f} %"
        return head if half is None else f"{head} ± {100 * half:.{digits}f}"
    head = f"{number:.{digits}f}"
    return head if half is None else f"{head} ± {half:.{digits}f}"


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
    number = _number(value)
    if not isinstance(number, float):
        return number
    return f"{number:,.{digits}f}"


def _number(value: Any) -> float | str:
    """``value`` as a float, or the text to print instead ('' for missing, else as written)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "" if math.isnan(number) else number
