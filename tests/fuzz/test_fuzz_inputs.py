"""Properties over generated bad input: overlays, scenario and grid YAML, CLI argument vectors.

Each example either succeeds or fails with one readable error line naming the
file or field at fault (:func:`tests.fuzz._harness.check_outcome`); nothing else
escapes, and nothing runs past the time bound. The number of examples comes from
the fuzz profile (``HYPOTHESIS_PROFILE``; see _harness.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.data import load_dataset
from alliance.errors import AllianceError
from alliance.scenario import Scenario, load_scenario
from alliance.sweep import load_grid
from tests.fuzz import strategies as fs
from tests.fuzz._harness import FUZZ, check_outcome, fuzz, run_cli, time_bound


def _fresh(tmp_path: Path) -> Path:
    """A new folder for one example (tmp_path is shared by all examples of a test)."""
    return Path(tempfile.mkdtemp(dir=tmp_path))


def _library_outcome(call: object, where: list[str]) -> object:
    """Run ``call()``; an AllianceError must be one line naming one of ``where``."""
    try:
        with time_bound(60):
            return call()  # type: ignore[operator]
    except AllianceError as exc:
        message = str(exc)
        assert "\n" not in message.strip(), f"error of several lines: {message!r}"
        assert any(w in message for w in where), f"error names none of {where}: {message}"
        return None


@FUZZ
@given(files=fs.overlay_files())
def test_overlays_load_or_name_the_file(tmp_path: Path, files: list[tuple[str, bytes]]) -> None:
    overlay = _fresh(tmp_path)
    for name, data in files:
        (overlay / name).write_bytes(data)
    ds = _library_outcome(lambda: load_dataset(overlay), [n for n, _ in files] + [str(overlay)])
    if ds is not None:
        assert ds.table_names()


@fuzz(0.5)
@given(files=fs.overlay_files())
def test_data_validate_overlays(tmp_path: Path, files: list[tuple[str, bytes]]) -> None:
    overlay = _fresh(tmp_path)
    for name, data in files:
        (overlay / name).write_bytes(data)
    check_outcome(run_cli(["data", "validate", "--overlay", str(overlay)]))


@FUZZ
@given(text=fs.scenario_text())
def test_scenario_yaml_loads_or_names_the_file(tmp_path: Path, text: bytes) -> None:
    path = _fresh(tmp_path) / "scenario.yaml"
    path.write_bytes(text)
    sc = _library_outcome(lambda: load_scenario(path), [str(path), "scenario.yaml"])
    if sc is not None:
        assert isinstance(sc, Scenario) and sc.first_year <= sc.horizon


@fuzz(0.5)
@given(text=fs.scenario_text())
def test_scenario_validate_cli(tmp_path: Path, text: bytes) -> None:
    path = _fresh(tmp_path) / "scenario.yaml"
    path.write_bytes(text)
    check_outcome(run_cli(["scenario", "validate", str(path)]))


@FUZZ
@given(text=fs.grid_text())
def test_grid_yaml_loads_or_names_the_file(tmp_path: Path, text: bytes) -> None:
    path = _fresh(tmp_path) / "grid.yaml"
    path.write_bytes(text)
    _library_outcome(lambda: load_grid(path), [str(path), "grid.yaml"])


@pytest.mark.slow
@fuzz(0.5)
@given(text=fs.grid_text())
def test_sweep_serial_cli(tmp_path: Path, text: bytes) -> None:
    folder = _fresh(tmp_path)
    (folder / "grid.yaml").write_bytes(text)
    out = folder / "out.parquet"
    result = run_cli(["sweep", str(folder / "grid.yaml"), "--serial", "--out", str(out)])
    check_outcome(result)
    assert out.exists() == (result.exit_code == 0)  # written whole, or not at all
    assert not list(folder.glob(".*tmp*"))  # no temporary file left behind


@pytest.mark.parametrize("command", ["spending", "scenario"])
@FUZZ
@given(data=st.data())
def test_cli_argument_vectors_light(command: str, data: st.DataObject) -> None:
    check_outcome(run_cli(data.draw(fs.argv(command), label="argv")))


@pytest.mark.parametrize("command", ["gaps", "plan", "deter"])
@fuzz(0.4)
@given(data=st.data())
def test_cli_argument_vectors_stages(command: str, data: st.DataObject) -> None:
    check_outcome(run_cli(data.draw(fs.argv(command), label="argv")))


@FUZZ
@given(query=fs.sql_query(), as_json=st.booleans())
def test_data_sql_queries(query: str, as_json: bool) -> None:
    check_outcome(run_cli(["data", "sql", query, *(["--json"] if as_json else [])]))
