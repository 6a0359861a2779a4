"""What Prometheus scrapes at `GET /metrics`: requests by route template and status, their
latency by route, the response cache's hits, misses and evictions, and the dataset served.

The counts are plain ints kept per app (`Metrics`), turned into metric families only when
scraped: a request costs a dict look-up and three additions, no lock and no label look-up.
Every count is made on the event loop's one thread (the edge layers are async), so plain
ints are exact. Each app has its own CollectorRegistry: nothing is registered at import.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from starlette.requests import Request
from starlette.responses import Response

METRICS_PATH = "/metrics"
# The classic text format, which every Prometheus reads (our names need nothing newer).
MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Upper bounds in seconds, from a cache hit (tens of µs inside the app) to a slow miss.
BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
BUCKET_LABELS = (*(f"{bound:g}" for bound in BUCKETS), "+Inf")
# The route label of an answer no route template matched: the edge's own (app/edge/limits.py)
# and the app's 404 for a path it does not route. Raw paths never become labels.
EDGE = "(edge)"
UNMATCHED = "(unmatched)"

CacheStats = Callable[[], Mapping[str, int]]


class RouteStats:
    """One route template's counts: requests by status, and the latency histogram."""

    __slots__ = ("buckets", "statuses", "total_seconds")

    def __init__(self) -> None:
        self.statuses: dict[int, int] = {}
        self.buckets = [0] * (len(BUCKETS) + 1)  # per bucket, not cumulative; last: +Inf
        self.total_seconds = 0.0


class Metrics:
    """The counts of one app, and its registry: these counts (as `collect`), the cache's
    figures read from `cache_stats` at scrape time, and the process's own collectors."""

    def __init__(self, cache_stats: CacheStats, dataset: Mapping[str, str]) -> None:
        self.routes: dict[str, RouteStats] = {}
        self.cache_stats = cache_stats
        self.dataset = dict(dataset)
        self.registry = CollectorRegistry()
        self.registry.register(self)
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)

    def observe(self, route: str, status: int, seconds: float) -> None:
        """Count one answer of `route` (a template, EDGE or UNMATCHED)."""
        stats = self.routes.get(route)
        if stats is None:
            stats = self.routes[route] = RouteStats()
        statuses = stats.statuses
        statuses[status] = statuses.get(status, 0) + 1
        stats.buckets[bisect_left(BUCKETS, seconds)] += 1
        stats.total_seconds += seconds

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "summit_http_requests",
            "Requests answered, by route template and status.",
            labels=["route", "status"],
        )
        latency = HistogramMetricFamily(
            "summit_http_request_duration_seconds",
            "Time from a request's arrival at the edge to its last byte handed to the server.",
            labels=["route"],
        )
        for route, stats in sorted(self.routes.items()):
            for status, count in sorted(stats.statuses.items()):
                requests.add_metric([route, str(status)], count)
            cumulative, running = [], 0
            for label, count in zip(BUCKET_LABELS, stats.buckets, strict=True):
                running += count
                cumulative.append((label, float(running)))
            latency.add_metric([route], cumulative, stats.total_seconds)
        yield requests
        yield latency
        yield from self.cache_families()
        yield InfoMetricFamily("summit_dataset", "The dataset this process serves.", self.dataset)

    def cache_families(self) -> Iterator[Metric]:
        stats = self.cache_stats()
        for name, what in (
            ("hits", "Answers from the response cache (200 or 304)."),
            ("misses", "Requests the response cache passed to the app."),
            ("evictions", "Entries dropped to stay within the cache's bounds."),
        ):
            yield CounterMetricFamily(f"summit_response_cache_{name}", what, stats[name])
        yield GaugeMetricFamily(
            "summit_response_cache_entries", "Entries in the response cache.", stats["entries"]
        )
        yield GaugeMetricFamily(
            "summit_response_cache_bytes",
            "Bytes the response cache holds, as it counts them (RESPONSE_CACHE_BYTES bounds it).",
            stats["bytes"],
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)

    async def endpoint(self, request: Request) -> Response:
        """`GET /metrics`: about this moment and this process, so never stored anywhere."""
        return Response(
            self.render(),
            media_type=MEDIA_TYPE,
            headers={"Cache-Control": "no-store"},
        )
