"""The compiled (Numba) incremental maximum flow behind the closure curves.

:func:`alliance.mobility.flow.arrivals_by_step` needs, on one time-expanded graph,
the maximum flow from the source to ``in(sink, s)`` for many steps ``s`` [vehicles].
A flow that reaches ``in(sink, s)`` is feasible for ``in(sink, s')``, ``s' > s``: the
arrivals wait at the sink on the unlimited holding arcs ``in(sink, t) -> in(sink,
t + 1)``. So :func:`arrivals_at_steps` solves the first step from zero, then, for
each later step, pushes the flow already in along those holding arcs and augments
from that residual network instead of solving again from nothing.

Each step augments along shortest residual paths (the distance-label method,
"ISAP"): a breadth-first search backwards from ``in(sink, s)`` labels every vertex
with its distance to it, augmenting paths follow arcs one label down, a dead end is
relabelled, and the step ends when a label has no vertex left (the source is cut
off: the flow is maximum). Labels are recomputed exactly after as many relabels as
vertices were labelled, so they never climb one by one. Only the source and layers
``0..s`` take part: no arc goes back in time, and every flow so far stays within
those layers, so no augmenting path to ``in(sink, s)`` leaves them (exact).
Capacities are whole vehicles per step in int64 (the unlimited arcs' 10**9 and
their sums cannot overflow), so the values are the exact maximum flows, equal to
SciPy's ``maximum_flow`` on ``TimeExpanded.up_to(s)`` step by step
(``tests/mobility/test_flow_kernel.py`` checks that).

Compilation: ``numba.njit(cache=True, nogil=True)``. The first call in a fresh
environment compiles (5-20 s on a busy 2-core machine); later processes load the machine code from
Numba's cache (``__pycache__`` next to this file, or ``NUMBA_CACHE_DIR``).
Importing this module imports Numba, so :mod:`alliance.mobility.flow` imports it
only when a flow is solved: commands that never solve one do not pay for it.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["arrivals_at_steps"]

IntArray = npt.NDArray[np.int64]

_jit = numba.njit(cache=True, nogil=True)


@_jit
def _residual_network(
    tails: IntArray, heads: IntArray, capacities: IntArray, vertices: int
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Residual arcs of the graph's arcs and each vertex's list of them.

    Arc ``k`` of the graph becomes residual arc ``2k`` (forward, its capacity
    [vehicles a step]) and ``2k + 1`` (backward, capacity 0); the tail of residual
    arc ``e`` is the head of ``e ^ 1``. Returns ``(head, capacity, first, arc)``:
    the residual arcs leaving vertex ``v`` are ``arc[first[v]:first[v + 1]]``.
    """
    m = len(tails)
    head = np.empty(2 * m, dtype=np.int64)
    capacity = np.zeros(2 * m, dtype=np.int64)
    first = np.zeros(vertices + 1, dtype=np.int64)
    for k in range(m):
        head[2 * k] = heads[k]
        head[2 * k + 1] = tails[k]
        capacity[2 * k] = capacities[k]
        first[tails[k] + 1] += 1
        first[heads[k] + 1] += 1
    for v in range(vertices):
        first[v + 1] += first[v]
    fill = first[:-1].copy()
    arc = np.empty(2 * m, dtype=np.int64)
    for k in range(m):
        arc[fill[tails[k]]] = 2 * k
        fill[tails[k]] += 1
        arc[fill[heads[k]]] = 2 * k + 1
        fill[heads[k]] += 1
    return head, capacity, first, arc


@_jit
def _distances(
    head: IntArray, capacity: IntArray, first: IntArray, arc: IntArray, target: int,
    limit: int, distance: IntArray, count: IntArray, queue: IntArray,
) -> int:
    """Residual arcs from each vertex to ``target`` on a shortest path [arcs].

    Breadth-first search backwards from ``target``; a vertex that cannot reach it
    keeps the label ``len(distance)`` (no label). ``count[k]``: vertices labelled ``k``.
    Only vertices ``< limit`` carry old labels (later layers were never labelled).
    Returns the number of vertices labelled.
    """
    unlabelled = len(distance)
    distance[:limit] = unlabelled
    count[:] = 0
    distance[target] = 0
    count[0] = 1
    queue[0] = target
    read, write = 0, 1
    while read < write:
        v = queue[read]
        read += 1
        for i in range(first[v], first[v + 1]):
            e = arc[i]
            u = head[e]  # residual arc e ^ 1 goes from u into v
            if capacity[e ^ 1] > 0 and distance[u] == unlabelled:
                distance[u] = distance[v] + 1
                count[distance[u]] += 1
                queue[write] = u
                write += 1
    return write


