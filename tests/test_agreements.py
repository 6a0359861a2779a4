"""/agreements and /agreements/{agreement_id}."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ids
from tests.expected import AGREEMENT_SEEDS, AGREEMENTS, by_id, page

PRIMARY = "asianews-2025-06-26-astana-summit"
DARYO_GRANT = "daryo-2025-06-18-xi-grant-1-5-billion-yuan-training-quotas"
ALL_SIX = ["kz", "uz", "kg", "tj", "tm", "cn"]
NAMES = {
    "kz": "Kazakhstan",
    "uz": "Uzbekistan",
    "kg": "Kyrgyzstan",
    "tj": "Tajikistan",
    "tm": "Turkmenistan",
    "cn": "China",
}


def party(country: str, role: str) -> dict[str, str]:
    return {"id": country, "name": NAMES[country], "url": f"/countries/{country}", "role": role}


def test_list_agreements(client: TestClient) -> None:
    response = client.get("/agreements")
    assert response.status_code == 200
    assert response.json() == page(AGREEMENTS)
    assert response.json()["total"] == 12


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
        "description": "The leaders of the six countries signed and adopted the Astana "
        "Declaration of the Second Central Asia–China Summit, held in Astana on 17 June 2025; "
        "in it the heads of state declare their commitment to further strengthening friendly "
        "relations, deepening political trust and expanding economic cooperation between the "
        "countries of Central Asia and China.",
        "summit": {
            "id": "astana-2025",
            "name": "Second Central Asia–China Summit",
            "url": "/summits/astana-2025",
        },
        "parties": [party(c, "signatory") for c in ALL_SIX],
        "count": None,
        "fields": [],
        "themes": [{"id": "diplomacy", "name": "Diplomacy", "url": "/themes/diplomacy"}],
        "values": [],
        "note": "The stored text of the declaration (nCa) holds only its beginning, up to its "
        "point 1.",
        "sources": [
            {
                "source_id": "sr-center-2025-06-17",
                "excerpt": "The parties also signed the Astana Declaration, through which they "
                "confirmed the strengthening of strategic partnership in the Central Asian "
                "countries and in China.",
                "url": "/sources/sr-center-2025-06-17",
                "title": "On June 17, 2025, the second China-Central Asia Summit was held in "
                "Astana, the capital of Kazakhstan. Results",
                "publisher": "sr-center.info",
                "published": None,
                "web_url": "https://sr-center.info/en/news/-on-june-17-2025-the-second-china-"
                "central-asia-summit-was-held-in-astana-the-capital-of-kazakhstan-results",
            },
            {
                "source_id": "daryo-2025-06-18-summit-documents-signed",
                "excerpt": "During the summit, the participating leaders signed and adopted two "
                "major documents: the Treaty on Eternal Good-Neighborliness, Friendship and "
                "Cooperation and the Astana Declaration of the Second Central Asia–China Summit.",
                "url": "/sources/daryo-2025-06-18-summit-documents-signed",
                "title": "Central Asia–China summit yields new agreements on trade, "
                "connectivity and culture",
                "publisher": "Daryo (daryo.uz)",
                "published": "2025-06-18",
                "web_url": "https://daryo.uz/en/2025/06/18/central-asia-china-summit-yields-new-"
                "agreements-on-trade-connectivity-and-culture",
            },
            {
                "source_id": "newscentralasia-2025-06-20-astana-declaration-text",
                "excerpt": "The heads of state of the Central Asia-China format, recognizing the "
                "strategic importance of the region and recognizing the importance of further "
                "deepening multilateral cooperation based on equality, mutual respect and mutual "
                "benefit, declare their commitment to further strengthening friendly relations, "
                "deepening political trust and expanding economic cooperation between the "
                "countries of Central Asia and China.",
                "url": "/sources/newscentralasia-2025-06-20-astana-declaration-text",
                "title": "Astana Declaration of the Second Central Asia-China Summit",
                "publisher": "nCa — News Central Asia (newscentralasia.net)",
                "published": "2025-06-20",
                "web_url": "https://www.newscentralasia.net/2025/06/20/astana-declaration-of-the-"
                "second-central-asia-china-summit/",
            },
            {
                "source_id": "presidentuz-2025-06-17-mirziyoyev-summit-address",
                "excerpt": "I support today's meeting agenda and the prepared documents, including "
                "the Astana Declaration.",
                "url": "/sources/presidentuz-2025-06-17-mirziyoyev-summit-address",
                "title": "Address by the President of the Republic of Uzbekistan Shavkat "
                "Mirziyoyev at the Second “Central Asia – China” Summit",
                "publisher": "Official web-site of the President of Uzbekistan (president.uz)",
                "published": "2025-06-17",
                "web_url": "https://www.president.uz/en/lists/view/8231",
            },
        ],
        "event": None,
        "disputed": False,
        "dispute": None,
        "claims": [],
        "changes_url": "/changes?record=astana-declaration",
    }


def test_disagreeing_sources_keep_each_claim(client: TestClient) -> None:
    """Xi's own words (Daryo) and The Astana Times say grant; the AsiaNews article says loan."""
    body = client.get("/agreements/astana-2025-cny-1-5-billion-for-central-asia").json()
    assert (body["disputed"], body["dispute"]) == (
        True,
        "Instrument: Xi's own words as Daryo quotes them say “free grants this year” (The "
        "Astana Times: a grant); AsiaNews says China promised a loan.",
    )
    assert [
        (c["attribute"], c["value"], c["preferred"], c["source_id"]) for c in body["claims"]
    ] == [
        ("instrument", "grant", True, DARYO_GRANT),
        ("instrument", "grant", False, "astanatimes-2025-06-18"),
        ("instrument", "loan", False, PRIMARY),
        (
            "purpose",
            "key projects to improve people's well-being and promote their development",
            True,
            DARYO_GRANT,
        ),
        ("purpose", "public-welfare projects", False, "astanatimes-2025-06-18"),
    ]
    assert [
        (v["amount"], v["currency"], v["qualifier"], v["preferred"], v["source_id"])
        for v in body["values"]
    ] == [
        (1_500_000_000, "CNY", None, True, DARYO_GRANT),
        (208_000_000, "USD", "over", True, DARYO_GRANT),
        (1_500_000_000, "CNY", None, False, "astanatimes-2025-06-18"),
        (208_000_000, "USD", "about", False, "astanatimes-2025-06-18"),
        (1_500_000_000, "CNY", None, False, PRIMARY),
        (200_000_000, "USD", "over", False, PRIMARY),
    ]
    assert body["parties"] == [party("cn", "donor")] + [
        party(c, "recipient") for c in ALL_SIX if c != "cn"
    ]


