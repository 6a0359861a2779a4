"""/priorities and /priorities/{priority_id}, with their filters and the pagination helper."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ids
from tests.expected import PRIORITIES, PRIORITY_SEEDS, by_id, page
from tests.support import PROBLEM


def test_list_priorities(client: TestClient) -> None:
    response = client.get("/priorities")
    assert response.status_code == 200
    assert response.json() == page(PRIORITIES)
    assert response.json()["total"] == len(PRIORITY_SEEDS) == 37
    assert response.headers["x-total-count"] == "37"


def test_get_priority_literal(client: TestClient) -> None:
    response = client.get("/priorities/astana-2025-kg-rare-earth-processing")
    assert response.status_code == 200
    body = response.json()
    assert body == by_id(PRIORITIES)["astana-2025-kg-rare-earth-processing"]
    assert {k: body[k] for k in ("kind", "position", "leader", "country", "summit", "themes")} == {
        "kind": "priority",
        "position": 7,  # after the six areas of Japarov's press service (24.kg)
        "leader": {"id": "sadyr-japarov", "name": "Sadyr Japarov", "url": "/leaders/sadyr-japarov"},
        "country": {"id": "kg", "name": "Kyrgyzstan", "url": "/countries/kg"},
        "summit": {
            "id": "astana-2025",
            "name": "Second Central Asia–China Summit",
            "url": "/summits/astana-2025",
        },
        "themes": [{"id": "rare-earths", "name": "Rare earths", "url": "/themes/rare-earths"}],
    }
    # the article's item, kept with its claim: 24.kg's list (preferred) does not have it
    assert body["disputed"] is True


@pytest.mark.parametrize("priority_id", [p["id"] for p in PRIORITY_SEEDS])
def test_get_every_priority(client: TestClient, priority_id: str) -> None:
    response = client.get(f"/priorities/{priority_id}")
    assert response.status_code == 200
    assert response.json() == by_id(PRIORITIES)[priority_id]
    assert response.json()["sources"], "every priority cites its source"


def test_filters_combine(client: TestClient) -> None:
    response = client.get("/priorities?country=kg&theme=energy&summit=astana-2025")
    assert response.status_code == 200
    assert response.json() == page([by_id(PRIORITIES)["astana-2025-kg-energy"]])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the endorsement of Japarov's "other needs" does not repeat Rahmon's own energy
        ("country=tj&theme=energy", ["astana-2025-tj-energy-sector"]),
        (
            "theme=rare-earths",
            [
                "astana-2025-kg-rare-earth-processing",
                "astana-2025-tj-agreement-with-kyrgyz-priorities",
            ],
        ),
        ("theme=energy&kind=proposal", ["astana-2025-tm-natural-gas-diversification"]),
        (
            "country=TKM&kind=proposal",
            [
                "astana-2025-tm-natural-gas-diversification",
                "astana-2025-tm-global-security-strategy",
            ],
        ),
        ("kind=endorsement", ["astana-2025-tj-agreement-with-kyrgyz-priorities"]),
        (
            "leader=shavkat-mirziyoyev&theme=industry",
            [
                "astana-2025-uz-industrial-standards-centre-tashkent",
                "astana-2025-uz-industrial-centres-technology-parks-logistics-hubs",
            ],
        ),
        ("country=uzbekistan&theme=space", []),
        # Tokayev's address: six points per The Astana Times, two per Kazinform
        (
            "country=kz",
            [
                "astana-2025-kz-joint-ventures-and-exports",
                "astana-2025-kz-joint-high-tech-production",
                "astana-2025-kz-agriculture-and-water-saving",
                "astana-2025-kz-agro-industrial-localisation",
                "astana-2025-kz-khorgos-cross-border-centre",
                "astana-2025-kz-reliable-supply-routes",
                "astana-2025-kz-long-term-strategy-2026-2030",
                "astana-2025-kz-expert-platform-logistics",
            ],
        ),
        ("country=kz&kind=proposal", ["astana-2025-kz-expert-platform-logistics"]),
        ("theme=tourism", ["astana-2025-kg-tourism"]),
        ("theme=customs", []),  # a theme no record uses any more
        (
            "country=tm&disputed=true",
            ["astana-2025-tm-natural-gas-diversification", "astana-2025-tm-electricity"],
        ),
        ("summit=xian-2023", []),
    ],
)
def test_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert ids(f"/priorities?{query}", client) == expected


def test_country_filter_accepts_every_key_form(client: TestClient) -> None:
    kg = page([p for p in PRIORITIES if p["country"]["id"] == "kg"])
    for key in ("kg", "KG", "KGZ", "417", "Kyrgyzstan"):
        assert client.get(f"/priorities?country={key}").json() == kg


@pytest.mark.parametrize(
    ("query", "name", "accepted"),
    [
        ("country=atlantis", "country", ["kz", "uz", "kg", "tj", "tm", "cn"]),
        ("theme=sport", "theme", ["energy"]),
        ("summit=beijing-2027", "summit", ["astana-2025", "xian-2023"]),
        ("leader=nobody", "leader", ["sadyr-japarov"]),
        ("kind=wish", "kind", ["endorsement"]),
    ],
)
def test_unknown_filter_values_are_422(
    client: TestClient, query: str, name: str, accepted: list[str]
) -> None:
    response = client.get(f"/priorities?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["name"] == name
    assert set(accepted) <= set(error["accepted"])
    assert f"{name} does not take '{query.split('=')[1]}'. Send " in response.json()["detail"]


# --- pagination: one helper serves every collection; /priorities is the longest --------


def test_default_limit_is_50(client: TestClient) -> None:
    body = client.get("/priorities").json()
    assert (body["limit"], body["offset"]) == (50, 0)


def test_middle_page_links(client: TestClient) -> None:
    response = client.get("/priorities?limit=5&offset=10")
    assert response.status_code == 200
    assert response.json() == page(PRIORITIES, limit=5, offset=10)
    assert response.headers["link"] == (
        '</priorities?limit=5&offset=0>; rel="first", '
        '</priorities?limit=5&offset=5>; rel="prev", '
        '</priorities?limit=5&offset=15>; rel="next", '
        '</priorities?limit=5&offset=35>; rel="last"'
    )


def test_first_and_last_page_links(client: TestClient) -> None:
    first = client.get("/priorities?limit=5")
    assert first.json() == page(PRIORITIES, limit=5)
    assert first.headers["link"] == (
        '</priorities?limit=5&offset=0>; rel="first", '
        '</priorities?limit=5&offset=5>; rel="next", '
        '</priorities?limit=5&offset=35>; rel="last"'
    )
    last = client.get("/priorities?limit=5&offset=35")
    assert last.json() == page(PRIORITIES, limit=5, offset=35)
    assert len(last.json()["items"]) == 2
    assert last.headers["link"] == (
        '</priorities?limit=5&offset=0>; rel="first", '
        '</priorities?limit=5&offset=30>; rel="prev", '
        '</priorities?limit=5&offset=35>; rel="last"'
    )


def test_links_keep_the_filters(client: TestClient) -> None:
    response = client.get("/priorities?theme=energy&limit=2")
    assert response.json() == page(
        [p for p in PRIORITIES if any(t["id"] == "energy" for t in p["themes"])], limit=2
    )
    assert response.headers["link"] == (
        '</priorities?theme=energy&limit=2&offset=0>; rel="first", '
        '</priorities?theme=energy&limit=2&offset=2>; rel="next", '
        '</priorities?theme=energy&limit=2&offset=2>; rel="last"'
    )


def test_walking_next_links_visits_every_item_once(client: TestClient) -> None:
    url: str | None = "/priorities?limit=3"
    seen: list[str] = []
    while url is not None:
        response = client.get(url)
        seen += [p["id"] for p in response.json()["items"]]
        links = {
            part.split(">; rel=")[1].strip('"'): part.split(">; rel=")[0].lstrip("<")
            for part in response.headers["link"].split(", ")
        }
        url = links.get("next")
    assert seen == [p["id"] for p in PRIORITIES]


def test_offset_past_the_end_is_an_empty_page(client: TestClient) -> None:
    assert client.get("/priorities?offset=100").json() == {
        "items": [],
        "total": 37,
        "limit": 50,
        "offset": 100,
    }


def test_limit_bounds(client: TestClient) -> None:
    assert client.get("/priorities?limit=200").json() == page(PRIORITIES, limit=200)
    assert client.get("/priorities?limit=1").json() == page(PRIORITIES, limit=1)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=201", "limit must be 200 or less, not '201'."),
        ("limit=0", "limit must be 1 or more, not '0'."),
        ("limit=-5", "limit must be a whole number in plain digits, not '-5'."),
        ("limit=ten", "limit must be a whole number in plain digits, not 'ten'."),
        ("offset=-1", "offset must be a whole number in plain digits, not '-1'."),
        ("offset=1.5", "offset must be a whole number in plain digits, not '1.5'."),
        # integers are strict: digits only, no `_`, sign, space, decimal point or padding
        ("limit=5_0", "limit must be a whole number in plain digits, not '5_0'."),
        ("limit=%2B1", "limit must be a whole number in plain digits, not '+1'."),
        ("limit=%201", "limit must be a whole number in plain digits, not ' 1'."),
        ("limit=1.0", "limit must be a whole number in plain digits, not '1.0'."),
        ("offset=01", "offset must be a whole number in plain digits, not '01'."),
    ],
)
def test_paging_out_of_bounds_is_422(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/priorities?{query}")
    assert response.status_code == 422
    body = response.json()
    name = query.split("=")[0]
    bounds = "from 1 to 200" if name == "limit" else "from 0 to 1000000"
    assert body["detail"] == f"{message} Send an integer {bounds}."
    [error] = body["errors"]
    assert (error["location"], error["name"]) == ("query", name)
    assert error["message"] == message
    assert error["accepted"] == [f"an integer {bounds}"]


def test_a_priority_serves_the_note_of_its_seed(client: TestClient) -> None:
    """The seed's note (what an endorsement endorses, who "he" is), served and in the CSV;
    null where the seed has none."""
    endorsement = "astana-2025-tj-agreement-with-kyrgyz-priorities"
    body = client.get(f"/priorities/{endorsement}").json()
    assert body["note"] == by_id(PRIORITIES)[endorsement]["note"]
    assert body["note"].startswith("An endorsement, not a need Rahmon names")
    assert client.get("/priorities/astana-2025-tj-energy-sector").json()["note"] is None
    rows = client.get("/priorities.csv").text.splitlines()
    assert "note" in rows[0].split(",")
    assert "An endorsement, not a need" in next(r for r in rows if r.startswith(endorsement))


@pytest.mark.parametrize("priority_id", ["astana-2025-kz-anything", "kg-energy"])
def test_unknown_priority_is_404_naming_it(client: TestClient, priority_id: str) -> None:
    response = client.get(f"/priorities/{priority_id}")
    assert response.status_code == 404
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": f"No priority with id {priority_id!r}.",
        "instance": f"/priorities/{priority_id}",
    }
