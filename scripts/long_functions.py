"""List the functions longer than 60 lines; fail if one does not say why it is long.

A long function may stay when a comment at its top gives the reason: a line
starting with ``# Long by design:`` either in the comment block directly above the
``def`` (and its decorators) or between the ``def`` and its first statement after
the docstring. Length counts the ``def`` line through the last line of the body.

Usage: ``python scripts/long_functions.py [PATH ...]`` (default: ``src``). Exit
status 0 when every long function carries the comment, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_LINES = 60
MARKER = "# Long by design:"

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class LongFunction:
    path: Path
    line: int
    name: str
    length: int
    justified: bool


def _python_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.py"))
        elif path.suffix == ".py":
            yield path


def _first_statement_line(node: Function) -> int:
    """Line of the first statement after the docstring (the def line if there is none)."""
    body = node.body
    has_docstring = (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    )
    rest = body[1:] if has_docstring else body
    return rest[0].lineno if rest else node.lineno


def _comments_above(lines: list[str], first_line: int) -> Iterator[str]:
    """The comment block directly above line ``first_line`` (1-based), nearest first."""
    i = first_line - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        yield lines[i].strip()
        i -= 1


def _justified(node: Function, lines: list[str]) -> bool:
    top = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    if any(c.startswith(MARKER) for c in _comments_above(lines, top)):
        return True
    head = lines[node.lineno - 1 : _first_statement_line(node) - 1]
    return any(text.strip().startswith(MARKER) for text in head)


def long_functions(paths: list[Path], max_lines: int = MAX_LINES) -> list[LongFunction]:
    """Every function (also nested ones and methods) longer than ``max_lines`` lines."""
    found = []
    for path in _python_files(paths):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > max_lines:
                    found.append(
                        LongFunction(path, node.lineno, node.name, length, _justified(node, lines))
                    )
    return sorted(found, key=lambda f: (str(f.path), f.line))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=f"List functions over {MAX_LINES} lines; fail if one lacks '{MARKER}'."
    )
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("src")])
    parser.add_argument("--max-lines", type=int, default=MAX_LINES)
    args = parser.parse_args(argv)
    found = long_functions(args.paths, args.max_lines)
    for f in found:
        status = "long by design" if f.justified else f"MISSING '{MARKER}' comment"
        print(f"{f.path}:{f.line}: {f.name} ({f.length} lines): {status}")
    missing = [f for f in found if not f.justified]
    print(
        f"{len(found)} function(s) over {args.max_lines} lines, "
        f"{len(missing)} without a reason"
    )
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
