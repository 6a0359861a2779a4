"""The edge: plain ASGI layers in front of the app, composed by `edge` (outermost first): the
request id, metrics and access log; the request limits and the edge's own answers; the
response cache; then the security headers and CORS; then the app. bench/README.md says why
in this order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fastapi import FastAPI
from starlette.types import ASGIApp

from app.edge.cors import expose_list
from app.edge.headers import DOCS_PATHS, REDOC_BUNDLE, with_headers
from app.edge.http_cache import HttpCache
from app.edge.limits import RequestLimits
from app.edge.metrics import METRICS_PATH, Metrics
from app.edge.observe import Observe
from app.settings import Settings

# fastapi_offline's default mount for the docs' assets.
DOCS_ASSETS = "/static-offline-docs/"


def edge(
    app: FastAPI,
    inner: ASGIApp,
    settings: Settings,
    headers: Iterable[str],
    dataset: Mapping[str, str],
) -> ASGIApp:
    """`inner` (the app's own stack) behind the edge; CORS runs inside the cache, so the cache
    keys on Origin too, unless every origin gets the same `*`; a page may read every one of
    `headers` (the response headers the app sets). The docs, their assets, the OpenAPI
    document and `/metrics` are fixed files. `/metrics` (labelled with `dataset`) is a route
    of `app` outside its document: README.md, "Operations", says why."""
    expose = expose_list(headers)
    fixed = frozenset(
        path for path in (*DOCS_PATHS, REDOC_BUNDLE, app.openapi_url, METRICS_PATH) if path
    )
    by_origin = "*" not in settings.cors_origins
    cache = HttpCache(
        with_headers(inner, settings.cors_origins, expose),
        max_entries=settings.response_cache_entries,
        max_bytes=settings.response_cache_bytes,
        cache_control=f"public, max-age={settings.cache_max_age}, "
        f"stale-while-revalidate={settings.cache_stale_while_revalidate}",
        key_headers=("origin",) if by_origin else (),
    )
    metrics = Metrics(cache.stats, dataset)
    app.add_route(METRICS_PATH, metrics.endpoint, methods=["GET"], include_in_schema=False)
    limits = RequestLimits(
        cache,
        wrap=lambda answers: with_headers(answers, settings.cors_origins, expose),
        fixed_paths=fixed,
        fixed_prefixes=(DOCS_ASSETS,),
    )
    return Observe(
        limits,
        metrics,
        access_log=settings.access_log,
        fixed_paths=fixed,
        fixed_prefixes=(DOCS_ASSETS,),
    )
