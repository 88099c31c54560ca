"""The dashboard and its JSON API (FastAPI).

``POST /api/assess`` runs every stage for one built-in scenario with the
dashboard's levers applied through :func:`alliance.scenario.apply_overrides`;
``GET /api/scenarios`` lists the scenarios and their lever values;
``GET /api/health`` answers liveness checks.

The edge is bounded and answers every error in one JSON shape,
``{"message": str, "field": str | null}`` (``field`` names the request field or
scenario field at fault, when there is one):

* 422 for an invalid request (the request model bounds the work one request may
  ask for), 400 for an :class:`~alliance.errors.AllianceError`, 404 and 405 for
  an unknown path or method;
* 413 for a request body over :data:`MAX_BODY_BYTES` (checked on
  ``Content-Length`` and again while the body streams in);
* 429 with a ``Retry-After`` header, at once, when :data:`MAX_CONCURRENT`
  assessments are already running (there is no queue: the client retries);
* 500 without a traceback for anything else.

Each assessment runs in a worker thread while the event loop keeps answering
(``/api/health`` stays responsive). A client that disconnects cancels its run
cooperatively: a stage cannot be interrupted midway, but no further stage
starts, the result is dropped (the access log shows 499) and the slot is freed
when the running stage ends. The dashboard aborts its previous request
(AbortController) when a lever moves again, so a stale run is cancelled this way.

Stage results are cached (:class:`alliance.web.cache.StageCache`) under the key
of exactly the inputs each stage reads (:func:`alliance.assessment.stage_keys`):
moving a lever re-runs only the stages that read it and those that use their
results; the unchanged scenario, drawn as a ghost line, is usually a cache hit.
The answer's parts built from results (summaries, chart series, ally cards) are
cached too (:class:`alliance.web.cache.ViewCache`), keyed by the stage keys.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from alliance.assess import DEFAULT_DRAWS, DEFAULT_SEED, REPORT_YEAR
from alliance.assessment import Assessment, RunSettings, StageResults, assess_scenario, stage_keys
from alliance.data import Dataset, load_dataset
from alliance.errors import AllianceError, DataValidationError, ScenarioError
from alliance.params import PROJECTED_SPENDING_PATHS, PermitRegime, SpendingPathName
from alliance.report.allies import ally_cards
from alliance.report.build import narrative, plotly_bundle_gzip
from alliance.scenario import Scenario, apply_overrides, builtin_scenario_names, load_scenario
from alliance.web.cache import StageCache, ViewCache
from alliance.web.charts import dashboard_charts

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_CONCURRENT",
    "MAX_DRAWS",
    "MIN_DRAWS",
    "RETRY_AFTER_S",
    "ApiError",
    "AssessRequest",
    "create_app",
    "error_body",
    "loopback_warning",
]

logger = logging.getLogger(__name__)

#: Bounds on the Monte Carlo draws one request may ask for.
MIN_DRAWS: int = 1_000
MAX_DRAWS: int = 200_000
#: Assessments that may run at the same time; a further request is answered 429 at once.
MAX_CONCURRENT: int = 2
#: The ``Retry-After`` of a 429 answer [seconds] (about one small assessment).
RETRY_AFTER_S: int = 5
#: Largest request body accepted [bytes]; a larger one is answered 413.
MAX_BODY_BYTES: int = 64 * 1024
#: How often a running assessment checks whether its client is still connected [seconds].
DISCONNECT_POLL_S: float = 0.2

_Scope = MutableMapping[str, Any]
_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_ASGIApp = Callable[[_Scope, _Receive, _Send], Awaitable[None]]


def error_body(message: str, field: str | None = None) -> dict[str, str | None]:
    """The one JSON shape of every error answer (:class:`ApiError`): message and field."""
    return {"message": message, "field": field}


def _error(status: int, message: str, field: str | None = None,
           headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(message, field),
                        headers=dict(headers) if headers else None)


def loopback_warning(host: str) -> str | None:
    """A warning line for ``alliance serve --host`` when ``host`` is not a loopback address.

    The API has no authentication and runs bounded but real work, so binding
    anything but the loopback interface exposes it to the network. ``localhost``
    and loopback IP addresses (``127.0.0.0/8``, ``::1``) return None; any other
    address or name (names are not resolved) returns the warning.

    Args:
        host: The address given to ``--host``.

    Returns:
        The warning to print on stderr, or None for a loopback address.
    """
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return None
    try:
        if ipaddress.ip_address(name).is_loopback:
            return None
    except ValueError:
        pass
    return (f"warning: --host {host} is not a loopback address: the dashboard and its API "
            "(no authentication) are reachable from other machines; use 127.0.0.1 unless "
            "you mean to expose them.")


class _BodyTooLarge(Exception):
    """The request body grew past the limit while it streamed in."""


class BodyLimit:
    """ASGI middleware: answer 413 (JSON error shape) for a body over ``limit`` bytes.

    The declared ``Content-Length`` is checked before the app runs; a body sent
    without one (chunked) is counted as it streams in.

    Args:
        app: The ASGI application to wrap.
        limit: Largest accepted body [bytes].
    """

    def __init__(self, app: _ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    def _too_large(self) -> JSONResponse:
        return _error(413, f"request body too large: at most {self.limit:,} bytes", "body")

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        """Run the app with a receive channel that refuses bodies over the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _error(400, "invalid Content-Length header", "content-length")(
                        scope, receive, send)
                    return
                if declared > self.limit:
                    await self._too_large()(scope, receive, send)
                    return
        received = 0
        over = False
        replaced = False

        async def limited_receive() -> _Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    over = True
                    raise _BodyTooLarge
            return message

        async def checked_send(message: _Message) -> None:
            # The app may turn the read error into an answer of its own (FastAPI: 400);
            # once the body was too large, that answer is replaced by the 413.
            nonlocal replaced
            if over:
                if not replaced:
                    replaced = True
                    await self._too_large()(scope, receive, send)
                return
            await send(message)

        try:
            await self.app(scope, limited_receive, checked_send)
        except _BodyTooLarge:
            if not replaced:
                await self._too_large()(scope, receive, send)


