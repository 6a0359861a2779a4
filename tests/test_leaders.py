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
        "priority_count": 6,
        "endorsement_count": 0,
        "sources": [
            {
                "source_id": "asianews-2025-06-26-astana-summit",
                "excerpt": "Kyrgyz leader Sadyr Žaparov then outlined the six priorities for "
                "regional relations with China",
                "url": "/sources/asianews-2025-06-26-astana-summit",
            }
        ],
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


def test_tokayev_states_no_priorities(client: TestClient) -> None:
    assert client.get("/leaders/kassym-jomart-tokayev").json()["priority_count"] == 0


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
