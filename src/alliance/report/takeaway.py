"""What a reader takes away from the report: CSV downloads, the summary JSON, "cite this".

The CSVs are the tables behind the report, written exactly as the Parquet
outputs of ``alliance assess`` (same rows, columns and order, one ``scenario``
column), embedded in the page so that the downloads work offline.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from alliance.assessment import Assessment
from alliance.data import Dataset

__all__ = ["DOWNLOAD_TABLES", "citation", "csv_downloads", "data_vintages", "download_tables",
           "git_commit"]

#: Tables of ``alliance assess`` embedded as CSV (small enough to embed; every other
#: table is in the Parquet outputs) and the report element each belongs to.
DOWNLOAD_TABLES: dict[str, str] = {
    "pledge_years": "Table 1: year each ally meets each pledge",
    "plan_closure": "Table 2: year the plan closes each gap",
    "deterrence": "Figure 5: deterrence risk per year",
    "ukraine_purl_allies": "PURL members",
}
#: Columns that date a table's data (the first one present is used).
_VINTAGE_COLUMNS: tuple[str, ...] = ("edition", "release_date", "data_through", "as_of",
                                     "as_of_year", "date", "year")


def download_tables(assessments: Sequence[Assessment]) -> dict[str, pd.DataFrame]:
    """The :data:`DOWNLOAD_TABLES` over all scenarios, with a leading ``scenario`` column.

    Stacked exactly as :func:`alliance.assess.result_tables` stacks them for the
    Parquet outputs.
    """
    out = {}
    for name in DOWNLOAD_TABLES:
        frames = []
        for a in assessments:
            tables = a.tables()
            if name not in tables:
                break
            frame = tables[name].copy()
            frame.insert(0, "scenario", a.scenario.name)
            frames.append(frame.reset_index(drop=True))
        else:
            if frames:
                out[name] = pd.concat(frames, ignore_index=True)
    return out


def csv_downloads(tables: Mapping[str, pd.DataFrame]) -> list[dict[str, str]]:
    """``[{"name", "what", "csv"}]`` for each of :data:`DOWNLOAD_TABLES` present in ``tables``."""
    out = []
    for name, what in DOWNLOAD_TABLES.items():
        if name in tables:
            out.append({"name": name, "what": what,
                        "csv": tables[name].to_csv(index=False, lineterminator="\n")})
    return out


def git_commit() -> str | None:
    """The commit of the source tree alliance runs from, if it is a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.strip()
    return text if done.returncode == 0 and len(text) == 40 else None


def data_vintages(dataset: Dataset) -> list[dict[str, str]]:
    """Per bundled table, the latest value of the first dating column it has."""
    out = []
    for name in dataset.table_names():
        frame = dataset.table(name)
        col = next((c for c in _VINTAGE_COLUMNS if c in frame.columns), None)
        if col is None:
            continue
        values = frame[col].dropna().astype(str)
        values = values[values.str.strip() != ""]
        if len(values):
            out.append({"table": name, "column": col, "latest": str(values.max())})
    return out


def citation(summary: Mapping[str, Any], dataset: Dataset,
             scenario_names: list[str]) -> dict[str, Any]:
    """The "cite this" block: version, commit, seed, draws, date and data vintages."""
    commit = git_commit()
    today = dt.datetime.now(dt.UTC).date().isoformat()
    version = summary.get("alliance_version", "unknown")
    text = (f"alliance {version} (commit {commit[:12] if commit else 'unknown'}), "
            f"assessment of {', '.join(scenario_names)}; {summary.get('draws')} Monte Carlo "
            f"draws, seed {summary.get('seed')}; generated {today}.")
    return {"version": version, "commit": commit, "seed": summary.get("seed"),
            "draws": summary.get("draws"), "date": today, "text": text,
            "command": (f"alliance assess {' '.join(scenario_names)} --draws "
                        f"{summary.get('draws')} --seed {summary.get('seed')}"),
            "vintages": data_vintages(dataset)}
