"""The JSON API: good input answers with numbers, bad input with 422 and a message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from alliance._json import dumps
from alliance.assess import REPORT_YEAR
from alliance.assessment import Assessment, stage_names

SMALL: dict[str, Any] = {"scenario": "baseline", "draws": 1000}


def test_health(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_scenarios_list_the_builtins_with_levers(client: TestClient) -> None:
    from alliance.scenario import builtin_scenario_names

    body = client.get("/api/scenarios").json()
    assert [s["name"] for s in body["scenarios"]] == builtin_scenario_names()
    for s in body["scenarios"]:
        assert set(s["levers"]) >= {"spending_path", "us_commitment", "us_sustainment",
                                    "pooled_share"}
    assert body["bounds"]["draws"] == [1000, 200000]


def test_assess_answers_with_summary_text_and_chart_data(client: TestClient) -> None:
    r = client.post("/api/assess", json=SMALL)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["summary"]["scenario"] == "baseline"
    assert body["overrides"] == {} and body["modified_from"] is None
    charts = body["charts"]
    assert {"spending", "gaps", "deliveries", "risk"} <= set(charts)
    assert charts["reference"] is None  # nothing moved: no ghost line
    assert {"DEU", "USA", "POL"} <= {a["iso3"] for a in charts["spending"]["allies"]}
    risk = charts["risk"]
    p = body["summary"]["deterrence"]["report_year"]
    i = risk["years"].index(p["year"])
    assert risk["p_probe"][i] == pytest.approx(100 * p["p_probe"], abs=0.01)
    assert risk["p_probe_half95"][i] == pytest.approx(100 * 1.96 * p["p_probe_stderr"], abs=0.01)
    assert body["text"]["deterrence"].startswith("In ")
    timings = body["stage_seconds"]
    assert list(timings) == list(stage_names())
    assert all(t >= 0 for t in timings.values())
    assert sum(timings.values()) <= body["elapsed_s"] + 0.005  # each rounded to 1 ms


def test_default_draws_are_the_reports() -> None:
    from alliance.assess import DEFAULT_DRAWS
    from alliance.web.app import AssessRequest

    assert AssessRequest().draws == DEFAULT_DRAWS == 20_000


@pytest.mark.slow
def test_a_moved_lever_reuses_stages_and_draws_the_unchanged_scenario(client: TestClient) -> None:
    client.post("/api/assess", json=SMALL)
    before = client.get("/api/health").json()["cache"]
    r = client.post("/api/assess", json={**SMALL, "pooled_share": 0.35, "ally": "POL"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["modified_from"] == "baseline"
    assert "(modified)" in body["text"]["spending"]
    ref = body["charts"]["reference"]
    assert ref is not None and ref["scenario"] == "baseline"
    # spending, ukraine and capabilities do not read the planning lever: reused
    assert body["stages_from_cache"] >= 3
    assert body["stage_seconds"]["spending"] < body["stage_seconds"]["planning"]
    after = client.get("/api/health").json()["cache"]
    assert after["hits"] > before["hits"]
    assert body["ally"]["iso3"] == "POL" and body["ally"]["card"]["name"] == "Poland"


@pytest.mark.slow
def test_a_lever_state_seen_before_is_answered_from_the_caches(client: TestClient) -> None:
    body = {**SMALL, "us_sustainment": 0.45, "ally": "DEU"}
    first = client.post("/api/assess", json=body).json()
    views = client.app.state.view_cache  # type: ignore[attr-defined]
    hits = views.hits
    again = client.post("/api/assess", json=body).json()
    assert views.hits >= hits + 3  # summary, the unchanged scenario's summary, charts, card
    assert again["stages_from_cache"] == len(stage_names())
    for part in ("summary", "reference_summary", "text", "charts", "ally", "levers"):
        assert again[part] == first[part], part
    # a different lever state is not answered with this one's parts
    other = client.post("/api/assess", json={**body, "us_sustainment": 0.55}).json()
    assert other["summary"] != first["summary"]
    assert other["reference_summary"] == first["reference_summary"]


def test_assess_gives_the_library_summary(
    client: TestClient, assessments: dict[str, Assessment]
) -> None:
    """The API is a thin shell: the same scenario, draws and seed give the library's summary."""
    a = assessments["baseline"]
    r = client.post("/api/assess", json={"scenario": "baseline", "draws": a.draws,
                                         "seed": a.seed})
    assert r.status_code == 200, r.text
    assert r.json()["summary"] == json.loads(dumps(a.summary(REPORT_YEAR)))


