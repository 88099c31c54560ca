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
   (capacity per day, :mod:`alliance.mobility.bottleneck`) names the binding links.

Vehicles become brigades by ``vehicles_<type>`` per brigade.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.extensions import ExtensionArray

from alliance.errors import ModelError
from alliance.geo import great_circle_km
from alliance.memo import TableMemo, memoised
from alliance.mobility.bottleneck import min_cut_links
from alliance.mobility.flow import Network, Supply, arrivals_by_step, earliest_arrival_h
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
    areas: dict[str, str]
    """Host country -> its assembly-area node (:func:`assembly_areas`)."""
    target_rows: list[tuple[str, str, bool]]
    """``(iso3, area, has_area)`` of each row of ``targets``."""


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
        targets = target_areas(nodes, allies, params)
        rows = list(zip(targets["iso3"].tolist(), targets["area"].tolist(),
                        targets["has_area"].tolist(), strict=True))
        return _Corridor(build_network(nodes, links, params), targets, latlon,
                         assembly_areas(nodes),
                         [(str(i), str(a), bool(h)) for i, a, h in rows])

    return _CORRIDORS.get((nodes, links, allies), params, build)


def _us_scale(ally: str, us_forces_in_place: float) -> float:
    return us_forces_in_place if ally == _US else 1.0


class _Garrisons(NamedTuple):
    """The brigades of one year as columns, with each garrison's access to the network."""

    ally: list[str]
    home: list[str]
    kind: list[str]
    lat: FloatArray
    lon: FloatArray
    brigade_equivalents: list[float]
    supplies: list[list[Supply]]
    """Per garrison: its readiness tiers released at its access node (none without vehicles)."""


@memoised(200_000)
def _supply(origin: str, release_h: float, vehicles: float, ally: str, kind: str) -> Supply:
    """``Supply(...)``, one object for equal supplies (the flow memo then compares identity)."""
    return Supply(origin, release_h, vehicles, ally, kind)


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    """A text column as Python strings."""
    return [str(v) for v in frame[name].tolist()]


def _garrisons(
    brigades: pd.DataFrame, nodes: pd.DataFrame, params: MobilityParams,
    us_forces_in_place: float,
) -> _Garrisons:
    """The year's brigades as :class:`_Garrisons` (supplies at each garrison's access node)."""
    ally, kind = _column(brigades, "ally"), _column(brigades, "brigade_type")
    lat = brigades["lat"].to_numpy(dtype=np.float64)
    lon = brigades["lon"].to_numpy(dtype=np.float64)
    access = _access_nodes(nodes, list(zip(lat.tolist(), lon.tolist(), strict=True)))
    be = [float(b) for b in brigades["brigade_equivalents"].tolist()]
    # scaled by the US forces in place for US brigades
    vehicles = [b * params.vehicles_per_brigade(k) * _us_scale(a, us_forces_in_place)
                for a, k, b in zip(ally, kind, be, strict=True)]
    tier_list = [(share, notice) for _, share, notice in tiers(params) if share > 0]
    supplies = [
        [_supply(node, notice + km * params.detour_factor / params.speed_road_kmh, v * share,
                 a, k) for share, notice in tier_list]
        if v > 0 else []
        for (node, km), v, a, k in zip(access, vehicles, ally, kind, strict=True)
    ]
    return _Garrisons(ally=ally, home=_column(brigades, "home_country"), kind=kind, lat=lat,
                      lon=lon, brigade_equivalents=be, supplies=supplies)


