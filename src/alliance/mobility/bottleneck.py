"""The bottleneck of an assembly area: the static minimum cut, with SciPy's max-flow.

The same cut as :func:`alliance.mobility.flow.networkx_min_cut_links` (networkx, kept as the
cross-check the tests compare with): capacities per day, transit times ignored; each
node is an ``in -> out`` arc carrying its capacity (``node:<id>``, unlimited when it
has none), each link an ``out(tail) -> in(head)`` arc (parallel links add up), and a
source feeds every origin without limit. The cut's sink side is every vertex that can
still reach the sink in the residual network of a maximum flow (the same set for every
maximum flow, so the same links as networkx's ``minimum_cut``); the links named are the
arcs of positive capacity from the other side into it.

SciPy's Dinic max-flow (``scipy.sparse.csgraph.maximum_flow``) takes whole-number
capacities only: a network with a fractional or too large capacity, or origins that are
not its nodes, goes to the networkx cut instead (same answer, slower).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from alliance.memo import memoised
from alliance.mobility.flow import MEMO_ENTRIES, Network, networkx_min_cut_links

__all__ = ["min_cut_links"]

#: Largest total capacity SciPy's int32 max-flow is given [vehicles a day].
_MAX_TOTAL = 2**30


def min_cut_links(
    network: Network, origins: Sequence[str], sink: str
) -> tuple[float, list[str]]:
    """Static minimum cut between ``origins`` and ``sink`` [vehicles a day] and its link ids.

    As :func:`alliance.mobility.flow.networkx_min_cut_links` (module docstring): ``(capacity,
    sorted link ids)``, ``(0.0, [])`` when the sink cannot be reached or the origins
    are only the sink. Memoised on (network, set of origins, sink).
    """
    capacity, links = _min_cut(network, tuple(sorted(set(origins))), sink)
    return capacity, list(links)


class _CutGraph:
    """The static network as vertex pairs: ``in(v) = 2 i``, ``out(v) = 2 i + 1``."""

    def __init__(self, network: Network) -> None:
        self.index = {v: i for i, v in enumerate(network.nodes)}
        self.source = 2 * len(network.nodes)
        self.size = self.source + 1
        capacity: dict[tuple[int, int], float] = {}
        names: dict[tuple[int, int], list[str]] = {}
        for v, i in self.index.items():
            capacity[(2 * i, 2 * i + 1)] = network.node_capacity_vpd.get(v, math.inf)
            names[(2 * i, 2 * i + 1)] = [f"node:{v}"]
        for arc in network.arcs:
            key = (2 * self.index[arc.tail] + 1, 2 * self.index[arc.head])
            capacity[key] = capacity.get(key, 0.0) + arc.capacity_vpd
            names.setdefault(key, []).append(arc.link_id)
        self.capacity = capacity
        self.names = names


@memoised(MEMO_ENTRIES)
def _cut_graph(network: Network) -> _CutGraph:
    return _CutGraph(network)


def _whole(values: Sequence[float]) -> bool:
    return all(math.isinf(c) or (c >= 0 and c == math.floor(c)) for c in values)


@memoised(MEMO_ENTRIES)
def _min_cut(
    network: Network, origins: tuple[str, ...], sink: str
) -> tuple[float, tuple[str, ...]]:
    g = _cut_graph(network)
    feeding = [o for o in origins if o != sink]
    if not feeding:
        return 0.0, ()
    finite = [c for c in g.capacity.values() if not math.isinf(c)]
    if (sink not in g.index or any(o not in g.index for o in feeding)
            or not _whole(list(g.capacity.values())) or sum(finite) >= _MAX_TOTAL):
        capacity, named = networkx_min_cut_links(network, origins, sink)
        return capacity, tuple(named)
    unlimited = int(sum(finite)) + 1  # more than any cut of finite arcs
    arcs = [(*key, unlimited if math.isinf(c) else int(c)) for key, c in g.capacity.items()]
    arcs += [(g.source, 2 * g.index[o], unlimited) for o in feeding]
    tails, heads, caps = (np.array(column, dtype=np.int32) for column in zip(*arcs, strict=True))
    graph = csr_array((caps, (tails, heads)), shape=(g.size, g.size))
    graph.sum_duplicates()
    target = 2 * g.index[sink]
    result = maximum_flow(graph, g.source, target)
    if result.flow_value == 0:
        return 0.0, ()
    sink_side = _reaching(graph, result.flow, target, g.size)
    links: set[str] = set()
    for (tail, head), c in g.capacity.items():
        if c > 0 and not sink_side[tail] and sink_side[head]:
            links.update(g.names[(tail, head)])
    return float(result.flow_value), tuple(sorted(links))


def _reaching(
    graph: csr_array, flow: csr_array, target: int, size: int
) -> npt.NDArray[np.bool_]:
    """Vertices that reach ``target`` along arcs with residual capacity left."""
    residual = (graph.astype(np.int64) - flow.astype(np.int64)).tocoo()
    keep = residual.data > 0
    # reversed arcs: a breadth-first search from the target finds who reaches it
    reverse = csr_array((np.ones(int(keep.sum()), dtype=np.int8),
                         (residual.col[keep], residual.row[keep])), shape=(size, size))
    order = breadth_first_order(reverse, target, directed=True, return_predecessors=False)
    out = np.zeros(size, dtype=bool)
    out[np.asarray(order)] = True
    return out
