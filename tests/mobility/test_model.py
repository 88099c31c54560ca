"""The bundled forces and corridor tables, the levers, the checks and the plan's brigades."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from alliance.data import Dataset
from alliance.deterrence import simulate
from alliance.deterrence.inputs import attach_forces, deterrence_context_from_scenario
from alliance.mobility import brigades_for_year, closure_for_year, plan_brigade_equivalents
from alliance.mobility.checks import ARF_TROOPS, arf_check, steadfast_dart_2026
from alliance.mobility.stage import force_inputs, mobility_for
from alliance.params import MobilityParams
from alliance.scenario import apply_overrides, load_scenario
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
RAW = (Path("/work/shared/data/forces"), Path("/work/shared/data/mobility"))
TABLES = ("order_of_battle", "readiness_standards", "corridor_nodes", "corridor_links",
          "movement_factors")


@pytest.fixture(scope="module")
def tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    return {n: dataset.table(n) for n in (*TABLES, "allies")}


def test_every_row_is_sourced_and_graded(tables):
    for name in TABLES:
        t = tables[name]
        assert t["source"].str.startswith("http").all(), name
        assert t["source_publication"].str.len().gt(0).all(), name
        assert t["grade"].isin(["A", "B", "C"]).all(), name
    oob = tables["order_of_battle"]
    assert not oob.loc[oob["grade"] == "C", "counted"].any()  # weak rows stay out of totals
    assert oob.loc[~oob["counted"], "not_counted_reason"].str.len().gt(0).all()
    links = tables["corridor_links"]
    assert set(links.loc[links["status"] == "planned", "to_node"]) == {"LV_RIG", "EE_TAP"}


@pytest.mark.skipif(not all(p.is_dir() for p in RAW), reason="raw forces/mobility data absent")
def test_build_script_reproduces_the_bundled_tables(tmp_path):
    module = load_script("build_forces_data")
    assert module.main([str(RAW[0]), str(RAW[1]), "--out", str(tmp_path)]) == 0
    for name in TABLES:
        built = (tmp_path / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        bundled = (ROOT / "src" / "alliance" / "data" / "tables" / f"{name}.csv").read_text(
            encoding="utf-8")
        assert built == bundled, name


def test_plan_deliveries_become_brigade_equivalents(tables):
    """Rule: BE = (tanks/87 + IFVs/138 + guns/18) / 3 (one ABCT set, CEPA/FAS 2018)."""
    p = MobilityParams()
    d = pd.DataFrame({
        "buyer": ["POL", "POL", "POL", "EUR_POOL"],
        "system": ["K2", "Borsuk", "K9", "Leopard 2A8"],
        "capability": ["main_battle_tank", "infantry_fighting_vehicle",
                       "artillery_155mm_sp_and_mlrs", "main_battle_tank"],
        "year": [2027, 2027, 2028, 2027],
        "units": [87.0, 138.0, 18.0, 87.0 * 3],
    })
    be = plan_brigade_equivalents(d, tables["order_of_battle"], [2026, 2027, 2028], p)
    pol = be.loc[be["iso3"] == "POL"].set_index("year")["brigade_equivalents"]
    assert pol[2026] == 0.0
    assert pol[2027] == pytest.approx(2.0 / 3.0 + 1.0 / 3.0 * share_of_pool(be))
    assert pol[2028] == pytest.approx(pol[2027] + 1.0 / 3.0)
    total_2027 = be.loc[be["year"] == 2027, "brigade_equivalents"].sum()
    assert total_2027 == pytest.approx(2.0 / 3.0 + 1.0)  # the pool's 3 tank sets = 1 BE
    assert be.groupby("iso3")["brigade_equivalents"].apply(
        lambda s: bool(np.all(np.diff(s.to_numpy()) >= 0))).all()


def share_of_pool(be: pd.DataFrame) -> float:
    """POL's share of the pooled BE in 2027 (the pool's single BE split by heavy brigades)."""
    pooled_2027 = be.loc[be["year"] == 2027].set_index("iso3")["brigade_equivalents"]
    return float((pooled_2027["POL"] - 2.0 / 3.0) * 3.0)


def _closure(tables, params, areas=("LT_RUK",), hours=10 * 24):
    b = brigades_for_year(tables["order_of_battle"], tables["allies"], 2026)
    return closure_for_year(tables["corridor_nodes"], tables["corridor_links"], tables["allies"],
                            b, params, 2026, horizon_h=hours, areas=list(areas), every=2,
                            credit_allies=False)


def _vehicles(result) -> np.ndarray:
    return result.joint.sort_values("step")["vehicles"].to_numpy()


def test_levers_act_in_the_right_direction_on_the_bundled_network(tables):
    base = _vehicles(_closure(tables, MobilityParams()))
    fast = _vehicles(_closure(tables, MobilityParams(permit_regime="eu_6h")))
    cut = _vehicles(_closure(tables, MobilityParams(cut_links=("L19",))))  # Sestokai-Kaunas
    assert np.all(fast >= base) and fast[-1] > base[-1]
    assert np.all(cut <= base)
    est_closed = _vehicles(_closure(tables, MobilityParams(), areas=("EE_TAP",)))
    est_open = _vehicles(_closure(tables, MobilityParams(rail_baltica_open=True),
                                  areas=("EE_TAP",)))
    assert np.all(est_open >= est_closed)


def test_bottlenecks_come_from_the_min_cut(tables):
    cut = _closure(tables, MobilityParams()).bottlenecks.iloc[0]
    assert cut["area"] == "LT_RUK" and cut["capacity_vehicles_per_day"] > 0
    links = set(tables["corridor_links"]["link_id"])
    assert all(x in links or x.startswith("node:") for x in cut["link_ids"].split())


def test_steadfast_dart_2026_reproduced_within_tolerance(tables):
    """Steadfast Dart 2026 (UKDJ via the leads): input = three ship loads into Emden (1,500
    on 15 Jan, 1,600 by end-Jan, 750 early Feb); output = the day the last vehicle reaches
    the inland node (Sennelager); published: onward across Germany "over weeks" (landing at
    Putlos 18 Feb, day 34). Tolerance: 14-42 days."""
    check = steadfast_dart_2026(tables["corridor_nodes"], tables["corridor_links"],
                                MobilityParams())
    assert check.vehicles == 3850.0
    assert check.within_tolerance, check.closure_day


def test_arf_standard_is_computed(tables):
    """Whether 40,000 troops reach Lithuania within 10 days: computed and reported, whatever
    it is; a faster permit regime never makes it worse."""
    b = brigades_for_year(tables["order_of_battle"], tables["allies"], 2026)
    today = arf_check(tables["corridor_nodes"], tables["corridor_links"], b, MobilityParams())
    fast = arf_check(tables["corridor_nodes"], tables["corridor_links"], b,
                     MobilityParams(permit_regime="eu_6h"))
    assert 0.0 <= today.troops_by_deadline <= ARF_TROOPS * (1 + 1e-9)
    assert fast.troops_by_deadline >= today.troops_by_deadline
    assert isinstance(today.met, bool)


def test_more_delivered_kit_is_never_riskier(tables):
    """Property on the whole chain: a plan that delivers more tanks, IFVs and guns (other
    things equal) never raises P(fait accompli) beyond one draw of rounding (common
    random numbers)."""
    sc = apply_overrides(load_scenario("baseline"), {"horizon": 2027})
    kit = pd.DataFrame({"buyer": ["LTU", "LTU", "EST"], "system": ["a", "b", "c"],
                        "capability": ["main_battle_tank", "infantry_fighting_vehicle",
                                       "main_battle_tank"],
                        "year": [2026, 2026, 2026], "units": [60.0, 90.0, 40.0]})
    iso3 = tuple(tables["allies"]["iso3"])
    context = deterrence_context_from_scenario(sc, None)
    draws = 8192
    results = []
    for factor in (0.0, 1.0, 3.0):
        d = kit.assign(units=kit["units"] * factor)
        m = mobility_for(tables, sc, d)
        ctx = attach_forces(context, force_inputs(m, iso3, sc))
        out = simulate(sc.deterrence, tables["allies"], ctx, draws, seed=5)
        results.append(out["p_fait_accompli"].to_numpy())
    assert np.all(results[1] <= results[0] + 1.0 / draws)
    assert np.all(results[2] <= results[1] + 1.0 / draws)


runner = CliRunner()


def _app() -> typer.Typer:
    from alliance.cli.mobility import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps the sub-command name
    return app


def test_cli_errors_exit_2():
    for args in (["mobility", "--year", "1990"], ["mobility", "--scenario", "nope"]):
        result = runner.invoke(_app(), args)
        assert result.exit_code == 2, (args, result.output)


@pytest.mark.slow
def test_cli_json():
    result = runner.invoke(_app(), ["mobility", "--scenario", "baseline", "--area", "LT_RUK",
                                    "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"closure", "bottlenecks", "arf_standard_met", "by_ally"} <= set(payload)
    days = [r["day"] for r in payload["closure"]]
    assert days == sorted(days) and days[0] == 0
    assert all({"day", "brigades_in_theatre"} <= set(r) for r in payload["closure"])
    assert all(r["link_ids"] for r in payload["bottlenecks"])
    assert isinstance(payload["arf_standard_met"], bool)


def test_unknown_cut_link_is_a_clear_error(tables):
    from alliance.errors import DataValidationError
    from alliance.mobility import build_network

    with pytest.raises(DataValidationError, match=r"cut_links.*L99"):
        build_network(tables["corridor_nodes"], tables["corridor_links"],
                      MobilityParams(cut_links=("L99",)))


def test_bad_mobility_scenario_value_names_the_field():
    from alliance.errors import ScenarioError

    with pytest.raises((ScenarioError, ValueError), match="permit_regime"):
        apply_overrides(load_scenario("baseline"), {"mobility.permit_regime": "tomorrow"})
