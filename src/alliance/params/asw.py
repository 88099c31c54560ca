"""Parameters of the GIUK anti-submarine barrier stage (the ``asw`` section of a scenario).

Sensor performance against a quiet modern submarine is classified: every sweep
width, availability and commitment below is a named *Assumption* with a low-high
range in its description (listed by :meth:`ParamsModel.assumptions`). Public
figures (leg widths, P-8 speed, radius and time on station, fleets, bases) live in
the bundled tables ``giuk_legs``, ``asw_bases``, ``asw_sensors`` and ``asw_fleet``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from alliance.params._base import ParamsModel

__all__ = ["ASW_LEGS", "AswParams"]

#: The barrier legs (keys of the ``giuk_legs`` table).
ASW_LEGS: tuple[str, ...] = ("denmark_strait", "iceland_faroes_scotland")


def _even_split() -> dict[str, float]:
    return {"denmark_strait": 0.5, "iceland_faroes_scotland": 0.5}


class AswParams(ParamsModel):
    """Scenario-set parameters of the GIUK barrier model (units and ranges in each field)."""

    transit_speed_kn: float = Field(
        default=8.0,
        gt=0.0,
        le=40.0,
        description=(
            "Speed of a transiting submarine through the barrier [knots]. Assumption, range "
            "5-15 kn: quiet transit speed is not public; 7.9 kn is the average of a 2015 "
            "under-ice SSBN transfer (blog analysis, grade C)."
        ),
    )
    mpa_sweep_width_km: float = Field(
        default=5.0,
        gt=0.0,
        le=200.0,
        description=(
            "Effective sweep width of one maritime patrol aircraft (sonobuoy field) against a "
            "quiet submarine [km]. Assumption, range 2-15 km: not public."
        ),
    )
    mpa_search_speed_kmh: float = Field(
        default=550.0,
        gt=0.0,
        le=1000.0,
        description=(
            "Search speed of a maritime patrol aircraft on station [km/h]. Assumption, range "
            "400-815 km/h (815 km/h is the P-8's cruise speed, asw_sensors table)."
        ),
    )
    mpa_availability: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description=(
            "Share of a maritime patrol fleet mission-capable on a given day [fraction 0-1]. "
            "Assumption, range 0.4-0.8. Multiplied by the capability stage's sustainment "
            "availability of US-made aircraft (the P-8 is US-made)."
        ),
    )
    mpa_sorties_per_day: float = Field(
        default=0.5,
        ge=0.0,
        le=3.0,
        description=(
            "Sorties per mission-capable aircraft per day, sustained [1/day]. Assumption, "
            "range 0.33-1.0 (crews and maintenance, not airframes, bind)."
        ),
    )
    mpa_giuk_share: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description=(
            "Share of each European maritime patrol fleet committed to the GIUK barrier "
            "[fraction 0-1]. Assumption, range 0.25-1.0 (the rest covers home waters, "
            "the North Sea and the Baltic)."
        ),
    )
    us_mpa_aircraft: float = Field(
        default=4.0,
        ge=0.0,
        le=50.0,
        description=(
            "US Navy P-8s rotating through Keflavik under full US commitment [aircraft]. "
            "Assumption, range 2-8: detachment sizes are not published (asw_fleet row "
            "left empty). Scaled by the scenario's us_commitment path `us_asset_path`."
        ),
    )
    frigates_committed: float = Field(
        default=6.0,
        ge=0.0,
        le=100.0,
        description=(
            "European frigates with towed arrays committed to the barrier [ships]. "
            "Assumption, range 3-12: the capability holdings cover few navies' frigates "
            "and none by sonar fit. Scaled by the capability stage's availability of the "
            "frigate_destroyer area."
        ),
    )
    frigate_sweep_width_km: float = Field(
        default=20.0,
        gt=0.0,
        le=500.0,
        description=(
            "Sweep width of a frigate's towed array against a quiet submarine [km]. "
            "Assumption, range 8-40 km: not public."
        ),
    )
    frigate_search_speed_kn: float = Field(
        default=8.0,
        gt=0.0,
        le=40.0,
        description=(
            "Frigate speed while towing an array on patrol [knots]. Assumption, range 5-12 kn."
        ),
    )
    frigate_on_station_fraction: float = Field(
        default=0.33,
        ge=0.0,
        le=1.0,
        description=(
            "Share of committed frigates on station at a time (one on patrol, one in "
            "transit, one in maintenance) [fraction 0-1]. Assumption, range 0.25-0.5."
        ),
    )
    submarines_committed: float = Field(
        default=3.0,
        ge=0.0,
        le=100.0,
        description=(
            "European attack submarines committed to the barrier [boats]. Assumption, "
            "range 1-6 (UK, Norwegian, Dutch, German and French boats also have other tasks)."
        ),
    )
    submarine_sweep_width_km: float = Field(
        default=15.0,
        gt=0.0,
        le=500.0,
        description=(
            "Sweep width of an attack submarine's sonar against a quiet submarine [km]. "
            "Assumption, range 5-30 km: not public."
        ),
    )
    submarine_search_speed_kn: float = Field(
        default=5.0,
        gt=0.0,
        le=40.0,
        description="Patrol speed of a barrier submarine [knots]. Assumption, range 3-8 kn.",
    )
    submarine_on_station_fraction: float = Field(
        default=0.33,
        ge=0.0,
        le=1.0,
        description=(
            "Share of committed submarines on station at a time [fraction 0-1]. "
            "Assumption, range 0.25-0.5."
        ),
    )
    fixed_array_p_detect: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description=(
            "Probability that the US-owned fixed seabed arrays (SOSUS/IUSS) detect a transit "
            "of a leg under full US commitment [probability 0-1]. Assumption, range 0.2-0.8: "
            "performance against modern quiet boats is not public. Scaled by `us_asset_path`."
        ),
    )
    us_asset_path: Literal["forces_in_place", "reinforcements"] = Field(
        default="forces_in_place",
        description=(
            "Which us_commitment path scales US assets (Keflavik P-8s, fixed arrays) "
            "[choice]. Assumption: the barrier is a standing, in-place commitment."
        ),
    )
    transits_per_year: float = Field(
        default=10.0,
        ge=0.0,
        le=1000.0,
        description=(
            "Northern Fleet submarine transits of the GIUK line per year in a crisis "
            "[transits/year]. Assumption, range 4-20: at least 10 boats surged in Oct 2019 "
            "(NRK via Norwegian intelligence, second-hand)."
        ),
    )
    transit_leg_shares: dict[str, float] = Field(
        default_factory=_even_split,
        description=(
            "Share of transits through each leg, leg -> fraction, summing to 1. Assumption: "
            "an even split (range: any split; the Denmark Strait is shallower and ice-bound "
            "in winter)."
        ),
    )
    sensor_leg_shares: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Share of the on-station sensors given to each leg, leg -> fraction summing to 1. "
            "Empty (default) = in proportion to leg width. Assumption."
        ),
    )
    target_p_detect: float = Field(
        default=0.5,
        gt=0.0,
        lt=1.0,
        description=(
            "Detection probability per transit Europe aims to hold on every leg without US "
            "assets [probability 0-1]; sets the MPA and frigate requirement. Assumption, "
            "range 0.3-0.9."
        ),
    )

    @field_validator("transit_leg_shares", "sensor_leg_shares")
    @classmethod
    def _check_shares(cls, value: dict[str, float]) -> dict[str, float]:
        """Keys must be legs, shares in 0-1 summing to 1 (or the map empty)."""
        for leg, share in value.items():
            if leg not in ASW_LEGS:
                raise ValueError(f"unknown leg {leg!r}; legs are {', '.join(ASW_LEGS)}")
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"share {share} for {leg} outside 0-1")
        if value and abs(sum(value.values()) - 1.0) > 1e-6:
            raise ValueError(f"shares sum to {sum(value.values()):g}, expected 1")
        return value
