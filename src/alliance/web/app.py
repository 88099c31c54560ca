"""The dashboard and its JSON API (FastAPI).

``POST /api/assess`` runs every stage for one built-in scenario with the
dashboard's levers applied through :func:`alliance.scenario.apply_overrides`;
``GET /api/scenarios`` lists the scenarios and their lever values;
``GET /api/health`` answers liveness checks. Inputs are validated and bounded
by the request model (a request cannot ask for unbounded work); at most
:data:`MAX_CONCURRENT` assessments run at once. Errors come back as JSON with a
``message``: 422 for invalid input, 400 for an :class:`AllianceError`, 503 when
busy, 500 (without a traceback) otherwise.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from plotly.offline import get_plotlyjs
from pydantic import BaseModel, ConfigDict, Field, field_validator

from alliance.assess import DEFAULT_SEED, REPORT_YEAR
from alliance.assessment import RunSettings, assess_scenario
from alliance.data import Dataset, load_dataset
from alliance.errors import AllianceError
from alliance.params import PROJECTED_SPENDING_PATHS, SpendingPathName
from alliance.report.build import (
    deliveries_figure,
    gaps_figure,
    narrative,
    risk_figure,
    spending_figure,
)
from alliance.scenario import Scenario, apply_overrides, builtin_scenario_names, load_scenario

__all__ = ["MAX_CONCURRENT", "MAX_DRAWS", "MIN_DRAWS", "AssessRequest", "create_app"]

logger = logging.getLogger(__name__)

#: Bounds on the Monte Carlo draws one request may ask for.
MIN_DRAWS: int = 1_000
MAX_DRAWS: int = 200_000
#: Assessments that may run at the same time; further requests wait up to BUSY_WAIT_S.
MAX_CONCURRENT: int = 2
BUSY_WAIT_S: float = 20.0



class AssessRequest(BaseModel):
    """One dashboard assessment: a built-in scenario and the levers to move."""

    model_config = ConfigDict(extra="forbid")

    scenario: str = Field("baseline", max_length=80,
                          description="Name of a built-in scenario (GET /api/scenarios).")
    spending_path: SpendingPathName | None = Field(
        None, description="Spending path of every ally; null keeps the scenario's path.")
    us_commitment: float | None = Field(
        None, ge=0.0, le=1.0,
        description="US forces in place and reinforcements, as a flat fraction of today's "
        "level [fraction 0-1]; null keeps the scenario's paths.")
    us_sustainment: float | None = Field(
        None, ge=0.0, le=1.0,
        description="US sustainment of US-made equipment in European hands, flat "
        "[fraction 0-1]; null keeps the scenario's path.")
    pooled_share: float | None = Field(
        None, ge=0.0, le=1.0,
        description="Share of gap-closing equipment budgets spent by the pooled European "
        "buyer [fraction 0-1]; null keeps the scenario's value.")
    draws: int = Field(10_000, ge=MIN_DRAWS, le=MAX_DRAWS,
                       description="Monte Carlo draws per year [count].")
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1, description="Seed of the Monte Carlo.")

    @field_validator("spending_path")
    @classmethod
    def _projected(cls, value: str | None) -> str | None:
        if value is not None and value not in PROJECTED_SPENDING_PATHS:
            msg = f"spending_path must be one of {', '.join(PROJECTED_SPENDING_PATHS)}"
            raise ValueError(msg)
        return value

    @field_validator("scenario")
    @classmethod
    def _known(cls, value: str) -> str:
        names = builtin_scenario_names()
        if value not in names:
            raise ValueError(f"unknown scenario {value!r}; choose one of {', '.join(names)}")
        return value

    def overrides(self) -> dict[str, Any]:
        """The levers as dotted-path overrides for :func:`apply_overrides`."""
        out: dict[str, Any] = {}
        if self.spending_path is not None:
            out["spending.path"] = self.spending_path
        if self.us_commitment is not None:
            out["us_commitment.forces_in_place"] = self.us_commitment
            out["us_commitment.reinforcements"] = self.us_commitment
        if self.us_sustainment is not None:
            out["us_commitment.sustainment"] = self.us_sustainment
        if self.pooled_share is not None:
            out["planning.pooled_share"] = self.pooled_share
        return out


def levers_of(scenario: Scenario, year: int = REPORT_YEAR) -> dict[str, Any]:
    """The dashboard's lever values implied by a scenario in ``year``."""
    us = scenario.us_commitment
    return {
        "spending_path": scenario.spending.path,
        "us_commitment": round(us.forces_in_place.at(year), 3),
        "us_sustainment": round(us.sustainment.at(year), 3),
        "pooled_share": scenario.planning.pooled_share,
    }


