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

from pydantic import Field, ValidationInfo, field_validator, model_validator

from alliance.params._areas import check_area_map
from alliance.params._base import ParamsModel

__all__ = ["POOLED_BUYER", "TROOP_AREA", "PlanningParams", "PlanningRange"]

#: Buyer code of the pooled European buyer (joint procurement).
POOLED_BUYER = "EUR_POOL"
#: The area closed by recruitment (recruitment.csv), not by procurement.
TROOP_AREA = "troop_equivalents"


class PlanningRange(ParamsModel):
    """A named assumption with a low-central-high range (unit as the field says)."""

    low: float = Field(ge=0.0, description="Lower end of the range.")
    central: float = Field(ge=0.0, description="Central value.")
    high: float = Field(ge=0.0, description="Upper end of the range.")

    @model_validator(mode="after")
    def _ordered(self) -> PlanningRange:
        """Require low <= central <= high."""
        if not self.low <= self.central <= self.high:
            msg = (f"needs low <= central <= high (got {self.low:g}, {self.central:g}, "
                   f"{self.high:g})")
            raise ValueError(msg)
        return self

    def pick(self, case: str) -> float:
        """The value for ``case`` ('low', 'central' or 'high')."""
        return float(getattr(self, case))


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
    gap_closing_budget_basis: Literal["increment", "share"] = Field(
        "increment",
        description=(
            "What the gap-closing budget is a share of. 'increment' (default): each ally's "
            "equipment spending above its base-year (scenario base_year) level, because the "
            "base-year level already pays for the programmes under contract (the backlog the "
            "plan delivers first); 'share': the whole equipment budget of each year. "
            "Modelling choice."
        ),
    )
    share_of_equipment_budget_for_gap_closing: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description=(
            "Share of the gap-closing basis (gap_closing_budget_basis) available for the "
            "capability areas of the plan [fraction 0-1]. Assumption, range 0.25-1.0: half "
            "of the new equipment money goes to the plan's areas (the major systems, "
            "enablers and munitions the IISS 2025 and Bruegel/Kiel 2025 studies list), the "
            "rest to equipment outside them (trucks, C2 and IT, drones, spares); 1.0 = every "
            "new euro to the plan. Stated, not sourced."
        ),
    )
    capacity_ramp_max_fraction_of_initial: float = Field(
        0.1,
        ge=0.0,
        description=(
            "Largest paid capacity addition per production line and year, beyond the "
            "announced ramp, as a multiple of the line's reference rate (the larger of "
            "today's and the announced planned rate) [1/year]. Assumption, range 0.05-0.25."
        ),
    )
    capacity_expansion_max_fraction: float = Field(
        0.25,
        ge=0.0,
        description=(
            "Largest total paid capacity beyond the announced ramp, over the whole plan, as "
            "a multiple of the line's reference rate [fraction]. Assumption, range 0-0.5: "
            "manufacturers' announced ramps already contain the expansion they can staff "
            "and supply (e.g. Dassault 3 to 4 Rafale a month by 2028-29); 0.25 allows a "
            "quarter more, so no line grows without bound (no 132 Rafale a year)."
        ),
    )
    capacity_ramp_floor_units_per_year: float = Field(
        2.0,
        ge=0.0,
        description=(
            "Capacity a line can add per year regardless of its reference rate "
            "[units/year added per year], so that idle or small lines can restart. "
            "Assumption, range 0-4."
        ),
    )
    capacity_expansion_floor_units_per_year: float = Field(
        4.0,
        ge=0.0,
        description=(
            "Total paid capacity any line may add regardless of its reference rate "
            "[units/year], e.g. to restart an idle line such as Taurus. Assumption, range 0-8."
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
        2,
        ge=0,
        le=10,
        description=(
            "Years between paying for added capacity and that capacity producing [years]. "
            "Assumption, range 1-3, guided by KNDS France doubling CAESAR output from 3 to "
            "6 a month between 2022 and October 2023 (about two years; systems.csv source)."
        ),
    )
    allow_us_line_expansion: bool = Field(
        False,
        description=(
            "Whether European budgets may pay to expand US production lines [bool]. "
            "Default False: the size of US lines is a US decision."
        ),
    )
    default_initial_capacity_by_capability: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "User-set line rate per capability area for systems whose catalogue row has no "
            "production rate [units/year]; takes precedence over the derived rates "
            "(backlog_clearance_years, comparable lines). Scenario lever; empty by default."
        ),
    )
    backlog_clearance_years: PlanningRange = Field(
        default_factory=lambda: PlanningRange(low=4.0, central=6.0, high=8.0),
        description=(
            "For a line with a known backlog but no published rate: years the line takes "
            "to deliver its backlog, so rate = backlog_units / years [years]. Assumption, "
            "range 4-8 (a low number of years is a high rate). Used before the comparable-"
            "line rule; the range's ends give the rate's high and low ends."
        ),
    )
    assumption_case: Literal["low", "central", "high"] = Field(
        "central",
        description=(
            "Which end of each derived-value range the LP uses (missing rates, prices, lead "
            "times from comparable lines; recruitment from recruitment.csv low/high) "
            "[choice]. 'central' = mid-point or median; the low-high range is reported."
        ),
    )
    allow_non_european_suppliers: bool = Field(
        False,
        description=(
            "Whether European buyers may order from non-European, non-US suppliers (K2, K9: "
            "european_supplier = false and us_made = false in systems.csv) [bool]. Scenario "
            "lever; default False (the articles' question is what Europe itself can make)."
        ),
    )
    count_deliveries_after_horizon: bool = Field(
        True,
        description=(
            "Extend the LP past the horizon by the longest lead time of a procurable system "
            "(at most 10 years) so that orders placed by the horizon deliver and count "
            "toward closing gaps; no orders or capacity investment after the horizon, and "
            "the gap after the horizon is held at its horizon value [bool]. Modelling choice."
        ),
    )
    pace_window_years: int = Field(
        3,
        ge=1,
        le=10,
        description=(
            "Years of recent deliveries (procurement_deliveries.csv, the latest years "
            "available) averaged into today's pace per area [years]. Modelling choice."
        ),
    )
    pace_search_years: int = Field(
        50,
        ge=1,
        le=200,
        description=(
            "Bound of the pace-year search: years after the first planned year within "
            "which the target stock must be reached at today's pace, else pace_year is "
            "null [years]. Modelling choice."
        ),
    )
    pace_units_per_year: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "User overlay of today's pace per capability area [capability units added per "
            "year], replacing the pace from procurement_deliveries.csv for those areas. "
            "Scenario lever; empty by default."
        ),
    )
    default_lead_time_years: int = Field(
        3,
        ge=0,
        le=15,
        description=(
            "Years from order to delivery for a system whose catalogue row has no lead time "
            "and no comparable line in its area with a lead time [years]. Assumption, range "
            "2-5, guided by Kiel 'Fit for war by 2030?' (June 2025): 'delivery delays of "
            "three years or more persist'."
        ),
    )
    default_service_life_years: int = Field(
        30,
        ge=1,
        le=80,
        description=(
            "Years a newly delivered unit stays in service before it retires, for systems "
            "without a catalogue service life [years]. Assumption, range 25-40."
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

    @field_validator("pace_units_per_year")
    @classmethod
    def _check_pace_map(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """Keys must be capability areas (any area, troops too); values >= 0."""
        return check_area_map(value, str(info.field_name))

    @field_validator("default_initial_capacity_by_capability", "risk_weights")
    @classmethod
    def _check_area_map(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """Keys must be capability areas the plan can buy; values >= 0.

        Troops are refused too: recruitment closes them outside the LP's choices
        (recruits at the yearly limit), so a weight could not change the plan.
        """
        return check_area_map(value, str(info.field_name), plannable_only=True)

    def risk_weight(self, area: str) -> float:
        """Risk weight of capability area ``area`` in the objective (1.0 when not set)."""
        return float(self.risk_weights.get(area, 1.0))
