"""The request id and the access log (app/edge/observe.py): an `X-Request-ID` on every kind of
answer, the caller's when sane and a new one otherwise, declared and exposed; one JSON line
per request on the `summit.access` logger, and on `summit-api serve`'s stdout."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import build
from tests.support import IDENTITY, http_get, live_server

MADE = re.compile(r"[0-9a-f]{32}")
SANE = "trace-7.Alpha_0"


def test_a_request_without_an_id_gets_a_new_one_each_time(client: TestClient) -> None:
    first = client.get("/countries").headers["x-request-id"]
    second = client.get("/countries").headers["x-request-id"]
    assert MADE.fullmatch(first)
    assert MADE.fullmatch(second)
    assert first != second


# Every kind of answer: the app's 200 (a miss, then from the store), a 304, a 303 to the
# CSV, the app's problems (404, 400, 422), the edge's own (405, 400 on a fixed file, 307,
# 204, 414), the CORS preflight, /health, /metrics, the document and the docs.
ANSWERS: list[tuple[str, str, dict[str, str], int]] = [
    ("GET", "/countries", {}, 200),
    ("GET", "/countries", {}, 200),
    ("GET", "/countries", {}, 200),
    ("HEAD", "/countries/kg", {}, 200),
    ("GET", "/countries", {"If-None-Match": "*"}, 304),
    ("GET", "/countries?format=csv", {}, 303),
    ("GET", "/countries/no-such-id", {}, 404),
    ("GET", "/nowhere", {}, 404),
    ("GET", "/countries?colour=red", {}, 400),
    ("GET", "/countries?limit=0", {}, 422),
    ("DELETE", "/countries", {}, 405),
    ("GET", "/openapi.json?x=1", {}, 400),
    ("GET", "/countries/", {}, 307),
    ("OPTIONS", "/countries", {}, 204),
    (
        "OPTIONS",
        "/countries",
        {"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
        204,
    ),
    ("GET", "/search?q=" + "a" * 5000, {}, 414),
    ("GET", "/health", {}, 200),
    ("GET", "/metrics", {}, 200),
    ("GET", "/openapi.json", {}, 200),
    ("GET", "/docs", {}, 200),
]


@pytest.mark.parametrize(("method", "url", "headers", "status"), ANSWERS)
def test_every_answer_carries_the_callers_sane_id(
    client: TestClient, method: str, url: str, headers: dict[str, str], status: int
) -> None:
    response = client.request(
        method, url, headers={**headers, "X-Request-ID": SANE}, follow_redirects=False
    )
    assert response.status_code == status
    assert response.headers.get_list("x-request-id") == [SANE]


@pytest.mark.parametrize(
    "given",
    [
        "a" * 129,  # too long
        "two words",
        "tab\there",
        "semi;colon",
        "a,b",  # a list, or two ids folded into one
        "",
        "caf\xe9",  # not ASCII
        "\x01",
        "line\x7fdelete",
        "../../etc/passwd",  # `/`
    ],
)
def test_an_insane_id_is_replaced(client: TestClient, given: str) -> None:
    headers = [(b"x-request-id", given.encode("latin-1"))]
    for url, status in (("/countries", 200), ("/nowhere", 404)):
        response = client.get(url, headers=headers)
        assert response.status_code == status
        assert MADE.fullmatch(response.headers["x-request-id"]), given


def test_the_longest_sane_id_is_kept(client: TestClient) -> None:
    given = "A-z.0_" * 21 + "xy"  # 128 characters
    assert (
        client.get("/countries", headers={"X-Request-ID": given}).headers["x-request-id"] == given
    )


def test_the_first_of_two_ids_is_taken(client: TestClient) -> None:
    headers = [(b"x-request-id", b"first"), (b"x-request-id", b"second")]
    assert client.get("/countries", headers=headers).headers["x-request-id"] == "first"


def test_browsers_may_read_it(client: TestClient) -> None:
    response = client.get("/countries", headers={"Origin": "https://app.example"})
    exposed = response.headers["access-control-expose-headers"].lower().split(", ")
    assert "x-request-id" in exposed


def test_every_declared_response_declares_it(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    declared = document["components"]["headers"]["X-Request-ID"]
    assert declared["schema"] == {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"}
    count = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                ref = response.get("headers", {}).get("X-Request-ID")
                assert ref == {"$ref": "#/components/headers/X-Request-ID"}, (path, method, status)
                count += 1
    assert count > 100


# --- the access log ----------------------------------------------------------------------


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    records = [r for r in caplog.records if r.name == "summit.access"]
    return [json.loads(r.getMessage()) for r in records]


def test_one_json_line_per_request(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="summit.access")
    with TestClient(build(db_path)) as client:
        sizes = []
        for _ in range(3):
            response = client.get(
                "/countries/kg?fields=id", headers={**IDENTITY, "X-Request-ID": SANE}
            )
            sizes.append(len(response.content))
        refused = client.post("/countries")
    lines = access_lines(caplog)
    assert len(lines) == 4
    for line in lines:
        assert isinstance(line.pop("duration_ms"), float)
    common = {
        "method": "GET",
        "path": "/countries/kg",
        "query": "fields=id",
        "route": "/countries/{country_id}",
        "status": 200,
        "request_id": SANE,
    }
    assert lines[:3] == [
        {**common, "bytes": sizes[0], "cache": "miss"},
        {**common, "bytes": sizes[1], "cache": "miss"},  # stored on its second request
        {**common, "bytes": sizes[2], "cache": "hit"},
    ]
    assert sizes[0] == len(b'{"id":"kg"}')
    assert MADE.fullmatch(lines[3].pop("request_id"))
    assert lines[3] == {
        "method": "POST",
        "path": "/countries",
        "query": "",
        "route": "(edge)",
        "status": 405,
        "bytes": len(refused.content),
        "cache": None,
    }


def test_off_when_the_setting_says_so(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="summit.access")
    with TestClient(build(db_path, access_log=False)) as client:
        assert client.get("/countries").status_code == 200
    assert access_lines(caplog) == []


def test_summit_api_serve_writes_it_to_stdout(db_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with live_server(db_path, log) as server:
        status, headers, body = http_get(server.port, "/sources?limit=1", {"X-Request-ID": SANE})
        assert status == 200
        assert ("x-request-id", SANE) in headers
        deadline = time.monotonic() + 5
        while SANE not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
    ours = [json.loads(line) for line in log.read_text().splitlines() if SANE in line]
    assert len(ours) == 1
    assert ours[0]["route"] == "/sources"
    assert ours[0]["query"] == "limit=1"
    assert ours[0]["bytes"] == len(body)