def test_missing_value_stays_null_with_a_note(client: TestClient) -> None:
    """The primary source omits the deals' value ("worth over billion"): nothing invented."""
    body = client.get("/agreements/astana-2025-trade-and-investment-agreements").json()
    missing, government, nca = body["values"]
    assert missing["source_id"] == PRIMARY
    assert (missing["amount"], missing["currency"], missing["qualifier"]) == (None, None, "over")
    assert (missing["preferred"], "missing" in missing["note"]) == (False, True)
    assert government == {
        "amount": 24_000_000_000,
        "currency": "USD",
        "qualifier": None,
        "note": None,
        "preferred": True,
        "source_id": "ktkz-2025-06-25-bektenov-58-commercial-agreements",
        "excerpt": "58 commercial agreements worth 24 billion US dollars were signed on the "
        "margins of the forum.",
    }
    assert nca == {
        "amount": 25_000_000_000,
        "currency": "USD",
        "qualifier": "nearly",
        "note": None,
        "preferred": False,
        "source_id": "newscentralasia-2025-06-18",
        "excerpt": "The summit facilitated significant economic advancements, with the signing "
        "of 58 agreements valued at nearly $25 billion during the China-Central Asia "
        "Industrial and Investment Cooperation Forum.",
    }
    assert body["count"] == 58
    assert body["event"] == {
        "id": "astana-2025-industrial-investment-forum",
        "name": "China-Central Asia Industrial and Investment Cooperation Forum",
        "url": "/events/astana-2025-industrial-investment-forum",
    }
    assert body["parties"] == [party(c, "participant") for c in ALL_SIX]


def test_the_24_documents_are_kazakhstan_and_china_at_the_talks(client: TestClient) -> None:
    body = client.get("/agreements/astana-2025-intergovernmental-documents").json()
    assert body["parties"] == [party("kz", "signatory"), party("cn", "signatory")]
    assert (body["count"], body["event"]["id"], body["disputed"]) == (
        24,
        "astana-2025-xi-tokayev-talks",
        True,
    )
    assert "customs" not in [t["id"] for t in body["themes"]]


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
                "xian-declaration",
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
        ("summit=xian-2023", ["xian-declaration"]),
        (
            "kind=joint-decision",
            [
                "astana-2025-three-cooperation-centres",
                "astana-2025-smooth-trade-cooperation-platform",
            ],
        ),
        ("theme=space", ["astana-2025-intergovernmental-documents"]),
        # a summit's own agreements: the 24 documents were signed at the talks the day before
        ("summit=astana-2025&theme=space", []),
        ("event=astana-2025-xi-tokayev-talks", ["astana-2025-intergovernmental-documents"]),
        ("party=kz&theme=tourism", ["astana-2025-intergovernmental-documents"]),
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
        ("theme=mining", "theme"),
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
