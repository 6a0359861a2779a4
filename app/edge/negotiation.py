"""Pure functions over header and query values (no ASGI): the normalised query string of the
cache key, the parameter names of a query string, what `Accept`, `Accept-Encoding` and
`If-None-Match` select, and how repeated headers and `Vary` values join. Each reads a bounded
prefix of its input; short inputs are memoised.

The query conventions clients follow by themselves are read here, once, for the cache key
and the app alike: `name[]` is `name` (the `qs`/axios style), and the parameters pages and
links add on their own (`_` cache-busters, `utm_*` tracking) are no parameters at all.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

# Headers longer than this are read only up to this many bytes: no input makes parsing slow.
MAX_PARSED_HEADER = 4096
# Query strings and header values up to this length have their parse memoised.
MAX_MEMO_KEY = 256
CSV = b"text/csv"
JSON = b"application/json"

# Parameters clients add by themselves: ignored by every operation, left out of the cache key.
IGNORED_NAMES = frozenset(("_",))
IGNORED_PREFIXES = ("utm_",)
BRACKETS = "[]"


def parameter_name(name: str) -> str:
    """The parameter a query string's name stands for: `sort[]` is `sort`."""
    return name.removesuffix(BRACKETS)


def is_ignored(name: str) -> bool:
    """Whether a parameter is one a client added by itself (`_`, `utm_source`, ...)."""
    return name in IGNORED_NAMES or name.startswith(IGNORED_PREFIXES)


# A query string of these bytes only, with at most one `=` per parameter, decodes to itself
# and re-encodes to itself but for `,` (urlencode writes %2C): the common case, normalised
# without parsing. tests/edge/test_negotiation.py checks it against the full parse.
_PLAIN_QUERY = re.compile(rb"[A-Za-z0-9_.~,=&-]*")


def _parse_query(raw: bytes) -> list[tuple[str, str]]:
    # Exactly Starlette's parse (latin-1, then UTF-8 percent-decoding with replacement).
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


def _normalise_query(raw: bytes) -> str:
    if _PLAIN_QUERY.fullmatch(raw):  # no `[`: no name to rewrite
        parts = [part.partition(b"=") for part in raw.split(b"&") if part]
        if all(b"=" not in value for _, _, value in parts):
            kept = [p for p in parts if not is_ignored(p[0].decode("ascii"))]
            kept.sort(key=lambda part: part[0])  # stable: repeated names keep their order
            joined = b"&".join(name + b"=" + value for name, _, value in kept)
            return joined.decode("ascii").replace(",", "%2C")
    pairs = [(parameter_name(k), v) for k, v in _parse_query(raw)]
    pairs = [(k, v) for k, v in pairs if not is_ignored(k)]
    pairs.sort(key=lambda pair: pair[0])
    return urlencode(pairs)


_normalised_query_memo = lru_cache(maxsize=1024)(_normalise_query)


def normalise_query(raw: bytes) -> str:
    """The canonical form of a raw query string, as used in the cache key: parameters
    stable-sorted by name, percent-encoding redone, parsed exactly as the app parses it,
    `name[]` as `name` and the ignored parameters left out."""
    if not raw:
        return ""
    if len(raw) <= MAX_MEMO_KEY:
        return _normalised_query_memo(raw)
    return _normalise_query(raw)


def query_names(raw: bytes) -> list[str]:
    """The distinct parameter names of a raw query string, in order, as the app reads them
    (the ignored ones left out)."""
    names = (parameter_name(name) for name, _ in _parse_query(raw))
    return list(dict.fromkeys(name for name in names if not is_ignored(name)))


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


_accepts_gzip_memo = lru_cache(maxsize=128)(_parse_accepts_gzip)


def accepts_gzip(value: bytes) -> bool:
    """Whether an Accept-Encoding value allows gzip (named, or `*`, with q > 0)."""
    if len(value) <= MAX_MEMO_KEY:
        return _accepts_gzip_memo(value)
    return _parse_accepts_gzip(value)


def _quality(value: bytes, media_type: bytes) -> float:
    """The q of `media_type` under an Accept value: that of the most specific range that
    matches it (`type/subtype`, then `type/*`, then `*/*`; RFC 9110, section 12.5.1)."""
    family = media_type.partition(b"/")[0] + b"/*"
    best, quality = 0, 0.0
    for part in value[:MAX_PARSED_HEADER].split(b","):
        media_range, _, params = part.partition(b";")
        media_range = media_range.strip().lower()
        rank = {media_type: 3, family: 2, b"*/*": 1}.get(media_range, 0)
        if rank > best:
            best, quality = rank, _qvalue(params)
    return quality


def _parse_prefers_csv(value: bytes) -> bool:
    csv = _quality(value, CSV)
    return csv > 0 and csv > _quality(value, JSON)


_prefers_csv_memo = lru_cache(maxsize=128)(_parse_prefers_csv)


def prefers_csv(accept: str | bytes | None) -> bool:
    """Whether an Accept value asks for CSV rather than JSON: text/csv has a q above zero and
    above application/json's (media types case-insensitive; a tie, or no Accept, is JSON)."""
    if not accept:
        return False
    if isinstance(accept, str):
        accept = accept.encode("latin-1", "replace")
    if len(accept) <= MAX_MEMO_KEY:
        return _prefers_csv_memo(accept)
    return _parse_prefers_csv(accept)


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


def joined(previous: bytes | None, value: bytes) -> bytes:
    """Repeated header lines as one list value, cut at what the parsers read."""
    joined = value if previous is None else previous + b"," + value
    return joined[:MAX_PARSED_HEADER]


def merge_vary(vary: list[str], value: bytes) -> None:
    """Add the tokens of a `Vary` value to `vary`, each once, whatever its case."""
    known = {token.lower() for token in vary}
    for token in value.decode("latin-1").split(","):
        token = token.strip()
        if token and token.lower() not in known:
            vary.append(token)
            known.add(token.lower())
