"""Build the self-contained HTML report: charts (Plotly), text from numbers, tables.

Every number quoted in the report's text is read from the summary dict of
:func:`alliance.assess.summarise` (the same dict written as ``summary.json``)
and formatted by the helpers here, so text and JSON cannot disagree. Charts are
Plotly figures built from the assessment tables; plotly.js is inlined once, so
the file opens offline.

A choropleth map of Europe would need plotly's world topojson, which plotly.js
downloads from a CDN at view time; the compliance view is therefore a coloured
table, which also prints well.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from importlib import resources
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, select_autoescape
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from alliance.assessment import Assessment
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.report.asw_figures import asw_curves_figure, asw_map_figure
from alliance.report.ukraine_section import ukraine_context
from alliance.scenario import parameter_table

__all__ = [
    "FIGURE_IDS",
    "compliance_rows",
    "dataset_sources",
    "figures",
    "fmt_bn",
    "fmt_count",
    "fmt_pct",
    "fmt_prob",
    "narrative",
    "render_report",
]

logger = logging.getLogger(__name__)

#: Figure ids in the report (``<div id="fig-...">``), in order of appearance.
FIGURE_IDS: tuple[str, ...] = (
    "spending-paths",
    "gaps",
    "deliveries",
    "capacity",
    "risk",
    "comparison",
    "asw-map",  # GIUK barrier (issue 12)
    "asw-curves",
)

PALETTE = ("#1f3b5c", "#b5472b", "#4d7c4a", "#c28f2c", "#6b4f7a", "#3f7f8c", "#8a6d5a")
FONT = "Source Serif Pro, Georgia, 'Times New Roman', serif"
#: How each pledge level is named on the spending chart (its value comes from the data).
PLEDGE_LINE_LABELS: dict[str, str] = {
    "two_pct": "{:g} % (Wales 2014)",
    "core": "{:g} % core (The Hague 2025)",
    "total": "{:g} % total (The Hague 2025)",
}
PLOT_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                               "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


# ---------------------------------------------------------------------------
# number formatting (the only way numbers get into the text)


def fmt_count(value: int | None) -> str:
    """An integer count, e.g. '12'; 'n/a' when missing."""
    return "n/a" if value is None else f"{int(value):,}"


def fmt_bn(musd: float | None) -> str:
    """USD million as 'USD 41 bn' (1 decimal below 10 bn)."""
    if musd is None:
        return "n/a"
    bn = musd / 1000.0
    return f"USD {bn:,.1f} bn" if abs(bn) < 10 else f"USD {bn:,.0f} bn"


def fmt_pct(share: float | None, digits: int = 1) -> str:
    """A percentage already in percent, e.g. '3.5 %'."""
    return "n/a" if share is None else f"{share:.{digits}f} %"


def fmt_prob(p: float | None, stderr: float | None = None) -> str:
    """A probability (0-1) as percent with its 95 % interval, e.g. '23.4 % (± 0.6)'."""
    if p is None:
        return "n/a"
    text = f"{100 * p:.1f} %"
    if stderr is not None:
        text += f" (± {100 * 1.96 * stderr:.1f})"
    return text


def fmt_amount(value: float | None, unit: str) -> str:
    """A capability quantity with its unit, e.g. '54 systems'."""
    if value is None:
        return "n/a"
    digits = 0 if abs(value) >= 10 else 1
    return f"{value:,.{digits}f} {unit}"


def _join(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------
# text generated from the summary dict


def narrative(summary: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Plain-language findings per scenario, built only from ``summary``.

    Returns ``{scenario: {"spending": ..., "gaps": ..., "plan": ..., "deterrence": ...}}``.
    """
    return {name: _scenario_text(s) for name, s in summary["scenarios"].items()}


def _scenario_text(s: dict[str, Any]) -> dict[str, str]:
    """The four findings of one scenario's summary ``s``."""
    return {
        "spending": _spending_text(s),
        "gaps": _gaps_text(s),
        "plan": _plan_text(s),
        "deterrence": _deterrence_text(s),
    }


