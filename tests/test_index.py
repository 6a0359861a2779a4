"""/ (the index), /meta and /health."""

from __future__ import annotations

import re

from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from app import build
from tests.expected import (
    AGREEMENT_SEEDS,
    COUNTRY_SEEDS,
    DATASET,
    LEADER_SEEDS,
    PRIORITY_SEEDS,
    RETIRED_COUNTS,
    SEEDS,
    SOURCE_SEEDS,
    STATEMENT_SEEDS,
    SUMMIT_SEEDS,
    THEME_SEEDS,
)

MIGRATIONS = SEEDS.parent / "migrations"


def seed_checksum() -> str:
    """The checksum the loader gives the seeds (sha256 of their validated records)."""
    return build.read_seeds(SEEDS).checksum()


def test_index(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "name": "Summit API",
        "description": "A read-only API over a curated, source-backed dataset of the "
        "Central Asia–China summits (Xi'an 2023, Astana 2025).",
        "dataset_version": "2026.12.01",
        "links": {
            "summits": "/summits",
            "countries": "/countries",
            "leaders": "/leaders",
            "priorities": "/priorities",
            "agreements": "/agreements",
            "themes": "/themes",
            "statements": "/statements",
            "sources": "/sources",
            "search": "/search?q={query}",
            "meta": "/meta",
            "health": "/health",
            "docs": "/docs",
            "redoc": "/redoc",
            "openapi": "/openapi.json",
            "database": "/dataset.db",
            "datapackage": "/datapackage.json",
            "datapackage_zip": "/datapackage.zip",
            "theme_matrix": "/themes/matrix.csv",
        },
    }


def test_every_index_link_answers(client: TestClient) -> None:
    for name, url in client.get("/").json()["links"].items():
        url = url.replace("{query}", "japarov")
        assert client.get(url).status_code == 200, name


def test_meta(client: TestClient) -> None:
    response = client.get("/meta")
    assert response.status_code == 200
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert response.json() == {
        "dataset": {
            "version": DATASET["version"],
            "checksum": seed_checksum(),
            "title": DATASET["title"],
            "description": DATASET["description"],
            "licence": "CC-BY-4.0",
            "licence_note": DATASET["licence_note"],
            "schema_revision": head,
        },
        "counts": {
            "countries": len(COUNTRY_SEEDS),
            "leaders": len(LEADER_SEEDS),
            "summits": len(SUMMIT_SEEDS),
            "priorities": len(PRIORITY_SEEDS),
            "agreements": len(AGREEMENT_SEEDS),
            "statements": len(STATEMENT_SEEDS),
            "themes": len(THEME_SEEDS),
            "sources": len(SOURCE_SEEDS),
        },
        "sources": [
            {"id": s["id"], "name": s["title"], "url": f"/sources/{s['id']}"} for s in SOURCE_SEEDS
        ],
        "retired_counts": RETIRED_COUNTS,
        "downloads": {
            "database": "/dataset.db",
            "datapackage": "/datapackage.json",
            "datapackage_zip": "/datapackage.zip",
            "theme_matrix": "/themes/matrix.csv",
        },
    }


def test_meta_counts_retired_ids_apart_from_the_records(client: TestClient) -> None:
    """The two retired ids (seeds/retired.toml) are counted where they lived, not served."""
    body = client.get("/meta").json()
    assert body["retired_counts"] == {
        **dict.fromkeys(body["counts"], 0),
        "priorities": 1,
        "agreements": 1,
    }
    assert set(body["retired_counts"]) == set(body["counts"])


def test_meta_counts_match_the_collections(client: TestClient) -> None:
    for name, count in client.get("/meta").json()["counts"].items():
        assert client.get(f"/{name}").json()["total"] == count, name


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "dataset_version": "2026.12.01",
        "checksum": seed_checksum(),
    }
    assert re.fullmatch(r"[0-9a-f]{64}", body["checksum"])
