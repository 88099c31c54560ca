"""The self-contained HTML report of ``alliance assess`` (Jinja2 + Plotly, opens offline)."""

from alliance.report.build import dataset_sources, figures, narrative, render_report

__all__ = ["dataset_sources", "figures", "narrative", "render_report"]
