"""/ (the index), /meta and /health."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from app import loader
from app.dataset.db import open_snapshot, probe, read_snapshot
from tests.expected import (
    AGREEMENT_SEEDS,
    COUNTRY_SEEDS,
    DATASET,
    EVENT_SEEDS,
    LEADER_SEEDS,
    PRIORITY_SEEDS,
    RETIRED_COUNTS,
    SEEDS,
    SOURCE_SEEDS,
    STATEMENT_SEEDS,
    SUMMIT_SEEDS,
    THEME_SEEDS,
)
from tests.support import cache_of

MIGRATIONS = SEEDS.parent / "migrations"
VERSION = "2026.12.02"  # seeds/dataset.toml, bumped by issue 19


def _change_seeds() -> list[dict[str, object]]:
    with (SEEDS / "changes.toml").open("rb") as f:
        changes: list[dict[str, object]] = tomllib.load(f)["changes"]
    return changes


def seed_checksum() -> str:
    """The checksum the loader gives the seeds (sha256 of their validated records)."""
    return loader.read_seeds(SEEDS).checksum()


def test_index(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "name": "Summit API",
        "description": "A read-only API over a curated, source-backed dataset of the "
        "Central Asia–China summits (Xi'an 2023, Astana 2025).",
        "dataset_version": VERSION,
        "links": {
            "summits": "/summits",
            "countries": "/countries",
            "events": "/events",
            "changes": "/changes",
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
            "datapackage_xlsx": "/datapackage.xlsx",
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
            "events": len(EVENT_SEEDS),
        },
        "sources": [
            {"id": s["id"], "name": s["title"], "url": f"/sources/{s['id']}"} for s in SOURCE_SEEDS
        ],
        "disputed_counts": {
            name: sum(1 for r in records if "dispute" in r)
            for name, records in {
                "sources": SOURCE_SEEDS,
                "themes": THEME_SEEDS,
                "countries": COUNTRY_SEEDS,
                "summits": SUMMIT_SEEDS,
                "events": EVENT_SEEDS,
                "leaders": LEADER_SEEDS,
                "priorities": PRIORITY_SEEDS,
                "agreements": AGREEMENT_SEEDS,
                "statements": STATEMENT_SEEDS,
            }.items()
        },
        "change_count": len(_change_seeds()),
        "retired_counts": RETIRED_COUNTS,
        "downloads": {
            "database": "/dataset.db",
            "datapackage": "/datapackage.json",
            "datapackage_zip": "/datapackage.zip",
            "datapackage_xlsx": "/datapackage.xlsx",
            "theme_matrix": "/themes/matrix.csv",
        },
    }


def test_meta_counts_retired_ids_apart_from_the_records(client: TestClient) -> None:
    """The eight retired ids (seeds/retired.toml: two of 2026.12.01, six of issue 19's
    2026.12.02) are counted where they lived, not served."""
    body = client.get("/meta").json()
    assert body["retired_counts"] == {
        **dict.fromkeys(body["counts"], 0),
        "priorities": 3,
        "agreements": 1,
        "statements": 4,
    }
    assert set(body["retired_counts"]) == set(body["counts"])


def test_meta_counts_the_disputed_records(client: TestClient) -> None:
    """Issue 19's disputes (notes/seeds19-report.md): the ten Kyrgyz priorities, the
    trade-wars priority and two Turkmen wordings; the 24 documents, the 58 deals and the
    1.5 billion yuan; the four Akorda statements, Berdimuhamedow's electricity and Xi's
    trade wars. Nothing else is disputed, and there are 131 changes to read."""
    body = client.get("/meta").json()
    assert body["disputed_counts"] == {
        **dict.fromkeys(body["counts"], 0),
        "priorities": 13,
        "agreements": 3,
        "statements": 6,
    }
    assert body["change_count"] == 131
    for name in ("priorities", "agreements", "statements"):
        disputed = client.get(f"/{name}", params={"disputed": "true"}).json()["total"]
        assert disputed == body["disputed_counts"][name], name


def test_meta_counts_match_the_collections(client: TestClient) -> None:
    for name, count in client.get("/meta").json()["counts"].items():
        assert client.get(f"/{name}").json()["total"] == count, name


def test_health(client: TestClient, db_path: Path) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "dataset_version": VERSION,
        "checksum": seed_checksum(),
        "database_sha256": hashlib.sha256(db_path.read_bytes()).hexdigest(),
    }
    assert re.fullmatch(r"[0-9a-f]{64}", body["checksum"])


def test_health_is_never_cached(client: TestClient) -> None:
    """No ETag, no 304, never stored: each answer is this moment's probe, and a CDN must not
    keep saying `ok` for an origin that is gone."""
    for _ in range(3):  # the response cache stores a URL on its second request
        response = client.get("/health", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers
    revalidated = client.get("/health", headers={"If-None-Match": "*"})
    assert revalidated.status_code == 200
    assert not [key for key in cache_of(client.app).store.entries if key[0] == "/health"]


def test_health_queries_every_table_and_the_search_index(db_path: Path, tmp_path: Path) -> None:
    """The probe /health runs fails on a database missing what requests read (here, with
    the file's FTS index gone)."""
    db = open_snapshot(read_snapshot(db_path))
    probe(db)
    db.close()
    broken = sqlite3.connect(":memory:")
    broken.deserialize(db_path.read_bytes())
    broken.execute("DROP TABLE search")
    with pytest.raises(sqlite3.OperationalError, match="search"):
        probe(broken)


def test_health_is_declared_uncached(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/health"]["get"]
    ok = operation["responses"]["200"]
    assert ok["headers"]["Cache-Control"]["schema"] == {"type": "string", "const": "no-store"}
    assert "ETag" not in ok["headers"]
    assert "304" not in operation["responses"]
    assert operation["responses"]["503"]["content"]["application/problem+json"]
    assert "no-store" in operation["description"]
