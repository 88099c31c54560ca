"""The GIUK barrier stage: P(detect) per leg and year, with and without US assets.

Also the expected undetected transits and the European MPA and frigates a target
P(detect) needs.

Per leg of width L, for a submarine crossing at speed u:

* maritime patrol aircraft do random search over the barrier zone: with n on
  station, ``p_mpa = 1 - exp(-n W v / (L u))`` (the zone's depth cancels);
* frigates and submarines patrol back and forth, each on its own sub-barrier
  ``L/n``: ``p = c - c^2/4`` with ``c = n W sqrt(u^2+v^2) / (u L)`` (n on station,
  fractional n as the time average);
* US fixed seabed arrays detect with ``fixed_array_p_detect`` scaled by the US
  commitment path;
* sensors detect independently: ``P = 1 - prod(1 - p_i)``.

"Without US" drops the Keflavik P-8s and the fixed arrays (European sensors
unchanged, including the capability stage's availability of US-made P-8s).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliance.asw.fleets import (
    FleetRow,
    area_availability,
    fleet_table,
    held_fleets,
    plan_p8_deliveries,
)
from alliance.asw.formulas import (
    coverage_ratio,
    kn_to_kmh,
    required_back_and_forth_searchers,
    required_random_search_searchers,
)
from alliance.asw.geometry import (
    Base,
    Leg,
    P8Performance,
    bases_from_table,
    legs_from_table,
    p8_from_table,
    time_on_station_h,
)
from alliance.data import Dataset
from alliance.geo import great_circle_km
from alliance.memo import TableMemo, memoised
from alliance.params.asw import AswParams
from alliance.scenario import Scenario

#: Earth radius of the GIUK geometry [km] (rounded; the barrier figures were set with it).
GIUK_EARTH_RADIUS_KM = 6371.0

__all__ = ["AswResult", "REQUIREMENT_BASE", "asw_barrier", "patrol_p"]

#: Base the requirement's additional European MPA fly from (Assumption: Lossiemouth, the
#: home of the UK and German fleets).
REQUIREMENT_BASE = "lossiemouth"
_Row = dict[str, object]
#: MPA fleet sizes of the detection curves [aircraft].
CURVE_FLEETS = tuple(range(0, 61, 2))


@dataclass(frozen=True)
class AswResult:
    """Tidy tables of the barrier stage."""

    detection: pd.DataFrame
    """year, leg: p_detect, p_detect_without_us, per-sensor p, expected undetected transits."""
    sensors: pd.DataFrame
    """year, leg, sensor, owner: fleet and average number on station."""
    requirements: pd.DataFrame
    """year, capability area: units Europe needs for target_p_detect without US, held, shortfall."""
    curves: pd.DataFrame
    """year, leg, mpa_fleet: p_detect_without_us as the European MPA fleet varies."""


def patrol_p(
    on_station: float, sweep_width_km: float, leg_km: float, u_kmh: float, v_kmh: float
) -> float:
    """P(detect) of ``on_station`` back-and-forth patrollers sharing a leg (0 when none)."""
    if on_station <= 0:
        return 0.0
    # n patrollers on sub-barriers L/n: coverage ratio n * c_1 (as back_and_forth_barrier_p).
    c = on_station * _one_patroller_coverage(sweep_width_km, leg_km, u_kmh, v_kmh)
    return c - c * c / 4.0 if c < 2.0 else 1.0


@memoised(1024)
def _one_patroller_coverage(
    sweep_width_km: float, leg_km: float, u_kmh: float, v_kmh: float
) -> float:
    """Coverage ratio of one patroller on the whole leg (memoised: legs and speeds repeat)."""
    return float(coverage_ratio(sweep_width_km, leg_km, u_kmh, v_kmh))


def _mpa_p(on_station: float, p: AswParams, leg_km: float, u_kmh: float) -> float:
    rate = p.mpa_sweep_width_km * p.mpa_search_speed_kmh
    return 1.0 - math.exp(-on_station * rate / (leg_km * u_kmh))


def _sensor_shares(legs: list[Leg], p: AswParams) -> dict[str, float]:
    if p.sensor_leg_shares:
        return {leg.leg: p.sensor_leg_shares.get(leg.leg, 0.0) for leg in legs}
    total = sum(leg.width_km for leg in legs)
    return {leg.leg: leg.width_km / total for leg in legs}


def _sorties_on_station(p8: P8Performance, base: Base | None, leg: Leg, p: AswParams) -> float:
    """Average aircraft on station per mission-capable aircraft flying from ``base`` to ``leg``."""
    if base is None:
        return 0.0
    lat, lon = leg.centre
    tos = time_on_station_h(p8, float(
        great_circle_km(base.lat, base.lon, lat, lon, radius_km=GIUK_EARTH_RADIUS_KM)
    ))
    return p.mpa_sorties_per_day * tos / 24.0


@dataclass(frozen=True)
class _Context:
    legs: list[Leg]
    bases: dict[str, Base]
    p8: P8Performance
    shares: dict[str, float]
    fleets: pd.DataFrame
    mpa_sustain: dict[int, float]
    frigate_avail: dict[int, float]
    submarine_avail: dict[int, float]
    fleet_rows: Mapping[int, list[tuple[float, str]]] = field(default_factory=dict)
    """Per year, ``(aircraft, base)`` of each row of ``fleets`` in table order."""
    sorties: dict[tuple[str, str], float] = field(default_factory=dict)
    """Aircraft on station per mission-capable aircraft by (base, leg), filled as read."""

    def on_station_per_aircraft(self, base: str, leg: Leg, p: AswParams) -> float:
        """:func:`_sorties_on_station` from the base called ``base`` (memoised per run)."""
        key = (base, leg.leg)
        if key not in self.sorties:
            self.sorties[key] = _sorties_on_station(self.p8, self.bases.get(base), leg, p)
        return self.sorties[key]

    def fleet_total(self, year: int) -> float:
        """European MPA aircraft of ``year`` [aircraft] (summed as pandas sums a column)."""
        return float(np.asarray([a for a, _ in self.fleet_rows.get(year, [])], float).sum())


def _fleet_rows(fleets: pd.DataFrame) -> dict[int, list[tuple[float, str]]]:
    """``(aircraft, base)`` of each fleet row per year, in table order."""
    out: dict[int, list[tuple[float, str]]] = {}
    for year, aircraft, base in zip(fleets["year"].tolist(), fleets["aircraft"].tolist(),
                                    fleets["base"].tolist(), strict=True):
        out.setdefault(int(year), []).append((float(aircraft), str(base)))
    return out


# Long by design: one year's sensor count and detection on every leg, row by row as the
# module docstring states it; the rows feed three tables at once.
def _year_rows(ctx: _Context, sc: Scenario, year: int) -> tuple[list[_Row], list[_Row]]:
    p = sc.asw
    u = float(kn_to_kmh(p.transit_speed_kn))
    us_scale = getattr(sc.us_commitment, p.us_asset_path).at(year)
    fleets = ctx.fleet_rows.get(year, [])
    eu_fleet = ctx.fleet_total(year)
    eu_avail = p.mpa_availability * ctx.mpa_sustain[year]
    us_fleet = p.us_mpa_aircraft * us_scale
    detection: list[dict[str, object]] = []
    sensors: list[dict[str, object]] = []
    for leg in ctx.legs:
        share = ctx.shares[leg.leg]
        eu_on = (
            share
            * eu_avail
            * p.mpa_giuk_share
            * sum(aircraft * ctx.on_station_per_aircraft(base, leg, p) for aircraft, base in fleets)
        )
        us_on = (
            share
            * p.mpa_availability
            * us_fleet
            * ctx.on_station_per_aircraft("keflavik", leg, p)
        )
        frig_on = (
            share * p.frigates_committed * ctx.frigate_avail[year] * p.frigate_on_station_fraction
        )
        sub_on = (
            share
            * p.submarines_committed
            * ctx.submarine_avail[year]
            * p.submarine_on_station_fraction
        )
        p_mpa_eu = _mpa_p(eu_on, p, leg.width_km, u)
        p_mpa = _mpa_p(eu_on + us_on, p, leg.width_km, u)
        p_frig = patrol_p(
            frig_on,
            p.frigate_sweep_width_km,
            leg.width_km,
            u,
            float(kn_to_kmh(p.frigate_search_speed_kn)),
        )
        p_sub = patrol_p(
            sub_on,
            p.submarine_sweep_width_km,
            leg.width_km,
            u,
            float(kn_to_kmh(p.submarine_search_speed_kn)),
        )
        p_fixed = p.fixed_array_p_detect * us_scale
        miss_eu = (1 - p_mpa_eu) * (1 - p_frig) * (1 - p_sub)
        miss_all = (1 - p_mpa) * (1 - p_frig) * (1 - p_sub) * (1 - p_fixed)
        transits = p.transits_per_year * p.transit_leg_shares.get(leg.leg, 0.0)
        detection.append(
            {
                "year": year,
                "leg": leg.leg,
                "width_km": leg.width_km,
                "p_detect": 1 - miss_all,
                "p_detect_without_us": 1 - miss_eu,
                "p_mpa": p_mpa,
                "p_mpa_without_us": p_mpa_eu,
                "p_frigate": p_frig,
                "p_submarine": p_sub,
                "p_fixed_array": p_fixed,
                "us_scale": us_scale,
                "transits_per_year": transits,
                "expected_undetected": transits * miss_all,
                "expected_undetected_without_us": transits * miss_eu,
            }
        )
        for sensor, owner, fleet, on in (
            ("maritime_patrol_aircraft", "europe", eu_fleet, eu_on),
            ("maritime_patrol_aircraft", "us", us_fleet, us_on),
            ("frigate_towed_array", "europe", p.frigates_committed, frig_on),
            ("attack_submarine", "europe", p.submarines_committed, sub_on),
            ("fixed_seabed_array", "us", us_scale, float("nan")),
        ):
            sensors.append(
                {
                    "year": year,
                    "leg": leg.leg,
                    "sensor": sensor,
                    "owner": owner,
                    "fleet_units": fleet,
                    "on_station": on,
                }
            )
    return detection, sensors


def _leg_needs(
    ctx: _Context, p: AswParams, leg: Leg, d: Mapping[str, Any], u: float
) -> tuple[float, float]:
    """(MPA fleet, frigates) dedicated to ``leg`` for target_p_detect, others as they are."""
    other = 1 - (1 - d["p_frigate"]) * (1 - d["p_submarine"])
    on = required_random_search_searchers(
        p.target_p_detect,
        other,
        p.mpa_sweep_width_km * p.mpa_search_speed_kmh,
        leg.width_km,
        u,
    )
    # Aircraft dedicated to this leg, sustained (no US-sustainment loss): the
    # requirement counts aircraft Europe can keep flying.
    per_aircraft = (p.mpa_availability * p.mpa_giuk_share
                    * ctx.on_station_per_aircraft(REQUIREMENT_BASE, leg, p))
    mpa = _fleet(float(on), per_aircraft)
    other = 1 - (1 - d["p_mpa_without_us"]) * (1 - d["p_submarine"])
    on = required_back_and_forth_searchers(
        p.target_p_detect,
        other,
        p.frigate_sweep_width_km,
        leg.width_km,
        u,
        float(kn_to_kmh(p.frigate_search_speed_kn)),
    )
    return mpa, _fleet(float(on), p.frigate_on_station_fraction)


def _requirement_rows(
    ctx: _Context, sc: Scenario, detection: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """European MPA fleet and frigates that hold target_p_detect on every leg without US assets.

    Each is computed with the other European sensors as they are; each leg gets
    its own dedicated sensors (the requirement is the sum over legs). MPA count
    as a total fleet of which ``mpa_giuk_share`` flies the barrier from
    Lossiemouth at ``mpa_availability`` (sustained: no US-sustainment loss);
    frigates as ships committed, ``frigate_on_station_fraction`` on station.
    """
    p = sc.asw
    u = float(kn_to_kmh(p.transit_speed_kn))
    rows: list[dict[str, object]] = []
    first: dict[tuple[int, str], Mapping[str, Any]] = {}
    for d in detection:
        first.setdefault((int(str(d["year"])), str(d["leg"])), d)
    for y in sorted({year for year, _ in first}):
        needs = {leg.leg: _leg_needs(ctx, p, leg, first[(y, leg.leg)], u) for leg in ctx.legs}
        held_mpa = ctx.fleet_total(y)
        rows.append(
            _requirement(
                y,
                "maritime_patrol_aircraft",
                "maritime patrol aircraft (P-8)",
                {k: v[0] for k, v in needs.items()},
                held_mpa,
                p.target_p_detect,
            )
        )
        rows.append(
            _requirement(
                y,
                "frigate_destroyer",
                "frigates with towed arrays",
                {k: v[1] for k, v in needs.items()},
                p.frigates_committed,
                p.target_p_detect,
            )
        )
    return pd.DataFrame(rows)


def _fleet(on_station: float, per_unit: float) -> float:
    if on_station <= 0:
        return 0.0
    return math.ceil(on_station / per_unit - 1e-9) if per_unit > 0 else math.inf


def _requirement(
    year: int, area: str, sensor: str, need: dict[str, float], held: float, target: float
) -> dict[str, object]:
    binding = max(need, key=lambda k: need[k])
    value = sum(need.values())
    finite = math.isfinite(value)
    return {
        "year": year,
        "capability": area,
        "sensor": sensor,
        "target_p_detect": target,
        "requirement_units": value if finite else float("nan"),
        "held_units": held,
        "shortfall_units": max(0.0, value - held) if finite else float("nan"),
        "largest_leg": binding,
        "status": "reachable" if finite else "unreachable: no availability (US sustainment)",
    }


def _curves(ctx: _Context, sc: Scenario, detection: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """P(detect) without US assets per year and leg as the European MPA fleet varies."""
    p = sc.asw
    u = float(kn_to_kmh(p.transit_speed_kn))
    columns: dict[str, list[Any]] = {"year": [], "leg": [], "mpa_fleet": [],
                                     "p_detect_without_us": []}
    for d in detection:
        leg = next(lg for lg in ctx.legs if lg.leg == d["leg"])
        per_aircraft = (
            ctx.shares[leg.leg]
            * p.mpa_availability
            * ctx.mpa_sustain[int(d["year"])]
            * p.mpa_giuk_share
            * ctx.on_station_per_aircraft(REQUIREMENT_BASE, leg, p)
        )
        miss_other = (1 - d["p_frigate"]) * (1 - d["p_submarine"])
        for n in CURVE_FLEETS:
            p_mpa = _mpa_p(n * per_aircraft, p, leg.width_km, u)
            columns["year"].append(int(d["year"]))
            columns["leg"].append(d["leg"])
            columns["mpa_fleet"].append(n)
            columns["p_detect_without_us"].append(1 - miss_other * (1 - p_mpa))
    return pd.DataFrame(columns) if columns["year"] else pd.DataFrame([])


#: Tables the legs, bases and P-8 performance are read from, and their memo.
_GEOMETRY_TABLES = ("giuk_legs", "asw_bases", "asw_sensors")
_GEOMETRY: TableMemo[tuple[list[Leg], list[Base], P8Performance]] = TableMemo(16)
#: Tables the P-8 fleets before the plan's deliveries are read from, and their memo.
_FLEET_TABLES = ("capability_holdings", "asw_fleet", "asw_bases")
_HELD_FLEETS: TableMemo[list[FleetRow]] = TableMemo(16)


def asw_barrier(
    dataset: Dataset,
    scenario: Scenario,
    gaps: pd.DataFrame | None = None,
    deliveries: pd.DataFrame | None = None,
    years: Sequence[int] | None = None,
) -> AswResult:
    """The barrier stage for every scenario year (see the module docstring).

    Args:
        dataset: bundled tables (giuk_legs, asw_bases, asw_sensors, asw_fleet,
            capability_holdings).
        scenario: its ``asw`` parameters and ``us_commitment`` paths.
        gaps: capability gaps (availability of US-made P-8s, frigates, submarines);
            None = full availability.
        deliveries: the plan's deliveries (P-8s bought add to the fleets); None = none.
        years: the years to compute (default: the scenario's); each year's barrier
            is computed on its own, so a subset gives the same rows for its years.
    """
    years = list(scenario.years if years is None else years)
    legs, bases, p8 = _GEOMETRY.get(
        dataset.frames(_GEOMETRY_TABLES), "geometry",
        lambda: (legs_from_table(dataset.table("giuk_legs")),
                 bases_from_table(dataset.table("asw_bases")),
                 p8_from_table(dataset.table("asw_sensors"))))
    held = _HELD_FLEETS.get(
        dataset.frames(_FLEET_TABLES), tuple(years),
        lambda: held_fleets(dataset.table("capability_holdings"), dataset.table("asw_fleet"),
                            bases, years))
    fleets = fleet_table(held, plan_p8_deliveries(deliveries, years), bases)
    ctx = _Context(
        legs=legs,
        bases={b.base: b for b in bases},
        p8=p8,
        shares=_sensor_shares(legs, scenario.asw),
        fleets=fleets,
        mpa_sustain=area_availability(gaps, "maritime_patrol_aircraft", years),
        frigate_avail=area_availability(gaps, "frigate_destroyer", years),
        submarine_avail=area_availability(gaps, "attack_submarine", years),
        fleet_rows=_fleet_rows(fleets),
    )
    det_rows: list[dict[str, object]] = []
    sen_rows: list[dict[str, object]] = []
    for year in years:
        d, s = _year_rows(ctx, scenario, year)
        det_rows += d
        sen_rows += s
    return AswResult(
        detection=pd.DataFrame(det_rows),
        sensors=pd.DataFrame(sen_rows),
        requirements=_requirement_rows(ctx, scenario, det_rows),
        curves=_curves(ctx, scenario, det_rows),
    )
