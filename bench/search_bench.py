"""Benchmark: how fast /search answers, in-process, over the whole query set of the tests.

    .venv/bin/python bench/search_bench.py [--repeat N]

Builds the database from seeds/ with the real loader into a temporary directory, creates the
real app with the response cache turned off (`Settings(response_cache_entries=0)`, so every
request runs the search rather than a cache lookup), and sends every query of the ranking
table in tests/support.py (which tests/test_search.py checks) `--repeat` times through the
whole app: every middleware, parameter validation, FTS5, JSON and ETag. No sockets, no
server. Three timings:

* ASGI: the app called as the ASGI spec says (scope, receive, send), timed from the call
  to the last body message: the time the API takes to answer. This is the figure checked
  against the target.
* httpx: the same through `httpx.AsyncClient(transport=httpx.ASGITransport(app))`, which
  adds the client's own cost of building the request and reading the response.
* run_search(): the SQL and the hit rows alone.

Public tools only: the ASGI interface, httpx, time.perf_counter, statistics. Prints the
median, p90 and p99; exits 1 if the ASGI median is not under the target.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

import httpx
from starlette.types import ASGIApp, Message

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `app` and `tests` importable
    sys.path.insert(0, str(ROOT))

from app import loader  # noqa: E402
from app.dataset.db import open_snapshot, read_snapshot  # noqa: E402
from app.dataset.search import search as run_search  # noqa: E402
from app.main import create_app  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.support import TOP_HIT_QUERIES  # noqa: E402

TARGET_MS = 2.0


def summary(label: str, seconds: Sequence[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return (
        f"{label:<34} median {statistics.median(ms):6.3f} ms   p90 {cuts[89]:6.3f} ms   "
        f"p99 {cuts[98]:6.3f} ms   (n={len(ms)})"
    )


async def time_requests(
    client: httpx.AsyncClient, queries: Sequence[str], repeat: int, headers: dict[str, str]
) -> tuple[list[float], dict[str, list[float]]]:
    samples: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in queries}
    for round_ in range(repeat + 1):
        for q in queries:
            start = time.perf_counter()
            response = await client.get("/search", params={"q": q}, headers=headers)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"/search?q={q!r} answered {response.status_code}")
            if round_:  # round 0 warms up
                samples.append(elapsed)
                per_query[q].append(elapsed)
    return samples, per_query


async def asgi_get(app: ASGIApp, path: str, params: dict[str, str]) -> tuple[int, bytes]:
    """One GET through the ASGI interface, as a server would make it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(params).encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept-encoding", b"identity")],
        "server": ("bench", 80),
        "client": ("127.0.0.1", 50000),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


async def time_asgi(
    app: ASGIApp, queries: Sequence[str], repeat: int
) -> tuple[list[float], dict[str, list[float]]]:
    samples: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in queries}
    for round_ in range(repeat + 1):
        for q in queries:
            start = time.perf_counter()
            status, _ = await asgi_get(app, "/search", {"q": q})
            elapsed = time.perf_counter() - start
            if status != 200:
                raise SystemExit(f"/search?q={q!r} answered {status}")
            if round_:  # round 0 warms up
                samples.append(elapsed)
                per_query[q].append(elapsed)
    return samples, per_query


def time_calls(call: Callable[[str], object], queries: Sequence[str], repeat: int) -> list[float]:
    samples = []
    for round_ in range(repeat + 1):
        for q in queries:
            start = time.perf_counter()
            call(q)
            elapsed = time.perf_counter() - start
            if round_:
                samples.append(elapsed)
    return samples


async def main(repeat: int) -> int:
    queries = list(dict.fromkeys(TOP_HIT_QUERIES))
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        db_path = Path(tmp) / "summit.db"
        loader.load(ROOT / "seeds", db_path)
        app = create_app(Settings(database_url=f"sqlite:///{db_path}", response_cache_entries=0))
        asgi, per_query = await time_asgi(app, queries, repeat)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            plain, _ = await time_requests(client, queries, repeat, {"Accept-Encoding": "identity"})
            gzipped, _ = await time_requests(client, queries, repeat, {"Accept-Encoding": "gzip"})
        db = open_snapshot(read_snapshot(db_path))
        direct = time_calls(lambda q: run_search(db, q), queries, repeat)
        db.close()

    median_ms = statistics.median(asgi) * 1000
    slowest = max(per_query, key=lambda q: statistics.median(per_query[q]))
    print(
        f"/search, {len(queries)} queries (tests/test_search.py) x {repeat} rounds, "
        "in-process, response cache off"
    )
    print(summary("ASGI app, whole stack", asgi))
    print(summary("httpx ASGITransport, identity", plain))
    print(summary("httpx ASGITransport, gzip", gzipped))
    print(summary("run_search() alone (SQL + rows)", direct))
    print(
        f"slowest query by median: {slowest!r} "
        f"{statistics.median(per_query[slowest]) * 1000:.3f} ms"
    )
    verdict = "ok" if median_ms < TARGET_MS else "TOO SLOW"
    print(f"median {median_ms:.3f} ms per request; target < {TARGET_MS} ms: {verdict}")
    return 0 if median_ms < TARGET_MS else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=50, help="rounds over the query set")
    raise SystemExit(asyncio.run(main(parser.parse_args().repeat)))
