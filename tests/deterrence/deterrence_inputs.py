"""Small, hand-built inputs for the deterrence tests (no dataset needed)."""

from __future__ import annotations

import pandas as pd

# capitals (degrees) and GDP (billion USD, rounded 2024 World Bank figures)
_ALLIES = [
    ("EST", "Estonia", True, 59.437, 24.754, 42.0),
    ("LVA", "Latvia", True, 56.950, 24.100, 43.0),
    ("LTU", "Lithuania", True, 54.687, 25.280, 79.0),
    ("POL", "Poland", True, 52.230, 21.012, 915.0),
    ("DEU", "Germany", False, 52.520, 13.405, 4660.0),
    ("FRA", "France", False, 48.857, 2.352, 3160.0),
    ("GBR", "United Kingdom", False, 51.507, -0.128, 3640.0),
    ("USA", "United States", False, 38.895, -77.036, 29180.0),
]


def make_allies() -> pd.DataFrame:
    """Eight allies: the Baltic states, Poland, three large Europeans and the US."""
    return pd.DataFrame(
        _ALLIES,
        columns=["iso3", "name", "borders_russia_belarus", "capital_lat", "capital_lon",
                 "gdp_usd_bn"],
    )


def make_context(us: float = 1.0, coverage: float = 0.75, years: tuple[int, ...] = (2030,)
                 ) -> pd.DataFrame:
    """Context rows with the given US commitment (both components) and coverage."""
    return pd.DataFrame(
        {
            "year": list(years),
            "us_forces_in_place": [us] * len(years),
            "us_reinforcements": [us] * len(years),
            "capability_coverage": [coverage] * len(years),
        }
    )
