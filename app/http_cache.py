"""HTTP caching for an immutable dataset: ETag, 304, Cache-Control, Vary, gzip, and a bounded
in-process response cache, as one plain ASGI layer (like Starlette's own GZipMiddleware).

Why a cache that is never invalidated is correct here: the database is opened read-only
and immutable, and the loader replaces the file instead of changing it, so nothing a
request can see changes while a process runs. Every response is a pure function of the
request; a new dataset means a new process (a new deployment), which starts with an empty
cache. There is therefore no invalidation and no TTL: entries leave only when the LRU
bounds push them out.

What this layer does, for GET and HEAD only (anything else passes straight through):

* The key is the path, the query string normalised (parameters stable-sorted by name,
  repeated names kept in order, percent-encoding re-done canonically, parsed exactly as the
  app parses it), and the request headers that change the representation, reduced to what
  they select: CSV or JSON (mirroring `app.listing.wants_csv`) and gzip or identity.
  HEAD and GET share entries: a HEAD miss asks the app for the GET and drops the body.
* Only `200` responses are kept, and not those with `Set-Cookie` or a `Cache-Control` of
  `no-store` or `private` (a route opts out by sending one). Anything that is not a `200`
  streams through untouched.
* Every `200`, stored or not, gets a strong `ETag` (a hash of the identity body and its
  content type, so the same on every replica and after a restart; the gzip variant has its
  own), `Cache-Control` (unless the app set one) and `Vary: Accept, Accept-Encoding`. The
  app's own `ETag` and `Last-Modified` (the docs' static files set them from file times,
  which differ between installs) are replaced.
* gzip: bodies of a compressible type of at least `MIN_GZIP_SIZE` bytes are compressed
  once, deterministically (`mtime=0`), for clients whose `Accept-Encoding` allows gzip.
* `If-None-Match` (a list, `*`, or weak `W/` tags: the weak comparison RFC 9110 asks for)
  is answered `304` with no body, with `ETag`, `Cache-Control` and `Vary`. The cache owns
  revalidation and ranges: it removes `If-None-Match`, `If-Modified-Since` (the ETag is the
  validator), `Range` and `If-Range` before the app sees the request, so the app always
  produces the full `200`, and whole representations are served (a server may ignore Range).
* Bounds: at most `max_entries` entries and about `max_bytes` bytes (key, body, headers and
  Python's per-object overhead, calibrated with tracemalloc); least recently used entries
  are evicted first; a response larger than `max_bytes / 8` is served but never stored.
  `max_entries=0` turns storage off and keeps everything else. Query strings an attacker
  varies can never grow the cache; the parse memos are bounded too, and the header parsing
  reads a bounded prefix of each header.
* Admission on the second request: a response is stored the second time its key is asked
  for within a while, not the first. A doorkeeper of DOORKEEPER_SLOTS key hashes (a
  direct-mapped table, 64 KB) remembers what was asked for once. So URLs asked for once (a
  crawler's, or an attacker varying query strings) neither evict the working set nor pay
  for being stored; anything asked for twice is served from the cache from then on.
  `admit_on_second=False` stores on the first request.
* `key_headers` (none by default) adds request headers to the key, for when layers that
  vary on them run inside the cache (`("origin",)`: app/main.py runs CORS inside it).

A hit is one dict lookup and two `send` calls with header lists built when the entry was
stored: the layer itself costs about as much as an ASGI app returning fixed bytes; whatever
runs outside it (middleware, FastAPI's own stack) is added to every hit (bench/README.md).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MIN_GZIP_SIZE = 500
DOORKEEPER_SLOTS = 8192
GZIP_LEVEL = 6
# Headers longer than this are read only up to this many bytes: no input makes parsing slow.
MAX_PARSED_HEADER = 4096
# Query strings and Accept-Encoding values up to this length have their parse memoised.
MAX_MEMO_KEY = 256
# Python's own cost of an entry beyond its bytes (measured with tracemalloc): the entry, its
# key and the LRU's links; and per header, a tuple and two bytes objects.
ENTRY_OVERHEAD = 400
HEADER_OVERHEAD = 100
VARY_TOKENS = ("Accept", "Accept-Encoding")
# Request headers the app never sees: this layer answers revalidation itself and serves
# whole representations.
_CONDITIONAL = frozenset((b"if-none-match", b"if-modified-since", b"if-range", b"range"))
# Response headers this layer recomputes or drops (it serves whole representations only).
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
# Headers a 304 repeats from the 200 it stands for (RFC 9110, section 15.4.5); CORS's
# `access-control-*` headers and the security headers are kept too, as layers inside the
# cache set them on every response.
_NOT_MODIFIED_KEEP = frozenset(
    (
        b"content-location",
        b"expires",
        b"x-content-type-options",
        b"content-security-policy",
        b"referrer-policy",
        b"x-frame-options",
    )
)

# path, normalised query, CSV?, gzip?, values of the `key_headers`
Key = tuple[str, str, bool, bool, tuple[bytes | None, ...]]
Headers = list[tuple[bytes, bytes]]


@dataclass(slots=True)
class Entry:
    """One stored representation with its header lists built once."""

    headers: tuple[tuple[bytes, bytes], ...]
    not_modified_headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes
    size: int


@lru_cache(maxsize=1024)
def _normalised_query_memo(raw: bytes) -> str:
    return _normalise_query(raw)


# A query string of these bytes only, with at most one `=` per parameter, decodes to
# itself and re-encodes to itself but for `,` (urlencode writes %2C): the common case,
# normalised without parsing. tests/test_http_cache.py checks it against the full parse.
_PLAIN_QUERY = re.compile(rb"[A-Za-z0-9_.~,=&-]*")


def _normalise_query(raw: bytes) -> str:
    # Exactly Starlette's parse (latin-1, then UTF-8 percent-decoding with replacement), so
    # two query strings with one key are one request to the app.
    if _PLAIN_QUERY.fullmatch(raw):
        parts = [part.partition(b"=") for part in raw.split(b"&") if part]
        if all(b"=" not in value for _, _, value in parts):
            parts.sort(key=lambda part: part[0])  # stable: repeated names keep their order
            joined = b"&".join(name + b"=" + value for name, _, value in parts)
            return joined.decode("ascii").replace(",", "%2C")
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    pairs.sort(key=lambda pair: pair[0])
    return urlencode(pairs)


def normalise_query(raw: bytes) -> str:
    """The canonical form of a raw query string, as used in the cache key."""
    if not raw:
        return ""
    if len(raw) <= MAX_MEMO_KEY:
        return _normalised_query_memo(raw)
    return _normalise_query(raw)


def _qvalue(params: bytes) -> float:
    for param in params.split(b";"):
        name, _, value = param.partition(b"=")
        if name.strip().lower() == b"q":
            try:
                return float(value.strip()[:8])
            except ValueError:
                return 0.0
    return 1.0


def _parse_accepts_gzip(value: bytes) -> bool:
    star = False
    for part in value[:MAX_PARSED_HEADER].split(b","):
        coding, _, params = part.partition(b";")
        coding = coding.strip().lower()
        if coding in (b"gzip", b"x-gzip"):
            return _qvalue(params) > 0
        if coding == b"*":
            star = _qvalue(params) > 0
    return star


@lru_cache(maxsize=128)
def _accepts_gzip_memo(value: bytes) -> bool:
    return _parse_accepts_gzip(value)


def accepts_gzip(value: bytes) -> bool:
    """Whether an Accept-Encoding value allows gzip (named, or `*`, with q > 0)."""
    if len(value) <= MAX_MEMO_KEY:
        return _accepts_gzip_memo(value)
    return _parse_accepts_gzip(value)


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 weak comparison of an If-None-Match value (`*` or a list) with our ETag."""
    if if_none_match == etag:
        return True
    for tag in if_none_match[:MAX_PARSED_HEADER].split(b","):
        tag = tag.strip()
        if tag == b"*":
            return True
        if tag.startswith(b"W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


def _compressible(content_type: bytes) -> bool:
    media = content_type.partition(b";")[0].strip().lower()
    return (
        media.startswith(b"text/") or media in _COMPRESSIBLE or media.endswith((b"+json", b"+xml"))
    )


class HttpCache:
    """ETag, 304, Cache-Control, Vary, gzip and a bounded LRU of whole responses."""

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
        """`key_headers`: request headers whose values also select the response, for layers
        inside the cache that vary on them (`("origin",)` with CORS inside). A value longer
        than MAX_MEMO_KEY bytes makes the response uncacheable."""
        self.app = app
        self.key_headers = tuple(name.lower().encode("latin-1") for name in key_headers)
        self.max_entries = max(0, max_entries)
        self.max_bytes = max(0, max_bytes)
        self.max_entry_bytes = self.max_bytes // 8
        self.cache_control = cache_control.encode("latin-1")
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        # Hashes of keys asked for once; None stores on the first request.
        self.doorkeeper = array("q", bytes(8 * DOORKEEPER_SLOTS)) if admit_on_second else None
        self.total_bytes = 0
        self.hits = 0
        self.misses = 0

    def stats(self) -> dict[str, int]:
        """Entry count and byte total against their bounds, and hits and misses so far."""
        return {
            "entries": len(self.entries),
            "bytes": self.total_bytes,
            "max_entries": self.max_entries,
            "max_bytes": self.max_bytes,
            "hits": self.hits,
            "misses": self.misses,
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
                accept_encoding = (
                    value if accept_encoding is None else accept_encoding + b"," + value
                )
                if len(accept_encoding) > MAX_PARSED_HEADER:
                    accept_encoding = accept_encoding[:MAX_PARSED_HEADER]
            elif name == b"if-none-match":
                if_none_match = value if if_none_match is None else if_none_match + b"," + value
                if len(if_none_match) > MAX_PARSED_HEADER:
                    if_none_match = if_none_match[:MAX_PARSED_HEADER]
        key: Key = (
            scope["path"],
            normalise_query(scope["query_string"]),
            accept is not None and b"text/csv" in accept and b"application/json" not in accept,
            accept_encoding is not None and accepts_gzip(accept_encoding),
            tuple(map(key_values.get, self.key_headers)) if key_values is not None else (),
        )
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            entry = await self._fetch(scope, receive, send, key)
            if entry is None:
                return  # not a 200: already sent as the app sent it
        else:
            self.hits += 1
            self.entries.move_to_end(key)
        # The stored header tuples go out as they are (ASGI takes any iterable of pairs):
        # nothing outside this layer adds headers.
        if if_none_match is not None and etag_matches(if_none_match, entry.etag):
            headers = entry.not_modified_headers
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        body = b"" if scope["method"] == "HEAD" else entry.body
        await send({"type": "http.response.body", "body": body})

    async def _fetch(self, scope: Scope, receive: Receive, send: Send, key: Key) -> Entry | None:
        """Ask the app for the full GET; store a 200 if allowed and return it, else stream the
        response through (body dropped for HEAD) and return None."""
        head = scope["method"] == "HEAD"
        inner = dict(scope)
        inner["method"] = "GET"
        inner["headers"] = [(n, v) for n, v in scope["headers"] if n not in _CONDITIONAL]
        extensions = scope.get("extensions")
        if extensions and "http.response.pathsend" in extensions:
            inner["extensions"] = {
                k: v for k, v in extensions.items() if k != "http.response.pathsend"
            }
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
                if message["status"] == 200:
                    start = message
                else:
                    passing = True
                    await send(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(inner, receive, capture)
        if passing or start is None:
            return None
        storable = self._admit(key)
        body = b"".join(chunks)
        if storable and len(chunks) == 1:
            # A copy, exactly as long as the body: orjson's bytes keep their whole growth
            # buffer (a 6 KB body can hold 64 KB), which a long-lived cache must not inherit.
            body = bytes(memoryview(chunks[0]))
        entry, storable = self._build(key, start.get("headers", ()), body, storable)
        if storable:
            self._store(key, entry)
        return entry

    def _admit(self, key: Key) -> bool:
        """Whether the response for `key` may be stored (the response itself may still
        refuse, see _build): not when storage is off or a key header's value is too long to
        keep, and with the doorkeeper, only when the key was asked for before (and its slot
        not taken since)."""
        if self.max_entries == 0 or any(v is not None and len(v) > MAX_MEMO_KEY for v in key[4]):
            return False
        if self.doorkeeper is None:
            return True
        digest = hash(key)
        slot = digest % DOORKEEPER_SLOTS
        if self.doorkeeper[slot] == digest:
            return True
        self.doorkeeper[slot] = digest
        return False

    def _build(self, key: Key, app_headers: Any, body: bytes, storable: bool) -> tuple[Entry, bool]:
        content_type = b""
        encoded = False
        own_cache_control = False
        vary = list(VARY_TOKENS)
        headers: Headers = []
        not_modified: Headers = []
        for raw_name, value in app_headers:
            name = bytes(raw_name).lower()
            value = bytes(value)
            if name in _REPLACED:
                if name == b"vary":
                    known = {v.lower() for v in vary}
                    for token in value.decode("latin-1").split(","):
                        token = token.strip()
                        if token and token.lower() not in known:
                            vary.append(token)
                            known.add(token.lower())
                continue
            if name == b"content-type":
                content_type = value
            elif name == b"content-encoding":
                encoded = True
            elif name == b"set-cookie":
                storable = False
            elif name == b"cache-control":
                own_cache_control = True
                directives = value.lower()
                if b"no-store" in directives or b"private" in directives:
                    storable = False
                not_modified.append((name, value))
            elif name in _NOT_MODIFIED_KEEP or name.startswith(b"access-control-"):
                not_modified.append((name, value))
            headers.append((name, value))
        # sha256 (128 bits kept): with the CPU's SHA instructions it runs at about 2.5 times
        # blake2b's speed on this kind of machine, and a miss hashes every body it makes.
        digest = hashlib.sha256(content_type + b"\n" + body).hexdigest()[:32]
        gzip_it = key[3] and not encoded and len(body) >= MIN_GZIP_SIZE
        if gzip_it and _compressible(content_type):
            body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            etag = f'"{digest}-gz"'.encode()
            headers.append((b"content-encoding", b"gzip"))
        else:
            etag = f'"{digest}"'.encode()
        validators = [(b"etag", etag), (b"vary", ", ".join(vary).encode("latin-1"))]
        if not own_cache_control:
            validators.append((b"cache-control", self.cache_control))
        headers += [(b"content-length", str(len(body)).encode()), *validators]
        not_modified += validators
        size = (
            ENTRY_OVERHEAD
            + len(key[0])
            + len(key[1])
            + sum(len(value or b"") for value in key[4])
            + len(body)
            + HEADER_OVERHEAD * len(headers)
            + sum(map(len, chain.from_iterable(headers)))
            + 8 * len(not_modified)  # the same tuples again, in a second tuple
        )
        entry = Entry(tuple(headers), tuple(not_modified), body, etag, size)
        return entry, storable and size <= self.max_entry_bytes

    def _store(self, key: Key, entry: Entry) -> None:
        previous = self.entries.pop(key, None)  # two concurrent misses for one key
        if previous is not None:
            self.total_bytes -= previous.size
        self.entries[key] = entry
        self.total_bytes += entry.size
        while len(self.entries) > self.max_entries or self.total_bytes > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.total_bytes -= evicted.size
