"""Errors for users of alliance.

Every error a user can cause (a bad data file, a bad scenario, a badly posed
model) is an :class:`AllianceError`. Its message is one readable sentence that
names where the problem is and how to fix it; the CLI prints it and exits with
status 2. Programming errors stay ordinary Python exceptions.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["AllianceError", "DataValidationError", "ModelError", "ScenarioError", "one_line"]


class AllianceError(Exception):
    """Base class of all errors a user of alliance can cause and fix."""


class DataValidationError(AllianceError):
    """A data file breaks its data dictionary.

    Attributes name the file, the 1-based line in the file (the header is line 1),
    the column, what is wrong and how to fix it.
    """

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.file = str(file)
        self.line = line
        self.column = column
        self.problem = message
        self.fix = fix
        where = self.file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{column}'"
        text = f"{where}: {message}"
        if fix:
            text += f" Fix: {fix}"
        super().__init__(text)


class ScenarioError(AllianceError):
    """A scenario file or override is invalid.

    Names the file, the line (when known), the dotted field path, what was
    expected and what was found.
    """

    def __init__(
        self,
        file: str | Path | None,
        field: str,
        expected: str,
        found: str,
        *,
        line: int | None = None,
    ) -> None:
        self.file = None if file is None else str(file)
        self.field = field
        self.expected = expected
        self.found = found
        self.line = line
        where = self.file or "scenario"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: field '{field}': expected {expected}, found {found}.")


class ModelError(AllianceError):
    """A model is badly posed (inconsistent inputs, infeasible constraints, bad parameters).

    The message names the parameter or constraint family at fault and what to change.
    """


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters written as escapes.

    An error message quotes what the user gave, which may hold such characters; printed
    as is, one error would spread over several lines.
    """
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
