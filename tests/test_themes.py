"""/themes and /themes/{theme_id}: the taxonomy as a country x theme matrix."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.expected import THEME_DETAILS, THEME_SEEDS, THEMES, by_id, page


def test_list_themes(client: TestClient) -> None:
    response = client.get("/themes")
    assert response.status_code == 200
    assert response.json() == page(THEMES)
    assert response.json()["total"] == 18


@pytest.mark.parametrize("theme_id", [t["id"] for t in THEME_SEEDS])
def test_get_every_theme(client: TestClient, theme_id: str) -> None:
    response = client.get(f"/themes/{theme_id}")
    assert response.status_code == 200
    assert response.json() == by_id(THEME_DETAILS)[theme_id]


def test_every_theme_is_used(client: TestClient) -> None:
    """All but belt-and-road: its only record was the experts' analysis served as Xi
    Jinping's position (retired, seeds/retired.toml); the theme's URL keeps working."""
    unused = [
        theme["id"]
        for theme in client.get("/themes").json()["items"]
        if theme["priority_count"] + theme["agreement_count"] == 0
    ]
    assert unused == ["belt-and-road"]


def test_rare_earths_literal(client: TestClient) -> None:
    """Japarov names rare-earth processing; Rahmon endorses the Kyrgyz priorities."""
    kg_priority = "astana-2025-kg-rare-earth-processing"
    tj_priority = "astana-2025-tj-agreement-with-kyrgyz-priorities"
    assert client.get("/themes/rare-earths").json() == {
        "id": "rare-earths",
        "url": "/themes/rare-earths",
        "name": "Rare earths",
        "description": "Mining and processing of rare earth elements.",
        "priority_count": 2,
        "agreement_count": 0,
        "countries": [
            {
                "id": "kg",
                "name": "Kyrgyzstan",
                "url": "/countries/kg",
                "priority_count": 1,
                "agreement_count": 0,
            },
            {
                "id": "tj",
                "name": "Tajikistan",
                "url": "/countries/tj",
                "priority_count": 1,
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
    """One call gives the whole row: who names energy, and how often."""
    energy = next(t for t in client.get("/themes").json()["items"] if t["id"] == "energy")
    cells = {c["id"]: (c["priority_count"], c["agreement_count"]) for c in energy["countries"]}
    # the 24 intergovernmental documents cover energy and bind all six
    assert cells == {
        "kz": (0, 1),
        "uz": (0, 1),
        "kg": (1, 1),
        "tj": (1, 1),  # Rahmon's energy; his endorsement of the other needs is not energy
        "tm": (2, 1),
        "cn": (0, 1),
    }
    assert (energy["priority_count"], energy["agreement_count"]) == (4, 1)


def test_unknown_theme_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/themes/tourism")
    assert response.status_code == 404
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No theme with id 'tourism'.",
        "instance": "/themes/tourism",
    }
