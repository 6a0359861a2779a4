"""What the edge answers itself (app/edge/limits.py): the request limits, the method guard,
no query string on the fixed files, and root-relative trailing-slash redirects; each answer
with the headers the app's own responses carry. tests/test_hostile.py has the limits' table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.edge.limits import MAX_HEADER_BYTES, MAX_PATH_BYTES, MAX_QUERY_PARAMS, slash_redirect
from tests.conftest import build
from tests.support import (
    IDENTITY,
    LiveServer,
    assert_problem,
    cache_of,
    live_server,
    raw_request,
)

ORIGIN = {"Origin": "https://newsroom.example"}
PREFLIGHT = {**ORIGIN, "Access-Control-Request-Method": "GET"}
# (what, method, url, headers, body, status): every kind of answer the edge gives itself.
EDGE_ANSWERS = [
    ("path too long", "GET", "/" + "a" * MAX_PATH_BYTES, {}, None, 414),
    ("query too long", "GET", "/search?q=" + "a" * 5000, {}, None, 414),
    ("too many parameters", "GET", "/countries?" + "&".join(["a=1"] * 33), {}, None, 400),
    ("headers too large", "GET", "/countries", {"X-Big": "a" * MAX_HEADER_BYTES}, None, 431),
    ("GET with a body", "GET", "/countries", {}, b"hello", 400),
    ("HEAD with a body", "HEAD", "/countries", {}, b"hello", 400),
    ("POST", "POST", "/countries", {}, b"{}", 405),
    ("DELETE", "DELETE", "/countries/kg", {}, None, 405),
    ("plain OPTIONS", "OPTIONS", "/countries", {}, None, 204),
    ("a query on a fixed file", "GET", "/openapi.json?v=1", {}, None, 400),
    ("a trailing slash", "GET", "/countries/kg/", {}, None, 307),
    ("a refused preflight", "OPTIONS", "/" + "a" * MAX_PATH_BYTES, PREFLIGHT, None, 414),
]
SECURITY = ("x-content-type-options", "content-security-policy", "referrer-policy")
CORS = ("access-control-allow-origin", "access-control-expose-headers")


@pytest.fixture
def no_redirects(db_path: Path) -> Iterator[TestClient]:
    with TestClient(build(db_path), follow_redirects=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("method", "url", "headers", "body", "status"),
    [case[1:] for case in EDGE_ANSWERS],
    ids=[case[0] for case in EDGE_ANSWERS],
)
def test_the_edge_answers_carry_the_headers_of_the_app(
    no_redirects: TestClient,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    status: int,
) -> None:
    app_answer = no_redirects.get("/nowhere", headers=ORIGIN)
    assert app_answer.status_code == 404
    response = no_redirects.request(method, url, headers={**ORIGIN, **headers}, content=body)
    assert response.status_code == status, response.text[:300]
    for name in (*SECURITY, *CORS):
        assert response.headers[name] == app_answer.headers[name], name
    assert response.headers.get("vary") == app_answer.headers.get("vary")
    if status >= 400 and method != "HEAD":
        assert_problem(response, status)
    if status in (204, 405):
        assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_a_preflight_within_the_limits_is_answered_by_cors(client: TestClient) -> None:
    response = client.options("/countries", headers=PREFLIGHT)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]


def test_a_body_on_get_is_streamed_chunked(client: TestClient) -> None:
    """A chunked body (no Content-Length) is refused as well."""

    def chunks() -> Iterator[bytes]:
        yield b"hello"

    assert_problem(client.request("GET", "/countries", content=chunks()), 400)


def test_the_parameter_limit_counts_names_not_bytes(client: TestClient) -> None:
    at_the_limit = "/countries?" + "&".join(f"p{i}=1" for i in range(MAX_QUERY_PARAMS))
    assert "Too many" not in client.get(at_the_limit).json()["detail"]  # the app's own 400
    assert "Too many" in client.get(at_the_limit + "&p=1").json()["detail"]


# --- trailing slashes and Host -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/countries/kg/", "/countries/kg"),
        ("/countries/", "/countries"),
        ("/countries//", "/countries"),
        ("/countries/?limit=1&sort=-name", "/countries?limit=1&sort=-name"),
        ("/countries/kg/priorities/?fields=id,url", "/countries/kg/priorities?fields=id,url"),
        ("/countries/%e2%80%83kg/", "/countries/%e2%80%83kg"),
        ("/nowhere/", "/nowhere"),
    ],
)
def test_a_trailing_slash_redirects_root_relative(
    no_redirects: TestClient, url: str, location: str
) -> None:
    response = no_redirects.get(url, headers={"Host": "evil.example"})
    assert response.status_code == 307
    assert response.headers["location"] == location
    assert response.content == b""


def test_the_redirect_leads_to_the_resource(client: TestClient) -> None:
    redirected = client.get("/countries/kg/?fields=id")
    assert redirected.status_code == 200
    assert redirected.json() == client.get("/countries/kg?fields=id").json()


@pytest.mark.parametrize(
    ("raw_path", "location"),
    [
        (b"//evil.example/", None),  # a Location of //evil.example is another host
        (b"/\\evil.example/", None),
        (b"///", None),
        (b"/a/", b"/a"),
        (b"/caf\xc3\xa9/", b"/caf%C3%A9"),
        (b"/a\r\nX-Injected: 1/", b"/a%0D%0AX-Injected:%201"),
    ],
)
def test_a_redirect_never_leaves_the_host(raw_path: bytes, location: bytes | None) -> None:
    scope = {"path": raw_path.decode("latin-1"), "raw_path": raw_path, "query_string": b""}
    answer = slash_redirect(scope)
    assert (answer and dict(answer[1])[b"location"]) == location


HOST_URLS = [
    "/",
    "/countries",
    "/countries/kg",
    "/countries/kg/",
    "/countries/kyrgyzstan",
    "/countries/kg/priorities?limit=2",
    "/search?q=japarov",
    "/nowhere",
    "/countries?limit=0",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/" + "a" * 2000,
]


def test_no_response_echoes_the_host(no_redirects: TestClient) -> None:
    host = {**IDENTITY, "Host": "evil.example"}
    for url in HOST_URLS:
        for method in ("GET", "POST"):
            response = no_redirects.request(method, url, headers=host)
            assert response.status_code < 500, url
            assert "evil.example" not in str(response.headers.multi_items()), (method, url)
            assert b"evil.example" not in response.content, (method, url)


@pytest.fixture(scope="module")
def server(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(db_path, tmp_path_factory.mktemp("limits") / "serve.log") as live:
        yield live


@pytest.mark.parametrize(
    "request_line",
    [b"GET /countries/kg/ HTTP/1.1", b"GET http://evil.example/countries/kg/ HTTP/1.1"],
)
def test_the_real_server_redirects_without_the_host(
    server: LiveServer, request_line: bytes
) -> None:
    response = raw_request(server, request_line + b"\r\nHost: evil.example\r\n\r\n")
    assert response.status_code == 307
    assert response.headers["location"] == "/countries/kg"
    assert "evil.example" not in str(response.headers.multi_items())


# --- the fixed files take no query string ------------------------------------------------

FIXED = ["/openapi.json", "/static-offline-docs/swagger-ui.css", "/docs", "/redoc"]


@pytest.mark.parametrize("url", FIXED)
def test_a_fixed_file_refuses_a_query_and_is_compressed_once(db_path: Path, url: str) -> None:
    with TestClient(build(db_path)) as client:
        cache = cache_of(client.app)
        for _ in range(3):  # a miss, a stored miss, a hit
            assert client.get(url).status_code == 200
        before = cache.stats()
        for n in range(5):
            body = assert_problem(client.get(f"{url}?v={n}"), 400, "v")
            assert body["errors"][0]["message"] == "v is not a parameter of this operation."
            assert body["errors"][0]["accepted"] == []
        assert_problem(client.get(f"{url}?v=1&cache=no"), 400, "cache")
        assert cache.stats() == before  # no miss: nothing rendered or compressed again
        assert client.get(f"{url}?&&").status_code == 200  # names nothing: the same file
        assert cache.stats()["hits"] == before["hits"] + 1
