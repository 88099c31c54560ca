"""Every ally's army is in the order of battle (issue 11), and the added brigades move.

Checks on the bundled tables (``order_of_battle``, ``corridor_nodes``, ``corridor_links``)
as ``scripts/build_forces_data.py`` writes them. These are consistency and model checks,
not reproductions of a published figure: the inputs are the bundled rows, the outputs the
counted rows per ally and the closure curves of the bundled network. The sources rule
(issue 11: no counted row rests on Wikipedia or a copy of it) is checked on the bundled
table and, with synthetic raw rows, on the build's rule itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from urllib.parse import urlparse

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.data import Dataset
from alliance.mobility import brigades_for_year, closure_for_year
from alliance.params import MobilityParams
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]

#: The allies issue 11 found without brigade rows that do have a brigade-level army.
ADDED_ALLIES = ("TUR", "GRC", "BEL", "PRT", "SVK", "BGR", "HRV", "SVN", "MKD")
#: First unit id of the rows the build adds after the raw table (oob.95 on).
FIRST_ADDED_ROW = 95
#: Longitude of the Bosporus [degrees east]: Turkey's counted brigades stand west of it
#: (Thrace, the road to Bulgaria and Romania); the rest are on the Syrian/Iraqi border.
BOSPORUS_LON = 29.0
#: Hosts that are Wikipedia or serve copies of it, matched independently of the build's own
#: rule: any "wiki" or "pedia" in the host name (wikipedia.org, wikimili, zxc.wiki,
#: sagapedia, pinocchiopedia ...), IPFS gateways and kiwix servers.
WIKI_HOST = re.compile(r"wiki|pedia|ipfs|kiwix")
#: What the build writes into ``note`` before the Wikipedia page a re-sourced row came from.
LEAD_MARK = "first lead (not a source): "


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return load_script("build_forces_data")


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


def _wiki_host(url: object, mirrors: tuple[str, ...] = ()) -> bool:
    host = urlparse(str(url)).netloc.lower()
    return bool(WIKI_HOST.search(host)) or any(m in host for m in mirrors)


def test_no_counted_row_rests_on_wikipedia(oob: pd.DataFrame, build: ModuleType) -> None:
    """Issue 11: Wikipedia, its mirrors, aggregators and content farms are not sources for a
    counted figure. Input: the bundled order of battle; output: the counted rows whose
    ``source`` is Wikipedia or a copy of it (there must be none)."""
    counted = oob.loc[oob["counted"].astype(bool)]
    resting = [f"{r.unit_id} {r.unit}: {r.source}" for r in counted.itertuples()
               if _wiki_host(r.source, build.WIKI_MIRRORS)]
    assert not resting, f"counted rows resting on Wikipedia: {resting}"
    # a row that does rest on Wikipedia stays in the table, out of the totals, saying why
    out = oob.loc[~oob["counted"].astype(bool)
                  & oob["source"].map(lambda u: _wiki_host(u, build.WIKI_MIRRORS))]
    assert out["not_counted_reason"].fillna("").str.len().gt(0).all()


def test_rows_read_at_wikipedia_cite_a_primary_page_and_keep_the_lead(
    oob: pd.DataFrame, build: ModuleType,
) -> None:
    """Each re-sourced row cites its primary page (A or B) and names the Wikipedia page it
    was first read at in ``note`` only; every entry of ``PRIMARY_SOURCES`` is used once."""
    notes = oob["note"].fillna("").astype(str)
    resourced = oob.loc[notes.str.contains(LEAD_MARK, regex=False)]
    assert len(resourced) == len(build.PRIMARY_SOURCES)
    for r in resourced.to_dict("records"):
        key = next(k for k in build.PRIMARY_SOURCES if str(r["unit"]).startswith(k))
        primary = build.PRIMARY_SOURCES[key]
        lead = str(r["note"]).split(LEAD_MARK, 1)[1].split(";", 1)[0]
        assert _wiki_host(lead, build.WIKI_MIRRORS), r["unit"]
        assert r["source"] == primary.url and not _wiki_host(r["source"]), r["unit"]
        assert r["grade"] in ("A", "B") and r["source_publication"] == primary.publication
        assert r["counted"], r["unit"]
        assert "wikipedia" not in str(r["source_publication"]).lower(), r["unit"]
        for cell in ("source", "derived"):
            urls = re.findall(r"https?://[^\s;,)]+", str(r[cell]))
            assert not [u for u in urls if _wiki_host(u)], (r["unit"], cell)


_WIKI_HOSTS = ("en.wikipedia.org", "pl.wikipedia.org", "it.wikipedia.org.",
               "en.m.wikipedia.org", "wikimili.com", "de.zxc.wiki", "sagapedia.com",
               "kiwix.hampton.id.au", "ipfs.io", "review.clateway.com")


@settings(max_examples=25, deadline=None)
@given(host=st.sampled_from(_WIKI_HOSTS),
       page=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_()", min_size=1, max_size=30),
       grade=st.sampled_from(["A", "B"]))
def test_the_build_keeps_a_row_resting_on_wikipedia_out_of_the_totals(
    build: ModuleType, host: str, page: str, grade: str,
) -> None:
    """The rule, on synthetic raw rows: read at Wikipedia (whatever grade the researcher
    gave) and without a primary page, a brigade is not counted, with the stated reason; the
    same row with a primary page in ``PRIMARY_SOURCES`` is counted and cites that page."""
    url = f"https://{host}/wiki/{page}"
    where = ("Somewhere", "FIN", 61.0, 24.0)
    orphan = build._extra("FIN", "Test Brigade", "heavy", where, url, grade, 2025, "test")
    known = build._extra("FIN", "Pori Brigade", "medium", where, url, grade, 2025, "test")
    rows = build.order_of_battle([orphan, known])
    assert rows[0]["counted"] == "false"
    assert rows[0]["not_counted_reason"] == build.WIKIPEDIA_ONLY_REASON
    assert rows[1]["counted"] == "true"
    assert rows[1]["source"] == build.PRIMARY_SOURCES["Pori Brigade"].url
    assert url in rows[1]["note"] and url not in rows[1]["source"]
