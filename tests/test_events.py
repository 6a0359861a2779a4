"""/events and /events/{event_id}: the meetings on a summit's occasion (issue 19, "Where a
fact happened"). Expected values are the sources' facts, written out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.expected import EVENT_SEEDS, EVENTS, by_id, page

TALKS = "astana-2025-xi-tokayev-talks"


def test_list_events(client: TestClient) -> None:
    response = client.get("/events")
    assert response.status_code == 200
    assert response.json() == page(EVENTS)


@pytest.mark.parametrize("event_id", [e["id"] for e in EVENT_SEEDS])
def test_get_every_event(client: TestClient, event_id: str) -> None:
    assert client.get(f"/events/{event_id}").json() == by_id(EVENTS)[event_id]


def test_the_akorda_talks_are_on_the_summit_s_eve_between_two_countries(
    client: TestClient,
) -> None:
    body = client.get(f"/events/{TALKS}").json()
    assert body["date"] == "2025-06-16"
    assert body["kind"] == "bilateral-talks"
    assert [p["id"] for p in body["participants"]] == ["kz", "cn"]
    assert body["summit"]["id"] == "astana-2025"
    summit = client.get("/summits/astana-2025").json()
    assert summit["date"] == "2025-06-17"


def test_the_24_documents_are_kazakhstan_s_and_china_s_of_16_june(client: TestClient) -> None:
    docs = client.get("/agreements/astana-2025-intergovernmental-documents").json()
    assert docs["count"] == 24
    assert docs["event"] == {
        "id": TALKS,
        "name": client.get(f"/events/{TALKS}").json()["name"],
        "url": f"/events/{TALKS}",
    }
    assert sorted(p["id"] for p in docs["parties"]) == ["cn", "kz"]
    summit_ids = [a["id"] for a in client.get("/summits/astana-2025/agreements").json()["items"]]
    assert "astana-2025-intergovernmental-documents" not in summit_ids
    at_talks = client.get(f"/agreements?event={TALKS}").json()["items"]
    assert "astana-2025-intergovernmental-documents" in [a["id"] for a in at_talks]


def test_statements_made_at_the_talks_say_so(client: TestClient) -> None:
    said = client.get(f"/statements?event={TALKS}&speaker=kassym-jomart-tokayev").json()
    texts = " ".join(s["text"] for s in said["items"])
    assert "The Chinese people have never harmed the Kazakh people" in texts
    assert all(s["event"]["id"] == TALKS for s in said["items"])


def test_the_summit_counts_only_its_own_agreements(client: TestClient) -> None:
    summit = client.get("/summits/astana-2025").json()
    listed = client.get("/summits/astana-2025/agreements").json()
    assert summit["agreement_count"] == listed["total"]
    assert all(a["event"] is None for a in listed["items"])


def test_an_unknown_event_is_a_404_naming_it(client: TestClient) -> None:
    response = client.get("/events/no-such-meeting")
    assert response.status_code == 404
    assert "no-such-meeting" in response.json()["detail"]
