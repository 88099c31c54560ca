"""Time-expanded maximum flow and the static minimum cut on a corridor network.

A :class:`Network` is a set of directed arcs with a capacity [vehicles a day]
and a transit time [hours], plus optional node capacities [vehicles a day]
(ports). Forces enter as :class:`Supply` (vehicles released at an origin node at
an hour) and leave at one sink node.

Time-expanded network (step ``step_h``): every node ``v`` has, for each step
``t = 0..T``, an entry copy ``in(v, t)`` and an exit copy ``out(v, t)``:

* waiting: ``in(v, t) -> in(v, t+1)``, unlimited (forces may wait anywhere, so
  a shorter transit time can never delay anything);
* passing: ``in(v, t) -> out(v, t)``, the node's capacity x step / 24 h
  (unlimited without one);
* moving: ``out(u, t) -> in(v, t + tau)`` per arc, the arc's capacity x step /
  24 h, with ``tau`` = the transit time in steps, rounded to the nearest step;
* supply: source -> ``in(origin, release step)`` with the released vehicles.

Vehicles in the sink by step ``s`` = the maximum flow from the source to
``in(sink, s)`` (arrivals wait there). That is computed for every wanted ``s`` in
one compiled pass (:mod:`alliance.mobility.flow_kernel`): an incremental
shortest-augmenting-path max-flow that starts each step from the flow of the step
before, since what has arrived by ``s`` waits at the sink until ``s + 1`` (exact:
the same integers as solving each step from zero, e.g. with SciPy's
``maximum_flow`` on :meth:`TimeExpanded.up_to`; a test checks). Steps before the
earliest possible arrival are not solved (nothing is in). networkx computes the
same numbers (a test checks) and the bottleneck: the minimum cut of the static
network (capacity per day) between the supplies' origins and the sink, whose arcs
are the links that bind.

The flows are pure functions of (network, supplies, sink, steps), so they are
memoised (bounded LRU, :data:`MEMO_ENTRIES`): a closure asked again for the same
ally's supplies on the same network (another year without new kit, another
scenario that changes only other allies) is not solved again. A :class:`Network`
and a :class:`Supply` are hashable by their contents for that (computed once per
object); memoised arrays are read-only. The time-expanded arcs of a network (and
the network pruned to what can reach a sink) are memoised too, for the few
networks, sinks and horizons in use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array

from alliance.errors import ModelError
from alliance.memo import memoised

__all__ = [
    "MEMO_ENTRIES",
    "Arc",
    "Network",
    "Supply",
    "arrivals_by_step",
    "earliest_arrival_h",
    "networkx_min_cut_links",
    "networkx_arrivals",
    "time_expanded_graph",
]

FloatArray = npt.NDArray[np.float64]
_UNLIMITED = 10**9

#: Flow results kept per memoised function (least recently used dropped) [count].
MEMO_ENTRIES: int = 8192
# time-expanded arcs of a network kept (large arrays; few networks and horizons) [count]
_NETWORK_ARC_MEMO = 64


@dataclass(frozen=True)
class Arc:
    """One directed arc: a link used in one direction."""

    link_id: str
    tail: str
    head: str
    capacity_vpd: float  # vehicles a day
    transit_h: float


@dataclass(frozen=True)
class Supply:
    """Vehicles released at an origin node at an hour (after the decision)."""

    origin: str
    release_h: float
    vehicles: float
    ally: str = ""
    brigade_type: str = ""

    @cached_property
    def _content_hash(self) -> int:
        return hash((self.origin, self.release_h, self.vehicles, self.ally, self.brigade_type))

    def __hash__(self) -> int:
        """Hash of the contents, computed once: a flow memo lookup hashes every supply."""
        return self._content_hash

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the cached hash (a string's hash differs between processes)."""
        return {k: v for k, v in self.__dict__.items() if k != "_content_hash"}


