"""The pure functions of app/edge/negotiation.py: the normalised query of the cache key, the
names of a query string, and what Accept, Accept-Encoding and If-None-Match select."""

from __future__ import annotations

import pytest

from app.edge import negotiation
from app.edge.negotiation import (
    accepts_gzip,
    etag_matches,
    normalise_query,
    prefers_csv,
    query_names,
)


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    """Every test parses anew: a memo filled earlier (by another test, or by mutmut's parent
    process before it forks a mutant's run) would answer instead of the code under test."""
    for value in vars(negotiation).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


# --- the query string --------------------------------------------------------------------


# Each raw query string and its normalised form, written out: names stable-sorted, values
# percent-encoded as urlencode writes them (`,` as %2C, a space as `+`, `~` kept).
PLAIN = [
    (b"limit=5&offset=2", "limit=5&offset=2"),
    (b"sort=-id,name&fields=id,url&limit=1", "fields=id%2Curl&limit=1&sort=-id%2Cname"),
    (b"a=1&a=2&b=&c", "a=1&a=2&b=&c="),
    (b"&&a=1&&", "a=1"),
    (b"=x&a", "=x&a="),
    (b"x=1,2&x=3", "x=1%2C2&x=3"),
    (b"Z=1&a=2&__=3&.=4&~=5&-=6", "-=6&.=4&Z=1&__=3&a=2&~=5"),
    # What clients add by themselves is no parameter: `_`, `utm_*` (but `_x`, `utm` stay).
    (b"sort=name&_=1733&utm_source=x&utm_medium=y", "sort=name"),
    (b"_x=1&utm=2&_=3", "_x=1&utm=2"),
    (b"", ""),
    (b"a", "a="),
    (b",=,", "%2C=%2C"),
]
# Outside the plain bytes: the full parse (percent-decoding, `+`, Latin-1 bytes, `=` in values).
PARSED = [
    (b"b=2&a=%20x", "a=+x&b=2"),
    (b"q=a+b&a=1", "a=1&q=a+b"),
    (b"%61=1&b=2", "a=1&b=2"),
    (b"x=a%20b&q=caf%c3%a9", "q=caf%C3%A9&x=a+b"),
    (b"q=caf\xc3\xa9", "q=caf%C3%83%C2%A9"),  # raw bytes are Latin-1, as Starlette reads them
    (b"a=b=c", "a=b%3Dc"),
    (b"b=1;a=2", "b=1%3Ba%3D2"),  # `;` separates nothing
    (b"q=%FF", "q=%EF%BF%BD"),  # invalid UTF-8 is U+FFFD
    (b"b=%31&a=2&a=%31", "a=2&a=1&b=1"),  # sorted by name only: a repeated name keeps its order
    # `name[]` is `name`, raw or percent-encoded (axios sends it raw, `qs` encoded).
    (b"sort[]=name&utm_source=x&_=1", "sort=name"),
    (b"sort%5B%5D=-name&fields[]=id&sort=id", "fields=id&sort=-name&sort=id"),
    (b"utm_source%5B%5D=x&a[]b=1", "a%5B%5Db=1"),  # brackets inside a name are its own
]


@pytest.mark.parametrize(("raw", "normalised"), PLAIN + PARSED)
def test_normalise_query_as_written_out(raw: bytes, normalised: str) -> None:
    assert normalise_query(raw) == normalised
    assert normalise_query(raw) == normalised  # the memoised answer is the same


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
    assert query_names(b"v[]=1&_=2&utm_campaign=3&v=4") == ["v"]


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
        # The most specific range decides, whatever the order.
        ("text/*;q=0, text/csv", True),
        ("text/csv, text/*;q=0", True),
        ("text/csv;q=0, text/*", False),
        # The first of two equally specific ranges counts.
        ("text/csv;q=0.5, text/csv;q=0", True),
        # A parameter before q.
        ("text/csv;charset=utf-8;q=0.5, application/json;q=0.4", True),
        ("text/csv;header=present;q=0.3, application/json;q=0.4", False),
        ("text/csv; Q=0", False),
        # q=1 is the default: a tie, so JSON.
        ("text/csv;q=1, application/json", False),
        ("text/csv, application/json;q=1", False),
        ("text/csv;q=1.0, application/json;q=0.999", True),
        # */* stands for both; application/* only for JSON.
        ("*/*;q=0.5, application/json;q=0.1", True),
        ("application/*;q=0.5, text/csv;q=0.6", True),
        ("application/json;q=0.5", False),
        # A q is read from its first 8 characters; one that is not a number is 0.
        ("text/csv;q=0.0000001", False),
        ("text/csv;q=0.000001", True),
        ("text/csv;q=abc", False),
        ("text/csv, \u2603", True),  # not Latin-1: replaced, not an error
        ("text/csv;q=0=1", False),  # the value is everything after the first `=`
        ("application/json;q=-1", False),  # CSV's own q must be above zero
        ("*/*;q=0.9, text/*;q=0.5, application/json;q=0.7", False),  # text/* beats */*
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
    assert not etag_matches(b'W/"abc', etag)
    assert not etag_matches(b'WW/"abc"', etag)
    assert etag_matches(b'"x" ,\tW/"abc"', etag)
    assert etag_matches(b'"x","abc"', etag)
    assert not etag_matches(b"", etag)
    assert not etag_matches(b'"x",' * 5000 + b'"abc"', etag)  # beyond what is read


def test_accepts_gzip() -> None:
    assert accepts_gzip(b"gzip")
    assert accepts_gzip(b"GZIP")
    assert accepts_gzip(b"*")
    assert accepts_gzip(b"br, gzip;q=0.1")
    assert accepts_gzip(b"*;q=0, gzip")  # named beats *
    assert not accepts_gzip(b"gzip;q=0, *")
    assert not accepts_gzip(b"*;q=0")
    assert not accepts_gzip(b"identity, br")
    assert accepts_gzip(b"br") is False
    assert accepts_gzip(b"gzip") is True
    assert not accepts_gzip(b"br;q=1, " * 600 + b"gzip")  # beyond the 4096 bytes read
    assert accepts_gzip(b"gzip, " + b"br;q=1, " * 600)
    assert accepts_gzip(b"deflate, x-gzip;q=0.5")
    assert not accepts_gzip(b"")
    assert not accepts_gzip(b"gzip; q=0")
    assert not accepts_gzip(b"gzip;q=-1")
