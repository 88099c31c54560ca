"""Parameters of the capability-gap stage (the ``capabilities`` section of a scenario).

Every field states its unit and whether it rests on a source or is a named
modelling assumption. Area names are checked against the capability catalogue
(:mod:`alliance.catalogue`), so a scenario naming an unknown area fails
validation with the line and field, before anything runs.

The requirement of an area does not depend on the holdings a run reads: it is
either ``replace_us`` (the frozen European baseline plus the US contribution,
the IISS 2025 method) or ``force_package`` (an absolute quantity from a named
study, the GIUK barrier model, the user, or a named assumption with a range).
Every uncertain input carries a low-central-high range; the gap stage reports
the gap at the central values and its low-high range.
"""

from __future__ import annotations

import math
from typing import Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from alliance.catalogue import capability_catalogue
from alliance.params._areas import check_area_map
from alliance.params._base import ParamsModel

__all__ = [
    "FORCE_PACKAGE_SOURCES",
    "REQUIREMENT_SOURCES",
    "CapabilityParams",
    "ForcePackageSource",
    "RangeAssumption",
    "RequirementAssumption",
    "RequirementBasis",
]

RequirementBasis = Literal["replace_us", "force_package"]
ForcePackageSource = Literal[
    "kiel_fit_for_war_2025", "bruegel_kiel_2025", "nato_2025", "rusi_2014", "giuk_barrier"
]
#: Named studies with rows in the ``capability_requirements`` table.
REQUIREMENT_SOURCES: tuple[str, ...] = (
    "bruegel_kiel_2025",
    "kiel_fit_for_war_2025",
    "iiss_2025",
    "nato_2025",
    "rusi_2014",
)
#: Sources a force package can come from, in the default order of preference.
FORCE_PACKAGE_SOURCES: tuple[ForcePackageSource, ...] = (
    "kiel_fit_for_war_2025",
    "bruegel_kiel_2025",
    "nato_2025",
    "rusi_2014",
    "giuk_barrier",
)


