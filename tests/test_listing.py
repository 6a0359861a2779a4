"""?fields=, ?sort= and CSV on every collection and resource; the themes matrix.

Every expectation is computed here, independently of the app: sorting by a comparator
written for the documented rules, CSV by flattening the JSON by the documented rules, the
theme matrix by counting in the seed files.

`fields` and `sort` are lists of enum values (repeated, or comma-separated): an unknown
value or an empty list is a 422 whose `accepted` says "one of: ..." the allowed values.
CSV lives at each collection's path + `.csv`; `format=csv` or `Accept: text/csv` on the
JSON path answers 303 See Other to it.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import defaultdict
from functools import cmp_to_key
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SEEDS, build
from tests.support import PROBLEM, assert_problem

Params = dict[str, Any]
Item = dict[str, Any]

# Every collection, with the query that makes /search one.
COLLECTIONS: list[tuple[str, Params]] = [
    ("/summits", {}),
    ("/summits/astana-2025/agreements", {}),
    ("/events", {}),
    ("/countries", {}),
    ("/countries/kg/priorities", {}),
    ("/leaders", {}),
    ("/priorities", {}),
    ("/agreements", {}),
    ("/themes", {}),
    ("/statements", {}),
    ("/sources", {}),
    ("/search", {"q": "a"}),
    ("/changes", {}),  # rows of a changelog: no id of their own, keyed by `record`
]
COLLECTION_IDS = [path for path, _ in COLLECTIONS]
# Collections whose items are resources of their own.
RESOURCE_COLLECTIONS = [
    "/summits",
    "/events",
    "/countries",
    "/leaders",
    "/priorities",
    "/agreements",
    "/themes",
    "/statements",
    "/sources",
]
# Filtered and sorted requests, for "CSV has the same filters and sort as JSON".
FILTERED: list[tuple[str, Params]] = [
    ("/priorities", {"country": "kg", "sort": "-title"}),
    ("/priorities", {"theme": "energy", "sort": "country,-position"}),
    ("/agreements", {"summit": "astana-2025", "sort": "-count,id"}),
    ("/statements", {"kind": "quote", "sort": "speaker,id"}),
    ("/leaders", {"country": "kg"}),
    ("/priorities", {"disputed": "true", "sort": "-title"}),
    ("/agreements", {"event": "astana-2025-xi-tokayev-talks"}),
    ("/statements", {"speaker_kind": "head-of-state", "disputed": "false", "sort": "speaker"}),
    ("/events", {"summit": "astana-2025", "sort": "-date,id"}),
    ("/changes", {"record": "astana-2025-intergovernmental-documents", "sort": "field"}),
    ("/countries", {"region": "Central Asia", "sort": "-name"}),
    ("/sources", {"kind": "related", "sort": "-published"}),
    ("/themes", {"sort": "-priority_count,name"}),
    ("/themes", {"sort": "-endorsement_count,id"}),
    ("/search", {"q": "japarov", "type": "priority,leader"}),
    ("/search", {"q": "energy", "sort": "title"}),
    ("/priorities", {"limit": 5, "offset": 3, "sort": "title"}),
]


def accepted_values(error: dict[str, Any]) -> list[str]:
    """The values an error's `accepted` lists."""
    accepted: list[str] = error["accepted"]
    return accepted


