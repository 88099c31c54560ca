"""Capacity sharing between allies moving at once: pro rata or nearest first.

Consistency checks of the crediting rules on the bundled network (2026, Rukla):
what each rule credits adds up to the network's joint curve, and under
nearest_first the ally that can arrive first keeps its own curve.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.data import Dataset
from alliance.mobility import brigades_for_year, closure_for_year
from alliance.mobility.closure import supplies_for_area
from alliance.mobility.flow import arrivals_by_step, earliest_arrival_h
from alliance.mobility.network import build_network
from alliance.params import MobilityParams

AREA = "LT_RUK"


def _closure(dataset: Dataset, sharing: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes, links, allies = (dataset.table(n) for n in ("corridor_nodes", "corridor_links",
                                                         "allies"))
    brigades = brigades_for_year(dataset.table("order_of_battle"), allies, 2026)
    params = MobilityParams(capacity_sharing=sharing)  # type: ignore[arg-type]
    result = closure_for_year(nodes, links, allies, brigades, params, 2026, areas=[AREA],
                              every=2)
    return result.curves, result.joint


def test_both_rules_credit_what_the_network_moves(dataset: Dataset) -> None:
    params = MobilityParams()
    _, pro_rata_joint = _closure(dataset, "pro_rata")
    alone = pro_rata_joint.set_index("step")["vehicles_alone"]  # sum of the solo curves
    for sharing in ("pro_rata", "nearest_first"):
        curves, joint = _closure(dataset, sharing)
        vehicles = curves.assign(vehicles=curves["brigades"] * curves["brigade_type"].map(
            params.vehicles_per_brigade)).groupby("step")["vehicles"].sum()
        network = joint.set_index("step")["vehicles"]
        last = int(network.index.max())
        # the credited total never falls short of the network's curve at the end ...
        assert vehicles.loc[last] >= network.loc[last] - 1e-6, sharing
        # ... nor exceeds what the allies could move each alone (a marginal gain of
        # joining never beats moving alone: max flow is submodular in its sources)
        assert vehicles.loc[last] <= alone.loc[last] + 1e-6, sharing


def test_nearest_first_keeps_the_first_allys_own_curve(dataset: Dataset) -> None:
    nodes, links, allies = (dataset.table(n) for n in ("corridor_nodes", "corridor_links",
                                                         "allies"))
    brigades = brigades_for_year(dataset.table("order_of_battle"), allies, 2026)
    params = MobilityParams(capacity_sharing="nearest_first")
    supplies = supplies_for_area(brigades, "LTU", AREA, nodes, params, 1.0, 1.0)
    network = build_network(nodes, links, params)
    step_h = params.time_step_h
    earliest = earliest_arrival_h(network, AREA, step_h)

    def first(ally: str) -> float:
        return min(step_h * np.ceil(s.release_h / step_h - 1e-9) + earliest.get(s.origin, np.inf)
                   for s in supplies if s.ally == ally)

    leader = min(sorted({s.ally for s in supplies}), key=first)
    steps = int(params.horizon_days * 24 / step_h)
    own = arrivals_by_step(network, [s for s in supplies if s.ally == leader], AREA, steps,
                           step_h, 2)
    curves, joint = _closure(dataset, "nearest_first")
    mine = curves.loc[curves["ally"] == leader].assign(
        vehicles=lambda f: f["brigades"] * f["brigade_type"].map(params.vehicles_per_brigade)
    ).groupby("step")["vehicles"].sum().reindex(range(steps + 1), fill_value=0.0)
    np.testing.assert_allclose(mine.to_numpy(), np.maximum.accumulate(own), atol=1e-6)
    assert joint["contention"].isna().all()  # no sum of solo curves under this rule
