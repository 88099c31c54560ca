"""Build the self-contained HTML report: charts (Plotly), text from numbers, tables.

Every number quoted in the report's text is read from the summary dict of
:func:`alliance.assess.summarise` (the same dict written as ``summary.json``)
and formatted by the helpers here, so text and JSON cannot disagree. Charts are
Plotly figures built from the assessment tables; a partial plotly.js bundle
(``plotly.js-basic-dist-min`` 4.1.1: scatter, bar, pie; MIT, in ``assets/``) is inlined once, so the
file opens offline and never reaches Plotly's cloud (no "Share chart" button).

The page-level selectors (scenario, ally) drive every chart through
``assets/report.js``: each trace names its scenario (and ally) in ``meta``, and
per-scenario annotations (an empty chart's "no gap under ...", coinciding
lines) sit in ``layout.meta.annotations``. The map of NATO is an SVG drawn
from bundled Natural Earth outlines (:mod:`alliance.report.natural_earth`).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import logging
from collections.abc import Sequence
from importlib import resources
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, select_autoescape
from plotly.subplots import make_subplots

from alliance.assessment import Assessment
from alliance.catalogue import capability_catalogue
from alliance.data import Dataset
from alliance.report.allies import ally_cards, map_status, spending_status
from alliance.report.asw_figures import asw_curves_figure, asw_map_figure
from alliance.report.mobility_figures import add_mobility_section
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
    "lead",
    "spending-paths",
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
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False, "responsive": True, "showSendToCloud": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendDataToCloud"],
}
#: Partial plotly.js bundle inlined in the report and served by the dashboard.
PLOTLY_BUNDLE = "assets/plotly-basic.min.js.gz"
#: The 95 % interval half-width in Monte Carlo standard errors (the one ± convention).
Z95: float = 1.96


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
            closure = (f"the plan closes it in {c['closure_year']}"
                       if c["closure_year"] is not None
                       else f"it is still open in {s['horizon']} with the plan")
            parts.append(f"the {c['label']} gap is {fmt_amount(c['gap_report_year'], c['unit'])} "
                         f"in {gap_year} before the plan's deliveries, and {closure}")
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
        stay = "gap stays" if len(labels) == 1 else "gaps stay"
        plan_text += (f"; {fmt_count(len(labels))} {stay} open in {pl['horizon']}: "
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


#: Spending paths under which reaching the Hague pledges by 2035 is the path itself
#: (an assumption of the scenario, not a finding of the model).
ASSUMED_PLEDGE_PATHS: frozenset[str] = frozenset({"hague", "national"})


def key_findings(summary: dict[str, Any]) -> list[dict[str, str | None]]:
    """Three key-finding lines across scenarios, built only from ``summary``.

    Each is ``{"id", "text", "assumption"}``: ``assumption`` is None for a model
    result, or says which scenario assumption makes the figure true.
    """
    scen = list(summary["scenarios"].values())
    ry = summary["report_year"]
    risk = sorted(scen, key=lambda s: s["deterrence"]["report_year"]["p_probe"] or 0.0)
    lo, hi = risk[0], risk[-1]
    lo_d, hi_d = lo["deterrence"]["report_year"], hi["deterrence"]["report_year"]
    if len(scen) > 1:
        deter = (f"In {ry} the adversary probes in "
                 f"{fmt_prob(hi_d['p_probe'], hi_d['p_probe_stderr'])} of simulated crises under "
                 f"{hi['scenario']}, against {fmt_prob(lo_d['p_probe'], lo_d['p_probe_stderr'])} "
                 f"under {lo['scenario']} (± is the 95 % Monte Carlo interval).")
    else:
        deter = (f"In {ry} the adversary probes in "
                 f"{fmt_prob(hi_d['p_probe'], hi_d['p_probe_stderr'])} of simulated crises "
                 f"under {hi['scenario']} (± is the 95 % Monte Carlo interval).")
    gaps = "; ".join(
        f"{s['scenario']} {fmt_count(s['gaps']['open_gaps_report_year'])} of "
        f"{fmt_count(s['gaps']['capabilities_assessed'])}" for s in scen)
    worst = max(scen, key=lambda s: s["gaps"]["open_gaps_without_us_report_year"] or 0)
    gaps_text = (f"Capability areas short of the requirement in {ry} with the US contribution "
                 f"each scenario assumes: {gaps}. Without any US contribution "
                 f"{fmt_count(worst['gaps']['open_gaps_without_us_report_year'])} fall short.")
    pledge = "; ".join(
        f"{s['scenario']} {fmt_count(s['spending']['horizon']['allies_at_3_5pct'])}"
        for s in scen)
    hz = scen[0]["spending"]["horizon"]["year"]
    armed = scen[0]["spending"]["allies_with_armed_forces"]
    assumed = sorted({s["scenario"] for s in scen
                      if s["spending"].get("path") in ASSUMED_PLEDGE_PATHS})
    pledge_text = (f"Allies (of {fmt_count(armed)} with armed forces) spending 3.5 % of GDP on "
                   f"core defence by {hz}: {pledge}.")
    note = (f"assumption: under {_join(assumed)} the spending path itself rises to the Hague "
            "pledge, so these counts restate the scenario, not a model result"
            if assumed else None)
    return [
        {"id": "finding-deterrence", "text": deter, "assumption": None},
        {"id": "finding-gaps", "text": gaps_text, "assumption": None},
        {"id": "finding-pledges", "text": pledge_text, "assumption": note},
    ]


# ---------------------------------------------------------------------------
# charts


def _layout(fig: go.Figure, *, title: str, height: int = 440, **kwargs: Any) -> go.Figure:
    settings: dict[str, Any] = {
        "template": "simple_white",
        "title": {"text": title, "font": {"family": FONT, "size": 16}, "x": 0, "xanchor": "left",
                  "y": 0.98, "yanchor": "top"},
        "font": {"family": "Helvetica Neue, Arial, sans-serif", "size": 12, "color": "#222"},
        "height": height,
        "margin": {"l": 56, "r": 36, "t": 64, "b": 50},
        "hoverlabel": {"font": {"family": "Helvetica Neue, Arial, sans-serif"}, "align": "left"},
        # the toolbar stands upright at the right edge, clear of the title
        "modebar": {"orientation": "v", "bgcolor": "rgba(255,255,255,0.7)"},
    }
    settings.update(kwargs)
    fig.update_layout(**settings)
    return fig


def _note(text: str, y: float = 0.5) -> dict[str, Any]:
    """A centred annotation (paper coordinates) for an empty chart or coinciding lines."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": y,
            "showarrow": False, "font": {"size": 13, "color": "#5b5b57"},
            "bgcolor": "rgba(253,252,248,0.85)"}