def _forward_and_in_place(
    g: _Garrisons, corridor: _Corridor, params: MobilityParams, us_forces_in_place: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forward presence per target's theatre and its own brigades in place (brigades)."""
    code = {c: i for i, c in enumerate(dict.fromkeys(
        [*g.ally, *g.home, *(iso3 for iso3, _, _ in corridor.target_rows)]))}
    ally = np.array([code[c] for c in g.ally], dtype=np.int64)
    home = np.array([code[c] for c in g.home], dtype=np.int64)
    target = np.array([code[iso3] for iso3, _, _ in corridor.target_rows], dtype=np.int64)
    baltic_target = np.array([iso3 in BALTIC_THEATRE for iso3, _, _ in corridor.target_rows])
    baltic_home = np.isin(home, [code[c] for c in BALTIC_THEATRE if c in code])
    # target x brigade: in the target's theatre, held by a foreign ally
    in_theatre = np.where(baltic_target[:, None], baltic_home[None, :],
                          home[None, :] == target[:, None])
    forward_of = in_theatre & (ally != home)[None, :] & (ally[None, :] != target[:, None])
    at_home = (ally[None, :] == target[:, None]) & (home[None, :] == target[:, None])
    fwd: dict[tuple[str, str, str], float] = {}
    own: dict[tuple[str, str], float] = {}
    for t, i in zip(*(index.tolist() for index in np.nonzero(forward_of)), strict=True):
        key = (corridor.target_rows[t][0], g.ally[i], g.kind[i])
        fwd[key] = fwd.get(key, 0.0) + g.brigade_equivalents[i] * _us_scale(
            g.ally[i], us_forces_in_place)
    for t in np.flatnonzero(at_home.any(axis=1)).tolist():
        iso3, area, has_area = corridor.target_rows[t]
        here = at_home[t]
        if has_area:
            area_lat, area_lon = corridor.latlon[area]
            here = here & ~(great_circle_km(g.lat, g.lon, area_lat, area_lon)
                            > params.in_place_radius_km)
        for i in np.flatnonzero(here).tolist():
            own[(iso3, g.kind[i])] = own.get((iso3, g.kind[i]), 0.0) + g.brigade_equivalents[i]
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
    row = nodes.loc[nodes["node_id"] == area_node]
    area_latlon = float(row["lat"].iloc[0]), float(row["lon"].iloc[0])
    g = _garrisons(brigades, nodes, params, us_forces_in_place)
    return _supplies(g, area_country, area_latlon, params, us_reinforcements)


def _supplies(
    g: _Garrisons, area_country: str, area_latlon: tuple[float, float],
    params: MobilityParams, us_reinforcements: float,
) -> list[Supply]:
    group = theatre_of(area_country)
    to_area = great_circle_km(g.lat, g.lon, *area_latlon).tolist()
    out: list[Supply] = []
    for i, d in enumerate(to_area):
        ally, home = g.ally[i], g.home[i]
        if home in group and ally != home:
            continue  # forward presence: already there
        if ally == home == area_country and d <= params.in_place_radius_km:
            continue  # in place
        out.extend(g.supplies[i])
    if params.us_strategic_lift and us_reinforcements > 0:
        total = params.us_reinforcement_brigades * us_reinforcements
        for kind, share in (("heavy", params.us_reinforcement_heavy_share),
                            ("medium", 1.0 - params.us_reinforcement_heavy_share)):
            vehicles = total * share * params.vehicles_per_brigade(kind) / len(_US_PORTS)
            for port in _US_PORTS:
                if vehicles > 0:
                    out.append(_supply(port, params.us_reinforcement_notice_h
                                       + 24.0 * params.rsoi_days, vehicles, _US, kind))
    return out


class _Credit(NamedTuple):
    """What :func:`_credited` finds for one area."""

    joint: FloatArray  # (steps + 1,) vehicles in the area, everybody moving
    alone: FloatArray  # (steps + 1,) sum of the solo curves (NaN under nearest_first)
    keys: list[tuple[str, str]]  # (ally, brigade type) of each row of ``vehicles``
    vehicles: FloatArray  # (len(keys), steps + 1) vehicles credited


def _credited(
    network: Network, supplies: Sequence[Supply], area: str, steps: int, step_h: float,
    every: int = 1,
    credit_allies: bool = True,
    sharing: str = "pro_rata",
) -> _Credit:
    """Joint curve, sum of solo curves and vehicles credited per (ally, type).

    ``sharing`` (``mobility.capacity_sharing``): ``pro_rata`` credits ally *i*
    ``S_i x min(1, J / sum S_j)``; ``nearest_first`` orders the allies by their
    earliest possible arrival (release + shortest transit; then by name) and credits
    each the joint curve of it and the allies before it minus that of those before it
    (the sum of solo curves is then not computed: NaN). Curves are kept
    non-decreasing in time.
    """
    joint = arrivals_by_step(network, supplies, area, steps, step_h, every)
    own_of, by_kind = _by_ally(supplies) if credit_allies else ({}, {})
    allies = sorted(own_of)
    if sharing == "nearest_first":
        alone = np.full(steps + 1, np.nan)
        earliest = earliest_arrival_h(network, area, step_h)

        def first_arrival_h(own: list[Supply]) -> float:
            return min((step_h * math.ceil(s.release_h / step_h - 1e-9)
                        + earliest.get(s.origin, math.inf) for s in own), default=math.inf)

        curve_of: dict[str, FloatArray] = {}
        before = np.zeros(steps + 1)
        prefix: list[Supply] = []
        for ally in sorted(allies, key=lambda a: (first_arrival_h(own_of[a]), a)):
            prefix += own_of[ally]
            upto = arrivals_by_step(network, prefix, area, steps, step_h, every)
            curve_of[ally] = np.maximum.accumulate(np.maximum(upto - before, 0.0))
            before = upto
        curves = np.array([curve_of[ally] for ally in allies]).reshape(len(allies), steps + 1)
    else:
        solo = np.array([arrivals_by_step(network, own_of[ally], area, steps, step_h, every)
                         for ally in allies]).reshape(len(allies), steps + 1)
        alone = solo.sum(axis=0) if allies else np.zeros(steps + 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            contention = np.where(alone > 0, np.minimum(joint / alone, 1.0), 1.0)
        curves = np.maximum.accumulate(solo * contention, axis=1)
    keys: list[tuple[str, str]] = []
    rows: list[int] = []
    shares: list[float] = []
    for row, ally in enumerate(allies):
        total, of_kind = by_kind[ally]
        for kind in sorted(of_kind):
            keys.append((ally, kind))
            rows.append(row)
            shares.append(of_kind[kind] / total)
    vehicles = curves[rows] * np.array(shares)[:, None]
    return _Credit(joint, alone, keys, vehicles)


def _by_ally(
    supplies: Sequence[Supply],
) -> tuple[dict[str, list[Supply]], dict[str, tuple[float, dict[str, float]]]]:
    """Each ally's supplies, and its total vehicles and vehicles per brigade type.

    One pass in the supplies' order (the sums add in that order, from 0).
    """
    own_of: dict[str, list[Supply]] = {}
    totals: dict[str, float] = {}
    kinds: dict[str, dict[str, float]] = {}
    for s in supplies:
        ally, vehicles = s.ally, s.vehicles
        own = own_of.get(ally)
        if own is None:
            own_of[ally], totals[ally], kinds[ally] = [s], 0, {}
        else:
            own.append(s)
        totals[ally] += vehicles
        of_kind = kinds[ally]
        of_kind[s.brigade_type] = of_kind.get(s.brigade_type, 0) + vehicles
    return own_of, {ally: (totals[ally], kinds[ally]) for ally in own_of}


def _repeated_text(values: list[str], times: int) -> ExtensionArray:
    """A text column holding each of ``values`` ``times`` times in a row.

    The column pandas infers from the strings, built from the distinct ones (fast)
    and memoised (:func:`_text_column`): the tables of one closure name the same
    areas, allies and types year after year.
    """
    return _text_column(tuple(values), times)


@memoised(256)
def _text_column(values: tuple[str, ...], times: int) -> ExtensionArray:
    """:func:`_repeated_text`, memoised: read, never modified.

    Arrow data is immutable, and a frame built on the column holds its own array object.
    """
    distinct = list(dict.fromkeys(values))
    code = {v: i for i, v in enumerate(distinct)}
    column: ExtensionArray = pd.Series(distinct).array
    return column.take(np.repeat([code[v] for v in values], times))


class _Rows:
    """Columns of the ``joint`` and ``curves`` tables, gathered area by area."""

    def __init__(self, steps: int, step_h: float) -> None:
        self.step = np.arange(steps + 1, dtype=np.int64)
        self.hour = self.step * step_h  # the same products as ``s * step_h`` [h]
        self.joint: list[tuple[str, FloatArray, FloatArray]] = []
        self.curves: list[tuple[str, list[tuple[str, str]], FloatArray]] = []
        """Per area: its node, (ally, brigade type) of each row, brigades by step."""

    def joint_frame(self) -> pd.DataFrame:
        """``area, step, hour, vehicles, vehicles_alone, contention``."""
        columns = ["area", "step", "hour", "vehicles", "vehicles_alone", "contention"]
        if not self.joint:
            return pd.DataFrame([], columns=columns)
        vehicles = np.concatenate([j for _, j, _ in self.joint])
        alone = np.concatenate([a for _, _, a in self.joint])
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(alone > 0, np.minimum(vehicles / alone, 1.0), 1.0)
        ratio[np.isnan(alone)] = np.nan
        n = len(self.step)
        return pd.DataFrame({
            "area": _repeated_text([area for area, _, _ in self.joint], n),
            "step": np.tile(self.step, len(self.joint)),
            "hour": np.tile(self.hour, len(self.joint)),
            "vehicles": vehicles, "vehicles_alone": alone, "contention": ratio,
        }, columns=columns)

    def curves_frame(self) -> pd.DataFrame:
        """``area, ally, brigade_type, step, hour, brigades``."""
        columns = ["area", "ally", "brigade_type", "step", "hour", "brigades"]
        series = [(area, ally, kind) for area, keys, _ in self.curves for ally, kind in keys]
        if not series:
            return pd.DataFrame([], columns=columns)
        n = len(self.step)
        return pd.DataFrame({
            "area": _repeated_text([area for area, _, _ in series], n),
            "ally": _repeated_text([ally for _, ally, _ in series], n),
            "brigade_type": _repeated_text([kind for _, _, kind in series], n),
            "step": np.tile(self.step, len(series)),
            "hour": np.tile(self.hour, len(series)),
            "brigades": np.concatenate([b for _, _, b in self.curves]).reshape(-1),
        }, columns=columns)


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
    for name, value in (("us_forces_in_place", us_forces_in_place),
                        ("us_reinforcements", us_reinforcements)):
        if not 0.0 <= value <= 1.0:
            raise ModelError(f"closure: {name} must be in [0, 1], got {value}")
    corridor = _corridor(nodes, links, allies, params)
    network = corridor.network
    garrisons = _garrisons(brigades, nodes, params, us_forces_in_place)
    forward, in_place = _forward_and_in_place(garrisons, corridor, params, us_forces_in_place)
    step_h = params.time_step_h
    horizon = params.horizon_days * 24.0 if horizon_h is None else horizon_h
    steps = max(int(math.ceil(horizon / step_h - 1e-9)), 1)
    wanted = list(corridor.areas.items()) if areas is None else [
        (c, n) for c, n in corridor.areas.items() if n in set(areas)]
    rows = _Rows(steps, step_h)
    cut_rows: list[tuple[str, float, str]] = []
    for country, node in wanted:
        supplies = _supplies(garrisons, country, corridor.latlon[node], params,
                             us_reinforcements)
        credit = _credited(network, supplies, node, steps, step_h, every, credit_allies,
                           params.capacity_sharing)
        rows.joint.append((node, np.asarray(credit.joint, dtype=np.float64), credit.alone))
        per = np.array([params.vehicles_per_brigade(kind) for _, kind in credit.keys])
        rows.curves.append((node, credit.keys, credit.vehicles / per[:, None]))
        if bottlenecks:
            capacity, cut = min_cut_links(network, [s.origin for s in supplies], node)
            cut_rows.append((node, capacity, " ".join(cut)))
    return ClosureResult(
        year=year,
        step_h=step_h,
        forward=forward,
        in_place=in_place,
        curves=rows.curves_frame(),
        joint=rows.joint_frame(),
        bottlenecks=pd.DataFrame(cut_rows, columns=["area", "capacity_vehicles_per_day",
                                                    "link_ids"]),
        targets=corridor.targets,
    )
