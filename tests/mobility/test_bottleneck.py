"""The SciPy minimum cut against the networkx one it replaces (same capacity, same links)."""

from __future__ import annotations

import random

import pytest

from alliance.data import load_dataset
from alliance.mobility import bottleneck, flow
from alliance.mobility.closure import assembly_areas
from alliance.mobility.flow import Arc, Network
from alliance.mobility.network import build_network
from alliance.scenario import load_scenario


def test_hand_solvable_cuts():
    """Two routes A->C (direct 100/day; via B 300 then 50/day): cut 150, links AC and BC;
    a port of 200/day in front of a 1,000/day link: cut 200 at the port."""
    net = Network(nodes=("A", "B", "C"), arcs=(
        Arc("AC", "A", "C", 100.0, 48.0), Arc("AB", "A", "B", 300.0, 12.0),
        Arc("BC", "B", "C", 50.0, 12.0)))
    assert bottleneck.min_cut_links(net, ["A"], "C") == (150.0, ["AC", "BC"])
    port = Network(nodes=("P", "Q"), arcs=(Arc("PQ", "P", "Q", 1000.0, 0.0),),
                   node_capacity_vpd={"P": 200.0})
    assert bottleneck.min_cut_links(port, ["P"], "Q") == (200.0, ["node:P"])


def test_unreachable_sink_and_origin_at_the_sink():
    lonely = Network(nodes=("A", "B", "Z"), arcs=(Arc("AB", "A", "B", 10.0, 1.0),))
    assert bottleneck.min_cut_links(lonely, ["A"], "Z") == (0.0, [])
    assert bottleneck.min_cut_links(lonely, ["Z"], "Z") == (0.0, [])


def test_fractional_capacities_take_the_networkx_cut():
    net = Network(nodes=("A", "B"), arcs=(Arc("AB", "A", "B", 12.5, 1.0),
                                          Arc("AB2", "A", "B", 0.25, 1.0)))
    assert bottleneck.min_cut_links(net, ["A"], "B") == flow.networkx_min_cut_links(net, ["A"], "B")
    assert bottleneck.min_cut_links(net, ["A"], "B") == (12.75, ["AB", "AB2"])


@pytest.mark.parametrize("scenario", ["baseline", "europe-alone"])
def test_agrees_with_networkx_on_the_bundled_network(scenario):
    """Every assembly area, random sets of origins, Rail Baltica open and closed."""
    ds = load_dataset()
    nodes, links = ds.table("corridor_nodes"), ds.table("corridor_links")
    params = load_scenario(scenario).mobility
    rng = random.Random(20250624)
    for variant in (params, params.model_copy(
            update={"rail_baltica_open": not params.rail_baltica_open})):
        net = build_network(nodes, links, variant)
        for sink in assembly_areas(nodes).values():
            for k in (1, 3, 10, len(net.nodes)):
                origins = rng.sample(net.nodes, k)
                assert (bottleneck.min_cut_links(net, origins, sink)
                        == flow.networkx_min_cut_links(net, origins, sink)), (sink, origins)
