"""Parameters of the capability-gap stage (the ``capabilities`` section of a scenario).

Every field states its unit and whether it rests on a source or is a named
modelling assumption. Area names are checked against the capability catalogue
(:mod:`alliance.catalogue`), so a scenario naming an unknown area fails
validation with the line and field, before anything runs.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from alliance.params._areas import check_area_map
from alliance.params._base import ParamsModel

__all__ = ["REQUIREMENT_SOURCES", "CapabilityParams", "RequirementSource"]

RequirementSource = Literal[
    "combined", "bruegel_kiel_2025", "kiel_fit_for_war_2025", "iiss_2025", "nato_2025", "user"
]
#: Named studies with rows in the ``capability_requirements`` table.
REQUIREMENT_SOURCES: tuple[str, ...] = (
    "bruegel_kiel_2025",
    "kiel_fit_for_war_2025",
    "iiss_2025",
    "nato_2025",
)


class CapabilityParams(ParamsModel):
    """Scenario-set parameters of the capability-gap model (units in each description)."""

    requirement_source: RequirementSource = Field(
        default="combined",
        description=(
            "Which published requirement each capability area is measured against: "
            "'bruegel_kiel_2025' (Burilkov & Wolff, Kiel Policy Brief 183, Feb 2025: land "
            "forces), 'kiel_fit_for_war_2025' (Kiel/Bruegel 'Fit for war by 2030?', June 2025: "
            "tanks, Patriot/SAMP-T), 'iiss_2025' (IISS 'Defending Europe without the United "
            "States', May 2025: aircraft, destroyers, long-range SAM, personnel), 'nato_2025' "
            "(Rutte's +400 % air and missile defence, June 2025), 'combined' (first source in "
            "`combined_order` that has a figure), or 'user' (only `user_requirements`). Areas "
            "the chosen source gives no figure for are reported as 'no requirement', never 0."
        ),
    )
    combined_order: tuple[
        Literal["bruegel_kiel_2025", "kiel_fit_for_war_2025", "iiss_2025", "nato_2025"], ...
    ] = Field(
        default=("bruegel_kiel_2025", "iiss_2025"),
        description=(
            "Priority of studies for requirement_source 'combined' [ordered list of study ids]. "
            "Default follows the design: Bruegel/Kiel 2025 for land forces, then IISS 2025 for "
            "enablers."
        ),
    )
    user_requirements: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Absolute requirements set by the user, capability area -> total needed [area unit, "
            "see the capability catalogue: troops, vehicles, aircraft, batteries, missiles, "
            "satellites, ships]. They replace the study figure for that area under any "
            "requirement_source."
        ),
    )
    requirement_range_point: Literal["low", "mid", "high"] = Field(
        default="low",
        description=(
            "Which point of a published range to use (e.g. Kiel's 2,359-2,920 tanks): 'low', "
            "'high', or 'mid' (arithmetic midpoint, a modelling choice) [choice]."
        ),
    )
    us_contribution_basis: Literal["study", "inventory"] = Field(
        default="study",
        description=(
            "How the US contribution under full commitment is measured. 'study': where the "
            "requirement is a study's additional need to replace the US (Bruegel/Kiel, IISS), "
            "the US contributes exactly that need, split into forces in place and "
            "reinforcements by the troop split in the us_posture table (in place / (in place + "
            "planned reinforcements)); other requirements fall back to 'inventory'. "
            "'inventory': US holdings in Europe (holder USA_EUCOM) plus `reinforcement_share` "
            "of the rest of the US inventory (holder USA_TOTAL) [choice]."
        ),
    )
    reinforcement_share: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description=(
            "Share of the US inventory outside Europe (USA_TOTAL minus USA_EUCOM) the US would "
            "send to Europe in a crisis under full commitment [fraction 0-1]. Assumption, not "
            "from a source: NATO's planned US reinforcement flow by equipment type is not public."
        ),
    )
    reinforcement_shares: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Per-area overrides of `reinforcement_share`, capability area -> fraction 0-1."
        ),
    )
    sustainment_half_life_months: float = Field(
        default=12.0,
        gt=0.0,
        le=240.0,
        description=(
            "Half-life of the availability of US-made equipment in European hands once US "
            "sustainment (spares, software, depot maintenance) is denied [months]. Availability "
            "moves toward its target (1 with full sustainment, the floor without) by "
            "a(y) = target(y) + (a(y-1) - target(y)) * 2**(-12 / half_life), starting from 1 "
            "the year before first_year. Assumption: no published estimate of fleet readiness "
            "without US support was found; vary it."
        ),
    )
    unsustained_availability_floor: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description=(
            "Share of US-made equipment that stays usable indefinitely without US sustainment "
            "(national workarounds, cannibalisation, stocks) [fraction 0-1]. Assumption: 0 is "
            "the full 'kill-switch' bound."
        ),
    )
    readiness: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Peacetime availability of reported European holdings per capability area, "
            "area -> fraction 0-1 (default 1: holdings counted as reported). Assumption lever, "
            "e.g. Germany reported 6 of 9 Patriot fire units combat-ready (2025)."
        ),
    )
    risk_weights: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Weights of capability areas in `capability_coverage` (area -> weight >= 0, default "
            "1 for every area with a requirement) [dimensionless]. Assumption: equal weights."
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

    @field_validator("user_requirements", "reinforcement_shares", "readiness", "risk_weights")
    @classmethod
    def _check_area_map(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """Keys must be capability areas; fractions in 0-1, requirements and weights >= 0."""
        fractions = info.field_name in ("reinforcement_shares", "readiness")
        return check_area_map(value, str(info.field_name), high=1.0 if fractions else math.inf)

    @model_validator(mode="after")
    def _check_user_source(self) -> CapabilityParams:
        if self.requirement_source == "user" and not self.user_requirements:
            raise ValueError("requirement_source 'user' needs user_requirements")
        if not self.combined_order:
            raise ValueError("combined_order needs at least one study")
        return self

    def share_for(self, area: str) -> float:
        """Reinforcement share for ``area`` [fraction 0-1]."""
        return self.reinforcement_shares.get(area, self.reinforcement_share)

    def readiness_for(self, area: str) -> float:
        """Readiness of reported European holdings in ``area`` [fraction 0-1]."""
        return self.readiness.get(area, 1.0)

    def weight_for(self, area: str) -> float:
        """Risk weight of ``area`` in the coverage index [dimensionless]."""
        return self.risk_weights.get(area, 1.0)
