"""Report section of forces and mobility: the corridor map and the closure curves.

The map is a plain longitude/latitude scatter of the bundled corridor network (no
map tiles: an offline report cannot fetch them), with the links of each assembly
area's minimum cut (the bottlenecks) drawn thick. The closure curves show the
brigades in theatre by day per scenario (all allies sending everything).
:func:`add_mobility_section` inserts the section into the rendered report, before
the Ukraine section (or before ``</main>``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from alliance.assessment import Assessment
from alliance.data import Dataset

__all__ = ["add_mobility_section", "closure_figure", "corridor_map_figure",
           "mobility_section_html"]

_MODE_COLORS = {"rail": "#1f3b5c", "road": "#4d7c4a", "sea": "#3f7f8c",
                "inland_waterway": "#6b4f7a", "air": "#c28f2c"}
_KIND_SYMBOLS = {"sea_port": "circle", "assembly_area": "star", "border_crossing": "x",
                 "rail_hub": "square", "transload": "diamond", "garrison_region": "triangle-up",
                 "air_port": "triangle-down"}
_PALETTE = ("#1f3b5c", "#b5472b", "#4d7c4a", "#c28f2c", "#6b4f7a", "#3f7f8c")
#: Areas drawn in the closure figure (RAND's Baltic theatre and Poland, Romania).
_AREAS = ("LT_RUK", "LV_ADZ", "EE_TAP", "PL_ORZ", "RO_MKA")


def corridor_map_figure(dataset: Dataset, bottleneck_links: set[str]) -> go.Figure:
    """Schematic lon/lat map of the European corridor network, bottleneck links thick red."""
    nodes = dataset.table("corridor_nodes")
    nodes = nodes.loc[nodes["country"] != "USA"]
    where = {str(r["node_id"]): (float(r["lon"]), float(r["lat"]))
             for r in nodes.to_dict("records")}
    links = dataset.table("corridor_links")
    fig = go.Figure()
    shown: set[str] = set()
    for r in links.to_dict("records"):
        a, b = str(r["from_node"]), str(r["to_node"])
        if a not in where or b not in where:
            continue
        binding = str(r["link_id"]) in bottleneck_links
        mode = str(r["mode"])
        label = "bottleneck (minimum cut)" if binding else mode
        fig.add_trace(go.Scatter(
            x=[where[a][0], where[b][0]], y=[where[a][1], where[b][1]], mode="lines",
            line={"color": "#b5472b" if binding else _MODE_COLORS.get(mode, "#888"),
                  "width": 5 if binding else 1.5,
                  "dash": "dot" if r["status"] == "planned" else "solid"},
            name=label, legendgroup=label, showlegend=label not in shown,
            hovertemplate=f"{html.escape(str(r['link_id']))} {html.escape(a)}-{html.escape(b)} "
            f"({html.escape(mode)})<extra></extra>"))
        shown.add(label)
    for kind, g in nodes.groupby("kind"):
        fig.add_trace(go.Scatter(
            x=g["lon"], y=g["lat"], mode="markers", name=str(kind).replace("_", " "),
            marker={"symbol": _KIND_SYMBOLS.get(str(kind), "circle"), "size": 8,
                    "color": "#333"},
            text=g["name"], hovertemplate="%{text}<extra></extra>"))
    fig.update_xaxes(title_text="longitude (degrees east)", range=[-5, 32])
    fig.update_yaxes(title_text="latitude (degrees north)", range=[39, 61],
                     scaleanchor="x", scaleratio=1 / math.cos(math.radians(50)))
    fig.update_layout(title="Corridor network to the eastern flank (schematic); bottlenecks "
                      "in red", height=620, template="simple_white",
                      legend={"orientation": "h", "y": -0.15})
    return fig


def closure_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Brigades in theatre by day after the decision, per assembly area and scenario."""
    areas = [a for a in _AREAS
             if any(a in set(x.mobility.closure["area"]) for x in assessments)]
    fig = make_subplots(rows=1, cols=max(1, len(areas)), subplot_titles=areas,
                        shared_yaxes=True)
    for k, a in enumerate(assessments):
        c = a.mobility.closure
        c = c.loc[c["year"] == c["year"].max()]
        for col, area in enumerate(areas, start=1):
            g = c.loc[c["area"] == area].sort_values("day")
            fig.add_trace(go.Scatter(
                x=g["day"], y=g["brigades_in_theatre"], mode="lines",
                name=a.scenario.name, legendgroup=a.scenario.name, showlegend=col == 1,
                line={"color": _PALETTE[k % len(_PALETTE)], "width": 2},
                hovertemplate=f"{html.escape(a.scenario.name)}: day %{{x}}, "
                "%{y:.1f} brigades<extra></extra>"), row=1, col=col)
    fig.update_xaxes(title_text="days after the decision")
    fig.update_yaxes(title_text="brigades in theatre (heavy equivalents)", col=1)
    fig.update_layout(title="Closure curves: brigades in theatre by day (last scenario year)",
                      height=420,
                      template="simple_white", legend={"orientation": "h", "y": -0.25})
    return fig


