"""/summits, /summits/{summit_id} and /summits/{summit_id}/agreements."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.expected import AGREEMENTS, SUMMITS, by_id, page
from tests.support import PROBLEM

EMPTY_PAGE = {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_list_summits_newest_first(client: TestClient) -> None:
    response = client.get("/summits")
    assert response.status_code == 200
    assert response.json() == page(SUMMITS)
    assert [s["id"] for s in response.json()["items"]] == ["astana-2025", "xian-2023"]


def test_get_summit_xian_literal(client: TestClient) -> None:
    participants = [
        ("cn", "China", "host"),
        ("kz", "Kazakhstan", "participant"),
        ("uz", "Uzbekistan", "participant"),
        ("kg", "Kyrgyzstan", "participant"),
        ("tj", "Tajikistan", "participant"),
        ("tm", "Turkmenistan", "participant"),
    ]
    primary = "asianews-2025-06-26-astana-summit"
    assert client.get("/summits/xian-2023").json() == {
        "id": "xian-2023",
        "url": "/summits/xian-2023",
        "name": "First Central Asia–China Summit",
        "ordinal": 1,
        "city": "Xi'an",
        "date": "2023-05",
        "host": {"id": "cn", "name": "China", "url": "/countries/cn"},
        "participants": [
            {"id": cid, "name": name, "url": f"/countries/{cid}", "role": role}
            for cid, name, role in participants
        ],
        "agreement_count": 0,
        "agreements_url": "/summits/xian-2023/agreements",
        "sources": [
            {
                "source_id": primary,
                "excerpt": "At the second Forum held in Kazakhstan after the one in Xi'an in 2023",
                "url": f"/sources/{primary}",
            },
            {
                "source_id": primary,
                "excerpt": "in the ‘Central Asia-China’ format that followed the 2023 summit "
                "in Xi'an",
                "url": f"/sources/{primary}",
            },
            {
                "source_id": "newscentralasia-2025-06-18",
                "excerpt": "the summit built on the foundation laid during the inaugural meeting "
                "in Xi’an, China, in May 2023",
                "url": "/sources/newscentralasia-2025-06-18",
            },
        ],
    }


@pytest.mark.parametrize("summit_id", ["astana-2025", "xian-2023"])
def test_get_summit(client: TestClient, summit_id: str) -> None:
    response = client.get(f"/summits/{summit_id}")
    assert response.status_code == 200
    assert response.json() == by_id(SUMMITS)[summit_id]


def test_astana_is_hosted_by_kazakhstan(client: TestClient) -> None:
    body = client.get("/summits/astana-2025").json()
    assert body["host"] == {"id": "kz", "name": "Kazakhstan", "url": "/countries/kz"}
    assert body["date"] == "2025-06-17"
    assert body["agreement_count"] == 9
    assert {p["id"]: p["role"] for p in body["participants"]} == {
        "kz": "host",
        "uz": "participant",
        "kg": "participant",
        "tj": "participant",
        "tm": "participant",
        "cn": "participant",
    }


def test_get_summit_agreements(client: TestClient) -> None:
    response = client.get("/summits/astana-2025/agreements")
    assert response.status_code == 200
    astana = [a for a in AGREEMENTS if a["summit"]["id"] == "astana-2025"]
    assert response.json() == page(astana)
    assert [a["position"] for a in response.json()["items"]] == list(range(1, 10))


def test_xian_has_no_agreements_in_the_dataset(client: TestClient) -> None:
    response = client.get("/summits/xian-2023/agreements")
    assert response.status_code == 200
    assert response.json() == EMPTY_PAGE


def test_summit_agreements_filters(client: TestClient) -> None:
    agreements = by_id(AGREEMENTS)
    url = "/summits/astana-2025/agreements?kind=joint-position&party=cn"
    assert client.get(url).json() == page(
        [
            agreements["astana-2025-joint-position-against-use-of-force"],
            agreements["astana-2025-joint-position-against-ongoing-wars"],
            agreements["astana-2025-joint-position-against-trade-wars"],
        ]
    )
    url = "/summits/astana-2025/agreements?theme=finance&party=KGZ"
    assert client.get(url).json() == page(
        [agreements["astana-2025-cny-1-5-billion-for-central-asia"]]
    )


def test_summit_agreements_paginate(client: TestClient) -> None:
    astana = [a for a in AGREEMENTS if a["summit"]["id"] == "astana-2025"]
    response = client.get("/summits/astana-2025/agreements?limit=4&offset=4")
    assert response.json() == page(astana, limit=4, offset=4)
    base = "/summits/astana-2025/agreements?limit=4"
    assert response.headers["link"] == (
        f'<{base}&offset=0>; rel="first", <{base}&offset=0>; rel="prev", '
        f'<{base}&offset=8>; rel="next", <{base}&offset=8>; rel="last"'
    )


@pytest.mark.parametrize("url", ["/summits/beijing-2027", "/summits/beijing-2027/agreements"])
def test_unknown_summit_is_404_naming_it(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No summit with id 'beijing-2027'.",
        "instance": url,
    }