def get_json(client: TestClient, path: str, params: Params | None = None) -> Any:
    response = client.get(path, params=params or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def all_items(client: TestClient, path: str, params: Params) -> list[Item]:
    body = get_json(client, path, {**params, "limit": 200})
    assert body["total"] == len(body["items"]) > 0, "fits on one page"
    items: list[Item] = body["items"]
    return items


def single_resources(client: TestClient) -> list[str]:
    """The first and last resource of every collection, and a few fixed ones."""
    urls = ["/countries/kg", "/countries/KGZ", "/themes/energy", "/leaders/sadyr-japarov"]
    for path in RESOURCE_COLLECTIONS:
        items = all_items(client, path, {})
        urls += [items[0]["url"], items[-1]["url"]]
    return urls


# --- ?fields= ------------------------------------------------------------------------------


def field_choices(keys: list[str]) -> list[list[str]]:
    nested = [k for k in keys if k not in ("id", "url")]
    url = "url" if "url" in keys else keys[1]  # a change has no url: its `record_url`
    return [[keys[0]], [keys[-1], keys[0]], [nested[0], nested[-1], url], keys]


@pytest.mark.parametrize(("path", "params"), COLLECTIONS, ids=COLLECTION_IDS)
def test_fields_keeps_only_those_keys_in_collections(
    client: TestClient, path: str, params: Params
) -> None:
    full = all_items(client, path, params)
    keys = list(full[0])
    for chosen in field_choices(keys):
        body = get_json(client, path, {**params, "limit": 200, "fields": ",".join(chosen)})
        assert body["total"] == len(full)
        assert body["items"] == [{k: item[k] for k in chosen} for item in full]
    spaced = get_json(client, path, {**params, "limit": 200, "fields": f" {keys[0]} , {keys[1]} "})
    assert spaced["items"] == [{keys[0]: i[keys[0]], keys[1]: i[keys[1]]} for i in full]
    # Repeated (`fields=a&fields=b`) is the same list as comma-separated, in model order.
    repeated = get_json(client, path, {**params, "limit": 200, "fields": [keys[1], keys[0]]})
    assert repeated["items"] == spaced["items"]


def test_fields_keeps_only_those_keys_in_single_resources(client: TestClient) -> None:
    for url in single_resources(client):
        full = get_json(client, url)
        keys = list(full)
        for chosen in field_choices(keys):
            assert get_json(client, url, {"fields": ",".join(chosen)}) == {
                k: full[k] for k in chosen
            }


@pytest.mark.parametrize(("path", "params"), COLLECTIONS, ids=COLLECTION_IDS)
def test_unknown_fields_in_collections_are_a_422_listing_the_fields(
    client: TestClient, path: str, params: Params
) -> None:
    keys = list(all_items(client, path, params)[0])
    for fields in ("id,nope,Name,also_nope", ["id", "nope"]):
        response = client.get(path, params={**params, "fields": fields})
        body = assert_problem(response, 422, "fields")
        assert "fields" in body["detail"]
        [error] = body["errors"]
        assert error["location"] == "query"
        assert accepted_values(error) == keys, "every field, in the model's order"


def test_unknown_fields_in_single_resources_are_a_422_listing_the_fields(
    client: TestClient,
) -> None:
    for url in single_resources(client):
        keys = list(get_json(client, url))
        body = assert_problem(client.get(url, params={"fields": "zz_top,id"}), 422, "fields")
        assert accepted_values(body["errors"][0]) == keys


@pytest.mark.parametrize("fields", ["", ",", " , ,"])
def test_fields_naming_nothing_is_a_422(client: TestClient, fields: str) -> None:
    for url in ("/countries", "/countries/kg", "/countries.csv"):
        body = assert_problem(client.get(url, params={"fields": fields}), 422, "fields")
        assert "id" in accepted_values(body["errors"][0])


def test_fields_are_checked_the_same_on_an_empty_page(client: TestClient) -> None:
    """No priority of the Xi'an summit is in the dataset (every one is Astana's): an empty
    page still knows the documented fields."""
    xian = {"summit": "xian-2023"}
    empty = get_json(client, "/priorities", {**xian, "fields": "description,leader"})
    assert empty["items"] == []
    beyond = get_json(client, "/priorities", {"offset": 10_000, "fields": "description"})
    assert beyond["items"] == []
    response = client.get("/priorities", params={**xian, "fields": "nope"})
    assert_problem(response, 422, "fields")


# --- ?sort= --------------------------------------------------------------------------------


def sortable_fields(client: TestClient, path: str, params: Params) -> list[str]:
    """The fields an endpoint sorts by, as its 422 lists them (each also as `-field`)."""
    response = client.get(path, params={**params, "sort": "no_such_field"})
    body = assert_problem(response, 422, "sort")
    assert "sort" in body["detail"]
    keys = accepted_values(body["errors"][0])
    fields = [k for k in keys if not k.startswith("-")]
    assert sorted(keys) == sorted(fields + [f"-{f}" for f in fields]), keys
    return fields


def sort_value(item: Item, field: str) -> Any:
    value = item[field]
    if isinstance(value, dict):
        value = value["name"]
    return value.casefold() if isinstance(value, str) else value


def expected_order(items: list[Item], sort: str) -> list[Item]:
    """The documented order: keys left to right, `-` descending, embedded objects by name,
    text case-insensitively, nulls last either way, ties in the unsorted order."""
    names = [k.strip() for k in sort.split(",") if k.strip()]
    keys = [(k.removeprefix("-"), k.startswith("-")) for k in names]

    def compare(a: tuple[int, Item], b: tuple[int, Item]) -> int:
        for field, descending in keys:
            x, y = sort_value(a[1], field), sort_value(b[1], field)
            if x == y:
                continue
            if x is None or y is None:
                return 1 if x is None else -1
            ascending = -1 if x < y else 1
            return -ascending if descending else ascending
        return a[0] - b[0]

    return [item for _, item in sorted(enumerate(items), key=cmp_to_key(compare))]


def label_of(sortable: list[str]) -> str:
    return next(f for f in ("name", "title", "speaker", "score", "field") if f in sortable)


def key_of(sortable: list[str]) -> str:
    """The identifying sort key: `id`, or a change's `record`."""
    return "id" if "id" in sortable else "record"


@pytest.mark.parametrize(("path", "params"), COLLECTIONS, ids=COLLECTION_IDS)
def test_sort_by_every_documented_field(client: TestClient, path: str, params: Params) -> None:
    unsorted = all_items(client, path, params)
    sortable = sortable_fields(client, path, params)
    assert "id" in sortable or path == "/changes"
    assert set(sortable) <= set(unsorted[0]), "only fields the items have"
    label, key = label_of(sortable), key_of(sortable)
    sorts = list(sortable) + [f"-{f}" for f in sortable]
    sorts += [f" {key} ", f"{key},"]  # spaces and an empty trailing key are ignored
    sorts += [label, f"-{label},{key}", f"-{label},-{key}", f"{sortable[-1]},-{sortable[0]}"]
    for sort in sorts:
        body = get_json(client, path, {**params, "limit": 200, "sort": sort})
        assert body["total"] == len(unsorted)
        assert body["items"] == expected_order(unsorted, sort), sort


@pytest.mark.parametrize(("path", "params"), COLLECTIONS, ids=COLLECTION_IDS)
def test_sort_then_page(client: TestClient, path: str, params: Params) -> None:
    unsorted = all_items(client, path, params)
    sortable = sortable_fields(client, path, params)
    sort = f"-{label_of(sortable)},{key_of(sortable)}"
    ordered = expected_order(unsorted, sort)
    for offset in range(0, len(unsorted), 3):
        page = get_json(client, path, {**params, "sort": sort, "limit": 3, "offset": offset})
        assert page["items"] == ordered[offset : offset + 3]


def test_nulls_sort_last_in_either_direction(client: TestClient) -> None:
    for sort in ("count", "-count"):
        counts = [a["count"] for a in get_json(client, "/agreements", {"sort": sort})["items"]]
        known = [c for c in counts if c is not None]
        assert known, "some agreements state a count"
        assert counts == known + [None] * (len(counts) - len(known))
        assert known == sorted(known, reverse=sort.startswith("-"))


@pytest.mark.parametrize(("path", "params"), COLLECTIONS, ids=COLLECTION_IDS)
@pytest.mark.parametrize("sort", ["popularity", "id,popularity", "--id", "-", "ID", ",", ""])
def test_unknown_sort_is_a_422_listing_the_allowed(
    client: TestClient, path: str, params: Params, sort: str
) -> None:
    allowed = sortable_fields(client, path, params)
    body = assert_problem(client.get(path, params={**params, "sort": sort}), 422, "sort")
    listed = accepted_values(body["errors"][0])
    assert all(f in listed and f"-{f}" in listed for f in allowed)


# --- paging --------------------------------------------------------------------------------
# The six countries in seed order: kz, uz, kg, tj, tm, cn (seeds/countries.toml).


def link(limit: int, offset: int, rel: str, path: str = "/countries", query: str = "") -> str:
    return f'<{path}?{query}limit={limit}&offset={offset}>; rel="{rel}"'


@pytest.mark.parametrize(
    ("limit", "offset", "ids", "links"),
    [
        # One page, exactly full: no Link.
        (6, 0, ["kz", "uz", "kg", "tj", "tm", "cn"], None),
        (7, 0, ["kz", "uz", "kg", "tj", "tm", "cn"], None),
        # The first of two pages.
        (5, 0, ["kz", "uz", "kg", "tj", "tm"], [(0, "first"), (5, "next"), (5, "last")]),
        # Offset 1: prev is the first page (never below 0), last starts at 4.
        (2, 1, ["uz", "kg"], [(0, "first"), (0, "prev"), (3, "next"), (4, "last")]),
        # offset + limit == total: the last page, exactly full, and no next.
        (3, 3, ["tj", "tm", "cn"], [(0, "first"), (0, "prev"), (3, "last")]),
        # A whole page from offset 1: it ends at the total.
        (6, 1, ["uz", "kg", "tj", "tm", "cn"], [(0, "first"), (0, "prev"), (0, "last")]),
        # Past the end: an empty page that still links back.
        (2, 6, [], [(0, "first"), (4, "prev"), (4, "last")]),
        (1, 5, ["cn"], [(0, "first"), (4, "prev"), (5, "last")]),
    ],
)
def test_pages_of_the_countries(
    client: TestClient, limit: int, offset: int, ids: list[str], links: list[tuple[int, str]] | None
) -> None:
    response = client.get(f"/countries?limit={limit}&offset={offset}")
    body = response.json()
    assert [item["id"] for item in body["items"]] == ids
    assert (body["total"], body["limit"], body["offset"]) == (6, limit, offset)
    assert response.headers["x-total-count"] == "6"
    expected = None if links is None else ", ".join(link(limit, o, rel) for o, rel in links)
    assert response.headers.get("link") == expected


def test_an_empty_result_past_offset_0_links_to_its_only_page(client: TestClient) -> None:
    """No priority falls under customs any more: total 0, and the links stay at offset 0."""
    response = client.get("/priorities?theme=customs&offset=1")
    assert response.json() == {"items": [], "total": 0, "limit": 50, "offset": 1}
    query = "theme=customs&"
    expected = [link(50, 0, rel, "/priorities", query) for rel in ("first", "prev", "last")]
    assert response.headers["link"] == ", ".join(expected)


def test_links_keep_the_other_parameters_in_the_clients_order(client: TestClient) -> None:
    response = client.get("/countries?sort=-name&offset=2&fields=id&limit=2")
    # By name, descending: Uzbekistan, Turkmenistan, Tajikistan, Kyrgyzstan, Kazakhstan, China.
    assert [item["id"] for item in response.json()["items"]] == ["tj", "kg"]
    query = "sort=-name&fields=id&"
    expected = [(0, "first"), (0, "prev"), (4, "next"), (4, "last")]
    assert response.headers["link"] == ", ".join(
        link(2, o, rel, "/countries", query) for o, rel in expected
    )


def test_a_canonical_link_comes_first_then_the_pages(client: TestClient) -> None:
    """An alias (KGZ) answers with its canonical path and pages of the path as asked for;
    Kyrgyzstan has ten priorities (24.kg's six areas and the article's other four)."""
    response = client.get("/countries/KGZ/priorities?limit=2")
    pages = [(0, "first"), (2, "next"), (8, "last")]
    expected = ['</countries/kg/priorities>; rel="canonical"']
    expected += [link(2, o, rel, "/countries/KGZ/priorities") for o, rel in pages]
    assert response.headers["link"] == ", ".join(expected)


def test_an_item_by_an_alias_links_its_canonical_path(db_path: Path) -> None:
    # An app of its own, its response cache off: the code answers, not a stored response.
    with TestClient(build(db_path, response_cache_entries=0)) as fresh:
        response = fresh.get("/countries/KGZ")
        assert response.headers["link"] == '</countries/kg>; rel="canonical"'
        assert response.headers["content-type"] == "application/json"
        assert "link" not in fresh.get("/countries/kg").headers


def test_a_single_json_document_is_json(client: TestClient) -> None:
    response = client.get("/meta")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["counts"]["countries"] == 6


# --- CSV -----------------------------------------------------------------------------------


def cell(value: Any) -> str:
    """One value in one cell: objects with ids by their id, other objects as `k=v; ...`
    (nulls left out), lists `; `-joined, null empty, booleans `true`/`false`."""
    if isinstance(value, dict):
        if "id" in value:
            return str(value["id"])
        return "; ".join(f"{k}={cell(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return "; ".join(cell(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# A citation carries what a page needs to print it (issue 19): the source's title,
# publisher, date and web address beside the excerpt.
CITATION_KEYS = {"source_id", "excerpt", "url", "title", "publisher", "published", "web_url"}


# Lists of claims: no columns in a CSV, one row each in the package's tables (issue 22).
CLAIM_LISTS = {"values", "claims"}


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """The documented CSV rules: embedded objects -> dotted columns; a list of strings or of
    objects with ids -> one column, `; `-joined (`cell`), objects' names and roles beside
    (`themes.name`, `parties.role`); citations -> their distinct source ids, `; `-joined;
    lists of claims (`values`, `claims`) -> no column."""
    if isinstance(value, dict):
        row: dict[str, str] = {}
        for key, inner in value.items():
            if not prefix and key in CLAIM_LISTS:
                continue
            row.update(flatten(inner, f"{prefix}.{key}" if prefix else key))
        return row
    objects = [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
    if objects and all(set(v) == CITATION_KEYS for v in objects):
        return {prefix: "; ".join(dict.fromkeys(v["source_id"] for v in objects))}
    row = {prefix: cell(value)}
    for key in ("name", "role"):
        if objects and key in objects[0]:
            row[f"{prefix}.{key}"] = "; ".join(str(v[key]) for v in objects)
    return row


def parse_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    assert reader.fieldnames is not None, "a header row"
    return list(reader.fieldnames), rows


def assert_round_trip(header: list[str], rows: list[dict[str, str]], items: list[Item]) -> None:
    assert len(rows) == len(items)
    assert len(set(header)) == len(header)
    for row, item in zip(rows, items, strict=True):
        expected = flatten(item)
        for column, value in expected.items():
            if column not in header:  # a null object: its dotted columns are empty
                assert value == "", f"no column {column!r} for {value!r}"
                assert any(c.startswith(f"{column}.") for c in header), column
                assert all(row[c] == "" for c in header if c.startswith(f"{column}."))
            else:
                assert row[column] == value, column
        for column in set(header) - set(expected):
            assert row[column] == "", column
    if items:
        top = list(dict.fromkeys(c.split(".", 1)[0] for c in header))
        keys = [k for k in items[0] if k not in CLAIM_LISTS]
        assert top == keys, "columns in the order of the JSON keys, less the claims"


def table_location(path: str, params: Params) -> str:
    """Where `format=csv` or `Accept: text/csv` sends a client: the collection's `.csv`,
    with its other parameters (not `format`, `limit` or `offset`) in the client's order."""
    kept = urlencode([(k, v) for k, v in params.items() if k not in ("format", "limit", "offset")])
    return f"{quote(path)}.csv{'?' if kept else ''}{kept}"


def get_csv(client: TestClient, path: str, params: Params, via: str) -> Any:
    """The CSV of `path`: at its own `.csv` path (`via="path"`), or through the 303 that
    `Accept: text/csv` or `format=csv` answers on the JSON path."""
    if via == "path":
        response = client.get(f"{path}.csv", params=params)
    else:
        if via == "accept":
            redirect = client.get(
                path, params=params, headers={"Accept": "text/csv"}, follow_redirects=False
            )
        else:
            redirect = client.get(path, params={**params, "format": "csv"}, follow_redirects=False)
        assert redirect.status_code == 303, redirect.text
        assert redirect.headers["location"] == table_location(path, params)
        assert redirect.headers["vary"] == "Accept"
        response = client.get(redirect.headers["location"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return response


def assert_every_row(response: Any, total: int) -> None:
    """A CSV without `limit`/`offset`: every matching row, no paging headers."""
    _, rows = parse_csv(response.text)
    assert len(rows) == total
    assert response.headers["x-total-count"] == str(total)
    assert "x-rows" not in response.headers
    assert "link" not in response.headers


@pytest.mark.parametrize("via", ["path", "accept", "format"])
@pytest.mark.parametrize(("path", "params"), COLLECTIONS, ids=COLLECTION_IDS)
def test_csv_round_trips_to_the_json_items(
    client: TestClient, path: str, params: Params, via: str
) -> None:
    """`limit` is dropped by the redirect, so every way gives every row."""
    asked = params if via == "path" else {**params, "limit": 200}
    response = get_csv(client, path, asked, via)
    disposition = response.headers["content-disposition"]
    match = re.fullmatch(r'attachment; filename="([A-Za-z0-9._-]+\.csv)"', disposition)
    assert match, disposition
    assert path.rstrip("/").rsplit("/", 1)[1] in match.group(1)
    first_line, crlf, _ = response.text.partition("\r\n")
    assert first_line
    assert crlf, "rows end in CRLF (RFC 4180)"
    header, rows = parse_csv(response.text)
    items = all_items(client, path, params)
    assert_round_trip(header, rows, items)
    assert_every_row(response, len(items))


@pytest.mark.parametrize(("path", "params"), COLLECTIONS, ids=COLLECTION_IDS)
def test_a_csv_pages_only_when_asked(client: TestClient, path: str, params: Params) -> None:
    """Explicit `limit`/`offset` on a `.csv` page it, and `X-Rows` and `Link` say so."""
    items = all_items(client, path, params)
    for limit, offset in ((2, 1), (3, 0), (200, 0)):
        response = get_csv(client, path, {**params, "limit": limit, "offset": offset}, "path")
        header, rows = parse_csv(response.text)
        page = items[offset : offset + limit]
        assert_round_trip(header, rows, page)
        assert response.headers["x-total-count"] == str(len(items))
        first, last = offset + 1, offset + len(page)
        assert response.headers["x-rows"] == f"{first}-{last}/{len(items)}"
        base = f"{quote(path)}.csv?{urlencode(params)}{'&' if params else ''}limit={limit}"
        if len(items) > limit or offset:
            assert f'<{base}&offset=0>; rel="first"' in response.headers["link"]
        else:
            assert "link" not in response.headers
    only_offset = get_csv(client, path, {**params, "offset": 1}, "path")
    assert only_offset.headers["x-rows"].endswith(f"/{len(items)}")
    assert len(parse_csv(only_offset.text)[1]) == min(len(items) - 1, 50), "the default limit"


@pytest.mark.parametrize(("path", "params"), FILTERED, ids=[f"{p}-{q}" for p, q in FILTERED])
def test_csv_has_the_same_filters_sort_and_page_as_json(
    client: TestClient, path: str, params: Params
) -> None:
    body = get_json(client, path, params)
    assert body["items"], "the filter keeps something"
    unpaged = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    every = get_json(client, path, {**unpaged, "limit": 200})
    for via in ("accept", "format"):  # the redirect drops limit and offset: every row
        response = get_csv(client, path, params, via)
        header, rows = parse_csv(response.text)
        assert_round_trip(header, rows, every["items"])
        assert_every_row(response, every["total"])
    response = get_csv(client, path, params, "path")  # the .csv pages only when asked
    header, rows = parse_csv(response.text)
    paged = "limit" in params or "offset" in params
    assert_round_trip(header, rows, body["items"] if paged else every["items"])
    assert response.headers["x-total-count"] == str(body["total"])


def test_the_csv_header_does_not_depend_on_the_data(client: TestClient) -> None:
    """An empty result still has the documented header, and a filtered one the same: no
    numbered groups of claim columns that grow with the answer (issue 22). Tokayev's
    priorities follow his own texts: none is disputed."""
    header, rows = parse_csv(get_csv(client, "/priorities", {}, "format").text)
    empty_header, empty_rows = parse_csv(
        get_csv(client, "/priorities", {"country": "kz", "disputed": "true"}, "format").text
    )
    assert rows
    assert empty_rows == []
    assert empty_header == header
    assert not [c for c in header if c.startswith(("claims", "values"))]
    filtered, _ = parse_csv(get_csv(client, "/priorities", {"country": "tj"}, "format").text)
    assert filtered == header


def test_an_empty_csv_page_says_no_rows(client: TestClient) -> None:
    response = client.get("/countries.csv?offset=6")
    assert response.headers["x-rows"] == "*/6"
    assert response.headers["x-total-count"] == "6"
    assert response.text.count("\r\n") == 1  # the header alone


def test_the_agreements_csv_keeps_its_claims_in_the_package(client: TestClient) -> None:
    """Issue 22: 25 columns, names and roles beside ids, not 86 mostly empty ones; the
    claims and values are rows of the package's agreement_claims and agreement_values."""
    response = client.get("/agreements.csv?fields=id&fields=parties&fields=values&limit=1")
    assert response.text == (
        "id,parties,parties.name,parties.role\r\n"
        "treaty-on-eternal-good-neighborliness-friendship-and-cooperation,kz; uz; kg; tj; tm; cn,"
        "Kazakhstan; Uzbekistan; Kyrgyzstan; Tajikistan; Turkmenistan; China,"
        "signatory; signatory; signatory; signatory; signatory; signatory\r\n"
    )
    header, _ = parse_csv(client.get("/agreements.csv").text)
    assert len(header) == 25
    assert header[header.index("themes") + 1] == "themes.name"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/priorities", {"fields": "title,leader,themes"}),
        ("/statements", {"fields": "speaker,id"}),
        ("/countries", {"fields": "leader"}),
        ("/priorities", {"fields": "title,leader", "summit": "xian-2023"}),
        ("/search", {"q": "japarov", "fields": "id,type"}),
    ],
)
def test_csv_with_fields_has_only_those_columns(
    client: TestClient, path: str, params: Params
) -> None:
    chosen = [f.strip() for f in params["fields"].split(",")]
    header, rows = parse_csv(get_csv(client, path, params, "format").text)
    assert {c.split(".", 1)[0] for c in header} == set(chosen)
    assert_round_trip(header, rows, get_json(client, path, params)["items"])


def test_json_stays_the_default(client: TestClient) -> None:
    for accept in ("application/json", "*/*", "text/html,*/*;q=0.8"):
        response = client.get("/countries", headers={"Accept": accept})
        assert response.headers["content-type"].startswith("application/json"), accept
    explicit = client.get("/countries", params={"format": "json"}, headers={"Accept": "text/csv"})
    assert explicit.headers["content-type"].startswith("application/json")


def test_an_unknown_format_is_a_422_naming_it(client: TestClient) -> None:
    body = assert_problem(client.get("/countries", params={"format": "xml"}), 422, "format")
    assert "csv" in body["errors"][0]["accepted"]


def test_csv_errors_are_still_problems(client: TestClient) -> None:
    response = client.get("/countries", params={"sort": "nope"}, headers={"Accept": "text/csv"})
    assert_problem(response, 422, "sort")
    assert_problem(client.get("/countries.csv", params={"sort": "nope"}), 422, "sort")
    assert_problem(client.get("/countries.csv", params={"limit": "0"}), 422, "limit")
    unknown = assert_problem(client.get("/countries.csv", params={"colour": "red"}), 400, "colour")
    assert "format" not in unknown["errors"][0]["accepted"], "a .csv takes no format"
    missing = client.get("/countries/atlantis/priorities.csv")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)


# --- the themes matrix ---------------------------------------------------------------------


def seeds(name: str) -> list[dict[str, Any]]:
    with (SEEDS / f"{name}.toml").open("rb") as fh:
        records: list[dict[str, Any]] = tomllib.load(fh)[name]
    return records


def seed_matrix() -> dict[str, dict[str, dict[str, list[str]]]]:
    """theme -> country -> {"priorities": [ids], "endorsements": [ids], "agreements": [ids]}
    from the seed files: "priorities" lists every priority of the country's leader under
    the theme (endorsements too, as the theme's `by_country` does), "endorsements" the
    endorsements among them."""
    country_of_leader = {x["id"]: x["country"] for x in seeds("leaders")}
    matrix: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: defaultdict(lambda: {"priorities": [], "endorsements": [], "agreements": []})
    )
    for p in seeds("priorities"):
        for theme in p["themes"]:
            cell = matrix[theme][country_of_leader[p["leader"]]]
            cell["priorities"].append(p["id"])
            if p["kind"] == "endorsement":
                cell["endorsements"].append(p["id"])
    for a in seeds("agreements"):
        for theme in a["themes"]:
            for party in a["parties"]:  # {country, role} since issue 19
                country = party if isinstance(party, str) else party["country"]
                matrix[theme][country]["agreements"].append(a["id"])
    return matrix


def counts_of(cell: dict[str, list[str]]) -> dict[str, int]:
    """A matrix cell's counts: `priority_count` the country's own, `endorsement_count`
    its endorsements of others'."""
    return {
        "priority_count": len(cell["priorities"]) - len(cell["endorsements"]),
        "endorsement_count": len(cell["endorsements"]),
        "agreement_count": len(cell["agreements"]),
    }


COUNTS = ("priority_count", "endorsement_count", "agreement_count")


def test_themes_give_each_countrys_counts_as_the_seeds_do(client: TestClient) -> None:
    matrix = seed_matrix()
    country_order = [c["id"] for c in seeds("countries")]
    themes = get_json(client, "/themes", {"limit": 200})["items"]
    assert [t["id"] for t in themes] == [t["id"] for t in seeds("themes")]
    priorities, agreements = seeds("priorities"), seeds("agreements")
    endorsements = [p for p in priorities if p["kind"] == "endorsement"]
    assert endorsements, "the seeds have endorsements to count apart"
    own = [p for p in priorities if p["kind"] != "endorsement"]
    for theme in themes:
        cells = matrix[theme["id"]]
        expected = [
            {"id": country, **counts_of(cells[country])}
            for country in country_order
            if country in cells
        ]
        got = [{k: c[k] for k in ("id", *COUNTS)} for c in theme["countries"]]
        assert got == expected, theme["id"]
        for cell in theme["countries"]:
            assert cell["url"] == f"/countries/{cell['id']}"
        assert theme["priority_count"] == sum(theme["id"] in p["themes"] for p in own)
        assert theme["endorsement_count"] == sum(theme["id"] in p["themes"] for p in endorsements)
        assert theme["agreement_count"] == sum(theme["id"] in a["themes"] for a in agreements)
        assert theme["priority_count"] == sum(c["priority_count"] for c in expected)
        assert theme["endorsement_count"] == sum(c["endorsement_count"] for c in expected)


def test_every_theme_is_named_by_some_country(client: TestClient) -> None:
    """All but customs: issue 19 takes it off the 24 documents (AnewZ's fields have none),
    its only record."""
    items = get_json(client, "/themes", {"limit": 200})["items"]
    assert [t["id"] for t in items if not t["countries"]] == ["customs"]


@pytest.mark.parametrize("theme_id", ["energy", "transport", "rare-earths", "diplomacy"])
def test_a_theme_groups_its_priorities_and_agreements_by_country(
    client: TestClient, theme_id: str
) -> None:
    cells = seed_matrix()[theme_id]
    detail = get_json(client, f"/themes/{theme_id}")
    row = next(t for t in get_json(client, "/themes")["items"] if t["id"] == theme_id)
    assert {k: v for k, v in detail.items() if k != "by_country"} == row
    groups = detail["by_country"]
    assert [g["country"]["id"] for g in groups] == [c["id"] for c in row["countries"]]
    for group, cell in zip(groups, row["countries"], strict=True):
        country = group["country"]["id"]
        assert [p["id"] for p in group["priorities"]] == cells[country]["priorities"]
        assert [a["id"] for a in group["agreements"]] == cells[country]["agreements"]
        assert len(group["priorities"]) == cell["priority_count"] + cell["endorsement_count"]
        assert len(group["agreements"]) == cell["agreement_count"]
        kinds = []
        for summary in group["priorities"]:
            priority = get_json(client, summary["url"])
            assert priority["country"]["id"] == country
            assert theme_id in [t["id"] for t in priority["themes"]]
            assert summary["name"] == priority["title"]
            kinds.append(priority["kind"])
        assert kinds.count("endorsement") == cell["endorsement_count"]
        for summary in group["agreements"]:
            agreement = get_json(client, summary["url"])
            assert country in [p["id"] for p in agreement["parties"]]
            assert theme_id in [t["id"] for t in agreement["themes"]]


def test_every_theme_detail_agrees_with_the_matrix(client: TestClient) -> None:
    for row in get_json(client, "/themes", {"limit": 200})["items"]:
        detail = get_json(client, row["url"])
        counts = [
            (g["country"]["id"], len(g["priorities"]), len(g["agreements"]))
            for g in detail["by_country"]
        ]
        assert counts == [
            (c["id"], c["priority_count"] + c["endorsement_count"], c["agreement_count"])
            for c in row["countries"]
        ]


def test_the_energy_matrix_in_numbers(client: TestClient) -> None:
    """Spelled out from the seeds, for the reader: Japarov's energy priority, Rahmon's one
    (his endorsement of Japarov's *other* needs is not energy), Berdimuhamedow's two; the 24
    intergovernmental documents (energy among their fields) bind Kazakhstan and China only
    (issue 19), the only agreement under energy."""
    cells = seed_matrix()["energy"]
    energy = get_json(client, "/themes/energy")
    counts = {c["id"]: tuple(c[k] for k in COUNTS) for c in energy["countries"]}
    assert counts == {
        country: tuple(counts_of(cell)[k] for k in COUNTS) for country, cell in cells.items()
    }
    assert {c for c, (p, _, _) in counts.items() if p} == {"kg", "tj", "tm"}
    assert {c for c, (_, e, _) in counts.items() if e} == set()
    assert {c for c, (_, _, a) in counts.items() if a} == {"kz", "cn"}
    assert tuple(energy[k] for k in COUNTS) == (4, 0, 1)


@pytest.mark.parametrize(
    "url",
    [
        "/summits",
        "/countries",
        "/leaders",
        "/priorities",
        "/priorities?limit=3&offset=4&sort=-title",
        "/agreements",
        "/themes",
        "/statements",
        "/sources",
        "/countries/kg/priorities",
        "/summits/astana-2025/agreements?limit=2",
        "/events",
        "/changes?limit=200",
        "/statements?disputed=true&fields=id,dispute,claims",
        "/priorities?fields=id,title",
        "/search?q=energy",
    ],
)
def test_a_page_is_exactly_what_orjson_writes(client: TestClient, url: str) -> None:
    """Pages are assembled from each item's JSON made at start-up: the bytes must be the
    ones orjson writes for the whole page, key order and all."""
    import orjson

    response = client.get(url)
    assert response.status_code == 200, response.text
    page = orjson.loads(response.content)
    assert list(page) == ["items", "total", "limit", "offset"]
    assert orjson.dumps(page) == response.content


# --- absolute links in CSV cells (issue 22) ---------------------------------------------------


def test_links_absolute_prefixes_every_link_cell_with_the_public_url(db_path: Path) -> None:
    """From PUBLIC_URL (its trailing slash dropped), never the request's Host; a web address
    (a source's `web_url`) stays as it is."""
    with TestClient(build(db_path, public_url="https://data.example.org/summit/")) as client:
        headers = {"Host": "attacker.example"}
        response = client.get("/countries/kg/priorities.csv?links=absolute", headers=headers)
        sources = client.get("/sources.csv?links=absolute&fields=id,url,web_url").text
        relative = client.get("/countries/kg/priorities.csv").text
    assert response.status_code == 200
    (first, *_) = list(csv.DictReader(io.StringIO(response.text)))
    assert first["url"] == (
        "https://data.example.org/summit/priorities/astana-2025-kg-transit-and-transport-guidelines"
    )
    assert first["leader.url"] == "https://data.example.org/summit/leaders/sadyr-japarov"
    assert first["changes_url"] == (
        "https://data.example.org/summit/changes?record="
        "astana-2025-kg-transit-and-transport-guidelines"
    )
    assert "attacker.example" not in response.text
    assert sources.splitlines()[1] == (
        "asianews-2025-06-26-astana-summit,"
        "https://data.example.org/summit/sources/asianews-2025-06-26-astana-summit,"
        "https://www.asianews.it/news-en/Central-Asia-and-Beijing-after-the-Astana-summit-63374.html"
    )
    assert "https://" not in relative.splitlines()[1].split(",")[1]


def test_links_absolute_without_a_public_url_is_a_422_the_document_declares(
    client: TestClient,
) -> None:
    """A server without PUBLIC_URL has no base for absolute links: its document offers
    `relative` alone and names the setting; `absolute` is a 422 naming `links`."""
    body = assert_problem(client.get("/priorities.csv?links=absolute"), 422, "links")
    assert body["errors"][0]["accepted"] == ["relative"]
    assert client.get("/priorities.csv?links=relative").status_code == 200
    document = client.get("/openapi.json").json()
    (links,) = [
        p for p in document["paths"]["/priorities.csv"]["get"]["parameters"] if p["name"] == "links"
    ]
    assert "PUBLIC_URL" in links["description"]
    assert document["components"]["schemas"]["RelativeLinks"]["enum"] == ["relative"]
