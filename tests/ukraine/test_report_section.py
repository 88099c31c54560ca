"""The report's "Ukraine and PURL" section and the stage's place in the assessment."""

from __future__ import annotations

from alliance.assess import REPORT_YEAR, summarise
from alliance.assessment import Assessment, stage_names
from alliance.data import Dataset
from alliance.report.build import render_report


def test_ukraine_runs_after_spending() -> None:
    names = stage_names()
    assert names.index("ukraine") == names.index("spending") + 1


def test_report_has_the_ukraine_section(
    dataset: Dataset, assessments: dict[str, Assessment]
) -> None:
    runs = list(assessments.values())
    summary = summarise(runs)
    assert summary["report_year"] == REPORT_YEAR
    html = render_report(runs, summary, dataset)
    section = html[html.index('<section id="ukraine">'):]
    section = section[:section.index("</section>")]
    assert "<h2>Ukraine and PURL</h2>" in section
    assert "Europe versus the US over time" in section and "54.5&nbsp;%" in section
    assert "22 of 32 allies have joined" in section
    assert "<td>France</td><td>no</td>" in section
    assert "nan" not in section
    assert "draws on European production" in section
    assert "Latest Kiel release in the data: data through 2025-12-31" in section
    assert "idw-online.de/de/news865808" in section
    alone = summary["scenarios"]["europe-alone"]["ukraine"]
    assert alone["purl_usd_m"] == 0.0 and alone["purl_stopped_eur_bn"] > 0
    tables = assessments["baseline"].tables()
    assert {"ukraine_donor_years", "ukraine_europe_us", "ukraine_purl_allies",
            "ukraine_budget_draw"} <= set(tables)
