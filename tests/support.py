"""What tests and bench/ share: a real server process on a free port, a raw-socket response
reader, the problem+json assertion, the edge's test helpers, the clients' npm folder,
and the search table (tests/test_search.py checks it, bench/search_bench.py times it).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from starlette.types import ASGIApp

from app.edge.http_cache import HttpCache

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 30.0
PROBLEM = "application/problem+json"
PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "instance"})
CLIENT = ROOT / "clients"  # the one npm folder: generated clients, Redocly, Spectral


# --- problem+json ----------------------------------------------------------------------


class AnyResponse(Protocol):
    """httpx's, schemathesis's and RawResponse: a status, headers and the body as bytes."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, Any]: ...

    @property
    def content(self) -> bytes: ...


def assert_problem(
    response: AnyResponse, status: int | None = None, parameter: str | None = None
) -> dict[str, Any]:
    """The response is RFC 9457 problem+json of `status` (by default its own) with every
    member; with `parameter`, its detail and its `errors` name that parameter. Returns the
    body."""
    status = response.status_code if status is None else status
    content_type = response.headers.get("content-type")
    if isinstance(content_type, list):  # schemathesis keeps every value of a header
        content_type = content_type[0]
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert content_type == PROBLEM, (status, content_type, response.content[:200])
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    assert set(body) >= PROBLEM_MEMBERS, body
    if parameter is not None:
        assert parameter in body["detail"], body
        assert parameter in [e["name"] for e in body["errors"]], body
    return body


# --- a real server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def uvicorn_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "app.main:create_app",
        "--port",
        str(port),
    ]


def serve_command(port: int, workers: int = 1) -> list[str]:
    """`summit-api serve`, as production starts it (uvicorn with httptools, no server header)."""
    return [sys.executable, "-m", "app.cli", "serve", "--port", str(port)] + (
        ["--workers", str(workers)] if workers != 1 else []
    )


