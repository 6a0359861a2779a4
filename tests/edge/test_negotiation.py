"""The pure functions of app/edge/negotiation.py: the normalised query of the cache key, the
names of a query string, and what Accept, Accept-Encoding and If-None-Match select."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest

from app.edge.negotiation import (
    accepts_gzip,
    etag_matches,
    normalise_query,
    prefers_csv,
    query_names,
)

# --- the query string --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"limit=5&offset=2",
        b"sort=-id,name&fields=id,url&limit=1",
        b"a=1&a=2&b=&c",
        b"&&a=1&&",
        b"=x&a",
        b"x=1,2&x=3",
        b"Z=1&a=2&_=3&.=4&~=5&-=6",
        b"",
        b"a",
        b",=,",
    ],
)
def test_the_plain_query_shortcut_matches_the_full_parse(raw: bytes) -> None:
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    pairs.sort(key=lambda pair: pair[0])
    assert normalise_query(raw) == urlencode(pairs)


def test_normalise_query() -> None:
    assert normalise_query(b"") == ""
    assert normalise_query(b"b=2&a=1") == "a=1&b=2"
    assert normalise_query(b"b=2&a=x&a=y&a=w") == "a=x&a=y&a=w&b=2"  # stable
    assert normalise_query(b"q=caf%C3%A9&x=a+b") == normalise_query(b"x=a%20b&q=caf%c3%a9")
    # Raw bytes are read as Latin-1, as Starlette reads them: not the same as %C3%A9.
    assert normalise_query(b"q=caf\xc3\xa9") != normalise_query(b"q=caf%C3%A9")
    assert normalise_query(b"a=%2C&a=,") == "a=%2C&a=%2C"
    assert normalise_query(b"a") == "a="
    # Over MAX_MEMO_KEY bytes (not memoised); invalid UTF-8 decodes to U+FFFD, as in Starlette.
    assert normalise_query(b"k=" + b"%FF" * 300) == "k=" + "%EF%BF%BD" * 300
    assert normalise_query(b"a=b=c") == "a=b%3Dc"  # not plain: the full parse


def test_query_names() -> None:
    assert query_names(b"") == []
    assert query_names(b"&&") == []
    assert query_names(b"v=1&b&v=2&=x") == ["v", "b", ""]
    assert query_names(b"caf%C3%A9=1&%ff=2") == ["café", "\ufffd"]


# --- Accept ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "csv"),
    [
        (None, False),
        ("", False),
        (b"", False),
        ("text/csv", True),
        (b"text/csv", True),
        ("TEXT/CSV", True),
        ("Text/Csv; charset=utf-8", True),
        ("text/csv;q=0", False),
        ("text/csv; Q=0.0", False),
        ("text/csv;q=0, application/json", False),
        ("text/csv, application/json", False),  # a tie is JSON
        ("application/json, text/csv", False),
        ("application/json;q=0.5, text/csv", True),
        ("text/csv;q=0.9, application/json;q=0.8", True),
        ("text/csv;q=0.1, */*", False),  # */* gives JSON q=1
        ("text/*", True),
        ("text/*;q=0.5, application/*", False),
        ("*/*", False),
        ("*/*;q=0.8, text/csv", True),
        ("text/csv;q=banana", False),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        ("text/csv" * 500, False),
        ("application/json;q=0, text/csv;q=0.001", True),
    ],
)
def test_prefers_csv(accept: str | bytes | None, csv: bool) -> None:
    assert prefers_csv(accept) is csv


def test_prefers_csv_reads_a_bounded_prefix() -> None:
    assert not prefers_csv(b"x" * 5000 + b", text/csv")
    assert prefers_csv(b"text/csv, " + b"x" * 5000)


# --- Accept-Encoding and If-None-Match ----------------------------------------------------


def test_etag_matches() -> None:
    etag = b'"abc"'
    assert etag_matches(b'"abc"', etag)
    assert etag_matches(b' W/"abc" ', etag)
    assert etag_matches(b'"x", "abc"', etag)
    assert etag_matches(b"*", etag)
    assert not etag_matches(b'"abcd"', etag)
    assert not etag_matches(b"abc", etag)
    assert not etag_matches(b'"x",' * 5000 + b'"abc"', etag)  # beyond what is read


def test_accepts_gzip() -> None:
    assert accepts_gzip(b"gzip")
    assert accepts_gzip(b"deflate, x-gzip;q=0.5")
    assert not accepts_gzip(b"")
    assert not accepts_gzip(b"gzip; q=0")
    assert not accepts_gzip(b"gzip;q=-1")