class _ClientGone(Exception):
    """Raised from the stage callback when the client of a run has disconnected."""


class ApiError(BaseModel):
    """The body of every error answer (4xx and 5xx)."""

    message: str = Field(description="What is wrong and, where it helps, how to fix it.")
    field: str | None = Field(
        None, description="The request field (dotted) or scenario field at fault, if any.")


#: The error answers of ``POST /api/assess`` as documented in the OpenAPI schema.
_ASSESS_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ApiError, "description": text} for code, text in (
        (400, "The scenario with these levers is invalid (an AllianceError)."),
        (413, "The request body is larger than MAX_BODY_BYTES."),
        (422, "The request is invalid: the message names each field at fault."),
        (429, "MAX_CONCURRENT assessments are running; retry after Retry-After seconds."),
        (500, "Internal error (no traceback is sent)."),
    )
}


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
    permit_regime: PermitRegime | None = Field(
        None, description="Cross-border permit regime for military movements (issue 11): "
        "today's notice periods, the EU's 3-day peacetime or 6-hour emergency proposal; null "
        "keeps the scenario's.")
    draws: int = Field(DEFAULT_DRAWS, ge=MIN_DRAWS, le=MAX_DRAWS,
                       description="Monte Carlo draws per year [count]; default as in the "
                       "report (alliance assess).")
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1, description="Seed of the Monte Carlo.")
    ally: str | None = Field(None, min_length=3, max_length=3, pattern="^[A-Z]{3}$",
                             description="ISO 3166 alpha-3 code of an ally whose country card "
                             "to return (null: none).")

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
        if self.permit_regime is not None:
            out["mobility.permit_regime"] = self.permit_regime
        return out


def levers_of(scenario: Scenario, year: int = REPORT_YEAR) -> dict[str, Any]:
    """The dashboard's lever values implied by a scenario in ``year``."""
    us = scenario.us_commitment
    return {
        "spending_path": scenario.spending.path,
        "us_commitment": round(us.forces_in_place.at(year), 3),
        "us_sustainment": round(us.sustainment.at(year), 3),
        "pooled_share": scenario.planning.pooled_share,
        "permit_regime": scenario.mobility.permit_regime,
    }


def _static_dir() -> Path:
    return Path(str(resources.files("alliance.web").joinpath("static")))


def _loc_field(loc: Any) -> str | None:
    """The dotted request field of a pydantic error location (``body`` left out)."""
    parts = [str(p) for p in (loc or ()) if p != "body"]
    return ".".join(parts) or None


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = _loc_field(err.get("loc")) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


def _alliance_field(exc: AllianceError) -> str | None:
    """The field an AllianceError names (a scenario field or a data column), if any."""
    if isinstance(exc, ScenarioError):
        return exc.field
    if isinstance(exc, DataValidationError):
        return exc.column
    return None


