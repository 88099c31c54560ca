"""The bundled corridor network as a :class:`~alliance.mobility.flow.Network`.

Rules (each a named parameter of ``scenario.mobility``, docs/mobility.md):

* Links are used in both directions. A cut link (``cut_links``) has no arc; a
  ``planned`` link (Rail Baltica) exists only with ``rail_baltica_open``.
* Transit time: the published ``transit_hours``, else distance / the mode's
  speed; distance: the published ``distance_km``, else great circle x
  ``detour_factor``. A link between nodes of two countries adds the permit
  regime's delay (``permit_regime``): one clearance per border crossed.
* Capacity [vehicles a day]: a published figure of grade A or B (trains x
  ``vehicles_per_train``; a rail line's civil design capacity only caps the
  military path assumption), else the mode's assumption; a 1520 mm link
  (``transload_required``) at most ``transload_trains_per_day`` trains.
* Node capacity: a sea port's published throughput (A/B), else
  ``port_vehicles_per_day``; other nodes are unlimited.
* Access legs: a force whose garrison is not a node reaches the nearest
  European node (not a US port) by road, great circle x ``detour_factor``, at
  the road speed and capacity.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance.errors import DataValidationError
from alliance.geo import great_circle_km
from alliance.memo import TableMemo
from alliance.mobility.flow import Arc, Network
from alliance.params.mobility import MobilityParams

__all__ = [
    "access_node", "build_network", "link_capacity_vpd", "link_transit_h",
]

_SPEED = {
    "rail": "speed_rail_kmh",
    "road": "speed_road_kmh",
    "sea": "speed_sea_kmh",
    "inland_waterway": "speed_waterway_kmh",
    "air": "speed_air_kmh",
}
_CAPACITY = {
    "rail": None,  # trains x vehicles per train
    "road": "road_vehicles_per_day",
    "sea": "sea_vehicles_per_day",
    "inland_waterway": "waterway_vehicles_per_day",
    "air": "air_vehicles_per_day",
}


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]


def _published_vpd(value: float, unit: str, params: MobilityParams) -> float | None:
    """A published capacity in vehicles a day (None when the unit is not a rate of them)."""
    if not math.isfinite(value):
        return None
    u = unit.lower()
    if u.startswith("train"):
        return value * params.vehicles_per_train
    if re.match(r"(vehicles|items|truckloads)\b", u):
        return value
    return None


def link_capacity_vpd(link: pd.Series, params: MobilityParams) -> float:
    """Capacity of one link [vehicles a day] by the module's rules."""
    mode = str(link["mode"])
    rail_default = params.rail_trains_per_day * params.vehicles_per_train
    name = _CAPACITY[mode]
    default = rail_default if name is None else float(getattr(params, name))
    cap = default
    published = None
    if str(link["grade"]) in ("A", "B"):
        published = _published_vpd(
            float(link["capacity_per_day"]) if pd.notna(link["capacity_per_day"]) else math.nan,
            _text(link["capacity_unit"]), params,
        )
    if published is not None:
        unit = _text(link["capacity_unit"])
        design = "all traffic" in unit or "design" in unit
        cap = min(default, published) if design else published
    if bool(link["transload_required"]) and not (
        params.rail_baltica_open and link["status"] == "planned"
    ):
        cap = min(cap, params.transload_trains_per_day * params.vehicles_per_train)
    return float(cap)


def link_transit_h(
    link: pd.Series, nodes: pd.DataFrame, params: MobilityParams
) -> float:
    """Transit time of one link [hours], without permit delays."""
    if pd.notna(link["transit_hours"]):
        return float(link["transit_hours"])
    if pd.notna(link["distance_km"]):
        km = float(link["distance_km"])
    else:
        a, b = nodes.loc[link["from_node"]], nodes.loc[link["to_node"]]
        km = float(great_circle_km(a["lat"], a["lon"], b["lat"], b["lon"])) * params.detour_factor
    return km / float(getattr(params, _SPEED[str(link["mode"])]))


_NETWORKS: TableMemo[Network] = TableMemo(16)


def build_network(
    nodes: pd.DataFrame, links: pd.DataFrame, params: MobilityParams
) -> Network:
    """The corridor network under the scenario's levers (module docstring).

    Memoised on the tables' contents and the parameters (the network is immutable).
    """
    return _NETWORKS.get((nodes, links), params, lambda: _build_network(nodes, links, params))


def _build_network(
    nodes: pd.DataFrame, links: pd.DataFrame, params: MobilityParams
) -> Network:
    table = nodes.set_index("node_id")
    unknown = sorted(set(params.cut_links) - set(links["link_id"]))
    if unknown:
        raise DataValidationError(
            "scenario mobility.cut_links", f"unknown link id(s) {unknown}",
            column="cut_links", fix="use link ids of the corridor_links table (L01..)",
        )
    delay = params.permit_delay_h()
    arcs: list[Arc] = []
    for _, link in links.iterrows():
        if link["link_id"] in params.cut_links:
            continue
        if link["status"] == "planned" and not params.rail_baltica_open:
            continue
        cap = link_capacity_vpd(link, params)
        transit = link_transit_h(link, table, params)
        a, b = str(link["from_node"]), str(link["to_node"])
        if str(table.loc[a, "country"]) != str(table.loc[b, "country"]):
            transit += delay
        arcs.append(Arc(str(link["link_id"]), a, b, cap, transit))
        arcs.append(Arc(str(link["link_id"]), b, a, cap, transit))
    node_cap: dict[str, float] = {}
    for node_id, row in table.iterrows():
        if row["kind"] != "sea_port":
            continue
        published = None
        if row["grade"] in ("A", "B") and pd.notna(row["throughput_per_day"]):
            published = _published_vpd(
                float(row["throughput_per_day"]), _text(row["throughput_unit"]), params)
        node_cap[str(node_id)] = (
            published if published is not None else params.port_vehicles_per_day
        )
    return Network(nodes=tuple(str(v) for v in table.index), arcs=tuple(arcs),
                   node_capacity_vpd=node_cap)


class _EuropeanNodes(NamedTuple):
    """The European nodes (not US ports) of a node table, as columns."""

    node_ids: list[str]
    lat: npt.NDArray[np.float64]  # degrees
    lon: npt.NDArray[np.float64]  # degrees


_EUROPE: TableMemo[_EuropeanNodes] = TableMemo(16)


def _european_nodes(nodes: pd.DataFrame) -> _EuropeanNodes:
    """:class:`_EuropeanNodes` of ``nodes`` (memoised per table: read-only arrays)."""

    def build() -> _EuropeanNodes:
        europe = nodes.loc[nodes["country"] != "USA"]
        found = _EuropeanNodes([str(v) for v in europe["node_id"].tolist()],
                               europe["lat"].to_numpy(dtype=np.float64),
                               europe["lon"].to_numpy(dtype=np.float64))
        for array in (found.lat, found.lon):
            array.flags.writeable = False
        return found

    return _EUROPE.get((nodes,), None, build)


def access_node(
    nodes: pd.DataFrame, lat: float, lon: float
) -> tuple[str, float]:
    """Nearest European node to a point and its great-circle distance [km]."""
    europe = _european_nodes(nodes)
    d = great_circle_km(europe.lat, europe.lon, lat, lon)
    i = int(np.argmin(d))
    return europe.node_ids[i], float(d[i])
