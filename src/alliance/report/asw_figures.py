"""Report figures of the GIUK barrier: a schematic map of the legs and the detection curves.

The map is a plain longitude/latitude scatter (no map tiles or topojson: plotly's
``scattergeo`` fetches its base map from a CDN, which an offline report cannot),
drawn from the ``giuk_legs`` and ``asw_bases`` tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from alliance.assessment import Assessment
from alliance.asw.geometry import bases_from_table, legs_from_table
from alliance.data import Dataset

__all__ = ["asw_curves_figure", "asw_map_figure"]

_LEG_COLORS = {"denmark_strait": "#1f3b5c", "iceland_faroes_scotland": "#b5472b"}
_LAND = (  # labels only; positions are the legs' ends and waypoints
    ("Greenland", 68.6, -30.5), ("Iceland", 64.9, -18.5), ("Faroes", 62.0, -6.9),
    ("Shetland", 60.4, -1.2), ("Scotland", 57.3, -4.4), ("Norway", 66.0, 13.5),
)


def asw_map_figure(dataset: Dataset) -> go.Figure:
    """Schematic lon/lat map: barrier legs (with widths) and maritime patrol bases."""
    fig = go.Figure()
    for leg in legs_from_table(dataset.table("giuk_legs")):
        fig.add_trace(go.Scatter(
            x=list(leg.lons), y=list(leg.lats), mode="lines+markers",
            name=f"{leg.name}: {leg.width_km:,.0f} km",
            line={"color": _LEG_COLORS.get(leg.leg, "#444"), "width": 4},
            hovertemplate=f"{leg.name}, {leg.width_km:,.0f} km<extra></extra>"))
    bases = bases_from_table(dataset.table("asw_bases"))
    fig.add_trace(go.Scatter(
        x=[b.lon for b in bases], y=[b.lat for b in bases], mode="markers+text",
        text=[f"{b.base.title()} ({', '.join(b.operators)})" for b in bases],
        textposition="bottom center", name="maritime patrol bases",
        marker={"symbol": "triangle-up", "size": 12, "color": "#4d7c4a"},
        hovertemplate="%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[p[2] for p in _LAND], y=[p[1] for p in _LAND], mode="text",
        text=[p[0] for p in _LAND], textfont={"color": "#777"}, showlegend=False,
        hoverinfo="skip"))
    fig.update_xaxes(title_text="longitude (degrees east)", range=[-36, 22])
    fig.update_yaxes(title_text="latitude (degrees north)", range=[55, 71],
                     scaleanchor="x", scaleratio=1 / math.cos(math.radians(63)))
    fig.update_layout(title="GIUK barrier: legs and maritime patrol bases (schematic)",
                      height=520, legend={"orientation": "h", "y": -0.2},
                      template="simple_white")
    return fig


def asw_curves_figure(assessments: Sequence[Assessment], report_year: int) -> go.Figure:
    """P(detect) without US assets against the European MPA fleet, per leg and scenario."""
    legs = sorted({str(x) for a in assessments for x in a.asw.curves["leg"]})
    fig = make_subplots(rows=1, cols=max(1, len(legs)), subplot_titles=legs,
                        shared_yaxes=True)
    palette = ("#1f3b5c", "#b5472b", "#4d7c4a", "#c28f2c", "#6b4f7a", "#3f7f8c")
    for k, a in enumerate(assessments):
        c = a.asw.curves
        years = sorted(int(y) for y in c["year"].unique())
        year = min(max(report_year, years[0]), years[-1])
        for col, leg in enumerate(legs, start=1):
            g = c[(c["year"] == year) & (c["leg"] == leg)].sort_values("mpa_fleet")
            fig.add_trace(go.Scatter(
                x=g["mpa_fleet"], y=100 * g["p_detect_without_us"], mode="lines",
                name=a.scenario.name, legendgroup=a.scenario.name, showlegend=col == 1,
                line={"color": palette[k % len(palette)], "width": 2},
                hovertemplate=f"{a.scenario.name}: %{{x}} MPA, %{{y:.1f}} %<extra></extra>"),
                row=1, col=col)
    fig.update_xaxes(title_text="European maritime patrol aircraft (fleet)")
    fig.update_yaxes(title_text="P(detect) per transit without US, %", range=[0, 100], col=1)
    fig.update_layout(title=f"Detection curves, {report_year}", height=420,
                      legend={"orientation": "h", "y": -0.25}, template="simple_white")
    return fig
