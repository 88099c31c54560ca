"""Memos of the closure's inputs: results are fresh tables, equal supplies are one object."""

from __future__ import annotations

import pandas as pd

from alliance.data import load_dataset
from alliance.memo import clear_all
from alliance.mobility import brigades_for_year, build_network
from alliance.mobility.closure import _supply
from alliance.scenario import load_scenario


def test_brigades_for_year_hands_out_a_fresh_table_each_call():
    ds = load_dataset()
    oob, allies = ds.table("order_of_battle"), ds.table("allies")
    first = brigades_for_year(oob, allies, 2030)
    reference = first.copy()
    first.loc[:, "brigade_equivalents"] = -1.0
    first.loc[0, "ally"] = "XXX"
    pd.testing.assert_frame_equal(brigades_for_year(oob, allies, 2030), reference,
                                  check_exact=True)


def test_plan_brigades_sit_at_the_capital():
    ds = load_dataset()
    allies = ds.table("allies")
    plan = pd.DataFrame({"iso3": ["POL", "POL", "ZZZ"], "year": [2030, 2031, 2030],
                         "brigade_equivalents": [1.5, 2.0, 1.0]})
    b = brigades_for_year(ds.table("order_of_battle"), allies, 2030, plan)
    planned = b.loc[b["origin"] == "capital"]
    capital = allies.set_index("iso3").loc["POL"]
    assert planned["unit_id"].tolist() == ["plan.POL"]
    assert planned["brigade_equivalents"].tolist() == [1.5]
    assert planned[["lat", "lon"]].to_numpy().tolist() == [
        [float(capital["capital_lat"]), float(capital["capital_lon"])]]
    assert str(b["unit_id"].dtype) == str(brigades_for_year(
        ds.table("order_of_battle"), allies, 2030)["unit_id"].dtype)


def test_equal_supplies_are_one_object_until_cleared():
    a = _supply("DE_EME", 36.0, 100.0, "DEU", "heavy")
    assert _supply("DE_EME", 36.0, 100.0, "DEU", "heavy") is a
    clear_all()
    b = _supply("DE_EME", 36.0, 100.0, "DEU", "heavy")
    assert b == a and b is not a


def test_network_is_built_once_per_tables_and_levers():
    ds = load_dataset()
    params = load_scenario("baseline").mobility
    nodes, links = ds.table("corridor_nodes"), ds.table("corridor_links")
    net = build_network(nodes, links, params)
    assert build_network(ds.table("corridor_nodes"), ds.table("corridor_links"), params) is net
    other = build_network(nodes, links, params.model_copy(
        update={"rail_baltica_open": not params.rail_baltica_open}))
    assert other != net
