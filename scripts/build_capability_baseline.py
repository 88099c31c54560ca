"""Freeze the European baseline the ``replace_us`` requirement rests on.

Usage::

    python scripts/build_capability_baseline.py [--out PACKAGE_DATA_DIR]

Reads the *bundled* ``capability_holdings`` table, keeps the rows the gap model
counts (``alliance.capabilities.gaps.counted_holdings`` with Canada and common
fleets included) and writes ``tables/capability_baseline.csv``: European
in-service holdings per holder and capability area. A requirement built on this
table does not move when a run overlays other holdings; a test checks that the
bundled table equals what this script computes from the bundled holdings
(a consistency check, run after every rebuild of the holdings).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from alliance._io import atomic_write_text
from alliance.capabilities.gaps import baseline_table
from alliance.data import read_schema, validate_frame

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "alliance" / "data"


def main() -> None:
    """Write ``capability_baseline.csv`` under ``--out``/tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    # the holdings table alone (not the Dataset, which would validate the old baseline)
    holdings = validate_frame(args.out / "tables" / "capability_holdings.csv",
                              read_schema(args.out / "schema" / "capability_holdings.csv"), None)
    table: pd.DataFrame = baseline_table(holdings)
    target = args.out / "tables" / "capability_baseline.csv"
    atomic_write_text(target, table.to_csv(index=False, lineterminator="\n"))
    print(f"wrote {target} ({len(table)} rows)")


if __name__ == "__main__":
    main()
