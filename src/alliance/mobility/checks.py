"""Checks of the closure model against published figures.

* **ST 100-3 road-march arithmetic** (US Army CGSC Battle Book, ch. 8): a column
  of ``n`` vehicles at an interval of ``d`` metres occupies ``n d / 1000`` km of
  road and takes that length / speed to pass a point: 25,000 vehicles at 100 m
  fill 2,500 km and pass in 100 h (more than 4 days) at 25 km/h.
* **Steadfast Dart 2026** (UK Defence Journal via the leads, section F): the
  Allied Reaction Force shipped about 1,500 vehicles into Emden from 15 January
  2026, a second ship about 1,600 items by the end of January and a third about
  750 in early February, then moved onward across Germany; the exercise's
  amphibious landing at Putlos was on 18 February (34 days after the first ship).
  Input: the three ship loads and dates. Output: the day the last vehicle reaches
  the network's inland node from Emden (Sennelager/Paderborn, link DE_SEN-DE_EME).
  The published figure is only "onward across Germany over weeks": the tolerance
  is 14-42 days (2-6 weeks) after the first ship.
* **Allied Reaction Force standard** (SHAPE: forces, fires and effects within 10
  days; up to about 40,000 troops in secondary press): 40,000 troops of the
  allies' brigades, in proportion to each ally's counted brigades, released at
  tier-1 notice from their garrisons; met if all reach the area within 10 days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.mobility.closure import supplies_for_area
from alliance.mobility.flow import Supply, arrivals_by_step
from alliance.mobility.network import build_network
from alliance.params.mobility import MobilityParams

__all__ = [
    "ARF_DAYS",
    "ARF_TROOPS",
    "STEADFAST_DART_SHIPS",
    "ArfCheck",
    "SteadfastDartCheck",
    "arf_check",
    "column_length_km",
    "pass_time_h",
    "steadfast_dart_2026",
]

#: ARF size [troops] and deadline [days] (readiness_standards).
ARF_TROOPS = 40_000.0
ARF_DAYS = 10
#: Steadfast Dart 2026 sealift into Emden: (days after 15 Jan 2026, vehicles).
STEADFAST_DART_SHIPS: tuple[tuple[float, float], ...] = ((0.0, 1500.0), (14.0, 1600.0),
                                                         (21.0, 750.0))
STEADFAST_DART_TOLERANCE_DAYS = (14.0, 42.0)


def column_length_km(vehicles: float, interval_m: float) -> float:
    """Road space of a march column [km] (ST 100-3: vehicles x interval)."""
    return vehicles * interval_m / 1000.0


def pass_time_h(vehicles: float, interval_m: float, speed_kmh: float) -> float:
    """Time for a column to pass a point [hours] (column length / speed)."""
    return column_length_km(vehicles, interval_m) / speed_kmh


@dataclass(frozen=True)
class SteadfastDartCheck:
    """Computed closure of the Steadfast Dart 2026 sealift from Emden."""

    vehicles: float
    closure_day: float | None
    tolerance_days: tuple[float, float]

    @property
    def within_tolerance(self) -> bool:
        """Whether the computed closure day lies in the published window."""
        low, high = self.tolerance_days
        return self.closure_day is not None and low <= self.closure_day <= high


def steadfast_dart_2026(
    nodes: pd.DataFrame, links: pd.DataFrame, params: MobilityParams,
    destination: str = "DE_SEN", horizon_days: int = 60,
) -> SteadfastDartCheck:
    """Day the last Steadfast Dart vehicle reaches ``destination`` (module docstring)."""
    network = build_network(nodes, links, params)
    supplies = [Supply("DE_EME", day * 24.0, vehicles, "ARF", "medium")
                for day, vehicles in STEADFAST_DART_SHIPS]
    total = sum(v for _, v in STEADFAST_DART_SHIPS)
    step = params.time_step_h
    steps = int(horizon_days * 24 / step)
    arrived = arrivals_by_step(network, supplies, destination, steps, step)
    done = np.flatnonzero(arrived >= total - 0.5)
    day = None if done.size == 0 else float(done[0] * step / 24.0)
    return SteadfastDartCheck(vehicles=total, closure_day=day,
                              tolerance_days=STEADFAST_DART_TOLERANCE_DAYS)


@dataclass(frozen=True)
class ArfCheck:
    """Whether 40,000 troops reach an area within 10 days, and when they would."""

    area: str
    troops: float
    troops_by_deadline: float
    day_complete: float | None
    met: bool


def arf_check(
    nodes: pd.DataFrame, links: pd.DataFrame, brigades: pd.DataFrame,
    params: MobilityParams, area: str = "LT_RUK", area_country: str = "LTU",
) -> ArfCheck:
    """The ARF standard on the bundled network (module docstring)."""
    network = build_network(nodes, links, params)
    tier1 = params.model_copy(update={"notice_tier2_h": params.notice_tier1_h,
                                      "notice_tier3_h": params.notice_tier1_h})
    moving = supplies_for_area(brigades, area_country, area, nodes, tier1, 1.0, 0.0)
    troops_total = sum(s.vehicles / params.vehicles_per_brigade(s.brigade_type)
                       * params.personnel_per_brigade for s in moving)
    scale = ARF_TROOPS / troops_total if troops_total > 0 else 0.0
    supplies = [Supply(s.origin, s.release_h, s.vehicles * scale, s.ally, s.brigade_type)
                for s in moving]
    total_vehicles = sum(s.vehicles for s in supplies)
    tpv = (ARF_TROOPS / total_vehicles) if total_vehicles > 0 else 0.0
    step = params.time_step_h
    steps = int(math.ceil(params.horizon_days * 24 / step))
    arrived = arrivals_by_step(network, supplies, area, steps, step, every=max(int(24 / step), 1))
    deadline = min(int(ARF_DAYS * 24 / step), steps)
    by_deadline = float(arrived[deadline]) * tpv
    done = np.flatnonzero(arrived >= total_vehicles - 0.5 * len(supplies) - 0.5)
    day = None if done.size == 0 else float(done[0] * step / 24.0)
    return ArfCheck(area=area, troops=ARF_TROOPS, troops_by_deadline=by_deadline,
                    day_complete=day, met=by_deadline >= ARF_TROOPS * (1 - 1e-6) or (
                        day is not None and day <= ARF_DAYS))
