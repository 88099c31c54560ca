"""The compiled incremental maximum flow against SciPy's maximum flow, step by step.

Cross-checks against an independent method: :func:`scipy_arrivals` (here, not in the
library) solves every step from zero with ``scipy.sparse.csgraph.maximum_flow`` on
the whole time-expanded graph (no pruning, no skipped steps), then applies the
``every`` rule (values at the solved steps, carried between). The library's
:func:`alliance.mobility.flow.arrivals_by_step` must give exactly the same numbers
(integer flows: bit-identical floats), on the bundled corridor network for every
assembly area and several allies, and on random small networks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from alliance.data import Dataset
from alliance.memo import clear_all
from alliance.mobility import brigades_for_year
from alliance.mobility.closure import assembly_areas, supplies_for_area
from alliance.mobility.flow import (
    Arc,
    Network,
    Supply,
    arrivals_by_step,
    time_expanded_graph,
)
from alliance.mobility.flow_kernel import arrivals_at_steps
from alliance.mobility.network import build_network
from alliance.params import MobilityParams


def scipy_arrivals(
    network: Network, supplies: Sequence[Supply], sink: str, steps: int, step_h: float,
    every: int = 1,
) -> np.ndarray:
    """Vehicles in ``sink`` by each step: one SciPy max-flow per solved step [vehicles]."""
    te = time_expanded_graph(network, supplies, steps, step_h)
    solved = sorted({*range(0, steps + 1, max(every, 1)), steps})
    flows = np.zeros(steps + 1)
    for s in range(steps + 1):
        if s in solved:
            flows[s] = maximum_flow(te.up_to(s), te.source, te.entry(sink, s)).flow_value
        else:
            flows[s] = flows[s - 1]
    result: np.ndarray = np.maximum.accumulate(flows)
    return result


def _assert_same(network: Network, supplies: Sequence[Supply], sink: str, steps: int,
                 step_h: float, every: int = 1) -> None:
    clear_all()  # solve, not recall
    ours = arrivals_by_step(network, supplies, sink, steps, step_h, every)
    reference = scipy_arrivals(network, supplies, sink, steps, step_h, every)
    assert ours.dtype == reference.dtype
    np.testing.assert_array_equal(ours, reference)


@pytest.mark.parametrize("year", [2026, 2030])
def test_bundled_network_every_area_and_ally(dataset: Dataset, year: int) -> None:
    """Every assembly area: the joint flow and three allies' own flows, 30 days, every 2."""
    nodes, links, allies = (dataset.table(n) for n in ("corridor_nodes", "corridor_links",
                                                         "allies"))
    brigades = brigades_for_year(dataset.table("order_of_battle"), allies, year)
    params = MobilityParams()
    network = build_network(nodes, links, params)
    steps = int(params.horizon_days * 24 / params.time_step_h)
    for country, area in assembly_areas(nodes).items():
        supplies = supplies_for_area(brigades, country, area, nodes, params, 0.5, 0.75)
        by_size = sorted({s.ally for s in supplies},
                         key=lambda a: -sum(s.vehicles for s in supplies if s.ally == a))
        groups = [supplies] + [[s for s in supplies if s.ally == a] for a in by_size[:3]]
        for group in groups:
            _assert_same(network, group, area, steps, params.time_step_h, every=2)
        _assert_same(network, supplies, area, 7, params.time_step_h)  # deterrence window


_NODES = ("A", "B", "C", "D", "E")


@st.composite
def _networks(draw: st.DrawFn) -> tuple[Network, list[Supply], str, int, float, int]:
    """A random network of up to 5 nodes, supplies, a sink, steps, step and every."""
    n = draw(st.integers(2, len(_NODES)))
    nodes = _NODES[:n]
    pairs = st.tuples(st.sampled_from(nodes), st.sampled_from(nodes))
    # one arc per (tail, head): SciPy's int32 matrix adds parallel arcs, and three unlimited
    # ones (3 x 10**9 vehicles a step) would overflow the reference, not the solver
    ends = draw(st.lists(pairs, max_size=8, unique=True))
    arcs = tuple(
        Arc(f"L{i}", tail, head,
            draw(st.one_of(st.floats(0.0, 400.0), st.just(float("inf")))),
            draw(st.floats(0.0, 60.0)))
        for i, (tail, head) in enumerate(ends))
    capped = draw(st.lists(st.sampled_from(nodes), max_size=2, unique=True))
    capacity = {v: draw(st.floats(0.0, 300.0)) for v in capped}
    supplies = draw(st.lists(st.builds(
        Supply, st.sampled_from(nodes), st.floats(0.0, 72.0), st.floats(0.0, 3000.0)),
        max_size=4))
    return (Network(nodes=nodes, arcs=arcs, node_capacity_vpd=capacity), supplies,
            draw(st.sampled_from(nodes)), draw(st.integers(1, 14)),
            draw(st.sampled_from([6.0, 12.0, 24.0])), draw(st.integers(1, 4)))


@settings(max_examples=300, deadline=None)
@given(case=_networks())
def test_random_networks_match_scipy(
    case: tuple[Network, list[Supply], str, int, float, int],
) -> None:
    """Property: any small network, supplies (none, zero, late), sink (reachable or not),
    horizon and ``every``: the same arrivals as SciPy solving each step from zero."""
    _assert_same(*case)


def test_unreachable_sink_and_zero_supplies() -> None:
    net = Network(nodes=("A", "B", "Z"), arcs=(Arc("AB", "A", "B", 100.0, 6.0),))
    _assert_same(net, [Supply("A", 0.0, 50.0)], "Z", 6, 12.0)
    _assert_same(net, [Supply("A", 0.0, 0.0)], "B", 6, 12.0, every=3)
    _assert_same(net, [], "B", 6, 12.0)


def test_flow_waits_at_the_sink_between_solved_steps() -> None:
    """A sink reached through a capped node, ``every`` 3: the flow of one solved step is
    carried to the next on the holding arcs, and the rest augmented from there."""
    net = Network(nodes=("A", "P", "S"),
                  arcs=(Arc("AP", "A", "P", 240.0, 12.0), Arc("PS", "P", "S", 480.0, 0.0),
                        Arc("AS", "A", "S", 24.0, 36.0)),
                  node_capacity_vpd={"P": 96.0, "S": 1000.0})
    supplies = [Supply("A", 0.0, 900.0), Supply("P", 24.0, 100.0), Supply("S", 12.0, 7.0)]
    for every in (1, 2, 3):
        _assert_same(net, supplies, "S", 20, 12.0, every)


def test_a_holding_arc_too_small_for_the_flow_in_starts_the_step_afresh() -> None:
    """Not in a time-expanded network (its holding arcs are unlimited), but exact anyway:
    one sink vertex a layer, 5 vehicles in by step 0, a holding arc of 2 to step 1 and
    1 more released there: 3 by step 1, as SciPy finds."""
    tails, heads = np.array([0, 1, 0]), np.array([1, 2, 2])
    capacities = np.array([5, 2, 1])
    ours = arrivals_at_steps(tails, heads, capacities, 1, 2, 0, np.array([0, 1]))
    graph = csr_array((capacities.astype(np.int32), (tails, heads)), shape=(3, 3))
    np.testing.assert_array_equal(
        ours, [maximum_flow(graph, 0, t).flow_value for t in (1, 2)])
    np.testing.assert_array_equal(ours, [5, 3])
