"""/themes and /themes/{theme_id}: the taxonomy as a country x theme matrix."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.expected import THEME_DETAILS, THEME_SEEDS, THEMES, by_id, page


def test_list_themes(client: TestClient) -> None:
    response = client.get("/themes")
    assert response.status_code == 200
    assert response.json() == page(THEMES)
    assert response.json()["total"] == 22  # issue 19: tourism, water, cooperation-mechanisms,
    # poverty-reduction


@pytest.mark.parametrize("theme_id", [t["id"] for t in THEME_SEEDS])
def test_get_every_theme(client: TestClient, theme_id: str) -> None:
    response = client.get(f"/themes/{theme_id}")
    assert response.status_code == 200
    assert response.json() == by_id(THEME_DETAILS)[theme_id]


def test_every_theme_is_used(client: TestClient) -> None:
    """All but customs: issue 19 takes it off the 24 intergovernmental documents (AnewZ's
    list of their fields has none), and no other record names it; the theme's URL keeps
    working. belt-and-road is used again (Berdimuhamedow's Great Silk Road priority)."""
    unused = [
        theme["id"]
        for theme in client.get("/themes").json()["items"]
        if theme["priority_count"] + theme["endorsement_count"] + theme["agreement_count"] == 0
    ]
    assert unused == ["customs"]
    assert client.get("/themes/customs").status_code == 200


def test_rare_earths_literal(client: TestClient) -> None:
    """Japarov names rare-earth processing; Rahmon endorses the Kyrgyz priorities: one
    priority of Kyrgyzstan's own, one endorsement by Tajikistan (listed among its
    priorities in `by_country`)."""
    kg_priority = "astana-2025-kg-rare-earth-processing"
    tj_priority = "astana-2025-tj-agreement-with-kyrgyz-priorities"
    assert client.get("/themes/rare-earths").json() == {
        "id": "rare-earths",
        "url": "/themes/rare-earths",
        "name": "Rare earths",
        "description": "Mining and processing of rare earth elements.",
        "priority_count": 1,
        "endorsement_count": 1,
        "agreement_count": 0,
        "countries": [
            {
                "id": "kg",
                "name": "Kyrgyzstan",
                "url": "/countries/kg",
                "priority_count": 1,
                "endorsement_count": 0,
                "agreement_count": 0,
            },
            {
                "id": "tj",
                "name": "Tajikistan",
                "url": "/countries/tj",
                "priority_count": 0,
                "endorsement_count": 1,
                "agreement_count": 0,
            },
        ],
        "by_country": [
            {
                "country": {"id": "kg", "name": "Kyrgyzstan", "url": "/countries/kg"},
                "priorities": [
                    {
                        "id": kg_priority,
                        "name": "Rare earth processing",
                        "url": f"/priorities/{kg_priority}",
                    }
                ],
                "agreements": [],
            },
            {
                "country": {"id": "tj", "name": "Tajikistan", "url": "/countries/tj"},
                "priorities": [
                    {
                        "id": tj_priority,
                        "name": "Agreement with the other needs identified by Žaparov",
                        "url": f"/priorities/{tj_priority}",
                    }
                ],
                "agreements": [],
            },
        ],
    }


def test_energy_matrix_row(client: TestClient) -> None:
    """One call gives the whole row: who names energy, and how often (own priorities,
    endorsements, agreements)."""
    energy = next(t for t in client.get("/themes").json()["items"] if t["id"] == "energy")
    counts = ("priority_count", "endorsement_count", "agreement_count")
    cells = {c["id"]: tuple(c[k] for k in counts) for c in energy["countries"]}
    # the 24 intergovernmental documents cover energy and bind Kazakhstan and China only
    # (issue 19: signed after the Xi-Tokayev talks); Uzbekistan names energy nowhere
    assert cells == {
        "kz": (0, 0, 1),
        "kg": (1, 0, 0),
        "tj": (1, 0, 0),  # Rahmon's energy; his endorsement of the other needs is not energy
        "tm": (2, 0, 0),
        "cn": (0, 0, 1),
    }
    assert tuple(energy[k] for k in counts) == (4, 0, 1)


def test_themes_sort_by_endorsements(client: TestClient) -> None:
    """`endorsement_count` is a sort key of themes; ties keep the taxonomy's order."""
    response = client.get("/themes", params={"sort": "-endorsement_count", "limit": 200})
    assert response.status_code == 200, response.text
    got = [t["id"] for t in response.json()["items"]]
    order = sorted(THEMES, key=lambda t: -t["endorsement_count"])
    assert got == [t["id"] for t in order]
    assert got[:4] == sorted(
        ["transport", "rare-earths", "industry", "agriculture"],
        key=[t["id"] for t in THEMES].index,
    )


def test_unknown_theme_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/themes/fisheries")
    assert response.status_code == 404
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No theme with id 'fisheries'.",
        "instance": "/themes/fisheries",
    }
