"""Nothing half-written, nothing lost: --out folders under interrupts and kills."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from alliance import _io
from alliance._io import OUTPUT_MARKER, check_output_folder, replace_folder
from alliance.errors import AllianceError

FILES = 12


def _fill(version: int):  # type: ignore[no-untyped-def]
    def fill(folder: Path) -> None:
        for i in range(FILES):
            (folder / f"table_{i}.txt").write_text(f"{version}\n", encoding="utf-8")

    return fill


def _complete_version(out: Path) -> int:
    """The version of a complete output folder; fails on a partial or mixed one."""
    assert (out / OUTPUT_MARKER).is_file(), sorted(p.name for p in out.iterdir())
    versions = {(out / f"table_{i}.txt").read_text(encoding="utf-8") for i in range(FILES)}
    assert len(versions) == 1, versions
    return int(versions.pop())


def test_a_folder_that_alliance_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("my work", encoding="utf-8")
    with pytest.raises(AllianceError, match="alliance did not write"):
        check_output_folder(thesis)
    with pytest.raises(AllianceError, match="alliance did not write"):
        replace_folder(thesis, _fill(1))
    assert (thesis / "chapter1.tex").read_text(encoding="utf-8") == "my work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_an_earlier_output_and_an_empty_folder_are_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    replace_folder(out, _fill(1))
    assert _complete_version(out) == 1
    replace_folder(out, _fill(2))
    assert _complete_version(out) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_interrupt_between_the_two_renames_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an atomic exchange, Ctrl-C after the first rename restores the old folder."""
    out = tmp_path / "out"
    replace_folder(out, _fill(1))
    monkeypatch.setattr(_io, "_exchange", lambda a, b: False)
    real_replace = os.replace
    calls = {"n": 0}

    def replace_then_interrupt(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second rename: tmp -> out
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(_io.os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        replace_folder(out, _fill(2))
    monkeypatch.setattr(_io.os, "replace", real_replace)
    assert _complete_version(out) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_next_run_restores_an_output_a_kill_left_moved_away(tmp_path: Path) -> None:
    """A SIGKILL between the two renames leaves .out.old-*; the next run puts it back."""
    out = tmp_path / "out"
    replace_folder(out, _fill(1))
    os.replace(out, tmp_path / ".out.old-deadbeef")
    (tmp_path / ".out.tmp-cafecafe").mkdir()  # a fill killed half-way
    check_output_folder(out)
    replace_folder(out, _fill(2))
    assert _complete_version(out) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from alliance._io import replace_folder
    out, version, files = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    def fill(folder):
        for i in range(files):
            (folder / f"table_{i}.txt").write_text(f"{version}\\n", encoding="utf-8")
            time.sleep(0.004)
    replace_folder(out, fill)
    """
)


@pytest.mark.slow
def test_killed_at_random_moments_the_output_is_the_old_or_the_new_one(tmp_path: Path) -> None:
    """Kill loop: SIGKILL, SIGTERM or SIGINT at a random moment of a write, 40 times.

    After each kill the folder holds a complete previous or a complete new output
    (never a mix, never nothing), and after the next run nothing stale is left.
    """
    out = tmp_path / "out"
    replace_folder(out, _fill(0))
    rng = random.Random(20250624)
    outcomes = {"old": 0, "new": 0}
    version = 0
    for _ in range(40):
        version += 1
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(out), str(version),
                                 str(FILES)])
        time.sleep(rng.uniform(0.0, 0.35))
        proc.send_signal(rng.choice([signal.SIGKILL, signal.SIGTERM, signal.SIGINT]))
        proc.wait(timeout=30)
        seen = _complete_version(out)
        assert seen in (version - 1, version)
        outcomes["new" if seen == version else "old"] += 1
        version = seen
    replace_folder(out, _fill(version + 1))
    assert _complete_version(out) == version + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes


def test_an_output_of_an_older_version_without_the_marker_is_replaced(tmp_path: Path) -> None:
    """Folders written before the marker existed (report.html + summary.json) still count."""
    out = tmp_path / "alliance-out"
    out.mkdir()
    (out / "report.html").write_text("<html></html>", encoding="utf-8")
    (out / "summary.json").write_text('{"alliance_version": "0.1.0"}', encoding="utf-8")
    replace_folder(out, _fill(3))
    assert _complete_version(out) == 3
    lookalike = tmp_path / "mine"
    lookalike.mkdir()
    (lookalike / "report.html").write_text("my report", encoding="utf-8")
    (lookalike / "summary.json").write_text('{"title": "mine"}', encoding="utf-8")
    with pytest.raises(AllianceError, match="alliance did not write"):
        replace_folder(lookalike, _fill(1))