def _scenario_meta(fig: go.Figure, notes: dict[str, list[dict[str, Any]]],
                   first: str | None) -> None:
    """Per-scenario annotations in ``layout.meta``; the first scenario's are shown."""
    fig.update_layout(meta={"annotations": notes},
                      annotations=list(fig.layout.annotations) + notes.get(first or "", []))


def _host(url: str | None) -> str:
    """The publisher's host of a source URL, for hovers ('nato.int')."""
    if not url:
        return ""
    text = str(url)
    if "://" not in text:
        return text[:60]
    host = text.split("://", 1)[1].split("/", 1)[0]
    return host.removeprefix("www.")


def _ally_trace(g: pd.DataFrame, meta: dict[str, Any], visible: bool,
                hover_status: str | None) -> go.Scatter:
    """One ally's line; ``hover_status`` None: per-point status and source in customdata."""
    iso3 = str(g["iso3"].iloc[0])
    is_us = iso3 == "USA"
    name = str(g["name"].iloc[0])
    kwargs: dict[str, Any] = {}
    if hover_status is None:
        kwargs["customdata"] = list(zip(g["status"], g["source"], strict=True))
        status = "%{customdata[0]} · %{customdata[1]}"
    else:
        status = hover_status
    return go.Scatter(
        x=g["year"], y=g["share_gdp_pct"], mode="lines", name=name, meta=meta,
        showlegend=False, visible=visible,
        line={"width": 2.2 if is_us else 1.1,
              "color": PALETTE[1] if is_us else "rgba(31,59,92,0.35)"},
        hovertemplate=f"{name}<br>%{{x}}: %{{y:.2f}} % of GDP<br>{status}<extra></extra>",
        **kwargs)


