"""Parameters of the spending projection (the ``spending`` section of a scenario)."""

from __future__ import annotations

from pydantic import Field, field_validator

from alliance.constants import PROJECTED_SPENDING_PATHS, SPENDING_PATHS, SpendingPathName
from alliance.params._base import ParamsModel
from alliance.params.paths import SharePath

__all__ = [
    "PROJECTED_SPENDING_PATHS",
    "SPENDING_PATHS",
    "AllyOverride",
    "SpendingAssumptions",
    "SpendingPathName",
]

class AllyOverride(ParamsModel):
    """A per-ally override of the spending path."""

    path: SpendingPathName | None = Field(
        default=None, description="Spending path for this ally (default: the scenario's path)."
    )
    shares: SharePath | None = Field(
        default=None,
        description="Core defence spending as share of GDP by year [percent]; required with "
        "path 'custom'.",
    )
    absorption_cap_real_growth_pct: float | None = Field(
        default=None,
        ge=0,
        le=500,
        description="Ally-specific cap on real yearly growth of the defence budget [percent].",
    )


class SpendingAssumptions(ParamsModel):
    """Assumptions of the spending projection."""

    path: SpendingPathName = Field(
        default="national",
        description="Default spending path: frozen (last actual share), trend (recent real "
        "growth, capped), national (announced national targets, then the Hague path), hague "
        "(linear to 3.5 % core by 2035), custom (per-ally shares).",
    )
    ally_overrides: dict[str, AllyOverride] = Field(
        default_factory=dict, description="Per-ally overrides, keyed by ISO3 code."
    )
    absorption_cap_real_growth_pct: float = Field(
        default=20.0,
        ge=0,
        le=500,
        description="Cap on the real yearly growth of any ally's defence budget [percent per "
        "year]. Assumption; for scale, NATO Europe+Canada grew 18.6 % (2024) and 15.9 % "
        "(2025) in real terms (nato_aggregates table).",
    )
    trend_window_years: int = Field(
        default=5,
        ge=1,
        le=10,
        description="Years of history the trend path uses for the growth of the share of GDP "
        "[years].",
    )
    trend_real_growth_cap_pct: float = Field(
        default=10.0,
        ge=0,
        le=100,
        description="Cap on the real yearly growth the trend path extrapolates [percent per year]. "
        "Assumption.",
    )
    hague_core_target_pct: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Core defence target of the hague path [percent of GDP]. Default (empty): "
        "the Hague core pledge of the pledges table (3.5 %, NATO 2025).",
    )
    hague_target_year: int = Field(
        default=2035, ge=2026, le=2050, description="Year of the Hague targets [year]."
    )
    related_share_gdp_pct: SharePath = Field(
        default_factory=lambda: SharePath({2025: 0.0, 2035: 1.5}),
        description="Defence-related spending (outside NATO's definition) counted toward the 5 % "
        "pledge [percent of GDP, by year]. Assumption: no sourced per-ally series exists; the "
        "default ramps from zero to the Hague 1.5 % by 2035.",
    )
    long_run_real_gdp_growth_pct: float | None = Field(
        default=None,
        ge=-10,
        le=15,
        description="Real GDP growth after the last IMF projection year (2030) [percent per "
        "year]. Default (empty): each ally's IMF 2030 projection carried forward.",
    )
    long_run_inflation_pct: float | None = Field(
        default=None,
        ge=-5,
        le=50,
        description="Inflation after the last IMF projection year [percent per year]. Default "
        "(empty): each ally's IMF 2030 projection carried forward. Consumer-price inflation is "
        "used as the deflator (no GDP deflator series is bundled).",
    )
    gdp_growth_adjustment_pp: float = Field(
        default=0.0,
        ge=-10,
        le=10,
        description="Shift added to every ally's projected real GDP growth [percentage points].",
    )
    equipment_share_pct: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Equipment share of defence spending in projection years [percent]. "
        "Default (empty): each ally's last reported share (NATO Table 8) held constant.",
    )

    national_money_plans: bool = Field(
        default=True,
        description="On the national path, follow a national plan in money where the pledges "
        "table holds one (target_money_bn; Germany's EUR 152.8bn core defence budget in 2029, "
        "Finanzplan of 24 Jun 2025) instead of share x projected GDP [true/false]. Sourced plan; "
        "the path to it is a linear interpolation in national currency at current prices from "
        "the base year to the plan year (assumption).",
    )
    national_money_fx_units_per_usd: dict[str, float] = Field(
        default_factory=dict,
        description="Exchange rate that converts a money plan to USD, per currency (ISO 4217) "
        "[national currency per USD], held for every year. Default (empty): the latest yearly "
        "average in the fx_rates table (EUR: IRS 2024 average 0.924). Assumption; range "
        "0.845-0.949 EUR per USD (the bundled 2019-2024 yearly averages, fx_rates).",
    )

    @field_validator("national_money_fx_units_per_usd")
    @classmethod
    def _check_fx(cls, value: dict[str, float]) -> dict[str, float]:
        for currency, rate in value.items():
            if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
                raise ValueError(f"{currency!r} is not an ISO 4217 code (three capital letters)")
            if not rate > 0:
                raise ValueError(f"{currency}: the rate must be above 0 (currency units per USD)")
        return value

    @field_validator("ally_overrides")
    @classmethod
    def _check_overrides(cls, value: dict[str, AllyOverride]) -> dict[str, AllyOverride]:
        for iso3, override in value.items():
            if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
                raise ValueError(f"{iso3!r} is not an ISO3 code (three capital letters)")
            if override.path == "custom" and override.shares is None:
                raise ValueError(f"{iso3}: path 'custom' needs 'shares'")
        return value
