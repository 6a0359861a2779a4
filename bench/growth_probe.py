"""In-process probes for bench/growth.py: the Zipf URL stream over a dataset, the response
cache's hit ratio on it (the real edge, default bounds), `/search` and the OpenAPI document.

The hit ratio is read by wrapping the app's own stack (what `create_app` passes to `edge` as
`inner`) in a layer that counts the requests it sees: every request that reaches it missed
the cache. Everything else is the real thing, built as `create_app` builds it.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from itertools import accumulate
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from app.dataset.catalog import Catalog
from app.edge import edge
from app.main import create_api, create_app, dataset_labels, load_catalog
from app.openapi import HEADERS
from app.routes.context import Context
from app.settings import Settings
from bench.search_bench import asgi_get, time_asgi
from tests.support import TOP_HIT_QUERIES

SEARCH_WORDS = ("energy", "japarov", "treaty", "xi", "water", "transport")


def universe(catalog: Catalog) -> list[str]:
    """Every URL a client of this dataset would ask for: each record, each collection's pages
    at the default size, each country's priorities and summit's agreements, each theme and
    country filter, and a few searches."""
    urls: list[str] = []
    for name in catalog.by_id:
        records = catalog.collection(name)
        urls += [f"/{name}/{r.id}" for r in records]
        urls += [f"/{name}" + (f"?offset={o}" if o else "") for o in range(0, len(records), 50)]
    urls += [f"/countries/{c.id}/priorities" for c in catalog.countries]
    urls += [f"/summits/{s.id}/agreements" for s in catalog.summits]
    urls += [f"/priorities?theme={t.id}" for t in catalog.themes]
    urls += [f"/agreements?party={c.id}" for c in catalog.countries]
    urls += [f"/search?q={w}" for w in SEARCH_WORDS]
    return urls


def zipf_stream(urls: list[str], length: int, exponent: float, seed: int = 16) -> list[str]:
    """`length` requests over `urls` in a random popularity order, the k-th most popular
    asked for in proportion to 1 / k**exponent."""
    rng = random.Random(seed)
    ranked = list(urls)
    rng.shuffle(ranked)
    weights = list(accumulate(1 / (k**exponent) for k in range(1, len(ranked) + 1)))
    return rng.choices(ranked, cum_weights=weights, k=length)


class Counting:
    """The app's own stack, counting the requests that reach it (the cache's misses)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.calls += 1
        await self.app(scope, receive, send)


async def _replay(app: ASGIApp, stream: list[str]) -> None:
    for url in stream:
        parts = urlsplit(url)
        status, _ = await asgi_get(app, parts.path, dict(parse_qsl(parts.query)))
        if status != 200:
            raise SystemExit(f"{url} answered {status}")


def hit_ratio(db_path: Path, stream: list[str]) -> float:
    """The share of the stream's second half answered from the cache, with the default
    Settings bounds: the first half warms the cache, so first requests do not count."""
    settings = Settings(database_url=f"sqlite:///{db_path}")
    db, catalog = load_catalog(settings)
    api = create_api(Context(catalog, db))
    inner = Counting(api)
    app = edge(api, inner, settings, HEADERS, dataset_labels(catalog))
    half = len(stream) // 2
    asyncio.run(_replay(app, stream[:half]))
    inner.calls = 0
    asyncio.run(_replay(app, stream[half:]))
    db.close()
    return 1 - inner.calls / (len(stream) - half)


def stream_for(db_path: Path, length: int, exponent: float) -> list[str]:
    """`length` requests of the Zipf stream over the dataset's URLs."""
    db, catalog = load_catalog(Settings(database_url=f"sqlite:///{db_path}"))
    db.close()
    return zipf_stream(universe(catalog), length, exponent)


def create_app_cpu_ms(db_path: Path, repeat: int) -> float:
    """CPU time of `create_app` (catalog, routers, edge), the part of start-up that depends on
    the data; CPU time, not wall time, so that other work on the machine does not count."""
    settings = Settings(database_url=f"sqlite:///{db_path}")
    times = []
    for _ in range(repeat):
        began = time.process_time()
        create_app(settings)
        times.append(time.process_time() - began)
    return statistics.median(times) * 1000


def search_median_ms(db_path: Path, repeat: int) -> float:
    """`/search` over the tests' query set, whole app, response cache off."""
    settings = Settings(database_url=f"sqlite:///{db_path}", response_cache_entries=0)
    app = create_app(settings)
    samples, _ = asyncio.run(time_asgi(app, list(dict.fromkeys(TOP_HIT_QUERIES)), repeat))
    return statistics.median(samples) * 1000


def openapi_build(db_path: Path, repeat: int) -> tuple[int, float]:
    """The document's size (compact JSON bytes, as `/openapi.json` serves it) and the median
    time FastAPI takes to generate it and `openapi.finish` to post-process it."""
    settings = Settings(database_url=f"sqlite:///{db_path}")
    db, catalog = load_catalog(settings)
    api = create_api(Context(catalog, db))
    status, body = asyncio.run(
        asgi_get(edge(api, api, settings, HEADERS, dataset_labels(catalog)), "/openapi.json", {})
    )
    if status != 200:
        raise SystemExit(f"/openapi.json answered {status}")
    times = []
    for _ in range(repeat):  # a fresh app each time: the document is made on first use
        fresh = create_api(Context(catalog, db))
        began = time.perf_counter()
        fresh.openapi()
        times.append(time.perf_counter() - began)
    db.close()
    return len(body), statistics.median(times) * 1000
