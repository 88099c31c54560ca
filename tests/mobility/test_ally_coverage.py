"""Every ally's army is in the order of battle (issue 11), and the added brigades move.

Checks on the bundled tables (``order_of_battle``, ``corridor_nodes``, ``corridor_links``)
as ``scripts/build_forces_data.py`` writes them. These are consistency and model checks,
not reproductions of a published figure: the inputs are the bundled rows, the outputs the
counted rows per ally and the closure curves of the bundled network.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from urllib.parse import urlparse

import pandas as pd
import pytest

from alliance.data import Dataset
from alliance.mobility import brigades_for_year, closure_for_year
from alliance.params import MobilityParams

ROOT = Path(__file__).resolve().parents[2]

#: The allies issue 11 found without brigade rows that do have a brigade-level army.
ADDED_ALLIES = ("TUR", "GRC", "BEL", "PRT", "SVK", "BGR", "HRV", "SVN", "MKD")
#: First unit id of the rows the build adds after the raw table (oob.95 on).
FIRST_ADDED_ROW = 95
#: Longitude of the Bosporus [degrees east]: Turkey's counted brigades stand west of it
#: (Thrace, the road to Bulgaria and Romania); the rest are on the Syrian/Iraqi border.
BOSPORUS_LON = 29.0


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_forces_data_coverage", ROOT / "scripts" / "build_forces_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def oob(dataset: Dataset) -> pd.DataFrame:
    return dataset.table("order_of_battle")


def _counted(oob: pd.DataFrame) -> pd.DataFrame:
    return oob.loc[oob["counted"].astype(bool) & (oob["brigade_type"] != "headquarters")]


def test_every_ally_with_an_army_has_counted_brigades_or_a_stated_reason(
    dataset: Dataset, oob: pd.DataFrame, build: ModuleType,
) -> None:
    reasons: dict[str, str] = build.NO_BRIGADE_REASON
    counted = set(_counted(oob)["holder"])
    missing = []
    for iso3 in dataset.table("allies")["iso3"]:
        rows = oob.loc[oob["holder"] == iso3]
        if iso3 in counted:
            assert iso3 not in reasons, f"{iso3} has counted brigades: drop its stated reason"
        elif len(rows):
            # rows kept out of the totals (grade C, headquarters ...) each say why
            assert rows["not_counted_reason"].fillna("").str.len().gt(0).all(), iso3
        elif not reasons.get(iso3, "").strip():
            missing.append(iso3)
    assert not missing, f"allies with neither brigade rows nor a stated reason: {missing}"
    assert set(ADDED_ALLIES) <= counted
    assert set(reasons) == {"ISL", "LUX", "MNE", "ALB"}


def test_added_rows_are_citable(oob: pd.DataFrame, build: ModuleType) -> None:
    added = oob.loc[oob["unit_id"].str.removeprefix("oob.").astype(int) >= FIRST_ADDED_ROW]
    assert len(added) == len(build.EXTRA_ORDER_OF_BATTLE)
    assert added["echelon"].eq("brigade").all() and added["brigade_equivalents"].eq(1.0).all()
    for r in added.to_dict("records"):
        domain = urlparse(str(r["source"])).netloc.lower()
        wiki = "wikipedia" in domain or any(m in domain for m in build.WIKI_MIRRORS)
        if r["counted"]:
            # a counted row rests on the army, the ministry, a wire or reputable press
            assert r["grade"] in ("A", "B") and not wiki, r["unit"]
        else:
            assert str(r["not_counted_reason"]).strip(), r["unit"]
        if pd.notna(r["transcribed_from"]) and r["transcribed_from"]:
            # a copy names the original publication, not just the copying site
            assert r["source_publication"] != domain.removeprefix("www."), r["unit"]


def test_turkish_brigades_on_the_southern_borders_are_not_counted(oob: pd.DataFrame) -> None:
    """Decision: Turkey's 1st Army brigades in Thrace count for the eastern flank; those on
    the Syrian/Iraqi border (2nd Army) stay in the table, out of the totals, with the reason."""
    tur = oob.loc[oob["holder"] == "TUR"]
    counted = tur.loc[tur["counted"].astype(bool)]
    assert len(counted) >= 5
    assert (counted["lon"] < BOSPORUS_LON).all() and counted["home_country"].eq("TUR").all()
    south = tur.loc[tur["lon"] >= BOSPORUS_LON]
    assert len(south) >= 1 and not south["counted"].astype(bool).any()
    assert south["not_counted_reason"].str.contains("Syrian/Iraqi border").all()


def test_turkish_and_greek_brigades_reach_an_assembly_area_within_the_horizon(
    dataset: Dataset, oob: pd.DataFrame,
) -> None:
    """Input: the bundled order of battle, nodes and links (2026, today's permits, every
    ally sending everything). Output: TUR's and GRC's credited brigades in Romania (Mihail
    Kogalniceanu) and Bulgaria (Novo Selo) by the horizon (30 days). The bundled network has
    no link from the south-eastern corridor to the Baltic areas, so they reach only these."""
    p = MobilityParams()
    allies = dataset.table("allies")
    b = brigades_for_year(oob, allies, 2026)
    r = closure_for_year(dataset.table("corridor_nodes"), dataset.table("corridor_links"),
                         allies, b, p, 2026, areas=["RO_MKA", "BG_NVS"])
    horizon_h = p.horizon_days * 24.0
    final = r.curves.loc[r.curves["hour"] == r.curves["hour"].max()]
    assert float(r.curves["hour"].max()) == pytest.approx(horizon_h)
    by_area = final.groupby(["area", "ally"])["brigades"].sum()
    for area in ("RO_MKA", "BG_NVS"):
        for ally in ("TUR", "GRC"):
            # more than a tier-1 share of one brigade: the first tiers have arrived
            assert by_area.get((area, ally), 0.0) > p.tier1_share, (area, ally)
            counted = _counted(oob.loc[oob["holder"] == ally])["brigade_equivalents"].sum()
            assert by_area[(area, ally)] <= counted + 1e-9, (area, ally)


@pytest.mark.slow
def test_cli_reports_turkish_and_greek_arrivals_in_romania() -> None:
    """End to end: ``alliance mobility --area RO_MKA --json`` credits TUR and GRC."""
    import json

    import typer
    from typer.testing import CliRunner

    from alliance.cli.mobility import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps the sub-command name
    result = CliRunner().invoke(app, ["mobility", "--scenario", "baseline", "--year", "2026",
                                      "--area", "RO_MKA", "--json"])
    assert result.exit_code == 0, result.output
    rows = pd.DataFrame(json.loads(result.stdout)["by_ally"])
    last = rows.loc[rows["day"] == rows["day"].max()].groupby("ally")["brigades"].sum()
    assert last.get("TUR", 0.0) > 0.0 and last.get("GRC", 0.0) > 0.0
