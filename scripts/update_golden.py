"""Regenerate the golden reference tests/golden/summary.json.

Runs every built-in scenario with the small fixed settings of the test suite
(``SMALL_SETTINGS`` in tests/conftest.py) on the bundled data, and writes the
``alliance.assess.summarise`` dict (without volatile fields such as the package
version) atomically. Prints the headline figures that moved. Run it on purpose,
after a change that is meant to move the results, and review the diff in git::

    .venv/bin/python scripts/update_golden.py
    git diff tests/golden/summary.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests package: one definition of SMALL_SETTINGS

from tests.conftest import SMALL_SETTINGS  # noqa: E402
from tests.golden.golden import REFERENCE, compare, reference_summary  # noqa: E402

from alliance._io import atomic_write_text  # noqa: E402
from alliance._json import dumps  # noqa: E402
from alliance.assess import run_assessments, summarise  # noqa: E402
from alliance.data import load_dataset  # noqa: E402
from alliance.scenario import builtin_scenario_names  # noqa: E402


def main() -> int:
    names = builtin_scenario_names()
    print(
        f"assessing {', '.join(names)} ({SMALL_SETTINGS.draws} draws, "
        f"seed {SMALL_SETTINGS.seed}) ..."
    )
    runs = run_assessments(load_dataset(), names, SMALL_SETTINGS)
    text = dumps(reference_summary(summarise(runs)), indent=2) + "\n"
    if REFERENCE.is_file():
        moved = compare(json.loads(REFERENCE.read_text(encoding="utf-8")), json.loads(text))
        print(f"{len(moved)} headline figure(s) moved beyond their tolerance")
        for difference in moved:
            print(f"  {difference.line()}")
    atomic_write_text(REFERENCE, text)
    shown = REFERENCE.relative_to(ROOT)
    print(f"wrote {shown}; review it with `git diff {shown}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
