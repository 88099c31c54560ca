"""The main job: assess one or many scenarios and write the outputs.

:func:`run_assessments` runs every stage (:mod:`alliance.assessment`) per
scenario; :func:`result_tables` stacks each Assessment's tidy tables with a
``scenario`` column (written as Parquet); :func:`summarise` collects the headline
numbers (written as ``summary.json`` and the only source of the numbers quoted in
the report's text); :func:`write_outputs` writes a folder atomically.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from alliance._io import replace_folder
from alliance._json import dumps
from alliance.assessment import Assessment, RunSettings, assess_scenario
from alliance.data import Dataset
from alliance.errors import AllianceError
from alliance.scenario import Scenario, load_scenario

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "REPORT_YEAR",
    "result_tables",
    "run_assessments",
    "summarise",
    "write_outputs",
]

logger = logging.getLogger(__name__)

#: Monte Carlo draws per scenario and year used by ``alliance assess`` and the dashboard.
DEFAULT_DRAWS: int = 20_000
#: Seed of the crisis Monte Carlo unless told otherwise.
DEFAULT_SEED: int = 20250624
#: Year the headline numbers quote (clamped into each scenario's years) [year].
REPORT_YEAR: int = 2030


def run_assessments(
    dataset: Dataset,
    scenarios: Iterable[str | Scenario],
    settings: RunSettings,
    *,
    on_stage: Callable[[str, str], None] | None = None,
) -> list[Assessment]:
    """Run every stage for each scenario (built-in name, YAML path or Scenario).

    ``on_stage(scenario_name, stage)`` is told each stage as it starts. Every
    scenario is loaded and validated before the first one runs.
    """
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    names = [s.name for s in loaded]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        msg = f"scenarios: each scenario may appear once; repeated: {', '.join(duplicates)}."
        raise AllianceError(msg)
    results = []
    for scenario in loaded:
        logger.info("assessing %s (%d draws, seed %d)", scenario.name, settings.draws,
                    settings.seed)

        def tell(stage: str, _name: str = scenario.name) -> None:
            if on_stage is not None:
                on_stage(_name, stage)

        results.append(assess_scenario(dataset, scenario, settings, on_stage=tell))
    return results


def result_tables(assessments: Iterable[Assessment]) -> dict[str, pd.DataFrame]:
    """Tidy long tables over all scenarios, each with a leading ``scenario`` column."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for a in assessments:
        for name, frame in a.tables().items():
            out = frame.copy()
            out.insert(0, "scenario", a.scenario.name)
            parts.setdefault(name, []).append(out.reset_index(drop=True))
    return {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}


def summarise(assessments: Iterable[Assessment], report_year: int = REPORT_YEAR) -> dict[str, Any]:
    """Headline numbers of every scenario: ``{"scenarios": {name: ...}, ...}``."""
    items = list(assessments)
    return {
        "alliance_version": _version(),
        "report_year": report_year,
        "draws": items[0].draws if items else None,
        "seed": items[0].seed if items else None,
        "units": {
            "money": "USD million (musd); current prices unless named constant",
            "shares": "percent of GDP",
            "probabilities": "fraction 0-1 per year, with Monte Carlo standard error (_stderr)",
            "gaps": "capability's own unit (see 'unit')",
        },
        "scenarios": {a.scenario.name: a.summary(report_year) for a in items},
    }


def _version() -> str:
    try:
        return version("alliance")
    except PackageNotFoundError:
        return "unknown"


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one table as Parquet (object columns of mixed type become strings).

    The frame's ``attrs`` (objects the stages pass along, e.g. the plan's deliveries)
    are not written: a Parquet file holds the table alone.
    """
    out = frame.copy()
    out.attrs = {}
    for col in out.columns:
        if out[col].dtype == object:
            kinds = {type(v) for v in out[col].dropna()}
            if len(kinds) > 1:
                out[col] = out[col].map(lambda v: None if v is None or v is pd.NA else str(v))
    out.to_parquet(path, index=False)


def write_outputs(
    out_dir: str | Path,
    tables: Mapping[str, pd.DataFrame],
    summary: Mapping[str, Any],
    report_html: str,
) -> Path:
    """Write report.html, summary.json and ``<table>.parquet`` into ``out_dir`` atomically.

    Everything goes into a temporary sibling folder first, which then replaces
    ``out_dir`` in one rename (:func:`alliance._io.replace_folder`). Returns ``out_dir``.
    """

    def fill(folder: Path) -> None:
        for name, frame in tables.items():
            _write_table(frame, folder / f"{name}.parquet")
        (folder / "summary.json").write_text(dumps(summary, indent=2) + "\n", encoding="utf-8")
        (folder / "report.html").write_text(report_html, encoding="utf-8")

    out = replace_folder(Path(out_dir), fill)
    logger.info("wrote %d tables, summary.json and report.html to %s", len(tables), out)
    return out
