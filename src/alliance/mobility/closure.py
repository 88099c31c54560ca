"""Closure: brigades in theatre by hour after the decision, per assembly area and ally.

For each assembly area (one per host country with an ``assembly_area`` node):

1. **Supplies.** Every counted brigade not already there (forward presence in the
   area's theatre, or a host brigade within ``in_place_radius_km``) is split by
   readiness tier; each part is released at its garrison's access node after the
   tier's notice plus the access leg (road march from the garrison). US brigades
   in Europe scale with the year's ``us_forces_in_place``; US reinforcements from
   the United States with ``us_reinforcements`` and only with ``us_strategic_lift``,
   released ``rsoi_days`` later for reception at the port of debarkation (RSOI).
2. **Joint flow.** All allies together: the time-expanded maximum flow
   (:func:`alliance.mobility.flow.arrivals_by_step`) gives the vehicles in the area
   by each step when every ally sends everything: the network's closure curve.
3. **Allies.** Each ally alone on the network gives its own curve ``S_i``; with
   everybody moving, ally *i* is credited ``S_i x min(1, J / sum_j S_j)`` at each
   step (allies share the network in proportion to what each could move alone),
   kept non-decreasing in time. With ``capacity_sharing = nearest_first`` the ally
   that can arrive first goes first instead (see :func:`_credited`).
4. **Bottlenecks.** The static minimum cut between the origins and the area
   (capacity per day) names the binding links.

Vehicles become brigades by ``vehicles_<type>`` per brigade.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance.errors import ModelError
from alliance.geo import great_circle_km
from alliance.memo import TableMemo
from alliance.mobility.flow import (
    Network,
    Supply,
    arrivals_by_step,
    earliest_arrival_h,
    min_cut_links,
)
from alliance.mobility.forces import tiers
from alliance.mobility.network import access_node, build_network
from alliance.params.mobility import MobilityParams

__all__ = [
    "BALTIC_THEATRE",
    "ClosureResult",
    "assembly_areas",
    "closure_for_year",
    "supplies_for_area",
    "target_areas",
]

FloatArray = npt.NDArray[np.float64]

#: Countries whose forward presence defends any of them (RAND's Baltic theatre).
BALTIC_THEATRE: tuple[str, ...] = ("EST", "LVA", "LTU")
_US = "USA"
_US_PORTS = ("US_SAV", "US_CHS", "US_BMT", "US_CC")


def theatre_of(iso3: str) -> tuple[str, ...]:
    """Countries sharing forward presence with ``iso3`` (the Baltic states; else itself)."""
    return BALTIC_THEATRE if iso3 in BALTIC_THEATRE else (iso3,)


def assembly_areas(nodes: pd.DataFrame) -> dict[str, str]:
    """Host country -> its first assembly-area node (table order)."""
    areas = nodes.loc[nodes["kind"] == "assembly_area"]
    return {str(c): str(g["node_id"].iloc[0]) for c, g in areas.groupby("country", sort=False)}


def target_areas(
    nodes: pd.DataFrame, allies: pd.DataFrame, params: MobilityParams
) -> pd.DataFrame:
    """Per ally as a target: its assembly area and the extra road hours from there.

    An ally with its own assembly area uses it (0 extra hours); any other ally the
    nearest area to its capital, plus the road march from there (great circle x
    ``detour_factor`` / ``speed_road_kmh``). Columns ``iso3, area, has_area,
    extra_h``.
    """
    own = assembly_areas(nodes)
    table = nodes.set_index("node_id")
    ids = list(own.values())
    lat = table.loc[ids, "lat"].to_numpy(dtype=np.float64)
    lon = table.loc[ids, "lon"].to_numpy(dtype=np.float64)
    rows = []
    for _, a in allies.iterrows():
        iso3 = str(a["iso3"])
        if iso3 in own:
            rows.append((iso3, own[iso3], True, 0.0))
            continue
        d = great_circle_km(lat, lon, float(a["capital_lat"]), float(a["capital_lon"]))
        i = int(np.argmin(d))
        rows.append((iso3, ids[i], False,
                     float(d[i]) * params.detour_factor / params.speed_road_kmh))
    return pd.DataFrame(rows, columns=["iso3", "area", "has_area", "extra_h"])


@dataclass(frozen=True)
class ClosureResult:
    """Forces and closure of one scenario year (tidy tables, see the module docstring)."""

    year: int
    step_h: float
    forward: pd.DataFrame
    """``target, ally, brigade_type, brigades``: forward presence in the target's theatre."""
    in_place: pd.DataFrame
    """``target, brigade_type, brigades``: the target's own brigades in place at hour 0."""
    curves: pd.DataFrame
    """``area, ally, brigade_type, step, hour, brigades``: arrivals credited to each ally."""
    joint: pd.DataFrame
    """``area, step, hour, vehicles, vehicles_alone, contention``: the network's curve
    (``vehicles_alone`` and ``contention`` NaN under ``nearest_first`` sharing)."""
    bottlenecks: pd.DataFrame
    """``area, capacity_vehicles_per_day, link_ids``: the static minimum cut."""
    targets: pd.DataFrame
    """``iso3, area, has_area, extra_h``."""