def spending_figure(assessments: Sequence[Assessment], dataset: Dataset | None = None
                    ) -> go.Figure:
    """Core defence spending per ally [% of GDP] against the pledge lines, per scenario.

    The data years are drawn once (they are the same in every scenario), with each
    point's status and source in the hover (with ``dataset``); the projected years
    once per scenario, from the last data year on. Every ally line names its ally
    (and scenario) in ``meta``, so the ally selector can highlight it.
    """
    fig = go.Figure()
    if not assessments:
        return fig
    allies = assessments[0].spending.allies
    if dataset is not None:
        status = spending_status(allies, dataset)
        data = allies.assign(status=status["status"].to_numpy(),
                             source=[_host(v) for v in status["source"]])
    else:
        data = allies.assign(status="actual", source="")
    data = data[data["share_gdp_pct"].notna() & data["is_actual"]]
    for iso3, g in data.groupby("iso3", sort=True):
        fig.add_trace(_ally_trace(g.sort_values("year"),
                                  {"iso3": str(iso3), "role": "ally"}, True, None))
    for k, a in enumerate(assessments):
        d = a.spending.allies[a.spending.allies["share_gdp_pct"].notna()]
        last_actual = d[d["is_actual"]].groupby("iso3")["year"].max()
        for iso3, g in d.groupby("iso3", sort=True):
            start = last_actual.get(iso3, g["year"].min())
            g = g[g["year"] >= start].sort_values("year")
            fig.add_trace(_ally_trace(
                g, {"scenario": a.scenario.name, "iso3": str(iso3), "role": "ally"}, k == 0,
                f"projection · alliance model ({a.scenario.name}, "
                f"{a.scenario.spending.path} path)"))
        median = d.groupby("year")["share_gdp_pct"].median()
        fig.add_trace(go.Scatter(
            x=median.index, y=median.values, mode="lines", name="median ally",
            meta={"scenario": a.scenario.name, "role": "median"},
            visible=k == 0, line={"width": 3, "color": PALETTE[0]},
            hovertemplate="median ally %{x}: %{y:.2f} %<br>data to 2025, then projection"
            "<extra></extra>",
        ))
    thresholds = assessments[0].spending.thresholds
    for key, label in PLEDGE_LINE_LABELS.items():
        level = thresholds[key]
        fig.add_hline(y=level, line={"dash": "dash", "width": 1, "color": "#777"},
                      annotation_text=label.format(level), annotation_position="top left",
                      annotation_font={"size": 10, "color": "#555"})
    fig.add_vline(x=2025.5, line={"width": 1, "color": "#bbb"},
                  annotation_text="projection →", annotation_position="top right",
                  annotation_font={"size": 10, "color": "#777"})
    return _layout(fig, title="Core defence spending per ally, % of GDP",
                   xaxis_title="year", yaxis_title="% of GDP (NATO definition)",
                   showlegend=False)