@dataclass(frozen=True)
class Network:
    """Nodes, arcs and node capacities [vehicles a day] of a corridor network."""

    nodes: tuple[str, ...]
    arcs: tuple[Arc, ...]
    node_capacity_vpd: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known = set(self.nodes)
        for arc in self.arcs:
            for end in (arc.tail, arc.head):
                if end not in known:
                    raise ModelError(f"network: arc {arc.link_id} names unknown node {end!r}")
            if arc.capacity_vpd < 0 or arc.transit_h < 0 or not math.isfinite(arc.transit_h):
                raise ModelError(
                    f"network: arc {arc.link_id} needs capacity >= 0 and a finite transit >= 0"
                )

    @cached_property
    def _content_hash(self) -> int:
        return hash((self.nodes, self.arcs, tuple(sorted(self.node_capacity_vpd.items()))))

    def __hash__(self) -> int:
        """Hash of the contents (computed once), so flows on a network can be memoised."""
        return self._content_hash

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the cached hash (a string's hash differs between processes)."""
        return {k: v for k, v in self.__dict__.items() if k != "_content_hash"}


@dataclass(frozen=True)
class TimeExpanded:
    """The time-expanded graph as a SciPy CSR matrix and its node numbering."""

    graph: csr_array
    source: int
    steps: int
    index: dict[str, int]
    width: int  # vertices per layer

    def entry(self, node: str, step: int) -> int:
        """Index of ``in(node, step)`` (0 is the source; layer ``t`` follows layer ``t - 1``)."""
        return 1 + step * self.width + self.index[node]

    def up_to(self, step: int) -> csr_array:
        """The graph of the source and layers ``0..step`` only.

        No arc goes back in time, so the flow into a vertex of layer ``step`` is the
        same in this smaller graph (exact), and cheaper to solve.
        """
        n = 1 + (step + 1) * self.width
        sub: csr_array = self.graph[:n, :n]
        return sub


def _per_step(capacity_vpd: float, step_h: float) -> int:
    if math.isinf(capacity_vpd):
        return _UNLIMITED
    return int(math.floor(capacity_vpd * step_h / 24.0 + 1e-9))


@dataclass(frozen=True)
class _Arcs:
    """The time-expanded graph's arcs, numbered as :class:`TimeExpanded` (parallel arcs kept)."""

    tails: npt.NDArray[np.int64]
    heads: npt.NDArray[np.int64]
    capacities: npt.NDArray[np.int64]  # vehicles a step
    index: dict[str, int]
    width: int  # vertices per layer


def time_expanded_graph(
    network: Network, supplies: Sequence[Supply], steps: int, step_h: float
) -> TimeExpanded:
    """Build the time-expanded graph (module docstring) over ``steps`` steps.

    Only a node with a capacity gets separate entry and exit copies (joined by the
    passing arc); for any other node both are one vertex. Parallel arcs are merged
    (capacities added).
    """
    arcs = _time_expanded_arcs(network, supplies, steps, step_h)
    size = 1 + (steps + 1) * arcs.width
    graph = csr_array((arcs.capacities.astype(np.int32), (arcs.tails, arcs.heads)),
                      shape=(size, size))
    graph.sum_duplicates()
    return TimeExpanded(graph=graph, source=0, steps=steps, index=arcs.index, width=arcs.width)


def _time_expanded_arcs(
    network: Network, supplies: Sequence[Supply], steps: int, step_h: float
) -> _Arcs:
    """The arcs of :func:`time_expanded_graph`, before parallel ones are merged.

    The network's arcs (:func:`_network_arcs`, memoised), then the supply arcs.
    """
    fixed = _network_arcs(network, steps, step_h)
    layers = steps + 1
    released: dict[int, float] = {}
    for s in supplies:
        if s.origin not in fixed.index:
            raise ModelError(f"supply of {s.ally or 'a force'}: unknown origin node {s.origin!r}")
        step = int(math.ceil(s.release_h / step_h - 1e-9))
        if step < layers and s.vehicles > 0:
            entry = 1 + step * fixed.width + fixed.index[s.origin]
            released[entry] = released.get(entry, 0.0) + s.vehicles
    vehicles = np.array([int(round(v)) for v in released.values()], dtype=np.int64)
    entries = np.array(list(released), dtype=np.int64)[vehicles > 0]
    return _Arcs(np.concatenate((fixed.tails, np.zeros(len(entries), dtype=np.int64))),
                 np.concatenate((fixed.heads, entries)),
                 np.concatenate((fixed.capacities, vehicles[vehicles > 0])),
                 fixed.index, fixed.width)


@memoised(_NETWORK_ARC_MEMO)
def _network_arcs(network: Network, steps: int, step_h: float) -> _Arcs:
    """The passing, waiting and moving arcs of the time-expanded graph (no supplies).

    Memoised on (network, steps, step_h): the arrays are read-only.
    """
    # Long by design: the graph's three network arc families (passing, waiting, moving)
    # built as arrays side by side, so the numbering reads in one place.
    if steps < 1 or step_h <= 0:
        raise ModelError(f"time-expanded network: need steps >= 1 and step_h > 0, got {steps}, "
                         f"{step_h}")
    index = {v: i for i, v in enumerate(network.nodes)}
    n = len(index)
    capped = [v for v in network.nodes if v in network.node_capacity_vpd]
    exit_of = np.arange(n)
    for j, v in enumerate(capped):
        exit_of[index[v]] = n + j
    width = n + len(capped)
    layers = steps + 1
    t = np.arange(layers)
    parts_r: list[npt.NDArray[np.int64]] = []
    parts_c: list[npt.NDArray[np.int64]] = []
    parts_v: list[npt.NDArray[np.int64]] = []
    if capped:
        cap_in = np.array([index[v] for v in capped])
        cap_out = exit_of[cap_in]
        pass_cap = np.array([_per_step(network.node_capacity_vpd[v], step_h) for v in capped],
                            dtype=np.int64)
        parts_r.append((t[:, None] * width + cap_in[None, :]).ravel())
        parts_c.append((t[:, None] * width + cap_out[None, :]).ravel())
        parts_v.append(np.broadcast_to(pass_cap, (layers, len(capped))).ravel())
    node = np.arange(n)
    hold = (t[:-1, None] * width + node[None, :]).ravel()
    parts_r.append(hold)
    parts_c.append(hold + width)
    parts_v.append(np.full(hold.shape, _UNLIMITED, dtype=np.int64))
    if network.arcs:
        tail = exit_of[np.array([index[a.tail] for a in network.arcs])]
        head = np.array([index[a.head] for a in network.arcs])
        cap = np.array([_per_step(a.capacity_vpd, step_h) for a in network.arcs], dtype=np.int64)
        tau = np.array([int(math.floor(a.transit_h / step_h + 0.5)) for a in network.arcs])
        tt = t[:, None] + np.zeros_like(tau)[None, :]
        ok = (tt + tau[None, :]) < layers
        parts_r.append((tt * width + tail[None, :])[ok])
        parts_c.append(((tt + tau[None, :]) * width + head[None, :])[ok])
        parts_v.append(np.broadcast_to(cap, tt.shape)[ok])
    rows = np.concatenate(parts_r)
    cols = np.concatenate(parts_c)
    vals = np.concatenate(parts_v)
    keep = (vals > 0) & (rows != cols)
    arcs = _Arcs(rows[keep] + 1, cols[keep] + 1, vals[keep], index, width)  # 0: the source
    for array in (arcs.tails, arcs.heads, arcs.capacities):
        array.flags.writeable = False
    return arcs


@memoised(MEMO_ENTRIES)
def earliest_arrival_h(
    network: Network, sink: str, step_h: float | None = None
) -> dict[str, float]:
    """Shortest transit time from every node to ``sink`` [hours] (unreachable: absent).

    With ``step_h``, each arc's transit is first rounded to whole steps as in the
    time-expanded network. Memoised: treat the mapping as read-only.
    """
    g: nx.DiGraph[Any] = nx.DiGraph()
    for arc in network.arcs:
        if arc.capacity_vpd > 0:
            w = arc.transit_h if step_h is None else step_h * math.floor(
                arc.transit_h / step_h + 0.5)
            if not g.has_edge(arc.head, arc.tail) or g.edges[arc.head, arc.tail]["w"] > w:
                g.add_edge(arc.head, arc.tail, w=w)  # reversed: distances to the sink
    if sink not in g:
        return {sink: 0.0}
    return {str(k): float(v) for k, v in nx.single_source_dijkstra_path_length(
        g, sink, weight="w").items()}


@memoised(_NETWORK_ARC_MEMO)
def _pruned(network: Network, sink: str, step_h: float) -> Network:
    """The network without nodes that cannot reach the sink (they carry nothing to it).

    Memoised, so flows on one network to one sink share the pruned network's arcs.
    """
    earliest = earliest_arrival_h(network, sink, step_h)
    keep = tuple(v for v in network.nodes if v in earliest)
    if len(keep) == len(network.nodes):
        return network
    kept = set(keep)
    return Network(
        nodes=keep,
        arcs=tuple(a for a in network.arcs if a.tail in kept and a.head in kept),
        node_capacity_vpd={v: c for v, c in network.node_capacity_vpd.items() if v in kept},
    )


def arrivals_by_step(
    network: Network, supplies: Sequence[Supply], sink: str, steps: int, step_h: float,
    every: int = 1,
) -> FloatArray:
    """Vehicles in ``sink`` by each step ``0..steps`` (cumulative, maximum flow).

    With ``every`` > 1 the maximum flow is solved every ``every`` steps (and at the
    last); steps between carry the value of the step before (a lower bound).
    Supplies that cannot reach the sink within the horizon are left out first
    (release + shortest transit > horizon: exact). Memoised (module docstring): the
    array returned is read-only.
    """
    return _arrivals(network, tuple(supplies), sink, steps, step_h, max(every, 1))


@memoised(MEMO_ENTRIES)
def _arrivals(
    network: Network, supplies: tuple[Supply, ...], sink: str, steps: int, step_h: float,
    every: int,
) -> FloatArray:
    # validated here, on a miss only: a memoised result had valid inputs (errors are
    # not memoised)
    if sink not in network.nodes:
        raise ModelError(f"closure: unknown sink node {sink!r}")
    known = set(network.nodes)
    earliest = earliest_arrival_h(network, sink, step_h)
    latest_h = steps * step_h + 1e-9  # the horizon [hours]
    usable: list[Supply] = []  # those that can reach the sink within the horizon
    for s_ in supplies:
        if s_.origin not in known:
            raise ModelError(f"supply of {s_.ally or 'a force'}: unknown origin node "
                             f"{s_.origin!r}")
        transit_h = earliest.get(s_.origin)
        if transit_h is not None and step_h * math.ceil(
                s_.release_h / step_h - 1e-9) + transit_h <= latest_h:
            usable.append(s_)
    if not usable:
        out = np.zeros(steps + 1)
        out.flags.writeable = False
        return out
    arcs = _time_expanded_arcs(_pruned(network, sink, step_h), usable, steps, step_h)
    wanted = sorted({*range(0, steps + 1, every), steps})
    # nothing arrives before the earliest release + shortest transit (both in whole steps):
    # no solve needed there
    first = min(math.ceil(u.release_h / step_h - 1e-9) + round(earliest[u.origin] / step_h)
                for u in usable)
    solved = np.array([s for s in wanted if s >= first], dtype=np.int64)
    flows = np.zeros(steps + 1)
    if len(solved):
        from alliance.mobility import flow_kernel  # imports Numba: only when a flow is solved

        flows[solved] = flow_kernel.arrivals_at_steps(
            arcs.tails, arcs.heads, arcs.capacities, arcs.width, steps + 1,
            arcs.index[sink], solved)
    if every > 1:
        solved_at = set(wanted)
        for s in range(1, steps + 1):
            if s not in solved_at:
                flows[s] = flows[s - 1]
    result: FloatArray = np.maximum.accumulate(flows)
    result.flags.writeable = False
    return result


def networkx_arrivals(
    network: Network, supplies: Sequence[Supply], sink: str, steps: int, step_h: float
) -> FloatArray:
    """The same as :func:`arrivals_by_step`, computed with networkx (for cross-checks)."""
    te = time_expanded_graph(network, supplies, steps, step_h)
    coo = te.graph.tocoo()
    g: nx.DiGraph[Any] = nx.DiGraph()
    for a, b, c in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        g.add_edge(a, b, capacity=c)
    out = np.zeros(steps + 1)
    for s in range(steps + 1):
        target = te.entry(sink, s)
        if te.source in g and target in g:
            out[s] = nx.maximum_flow_value(g, te.source, target)
    return out


def networkx_min_cut_links(
    network: Network, origins: Sequence[str], sink: str
) -> tuple[float, list[str]]:
    """Static minimum cut between ``origins`` and ``sink`` [vehicles a day] and its link ids.

    Computed with networkx: the cross-check of, and the fallback for,
    :func:`alliance.mobility.bottleneck.min_cut_links` (the model's cut). Capacities
    per day, transit times ignored: the cut is the set of links (and node capacities,
    reported as ``node:<id>``) whose total capacity limits the sustained flow into
    the sink. Returns ``(capacity, sorted link ids)``; an empty list when the sink
    cannot be reached (capacity 0) or the origins include the sink. Memoised on
    (network, set of origins, sink).
    """
    capacity, links = _min_cut(network, tuple(sorted(set(origins))), sink)
    return capacity, list(links)


@memoised(MEMO_ENTRIES)
def _min_cut(
    network: Network, origins: tuple[str, ...], sink: str
) -> tuple[float, tuple[str, ...]]:
    g: nx.DiGraph[Any] = nx.DiGraph()
    for v in network.nodes:
        cap = network.node_capacity_vpd.get(v, math.inf)
        g.add_edge(("in", v), ("out", v), capacity=cap, link=f"node:{v}")
    for arc in network.arcs:
        key = (("out", arc.tail), ("in", arc.head))
        if g.has_edge(*key):
            g.edges[key]["capacity"] += arc.capacity_vpd
            g.edges[key]["link"] += "+" + arc.link_id
        else:
            g.add_edge(*key, capacity=arc.capacity_vpd, link=arc.link_id)
    for o in set(origins) - {sink}:
        g.add_edge("SOURCE", ("in", o), capacity=math.inf, link="")
    if "SOURCE" not in g:
        return 0.0, ()
    value, (reach, _) = nx.minimum_cut(g, "SOURCE", ("in", sink))
    if value == 0:
        return 0.0, ()
    links: set[str] = set()
    for a, b, data in g.edges(data=True):
        if a in reach and b not in reach and data["capacity"] > 0:
            links.update(part for part in str(data["link"]).split("+") if part)
    return float(value), tuple(sorted(links))
