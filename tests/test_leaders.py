"""/leaders and /leaders/{leader_id}."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.expected import LEADER_SEEDS, LEADERS, by_id, page


def test_list_leaders(client: TestClient) -> None:
    response = client.get("/leaders")
    assert response.status_code == 200
    assert response.json() == page(LEADERS)
    assert [x["id"] for x in response.json()["items"]] == [
        "kassym-jomart-tokayev",
        "shavkat-mirziyoyev",
        "sadyr-japarov",
        "emomali-rahmon",
        "serdar-berdimuhamedow",
        "xi-jinping",
    ]


def test_get_leader_japarov_literal(client: TestClient) -> None:
    response = client.get("/leaders/sadyr-japarov")
    assert response.status_code == 200
    assert response.json() == {
        "id": "sadyr-japarov",
        "url": "/leaders/sadyr-japarov",
        "name": "Sadyr Japarov",
        "source_spelling": "Sadyr Žaparov",
        "aliases": ["Sadyr Zhaparov", "Sadyr Žaparov", "Zhaparov", "Žaparov", "Japarov"],
        "title": "President",
        "country": {"id": "kg", "name": "Kyrgyzstan", "url": "/countries/kg"},
        # the article's six and 24.kg's four more
        "priority_count": 10,
        "sources": [
            {
                "source_id": "asianews-2025-06-26-astana-summit",
                "excerpt": "Kyrgyz leader Sadyr Žaparov then outlined the six priorities for "
                "regional relations with China",
                "url": "/sources/asianews-2025-06-26-astana-summit",
                "title": "Central Asia and Beijing after the Astana summit",
                "publisher": "AsiaNews",
                "published": "2025-06-26",
                "web_url": "https://www.asianews.it/news-en/Central-Asia-and-Beijing-after-the-"
                "Astana-summit-63374.html",
            }
        ],
        "endorsement_count": 0,
    }


@pytest.mark.parametrize("leader_id", [x["id"] for x in LEADER_SEEDS])
def test_get_every_leader(client: TestClient, leader_id: str) -> None:
    response = client.get(f"/leaders/{leader_id}")
    assert response.status_code == 200
    assert response.json() == by_id(LEADERS)[leader_id]


@pytest.mark.parametrize("country", ["kg", "KGZ", "417", "kyrgyzstan"])
def test_leaders_by_country(client: TestClient, country: str) -> None:
    response = client.get(f"/leaders?country={country}")
    assert response.json() == page([by_id(LEADERS)["sadyr-japarov"]])


def test_tokayev_now_has_priorities_from_the_direct_sources(client: TestClient) -> None:
    """The article gives Tokayev none; The Astana Times, Kazinform and others give him eight."""
    tokayev = client.get("/leaders/kassym-jomart-tokayev").json()
    assert (tokayev["priority_count"], tokayev["endorsement_count"]) == (8, 0)
    listed = client.get("/priorities?leader=kassym-jomart-tokayev&limit=100").json()["items"]
    assert [p["kind"] for p in listed].count("proposal") == 1


def test_a_leaders_endorsements_are_counted_apart(client: TestClient) -> None:
    """`priority_count` is every record of the leader (endorsements included, as before);
    `endorsement_count` is the part that endorses another leader's priorities."""
    rahmon = client.get("/leaders/emomali-rahmon").json()
    listed = client.get("/priorities?leader=emomali-rahmon").json()["items"]
    assert rahmon["priority_count"] == len(listed) == 4
    assert rahmon["endorsement_count"] == 1
    assert [p["id"] for p in listed if p["kind"] == "endorsement"] == [
        "astana-2025-tj-agreement-with-kyrgyz-priorities"
    ]


def test_unknown_country_filter_is_422(client: TestClient) -> None:
    response = client.get("/leaders?country=atlantis")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["name"] == "country"
    assert "kg" in error["accepted"]


@pytest.mark.parametrize("leader_id", ["japarov", "Sadyr-Japarov", "nursultan-nazarbayev"])
def test_unknown_leader_is_404_naming_it(client: TestClient, leader_id: str) -> None:
    response = client.get(f"/leaders/{leader_id}")
    assert response.status_code == 404
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": f"No leader with id {leader_id!r}.",
        "instance": f"/leaders/{leader_id}",
    }
