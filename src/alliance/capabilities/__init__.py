"""Capability gaps: what Europe lacks if the US steps back.

Stage functions (Dataset, Scenario -> tidy DataFrame):

* :func:`capability_gaps` - requirement, European effective holdings, US
  contribution, gap and signed surplus per capability area and year;
* :func:`dependency_exposure` - per ally, the US-made share of each capability
  (kill-switch exposure) and the money value at stake;
* :func:`holdings_by_ally` - holdings per ally, area and year, saying where data is missing;
* :func:`capability_coverage` - the share of requirement covered per year, for deterrence.

The lower-level pure functions take DataFrames (see :mod:`alliance.capabilities.gaps`).
The model and its assumptions are described in ``docs/capabilities.md``.
"""

from alliance.capabilities.dependency import dependency_exposure, exposure_table
from alliance.capabilities.gaps import (
    GAP_COLUMNS,
    area_of,
    capability_coverage,
    capability_gaps,
    commitment_paths,
    european_effective,
    european_reference,
    gap_table,
    holdings_by_ally,
    resolve_requirements,
    sustainment_availability,
    us_contribution_full,
)

__all__ = [
    "GAP_COLUMNS",
    "area_of",
    "capability_coverage",
    "capability_gaps",
    "commitment_paths",
    "dependency_exposure",
    "european_effective",
    "european_reference",
    "exposure_table",
    "gap_table",
    "holdings_by_ally",
    "resolve_requirements",
    "sustainment_availability",
    "us_contribution_full",
]