def _state_key(scenario: Scenario, settings: RunSettings) -> str:
    """One key for a lever state: a hash of every stage's key (same key, same results)."""
    keys = stage_keys(scenario, settings)
    return hashlib.sha256("|".join(keys[name] for name in sorted(keys)).encode()).hexdigest()


# Long by design: one request's fixed sequence (levers, staged run with cancellation and
# timings, the unchanged reference, summary, charts, ally card) reads best in one place.
def run_request(dataset: Dataset, req: AssessRequest,
                should_stop: Callable[[], bool] | None = None,
                cache: MutableMapping[str, StageResults] | None = None,
                views: ViewCache | None = None) -> dict[str, Any]:
    """Assess one scenario with the request's levers.

    Args:
        dataset: The validated dataset.
        req: The request (scenario and levers).
        should_stop: Asked as each stage starts and once the stages are done; when it
            answers True the run stops there (no further stage runs) by raising
            a private exception, and no result is built.
        cache: Stage results by input key (one per dataset); None runs every stage.
        views: Answer parts (summaries, chart series, ally cards) by the key of the
            lever states they are built from (one per dataset); None builds them.

    Returns:
        The summary, the narrative text, the chart data (with the unchanged
        scenario as reference when a lever moved), the seconds each stage took
        and which stages came from the cache.
    """
    started = time.perf_counter()
    base = load_scenario(req.scenario)
    overrides = req.overrides()
    scenario = apply_overrides(base, overrides) if overrides else base
    settings = RunSettings(draws=req.draws, seed=req.seed)
    stage_seconds: dict[str, float] = {}
    current_stage = ""
    stage_started = time.perf_counter()
    hits_before = cache.hits if isinstance(cache, StageCache) else 0
    parts = views if views is not None else ViewCache()

    def on_stage(stage: str) -> None:
        nonlocal current_stage, stage_started
        if should_stop is not None and should_stop():
            raise _ClientGone
        now = time.perf_counter()
        if current_stage:
            stage_seconds[current_stage] = round(now - stage_started, 3)
        current_stage, stage_started = stage, now

    a = assess_scenario(dataset, scenario, settings, on_stage=on_stage, cache=cache)
    if should_stop is not None and should_stop():
        raise _ClientGone
    stage_seconds[current_stage] = round(time.perf_counter() - stage_started, 3)
    reused = (cache.hits - hits_before) if isinstance(cache, StageCache) else 0
    here = _state_key(scenario, settings)
    there = _state_key(base, settings) if overrides else ""
    reference: list[Assessment] = []  # the unchanged scenario, assessed when first needed

    def unchanged() -> Assessment:
        if not reference:
            reference.append(assess_scenario(dataset, base, settings, cache=cache))
        return reference[0]

    summary = parts.remember(f"summary {here}", lambda: a.summary(REPORT_YEAR))
    label = f"{req.scenario} (modified)" if overrides else req.scenario
    text = narrative({"scenarios": {label: {**summary, "scenario": label}}})[label]
    result: dict[str, Any] = {
        "scenario": req.scenario,
        "overrides": overrides,
        "modified_from": req.scenario if overrides else None,
        "levers": levers_of(scenario),
        "summary": summary,
        "reference_summary": parts.remember(
            f"summary {there}", lambda: unchanged().summary(REPORT_YEAR)) if overrides else None,
        "text": text,
        "charts": parts.remember(f"charts {here} {there}", lambda: dashboard_charts(
            a, unchanged() if overrides else None, dataset, REPORT_YEAR)),
        "stage_seconds": stage_seconds,
        "stages_from_cache": reused,
        "elapsed_s": 0.0,
    }
    if req.ally is not None:
        cards = parts.remember(f"cards {here}", lambda: ally_cards([a], dataset, REPORT_YEAR))
        result["ally"] = {"iso3": req.ally, "card": cards["allies"].get(req.ally),
                          "sources": cards["sources"], "columns": cards["columns"]}
    result["elapsed_s"] = round(time.perf_counter() - started, 3)
    return result


def _load_compiled_kernels() -> None:
    """Load the compiled flow and crisis kernels (Numba's cached machine code) now.

    A short CLI run loads them only when its work repays it; the server is
    long-lived, so it loads them once at start (about 1-2 s) and no request pays
    it. Both kernels give the same numbers as the paths they replace, so this
    changes time only.
    """
    from alliance.deterrence import kernel  # noqa: F401  (the crisis Monte Carlo)
    from alliance.mobility import flow_kernel  # noqa: F401  (the closure max-flow)


