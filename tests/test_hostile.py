"""Hostile input: every answer sane, never a 5xx, the server surviving all of it.

Two tables. The first runs in-process (TestClient): each request is answered with the
status listed, never a 5xx, a 4xx is always problem+json, and no response header carries
a control character or a header smuggled in through the URL. The second goes over raw
sockets to a real uvicorn process started as `summit-api serve` starts it (httptools,
no server header), to see what the server itself does with bytes no HTTP client library
will send: it answers with the app's problem+json, or with its own plain-text 400 for a
request it cannot parse; never a hang, and the process survives all of it.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.edge.limits import MAX_HEADER_BYTES, MAX_PATH_BYTES, MAX_QUERY_BYTES, MAX_QUERY_PARAMS
from tests.support import (
    LiveServer,
    ResponseReader,
    assert_problem,
    live_server,
    raw_request,
)

PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e\t]*$")


# --- the in-process table ---------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    name: str
    url: str
    expect: frozenset[int]
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def row(
    name: str,
    url: str,
    *expect: int,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Hostile:
    return Hostile(name, url, frozenset(expect), method, headers or {}, body)


def _params(n: int, name: str = "p") -> str:
    return "&".join(f"{name}{i}=1" for i in range(n))


ETAGS = ", ".join(f'"{i:032x}"' for i in range(MAX_HEADER_BYTES // 30))

TABLE = [
    # very long paths and query strings (limits in app/edge/limits.py)
    row("path at the limit", "/" + "a" * (MAX_PATH_BYTES - 1), 404),
    row("path one byte over", "/countries/" + "a" * MAX_PATH_BYTES, 414),
    row("path of 60 KB", "/" + "a" * 60_000, 414),
    row("query at the limit", "/countries?fields=" + "a" * (MAX_QUERY_BYTES - 7), 422),
    row("query one byte over", "/countries?fields=" + "a" * (MAX_QUERY_BYTES - 6), 414),
    row("query of 60 KB", "/search?q=" + "a" * 60_000, 414),
    row("encoded query over", "/search?q=" + "%E2%80%83" * 500, 414),
    row("q over its length", "/search?q=" + "a" * 201, 422),
    row("id over its length", "/countries/" + "k" * 81, 422),
    row("fields over its length", "/countries?fields=" + "id," * 70, 422),
    row("parameters at the limit", "/countries?" + _params(MAX_QUERY_PARAMS), 400),
    row("parameters over the limit", "/countries?" + _params(MAX_QUERY_PARAMS + 1), 400),
    row("only ampersands", "/countries?" + "&" * 2000, 200),
    row("limit 0", "/countries?limit=0", 422),
    row("limit over 200", "/countries?limit=201", 422),
    row("limit negative", "/countries?limit=-1", 422),
    row("limit float", "/countries?limit=1.5", 422),
    row("limit huge", "/countries?limit=" + "9" * 100, 422),
    row("offset huge", "/countries?offset=" + "9" * 100, 422),
    row("offset past the end", "/countries?offset=1000000", 200),
    # percent-encoded NUL and invalid UTF-8
    row("NUL as an id", "/countries/%00", 404),
    row("NUL inside an id", "/leaders/sadyr%00japarov", 404),
    row("NUL in fields", "/countries?fields=%00", 422),
    row("NUL in q", "/search?q=%00", 200),
    row("NUL between words", "/search?q=glac%00ier", 200),
    row("NUL in limit", "/countries?limit=1%00", 422),
    row("NUL in a filter", "/countries/kg/priorities?theme=%00", 422),
    row("NUL in format", "/countries?format=%00", 422),
    row("NUL as a parameter name", "/countries?%00=1", 400),
    row("invalid UTF-8 id", "/countries/%ff%fe", 404),
    row("overlong UTF-8 id", "/sources/%c0%af", 404),
    row("surrogate id", "/themes/%ed%a0%80", 404),
    row("invalid UTF-8 fields", "/countries?fields=%ff", 422),
    row("invalid UTF-8 q", "/search?q=%ff%fe%fd", 200),
    row("invalid UTF-8 type", "/search?q=a&type=%ff", 422),
    row("invalid UTF-8 name", "/countries?%ff=1", 400),
    row("invalid UTF-8 sort", "/countries?sort=%80", 422),
    # repeated parameters
    row("limit twice", "/countries?limit=1&limit=2", 400),
    row("fields twice (the declared array style)", "/countries/kg?fields=id&fields=name", 200),
    row("q twice", "/search?q=a&q=b", 400),
    row("filter twice: either value", "/priorities?country=kg&country=kz", 200),
    row("format twice", "/countries?format=csv&format=json", 400),
    row("same name, other case", "/countries?limit=1&LIMIT=2", 400),
    row("sort 30 times", "/countries?" + "&".join(["sort=id"] * 30), 422),
    # path traversal, plain and encoded
    row("encoded slashes", "/countries/..%2f..%2fetc%2fpasswd", 404),
    row("encoded dots", "/countries/%2e%2e/%2e%2e/etc/passwd", 404),
    row("encoded dots at root", "/%2e%2e/%2e%2e/etc/passwd", 404),
    row("double-encoded", "/sources/%252e%252e%252fapp%252fmain.py", 404),
    row("backslashes", "/countries/..%5c..%5cwindows%5cwin.ini", 404),
    row("docs assets, encoded", "/static-offline-docs/..%2f..%2fapp%2fmain.py", 404),
    row("docs assets, dots", "/static-offline-docs/%2e%2e/%2e%2e/pyproject.toml", 404),
    row("the database file", "/data/summit.db", 404),
    row("a seed file", "/seeds/countries.toml", 404),
    row("file URL as an id", "/sources/file:%2f%2f%2fetc%2fpasswd", 404),
    # header injection through the URL
    row("CRLF in an id", "/countries/kg%0d%0aSet-Cookie:%20a=b", 404),
    row("CRLF in a path", "/countries%0d%0aX-Injected:%201", 404),
    row("CRLF in a value", "/countries?fields=id%0d%0aX-Injected:%201", 422),
    row("CRLF in a name", "/countries?x%0d%0aSet-Cookie:%20a=b=1", 400),
    row("CRLF in q", "/search?q=a%0d%0aSet-Cookie:%20a=b", 200),
    row("CRLF around an alias", "/countries/kg%0d%0a/priorities?limit=1", 200),
    row("tab and vertical tab alias", "/countries/%09kg%0b/priorities?limit=1", 200),
    row("em space alias", "/countries/%e2%80%83kg/priorities?limit=1", 200),
    row("no-break space alias", "/countries/kg%c2%a0/priorities?limit=1", 200),
    row("CRLF in a paged filter", "/priorities?limit=1&country=kg%0d%0aX-Injected:%201", 422),
    row("CRLF alias in a paged filter", "/priorities?limit=1&country=%0d%0akg%0d%0a", 422),
    # absurd Accept, Accept-Encoding and If-None-Match (and other headers)
    row("huge Accept", "/countries", 431, headers={"Accept": "text/csv;q=0.1, " * 1500}),
    row("malformed Accept", "/countries", 200, headers={"Accept": ";;;,,,/;q=abc, */*;q="}),
    row("nothing acceptable", "/countries", 200, 406, headers={"Accept": "image/png;q=1"}),
    row("all q=0", "/countries", 200, 406, headers={"Accept": "*/*;q=0"}),
    row("CSV with a bad q", "/countries", 200, headers={"Accept": "text/csv;q=banana"}),
    row("huge Accept-Encoding", "/countries", 431, headers={"Accept-Encoding": "gzip, " * 4000}),
    row(
        "malformed Accept-Encoding",
        "/countries",
        200,
        headers={"Accept-Encoding": "gzip;q=abc, br;q=-1, *;q=2, ;;, ,"},
    ),
    row(
        "identity refused",
        "/countries",
        200,
        406,
        headers={"Accept-Encoding": "identity;q=0, *;q=0"},
    ),
    row("huge If-None-Match", "/countries", 431, headers={"If-None-Match": ETAGS + ETAGS}),
    row("many ETags", "/countries", 200, headers={"If-None-Match": ETAGS[: MAX_HEADER_BYTES // 2]}),
    row("unterminated ETag", "/countries", 200, headers={"If-None-Match": '"abc'}),
    row("empty ETags", "/countries", 200, headers={"If-None-Match": 'W/"", "", ,,, W/'}),
    row("If-None-Match star", "/countries", 200, 304, headers={"If-None-Match": "*"}),
    row("CRLF in a header value", "/countries", 200, headers={"Accept": "a\r\nX-Injected: 1"}),
    row("huge Host", "/countries", 431, headers={"Host": "a" * 20_000}),
    row("many headers", "/countries", 431, headers={f"x-h{i}": "v" * 40 for i in range(400)}),
    row("Range on a collection", "/countries", 200, headers={"Range": "bytes=0-0,-1,5-"}),
    row("hostile Origin", "/countries", 200, headers={"Origin": "https://evil.example"}),
    row("null Origin", "/countries", 200, headers={"Origin": "null", "Cookie": "session=1"}),
    # bodies on GET and HEAD
    row("GET with a body", "/countries", 400, body=b"hello"),
    row(
        "GET with JSON",
        "/search?q=a",
        400,
        headers={"Content-Type": "application/json"},
        body=b'{"q": "a"}',
    ),
    row("HEAD with a body", "/countries", 400, method="HEAD", body=b"x" * 1000),
    row("GET, Content-Length 0", "/countries", 200, headers={"Content-Length": "0"}),
    row("OPTIONS with a body", "/countries", 204, method="OPTIONS", body=b"x"),
    # unknown methods
    *(
        row(f"{m} a collection", "/countries", 405, method=m)
        for m in ("POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FOO")
    ),
    row("POST with a body", "/countries/kg", 405, method="POST", body=b"{}" * 1000),
    row("DELETE a resource", "/countries/kg", 405, method="DELETE"),
    row("POST to an unknown path", "/nowhere", 405, method="POST"),
]


def assert_sane_headers(headers: list[tuple[str, str]]) -> None:
    names = {name.lower() for name, _ in headers}
    assert not names & {"set-cookie", "x-injected", "server"}, names
    for name, value in headers:
        assert PRINTABLE_ASCII.match(value), (name, value)
    assert ("x-content-type-options", "nosniff") in [(n.lower(), v) for n, v in headers]
    assert not any(n.lower() == "access-control-allow-credentials" for n, _ in headers)


@pytest.mark.parametrize("case", TABLE, ids=[c.name for c in TABLE])
def test_hostile_request(client: TestClient, case: Hostile) -> None:
    response = client.request(case.method, case.url, headers=case.headers, content=case.body)
    assert response.status_code in case.expect, (response.status_code, response.text[:300])
    assert_sane_headers(list(response.headers.multi_items()))
    if 400 <= response.status_code < 500 and case.method != "HEAD":
        assert_problem(response)
    if response.status_code == 405:
        assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) + len(RAW_TABLE) >= 100
    print(f"\nhostile inputs: {len(TABLE)} in-process, {len(RAW_TABLE)} over raw sockets")


def test_a_link_header_carries_the_path_percent_encoded(client: TestClient) -> None:
    response = client.get("/countries/%e2%80%83kg/priorities?limit=1")
    assert response.status_code == 200
    link = response.headers["link"]
    assert '</countries/kg/priorities>; rel="canonical"' in link
    assert '</countries/%E2%80%83kg/priorities?limit=1&offset=1>; rel="next"' in link


# --- the real server over raw sockets -------------------------------------------------


@dataclass(frozen=True)
class Raw:
    name: str
    data: bytes
    expect: frozenset[int]
    by_server: bool = False  # uvicorn's own plain-text answer, before the app


def raw(name: str, data: bytes, *expect: int, by_server: bool = False) -> Raw:
    return Raw(name, data, frozenset(expect), by_server)


def get(target: bytes, *headers: bytes, body: bytes = b"") -> bytes:
    """A GET request, byte for byte: whatever the target and headers hold goes out as is."""
    lines = b"".join(h + b"\r\n" for h in headers)
    return b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n" + lines + b"\r\n" + body


RAW_TABLE = [
    raw("request line of 100 KB", get(b"/?q=" + b"a" * 100_000), 400, by_server=True),
    raw("path of 5 KB", get(b"/" + b"a" * 5000), 414),
    raw("query of 10 KB", get(b"/search?q=" + b"a" * 10_000), 414),
    raw("raw NUL in the target", get(b"/countries/\x00"), 400, by_server=True),
    raw("raw invalid UTF-8 path", get(b"/countries/\xff\xfe"), 400, by_server=True),
    raw("raw invalid UTF-8 query", get(b"/search?q=\xff"), 400, by_server=True),
    raw("raw space in the target", get(b"/countries/k g"), 400, by_server=True),
    raw("percent-encoded NUL", get(b"/countries/%00"), 404),
    raw("percent-encoded invalid UTF-8", get(b"/countries/%ff%fe"), 404),
    raw("percent-encoded overlong UTF-8", get(b"/search?q=%c0%af"), 200),
    raw("dot segments", get(b"/countries/../../../etc/passwd"), 404),
    raw("dot segments at root", get(b"/../../etc/passwd"), 404),
    raw("dot segments into docs assets", get(b"/static-offline-docs/../../app/main.py"), 404),
    raw("encoded dot segments", get(b"/static-offline-docs/%2e%2e/%2e%2e/pyproject.toml"), 404),
    raw("absolute-form target", get(b"http://evil.example/countries"), 200),
    raw("CRLF in the path", get(b"/countries/kg%0d%0aSet-Cookie:%20a=b"), 404),
    raw("CRLF around an alias", get(b"/countries/kg%0d%0a/priorities?limit=1"), 200),
    raw("em space alias", get(b"/countries/%e2%80%83kg/priorities?limit=1"), 200),
    raw("bare CR in a header", get(b"/countries", b"Accept: a\rb"), 400, by_server=True),
    raw("header without a colon", get(b"/countries", b"Broken"), 400, by_server=True),
    raw("header of 1 MB", get(b"/countries", b"X-Big: " + b"a" * 1_000_000), 431),
    raw("5000 headers", get(b"/countries", *(b"X-%d: 1" % i for i in range(5000))), 431),
    raw("If-None-Match of 200 KB", get(b"/countries", b'If-None-Match: "a", ' * 20_000), 431),
    raw("Accept of control bytes", get(b"/countries", b"Accept: \x01\x02"), 400, by_server=True),
    raw("Accept of high bytes", get(b"/countries", b"Accept: ;;,/;q=\xff\xfe"), 200),
    raw("GET with a body", get(b"/countries", b"Content-Length: 5", body=b"hello"), 400),
    raw(
        "GET chunked",
        get(b"/countries", b"Transfer-Encoding: chunked", body=b"5\r\nhello\r\n0\r\n\r\n"),
        400,
    ),
    raw("bad Content-Length", get(b"/countries", b"Content-Length: x"), 400, by_server=True),
    raw(
        "Content-Length twice",
        get(b"/countries", b"Content-Length: 1", b"Content-Length: 2", body=b"ab"),
        400,
        by_server=True,
    ),
    raw("unknown method", b"FOO /countries HTTP/1.1\r\nHost: t\r\n\r\n", 400, by_server=True),
    raw("lower-case method", b"get /countries HTTP/1.1\r\nHost: t\r\n\r\n", 400, by_server=True),
    raw("PROPFIND", b"PROPFIND /countries HTTP/1.1\r\nHost: t\r\n\r\n", 405),
    raw("DELETE", b"DELETE /countries/kg HTTP/1.1\r\nHost: t\r\n\r\n", 405),
    raw("HTTP/1.0 without Host", b"GET /health HTTP/1.0\r\n\r\n", 200),
    raw("HTTP/9.9", b"GET /health HTTP/9.9\r\nHost: t\r\n\r\n", 400, by_server=True),
    raw(
        "a TLS ClientHello",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
        400,
        by_server=True,
    ),
]


@pytest.fixture(scope="module")
def server(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(db_path, tmp_path_factory.mktemp("hostile") / "serve.log") as live:
        yield live


@pytest.mark.parametrize("case", RAW_TABLE, ids=[c.name for c in RAW_TABLE])
def test_hostile_bytes_to_the_real_server(server: LiveServer, case: Raw) -> None:
    response = raw_request(server, case.data)
    assert response.status_code in case.expect, (response.status_code, response.content[:300])
    assert response.headers.get("server") is None
    assert response.headers.get("set-cookie") is None
    if case.by_server:
        assert response.headers.get("content-type") == "text/plain; charset=utf-8"
    else:
        assert_sane_headers(list(response.headers.multi_items()))
        if response.status_code >= 400:
            assert_problem(response)


def test_the_server_survives_the_raw_table(server: LiveServer) -> None:
    # Half a request, then a hang-up; then garbage and a hang-up: nothing may stick.
    for data in (b"GET /countries HTTP/1.1\r\nHost:", b"\x00" * 10_000):
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(data)
    response = raw_request(server, b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    assert response.status_code == 200
    log = server.log.read_text()
    assert "Traceback" not in log, log


def test_keep_alive_survives_a_refused_body(server: LiveServer) -> None:
    """The refused body is drained: the next request on the connection is read cleanly."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(get(b"/countries", b"Content-Length: 5", body=b"hello") + get(b"/health"))
        reader = ResponseReader(sock)
        first = reader.read(10)
        second = reader.read(10)
    assert (first.status_code, second.status_code) == (400, 200)
    assert json.loads(second.content)["status"] == "ok"


def test_a_link_header_re_encodes_the_decoded_path(client: TestClient) -> None:
    """A tab in an alias (which resolves: keys ignore surrounding whitespace) comes back in
    the Link header encoded once, as it was sent."""
    response = client.get("/countries/%09kg/priorities?limit=1")
    assert response.status_code == 200
    assert '</countries/%09kg/priorities?limit=1&offset=1>; rel="next"' in response.headers["link"]
