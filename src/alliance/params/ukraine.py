"""Ukraine support and PURL: the scenario lever (keep, raise, stop) and its numbers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from alliance.params._base import ParamsModel

__all__ = ["UKRAINE_LEVERS", "UKRAINE_PRODUCTION_AREAS", "UkraineLever", "UkraineParams"]

UkraineLever = Literal["keep", "raise", "stop"]
#: The lever's settings, in the order the docs explain them.
UKRAINE_LEVERS: tuple[str, ...] = ("keep", "raise", "stop")
#: Capability areas whose European output Ukraine support draws on.
UKRAINE_PRODUCTION_AREAS: tuple[str, ...] = ("ammunition_155mm", "air_defence_interceptor")


class UkraineParams(ParamsModel):
    """Europe's military support to Ukraine over the scenario years and the PURL channel.

    Empty numbers are read from the bundled (or overlaid) data; each says which rows.
    """

    support: UkraineLever = Field(
        default="keep",
        description="Assumption: Europe's military support to Ukraine in the scenario years: "
        "keep (the European base level each year), raise (the base plus raise_adds_eur_bn, by "
        "default the US military aid Europe would replace), stop (none) [keep|raise|stop].",
    )
    european_military_base_eur_bn: float | None = Field(
        default=None,
        ge=0,
        le=500,
        description="Assumption: European military aid per year at the keep level [EUR bn per "
        "year]; empty = Kiel's 2024 military allocations of all donors minus the US's "
        "(ukraine_support rows for 2024, EUR 42bn - 20bn = 22bn via Bruegel; range EUR 20-45bn: "
        "Kiel's Dec 2025 update puts 2025 military allocations at EUR 32.5bn to October).",
    )
    raise_adds_eur_bn: float | None = Field(
        default=None,
        ge=0,
        le=500,
        description="Assumption: what raise adds to the base [EUR bn per year]; empty = the US "
        "military aid of 2024 (ukraine_support, EUR 20bn, Bruegel/Kiel), i.e. Europe replaces "
        "the US; range EUR 10-40bn.",
    )
    burden_split: Literal["observed", "gdp"] = Field(
        default="observed",
        description="Assumption: how Europe's total is split over European allies [observed|gdp]: "
        "observed = each ally's share of European military allocations in the latest year the "
        "data has per-donor rows (an imported Kiel workbook), else by GDP; gdp = by GDP share "
        "(the bundled data has no per-donor year series, so the split is by GDP there; Kiel "
        "shows actual shares range from about 0.1 % of GDP (Germany) to 2.5 % (Denmark)).",
    )
    purl_usd_m_per_year: float | None = Field(
        default=None,
        ge=0,
        le=100_000,
        description="Assumption: PURL purchases of US weapons per year at the keep level [USD m "
        "per year]; empty = the latest reported running total (purl_totals, USD 4.3bn for Aug "
        "2025-Jan 2026) taken as one year's flow; range USD 4-12bn (12bn = the USD 1bn a month "
        "target reported in the press).",
    )
    purl_when_sales_stop: Literal["redirect", "lost"] = Field(
        default="redirect",
        description="Assumption: PURL money the US arms-sales lever no longer lets through "
        "[redirect|lost]: redirect = spent on European production instead (budget draw "
        "unchanged), lost = not spent (Ukraine receives less, budgets draw less).",
    )
    shell_output_share: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Assumption: share of European 155 mm shell output that goes to Ukraine at "
        "the keep level [fraction 0-1], reserved on every shell line before the plan can use "
        "it. No audited split of European output by customer is published; the EU's "
        "one-million-shell target for Ukraine was reported met around end-2024, when European "
        "output was of the order of one to two million a year, hence 0.5, range 0.3-0.7.",
    )
    interceptor_output_share: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="Assumption: share of European long-range interceptor output (Aster, "
        "GEM-T, PAC-3 lines) that goes to Ukraine at the keep level [fraction 0-1]; no "
        "published split; range 0.1-0.4.",
    )
    raise_output_factor: float = Field(
        default=1.5,
        ge=1.0,
        le=3.0,
        description="Assumption: how much raise multiplies the output shares (capped at 1) "
        "[factor]; stop sets them to 0. Range 1.25-2.",
    )

    def output_share(self, area: str) -> float:
        """Share of European output of ``area`` reserved for Ukraine under the lever [0-1]."""
        share = {"ammunition_155mm": self.shell_output_share,
                 "air_defence_interceptor": self.interceptor_output_share}.get(area, 0.0)
        if self.support == "stop":
            return 0.0
        if self.support == "raise":
            return min(1.0, share * self.raise_output_factor)
        return share
