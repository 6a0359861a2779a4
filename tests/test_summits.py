"""/summits, /summits/{summit_id} and /summits/{summit_id}/agreements."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.expected import AGREEMENTS, SUMMITS, Item, by_id, page
from tests.support import PROBLEM


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
    nca = "newscentralasia-2025-06-18"
    teller = "tellerreport-2023-05-19-xian-declaration-text"
    xinhua = "peoplecn-2023-05-19-xian-summit-declaration-signed"
    declaration = "newscentralasia-2025-06-20-astana-declaration-text"
    teller_excerpt = (
        "On May 2023-5, 18, President Xi Jinping of the People's Republic of China, President "
        "Tokayev of the Republic of Kazakhstan, President of the Kyrgyz Republic Zaparov, "
        "President of the Republic of Tajikistan Rahmon, President Berdymukhamedov of "
        "Turkmenistan, and President of the Republic of Uzbekistan Mirziyoyev jointly held the "
        "China-Central Asia Summit in Xi'an."
    )
    xinhua_excerpt = (
        "XI'AN, May 19 (Xinhua) -- With concerted efforts, China-Central Asia relations will "
        "inject strong positive energy into regional peace and stability, Chinese President Xi "
        "Jinping said Friday when meeting the press following the successful conclusion of the "
        "China-Central Asia Summit."
    )
    teller_citation = {
        "source_id": teller,
        "excerpt": teller_excerpt,
        "url": f"/sources/{teller}",
        "title": "China-Central Asia Summit Xi'an Declaration",
        "publisher": "Teller Report (tellerreport.com)",
        "published": "2023-05-19",
        "web_url": "https://www.tellerreport.com/news/2023-05-19-xi-an-declaration-of-the-"
        "china-central-asia-summit-(full-text).S14zlap4Sn.html",
    }
    xinhua_citation = {
        "source_id": xinhua,
        "excerpt": xinhua_excerpt,
        "url": f"/sources/{xinhua}",
        "title": "China-Central Asia relations contribute to regional peace, stability: Xi",
        "publisher": "People's Daily Online (Xinhua)",
        "published": "2023-05-19",
        "web_url": "http://en.people.cn/n3/2023/0519/c90000-20021155.html",
    }
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
        # issue 19: the Xi'an Declaration, signed on 19 May 2023
        "agreement_count": 1,
        "agreements_url": "/summits/xian-2023/agreements",
        "sources": [
            {
                "source_id": primary,
                "excerpt": "At the second Forum held in Kazakhstan after the one in Xi'an in 2023",
                "url": f"/sources/{primary}",
                "title": "Central Asia and Beijing after the Astana summit",
                "publisher": "AsiaNews",
                "published": "2025-06-26",
                "web_url": "https://www.asianews.it/news-en/"
                "Central-Asia-and-Beijing-after-the-Astana-summit-63374.html",
            },
            {
                "source_id": nca,
                "excerpt": "the summit built on the foundation laid during the inaugural meeting "
                "in Xi’an, China, in May 2023",
                "url": f"/sources/{nca}",
                "title": "Report: Second China-Central Asia Summit",
                "publisher": "nCa — News Central Asia",
                "published": "2025-06-18",
                "web_url": "https://www.newscentralasia.net/2025/06/18/"
                "report-second-china-central-asia-summit/",
            },
            teller_citation,
            xinhua_citation,
            {
                "source_id": declaration,
                "excerpt": "1. The Parties highly appreciate the results of the first Summit of "
                "Heads of State of the Central Asia-China format (May 19, 2023, Xi’an)",
                "url": f"/sources/{declaration}",
                "title": "Astana Declaration of the Second Central Asia-China Summit",
                "publisher": "nCa — News Central Asia (newscentralasia.net)",
                "published": "2025-06-20",
                "web_url": "https://www.newscentralasia.net/2025/06/20/"
                "astana-declaration-of-the-second-central-asia-china-summit/",
            },
        ],
        # two sources, two different attributes (the day it opened, the day it ended): no
        # dispute, and each lone claim is its attribute's preferred one (issue 22)
        "disputed": False,
        "dispute": None,
        "claims": [
            {
                "attribute": "opened",
                "value": "2023-05-18",
                "preferred": True,
                "source_id": teller,
                "excerpt": teller_excerpt,
            },
            {
                "attribute": "concluded",
                "value": "2023-05-19",
                "preferred": True,
                "source_id": xinhua,
                "excerpt": xinhua_excerpt,
            },
        ],
        "changes_url": "/changes?record=xian-2023",
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


def _summits_own(summit_id: str) -> list[Item]:
    """The summit's agreements, not those of a meeting on its occasion (issue 19: the 24
    documents of the Xi-Tokayev talks, the 58 deals of the investment forum)."""
    return [a for a in AGREEMENTS if a["summit"]["id"] == summit_id and a["event"] is None]


def test_get_summit_agreements(client: TestClient) -> None:
    response = client.get("/summits/astana-2025/agreements")
    assert response.status_code == 200
    assert response.json() == page(_summits_own("astana-2025"))
    assert [a["position"] for a in response.json()["items"]] == [1, 2, 5, 6, 7, 8, 9, 10, 11]
    ids = {a["id"] for a in response.json()["items"]}
    assert "astana-2025-intergovernmental-documents" not in ids
    assert "astana-2025-trade-and-investment-agreements" not in ids


def test_xian_lists_its_declaration(client: TestClient) -> None:
    response = client.get("/summits/xian-2023/agreements")
    assert response.status_code == 200
    assert response.json() == page(_summits_own("xian-2023"))
    assert [a["id"] for a in response.json()["items"]] == ["xian-declaration"]


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
    astana = _summits_own("astana-2025")
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
