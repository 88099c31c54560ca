"""CSV output shared by the build scripts (imported from ``scripts/``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path


def write_csv(path: Path, rows: Iterable[Mapping[str, str]], columns: Sequence[str]) -> None:
    """Write ``rows`` in the order of ``columns`` with Unix newlines.

    A column a row lacks is written empty; keys that are not columns are left out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
