"""The time-expanded flow and the minimum cut on hand-solvable graphs, and ST 100-3."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ModelError
from alliance.mobility.bottleneck import min_cut_links
from alliance.mobility.checks import column_length_km, pass_time_h
from alliance.mobility.flow import (
    Arc,
    Network,
    Supply,
    arrivals_by_step,
    networkx_arrivals,
)


def _chain() -> Network:
    """A -> B -> C: A-B 240 vehicles/day in 24 h, B-C 120/day in 12 h."""
    return Network(nodes=("A", "B", "C"), arcs=(
        Arc("AB", "A", "B", 240.0, 24.0), Arc("BC", "B", "C", 120.0, 12.0)))


def test_chain_closure_by_hand():
    """600 vehicles at A at hour 0, steps of 12 h: the first 60 (B-C's 120/day x 12 h)
    reach C at 36 h (24 + 12), then 60 every step: all 600 by 36 + 9 x 12 = 144 h."""
    arrived = arrivals_by_step(_chain(), [Supply("A", 0.0, 600.0)], "C", 14, 12.0)
    expected = [0, 0, 0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 600, 600]
    np.testing.assert_array_equal(arrived, expected)
    closure_step = int(np.flatnonzero(arrived >= 600)[0])
    assert closure_step * 12.0 == 144.0


def test_parallel_routes_add_and_the_cut_names_the_binding_link():
    """Two routes A->C: direct (100/day, 48 h) and via B (A-B 300/day, B-C 50/day, 24 h).
    Max sustained flow 150/day; the cut is the direct link and B-C."""
    net = Network(nodes=("A", "B", "C"), arcs=(
        Arc("AC", "A", "C", 100.0, 48.0), Arc("AB", "A", "B", 300.0, 12.0),
        Arc("BC", "B", "C", 50.0, 12.0)))
    value, links = min_cut_links(net, ["A"], "C")
    assert value == 150.0 and links == ["AC", "BC"]
    arrived = arrivals_by_step(net, [Supply("A", 0.0, 10_000.0)], "C", 10, 24.0)
    # steps of 24 h: each 12 h leg rounds to one step, so both routes take two steps;
    # from day 2 on, 150 a day arrive: day d holds 150 (d - 1)
    np.testing.assert_array_equal(arrived[:5], [0, 0, 150, 300, 450])


def test_node_capacity_binds_and_is_reported():
    net = Network(nodes=("P", "Q"), arcs=(Arc("PQ", "P", "Q", 1000.0, 0.0),),
                  node_capacity_vpd={"P": 200.0})
    value, links = min_cut_links(net, ["P"], "Q")
    assert value == 200.0 and links == ["node:P"]
    arrived = arrivals_by_step(net, [Supply("P", 0.0, 1000.0)], "Q", 5, 24.0)
    np.testing.assert_array_equal(arrived, [200, 400, 600, 800, 1000, 1000])


def test_release_time_and_unreachable_sink():
    net = _chain()
    late = arrivals_by_step(net, [Supply("A", 48.0, 60.0)], "C", 10, 12.0)
    assert late[6] == 0 and late[7] == 60  # released at step 4, +3 steps of transit
    lonely = Network(nodes=("A", "B", "Z"), arcs=(Arc("AB", "A", "B", 10.0, 1.0),))
    assert arrivals_by_step(lonely, [Supply("A", 0.0, 5.0)], "Z", 4, 12.0).sum() == 0
    assert min_cut_links(lonely, ["A"], "Z") == (0.0, [])


def test_scipy_and_networkx_agree():
    net = Network(nodes=("A", "B", "C", "D"), arcs=(
        Arc("AB", "A", "B", 90.0, 10.0), Arc("AC", "A", "C", 60.0, 30.0),
        Arc("BD", "B", "D", 40.0, 20.0), Arc("CD", "C", "D", 80.0, 5.0),
        Arc("BC", "B", "C", 30.0, 6.0)))
    supplies = [Supply("A", 0.0, 700.0), Supply("B", 24.0, 100.0)]
    np.testing.assert_array_equal(arrivals_by_step(net, supplies, "D", 12, 12.0),
                                  networkx_arrivals(net, supplies, "D", 12, 12.0))


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ModelError, match="unknown node"):
        Network(nodes=("A",), arcs=(Arc("AX", "A", "X", 1.0, 1.0),))
    with pytest.raises(ModelError, match="unknown origin"):
        arrivals_by_step(_chain(), [Supply("Q", 0.0, 1.0)], "C", 3, 12.0)
    with pytest.raises(ModelError, match="unknown sink"):
        arrivals_by_step(_chain(), [Supply("A", 0.0, 1.0)], "Q", 3, 12.0)


def test_st_100_3_road_march_arithmetic():
    """US Army CGSC ST 100-3 ch. 8 (input: 25,000 vehicles, 100 m interval, 25 km/h;
    published output: 2,500 km of road space, more than 4 days to pass). Exact."""
    assert column_length_km(25_000, 100.0) == pytest.approx(2_500.0)
    assert pass_time_h(25_000, 100.0, 25.0) == pytest.approx(100.0)
    assert pass_time_h(25_000, 100.0, 25.0) / 24.0 > 4.0
    # same chapter: reinforced division, 6,000 vehicles on 4 routes: ~150 km per column
    assert column_length_km(6_000 / 4, 100.0) == pytest.approx(150.0)


caps = st.floats(0.0, 500.0)


@settings(max_examples=40, deadline=None)
@given(ab=caps, bc=caps, ac=caps, cut=st.sampled_from(["AB", "BC", "AC"]),
       supply=st.floats(1.0, 2000.0))
def test_cutting_a_link_never_speeds_closure(ab, bc, ac, cut, supply):
    """Property: removing any link never raises the vehicles arrived by any step."""
    arcs = (Arc("AB", "A", "B", ab, 12.0), Arc("BC", "B", "C", bc, 12.0),
            Arc("AC", "A", "C", ac, 36.0))
    full = Network(nodes=("A", "B", "C"), arcs=arcs)
    less = Network(nodes=("A", "B", "C"), arcs=tuple(a for a in arcs if a.link_id != cut))
    s = [Supply("A", 0.0, supply)]
    assert np.all(arrivals_by_step(less, s, "C", 8, 12.0)
                  <= arrivals_by_step(full, s, "C", 8, 12.0))


@settings(max_examples=40, deadline=None)
@given(delay=st.floats(0.0, 96.0), less=st.floats(0.0, 1.0))
def test_shorter_delays_never_slow_closure(delay, less):
    """Property: a shorter permit delay on a link never lowers the arrivals by any step."""
    def net(d: float) -> Network:
        return Network(nodes=("A", "B", "C"), arcs=(
            Arc("AB", "A", "B", 300.0, 12.0 + d), Arc("BC", "B", "C", 200.0, 6.0)))
    s = [Supply("A", 0.0, 1500.0)]
    assert np.all(arrivals_by_step(net(delay * less), s, "C", 16, 12.0)
                  >= arrivals_by_step(net(delay), s, "C", 16, 12.0))
