"""Filters and facets (app/routes/filters.py): several values of one filter match any of
them, different filters AND; `source=` finds what rests on a source; `facet=` counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.edge.limits import MAX_QUERY_PARAMS
from tests.support import assert_problem

ASIANEWS = "asianews-2025-06-26-astana-summit"


def total(client: TestClient, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, response.text
    count: int = response.json()["total"]
    return count


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/priorities?theme=energy", 4),
        ("/priorities?theme=transport", 8),
        ("/priorities?theme=energy&theme=transport", 12),  # either: no priority has both
        ("/priorities?theme=energy,transport", 12),
        ("/priorities?country=kg", 10),
        ("/priorities?country=KGZ,tj", 14),  # any key form, several countries
        ("/priorities?country=kg&theme=energy,transport", 3),  # AND across filters
        ("/agreements?summit=astana-2025", 9),  # the summit's own, not its eve's talks
        ("/agreements?party=Kazakhstan", 12),
        ("/countries?region=central%20asia", 5),  # any case
        ("/countries?region=East%20Asia,central%20asia", 6),
        ("/changes?collection=agreements&record=astana-declaration", 3),
        ("/statements?speaker_kind=head-of-state&disputed=true", 6),
    ],
)
def test_several_values_match_any(client: TestClient, url: str, expected: int) -> None:
    assert total(client, url) == expected


def test_a_csv_filters_as_its_page_does(client: TestClient) -> None:
    response = client.get("/priorities.csv?theme=energy,transport")
    assert response.headers["x-total-count"] == "12"
    assert len(response.text.strip().splitlines()) == 1 + 12


def test_repeated_values_are_refused(client: TestClient) -> None:
    body = assert_problem(client.get("/priorities?theme=energy&theme=energy"), 422)
    assert [e["name"] for e in body["errors"]] == ["theme"]


@pytest.mark.parametrize(
    ("collection", "record_type"),
    [
        ("priorities", "priority"),
        ("agreements", "agreement"),
        ("statements", "statement"),
        ("events", "event"),
        ("leaders", "leader"),
        ("summits", "summit"),
    ],
)
def test_source_finds_what_rests_on_it(
    client: TestClient, db_path: Path, collection: str, record_type: str
) -> None:
    """The ids the API gives are those the database's citations table names."""
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT DISTINCT record_id FROM citations WHERE record_type = ? AND source_id = ?",
            (record_type, ASIANEWS),
        )
        cited = {r[0] for r in rows}
    body = client.get(f"/{collection}?source={ASIANEWS}&limit=200").json()
    assert {item["id"] for item in body["items"]} == cited
    assert cited  # the primary article is cited in every one of these collections


def test_source_counts_from_the_primary_article(client: TestClient) -> None:
    assert total(client, f"/priorities?source={ASIANEWS}") == 20
    assert total(client, f"/agreements?source={ASIANEWS}") == 7
    assert total(client, f"/statements?source={ASIANEWS}") == 13


def test_search_filters_by_source_and_type(client: TestClient) -> None:
    hits = client.get(f"/search?q=energy&source={ASIANEWS}&limit=200").json()["items"]
    assert hits
    assert all(h["type"] in {"priority", "agreement", "statement"} for h in hits)
    assert "astana-2025-tj-energy-sector" in [h["id"] for h in hits]
    typed = client.get("/search?q=energy&type=priority,agreement&limit=200").json()["items"]
    assert {h["type"] for h in typed} <= {"priority", "agreement"}


def test_an_unknown_source_is_422_naming_it(client: TestClient) -> None:
    body = assert_problem(client.get("/priorities?source=no-such-source"), 422)
    assert [e["name"] for e in body["errors"]] == ["source"]


# --- facets ----------------------------------------------------------------------------


def test_no_facets_unless_asked(client: TestClient) -> None:
    assert "facets" not in client.get("/priorities?limit=1").json()


def test_facet_counts_every_matching_record_not_the_page(client: TestClient) -> None:
    body = client.get("/priorities?facet=theme&limit=1").json()
    assert len(body["items"]) == 1
    counts = body["facets"]["theme"]
    assert counts[:4] == [
        {"value": "transport", "name": "Transport and transit", "count": 8},
        {"value": "industry", "name": "Industry", "count": 7},
        {"value": "trade", "name": "Trade", "count": 7},
        {"value": "security", "name": "Security", "count": 5},
    ]
    assert {"value": "energy", "name": "Energy", "count": 4} in counts


def test_facets_count_within_the_filters(client: TestClient) -> None:
    body = client.get("/priorities?country=kg&facet=summit&facet=kind&limit=1").json()
    assert sum(c["count"] for c in body["facets"]["summit"]) == 10
    assert body["facets"]["summit"][0]["value"] == "astana-2025"


def test_facets_on_a_nested_list(client: TestClient) -> None:
    body = client.get("/summits/astana-2025/agreements?facet=party&limit=1").json()
    parties = {c["value"]: c["count"] for c in body["facets"]["party"]}
    assert parties == {"cn": 9, "kg": 9, "kz": 9, "tj": 9, "tm": 9, "uz": 9}


def test_a_search_facets_its_types(client: TestClient) -> None:
    body = client.get("/search?q=japarov&facet=type&limit=200").json()
    counted = {c["value"]: c["count"] for c in body["facets"]["type"]}
    assert sum(counted.values()) == body["total"]
    assert counted["leader"] == 1


def test_a_filter_that_cannot_be_counted_is_no_facet(client: TestClient) -> None:
    body = assert_problem(client.get("/changes?facet=record"), 422)
    assert [e["name"] for e in body["errors"]] == ["facet"]


# --- the document -----------------------------------------------------------------------


def test_filters_are_declared_as_arrays(client: TestClient) -> None:
    params = client.get("/openapi.json").json()["paths"]["/priorities"]["get"]["parameters"]
    theme = next(p for p in params if p["name"] == "theme")
    assert theme["schema"]["type"] == "array"
    assert theme["style"] == "form"
    assert theme["explode"] is True
    country = next(p for p in params if p["name"] == "country")
    assert "anyOf" not in country["schema"]["items"]  # one plain string type, any generator


def longest(schema: dict[str, Any]) -> int:
    return int(schema.get("maxItems", 1)) if schema.get("type") == "array" else 1


def test_every_declared_request_fits_under_the_edges_parameter_count(
    client: TestClient,
) -> None:
    """Each list at its longest, every parameter given: still not refused by the edge."""
    paths = client.get("/openapi.json").json()["paths"]
    for path, item in paths.items():
        params = item["get"].get("parameters", [])
        most = sum(longest(p["schema"]) for p in params if p["in"] == "query")
        assert most <= MAX_QUERY_PARAMS, (path, most)