def _spending_text(s: dict[str, Any]) -> str:
    """Pledges met in the report year and at the horizon, and the US share of spending."""
    name = s["scenario"]
    sp = s["spending"]
    ry, hz = sp["report_year"], sp["horizon"]
    armed = sp["allies_with_armed_forces"]
    levels = sp["pledge_thresholds_pct"]
    core, total, floor = (f"{levels[k]:g} %" for k in ("core", "total", "two_pct"))
    spending = (
        f"Under {name}, {fmt_count(ry['allies_at_3_5pct'])} of {fmt_count(armed)} allies with "
        f"armed forces spend {core} of GDP on core defence by {ry['year']} and "
        f"{fmt_count(hz['allies_at_3_5pct'])} by {hz['year']}; "
        f"{fmt_count(hz['allies_at_5pct'])} reach the {total} total pledge by {hz['year']}. "
        f"In {ry['year']}, {fmt_count(ry['allies_at_2pct'])} meet the {floor} floor."
    )
    missing = sp["allies_missing_core_by_horizon"]
    if missing:
        verb = "ally misses" if len(missing) == 1 else "allies miss"
        spending += (f" {fmt_count(len(missing))} {verb} {core} in {hz['year']}: "
                     f"{_join(missing)}.")
    else:
        spending += f" Every ally with armed forces reaches {core} by {hz['year']}."
    if hz["us_share_pct"] is not None:
        spending += (f" The US pays {fmt_pct(hz['us_share_pct'])} of NATO's "
                     f"{fmt_bn(hz['nato_total_musd_current'])} (current prices) in {hz['year']}.")
    return spending


def _gaps_text(s: dict[str, Any]) -> str:
    """Open capability gaps with and without the US, and the three largest relative gaps."""
    g = s["gaps"]
    caps = g["capabilities"]
    gap_year = g["report_year"]
    gaps_text = (
        f"Without any US contribution, {fmt_count(g['open_gaps_without_us_report_year'])} of "
        f"{fmt_count(g['capabilities_assessed'])} capability areas fall short of the "
        f"requirement in {gap_year}; with the US contribution this scenario assumes, "
        f"{fmt_count(g['open_gaps_report_year'])} do."
    )
    ranked = sorted(
        (c for c in caps if (c["gap_report_year"] or 0) > 0 and c["requirement_report_year"]),
        key=lambda c: -(c["gap_report_year"] / c["requirement_report_year"]),
    )[:3]
    if ranked:
        parts = []
        for c in ranked:
            closure = (f"closes in {c['closure_year']}" if c["closure_year"] is not None
                       else f"is still open in {s['horizon']}")
            parts.append(f"the {c['label']} gap is {fmt_amount(c['gap_report_year'], c['unit'])} "
                         f"in {gap_year} and {closure}")
        gaps_text += " Largest relative gaps: " + "; ".join(parts) + "."
    return gaps_text


def _plan_text(s: dict[str, Any]) -> str:
    """Cost of the plan, the gaps it leaves open and the window of vulnerability."""
    pl = s["plan"]
    plan_text = (
        f"The cheapest plan that closes the gaps fastest costs {fmt_bn(pl['total_cost_musd'])} "
        f"(constant 2025 prices) up to {pl['horizon']}"
    )
    if pl["capabilities_not_closed"]:
        labels = [capability_catalogue().label(c) for c in pl["capabilities_not_closed"]]
        plan_text += (f"; {fmt_count(len(labels))} gaps stay open in {pl['horizon']}: "
                      f"{_join(labels)}.")
    elif pl["last_closure_year"] is not None and pl["last_closure_year"] <= s["first_year"]:
        plan_text += f"; no gap is open in {s['first_year']} or later."
    elif pl["last_closure_year"] is not None:
        plan_text += (f"; the last gap closes in {pl['last_closure_year']}, so the window of "
                      f"vulnerability runs to {pl['last_closure_year'] - 1}.")
    else:
        plan_text += "."
    if pl["status"] != "optimal":
        plan_text += f" The solver reported '{pl['status']}': read these numbers with care."
    return plan_text


