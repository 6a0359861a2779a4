"""The outermost edge layer (plain ASGI): an `X-Request-ID` on every answer, each answer counted
for `/metrics` (app/edge/metrics.py), and one JSON access-log line per request.

The layers inside say what only they know through the request's `Exchange`: the cache
whether it hit and which route template made the entry; the edge's own answers leave the
route unset. The request id is the request's own `X-Request-ID` when it is a sane token
(so a proxy's or a client's id follows the request through), else 128 random bits in hex.
"""

from __future__ import annotations

import logging
import re
from binascii import hexlify
from os import urandom
from time import perf_counter
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.edge.metrics import EDGE, UNMATCHED, Metrics

# The scope key of the request's Exchange.
EXCHANGE = "summit.exchange"
REQUEST_ID_HEADER = b"x-request-id"
# What is taken as it comes: short, and nothing a log line or a header could be split on.
SANE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,128}")
ACCESS_LOGGER = "summit.access"
# A logged path or query is cut at what the edge accepts (app/edge/limits.py).
MAX_LOGGED = 4096


class Exchange:
    """What the layers inside tell this one about a request."""

    __slots__ = ("cache", "route")

    def __init__(self) -> None:
        self.route: str | None = None  # the route template the app matched, if it named one
        self.cache: str | None = None  # "hit" or "miss"; None when the cache was not asked


def request_id(headers: Any) -> bytes:
    """The request's first X-Request-ID if it is sane, else a new one."""
    for name, value in headers:
        if name == REQUEST_ID_HEADER:
            if SANE_REQUEST_ID.fullmatch(value):
                return bytes(value)
            break
    return hexlify(urandom(16))


class Observe:
    """Request id, metrics and access log around `app` (the rest of the edge).

    `fixed_paths` and `fixed_prefixes` name the fixed files, whose routes name no template
    (the OpenAPI document, the docs' assets): each is its own route label."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics,
        *,
        access_log: bool,
        fixed_paths: frozenset[str] = frozenset(),
        fixed_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.logger = logging.getLogger(ACCESS_LOGGER) if access_log else None
        self.fixed_paths = fixed_paths
        self.fixed_prefixes = fixed_prefixes

    def route_label(self, path: str, exchange: Exchange) -> str:
        """The template the app matched; else a fixed file's path or prefix; else EDGE for
        the edge's own answers (the cache never asked) or UNMATCHED: never a raw path."""
        if exchange.route is not None:
            return exchange.route
        if exchange.cache is None:
            return EDGE
        if path in self.fixed_paths:
            return path
        for prefix in self.fixed_prefixes:
            if path.startswith(prefix):
                return prefix + "{path}"
        return UNMATCHED

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = perf_counter()
        rid = request_id(scope["headers"])
        header = (REQUEST_ID_HEADER, rid)
        exchange = scope[EXCHANGE] = Exchange()
        status = 0
        sent = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = perf_counter() - began
            route = self.route_label(scope["path"], exchange)
            # Nothing sent means the app raised: the server answers 500.
            self.metrics.observe(route, status or 500, seconds)
            if self.logger is not None and self.logger.isEnabledFor(logging.INFO):
                self.log(scope, route, status or 500, seconds, sent, rid, exchange.cache)

    def log(
        self,
        scope: Scope,
        route: str,
        status: int,
        seconds: float,
        sent: int,
        rid: bytes,
        cache: str | None,
    ) -> None:
        assert self.logger is not None
        line = {
            "method": scope["method"][:20],
            "path": scope["path"][:MAX_LOGGED],
            "query": scope["query_string"][:MAX_LOGGED].decode("latin-1"),
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 3),
            "bytes": sent,
            "request_id": rid.decode("ascii"),
            "cache": cache,
        }
        self.logger.info(orjson.dumps(line).decode())


def logging_config(base: dict[str, Any]) -> dict[str, Any]:
    """A `logging.config.dictConfig` dict: `base` (uvicorn's) plus the access log, one JSON
    object per line on stdout, as is (no prefix: a log shipper parses each line)."""
    return {
        **base,
        "formatters": {**base.get("formatters", {}), "summit_json": {"format": "%(message)s"}},
        "handlers": {
            **base.get("handlers", {}),
            "summit_access": {
                "class": "logging.StreamHandler",
                "formatter": "summit_json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            **base.get("loggers", {}),
            ACCESS_LOGGER: {"handlers": ["summit_access"], "level": "INFO", "propagate": False},
        },
    }