def gaps_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Gap per capability and year as a share of the requirement [%], per scenario."""
    fig = go.Figure()
    notes: dict[str, list[dict[str, Any]]] = {}
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
            z=share.values, x=share.columns, y=[_wrap(str(r)) for r in share.index], text=text,
            visible=k == 0, meta={"scenario": a.scenario.name},
            colorscale=[[0, "#f7f5ef"], [0.25, "#e8c39e"], [0.6, "#c8673f"], [1, "#7a1f12"]],
            zmin=0, zmax=100, colorbar={"title": {"text": "gap, %"}, "thickness": 12},
            xgap=1, ygap=1,
            hovertemplate="%{y}, %{x}<br>gap %{text} (%{z:.0f} % of requirement)"
            "<br>projection (alliance model)<extra></extra>",
        ))
        if not (g["gap"].fillna(0) > 0).any():
            notes[a.scenario.name] = [_note(f"No capability gap under {a.scenario.name}")]
    _scenario_meta(fig, notes, assessments[0].scenario.name if assessments else None)
    n_caps = max((a.gaps["capability"].nunique() for a in assessments), default=10)
    title = "Capability gap per year, % of requirement (US contribution as assumed)"
    return _layout(fig, title=title,
                   height=max(360, 30 * n_caps + 120), xaxis_title="year",
                   margin={"l": 150, "r": 36, "t": 64, "b": 50})


def _wrap(label: str, width: int = 20) -> str:
    """A long axis label broken at spaces into lines of about ``width`` characters."""
    words, lines, line = label.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)


def deliveries_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Planned deliveries per capability and year [units], stacked, per scenario."""
    fig = go.Figure()
    notes: dict[str, list[dict[str, Any]]] = {}
    for k, a in enumerate(assessments):
        d = a.plan.deliveries
        d = d[d["units"] > 1e-6]
        by = d.groupby(["capability", "year"], as_index=False)["units"].sum()
        for j, (cap, g) in enumerate(by.groupby("capability", sort=True)):
            label = capability_catalogue().label(str(cap))
            fig.add_trace(go.Bar(
                x=g["year"], y=g["units"], name=label, visible=k == 0,
                meta={"scenario": a.scenario.name},
                marker_color=PALETTE[j % len(PALETTE)],
                hovertemplate=f"{label}<br>%{{x}}: %{{y:,.0f}} units<br>projection (plan)"
                "<extra></extra>",
            ))
        if by.empty:
            notes[a.scenario.name] = [_note(
                f"No gap under {a.scenario.name}: the plan orders nothing")]
    _scenario_meta(fig, notes, assessments[0].scenario.name if assessments else None)
    return _layout(fig, title="Planned deliveries per year by capability (units)",
                   barmode="stack", xaxis_title="year of delivery", yaxis_title="units delivered",
                   legend={"font": {"size": 10}, "orientation": "h", "y": -0.2})


def _coinciding(series: dict[str, tuple[float, ...]]) -> list[list[str]]:
    """Groups of two or more names whose series are identical (to 1e-9)."""
    groups: dict[tuple[float, ...], list[str]] = {}
    for name, values in series.items():
        groups.setdefault(tuple(round(v, 9) for v in values), []).append(name)
    return [names for names in groups.values() if len(names) > 1]


DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def capacity_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Production capacity per line [units/year] over time, per scenario (lines that grow).

    Lines with identical values are drawn with different dashes and named in an
    annotation, so that none hides another unnoticed.
    """
    fig = go.Figure()
    notes: dict[str, list[dict[str, Any]]] = {}
    for k, a in enumerate(assessments):
        c = a.plan.capacity
        grown = c.groupby("system")["capacity_added_units_per_year"].sum()
        systems = list(grown[grown > 1e-6].sort_values(ascending=False).index[:10])
        if not systems:
            systems = list(c.groupby("system")["capacity_units_per_year"].max().nlargest(8).index)
        series = {str(s): tuple(c[c["system"] == s].sort_values("year")
                                ["capacity_units_per_year"].astype(float)) for s in systems}
        same = _coinciding(series)
        dash_of = {n: DASHES[i % len(DASHES)] for group in same for i, n in enumerate(group)}
        for j, system in enumerate(systems):
            g = c[c["system"] == system].sort_values("year")
            fig.add_trace(go.Scatter(
                x=g["year"], y=g["capacity_units_per_year"], mode="lines+markers",
                name=str(system), visible=k == 0, meta={"scenario": a.scenario.name},
                line={"color": PALETTE[j % len(PALETTE)],
                      "dash": dash_of.get(str(system), "solid" if j < 7 else "dot")},
                hovertemplate=f"{system}<br>%{{x}}: %{{y:,.1f}} units/year<br>projection (plan)"
                "<extra></extra>",
            ))
        if same:
            text = "; ".join(_join(group) + " coincide" for group in same)
            notes[a.scenario.name] = [_note(text, y=1.04)]
    _scenario_meta(fig, notes, assessments[0].scenario.name if assessments else None)
    return _layout(fig, title="Production capacity of the lines the plan expands (units/year)",
                   xaxis_title="year", yaxis_title="units per year",
                   legend={"font": {"size": 10}, "orientation": "h", "y": -0.2})


def _risk_names(assessments: Sequence[Assessment]) -> dict[str, str]:
    """Legend names: scenarios with identical risk series are named together ('a = b')."""
    series = {a.scenario.name: tuple(a.deterrence.sort_values("year")["p_probe"].astype(float))
              + tuple(a.deterrence.sort_values("year")["p_fait_accompli"].astype(float))
              for a in assessments}
    names = {n: n for n in series}
    for group in _coinciding(series):
        for n in group:
            names[n] = " = ".join(group)
    return names


def risk_figure(assessments: Sequence[Assessment]) -> go.Figure:
    """Probability of a probe and of a fait accompli per year with 95 % bands, per scenario."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=False, horizontal_spacing=0.12,
                        subplot_titles=("adversary probes", "fait accompli"))
    labels = _risk_names(assessments)
    for k, a in enumerate(assessments):
        d = a.deterrence.sort_values("year")
        color = PALETTE[k % len(PALETTE)]
        name = a.scenario.name
        for col, measure in ((1, "p_probe"), (2, "p_fait_accompli")):
            p = 100 * d[measure]
            half = 100 * Z95 * d[f"{measure}_stderr"]
            fig.add_trace(go.Scatter(
                x=list(d["year"]) + list(d["year"])[::-1],
                y=list(p + half) + list(p - half)[::-1], fill="toself", mode="lines",
                line={"width": 0}, fillcolor=_rgba(color, 0.18), hoverinfo="skip",
                meta={"scenario": name, "role": "band"},
                showlegend=False, legendgroup=name), row=1, col=col)
            fig.add_trace(go.Scatter(
                x=d["year"], y=p, mode="lines+markers", name=labels[name],
                meta={"scenario": name, "role": "line"},
                legendgroup=name, showlegend=col == 1,
                line={"color": color, "width": 2, "dash": DASHES[k % len(DASHES)]},
                customdata=half,
                hovertemplate=f"{labels[name]} %{{x}}: %{{y:.1f}} % ± %{{customdata:.1f}}"
                " (95 %)<br>projection (Monte Carlo)<extra></extra>"), row=1, col=col)
    fig.update_yaxes(title_text="% of simulated crises", rangemode="tozero")
    fig.update_xaxes(title_text="year")
    return _layout(fig, title="Deterrence risk per year (bands: 95 % interval)",
                   legend={"orientation": "h", "y": -0.25})


def lead_figure(assessments: Sequence[Assessment], report_year: int) -> go.Figure:
    """The lead chart: probability of a probe per year and scenario, 95 % bands."""
    fig = go.Figure()
    labels = _risk_names(assessments)
    for k, a in enumerate(assessments):
        d = a.deterrence.sort_values("year")
        color = PALETTE[k % len(PALETTE)]
        p = 100 * d["p_probe"]
        half = 100 * Z95 * d["p_probe_stderr"]
        fig.add_trace(go.Scatter(
            x=list(d["year"]) + list(d["year"])[::-1], y=list(p + half) + list(p - half)[::-1],
            fill="toself", mode="lines", line={"width": 0}, fillcolor=_rgba(color, 0.18),
            hoverinfo="skip", showlegend=False, meta={"scenario": a.scenario.name,
                                                      "role": "band"}))
        fig.add_trace(go.Scatter(
            x=d["year"], y=p, mode="lines+markers", name=labels[a.scenario.name],
            meta={"scenario": a.scenario.name, "role": "line"},
            line={"color": color, "width": 2.5, "dash": DASHES[k % len(DASHES)]},
            customdata=half, hovertemplate=f"{labels[a.scenario.name]} %{{x}}: "
            "%{y:.1f} % ± %{customdata:.1f} (95 %)<br>projection (Monte Carlo)<extra></extra>"))
    fig.add_vline(x=report_year, line={"width": 1, "color": "#bbb", "dash": "dot"})
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, title="How often the adversary probes, % of simulated crises",
                   height=360, xaxis_title="year", yaxis_title="% of crises",
                   legend={"orientation": "h", "y": -0.25})


