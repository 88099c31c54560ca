"""Small, hand-built inputs for the deterrence tests (no dataset needed)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from alliance.deterrence.inputs import ForceInputs, YearForces, attach_forces

# capitals (degrees)
_ALLIES = [
    ("EST", "Estonia", True, 59.437, 24.754),
    ("LVA", "Latvia", True, 56.950, 24.100),
    ("LTU", "Lithuania", True, 54.687, 25.280),
    ("POL", "Poland", True, 52.230, 21.012),
    ("DEU", "Germany", False, 52.520, 13.405),
    ("FRA", "France", False, 48.857, 2.352),
    ("GBR", "United Kingdom", False, 51.507, -0.128),
    ("USA", "United States", False, 38.895, -77.036),
]
ISO3 = tuple(a[0] for a in _ALLIES)
HOURS = 96

#: Own brigades in place at hour 0 [power units], stylised.
OWN = {"EST": 1.0, "LVA": 1.0, "LTU": 1.6, "POL": 8.0, "DEU": 6.0, "FRA": 8.0, "GBR": 5.0,
       "USA": 0.0}
#: Forward formations in the Baltic states' theatre, by holder [power units].
BALTIC_FORWARD = {"GBR": 0.7, "DEU": 0.8, "USA": 0.6}
#: Each ally's arrivals in any other ally's theatre: (hour after its decision, power).
ARRIVALS = {"POL": ((30, 1.0), (60, 3.0)), "DEU": ((48, 1.0), (90, 2.0)),
            "USA": ((40, 2.0),), "FRA": ((60, 0.5),), "GBR": ((60, 0.5),)}


def make_forces(
    years: Iterable[int], own: dict[str, float] | None = None,
    baltic_forward: dict[str, float] | None = None,
    arrivals: dict[str, tuple[tuple[int, float], ...]] | None = None,
    scale: float = 1.0,
) -> ForceInputs:
    """Hand-built forces: ``own`` in place, ``baltic_forward`` in the Baltic states,
    ``arrivals`` (step curves) into every other ally's theatre; all times ``scale``."""
    own = OWN if own is None else own
    fwd_in = BALTIC_FORWARD if baltic_forward is None else baltic_forward
    arr = ARRIVALS if arrivals is None else arrivals
    a = len(ISO3)
    pos = {c: i for i, c in enumerate(ISO3)}
    own_arr = np.array([own.get(c, 0.0) for c in ISO3]) * scale
    fwd = np.zeros((a, a))
    for t in ("EST", "LVA", "LTU"):
        for holder, power in fwd_in.items():
            fwd[pos[t], pos[holder]] = power * scale
    curve = np.zeros((a, HOURS + 1, a), dtype=np.float32)
    for ally, steps in arr.items():
        for hour, power in steps:
            curve[:, hour:, pos[ally]] = power * scale
    for i in range(a):
        curve[i, :, i] = 0.0
    year_forces = YearForces(iso3=ISO3, own=own_arr, forward=fwd, curve=curve)
    return ForceInputs(years={int(y): year_forces for y in years}, source="hand-built (tests)")


def make_allies() -> pd.DataFrame:
    """Eight allies: the Baltic states, Poland, three large Europeans and the US."""
    return pd.DataFrame(
        _ALLIES,
        columns=["iso3", "name", "borders_russia_belarus", "capital_lat", "capital_lon"],
    )


def make_context(us: float = 1.0, coverage: float = 0.75, years: tuple[int, ...] = (2030,),
                 forces: ForceInputs | None = None) -> pd.DataFrame:
    """Context rows with the given US commitment (both components) and coverage."""
    context = pd.DataFrame(
        {
            "year": list(years),
            "us_forces_in_place": [us] * len(years),
            "us_reinforcements": [us] * len(years),
            "capability_coverage": [coverage] * len(years),
        }
    )
    return attach_forces(context, forces if forces is not None else make_forces(years))