def _static_dir() -> Path:
    return Path(str(resources.files("alliance.web").joinpath("static")))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


def run_request(dataset: Dataset, req: AssessRequest) -> dict[str, Any]:
    """Assess one scenario with the request's levers.

    Returns the summary, the narrative text, the chart specs and the seconds each
    stage of the registry took.
    """
    started = time.perf_counter()
    base = load_scenario(req.scenario)
    overrides = req.overrides()
    scenario = apply_overrides(base, overrides) if overrides else base
    stage_seconds: dict[str, float] = {}
    current_stage = ""
    stage_started = time.perf_counter()

    def on_stage(stage: str) -> None:
        nonlocal current_stage, stage_started
        now = time.perf_counter()
        if current_stage:
            stage_seconds[current_stage] = round(now - stage_started, 3)
        current_stage, stage_started = stage, now

    a = assess_scenario(dataset, scenario, RunSettings(draws=req.draws, seed=req.seed),
                        on_stage=on_stage)
    stage_seconds[current_stage] = round(time.perf_counter() - stage_started, 3)
    summary = a.summary(REPORT_YEAR)
    text = narrative({"scenarios": {scenario.name: summary}})[scenario.name]
    figs = {
        "spending-paths": spending_figure([a]),
        "gaps": gaps_figure([a]),
        "deliveries": deliveries_figure([a]),
        "risk": risk_figure([a]),
    }
    return {
        "scenario": req.scenario,
        "overrides": overrides,
        "levers": levers_of(scenario),
        "summary": summary,
        "text": text,
        "figures": {k: json.loads(f.to_json()) for k, f in figs.items()},
        "stage_seconds": stage_seconds,
        "elapsed_s": round(time.perf_counter() - started, 3),
    }


def create_app(overlay: str | None = None, dataset: Dataset | None = None) -> FastAPI:
    """Build the FastAPI app; the Dataset is loaded once and shared by every request."""
    ds = dataset if dataset is not None else load_dataset(overlay)
    slots = threading.BoundedSemaphore(MAX_CONCURRENT)
    app = FastAPI(
        title="alliance",
        description="An open model of NATO under a reduced US commitment: run a scenario with "
        "the main levers moved and read the headline numbers and charts.",
        version="1",
    )
    _add_error_handlers(app)
    _add_routes(app, ds, slots)
    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """JSON errors: 422 for an invalid request, 400 for a user's error, 500 otherwise."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={
            "message": _validation_message(exc),
            "errors": [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")}
                       for e in exc.errors()],
        })

    @app.exception_handler(AllianceError)
    async def _user_error(_: Request, exc: AllianceError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"message": str(exc)})

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("request failed")
        return JSONResponse(status_code=500,
                            content={"message": f"internal error ({type(exc).__name__})"})


def _add_routes(app: FastAPI, ds: Dataset, slots: threading.BoundedSemaphore) -> None:
    """The API (health, scenarios, assess: at most ``slots`` at once) and the dashboard."""

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        """Liveness: the dataset is loaded."""
        return {"status": "ok", "tables": len(ds.table_names())}

    @app.get("/api/scenarios")
    def scenarios() -> dict[str, Any]:
        """Built-in scenarios with their description and lever values, plus the lever bounds."""
        items = []
        for name in builtin_scenario_names():
            sc = load_scenario(name)
            items.append({"name": name, "description": sc.description, "levers": levers_of(sc)})
        return {
            "scenarios": items,
            "bounds": {"draws": [MIN_DRAWS, MAX_DRAWS], "us_commitment": [0, 1],
                       "us_sustainment": [0, 1], "pooled_share": [0, 1],
                       "spending_path": list(PROJECTED_SPENDING_PATHS)},
            "report_year": REPORT_YEAR,
        }

    @app.post("/api/assess")
    def assess(req: AssessRequest) -> JSONResponse:
        """Run every stage for one scenario with the levers applied (bounded work)."""
        if not slots.acquire(timeout=BUSY_WAIT_S):
            return JSONResponse(status_code=503,
                                content={"message": "busy: too many assessments running; retry"})
        try:
            result = run_request(ds, req)
        finally:
            slots.release()
        return JSONResponse(result)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(get_plotlyjs(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(_static_dir() / "dashboard.html", media_type="text/html")
