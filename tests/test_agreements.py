"""/agreements and /agreements/{agreement_id}."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ids
from tests.expected import AGREEMENT_SEEDS, AGREEMENTS, by_id, page

PRIMARY = "asianews-2025-06-26-astana-summit"
ALL_SIX = ["kz", "uz", "kg", "tj", "tm", "cn"]


def test_list_agreements(client: TestClient) -> None:
    response = client.get("/agreements")
    assert response.status_code == 200
    assert response.json() == page(AGREEMENTS)
    assert response.json()["total"] == 9


@pytest.mark.parametrize("agreement_id", [a["id"] for a in AGREEMENT_SEEDS])
def test_get_every_agreement(client: TestClient, agreement_id: str) -> None:
    response = client.get(f"/agreements/{agreement_id}")
    assert response.status_code == 200
    assert response.json() == by_id(AGREEMENTS)[agreement_id]
    assert response.json()["sources"], "every agreement cites its source"


def test_get_declaration_literal(client: TestClient) -> None:
    assert client.get("/agreements/astana-declaration").json() == {
        "id": "astana-declaration",
        "url": "/agreements/astana-declaration",
        "kind": "declaration",
        "position": 2,
        "title": "Astana Declaration",
        "also_known_as": [],
        "description": "Besides the treaty, the parties to the Astana summit signed the "
        "Astana Declaration.",
        "summit": {
            "id": "astana-2025",
            "name": "Second Central Asia–China Summit",
            "url": "/summits/astana-2025",
        },
        "parties": [
            {"id": "kz", "name": "Kazakhstan", "url": "/countries/kz"},
            {"id": "uz", "name": "Uzbekistan", "url": "/countries/uz"},
            {"id": "kg", "name": "Kyrgyzstan", "url": "/countries/kg"},
            {"id": "tj", "name": "Tajikistan", "url": "/countries/tj"},
            {"id": "tm", "name": "Turkmenistan", "url": "/countries/tm"},
            {"id": "cn", "name": "China", "url": "/countries/cn"},
        ],
        "count": None,
        "fields": [],
        "themes": [{"id": "diplomacy", "name": "Diplomacy", "url": "/themes/diplomacy"}],
        "values": [],
        "claims": [],
        "note": "Reported by sr-center.info; the primary source does not mention the "
        "declaration. Its content is not recorded in the project's source notes.",
        "sources": [
            {
                "source_id": "sr-center-2025-06-17",
                "excerpt": "The parties also signed the Astana Declaration, through which they "
                "confirmed the strengthening of strategic partnership in the Central Asian "
                "countries and in China.",
                "url": "/sources/sr-center-2025-06-17",
            }
        ],
    }


def test_disagreeing_sources_keep_each_claim(client: TestClient) -> None:
    """The 1.5 billion yuan is a loan in the primary source and a grant in The Astana Times."""
    body = client.get("/agreements/astana-2025-cny-1-5-billion-for-central-asia").json()
    assert [(c["attribute"], c["value"], c["source_id"]) for c in body["claims"]] == [
        ("instrument", "loan", PRIMARY),
        ("instrument", "grant", "astanatimes-2025-06-18"),
        ("purpose", "public-welfare projects", "astanatimes-2025-06-18"),
    ]
    assert [
        (v["amount"], v["currency"], v["qualifier"], v["source_id"]) for v in body["values"]
    ] == [
        (1_500_000_000, "CNY", None, PRIMARY),
        (200_000_000, "USD", "over", PRIMARY),
        (1_500_000_000, "CNY", None, "astanatimes-2025-06-18"),
        (208_000_000, "USD", "about", "astanatimes-2025-06-18"),
    ]


def test_missing_value_stays_null_with_a_note(client: TestClient) -> None:
    """The primary source omits the deals' value ("worth over billion"): nothing invented."""
    body = client.get("/agreements/astana-2025-trade-and-investment-agreements").json()
    primary, corroborating = body["values"]
    assert primary["source_id"] == PRIMARY
    assert (primary["amount"], primary["currency"], primary["qualifier"]) == (None, None, "over")
    assert "missing" in primary["note"]
    assert corroborating == {
        "amount": 25_000_000_000,
        "currency": "USD",
        "qualifier": "nearly",
        "note": None,
        "source_id": "newscentralasia-2025-06-18",
        "excerpt": "The summit facilitated significant economic advancements, with the signing "
        "of 58 agreements valued at nearly $25 billion during the China-Central Asia "
        "Industrial and Investment Cooperation Forum.",
    }
    assert body["count"] == 58


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "summit=astana-2025&kind=joint-position&party=cn&theme=trade",
            ["astana-2025-joint-position-against-trade-wars"],
        ),
        (
            "party=cn&theme=diplomacy",
            [
                "treaty-on-eternal-good-neighborliness-friendship-and-cooperation",
                "astana-declaration",
                "astana-2025-joint-position-against-use-of-force",
            ],
        ),
        (
            "party=kg&theme=diplomacy&kind=joint-position",
            # the author's "Central Asia intends to support China" is a statement now
            ["astana-2025-joint-position-against-use-of-force"],
        ),
        ("party=KGZ&theme=finance", ["astana-2025-cny-1-5-billion-for-central-asia"]),
        ("kind=training-commitment", ["astana-2025-professional-training-quotas"]),
        ("theme=health", ["astana-2025-intergovernmental-documents"]),
        ("summit=xian-2023", []),
        ("summit=astana-2025&theme=space", []),
    ],
)
def test_filters_combine(client: TestClient, query: str, expected: list[str]) -> None:
    assert ids(f"/agreements?{query}", client) == expected


def test_filtered_page_is_the_whole_objects(client: TestClient) -> None:
    response = client.get("/agreements?summit=astana-2025&kind=treaty&party=tj&theme=diplomacy")
    treaty = by_id(AGREEMENTS)["treaty-on-eternal-good-neighborliness-friendship-and-cooperation"]
    assert response.json() == page([treaty])
    assert [p["id"] for p in treaty["parties"]] == ALL_SIX


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("summit=beijing-2027", "summit"),
        ("kind=memorandum", "kind"),
        ("party=atlantis", "party"),
        ("theme=tourism", "theme"),
    ],
)
def test_unknown_filter_values_are_422(client: TestClient, query: str, name: str) -> None:
    response = client.get(f"/agreements?{query}")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["name"] == name
    assert error["accepted"]


def test_unknown_agreement_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/agreements/astana-2025-gas-pipeline")
    assert response.status_code == 404
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No agreement with id 'astana-2025-gas-pipeline'.",
        "instance": "/agreements/astana-2025-gas-pipeline",
    }
