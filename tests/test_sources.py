"""/sources and /sources/{source_id}: the documents every fact cites."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.expected import SOURCE_SEEDS, SOURCES, by_id, page


def test_list_sources(client: TestClient) -> None:
    response = client.get("/sources")
    assert response.status_code == 200
    assert response.json() == page(SOURCES)
    assert response.json()["items"][0]["kind"] == "primary"


@pytest.mark.parametrize("source_id", [s["id"] for s in SOURCE_SEEDS])
def test_get_every_source(client: TestClient, source_id: str) -> None:
    response = client.get(f"/sources/{source_id}")
    assert response.status_code == 200
    assert response.json() == by_id(SOURCES)[source_id]


def test_get_astana_times_literal(client: TestClient) -> None:
    assert client.get("/sources/astanatimes-2025-06-18").json() == {
        "id": "astanatimes-2025-06-18",
        "url": "/sources/astanatimes-2025-06-18",
        "kind": "corroborating",
        "directness": "agency-report",
        "title": "China, Central Asia sign treaty, outline new paths for cooperation",
        "author": None,
        "publisher": "The Astana Times",
        "published": "2025-06-18",
        "published_inferred": False,
        "section": None,
        "web_url": "https://astanatimes.com/2025/06/china-central-asia-sign-treaty-outline-"
        "new-paths-for-cooperation/",
        "note": "Cited for the official name of the treaty and for the 1.5 billion yuan, which "
        "it describes as a grant (the primary source calls it a loan).",
        # the summit, the treaty, the 1.5 billion (one citation, two values, two claims) and
        # two statements
        "citation_count": 9,
    }


def test_unknown_publication_date_is_null(client: TestClient) -> None:
    body = client.get("/sources/sr-center-2025-06-17").json()
    assert (body["published"], body["published_inferred"]) == (None, False)
    assert (body["directness"], body["citation_count"]) == ("analysis", 2)


@pytest.mark.parametrize(
    ("source_id", "published"),
    [
        ("anewz-2025-06-16-china-kazakhstan-24-agreements-sectors", "2025-06-16"),
        ("astanatimes-2025-06-17-tokayev-summit-address", "2025-06-17"),
        ("tribune-2025-06-17-xi-tariff-wars-no-winners", "2025-06-17"),
        ("cislegislation-2025-06-17-treaty-eternal-good-neighborliness-text", "2025-06-17"),
    ],
)
def test_an_inferred_publication_date_says_so(
    client: TestClient, source_id: str, published: str
) -> None:
    body = client.get(f"/sources/{source_id}").json()
    assert (body["published"], body["published_inferred"]) == (published, True)


def test_only_those_dates_are_inferred(client: TestClient) -> None:
    body = client.get("/sources?limit=100").json()
    assert [s["id"] for s in body["items"] if s["published_inferred"]] == [
        "anewz-2025-06-16-china-kazakhstan-24-agreements-sectors",
        "astanatimes-2025-06-17-tokayev-summit-address",
        "tribune-2025-06-17-xi-tariff-wars-no-winners",
        "cislegislation-2025-06-17-treaty-eternal-good-neighborliness-text",
    ]


def test_related_sources_cite_nothing(client: TestClient) -> None:
    response = client.get("/sources?kind=related")
    related = [s for s in SOURCES if s["kind"] == "related"]
    assert response.json() == page(related)
    assert len(related) == 5
    assert all(s["citation_count"] == 0 for s in related)


@pytest.mark.parametrize(("kind", "count"), [("primary", 1), ("corroborating", 26), ("related", 5)])
def test_filter_by_kind(client: TestClient, kind: str, count: int) -> None:
    body = client.get(f"/sources?kind={kind}").json()
    assert body == page([s for s in SOURCES if s["kind"] == kind])
    assert body["total"] == count


def test_unknown_kind_is_422(client: TestClient) -> None:
    response = client.get("/sources?kind=rumour")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["name"] == "kind"
    assert "primary" in error["accepted"]


def test_unknown_source_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/sources/wikipedia")
    assert response.status_code == 404
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No source with id 'wikipedia'.",
        "instance": "/sources/wikipedia",
    }
