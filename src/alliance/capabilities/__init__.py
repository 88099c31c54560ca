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
    ASSUMPTION_LABELS,
    GAP_COLUMNS,
    area_of,
    availability_model,
    baseline_table,
    capability_coverage,
    capability_gaps,
    commitment_paths,
    counted_holdings,
    european_baseline,
    european_reference,
    holdings_by_ally,
    us_inventory,
)
from alliance.capabilities.requirements import resolve_requirements
from alliance.capabilities.sustainment import family_sustainment, sustainment_availability

__all__ = [
    "ASSUMPTION_LABELS",
    "GAP_COLUMNS",
    "area_of",
    "availability_model",
    "baseline_table",
    "capability_coverage",
    "capability_gaps",
    "commitment_paths",
    "counted_holdings",
    "dependency_exposure",
    "european_baseline",
    "european_reference",
    "exposure_table",
    "family_sustainment",
    "holdings_by_ally",
    "resolve_requirements",
    "sustainment_availability",
    "us_inventory",
]