def create_app(overlay: str | None = None, dataset: Dataset | None = None) -> FastAPI:
    """Build the FastAPI app; the Dataset is loaded once and shared by every request."""
    ds = dataset if dataset is not None else load_dataset(overlay)
    _load_compiled_kernels()
    slots = threading.BoundedSemaphore(MAX_CONCURRENT)
    cache = StageCache()
    views = ViewCache()
    app = FastAPI(
        title="alliance",
        description="An open model of NATO under a reduced US commitment: run a scenario with "
        "the main levers moved and read the headline numbers and charts.",
        version="1",
    )
    app.state.assess_slots = slots  # the running assessments' slots (read by the tests)
    app.state.stage_cache = cache
    app.state.view_cache = views
    _add_error_handlers(app)
    _add_routes(app, ds, slots, cache, views)
    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Every error as ``{"message", "field"}``: 4xx for the client's errors, 500 otherwise."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if errors and errors[0].get("type") == "json_invalid":  # loc is a character offset
            at = _loc_field(errors[0].get("loc"))
            return _error(422, f"the body is not valid JSON (at character {at}): "
                          f"{errors[0].get('ctx', {}).get('error', 'invalid JSON')}", "body")
        field = _loc_field(errors[0].get("loc")) if errors else None
        return _error(422, _validation_message(exc), field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        return _error(exc.status_code, str(exc.detail), None, headers=exc.headers)

    @app.exception_handler(AllianceError)
    async def _user_error(_: Request, exc: AllianceError) -> JSONResponse:
        return _error(400, str(exc), _alliance_field(exc))

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("request failed")
        return _error(500, f"internal error ({type(exc).__name__})")


async def _run_while_connected(request: Request, work: Callable[[Callable[[], bool]], Any],
                               release: Callable[[], None]) -> Any:
    """Run ``work(should_stop)`` in a worker thread; stop it if the client disconnects.

    The slot is released (``release``) when the worker finishes, not when the
    client leaves, so a cancelled run still counts until its current stage ends.
    Returns the work's result, or raises :class:`_ClientGone`.
    """
    gone = threading.Event()

    def job() -> Any:
        try:
            return work(gone.is_set)
        finally:
            release()

    future = asyncio.get_running_loop().run_in_executor(None, job)
    # A run abandoned by its client ends with _ClientGone; nobody awaits it then.
    future.add_done_callback(lambda f: f.cancelled() or f.exception())
    try:
        while True:
            done, _ = await asyncio.wait({future}, timeout=DISCONNECT_POLL_S)
            if done:
                return future.result()
            if await request.is_disconnected():
                logger.info("client disconnected: assessment cancelled after its current stage")
                raise _ClientGone
    except BaseException:  # the client left, or the server is shutting down
        gone.set()
        raise


def _add_routes(app: FastAPI, ds: Dataset, slots: threading.BoundedSemaphore,
                cache: StageCache, views: ViewCache) -> None:
    """The API (health, scenarios, assess: at most ``slots`` at once) and the dashboard."""

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        """Liveness: the dataset is loaded."""
        return {"status": "ok", "tables": len(ds.table_names()), "cache": cache.stats()}

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
            "default_draws": DEFAULT_DRAWS,
            "allies": [{"iso3": str(r["iso3"]), "name": str(r["name"])}
                       for r in ds.table("allies").sort_values("name").to_dict("records")],
        }

    @app.post("/api/assess", responses=_ASSESS_ERRORS)
    async def assess(req: AssessRequest, request: Request) -> JSONResponse:
        """Run every stage for one scenario with the levers applied (bounded work).

        At most ``MAX_CONCURRENT`` run at once; a further request is answered 429
        with ``Retry-After`` at once. A client that disconnects cancels its run.
        """
        if not slots.acquire(blocking=False):
            return _error(429, f"busy: {MAX_CONCURRENT} assessments are running; retry in "
                          f"{RETRY_AFTER_S} s", None, headers={"Retry-After": str(RETRY_AFTER_S)})
        try:
            result = await _run_while_connected(
                request, lambda stop: run_request(ds, req, should_stop=stop, cache=cache,
                                                   views=views),
                slots.release)
        except _ClientGone:
            # Nobody is listening; the status is for the access log (nginx's "client closed").
            return _error(499, "client closed the request; assessment cancelled")
        return JSONResponse(result)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        # the partial bundle (scatter, bar, pie), sent as bundled: gzip-compressed
        return Response(plotly_bundle_gzip(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400",
                                 "Content-Encoding": "gzip"})

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(_static_dir() / "dashboard.html", media_type="text/html")
