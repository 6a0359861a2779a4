"""CORS (app/edge/cors.py) over real HTTP, as a page on another origin meets it: any request
header may be sent, every header the app sets may be read, and every refusal of a preflight
is problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.edge.cors import expose_list
from tests.conftest import build
from tests.support import LiveServer, assert_problem, live_server

PAGE = "https://newsroom.example"
# What OpenTelemetry, Sentry and jQuery add to a page's requests.
TRACING = "traceparent, sentry-trace, baggage, X-Requested-With"
EXPOSED = {
    *("etag", "link", "x-total-count", "x-rows", "content-disposition", "location", "vary"),
    "x-request-id",
}


@pytest.fixture(scope="module")
def server(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(db_path, tmp_path_factory.mktemp("cors") / "serve.log") as live:
        yield live


def preflight(server: LiveServer, path: str, method: str, headers: str = "") -> httpx.Response:
    asked = {"Access-Control-Request-Headers": headers} if headers else {}
    return httpx.options(
        server.url + path,
        headers={"Origin": PAGE, "Access-Control-Request-Method": method, **asked},
    )


def listed(header: str) -> set[str]:
    return {name.strip().lower() for name in header.split(",")}


@pytest.mark.parametrize("path", ["/countries", "/priorities.csv", "/search", "/nowhere"])
def test_a_preflight_asking_for_any_header_is_allowed(server: LiveServer, path: str) -> None:
    response = preflight(server, path, "GET", TRACING)
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == "*"
    assert listed(response.headers["access-control-allow-headers"]) == {
        "traceparent",
        "sentry-trace",
        "baggage",
        "x-requested-with",
    }
    assert listed(response.headers["access-control-allow-methods"]) == {"get", "head", "options"}
    assert response.headers["access-control-max-age"] == "86400"
    assert "access-control-allow-credentials" not in response.headers


def test_a_preflight_without_headers_is_allowed(server: LiveServer) -> None:
    response = preflight(server, "/countries/kg", "HEAD")
    assert response.status_code == 204
    assert "access-control-allow-headers" not in response.headers


@pytest.mark.parametrize("method", ["POST", "DELETE", "PUT", "PATCH", "get"])
def test_a_preflight_for_another_method_is_a_problem(server: LiveServer, method: str) -> None:
    response = preflight(server, "/countries", method, "traceparent")
    body = assert_problem(response, 400, "Access-Control-Request-Method")
    assert body["errors"][0]["location"] == "header"
    assert "access-control-allow-methods" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_preflight_asking_for_a_header_list_that_is_not_one(server: LiveServer) -> None:
    response = preflight(server, "/countries", "GET", "traceparent, bad header(")
    assert_problem(response, 400, "Access-Control-Request-Headers")


@pytest.mark.parametrize(
    "url", ["/countries", "/priorities.csv?limit=2", "/countries/KGZ", "/datapackage/themes.csv"]
)
def test_every_header_the_app_sets_is_exposed(server: LiveServer, url: str) -> None:
    response = httpx.get(server.url + url, headers={"Origin": PAGE, "traceparent": "00-1-2-01"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = listed(response.headers["access-control-expose-headers"])
    assert exposed == EXPOSED
    set_here = set(response.headers) - {"access-control-allow-origin"}
    readable = EXPOSED | {"cache-control", "content-type", "content-length", "content-encoding"}
    security = {"content-security-policy", "referrer-policy", "x-content-type-options"}
    assert set_here - readable - security - {"access-control-expose-headers", "date"} == set()


def test_the_list_leaves_out_what_a_page_reads_anyway() -> None:
    names = ["ETag", "Cache-Control", "X-Rows", "Content-Type", "Link", "ETag"]
    assert expose_list(names) == "ETag, X-Rows, Link"


def test_listed_origins_only(db_path: Path) -> None:
    """With a list, only those origins: the allowed one echoed, the others refused with a
    problem naming the Origin; every answer varies on it."""
    with TestClient(build(db_path, cors_origins=[PAGE])) as client:
        asked = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": TRACING}
        allowed = client.options("/countries", headers={"Origin": PAGE, **asked})
        assert allowed.status_code == 204
        assert allowed.headers["access-control-allow-origin"] == PAGE
        assert allowed.headers["vary"] == "Origin"
        other = client.options("/countries", headers={"Origin": "https://other.example", **asked})
        body = assert_problem(other, 400, "Origin")
        assert body["errors"][0]["location"] == "header"
        assert "access-control-allow-origin" not in other.headers
        read = client.get("/countries", headers={"Origin": "https://other.example"})
        assert read.status_code == 200
        assert "access-control-allow-origin" not in read.headers
        assert "Origin" in read.headers["vary"]