def _deterrence_text(s: dict[str, Any]) -> str:
    """Probe, undivided-response and fait-accompli probabilities with their intervals."""
    d = s["deterrence"]
    dr = d["report_year"]
    deterrence = (
        f"In {dr['year']} the adversary probes in {fmt_prob(dr['p_probe'], dr['p_probe_stderr'])} "
        f"of simulated crises; the alliance answers undivided in "
        f"{fmt_prob(dr['p_undivided_response'], dr['p_undivided_response_stderr'])} and a "
        f"fait accompli follows in "
        f"{fmt_prob(dr['p_fait_accompli'], dr['p_fait_accompli_stderr'])}. "
        f"The risk of a probe peaks at {fmt_prob(d['peak_p_probe'], d['peak_p_probe_stderr'])} "
        f"in {d['peak_p_probe_year']} ({fmt_count(d['draws'])} draws, seed {d['seed']}; "
        f"± is the 95 % Monte Carlo interval)."
    )
    return deterrence


# ---------------------------------------------------------------------------
# charts


def _layout(fig: go.Figure, *, title: str, height: int = 440, **kwargs: Any) -> go.Figure:
    settings: dict[str, Any] = {
        "template": "simple_white",
        "title": {"text": title, "font": {"family": FONT, "size": 17}, "x": 0, "xanchor": "left"},
        "font": {"family": "Helvetica Neue, Arial, sans-serif", "size": 12, "color": "#222"},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "hoverlabel": {"font": {"family": "Helvetica Neue, Arial, sans-serif"}},
    }
    settings.update(kwargs)
    fig.update_layout(**settings)
    return fig


def _scenario_buttons(names: list[str], traces_per: list[int]) -> list[dict[str, Any]]:
    """Dropdown buttons showing one scenario's traces at a time."""
    buttons = []
    total = sum(traces_per)
    start = 0
    for name, n in zip(names, traces_per, strict=True):
        visible = [False] * total
        visible[start:start + n] = [True] * n
        buttons.append({"label": name, "method": "update", "args": [{"visible": visible}]})
        start += n
    return buttons


def _with_dropdown(fig: go.Figure, names: list[str], traces_per: list[int]) -> None:
    if len(names) < 2:
        return
    fig.update_layout(updatemenus=[{
        "buttons": _scenario_buttons(names, traces_per), "direction": "down",
        "x": 1.0, "xanchor": "right", "y": 1.13, "yanchor": "top", "showactive": True,
        "bgcolor": "#fafaf7", "bordercolor": "#999",
    }])


def spending_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Core defence spending per ally [% of GDP] against the pledge lines, per scenario."""
    fig = go.Figure()
    names, counts = [], []
    for k, a in enumerate(assessments):
        d = a.spending.allies[a.spending.allies["share_gdp_pct"].notna()]
        n = 0
        for iso3, g in d.groupby("iso3", sort=True):
            g = g.sort_values("year")
            is_us = iso3 == "USA"
            fig.add_trace(go.Scatter(
                x=g["year"], y=g["share_gdp_pct"], mode="lines", name=str(iso3),
                legendgroup=str(iso3), showlegend=False, visible=k == 0,
                line={"width": 2.2 if is_us else 1.1,
                      "color": PALETTE[1] if is_us else "rgba(31,59,92,0.45)"},
                hovertemplate=f"{g['name'].iloc[0]}<br>%{{x}}: %{{y:.2f}} % of GDP<extra></extra>",
            ))
            n += 1
        median = d.groupby("year")["share_gdp_pct"].median()
        fig.add_trace(go.Scatter(
            x=median.index, y=median.values, mode="lines", name="median ally",
            visible=k == 0, line={"width": 3, "color": PALETTE[0]},
            hovertemplate="median ally %{x}: %{y:.2f} %<extra></extra>",
        ))
        names.append(a.scenario.name)
        counts.append(n + 1)
    thresholds = assessments[0].spending.thresholds if assessments else {}
    for key, label in PLEDGE_LINE_LABELS.items():
        level = thresholds[key]
        fig.add_hline(y=level, line={"dash": "dash", "width": 1, "color": "#777"},
                      annotation_text=label.format(level), annotation_position="top left",
                      annotation_font={"size": 10, "color": "#555"})
    fig.add_vline(x=2025.5, line={"width": 1, "color": "#bbb"},
                  annotation_text="projection →", annotation_position="top right",
                  annotation_font={"size": 10, "color": "#777"})
    _with_dropdown(fig, names, counts)
    return _layout(fig, title="Core defence spending per ally, % of GDP",
                   xaxis_title="year", yaxis_title="% of GDP (NATO definition)",
                   showlegend=False)


def gaps_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Gap per capability and year as a share of the requirement [%], per scenario."""
    fig = go.Figure()
    names = []
    for k, a in enumerate(assessments):
        g = a.gaps.copy()
        g["label"] = g["capability"].map(capability_catalogue().label)
        g["gap_pct"] = 100.0 * g["gap"] / g["requirement"].where(g["requirement"] > 0)
        share = g.pivot(index="label", columns="year", values="gap_pct")
        amount = g.pivot(index="label", columns="year", values="gap")
        units = g.groupby("label")["unit"].first()
        text = [[f"{amount.loc[r, c]:,.0f} {units[r]}" if pd.notna(amount.loc[r, c]) else ""
                 for c in share.columns] for r in share.index]
        fig.add_trace(go.Heatmap(
            z=share.values, x=share.columns, y=share.index, text=text, visible=k == 0,
            colorscale=[[0, "#f7f5ef"], [0.25, "#e8c39e"], [0.6, "#c8673f"], [1, "#7a1f12"]],
            zmin=0, zmax=100, colorbar={"title": {"text": "gap, % of<br>requirement"}},
            xgap=1, ygap=1,
            hovertemplate="%{y}, %{x}<br>gap %{text} (%{z:.0f} % of requirement)<extra></extra>",
        ))
        names.append(a.scenario.name)
    _with_dropdown(fig, names, [1] * len(names))
    n_caps = max((a.gaps["capability"].nunique() for a in assessments), default=10)
    title = "Capability gap per year, % of requirement (US contribution as assumed)"
    return _layout(fig, title=title,
                   height=max(360, 26 * n_caps + 120), xaxis_title="year",
                   margin={"l": 260, "r": 20, "t": 60, "b": 50})


