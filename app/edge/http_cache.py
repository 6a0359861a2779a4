"""The HTTP cache layer (plain ASGI): strong ETag, 304, Cache-Control, Vary and gzip for every
`200` of GET and HEAD, and whole responses kept in the bounded store (app/edge/store.py),
keyed by path, normalised query and what the representation headers select
(app/edge/negotiation.py). Never invalidated: a new dataset is a new process (README.md).
A `200` the app marks `no-store` passes through untouched.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.edge.headers import SECURITY_HEADER_NAMES
from app.edge.negotiation import (
    CSV,
    JSON,
    MAX_MEMO_KEY,
    accepts_gzip,
    etag_matches,
    joined,
    merge_vary,
    normalise_query,
    prefers_csv,
)
from app.edge.observe import EXCHANGE, Exchange
from app.edge.store import Entry, Header, Store, make_entry

MIN_GZIP_SIZE = 500
GZIP_LEVEL = 6
# Request headers the app never sees: this layer answers revalidation itself and serves
# whole representations; it passes Accept reduced to the one media type it selects.
_CONDITIONAL = frozenset((b"if-none-match", b"if-modified-since", b"if-range", b"range"))
_WITHHELD = _CONDITIONAL | {b"accept"}
# Response headers this layer recomputes or drops.
_REPLACED = frozenset((b"content-length", b"etag", b"last-modified", b"vary", b"accept-ranges"))
_COMPRESSIBLE = frozenset(
    (
        b"application/json",
        b"application/problem+json",
        b"application/javascript",
        b"application/xml",
        b"application/x-javascript",
        b"image/svg+xml",
    )
)
# Headers a 304 repeats from the 200 it stands for (RFC 9110, section 15.4.5), with the
# security headers and CORS's `access-control-*`, which layers inside set on every response.
_NOT_MODIFIED_KEEP = frozenset((b"content-location", b"expires")) | SECURITY_HEADER_NAMES


class Key(NamedTuple):
    """What selects a stored response."""

    path: str
    query: str  # normalised: app/edge/negotiation.py
    csv: bool
    gzip: bool
    key_values: tuple[bytes | None, ...]  # the values of the cache's `key_headers`


# A Key made by tuple's own constructor: NamedTuple's generated __new__ is a Python frame,
# which would cost every hit about a tenth of its time.
_new_key = tuple.__new__


def _compressible(content_type: bytes) -> bool:
    media = content_type.partition(b";")[0].strip().lower()
    return (
        media.startswith(b"text/") or media in _COMPRESSIBLE or media.endswith((b"+json", b"+xml"))
    )


def _is_json(headers: Iterable[Any]) -> bool:
    """Whether the response is JSON (orjson's bytes), by its Content-Type."""
    for name, value in headers:
        if bytes(name).lower() == b"content-type":
            media = bytes(value).partition(b";")[0].strip().lower()
            return media.endswith(b"json")
    return False


def _no_store(start: Message) -> bool:
    """A 200 that must not be kept anywhere (`/health`) passes as sent: no ETag, no 304."""
    return any(
        bytes(name).lower() == b"cache-control" and b"no-store" in bytes(value).lower()
        for name, value in start.get("headers", ())
    )


class HttpCache:
    """ETag, 304, Cache-Control, Vary, gzip and a bounded LRU of whole responses.

    `key_headers`: request headers whose values also select the response, for layers inside
    the cache that vary on them (`("origin",)` with CORS inside). A value longer than
    MAX_MEMO_KEY bytes makes the response uncacheable.

    `Vary` names only what changes the bytes: what the app's own `Vary` names (a collection:
    `Accept`, which may make it a 303 to its CSV), `Accept-Encoding` where a gzip variant
    exists, and the `key_headers`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_entries: int,
        max_bytes: int,
        cache_control: str = "public, max-age=300, stale-while-revalidate=60",
        key_headers: Sequence[str] = (),
        admit_on_second: bool = True,
    ) -> None:
        self.app = app
        self.key_headers = tuple(name.lower().encode("latin-1") for name in key_headers)
        self.key_vary = ", ".join(name.title() for name in key_headers).encode("latin-1")
        self.cache_control = cache_control.encode("latin-1")
        self.store: Store[Key] = Store(max_entries, max_bytes, admit_on_second=admit_on_second)
        self.hits = 0
        self.misses = 0

    def stats(self) -> dict[str, int]:
        """Entry count and byte total against their bounds; hits, misses, evictions so far."""
        store = self.store
        return {
            "entries": len(store.entries),
            "bytes": store.total_bytes,
            "max_entries": store.max_entries,
            "max_bytes": store.max_bytes,
            "hits": self.hits,
            "misses": self.misses,
            "evictions": store.evictions,
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        accept = accept_encoding = if_none_match = None
        key_values: dict[bytes, bytes] | None = {} if self.key_headers else None
        for name, value in scope["headers"]:
            if key_values is not None and name in self.key_headers:
                key_values.setdefault(name, value)
            if name == b"accept":
                if accept is None:  # the first, as Starlette's `headers.get` reads it
                    accept = value
            elif name == b"accept-encoding":
                accept_encoding = joined(accept_encoding, value)
            elif name == b"if-none-match":
                if_none_match = joined(if_none_match, value)
        key = _new_key(
            Key,
            (
                scope["path"],
                normalise_query(scope["query_string"]),
                prefers_csv(accept),
                accept_encoding is not None and accepts_gzip(accept_encoding),
                tuple(map(key_values.get, self.key_headers)) if key_values is not None else (),
            ),
        )
        entry = self.store.get(key)
        exchange: Exchange | None = scope.get(EXCHANGE)
        if entry is None:
            self.misses += 1
            entry = await self._fetch(scope, receive, send, key, exchange)
            if entry is None:
                return  # not a 200: already sent as the app sent it
        else:
            self.hits += 1
            if exchange is not None:
                exchange.cache, exchange.route = "hit", entry.route
        # The stored header tuples go out as they are (ASGI takes any iterable of pairs).
        if if_none_match is not None and etag_matches(if_none_match, entry.etag):
            headers = entry.not_modified_headers
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        body = b"" if scope["method"] == "HEAD" else entry.body
        await send({"type": "http.response.body", "body": body})

    def _inner_scope(self, scope: Scope, key: Key) -> Scope:
        """The full GET the app is asked for: no validators or ranges, and Accept as the one
        media type the key selected, so the app and the key can never disagree."""
        inner = dict(scope)
        inner["method"] = "GET"
        headers = [(n, v) for n, v in scope["headers"] if n not in _WITHHELD]
        headers.append((b"accept", CSV if key.csv else JSON))
        inner["headers"] = headers
        extensions = scope.get("extensions")
        if extensions and "http.response.pathsend" in extensions:
            inner["extensions"] = {
                k: v for k, v in extensions.items() if k != "http.response.pathsend"
            }
        return inner

    async def _fetch(
        self, scope: Scope, receive: Receive, send: Send, key: Key, exchange: Exchange | None
    ) -> Entry | None:
        """Ask the app for the full GET, noting the route it matched; store a 200 if allowed
        and return it, else stream the response through (no body for HEAD) and return None."""
        head = scope["method"] == "HEAD"
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if passing:
                if head and message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)
            elif message["type"] == "http.response.start":
                if message["status"] == 200 and not _no_store(message):
                    start = message
                else:
                    passing = True
                    await send(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        inner = self._inner_scope(scope, key)
        await self.app(inner, receive, capture)
        route: str | None = getattr(inner.get("route"), "path", None)
        if exchange is not None:
            exchange.cache, exchange.route = "miss", route
        if passing or start is None:
            return None
        storable = self._admit(key)
        body = b"".join(chunks)
        if storable and len(chunks) == 1 and _is_json(start.get("headers", ())):
            # A copy, exactly as long as the body: orjson's bytes keep their whole growth
            # buffer (a 6 KB body can hold 64 KB), which a long-lived cache must not inherit.
            # Other bodies (CSV, the 340 KB database file) are exact: stored as they are.
            body = bytes(memoryview(chunks[0]))
        entry, storable = self._build(key, start.get("headers", ()), body, storable, route)
        if storable:
            self.store.put(key, entry)
        return entry

    def _admit(self, key: Key) -> bool:
        """Whether the response for `key` may be stored, as far as the key goes (the response
        itself may still refuse, see _build)."""
        if any(v is not None and len(v) > MAX_MEMO_KEY for v in key.key_values):
            return False
        return self.store.admit(key)

    def _build(
        self, key: Key, app_headers: Iterable[Any], body: bytes, storable: bool, route: str | None
    ) -> tuple[Entry, bool]:
        """The entry for the app's 200, and whether it may be stored."""
        content_type = b""
        encoded = own_cache_control = False
        vary: list[str] = []
        headers: list[Header] = []
        not_modified: list[Header] = []
        for raw_name, raw_value in app_headers:
            name, value = bytes(raw_name).lower(), bytes(raw_value)
            if name in _REPLACED:
                if name == b"vary":
                    merge_vary(vary, value)
                continue
            if name == b"content-type":
                content_type = value
            elif name == b"content-encoding":
                encoded = True
            elif name == b"set-cookie":
                storable = False
            elif name == b"cache-control":
                own_cache_control = True
                if b"no-store" in value.lower() or b"private" in value.lower():
                    storable = False
                not_modified.append((name, value))
            elif name in _NOT_MODIFIED_KEEP or name.startswith(b"access-control-"):
                not_modified.append((name, value))
            headers.append((name, value))
        # sha256 (128 bits kept): see bench/README.md for why not blake2b.
        digest = hashlib.sha256(content_type + b"\n" + body).hexdigest()[:32]
        has_gzip = not encoded and len(body) >= MIN_GZIP_SIZE and _compressible(content_type)
        if has_gzip:
            merge_vary(vary, b"Accept-Encoding")
        merge_vary(vary, self.key_vary)
        if has_gzip and key.gzip:
            body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            etag = f'"{digest}-gz"'.encode()
            headers.append((b"content-encoding", b"gzip"))
        else:
            etag = f'"{digest}"'.encode()
        validators = [(b"etag", etag)]
        if vary:
            validators.append((b"vary", ", ".join(vary).encode("latin-1")))
        if not own_cache_control:
            validators.append((b"cache-control", self.cache_control))
        headers += [(b"content-length", str(len(body)).encode()), *validators]
        not_modified += validators
        key_bytes = len(key.path) + len(key.query) + sum(len(v or b"") for v in key.key_values)
        entry = make_entry(headers, not_modified, body, etag, key_bytes, route)
        return entry, storable and self.store.fits(entry)
