"""/changes: the corrections each dataset version published (issue 19, Deliver 8)."""

from __future__ import annotations

import tomllib

from fastapi.testclient import TestClient

from tests.conftest import SEEDS

CHANGES = tomllib.loads((SEEDS / "changes.toml").read_text(encoding="utf-8"))["changes"]
OLD = "xi-chinese-people-never-harmed-kazakh-people"
NEW = "tokayev-chinese-people-never-harmed-kazakh-people"


def test_every_change_is_served_in_file_order(client: TestClient) -> None:
    body = client.get("/changes?limit=200").json()
    assert body["total"] == len(CHANGES)
    first = body["items"][0]
    assert first == {
        "version": CHANGES[0]["version"],
        "collection": CHANGES[0]["collection"],
        "record": CHANGES[0]["record"],
        "record_url": f"/{CHANGES[0]['collection']}/{CHANGES[0]['record']}",
        "field": CHANGES[0]["field"],
        "before": CHANGES[0]["before"] or None,
        "after": CHANGES[0]["after"] or None,
        "why": CHANGES[0]["why"],
        "source_id": CHANGES[0]["source_id"],
        "source_url": f"/sources/{CHANGES[0]['source_id']}",
    }


def test_a_client_that_cited_xi_learns_the_words_are_tokayev_s(client: TestClient) -> None:
    old = client.get(f"/changes?record={OLD}").json()["items"]
    assert old, "the retired id keeps its entries"
    assert {"field": "id", "before": OLD, "after": NEW} in [
        {k: c[k] for k in ("field", "before", "after")} for c in old
    ]
    moved = client.get(f"/statements/{OLD}", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"].endswith(f"/statements/{NEW}")
    successor = client.get(f"/statements/{NEW}").json()
    assert successor["speaker"]["id"] == "kassym-jomart-tokayev"
    assert successor["changes_url"] == f"/changes?record={NEW}"


def test_changes_filter_by_version_and_collection(client: TestClient) -> None:
    body = client.get("/changes?version=2026.12.02&collection=sources&limit=200").json()
    expected = [c for c in CHANGES if c["version"] == "2026.12.02" and c["collection"] == "sources"]
    assert body["total"] == len(expected)
    assert all(c["collection"] == "sources" for c in body["items"])


def test_a_bad_filter_value_is_a_problem_naming_it(client: TestClient) -> None:
    response = client.get("/changes?version=1999.01.01")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "version" in response.text
