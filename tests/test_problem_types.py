"""Every problem `type` URI answers a page saying what it means (app/routes/problem_types.py)."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from app.edge.limits import MAX_HEADER_BYTES
from tests.support import assert_problem

# Every type the app can emit (app/problems.py), written out.
TYPES = {
    "/problems/bad-request": ("Bad request", 400),
    "/problems/not-found": ("Not found", 404),
    "/problems/method-not-allowed": ("Method not allowed", 405),
    "/problems/gone": ("Gone", 410),
    "/problems/uri-too-long": ("URI too long", 414),
    "/problems/invalid-parameter": ("Invalid parameter", 422),
    "/problems/headers-too-large": ("Request header fields too large", 431),
    "/problems/internal-error": ("Internal server error", 500),
    "/problems/unavailable": ("Service unavailable", 503),
    "/problems/error": ("Error", None),
}
# A request for each kind a client can cause, and the type it answers with.
CAUSED = [
    ("GET", "/countries?colour=red", {}, "/problems/bad-request"),
    (
        "OPTIONS",
        "/countries",
        {"Origin": "https://a.example", "Access-Control-Request-Method": "PUT"},
        "/problems/bad-request",
    ),
    ("GET", "/countries/atlantis", {}, "/problems/not-found"),
    ("GET", "/problems/nonsense", {}, "/problems/not-found"),
    ("DELETE", "/countries/kg", {}, "/problems/method-not-allowed"),
    ("GET", "/priorities/astana-2025-cn-belt-and-road-integration", {}, "/problems/gone"),
    ("GET", "/" + "a" * 2000, {}, "/problems/uri-too-long"),
    ("GET", "/countries?limit=0", {}, "/problems/invalid-parameter"),
    ("GET", "/countries", {"X-Big": "b" * MAX_HEADER_BYTES}, "/problems/headers-too-large"),
]


@pytest.mark.parametrize("uri", TYPES)
def test_every_type_answers_its_page(client: TestClient, uri: str) -> None:
    response = client.get(uri)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert (body["type"], body["title"], body["status"]) == (uri, *TYPES[uri])
    assert body["description"].endswith(".")


@pytest.mark.parametrize(("method", "url", "headers", "uri"), CAUSED)
def test_every_problem_a_client_causes_resolves(
    client: TestClient, method: str, url: str, headers: dict[str, str], uri: str
) -> None:
    body = assert_problem(client.request(method, url, headers=headers))
    assert body["type"] == uri
    page = client.get(str(httpx.URL(f"http://testserver{url[:100]}").join(body["type"])))
    assert page.status_code == 200
    assert page.json()["title"] == body["title"]


def test_an_unknown_type_is_a_404_naming_it(client: TestClient) -> None:
    body = assert_problem(client.get("/problems/teapot"), 404)
    assert body["detail"] == "No problem type with id 'teapot'."


def test_the_document_lists_every_type(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    (param,) = document["paths"]["/problems/{problem_type}"]["get"]["parameters"]
    for uri in TYPES:
        assert f"`{uri.removeprefix('/problems/')}`" in param["description"]