@dataclass(frozen=True)
class _Corridor:
    """The lookups every closure on one corridor network reads (built once per network)."""

    network: Network
    targets: pd.DataFrame
    latlon: dict[str, tuple[float, float]]


_ACCESS: TableMemo[dict[tuple[float, float], tuple[str, float]]] = TableMemo(16)


def _access_nodes(
    nodes: pd.DataFrame, points: Sequence[tuple[float, float]]
) -> list[tuple[str, float]]:
    """Nearest European node to each garrison and its distance [km] (memoised per table)."""
    known = _ACCESS.get((nodes,), None, dict)
    for point in points:
        if point not in known:
            known[point] = access_node(nodes, *point)
    return [known[point] for point in points]


_CORRIDORS: TableMemo[_Corridor] = TableMemo()


def _corridor(
    nodes: pd.DataFrame, links: pd.DataFrame, allies: pd.DataFrame, params: MobilityParams,
) -> _Corridor:
    """The corridor of these tables under these levers, built once while the tables live."""

    def build() -> _Corridor:
        table = nodes.set_index("node_id")
        latlon = {str(k): (float(v["lat"]), float(v["lon"]))
                  for k, v in table[["lat", "lon"]].to_dict("index").items()}
        return _Corridor(build_network(nodes, links, params),
                         target_areas(nodes, allies, params), latlon)

    return _CORRIDORS.get((nodes, links, allies), params, build)


def clear_corridors() -> None:
    """Forget the corridors and access nodes found so far (see ``stage.clear_memos``)."""
    _CORRIDORS.clear()
    _ACCESS.clear()


def _us_scale(ally: str, us_forces_in_place: float) -> float:
    return us_forces_in_place if ally == _US else 1.0