def comparison_figure(summary: dict[str, Any]) -> go.Figure:
    """Four headline numbers side by side for every scenario (2 x 2 panels)."""
    scen = list(summary["scenarios"].values())
    names = [s["scenario"] for s in scen]
    ry = summary["report_year"]
    panels = (
        (f"allies at 3.5 %, {ry}",
         [s["spending"]["report_year"]["allies_at_3_5pct"] for s in scen], "%{y:.0f}"),
        (f"areas short, {ry}", [s["gaps"]["open_gaps_report_year"] for s in scen],
         "%{y:.0f}"),
        ("plan cost, USD bn",
         [(s["plan"]["total_cost_musd"] or 0) / 1000 for s in scen], "%{y:,.0f}"),
        (f"P(probe) {ry}, %",
         [100 * (s["deterrence"]["report_year"]["p_probe"] or 0) for s in scen], "%{y:.1f}"),
    )
    fig = make_subplots(rows=2, cols=2, subplot_titles=[p[0] for p in panels],
                        horizontal_spacing=0.12, vertical_spacing=0.28)
    for i, (_, values, fmt) in enumerate(panels):
        fig.add_trace(go.Bar(x=names, y=values, marker_color=[PALETTE[k % len(PALETTE)]
                                                               for k in range(len(names))],
                             showlegend=False, texttemplate=fmt, textposition="outside",
                             hovertemplate="%{x}: " + fmt + "<br>projection (alliance model)"
                             "<extra></extra>", cliponaxis=False),
                      row=i // 2 + 1, col=i % 2 + 1)
    fig.update_xaxes(tickangle=-20)
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, title="Scenarios compared", height=560,
                   margin={"l": 40, "r": 36, "t": 80, "b": 70})


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def figures(
    assessments: Sequence[Assessment], summary: dict[str, Any], dataset: Dataset | None = None
) -> dict[str, go.Figure]:
    """Every chart of the report, keyed by :data:`FIGURE_IDS` (the GIUK map needs ``dataset``)."""
    figs = {
        "lead": lead_figure(assessments, int(summary["report_year"])),
        "spending-paths": spending_figure(assessments, dataset),
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


def compliance_rows(
    assessments: Sequence[Assessment], dataset: Dataset | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Year each ally reaches 3.5 % core spending, per scenario (rows sorted by name).

    Returns ``(scenario names, rows)``; each row has ``iso3``, ``name``,
    ``share_latest`` [% GDP, text], ``latest_year``, ``latest_status`` and
    ``latest_source`` (of the latest data year; with ``dataset``, from the
    spending table or the bundled defence expenditure table) and ``cells``: per
    scenario ``(text, css class)``.
    """
    names = [a.scenario.name for a in assessments]
    base = assessments[0].spending
    armed = base.pledges[base.pledges["has_armed_forces"]].sort_values("name")
    allies = base.allies
    status = (spending_status(allies, dataset) if dataset is not None
              else allies[["iso3", "year"]].assign(status="actual", source=""))
    data = allies.assign(status=status["status"], source=status["source"])
    latest = data[data["is_actual"]].sort_values("year").groupby("iso3").last()
    pledges = {a.scenario.name: a.spending.pledges.set_index("iso3") for a in assessments}
    rows = []
    for r in armed.to_dict("records"):
        iso3 = r["iso3"]
        cells = []
        for a in assessments:
            p = pledges[a.scenario.name]
            met = p["core_pledge_met_year"].loc[iso3] if iso3 in p.index else None
            cells.append(_core_pledge_cell(met, a.scenario.horizon))
        row = latest.loc[iso3] if iso3 in latest.index else None
        share = None if row is None else row["share_gdp_pct"]
        rows.append({"iso3": iso3, "name": r["name"],
                     "share_latest": "" if share is None or pd.isna(share) else f"{share:.2f}",
                     "latest_year": "" if row is None else int(row["year"]),
                     "latest_status": "" if row is None else str(row["status"]),
                     "latest_source": "" if row is None else str(row["source"]),
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


def short_url(url: str, width: int = 48) -> str:
    """A source address as shown on screen: host and the start of the path ('nato.int/cps/…')."""
    text = str(url).split("://", 1)[-1].removeprefix("www.")
    return text if len(text) <= width else text[:width - 1] + "…"


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(loader=PackageLoader("alliance.report", "templates"),
                           autoescape=select_autoescape(["html", "j2"]),
                           trim_blocks=True, lstrip_blocks=True)
        _ENV.filters["short_url"] = short_url
    return _ENV


def _asset(name: str) -> str:
    """A text file of ``assets/``."""
    text: str = resources.files("alliance.report").joinpath(f"assets/{name}").read_text("utf-8")
    return text


def plotly_bundle_gzip() -> bytes:
    """The partial plotly.js bundle, gzip-compressed as bundled (scatter, bar, pie traces)."""
    data: bytes = resources.files("alliance.report").joinpath(PLOTLY_BUNDLE).read_bytes()
    return data


def plotly_bundle() -> str:
    """The partial plotly.js bundle as JavaScript text (no cloud upload)."""
    return gzip.decompress(plotly_bundle_gzip()).decode("utf-8")


def _css() -> str:
    """The report's stylesheet."""
    return _asset("report.css")


def _json_script(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` element (no ``</`` inside)."""
    import json

    from alliance._json import jsonable

    text = json.dumps(jsonable(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("</", "<\\/")


def _round_figure(fig: go.Figure, digits: int = 3) -> None:
    """Round every float array of the figure's traces (x, y, customdata) to ``digits``."""
    for trace in fig.data:
        for attr in ("x", "y", "customdata"):
            values = getattr(trace, attr, None)
            if values is None or isinstance(values, str):
                continue
            try:
                trace[attr] = [round(v, digits) if isinstance(v, float) else v for v in values]
            except TypeError:
                continue


def gap_tables(assessments: Sequence[Assessment]) -> list[dict[str, Any]]:
    """Figure 2 as coloured HTML tables: gap % of requirement per capability and year.

    One entry per scenario: ``{"scenario", "years", "rows": [{"label", "unit",
    "cells": [(text, title, colour)]}], "empty"}``; ``empty`` is True when no
    capability area has a gap in any year (the report says so instead of a blank chart).
    """
    out = []
    label = capability_catalogue().label
    for a in assessments:
        g = a.gaps
        years = sorted(int(y) for y in g["year"].unique())
        rows = []
        for cap, c in g.groupby("capability", sort=True):
            c = c.set_index("year")
            cells = []
            for y in years:
                if y not in c.index:
                    cells.append(("", "", "h0"))
                    continue
                req = float(c["requirement"].loc[y])
                gap = float(c["gap"].loc[y])
                pct = 100 * gap / req if req > 0 else 0.0
                title = f"{gap:,.0f} of {req:,.0f} short"
                cells.append((f"{pct:.0f}" if gap > 0 else "–", title, _heat_class(pct)))
            rows.append({"label": label(str(cap)), "unit": str(c["unit"].iloc[0]), "cells": cells})
        out.append({"scenario": a.scenario.name, "years": years, "rows": rows,
                    "empty": not bool((g["gap"].fillna(0) > 0).any())})
    return out


#: Number of colour classes of the gap table (``h0`` .. ``h9`` in report.css).
HEAT_CLASSES = 10


def _heat_class(pct: float) -> str:
    """CSS class of a gap share [%]: h0 (no gap) .. h9 (90 % or more of the requirement)."""
    if pct <= 0:
        return "h0"
    return f"h{min(HEAT_CLASSES - 1, 1 + int(pct // (100 / (HEAT_CLASSES - 1))))}"


def heat_css() -> str:
    """The colours of the gap table's classes (from paper to dark red)."""
    steps = [i * 100 / (HEAT_CLASSES - 1) for i in range(HEAT_CLASSES)]
    return "".join(f"table.heat td.h{i}{{background:{_heat(p)}}}" for i, p in enumerate(steps))


def _heat(pct: float) -> str:
    """Cell colour of a gap share [%], from paper (0) to dark red (100)."""
    stops = ((0, (247, 245, 239)), (25, (232, 195, 158)), (60, (200, 103, 63)),
             (100, (122, 31, 18)))
    p = min(max(pct, 0.0), 100.0)
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if p <= p1:
            t = (p - p0) / (p1 - p0)
            r, g, b = (round(a + t * (b - a)) for a, b in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#7a1f12"


def figure_html(fig: go.Figure, fig_id: str) -> str:
    """A figure as an HTML fragment: an empty div and its JSON spec (drawn by report.js).

    The report's plotly.js is inlined gzip-compressed and unpacked in the browser
    (DecompressionStream), so the charts are drawn once it has loaded.
    """
    _round_figure(fig)
    height = fig.layout.height or 440
    spec = fig.to_json().replace("</", "<\\/")
    return (f'<div id="fig-{fig_id}" class="plotly-graph-div" '
            f'style="height:{height}px;width:100%"></div>\n'
            f'<script type="application/json" class="fig-spec" data-target="fig-{fig_id}">'
            f"{spec}</script>")


def _parameter_tables(assessments: Sequence[Assessment]) -> dict[str, list[dict[str, str]]]:
    """Every parameter of the first scenario; of the others, those whose value differs."""
    tables = {a.scenario.name: parameter_table(a.scenario) for a in assessments}
    first = assessments[0].scenario.name
    reference = {r["parameter"]: r["value"] for r in tables[first]}
    return {name: rows if name == first else
            [r for r in rows if reference.get(r["parameter"]) != r["value"]]
            for name, rows in tables.items()}


def render_report(
    assessments: Sequence[Assessment],
    summary: dict[str, Any],
    dataset: Dataset,
) -> str:
    """The complete report as one self-contained HTML string (plotly.js inlined once)."""
    from alliance.report.natural_earth import load_nato_map
    from alliance.report.takeaway import citation, csv_downloads, download_tables

    if not assessments:
        raise ValueError("render_report needs at least one assessment")
    figs = {k: figure_html(v, k) for k, v in figures(assessments, summary, dataset).items()}
    names, compliance = compliance_rows(assessments, dataset)
    params = _parameter_tables(assessments)
    plan_assumptions = list(assessments[0].plan.assumptions)
    deterrence_assumptions = assessments[0].scenario.deterrence.assumptions(prefix="deterrence.")
    report_year = int(summary["report_year"])
    downloads = csv_downloads(download_tables(assessments))
    cards = ally_cards(assessments, dataset, report_year)
    page_data = {
        "cards": cards,
        "map": {"geometry": load_nato_map(), "status": map_status(assessments)},
        "scenarios": names, "report_year": report_year,
    }
    html = _env().get_template("report.html.j2").render(
        title="NATO under a reduced US commitment",
        generated=dt.datetime.now(dt.UTC).strftime("%d %B %Y, %H:%M UTC"),
        summary=summary,
        findings=key_findings(summary),
        text=narrative(summary),
        figs=figs,
        scenario_names=names,
        allies=sorted(((iso3, c["name"]) for iso3, c in cards["allies"].items()),
                      key=lambda t: t[1]),
        compliance=compliance,
        gap_tables=gap_tables(assessments),
        params=params,
        plan_assumptions=plan_assumptions,
        deterrence_assumptions=deterrence_assumptions,
        sources=dataset_sources(dataset),
        ukraine=ukraine_context(assessments, summary),  # issue 13
        downloads=downloads,
        cite=citation(summary, dataset, names),
        summary_json=_json_script(summary),
        csv_json=_json_script({d["name"]: d["csv"] for d in downloads}),
        page_json=_json_script(page_data),
        css=_css() + heat_css(),
        report_js=_asset("report.js"),
        plotly_gz_b64=base64.b64encode(plotly_bundle_gzip()).decode("ascii"),
        plot_config=_json_script(PLOT_CONFIG),
        fmt_bn=fmt_bn,
        fmt_prob=fmt_prob,
        fmt_amount=fmt_amount,
        fmt_count=fmt_count,
    )
    html = add_mobility_section(html, assessments, dataset, figure_html)  # issue 11
    logger.info("report: %.1f MB", len(html.encode("utf-8")) / 1e6)
    return html