@_jit
def _augment(
    head: IntArray, capacity: IntArray, first: IntArray, arc: IntArray, target: int,
    distance: IntArray, count: IntArray, current: IntArray, path: IntArray, relabels: int,
) -> tuple[int, bool]:
    """Augment from the source (vertex 0) to ``target`` [vehicles]; and is the flow maximum?

    Shortest augmenting paths on distance labels (``_distances``), kept valid by
    relabelling a vertex with no admissible arc left (one more than its nearest
    residual neighbour); when no vertex is left at a label, the source is cut off
    from ``target`` (gap) and the flow is maximum. After ``relabels`` relabellings
    it stops (not known maximum) so that the caller recomputes exact labels: labels
    climbing one by one towards the bound would cost far more.
    """
    # Long by design: the advance / augment / relabel-and-retreat loop over one
    # explicit path; split, its state would be handed around.
    unlabelled = len(distance)
    current[:] = first[:-1]
    total = 0
    depth = 0
    u = 0
    while distance[0] < unlabelled:
        if relabels == 0:
            return total, False
        if u == target:
            pushed = capacity[path[0]]
            for i in range(1, depth):
                pushed = min(pushed, capacity[path[i]])
            for i in range(depth):
                capacity[path[i]] -= pushed
                capacity[path[i] ^ 1] += pushed
            total += pushed
            depth = 0
            while capacity[path[depth]] > 0:
                depth += 1
            u = head[path[depth] ^ 1]  # back to the tail of the first saturated arc
            continue
        advanced = False
        while current[u] < first[u + 1]:
            e = arc[current[u]]
            if capacity[e] > 0 and distance[head[e]] == distance[u] - 1:
                path[depth] = e
                depth += 1
                u = head[e]
                advanced = True
                break
            current[u] += 1
        if advanced:
            continue
        nearest = unlabelled - 1
        for i in range(first[u], first[u + 1]):
            e = arc[i]
            if capacity[e] > 0:
                nearest = min(nearest, distance[head[e]])
        count[distance[u]] -= 1
        if count[distance[u]] == 0:
            return total, True
        relabels -= 1
        distance[u] = nearest + 1
        if distance[u] < unlabelled:
            count[distance[u]] += 1
        current[u] = first[u]
        if u != 0:
            depth -= 1
            u = head[path[depth] ^ 1]
    return total, True


@_jit
def _hold_arrivals(
    head: IntArray, capacity: IntArray, first: IntArray, arc: IntArray, entry: int,
    width: int, layers: int, flow: int,
) -> bool:
    """Move ``flow`` vehicles waiting at ``entry`` (in(sink, s)) up ``layers`` layers.

    Along the holding arcs ``in(sink, t) -> in(sink, t + 1)``; returns False (the
    residual left part-changed) if one is missing or too small for ``flow``.
    """
    for step in range(layers):
        at = entry + step * width
        hold = -1
        for i in range(first[at], first[at + 1]):
            e = arc[i]
            if e % 2 == 0 and head[e] == at + width and capacity[e] >= flow:
                hold = e
                break
        if hold < 0:
            return False
        capacity[hold] -= flow
        capacity[hold ^ 1] += flow
    return True


@_jit
def arrivals_at_steps(
    tails: IntArray, heads: IntArray, capacities: IntArray, width: int, layers: int,
    sink: int, steps: IntArray,
) -> IntArray:
    """Maximum flow from the source into ``in(sink, s)`` for each of ``steps`` [vehicles].

    The graph is numbered as :class:`alliance.mobility.flow.TimeExpanded`: vertex 0
    is the source, layer ``t`` (of ``layers``) holds vertices ``1 + t * width`` to
    ``(t + 1) * width``, and ``in(sink, t)`` is ``1 + t * width + sink``. Arc ``k`` goes
    from ``tails[k]`` to ``heads[k]`` with ``capacities[k]`` [vehicles a step];
    ``steps`` ascending. The flow of one step is the start of the next (module
    docstring); should a holding arc be too small for it (not with the unlimited
    ones), that step starts from zero.
    """
    vertices = 1 + layers * width
    head, capacity, first, arc = _residual_network(tails, heads, capacities, vertices)
    initial = capacity.copy()
    everything = 0  # what the source releases [vehicles]
    for i in range(first[0], first[1]):
        everything += capacity[arc[i]]
    distance = np.full(vertices, vertices, dtype=np.int64)  # no labels yet
    count = np.empty(vertices + 1, dtype=np.int64)
    queue = np.empty(vertices, dtype=np.int64)
    current = np.empty(vertices, dtype=np.int64)
    path = np.empty(vertices, dtype=np.int64)
    out = np.zeros(len(steps), dtype=np.int64)
    flow = 0
    for j in range(len(steps)):
        target = 1 + steps[j] * width + sink
        limit = 1 + (steps[j] + 1) * width
        moved = steps[j] - steps[j - 1] if j > 0 else 0
        if flow > 0 and not _hold_arrivals(head, capacity, first, arc, target - moved * width,
                                           width, moved, flow):
            capacity[:] = initial
            flow = 0
        maximum = flow >= everything
        while not maximum:
            labelled = _distances(head, capacity, first, arc, target, limit, distance, count,
                                  queue)
            pushed, maximum = _augment(head, capacity, first, arc, target, distance, count,
                                       current, path, labelled)
            flow += pushed
        out[j] = flow
    return out