def mobility_section_html(
    assessments: Sequence[Assessment], dataset: Dataset,
    render_figure: Callable[[go.Figure, str], str],
) -> str:
    """The section's HTML: text, the two figures and the checks of the first scenario."""
    if not assessments:
        return ""
    first = assessments[0].mobility
    last = int(first.bottlenecks["year"].max())
    cut = {x for r in first.bottlenecks.to_dict("records") if int(r["year"]) == last
           for x in str(r["link_ids"]).split()}
    checks: dict[str, Any] = first.checks
    rows = "".join(
        f"<tr><th scope=\"row\">{html.escape(a.scenario.name)}</th>"
        + "".join(f"<td class=\"num\">{_day(a, area, 10)}</td>" for area in _AREAS[:4])
        + "</tr>"
        for a in assessments
    )
    arf = ("met" if checks.get("arf_standard_met") else "not met")
    sd_day = checks.get("steadfast_dart_closure_day")
    return (
        '<section id="mobility">\n<h2>Forces and mobility</h2>\n'
        "<p>Brigades come from the bundled order of battle (graded sources; weak rows kept "
        "out of totals) plus the plan's deliveries as brigade equivalents (one ABCT set: 87 "
        "tanks, 138 IFVs, 18 guns). They move over a corridor network of ports, rail, roads, "
        "border crossings and the 1435/1520 mm gauge break, by a time-expanded maximum flow; "
        "the crisis model counts what is in theatre when the objective falls.</p>\n"
        f"<p>Allied Reaction Force standard (about 40,000 troops to Lithuania within 10 "
        f"days): <strong>{arf}</strong> on the bundled network "
        f"({float(checks.get('arf_troops_by_day_10', 0.0)):,.0f} troops by day 10, "
        f"{html.escape(assessments[0].scenario.name)}). Steadfast Dart 2026 reproduction: "
        f"the last of {float(checks.get('steadfast_dart_vehicles', 0.0)):,.0f} vehicles "
        f"shipped into Emden reaches the inland node on day "
        f"{'-' if sd_day is None else f'{float(sd_day):.0f}'} (published: onward "
        f"\"over weeks\").</p>\n"
        "<table class=\"data\"><caption>Brigades in theatre 10 days after the decision "
        "(heavy equivalents)</caption><thead><tr><th>scenario</th>"
        + "".join(f"<th class=\"num\">{a}</th>" for a in _AREAS[:4])
        + f"</tr></thead><tbody>{rows}</tbody></table>\n"
        '<figure id="figure-corridor-map">\n'
        + render_figure(corridor_map_figure(dataset, cut), "corridor-map")
        + "\n<figcaption>The corridor network (schematic longitude/latitude plot; "
        "coordinates approximate). Thick red: the links of the assembly areas' minimum "
        "cuts; dotted: Rail Baltica (planned).</figcaption>\n</figure>\n"
        '<figure id="figure-closure">\n'
        + render_figure(closure_figure(assessments), "closure")
        + "\n<figcaption>Brigades in theatre by day after the decision, all allies "
        "sending everything, per scenario (docs/mobility.md).</figcaption>\n</figure>\n"
        "</section>\n"
    )


def _day(a: Assessment, area: str, day: int) -> str:
    c = a.mobility.closure
    g = c.loc[(c["year"] == c["year"].max()) & (c["area"] == area) & (c["day"] == day),
              "brigades_in_theatre"]
    return "" if g.empty else f"{float(g.iloc[0]):.1f}"


def add_mobility_section(
    page: str, assessments: Sequence[Assessment], dataset: Dataset,
    render_figure: Callable[[go.Figure, str], str],
) -> str:
    """The report with the mobility section inserted before the Ukraine section."""
    if not assessments or any(getattr(a, "mobility", None) is None for a in assessments):
        return page
    section = mobility_section_html(assessments, dataset, render_figure)
    for anchor in ('<section id="ukraine">', "</main>"):
        at = page.find(anchor)
        if at >= 0:
            return page[:at] + section + page[at:]
    return page + section