def deliveries_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Planned deliveries per capability and year [units], stacked, per scenario."""
    fig = go.Figure()
    names, counts = [], []
    for k, a in enumerate(assessments):
        d = a.plan.deliveries
        d = d[d["units"] > 1e-6]
        by = d.groupby(["capability", "year"], as_index=False)["units"].sum()
        n = 0
        for j, (cap, g) in enumerate(by.groupby("capability", sort=True)):
            label = capability_catalogue().label(str(cap))
            fig.add_trace(go.Bar(
                x=g["year"], y=g["units"], name=label, visible=k == 0,
                marker_color=PALETTE[j % len(PALETTE)] if j < len(PALETTE) else None,
                hovertemplate=f"{label}<br>%{{x}}: %{{y:,.0f}} units<extra></extra>",
            ))
            n += 1
        names.append(a.scenario.name)
        counts.append(n)
    _with_dropdown(fig, names, counts)
    return _layout(fig, title="Planned deliveries per year by capability (units)",
                   barmode="stack", xaxis_title="year of delivery", yaxis_title="units delivered",
                   legend={"font": {"size": 10}})


def capacity_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Production capacity per line [units/year] over time, per scenario (lines that grow)."""
    fig = go.Figure()
    names, counts = [], []
    for k, a in enumerate(assessments):
        c = a.plan.capacity
        grown = c.groupby("system")["capacity_added_units_per_year"].sum()
        systems = grown[grown > 1e-6].sort_values(ascending=False).index[:10]
        if len(systems) == 0:
            systems = c.groupby("system")["capacity_units_per_year"].max().nlargest(8).index
        n = 0
        for j, system in enumerate(systems):
            g = c[c["system"] == system].sort_values("year")
            fig.add_trace(go.Scatter(
                x=g["year"], y=g["capacity_units_per_year"], mode="lines+markers",
                name=str(system), visible=k == 0, line={"color": PALETTE[j % len(PALETTE)],
                                                         "dash": "solid" if j < 7 else "dot"},
                hovertemplate=f"{system}<br>%{{x}}: %{{y:,.1f}} units/year<extra></extra>",
            ))
            n += 1
        names.append(a.scenario.name)
        counts.append(n)
    _with_dropdown(fig, names, counts)
    return _layout(fig, title="Production capacity of the lines the plan expands (units/year)",
                   xaxis_title="year", yaxis_title="units per year", legend={"font": {"size": 10}})


