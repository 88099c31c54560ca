"""The JSON API fuzzed in-process (ASGI, no network): no 5xx, one error shape.

Requests come from the app's own OpenAPI schema (schemathesis, positive and
negative cases, over ASGI), from arbitrary JSON and from arbitrary bytes; paths
and methods are arbitrary.
Every answer is below 500, and every error answer is exactly
``{"message": str, "field": str | null}`` (the documented ``ApiError``). Bodies
that name a built-in scenario with levers in range must succeed.

Generated bodies ask for at most 1,000 draws (the smallest run): the API bounds
the cost of a request by design (tests/web), and this suite is about input.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode

from alliance.data import Dataset
from alliance.scenario import builtin_scenario_names
from alliance.web import create_app
from tests.fuzz._harness import FUZZ, fuzz


@pytest.fixture(scope="module")
def app(dataset: Dataset) -> FastAPI:
    return create_app(dataset=dataset)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


ASSESS_FIELDS = ("scenario", "spending_path", "us_commitment", "us_sustainment",
                 "pooled_share", "draws", "seed")


def _cheap(body: Any) -> Any:
    """The body with at most 1,000 draws (when it asks for a valid number of draws)."""
    if isinstance(body, dict) and isinstance(body.get("draws", 10_000), int) and (
            body.get("draws", 10_000) > 1000):
        body = {**body, "draws": 1000}
    return body


def check_answer(r: Any, method: str = "POST") -> None:
    assert r.status_code < 500, f"{r.status_code}: {r.text[:300]}"
    assert "Traceback" not in r.text
    if r.status_code >= 400 and method != "HEAD":
        body = r.json()
        assert isinstance(body, dict) and set(body) == {"message", "field"}, body
        assert isinstance(body["message"], str) and body["message"]
        assert body["field"] is None or isinstance(body["field"], str)


def test_the_openapi_schema_documents_the_error_shape(app: FastAPI) -> None:
    spec = app.openapi()
    responses = spec["paths"]["/api/assess"]["post"]["responses"]
    for code in ("400", "413", "422", "429", "500"):
        ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ApiError")
    assert set(spec["components"]["schemas"]["ApiError"]["properties"]) == {"message", "field"}


@pytest.fixture(scope="module")
def operations(app: FastAPI) -> list[Any]:
    """The app's API operations, read by schemathesis from its OpenAPI schema (over ASGI)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_the_schema_has_the_three_operations(operations: list[Any]) -> None:
    assert sorted((op.method.upper(), op.path) for op in operations) == [
        ("GET", "/api/health"), ("GET", "/api/scenarios"), ("POST", "/api/assess")]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["positive", "negative"])
@FUZZ
@given(data=st.data())
def test_openapi_operations(operations: list[Any], mode: GenerationMode,
                            data: st.DataObject) -> None:
    """Every operation: no 5xx, and answers match the documented schema and error shape."""
    op = data.draw(st.sampled_from(operations), label="operation")
    case = data.draw(op.as_strategy(generation_mode=mode), label="case")
    if isinstance(case.body, dict):
        case.body = _cheap(case.body)
    response = case.call()
    check_answer(response, case.method.upper())


@fuzz(0.25)
@given(scenario=st.sampled_from(builtin_scenario_names()),
       levers=st.fixed_dictionaries({}, optional={
           "spending_path": st.sampled_from(["frozen", "trend", "national", "hague", None]),
           "us_commitment": st.none() | st.floats(0, 1),
           "us_sustainment": st.none() | st.floats(0, 1),
           "pooled_share": st.none() | st.floats(0, 1),
           "seed": st.integers(0, 2**32 - 1)}))
def test_valid_bodies_succeed(client: TestClient, scenario: str, levers: dict[str, Any]) -> None:
    body = {"scenario": scenario, "draws": 1000, **levers}
    r = client.post("/api/assess", json=body)
    check_answer(r)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["summary"]["scenario"] == scenario


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.one_of(st.sampled_from(ASSESS_FIELDS), st.text(max_size=10)),
        inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(body=JSON.map(_cheap))
def test_arbitrary_json_bodies(client: TestClient, body: Any) -> None:
    r = client.post("/api/assess", json=body)
    check_answer(r)
    if not isinstance(body, dict):
        assert r.status_code == 422


@FUZZ
@given(raw=st.binary(max_size=300), content_type=st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", "", "a/b; c=d"]))
def test_arbitrary_bytes(client: TestClient, raw: bytes, content_type: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    check_answer(client.post("/api/assess", content=raw, headers=headers))


@FUZZ
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
       path=st.one_of(st.sampled_from(["/api/health", "/api/scenarios", "/api/assess", "/",
                                       "/static/dashboard.js", "/static/../../etc/passwd",
                                       "/static/%2e%2e/%2e%2e/etc/passwd", "/openapi.json"]),
                      st.text(max_size=20).map(lambda t: "/api/" + quote(t, safe="")),
                      st.text(max_size=20).map(lambda t: "/static/" + quote(t, safe="/."))))
def test_arbitrary_paths_and_methods(client: TestClient, method: str, path: str) -> None:
    if method == "POST" and path == "/api/assess":
        return  # bodies are fuzzed above
    r = client.request(method, path)
    check_answer(r, method)
    assert "root:" not in r.text
