"""Property tests: no text in `q`, `type`, `fields` or `sort` yields a 5xx, and every 4xx
is RFC 9457 problem+json.

Hypothesis is derandomised (the same examples on every run) and bounded so this file runs
in a few seconds; raise MAX_EXAMPLES locally to fuzz harder.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from app.dataset.db import open_snapshot, read_snapshot
from app.dataset.search import search as run_search
from app.vocabulary import ResourceType
from tests.support import assert_problem

MAX_EXAMPLES = 150
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

# Text a URL can carry: any code point but lone surrogates (not encodable as UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=260)
# Pieces of FTS5 query syntax, names, separators and odd characters, glued at random:
# reaches the query builder's corners far more often than uniform text.
PIECES = st.sampled_from(
    [
        '"',
        "'",
        "’",
        "*",
        "^",
        "-",
        "+",
        ":",
        "(",
        ")",
        "{",
        "}",
        ",",
        " ",
        "\t",
        "\x00",
        "NEAR",
        "NEAR/3",
        "OR",
        "AND",
        "NOT",
        "title",
        "aliases",
        "search",
        "japarov",
        "Žaparov",
        "Z\u030c",
        "Xi'an",
        "glac",
        "a",
        "_",
        "%",
        "\\",
        "…",
        "🙂",
        "ﷺ",
        "ＡＢ",
        "0",
        "id",
        "-name",
        "name",
        "title",
        "type",
        "score",
    ]
)
SYNTAX = st.lists(PIECES, max_size=40).map("".join)
TEXT = st.one_of(ANY_TEXT, SYNTAX)

COLLECTIONS = ["/countries", "/priorities", "/statements", "/themes", "/agreements"]
RESOURCES = [
    "/countries/kg",
    "/leaders/sadyr-japarov",
    "/themes/energy",
    "/summits/astana-2025",
    "/statements/cebotarev-first-international-legal-document",
]


@pytest.fixture(scope="module")
def search_db(db_path: Path) -> Iterator[sqlite3.Connection]:
    """The real database, opened as the app opens it."""
    conn = open_snapshot(read_snapshot(db_path))
    yield conn
    conn.close()


@settings(
    max_examples=10 * MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(q=TEXT, types=st.one_of(st.none(), st.sets(st.sampled_from(ResourceType), min_size=1)))
def test_the_query_builder_always_writes_valid_fts5(
    search_db: sqlite3.Connection, q: str, types: set[ResourceType] | None
) -> None:
    """Straight at the FTS5 layer, many more inputs than over HTTP: no input makes SQLite
    reject the query, every hit marks what matched, and type= only filters."""
    hits = run_search(search_db, q, types or ())
    for hit in hits:
        assert "<mark>" in hit.snippet, hit
    if types is not None:
        assert hits == [h for h in run_search(search_db, q) if h.type in types]


def assert_no_server_error(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_problem(response)


@BOUNDED
@given(q=TEXT)
def test_any_q_is_answered(client: TestClient, q: str) -> None:
    response = client.get("/search", params={"q": q})
    assert_no_server_error(response)
    if response.status_code == 200:
        assert response.json()["total"] >= 0
    elif not q.strip() or len(q) > 200:
        assert response.status_code == 422


@BOUNDED
@given(q=TEXT, type_=st.one_of(st.none(), TEXT), sort=st.one_of(st.none(), TEXT))
def test_any_search_parameters_are_answered(
    client: TestClient, q: str, type_: str | None, sort: str | None
) -> None:
    params = {"q": q, "type": type_, "sort": sort, "limit": 200}
    response = client.get("/search", params={k: v for k, v in params.items() if v is not None})
    assert_no_server_error(response)


@BOUNDED
@given(
    path=st.sampled_from([*COLLECTIONS, "/search?q=a"]),
    fields=st.one_of(st.none(), TEXT),
    sort=st.one_of(st.none(), TEXT),
    csv=st.booleans(),
)
def test_any_fields_and_sort_on_a_collection_are_answered(
    client: TestClient, path: str, fields: str | None, sort: str | None, csv: bool
) -> None:
    path, _, query = path.partition("?")
    params: dict[str, str] = {}
    if query:
        name, _, value = query.partition("=")
        params[name] = value
    if fields is not None:
        params["fields"] = fields
    if sort is not None:
        params["sort"] = sort
    headers = {"Accept": "text/csv"} if csv else {}
    assert_no_server_error(client.get(path, params=params, headers=headers))


@BOUNDED
@given(path=st.sampled_from(RESOURCES), fields=TEXT, sort=st.one_of(st.none(), TEXT))
def test_any_fields_on_a_resource_are_answered(
    client: TestClient, path: str, fields: str, sort: str | None
) -> None:
    params = {"fields": fields} if sort is None else {"fields": fields, "sort": sort}
    response = client.get(path, params=params)
    assert_no_server_error(response)
    if sort is not None:
        assert response.status_code in (400, 422), "a single resource takes no sort"


@BOUNDED
@given(
    # Each name at most once: a list naming a value twice is refused (a 422).
    fields=st.lists(st.sampled_from(["id", "name", "url", "leader", "capital"]), unique=True),
    sort=st.lists(
        st.sampled_from(["id", "-id", "name", "-name", "region", "-priority_count"]), unique=True
    ),
)
def test_valid_fields_and_sort_always_succeed(
    client: TestClient, fields: list[str], sort: list[str]
) -> None:
    params = {"fields": ",".join(fields) or "id", "sort": ",".join(sort) or "id"}
    response = client.get("/countries", params=params)
    assert response.status_code == 200, response.text
    for item in response.json()["items"]:
        assert set(item) == set(fields or ["id"])