@pytest.mark.slow
def test_levers_change_the_answer(client: TestClient) -> None:
    full = client.post("/api/assess", json={**SMALL, "us_commitment": 1.0,
                                            "us_sustainment": 1.0}).json()
    none = client.post("/api/assess", json={**SMALL, "us_commitment": 0.0, "us_sustainment": 0.0,
                                            "spending_path": "frozen", "pooled_share": 0.5}).json()
    assert none["overrides"] == {
        "us_commitment.forces_in_place": 0.0, "us_commitment.reinforcements": 0.0,
        "us_commitment.sustainment": 0.0, "spending.path": "frozen", "planning.pooled_share": 0.5}
    assert none["levers"]["us_commitment"] == 0.0
    assert (none["summary"]["gaps"]["open_gaps_report_year"]
            > full["summary"]["gaps"]["open_gaps_report_year"])
    assert (none["summary"]["deterrence"]["report_year"]["p_probe"]
            != full["summary"]["deterrence"]["report_year"]["p_probe"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"scenario": "baseline", "draws": 10}, "draws"),
        ({"scenario": "baseline", "draws": 10_000_000}, "draws"),
        ({"scenario": "baseline", "us_commitment": 1.5}, "us_commitment"),
        ({"scenario": "baseline", "us_sustainment": -0.1}, "us_sustainment"),
        ({"scenario": "baseline", "pooled_share": "lots"}, "pooled_share"),
        ({"scenario": "baseline", "spending_path": "double"}, "spending_path"),
        ({"scenario": "no-such-scenario"}, "scenario"),
        ({"scenario": "baseline", "horizon": 2100}, "horizon"),
    ],
)
def test_bad_input_is_422_with_a_message(client: TestClient, payload: dict[str, Any],
                                         field: str) -> None:
    r = client.post("/api/assess", json=payload)
    assert r.status_code == 422
    body = r.json()
    assert field in body["message"]
    assert set(body) == {"message", "field"} and body["field"] == field
    assert "Traceback" not in r.text


def test_malformed_json_is_422_with_a_message(client: TestClient) -> None:
    r = client.post("/api/assess", content=b"{not json",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["message"]


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/assess", "/api/scenarios", "/api/health"} <= set(spec["paths"])
    props = spec["components"]["schemas"]["AssessRequest"]["properties"]
    assert props["draws"]["maximum"] == 200_000
    us = [b for b in props["us_commitment"]["anyOf"] if b.get("type") == "number"][0]
    assert us["minimum"] == 0.0 and us["maximum"] == 1.0


def test_dashboard_and_local_plotly_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'id="headline-probe"' in page.text
    assert "http://" not in page.text.split("<body")[0] and "https://" not in page.text.split(
        "<body")[0]
    js = client.get("/static/vendor/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert client.get("/static/dashboard.js").status_code == 200


def test_alliance_errors_are_400_with_a_message() -> None:
    from alliance.errors import AllianceError
    from alliance.web import app as web_app

    def explode(*_: Any, **__: Any) -> Any:
        raise AllianceError("scenario: a readable problem")

    mp = pytest.MonkeyPatch()
    mp.setattr(web_app, "assess_scenario", explode)
    try:
        with TestClient(web_app.create_app(), raise_server_exceptions=False) as c:
            r = c.post("/api/assess", json=SMALL)
    finally:
        mp.undo()
    assert r.status_code == 400
    assert r.json() == {"message": "scenario: a readable problem", "field": None}
