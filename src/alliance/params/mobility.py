"""Parameters of the forces and mobility stage (the ``mobility`` section of a scenario).

The public record gives per-event figures (a ship's load, a port's discharge in
one exercise, a train's load) but almost no sustained capacities: every capacity
and timing without a published figure is a named *Assumption* with a low-high
range in its description (listed by :meth:`ParamsModel.assumptions`). The
published figures live in the bundled tables ``order_of_battle``,
``readiness_standards``, ``corridor_nodes``, ``corridor_links`` and
``movement_factors``. The model is stated in ``docs/mobility.md``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from alliance.params._base import ParamsModel

__all__ = ["BRIGADE_TYPES", "PERMIT_REGIMES", "MobilityParams", "PermitRegime"]

#: Permit regimes for cross-border military movements.
PermitRegime = Literal["today", "eu_3day", "eu_6h"]
CapacitySharing = Literal["pro_rata", "nearest_first"]
PERMIT_REGIMES: tuple[str, ...] = ("today", "eu_3day", "eu_6h")

#: Manoeuvre brigade weight classes (order_of_battle.brigade_type without headquarters).
BRIGADE_TYPES: tuple[str, ...] = ("heavy", "medium", "light", "air_assault")


class MobilityParams(ParamsModel):
    """Scenario-set parameters of the closure model (units, sources and ranges per field)."""

    permit_regime: PermitRegime = Field(
        "today",
        description="Cross-border permit regime: today's national notice periods, the EU "
        "Military Mobility proposal's 3-day peacetime maximum, or its 6-hour emergency regime "
        "(EMERS). Scenario lever.",
    )
    permit_delay_today_h: float = Field(
        120.0,
        ge=0.0,
        le=2000.0,
        description="Delay at each border crossing under today's notice periods [hours]. "
        "Assumption, range 48 h-45 days: 48-72 h of coordination reported today (second-hand), "
        "some states require 45 days' notice (FT via a republished copy, grade C); 5 days "
        "stands for a crisis in which states waive part of it.",
    )
    permit_delay_eu_3day_h: float = Field(
        72.0,
        ge=0.0,
        le=2000.0,
        description="Delay per border crossing under the EU proposal's peacetime regime "
        "[hours]: at most 3 days (Military Mobility package, 19 Nov 2025, trasportoeuropa, "
        "grade B).",
    )
    permit_delay_eu_6h_h: float = Field(
        6.0,
        ge=0.0,
        le=2000.0,
        description="Delay per border crossing under the EU proposal's emergency regime "
        "(EMERS) [hours]: 6 h (eutoday, grade B).",
    )
    us_strategic_lift: bool = Field(
        True,
        description="Whether US strategic sealift and airlift carry US reinforcement brigades "
        "from the United States (off: no US reinforcement arrives). Scenario lever.",
    )
    cut_links: tuple[str, ...] = Field(
        (),
        description="Link ids (corridor_links.link_id) cut by sabotage or strike: capacity 0 "
        "in both directions. Scenario lever.",
    )
    rail_baltica_open: bool = Field(
        False,
        description="Whether Rail Baltica's standard-gauge line Kaunas-Riga-Tallinn is in "
        "service (target 2030; Latvia later). Scenario lever.",
    )
    capacity_sharing: CapacitySharing = Field(
        "pro_rata",
        description="How allies moving at once share the corridor: pro_rata (each ally is "
        "credited its own curve scaled by the network's joint curve over the sum of the allies' "
        "own curves) or nearest_first (movement control lets the ally that can arrive first go "
        "first: each ally gets what the network adds once it joins those before it). No public "
        "rule of NATO's movement coordination exists: Assumption and scenario lever.",
    )
    horizon_days: int = Field(
        30,
        ge=2,
        le=120,
        description="Days after the decision the closure model follows [days].",
    )
    time_step_h: float = Field(
        12.0,
        gt=0.0,
        le=48.0,
        description="Step of the time-expanded network [hours]; a link takes its transit time "
        "rounded up to whole steps.",
    )
    vehicles_per_train: float = Field(
        111.0,
        gt=0.0,
        description="Vehicles per military train [vehicles]: a 40-wagon train (Rail Baltica "
        "cost-benefit analysis via delfi.lt, grade B) x 2.78 vehicles per wagon (about 2,500 "
        "vehicles of one ABCT on about 900 wagons, EPA caption 2017, grade B). Derived.",
    )
    rail_trains_per_day: float = Field(
        6.0,
        ge=0.0,
        description="Military train paths per rail link per day [trains]. Assumption, range "
        "2-12: DB, PKP PLK and LTG path allocations are not public.",
    )
    transload_trains_per_day: float = Field(
        2.0,
        ge=0.0,
        description="Train loads a day transloaded at the 1435/1520 mm gauge break onto the "
        "Baltic broad-gauge network [trains]. Assumption, range 1-6: Sestokai's military "
        "transload rate is unpublished; LTG's loading sites take 3 trains at once from 2026.",
    )
    road_vehicles_per_day: float = Field(
        500.0,
        ge=0.0,
        description="Military vehicles a day per road link [vehicles]. Assumption, range "
        "100-2,500: observed peacetime convoys about 100 a day (Brandenburg 2019, grade B); "
        "the ST 100-3 march arithmetic allows about 2,500 a day on one route (10 vehicles/km "
        "at 25 km/h, 10 h).",
    )
    port_vehicles_per_day: float = Field(
        500.0,
        ge=0.0,
        description="Vehicles a day through a sea port without a published rate [vehicles]. "
        "Assumption, range 150-1,200: observed 150-350 a day (Alexandroupoli, Constanta, "
        "Gdynia); Emden loaded 300 vehicles in 6 h (not extrapolated).",
    )
    sea_vehicles_per_day: float = Field(
        2000.0,
        ge=0.0,
        description="Vehicles a day per sea link [vehicles]: one large ro-ro a day (ARC "
        "Endurance carried about 2,000 vehicles, nord24, grade B). Assumption on the rate, "
        "range 600-4,000.",
    )
    air_vehicles_per_day: float = Field(
        30.0,
        ge=0.0,
        description="Vehicle equivalents a day per air link [vehicles]. Assumption, range "
        "10-100: no APOD throughput was found.",
    )
    waterway_vehicles_per_day: float = Field(
        200.0,
        ge=0.0,
        description="Vehicles a day per inland waterway link [vehicles]. Assumption, range "
        "50-500.",
    )
    speed_rail_kmh: float = Field(
        12.0,
        gt=0.0,
        description="Effective rail speed incl. stops [km/h]: about 285 km a day observed "
        "(Mourmelon to Romania, ~2,000 km in a week, AFP reprint, grade C). Assumption, range "
        "8-30.",
    )
    speed_road_kmh: float = Field(
        10.4,
        gt=0.0,
        description="Effective road-march speed averaged over the day [km/h]: 25 km/h (ST "
        "100-3 planning speed, grade A) x 10 march hours a day (Assumption) = 250 km a day.",
    )
    speed_sea_kmh: float = Field(
        28.0,
        gt=0.0,
        description="Ro-ro speed [km/h] (15 knots). Assumption, range 22-37.",
    )
    speed_waterway_kmh: float = Field(
        8.0, gt=0.0, description="Barge speed [km/h]. Assumption, range 5-12."
    )
    speed_air_kmh: float = Field(
        600.0, gt=0.0, description="Airlift block speed [km/h]. Assumption, range 500-800."
    )
    detour_factor: float = Field(
        1.3,
        ge=1.0,
        le=3.0,
        description="Route length / great-circle distance where a link or access leg has no "
        "published distance [ratio]. Assumption, range 1.1-1.6.",
    )
    vehicles_heavy: float = Field(
        2500.0,
        gt=0.0,
        description="Vehicles of a heavy brigade [vehicles]: more than 2,500 vehicles per US "
        "ABCT rotation (EPA caption 2017, grade B).",
    )
    vehicles_medium: float = Field(
        1500.0,
        gt=0.0,
        description="Vehicles of a medium brigade [vehicles]. Assumption, range 1,000-2,000.",
    )
    vehicles_light: float = Field(
        800.0,
        gt=0.0,
        description="Vehicles of a light brigade [vehicles]. Assumption, range 400-1,200.",
    )
    vehicles_air_assault: float = Field(
        600.0,
        gt=0.0,
        description="Vehicles of an air-assault or airborne brigade [vehicles]. Assumption, "
        "range 300-900.",
    )
    personnel_per_brigade: float = Field(
        4000.0,
        gt=0.0,
        description="Troops per brigade where the order of battle gives none [troops]: about "
        "4,000 per US ABCT (AUSA, grade B); used for the ARF check.",
    )
    tier1_share: float = Field(
        0.125,
        ge=0.0,
        le=1.0,
        description="Share of each ally's brigades at NATO Force Model tier 1 [fraction]: "
        "100,000 of the 800,000 in tiers 1-3 (SSI; readiness_standards). Derived.",
    )
    tier2_share: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description="Share at tier 2 [fraction]: 200,000 of 800,000. Derived; the rest is "
        "tier 3.",
    )
    notice_tier1_h: float = Field(
        48.0,
        ge=0.0,
        description="From the decision to departure for tier-1 brigades [hours]. Assumption, "
        "range 24-120: tier 1 must be in place within 10 days (NATO Force Model).",
    )
    notice_tier2_h: float = Field(
        240.0,
        ge=0.0,
        description="Departure notice of tier-2 brigades [hours] (tier 2: 10-30 days). "
        "Assumption, range 120-480.",
    )
    notice_tier3_h: float = Field(
        720.0,
        ge=0.0,
        description="Departure notice of tier-3 brigades [hours] (tier 3: 30-180 days). "
        "Assumption, range 480-2,160.",
    )
    in_place_radius_km: float = Field(
        150.0,
        ge=0.0,
        description="A target's own brigades within this distance of its assembly area "
        "defend in place from hour 0 [km]. Assumption, range 50-300.",
    )
    us_reinforcement_brigades: float = Field(
        20.0,
        ge=0.0,
        description="US brigades in the planned crisis flow at full reinforcement commitment "
        "[brigades]: 200,000 planned US reinforcements (us_posture, Bruegel/Kiel) / 10,000 "
        "troops per brigade slice incl. enablers (Assumption, range 6,000-15,000).",
    )
    us_reinforcement_heavy_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of US reinforcement brigades that are heavy [fraction]; the rest "
        "medium. Assumption.",
    )
    us_reinforcement_notice_h: float = Field(
        240.0,
        ge=0.0,
        description="From the decision to sailing of US reinforcements [hours]: 5 days to "
        "activate reduced-status ro-ros (hansa.news, grade B) + 5 days to load (LMSR standard "
        "load time 4 days, ajot, grade B). Derived.",
    )
    rsoi_days: float = Field(
        14.0,
        ge=0.0,
        le=60.0,
        description="Reception, staging and onward movement of US reinforcements at the "
        "European port of debarkation, port to ready for onward movement [days]: 14 days "
        "achieved for one ABCT in January 2017 (normal more than 40, target 9; movement_factors "
        "rsoi_time_abct, Breaking Defense, grade B). Applied as a later release of the US "
        "reinforcement flow (exact while the port's throughput does not bind). Range 9-40.",
    )
    plan_tanks_per_brigade: float = Field(
        87.0,
        gt=0.0,
        description="Main battle tanks of one heavy brigade set [tanks]: 87 Abrams per ABCT "
        "(CEPA/FAS 2018, movement_factors abct_composition_2018, grade B).",
    )
    plan_ifv_per_brigade: float = Field(
        138.0,
        gt=0.0,
        description="Infantry fighting vehicles of one heavy brigade set [vehicles]: 138 per "
        "ABCT (same source).",
    )
    plan_guns_per_brigade: float = Field(
        18.0,
        gt=0.0,
        description="Self-propelled guns of one heavy brigade set [guns]: 18 Paladins per ABCT "
        "(same source).",
    )

    @field_validator("cut_links")
    @classmethod
    def _link_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not v.strip()]
        if bad:
            raise ValueError("cut_links: empty link id; give ids like 'L19' (corridor_links)")
        return tuple(v.strip().upper() for v in value)

    def permit_delay_h(self) -> float:
        """Delay per border crossing under the scenario's permit regime [hours]."""
        return {
            "today": self.permit_delay_today_h,
            "eu_3day": self.permit_delay_eu_3day_h,
            "eu_6h": self.permit_delay_eu_6h_h,
        }[self.permit_regime]

    def vehicles_per_brigade(self, brigade_type: str) -> float:
        """Vehicles of one brigade of the given type [vehicles]."""
        return float(getattr(self, f"vehicles_{brigade_type}"))
