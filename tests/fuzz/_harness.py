"""The fuzzing harness: Hypothesis profiles, a time-bounded CLI runner and the one outcome check.

Profiles (chosen by ``HYPOTHESIS_PROFILE``, default ``ci``; tests/fuzz/conftest.py
prints the one in force):

* ``ci`` -- a few examples per property, no shrinking: the whole folder runs in a
  few minutes on two cores. A failure is reported with the example as drawn.
* ``nightly`` -- many examples with shrinking, for a scheduled job::

      HYPOTHESIS_PROFILE=nightly python -m pytest tests/fuzz -m "slow or not slow"

* ``dev`` -- a handful of examples with shrinking, for working on one property.

Only the fuzz tests use these profiles (through :data:`FUZZ` and :func:`fuzz`);
the property tests elsewhere keep their own settings.

The outcome of every run is judged by :func:`check_outcome`: exit 0, or exit 2 with
exactly one error line on stderr (naming what it should) -- never a traceback, an
exception other than ``SystemExit``, a hang or another exit status. Two Click
conventions count as that one line: a usage error's ``Usage:``/``Try`` preamble
before its ``Error:`` line, and the help a command group prints (status 2) when it
is given no subcommand.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hypothesis import HealthCheck, Phase, settings

_NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large]

settings.register_profile("ci", max_examples=12, deadline=None, phases=_NO_SHRINK,
                          suppress_health_check=_SLOW_OK, derandomize=True, print_blob=True)
settings.register_profile("nightly", max_examples=400, deadline=None,
                          suppress_health_check=_SLOW_OK, print_blob=True)
settings.register_profile("dev", max_examples=5, deadline=None, suppress_health_check=_SLOW_OK,
                          print_blob=True)

#: The profile of the fuzz tests (``HYPOTHESIS_PROFILE``, default ``ci``).
PROFILE: str = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ = settings(settings.get_profile(PROFILE))


def fuzz(share: float = 1.0) -> settings:
    """The profile's settings with ``share`` of its examples (at least 2), for costly properties."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(2, int(base.max_examples * share)))


#: Bound on one in-process run [seconds]: a run that takes longer counts as a hang.
TIME_LIMIT_S: float = 60.0
#: Address space of an isolated run [bytes]: an unbounded allocation fails instead of
#: taking the shared machine down.
ISOLATED_MEMORY_BYTES: int = 3 * 1024**3


class Hang(Exception):
    """A run went over its time bound."""


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread if the block runs longer than ``seconds``.

    Uses ``SIGALRM``: it interrupts Python code, not a C call in progress (the
    signal is handled when the call returns), so runs that may spin inside C
    (SQL bombs, huge allocations) go through :func:`run_isolated` instead.
    """
    def on_alarm(_signum: int, _frame: Any) -> None:
        raise Hang(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What one run of the CLI did."""

    exit_code: int | None
    stdout: str
    stderr: str
    exception: BaseException | None = None
    hung: bool = False

    def head(self, lines: int = 3) -> str:
        """The first lines of stderr (else stdout), for a report."""
        text = self.stderr.strip() or self.stdout.strip()
        if self.hung:
            text = "HANG " + text
        if self.exception is not None and not isinstance(self.exception, SystemExit):
            text = f"{type(self.exception).__name__}: {self.exception}\n{text}"
        return "\n".join(text.splitlines()[:lines])


def run_cli(args: Sequence[str], timeout: float = TIME_LIMIT_S) -> Outcome:
    """Invoke ``alliance ARGS`` in-process (typer's CliRunner) within ``timeout`` seconds."""
    from typer.testing import CliRunner

    from alliance.cli import app

    runner = CliRunner()
    try:
        with time_bound(timeout):
            result = runner.invoke(app, list(args), prog_name="alliance")
    except Hang as exc:  # raised outside the command (CliRunner catches it inside)
        return Outcome(None, "", "", exc, hung=True)
    hung = isinstance(result.exception, Hang)
    return Outcome(result.exit_code, result.stdout, result.stderr, result.exception, hung=hung)


_ISOLATED = textwrap.dedent("""
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from alliance.cli import app
    app(sys.argv[2:], prog_name="alliance")
""")


def run_isolated(args: Sequence[str], cwd: Path, timeout: float = TIME_LIMIT_S) -> Outcome:
    """Invoke ``alliance ARGS`` in a child process: killed after ``timeout`` s, memory bounded.

    The child calls ``alliance.cli.app`` as CliRunner does (an exception that escapes
    a command prints its traceback and exits 1).
    """
    cmd = [sys.executable, "-c", _ISOLATED, str(ISOLATED_MEMORY_BYTES), *args]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, env=env,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        err = (exc.stderr or b"").decode("utf-8", "replace")
        return Outcome(None, out, err, Hang(f"no answer within {timeout:g} s"), hung=True)
    return Outcome(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                   proc.stderr.decode("utf-8", "replace"))


Expect = Literal["ok", "error", "either"]


def error_lines(stderr: str) -> list[str]:
    """The non-blank stderr lines, without Click's usage preamble of a usage error."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if lines and lines[0].startswith("Usage: "):
        lines = lines[1:]
        if lines and lines[0].startswith("Try '"):
            lines = lines[1:]
    return lines


def _is_help_for_no_arguments(stderr: str) -> bool:
    """Click's answer to a command group given no subcommand: its help, status 2, no error."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    return bool(lines) and lines[0].startswith("Usage: ") and not any(
        ln.startswith("Error: ") for ln in lines)


def check_outcome(out: Outcome, expect: Expect = "either", names: Sequence[str] = ()) -> None:
    """Assert the run succeeded (0) or failed cleanly (2, one error line naming ``names``)."""
    shown = out.head(6)
    assert not out.hung, f"hang: {shown}"
    exc = out.exception
    assert exc is None or isinstance(exc, SystemExit), f"exception escaped: {shown}"
    for stream in (out.stdout, out.stderr):
        assert "Traceback (most recent call last)" not in stream, f"traceback: {shown}"
    assert out.exit_code in (0, 2), f"exit status {out.exit_code}: {shown}"
    if expect == "ok":
        assert out.exit_code == 0, f"expected success: {shown}"
    if expect == "error":
        assert out.exit_code == 2, f"expected a clean error, exit 0: {out.stdout[:300]}"
    if out.exit_code == 2 and _is_help_for_no_arguments(out.stderr):
        return
    if out.exit_code == 2:
        lines = error_lines(out.stderr)
        assert len(lines) == 1, f"expected one error line on stderr, got {len(lines)}: {shown}"
        line = lines[0]
        assert line.lower().startswith("error:"), f"not an error line: {line}"
        for name in names:
            assert name.lower() in line.lower(), f"error line does not name {name!r}: {line}"


def check_library(call: Callable[[], object], expect: Expect = "either",
                  names: Sequence[str] = (), timeout: float = TIME_LIMIT_S) -> object | None:
    """Assert a library call returns or raises an AllianceError naming ``names`` (one line)."""
    from alliance.errors import AllianceError

    try:
        with time_bound(timeout):
            value = call()
    except AllianceError as exc:
        assert expect != "ok", f"expected success: {exc}"
        message = str(exc)
        assert "\n" not in message.strip(), f"error of several lines: {message!r}"
        for name in names:
            assert name in message, f"error does not name {name!r}: {message}"
        return None
    assert expect != "error", "expected an AllianceError"
    return value