class RangeAssumption(ParamsModel):
    """A named assumption with a low-central-high range (units as the field says)."""

    low: float = Field(ge=0.0, description="Optimistic-to-pessimistic range: lower end.")
    central: float = Field(ge=0.0, description="Central value the headline figures use.")
    high: float = Field(ge=0.0, description="Upper end of the range.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low <= self.central <= self.high:
            ends = f"{self.low:g}, {self.central:g}, {self.high:g}"
            msg = f"needs low <= central <= high (got {ends})"
            raise ValueError(msg)
        return self

    def ends(self) -> tuple[float, float, float]:
        """``(low, central, high)``."""
        return self.low, self.central, self.high


class RequirementAssumption(RangeAssumption):
    """A requirement where no public figure exists: a named assumption with a range.

    The requirement is ``value`` [area unit], or ``value`` x the requirement of
    ``per_unit_of`` when that is set (e.g. interceptors per long-range SAM battery).
    """

    per_unit_of: str | None = Field(
        default=None,
        description="Area whose requirement the value multiplies (None = absolute quantity).",
    )
    basis: str = Field(min_length=1, description="The reasoning behind the numbers, in words.")

    @field_validator("per_unit_of")
    @classmethod
    def _known_area(cls, value: str | None) -> str | None:
        if value is not None and value not in capability_catalogue().area_names:
            msg = f"per_unit_of: unknown capability area {value!r}"
            raise ValueError(msg)
        return value


def _default_assumed_requirements() -> dict[str, RequirementAssumption]:
    """Requirements the studies give no figure for (Assumption: see each ``basis``)."""
    return {
        "air_defence_interceptor": RequirementAssumption(
            low=16.0, central=48.0, high=96.0, per_unit_of="ground_based_air_defence_long_range",
            basis=(
                "Interceptor stock per long-range SAM battery required: one to six loads of a "
                "battery of four launchers with four missiles each (16 per load). No public "
                "NATO stockpile target exists."
            ),
        ),
        "satellites_isr": RequirementAssumption(
            low=10.0, central=20.0, high=40.0,
            basis=(
                "Military reconnaissance satellites Europe would need without US imagery: "
                "roughly today's European constellation (about 15-20 optical and radar "
                "satellites) doubled at the centre; US NRO holdings are classified, so "
                "like-for-like replacement cannot be counted."
            ),
        ),
        "sead_ead_aircraft": RequirementAssumption(
            low=24.0, central=48.0, high=96.0,
            basis=(
                "Dedicated SEAD/EW aircraft for a European air campaign: one to four "
                "squadrons of 24 (the US Navy's EA-18G community is about 150 aircraft); no "
                "European study gives a number."
            ),
        ),
    }


class CapabilityParams(ParamsModel):
    """Scenario-set parameters of the capability-gap model (units in each description)."""

    requirement_basis: dict[str, RequirementBasis] = Field(
        default_factory=dict,
        description=(
            "Per-area override of how the requirement is set, area -> 'replace_us' (frozen "
            "European baseline + US in Europe + planned US reinforcements: like-for-like "
            "replacement of what the US contributes, the IISS 2025 method) or 'force_package' "
            "(an absolute quantity from a named study, the GIUK barrier model or the user). "
            "Areas not named use the capability catalogue's basis [choice]."
        ),
    )
    force_package_order: tuple[ForcePackageSource, ...] = Field(
        default=FORCE_PACKAGE_SOURCES,
        description=(
            "Sources tried, in order, for a force-package requirement: "
            "'kiel_fit_for_war_2025' (Kiel/Bruegel 'Fit for war by 2030?', June 2025: total "
            "tanks, Patriot/SAMP-T), 'bruegel_kiel_2025' (Burilkov & Wolff, Feb 2025: land "
            "forces, troops, 155 mm shells), 'nato_2025' (Rutte's +400 % air and missile "
            "defence), 'rusi_2014' (RUSI: NATO tanker requirement), 'giuk_barrier' (the "
            "aircraft and frigates that hold the GIUK barrier's target detection without US "
            "assets, from the asw model). The first with a figure wins; then "
            "`assumed_requirements`. [ordered list]"
        ),
    )
    user_requirements: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Absolute requirements set by the user, capability area -> total needed [area unit, "
            "see the capability catalogue]. They replace any other figure for the area."
        ),
    )
    assumed_requirements: dict[str, RequirementAssumption] = Field(
        default_factory=_default_assumed_requirements,
        description=(
            "Assumption: requirements where no public figure exists, area -> low/central/high "
            "[area unit, or per unit of `per_unit_of`] with the reasoning. Used when the "
            "area's basis yields no figure; shown in the report."
        ),
    )
    requirement_central_point: Literal["low", "mid", "high"] = Field(
        default="mid",
        description=(
            "Which point of a published range (e.g. Kiel's 2,359-2,920 tanks) the central gap "
            "uses; the range's ends give gap_low and gap_high. Assumption: 'mid' (arithmetic "
            "midpoint) is a modelling choice."
        ),
    )
    reinforcement_share: RangeAssumption = Field(
        default=RangeAssumption(low=0.1, central=0.25, high=0.5),
        description=(
            "Assumption: share of the US inventory outside Europe (USA_TOTAL minus USA_EUCOM) "
            "the US would send to Europe in a crisis under full commitment [fraction 0-1]. "
            "NATO's planned US reinforcement flow by equipment type is not public."
        ),
    )
    reinforcement_shares: dict[str, RangeAssumption] = Field(
        default_factory=dict,
        description="Per-area overrides of `reinforcement_share`, area -> low/central/high.",
    )
    default_unsustained_floor: RangeAssumption = Field(
        default=RangeAssumption(low=0.0, central=0.25, high=0.5),
        description=(
            "Assumption: share of a US-made system family that stays usable indefinitely "
            "without US sustainment, for families without a row in the `sustainment` table "
            "[fraction 0-1]. 0 is the full 'kill-switch' bound."
        ),
    )
    default_half_life_months: RangeAssumption = Field(
        default=RangeAssumption(low=6.0, central=12.0, high=24.0),
        description=(
            "Assumption: months for the availability of a US-made family without a row in the "
            "`sustainment` table to halve once US support stops [months]. No published fleet "
            "readiness figure without US support was found."
        ),
    )
    sustainment_half_life_months: float | None = Field(
        default=None,
        gt=0.0,
        le=240.0,
        description=(
            "Lever: one half-life for every US-made family [months], replacing the per-family "
            "values (None = per family, from the sustainment table)."
        ),
    )
    unsustained_availability_floor: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description=(
            "Lever: one floor for every US-made family [fraction 0-1], replacing the "
            "per-family values (None = per family)."
        ),
    )
    readiness: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Peacetime availability of reported European holdings per capability area, "
            "area -> fraction 0-1 (default 1: holdings counted as reported). Lever, e.g. "
            "Germany reported 6 of 9 Patriot fire units combat-ready (2025)."
        ),
    )
    risk_weights: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Weights of capability areas in `capability_coverage` (area -> weight >= 0, default "
            "1 for every area) [dimensionless]. Assumption: equal weights."
        ),
    )
    include_canada: bool = Field(
        default=True,
        description="Count Canada's holdings with Europe's ('Europe + Canada' = NATO minus US).",
    )
    include_nato_common: bool = Field(
        default=True,
        description=(
            "Count commonly owned fleets (holder NATO_COMMON: NATO AEW&C E-3A, MMF tankers, AGS "
            "RQ-4D, SAC C-17) as European holdings."
        ),
    )

    @field_validator("user_requirements", "readiness", "risk_weights")
    @classmethod
    def _check_area_map(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """Keys must be capability areas; fractions in 0-1, requirements and weights >= 0."""
        fractions = info.field_name == "readiness"
        return check_area_map(value, str(info.field_name), high=1.0 if fractions else math.inf)

    @field_validator(
        "requirement_basis", "assumed_requirements", "reinforcement_shares", mode="before"
    )
    @classmethod
    def _check_area_keys(cls, value: object, info: ValidationInfo) -> object:
        """Keys must be capability areas (checked before the values are parsed)."""
        if not isinstance(value, dict):
            return value
        unknown = capability_catalogue().unknown_areas(value)
        if unknown:
            areas = ", ".join(capability_catalogue().area_names)
            msg = f"{info.field_name}: unknown capability area {unknown[0]!r}; known areas: {areas}"
            raise ValueError(msg)
        return value

    @field_validator("reinforcement_share", "reinforcement_shares", "default_unsustained_floor")
    @classmethod
    def _check_fractions(cls, value: object, info: ValidationInfo) -> object:
        """Shares and floors are fractions 0-1."""
        ranges = value.values() if isinstance(value, dict) else [value]
        for r in ranges:
            if isinstance(r, RangeAssumption) and r.high > 1.0:
                msg = f"{info.field_name}: a fraction must be at most 1 (high {r.high:g})"
                raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if not self.force_package_order:
            raise ValueError("force_package_order needs at least one source")
        return self

    def basis_for(self, area: str) -> RequirementBasis:
        """How the requirement of ``area`` is set (scenario override, else the catalogue)."""
        if area in self.requirement_basis:
            return self.requirement_basis[area]
        basis = capability_catalogue().area(area).requirement_basis
        return "replace_us" if basis == "replace_us" else "force_package"

    def share_for(self, area: str) -> RangeAssumption:
        """Reinforcement share range for ``area`` [fraction 0-1]."""
        return self.reinforcement_shares.get(area, self.reinforcement_share)

    def readiness_for(self, area: str) -> float:
        """Readiness of reported European holdings in ``area`` [fraction 0-1]."""
        return self.readiness.get(area, 1.0)

    def weight_for(self, area: str) -> float:
        """Risk weight of ``area`` in the coverage index [dimensionless]."""
        return self.risk_weights.get(area, 1.0)