def risk_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Probability of a probe and of a fait accompli per year with 95 % bands, per scenario."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=False, horizontal_spacing=0.09,
                        subplot_titles=("adversary probes", "fait accompli"))
    for k, a in enumerate(assessments):
        d = a.deterrence.sort_values("year")
        color = PALETTE[k % len(PALETTE)]
        for col, measure in ((1, "p_probe"), (2, "p_fait_accompli")):
            p = 100 * d[measure]
            half = 100 * 1.96 * d[f"{measure}_stderr"]
            fig.add_trace(go.Scatter(
                x=list(d["year"]) + list(d["year"])[::-1],
                y=list(p + half) + list(p - half)[::-1], fill="toself", mode="lines",
                line={"width": 0}, fillcolor=_rgba(color, 0.18), hoverinfo="skip",
                showlegend=False, legendgroup=a.scenario.name), row=1, col=col)
            fig.add_trace(go.Scatter(
                x=d["year"], y=p, mode="lines+markers", name=a.scenario.name,
                legendgroup=a.scenario.name, showlegend=col == 1, line={"color": color, "width": 2},
                customdata=half,
                hovertemplate=f"{a.scenario.name} %{{x}}: %{{y:.1f}} % ± %{{customdata:.1f}}"
                "<extra></extra>"), row=1, col=col)
    fig.update_yaxes(title_text="% of simulated crises", rangemode="tozero")
    fig.update_xaxes(title_text="year")
    return _layout(fig, title="Deterrence risk per year (bands: ± 1.96 standard errors)",
                   legend={"orientation": "h", "y": -0.22})


def comparison_figure(summary: dict[str, Any]) -> go.Figure:
    """Four headline numbers side by side for every scenario."""
    scen = list(summary["scenarios"].values())
    names = [s["scenario"] for s in scen]
    ry = summary["report_year"]
    panels = (
        (f"allies at 3.5 % by {ry}",
         [s["spending"]["report_year"]["allies_at_3_5pct"] for s in scen], "%{y:.0f}"),
        (f"capability areas short in {ry}", [s["gaps"]["open_gaps_report_year"] for s in scen],
         "%{y:.0f}"),
        ("plan cost, USD bn",
         [(s["plan"]["total_cost_musd"] or 0) / 1000 for s in scen], "%{y:,.0f}"),
        (f"P(probe) {ry}, %",
         [100 * (s["deterrence"]["report_year"]["p_probe"] or 0) for s in scen], "%{y:.1f}"),
    )
    fig = make_subplots(rows=1, cols=4, subplot_titles=[p[0] for p in panels],
                        horizontal_spacing=0.07)
    for i, (_, values, fmt) in enumerate(panels, start=1):
        fig.add_trace(go.Bar(x=names, y=values, marker_color=[PALETTE[k % len(PALETTE)]
                                                               for k in range(len(names))],
                             showlegend=False, texttemplate=fmt, textposition="outside",
                             hovertemplate="%{x}: " + fmt + "<extra></extra>", cliponaxis=False),
                      row=1, col=i)
    fig.update_xaxes(tickangle=-30)
    return _layout(fig, title="Scenarios compared", height=380,
                   margin={"l": 40, "r": 20, "t": 80, "b": 90})


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def figures(
    assessments: Sequence[Assessment], summary: dict[str, Any], dataset: Dataset | None = None
) -> dict[str, go.Figure]:
    """Every chart of the report, keyed by :data:`FIGURE_IDS` (the GIUK map needs ``dataset``)."""
    figs = {
        "spending-paths": spending_figure(assessments),
        "gaps": gaps_figure(assessments),
        "deliveries": deliveries_figure(assessments),
        "capacity": capacity_figure(assessments),
        "risk": risk_figure(assessments),
        "comparison": comparison_figure(summary),
    }
    # GIUK barrier (issue 12)
    if dataset is not None:
        figs["asw-map"] = asw_map_figure(dataset)
    figs["asw-curves"] = asw_curves_figure(assessments, int(summary["report_year"]))
    return figs


# ---------------------------------------------------------------------------
# tables


