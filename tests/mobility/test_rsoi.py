"""RSOI: US reinforcements need reception at the port of debarkation before moving on.

Input: the bundled network and 2026 order of battle, with ``rsoi_days`` 0 and 14
(the sourced 2017 ABCT port-to-ready time). Output: the US flow's arrivals. A
consistency check of the modelling rule (a later release), not a reproduction.
"""

from __future__ import annotations

import numpy as np

from alliance.data import Dataset
from alliance.mobility import brigades_for_year, closure_for_year
from alliance.mobility.closure import supplies_for_area
from alliance.params import MobilityParams


def _us_curve(dataset: Dataset, rsoi_days: float) -> np.ndarray:
    nodes, links, allies = (dataset.table(n) for n in ("corridor_nodes", "corridor_links",
                                                         "allies"))
    brigades = brigades_for_year(dataset.table("order_of_battle"), allies, 2026)
    params = MobilityParams(rsoi_days=rsoi_days, horizon_days=60)
    result = closure_for_year(nodes, links, allies, brigades, params, 2026, areas=["LT_RUK"],
                              every=2)
    us = result.curves.loc[result.curves["ally"] == "USA"]
    return us.groupby("step")["brigades"].sum().to_numpy()


def test_rsoi_releases_the_us_reinforcements_that_much_later(dataset: Dataset) -> None:
    nodes, allies = dataset.table("corridor_nodes"), dataset.table("allies")
    brigades = brigades_for_year(dataset.table("order_of_battle"), allies, 2026)
    for rsoi in (0.0, 14.0):
        params = MobilityParams(rsoi_days=rsoi)
        from_us = [s for s in supplies_for_area(brigades, "LTU", "LT_RUK", nodes, params,
                                                1.0, 1.0) if s.origin.startswith("US_")]
        assert from_us
        assert {s.release_h for s in from_us} == {params.us_reinforcement_notice_h
                                                 + 24.0 * rsoi}


def test_rsoi_delays_and_never_speeds_the_us_flow(dataset: Dataset) -> None:
    without, with_rsoi = _us_curve(dataset, 0.0), _us_curve(dataset, 14.0)
    assert np.all(with_rsoi <= without + 1e-9)  # a later release never arrives earlier
    assert with_rsoi[-1] < without[-1] - 1.0  # by day 60 at least a brigade fewer