def env_for(db_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"}


def http_get(
    port: int, path: str, headers: Mapping[str, str] | None = None, timeout: float = 5
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers (names in lower case, in order) and body of one GET to 127.0.0.1."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=dict(headers or {}))
        response = conn.getresponse()
        return response.status, [(k.lower(), v) for k, v in response.getheaders()], response.read()
    finally:
        conn.close()


def wait_until_ready(
    process: subprocess.Popen[bytes],
    port: int,
    path: str = "/health",
    timeout: float = STARTUP_TIMEOUT,
    poll: float = 0.1,
    log_path: Path | None = None,
) -> None:
    """Return once GET `path` answers 200; raise AssertionError if the process exits or the
    time runs out (with the log, if there is one)."""
    deadline = time.monotonic() + timeout

    def log() -> str:
        return log_path.read_text() if log_path is not None else ""

    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {log()}")
        try:
            if http_get(port, path, timeout=1)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(poll)
    raise AssertionError(f"server did not answer 200 on {path} within {timeout}s: {log()}")


def stop(process: subprocess.Popen[Any]) -> None:
    """Terminate and wait; kill if it does not stop within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running(command: Sequence[str], db_path: Path, port: int, log_path: Path) -> Iterator[str]:
    """Start `command` serving `db_path` on `port`, logging to `log_path`; yield its base
    URL once `/health` answers. The process is stopped (and waited for) on exit."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env_for(db_path), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_ready(process, port, log_path=log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


@dataclass
class LiveServer:
    host: str
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def live_server(db_path: Path, log: Path) -> Iterator[LiveServer]:
    """`summit-api serve` on a free port."""
    port = free_port()
    with running(serve_command(port), db_path, port, log):
        yield LiveServer("127.0.0.1", port, log)


# --- raw sockets -------------------------------------------------------------------------


@dataclass
class RawResponse:
    status_code: int
    headers: httpx.Headers
    content: bytes


def raw_request(server: LiveServer, data: bytes, timeout: float = 10) -> RawResponse:
    """Send bytes as they are; read one response (Content-Length framed) or until close."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(data)
        return ResponseReader(sock).read(timeout)


class ResponseReader:
    """Reads responses one after another off a connection (keep-alive, pipelining)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def read(self, timeout: float) -> RawResponse:
        deadline = time.monotonic() + timeout
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
                if length and len(rest) >= int(length.group(1)):
                    self.buffer = rest[int(length.group(1)) :]
                    return _parse(head, rest[: int(length.group(1))])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no complete response in {timeout}s: {self.buffer[:200]!r}")
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                if sep:
                    self.buffer = b""
                    return _parse(head, rest)
                raise ConnectionError(f"closed without a response: {self.buffer[:200]!r}")
            self.buffer += chunk


def _parse(head: bytes, body: bytes) -> RawResponse:
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = [(k.strip().lower(), v.strip()) for k, _, v in (x.partition(":") for x in lines)]
    return RawResponse(int(status_line.split()[1]), httpx.Headers(headers), body)


# --- the edge ----------------------------------------------------------------------------

IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}
STRONG_ETAG = re.compile(r'^"[0-9a-f]{32}"$')
STRONG_GZIP_ETAG = re.compile(r'^"[0-9a-f]{32}-gz"$')


def cache_of(app: ASGIApp) -> HttpCache:
    """The HttpCache instance in an app's edge."""
    layer: object = getattr(app, "edge", app)
    while not isinstance(layer, HttpCache):
        layer = getattr(layer, "app")  # noqa: B009 - every layer keeps the next in `.app`
    return layer


def raw_get(client: TestClient, url: str, headers: dict[str, str]) -> tuple[httpx2.Headers, bytes]:
    """The body as it went over the wire, not decompressed."""
    with client.stream("GET", url, headers=headers) as response:
        return response.headers, b"".join(response.iter_raw())


# --- the TypeScript client ---------------------------------------------------------------


def ensure_node_modules() -> None:
    """`npm ci` when node_modules is missing or older than the lock file."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed for the typed client and the Spectral lint")
    installed = CLIENT / "node_modules" / ".package-lock.json"
    lock = CLIENT / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- search: what a typeahead user types and the hit they expect at the top ----------------

JAPAROV = ("leader", "sadyr-japarov")
RAHMON = ("leader", "emomali-rahmon")
BERDIMUHAMEDOW = ("leader", "serdar-berdimuhamedow")
MIRZIYOYEV = ("leader", "shavkat-mirziyoyev")
CEBOTAREV = ("statement", "cebotarev-first-international-legal-document")
TJ_ENDORSES_KG = ("priority", "astana-2025-tj-agreement-with-kyrgyz-priorities")

# (what the user types, the (type, id) they expect first)
TOP_HITS: list[tuple[str, tuple[str, str]]] = [
    # the Kyrgyz president, however his name is written
    ("zaparov", JAPAROV),
    ("Žaparov", JAPAROV),
    ("ZAPAROV", JAPAROV),
    ("žAPAROV", JAPAROV),
    ("Z\u030caparov", JAPAROV),  # decomposed (NFD) Ž, as some keyboards send it
    ("ＺＡＰＡＲＯＶ", JAPAROV),  # fullwidth
    ("Japarov", JAPAROV),
    ("japarov", JAPAROV),
    ("Zhaparov", JAPAROV),
    ("Sadyr Žaparov", JAPAROV),
    ("sadyr zhaparov", JAPAROV),
    ("SaDyR", JAPAROV),
    ("japa", JAPAROV),
    # the Tajik president
    ("Rahmon", RAHMON),
    ("Rakhmon", RAHMON),
    ("RAKHMON", RAHMON),
    ("emomali", RAHMON),
    ("Emomali Rakhmon", RAHMON),
    # the Tajik endorsement of Žaparov's needs, by either president in either spelling
    ("rakhmon zaparov", TJ_ENDORSES_KG),
    ("Rahmon Žaparov", TJ_ENDORSES_KG),
    ("zaparov needs", TJ_ENDORSES_KG),
    # the Turkmen president
    ("Berdimuhamedow", BERDIMUHAMEDOW),
    ("Berdymukhamedov", BERDIMUHAMEDOW),
    ("Berdimuhamedov", BERDIMUHAMEDOW),
    ("berdy", BERDIMUHAMEDOW),
    ("serdar", BERDIMUHAMEDOW),
    # the Uzbek, Kazakh and Chinese presidents
    ("mirz", MIRZIYOYEV),
    ("Mirziyoyev", MIRZIYOYEV),
    ("tokay", ("leader", "kassym-jomart-tokayev")),
    ("Kassym-Jomart", ("leader", "kassym-jomart-tokayev")),
    ("xi jinping", ("leader", "xi-jinping")),
    ("jinp", ("leader", "xi-jinping")),
    # a speaker with no record of their own is found through what he said
    ("Čebotarev", CEBOTAREV),
    ("cebotarev", CEBOTAREV),
    ("CEBOTAREV", CEBOTAREV),
    ("Chebotarev", CEBOTAREV),
    ("andrei chebotarev", CEBOTAREV),
    ("cebo", CEBOTAREV),
    # prefixes and several words
    ("glacier centre", ("priority", "astana-2025-tj-specialised-centre-dushanbe")),
    ("dushanbe glac", ("priority", "astana-2025-tj-specialised-centre-dushanbe")),
    ("rare earth", ("theme", "rare-earths")),
    # Japarov's own words (24.kg) name the processing in his description too.
    ("rare earth processing japarov", ("priority", "astana-2025-kg-rare-earth-processing")),
    ("electronic silk road", ("priority", "astana-2025-uz-electronic-silk-road")),
    ("Electronic Silk", ("priority", "astana-2025-uz-electronic-silk-road")),
    ("ELECTRONIC silk ROAD", ("priority", "astana-2025-uz-electronic-silk-road")),
    ("natural gas", ("priority", "astana-2025-tm-natural-gas-diversification")),
    ("belt and road", ("theme", "belt-and-road")),
    (
        "eternal good",
        ("agreement", "treaty-on-eternal-good-neighborliness-friendship-and-cooperation"),
    ),
    (
        "eternal neighbourhood",
        ("statement", "commentators-how-eternal-neighbourhood-will-evolve"),
    ),
    ("yuan", ("agreement", "astana-2025-cny-1-5-billion-for-central-asia")),
    # summits by city, with and without the apostrophe; countries by name and code
    ("xian", ("summit", "xian-2023")),
    ("Xi'an", ("summit", "xian-2023")),
    ("Xi’an 2023", ("summit", "xian-2023")),
    ("astana 2025", ("summit", "astana-2025")),
    ("kyrgyz", ("country", "kg")),
    ("KGZ", ("country", "kg")),
    ("417", ("country", "kg")),
    ("bishkek", ("country", "kg")),
    ("turkmenistan", ("country", "tm")),
    # the author: his own statements (a speaker's name is that record's alias) before the
    # article he wrote (sources rank a little below the records they support)
    ("rozanskij", ("statement", "rozanskij-summit-priorities")),
    ("rozanskij kazakhstan", ("statement", "rozanskij-relations-develop-through-kazakhstan")),
    ("rozanskij beijing", ("source", "asianews-2025-06-26-astana-summit")),
]
TOP_HIT_QUERIES = [q for q, _ in TOP_HITS]