def compliance_rows(assessments: Sequence[Assessment]) -> tuple[list[str], list[dict[str, Any]]]:
    """Year each ally reaches 3.5 % core spending, per scenario (rows sorted by name).

    Returns ``(scenario names, rows)``; each row has ``iso3``, ``name``,
    ``share_2025`` [% GDP] and ``cells``: per scenario ``(text, css class)``.
    """
    names = [a.scenario.name for a in assessments]
    base = assessments[0].spending
    armed = base.pledges[base.pledges["has_armed_forces"]].sort_values("name")
    latest = base.allies[base.allies["is_actual"]].sort_values("year").groupby("iso3").last()
    rows = []
    for r in armed.to_dict("records"):
        iso3 = r["iso3"]
        cells = []
        for a in assessments:
            p = a.spending.pledges.set_index("iso3")
            met = p["core_pledge_met_year"].loc[iso3] if iso3 in p.index else None
            cells.append(_core_pledge_cell(met, a.scenario.horizon))
        share = latest["share_gdp_pct"].loc[iso3] if iso3 in latest.index else None
        rows.append({"iso3": iso3, "name": r["name"],
                     "share_2025": "" if share is None or pd.isna(share) else f"{share:.2f}",
                     "cells": cells})
    return names, rows


def _core_pledge_cell(met_year: float | None, horizon: int) -> tuple[str, str]:
    """(text, css class) of the year an ally meets the core pledge (missing: not met)."""
    if pd.isna(met_year) or int(met_year) > horizon:
        return (f"not by {horizon}", "miss")
    if int(met_year) <= 2025:
        return (f"{int(met_year)}", "met")
    if int(met_year) <= 2030:
        return (f"{int(met_year)}", "early")
    return (f"{int(met_year)}", "late")


def dataset_sources(dataset: Dataset) -> list[dict[str, Any]]:
    """Every distinct source URL of every table, grouped by table, with row counts.

    Reads the columns typed ``url`` in each table's data dictionary. Returns
    ``[{"table", "rows", "sources": [{"column", "url", "rows"}]}]``.
    """
    out = []
    for name in dataset.table_names():
        frame = dataset.table(name)
        url_cols = [c.name for c in dataset.schemas[name].columns
                    if c.type == "url" and c.name in frame.columns]
        entries = []
        for col in url_cols:
            urls = frame[col].dropna().astype(str).str.strip()
            counts = urls[urls != ""].value_counts()
            for url, n in sorted(counts.items()):
                entries.append({"column": col, "url": url, "rows": int(n)})
        out.append({"table": name, "rows": len(frame), "sources": entries})
    return out


# ---------------------------------------------------------------------------
# rendering


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(loader=PackageLoader("alliance.report", "templates"),
                           autoescape=select_autoescape(["html", "j2"]),
                           trim_blocks=True, lstrip_blocks=True)
    return _ENV


def _css() -> str:
    """The report's stylesheet."""
    css: str = resources.files("alliance.report").joinpath("assets/report.css").read_text("utf-8")
    return css


def figure_html(fig: go.Figure, fig_id: str) -> str:
    """A figure as an HTML fragment (div + script), without plotly.js."""
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"fig-{fig_id}",
                            config=PLOT_CONFIG, default_width="100%")
    return html


def render_report(
    assessments: Sequence[Assessment],
    summary: dict[str, Any],
    dataset: Dataset,
) -> str:
    """The complete report as one self-contained HTML string (plotly.js inlined once)."""
    if not assessments:
        raise ValueError("render_report needs at least one assessment")
    figs = {k: figure_html(v, k) for k, v in figures(assessments, summary, dataset).items()}
    names, compliance = compliance_rows(assessments)
    params = {a.scenario.name: parameter_table(a.scenario) for a in assessments}
    plan_assumptions = list(assessments[0].plan.assumptions)
    deterrence_assumptions = assessments[0].scenario.deterrence.assumptions(prefix="deterrence.")
    html = _env().get_template("report.html.j2").render(
        title="NATO under a reduced US commitment",
        generated=dt.datetime.now(dt.UTC).strftime("%d %B %Y, %H:%M UTC"),
        summary=summary,
        text=narrative(summary),
        figs=figs,
        scenario_names=names,
        compliance=compliance,
        params=params,
        plan_assumptions=plan_assumptions,
        deterrence_assumptions=deterrence_assumptions,
        sources=dataset_sources(dataset),
        ukraine=ukraine_context(assessments, summary),  # issue 13
        css=_css(),
        plotly_js=get_plotlyjs(),
        fmt_bn=fmt_bn,
        fmt_prob=fmt_prob,
        fmt_amount=fmt_amount,
        fmt_count=fmt_count,
    )
    logger.info("report: %.1f MB", len(html) / 1e6)
    return html