def _forward_and_in_place(
    brigades: pd.DataFrame, corridor: _Corridor, params: MobilityParams,
    us_forces_in_place: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    records: list[dict[Any, Any]] = brigades.to_dict("records")
    lat = brigades["lat"].to_numpy(dtype=np.float64)
    lon = brigades["lon"].to_numpy(dtype=np.float64)
    fwd: dict[tuple[str, str, str], float] = {}
    own: dict[tuple[str, str], float] = {}
    for t in corridor.targets.to_dict("records"):
        iso3 = str(t["iso3"])
        group = theatre_of(iso3)
        has_area = bool(t["has_area"])
        if has_area:
            area_lat, area_lon = corridor.latlon[str(t["area"])]
            far = (great_circle_km(lat, lon, area_lat, area_lon)
                   > params.in_place_radius_km).tolist()
        else:
            far = [False] * len(records)
        for b, b_far in zip(records, far, strict=True):
            ally, home = str(b["ally"]), str(b["home_country"])
            kind, be = str(b["brigade_type"]), float(b["brigade_equivalents"])
            if home in group and ally != iso3 and ally != home:
                key = (iso3, ally, kind)
                fwd[key] = fwd.get(key, 0.0) + be * _us_scale(ally, us_forces_in_place)
            elif ally == iso3 == home and not b_far:
                own[(iso3, kind)] = own.get((iso3, kind), 0.0) + be
    forward = pd.DataFrame([(*k, v) for k, v in sorted(fwd.items())],
                           columns=["target", "ally", "brigade_type", "brigades"])
    in_place = pd.DataFrame([(*k, v) for k, v in sorted(own.items())],
                            columns=["target", "brigade_type", "brigades"])
    return forward, in_place


def supplies_for_area(
    brigades: pd.DataFrame, area_country: str, area_node: str, nodes: pd.DataFrame,
    params: MobilityParams, us_forces_in_place: float, us_reinforcements: float,
) -> list[Supply]:
    """Supplies moving to one area (module docstring, step 1)."""
    return _supplies(brigades, area_country, area_node, nodes, params, us_forces_in_place,
                     us_reinforcements, None)


class _Garrisons(NamedTuple):
    """The brigades of one year as columns, with each garrison's access to the network."""

    ally: list[str]
    home: list[str]
    kind: list[str]
    lat: FloatArray
    lon: FloatArray
    access_node: list[str]
    access_h: list[float]  # road march from the garrison to its access node [h]
    vehicles: list[float]  # scaled by the US forces in place for US brigades


def _garrisons(
    brigades: pd.DataFrame, nodes: pd.DataFrame, params: MobilityParams,
    us_forces_in_place: float,
) -> _Garrisons:
    ally = brigades["ally"].astype(str).tolist()
    kind = brigades["brigade_type"].astype(str).tolist()
    lat = brigades["lat"].to_numpy(dtype=np.float64)
    lon = brigades["lon"].to_numpy(dtype=np.float64)
    access = _access_nodes(nodes, list(zip(lat.tolist(), lon.tolist(), strict=True)))
    be = brigades["brigade_equivalents"].astype(float).tolist()
    return _Garrisons(
        ally=ally, home=brigades["home_country"].astype(str).tolist(), kind=kind,
        lat=lat, lon=lon, access_node=[n for n, _ in access],
        access_h=[km * params.detour_factor / params.speed_road_kmh for _, km in access],
        vehicles=[b * params.vehicles_per_brigade(k) * _us_scale(a, us_forces_in_place)
                  for a, k, b in zip(ally, kind, be, strict=True)],
    )


def _supplies(
    brigades: pd.DataFrame, area_country: str, area_node: str, nodes: pd.DataFrame,
    params: MobilityParams, us_forces_in_place: float, us_reinforcements: float,
    corridor: _Corridor | None, garrisons: _Garrisons | None = None,
) -> list[Supply]:
    group = theatre_of(area_country)
    if corridor is None:
        row = nodes.loc[nodes["node_id"] == area_node]
        area_lat, area_lon = float(row["lat"].iloc[0]), float(row["lon"].iloc[0])
    else:
        area_lat, area_lon = corridor.latlon[area_node]
    g = garrisons if garrisons is not None else _garrisons(
        brigades, nodes, params, us_forces_in_place)
    to_area = great_circle_km(g.lat, g.lon, area_lat, area_lon).tolist()
    tier_list = [(share, notice) for _, share, notice in tiers(params) if share > 0]
    out: list[Supply] = []
    for i, d in enumerate(to_area):
        ally, home, vehicles = g.ally[i], g.home[i], g.vehicles[i]
        if home in group and ally != home:
            continue  # forward presence: already there
        if ally == home == area_country and d <= params.in_place_radius_km:
            continue  # in place
        if vehicles > 0:
            out.extend(Supply(g.access_node[i], notice + g.access_h[i], vehicles * share, ally,
                              g.kind[i]) for share, notice in tier_list)
    if params.us_strategic_lift and us_reinforcements > 0:
        total = params.us_reinforcement_brigades * us_reinforcements
        for kind, share in (("heavy", params.us_reinforcement_heavy_share),
                            ("medium", 1.0 - params.us_reinforcement_heavy_share)):
            vehicles = total * share * params.vehicles_per_brigade(kind) / len(_US_PORTS)
            for port in _US_PORTS:
                if vehicles > 0:
                    out.append(Supply(port, params.us_reinforcement_notice_h
                                      + 24.0 * params.rsoi_days, vehicles, _US, kind))
    return out


def _credited(
    network: Network, supplies: Sequence[Supply], area: str, steps: int, step_h: float,
    every: int = 1,
    credit_allies: bool = True,
    sharing: str = "pro_rata",
) -> tuple[FloatArray, FloatArray, dict[tuple[str, str], FloatArray]]:
    """Joint curve, sum of solo curves and vehicles credited per (ally, type).

    ``sharing`` (``mobility.capacity_sharing``): ``pro_rata`` credits ally *i*
    ``S_i x min(1, J / sum S_j)``; ``nearest_first`` orders the allies by their
    earliest possible arrival (release + shortest transit; then by name) and credits
    each the joint curve of it and the allies before it minus that of those before it
    (the sum of solo curves is then not computed: NaN). Curves are kept
    non-decreasing in time.
    """
    joint = arrivals_by_step(network, supplies, area, steps, step_h, every)
    allies = sorted({s.ally for s in supplies}) if credit_allies else []
    own_of = {ally: [s for s in supplies if s.ally == ally] for ally in allies}
    curves: dict[str, FloatArray] = {}
    if sharing == "nearest_first":
        alone = np.full(steps + 1, np.nan)
        earliest = earliest_arrival_h(network, area, step_h)

        def first_arrival_h(own: list[Supply]) -> float:
            return min((step_h * math.ceil(s.release_h / step_h - 1e-9)
                        + earliest.get(s.origin, math.inf) for s in own), default=math.inf)

        before = np.zeros(steps + 1)
        prefix: list[Supply] = []
        for ally in sorted(allies, key=lambda a: (first_arrival_h(own_of[a]), a)):
            prefix += own_of[ally]
            upto = arrivals_by_step(network, prefix, area, steps, step_h, every)
            curves[ally] = np.maximum.accumulate(np.maximum(upto - before, 0.0))
            before = upto
    else:
        solo = {ally: arrivals_by_step(network, own_of[ally], area, steps, step_h, every)
                for ally in allies}
        alone = np.sum(list(solo.values()), axis=0) if solo else np.zeros(steps + 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            contention = np.where(alone > 0, np.minimum(joint / alone, 1.0), 1.0)
        curves = {ally: np.maximum.accumulate(solo[ally] * contention) for ally in allies}
    credited: dict[tuple[str, str], FloatArray] = {}
    for ally in allies:
        own = own_of[ally]
        total = sum(s.vehicles for s in own)
        for kind in sorted({s.brigade_type for s in own}):
            share = sum(s.vehicles for s in own if s.brigade_type == kind) / total
            credited[(ally, kind)] = curves[ally] * share
    return joint, alone, credited


def closure_for_year(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    allies: pd.DataFrame,
    brigades: pd.DataFrame,
    params: MobilityParams,
    year: int,
    us_forces_in_place: float = 1.0,
    us_reinforcements: float = 1.0,
    horizon_h: float | None = None,
    areas: Sequence[str] | None = None,
    every: int = 1,
    credit_allies: bool = True,
    bottlenecks: bool = True,
) -> ClosureResult:
    """Forward presence, forces in place and closure curves for one year.

    ``horizon_h`` (default ``params.horizon_days`` days) bounds the curves;
    ``areas`` (node ids) limits the areas computed (default: every assembly area);
    ``every`` solves the flows every ``every`` steps only (e.g. daily);
    ``credit_allies=False`` skips the per-ally curves (the joint curve only);
    ``bottlenecks=False`` skips the minimum cuts (``bottlenecks`` is then empty).
    """
    # Long by design: the closure's steps 1-4 (module docstring) in order, each writing
    # its rows of the tidy tables; the steps themselves are the helpers above.
    for name, value in (("us_forces_in_place", us_forces_in_place),
                        ("us_reinforcements", us_reinforcements)):
        if not 0.0 <= value <= 1.0:
            raise ModelError(f"closure: {name} must be in [0, 1], got {value}")
    corridor = _corridor(nodes, links, allies, params)
    network, targets = corridor.network, corridor.targets
    forward, in_place = _forward_and_in_place(brigades, corridor, params, us_forces_in_place)
    step_h = params.time_step_h
    horizon = params.horizon_days * 24.0 if horizon_h is None else horizon_h
    steps = max(int(math.ceil(horizon / step_h - 1e-9)), 1)
    by_area = assembly_areas(nodes)
    wanted = list(by_area.items()) if areas is None else [
        (c, n) for c, n in by_area.items() if n in set(areas)]
    curve_rows: list[tuple[str, str, str, int, float, float]] = []
    joint_rows: list[tuple[str, int, float, float, float, float]] = []
    cut_rows: list[tuple[str, float, str]] = []
    garrisons = _garrisons(brigades, nodes, params, us_forces_in_place)
    for country, node in wanted:
        supplies = _supplies(brigades, country, node, nodes, params, us_forces_in_place,
                             us_reinforcements, corridor, garrisons)
        joint, alone, credited = _credited(network, supplies, node, steps, step_h, every,
                                          credit_allies, params.capacity_sharing)
        for s in range(steps + 1):
            ratio = (math.nan if math.isnan(alone[s]) else
                     min(joint[s] / alone[s], 1.0) if alone[s] > 0 else 1.0)
            joint_rows.append((node, s, s * step_h, float(joint[s]), float(alone[s]),
                               float(ratio)))
        for (ally, kind), curve in credited.items():
            per = params.vehicles_per_brigade(kind)
            for s in range(steps + 1):
                curve_rows.append((node, ally, kind, s, s * step_h, float(curve[s]) / per))
        if bottlenecks:
            capacity, cut = min_cut_links(network, [s.origin for s in supplies], node)
            cut_rows.append((node, capacity, " ".join(cut)))
    return ClosureResult(
        year=year,
        step_h=step_h,
        forward=forward,
        in_place=in_place,
        curves=pd.DataFrame(curve_rows, columns=["area", "ally", "brigade_type", "step",
                                                 "hour", "brigades"]),
        joint=pd.DataFrame(joint_rows, columns=["area", "step", "hour", "vehicles",
                                                "vehicles_alone", "contention"]),
        bottlenecks=pd.DataFrame(cut_rows, columns=["area", "capacity_vehicles_per_day",
                                                    "link_ids"]),
        targets=targets,
    )
