"""Parameters of the planning engine (the procurement and industrial-capacity LP).

:class:`PlanningParams` is the ``planning`` section of a scenario. Every field
states its unit and whether it rests on a source or is a named modelling
assumption. Defaults marked *assumption* have no published source: they exist
so that the model can run where the systems catalogue has an empty cell, and
they are reported with every plan (:meth:`PlanningParams.assumptions`). The LP
is indexed by capability area (:mod:`alliance.catalogue`); per-area maps are
validated against the areas it can buy.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from alliance.params._areas import check_area_map
from alliance.params._base import ParamsModel

__all__ = ["POOLED_BUYER", "PlanningParams"]

#: Buyer code of the pooled European buyer (joint procurement).
POOLED_BUYER = "EUR_POOL"


class PlanningParams(ParamsModel):
    """Scenario-set parameters of the procurement LP (units in each description)."""

    pooled_share: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description=(
            "Share of each ally's gap-closing equipment budget put into the pooled "
            "European buyer for joint procurement [fraction 0-1]. Scenario lever; "
            "0 = purely national buying."
        ),
    )
    pooled_unit_price_discount: float = Field(
        0.1,
        ge=0.0,
        lt=1.0,
        description=(
            "Unit-price discount the pooled buyer gets on every system [fraction 0-1]. "
            "Assumption: economies of scale of joint procurement; 0.1 is an illustrative "
            "value, not a sourced figure."
        ),
    )
    share_of_equipment_budget_for_gap_closing: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description=(
            "Share of each ally's equipment budget (spending stage) available for the "
            "capabilities of the plan [fraction 0-1]. Assumption: the rest funds "
            "existing programmes, munitions, other equipment and upkeep."
        ),
    )
    capacity_ramp_max_fraction_of_initial: float = Field(
        0.5,
        ge=0.0,
        description=(
            "Largest capacity addition per production line and year as a multiple of "
            "the line's initial capacity [1/year]. Assumption."
        ),
    )
    capacity_ramp_floor_units_per_year: float = Field(
        2.0,
        ge=0.0,
        description=(
            "Capacity a line can add per year regardless of its initial size "
            "[units/year added per year], so that idle or small lines can grow. Assumption."
        ),
    )
    capacity_capital_cost_fraction_of_unit_cost: float = Field(
        1.0,
        ge=0.0,
        description=(
            "Capital cost of one unit/year of added production capacity, as a multiple "
            "of the system's unit cost [USD million per (unit/year) / USD million per unit]. "
            "Assumption: no published plant costs per system in the catalogue."
        ),
    )
    capacity_build_lag_years: int = Field(
        1,
        ge=0,
        le=10,
        description=(
            "Years between paying for added capacity and that capacity producing [years]. "
            "Assumption."
        ),
    )
    allow_us_line_expansion: bool = Field(
        False,
        description=(
            "Whether European budgets may pay to expand US production lines [bool]. "
            "Default False: the size of US lines is a US decision."
        ),
    )
    default_initial_capacity_units_per_year: float = Field(
        10.0,
        ge=0.0,
        description=(
            "Initial production capacity available to European buyers for a system whose "
            "catalogue row has no production rate [units/year]. Assumption."
        ),
    )
    default_initial_capacity_by_capability: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Per-capability override of default_initial_capacity_units_per_year for "
            "systems without a production rate [units/year]. Assumption; empty by default."
        ),
    )
    default_lead_time_years: int = Field(
        3,
        ge=0,
        le=15,
        description=(
            "Years from order to delivery for a system whose catalogue row has no lead time "
            "[years]. Assumption guided by Kiel 'Fit for war by 2030?' (June 2025): "
            "'delivery delays of three years or more persist'."
        ),
    )
    default_service_life_years: int = Field(
        30,
        ge=1,
        le=80,
        description=(
            "Years a newly delivered unit stays in service before it retires, for systems "
            "without a catalogue service life [years]. Assumption."
        ),
    )
    risk_weights: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Risk weight per capability in the objective [dimensionless, >= 0]; a "
            "capability not listed has weight 1.0. Scenario lever."
        ),
    )
    normalise_shortfall_by_requirement: bool = Field(
        True,
        description=(
            "Divide each capability's shortfall by its largest requirement over the "
            "horizon before weighting, so that tanks and batteries are comparable "
            "[bool]. Modelling choice."
        ),
    )
    objective_mode: Literal["lexicographic", "epsilon"] = Field(
        "lexicographic",
        description=(
            "'lexicographic': solve for the least risk-weighted shortfall, then for the "
            "least cost that keeps it; 'epsilon': one solve with cost weighted by "
            "cost_tiebreak_weight. Modelling choice."
        ),
    )
    cost_tiebreak_weight: float = Field(
        1e-7,
        ge=0.0,
        description=(
            "Weight of total cost in the 'epsilon' objective [objective units per USD "
            "million]; small enough that cost never trades against shortfall."
        ),
    )
    lexicographic_tolerance: float = Field(
        1e-9,
        ge=0.0,
        description=(
            "Relative slack on the optimal shortfall kept in the cost step of the "
            "lexicographic solve [fraction]."
        ),
    )
    integer_lots: bool = Field(
        False,
        description=(
            "Order whole lots (MILP) instead of continuous quantities [bool]. Small studies only."
        ),
    )
    lot_size_units: int = Field(
        1,
        ge=1,
        description="Units per lot when integer_lots is set [units].",
    )
    catalogue_rule: Literal["canonical", "all_priced"] = Field(
        "canonical",
        description=(
            "'canonical': one system per capability and origin (the row flagged canonical "
            "in systems.csv); 'all_priced': every catalogue row with a unit cost. "
            "Modelling choice."
        ),
    )
    horizon_override: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description=(
            "Last year planned, if earlier than the scenario horizon [year]. "
            "None = scenario horizon."
        ),
    )
    closure_tolerance: float = Field(
        1e-3,
        ge=0.0,
        description=("Shortfall at or below which a gap counts as closed [capability units]."),
    )
    mip_gap: float = Field(
        1e-4,
        gt=0.0,
        lt=1.0,
        description="Relative optimality gap at which the MILP solve stops [fraction].",
    )
    time_limit_seconds: float = Field(
        120.0,
        gt=0.0,
        description="Wall-clock limit per solver call [seconds].",
    )

    @field_validator("default_initial_capacity_by_capability", "risk_weights")
    @classmethod
    def _check_area_map(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """Keys must be capability areas the plan can buy; values >= 0."""
        return check_area_map(value, str(info.field_name), plannable_only=True)

    def risk_weight(self, area: str) -> float:
        """Risk weight of capability area ``area`` in the objective (1.0 when not set)."""
        return float(self.risk_weights.get(area, 1.0))
