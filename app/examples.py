"""OpenAPI response examples, drawn from the real data at start-up."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.catalog import Catalog, Item
from app.routes.index import index_body, meta_body
from app.routes.search import run_search


def _page(items: list[Item], total: int | None = None, limit: int = 50) -> dict[str, Any]:
    return {
        "items": items,
        "total": len(items) if total is None else total,
        "limit": limit,
        "offset": 0,
    }


def search_example(db: sqlite3.Connection) -> dict[str, Any]:
    """The first hit of a real search (`GET /search?q=japarov&limit=1`)."""
    hits = run_search(db, "japarov", None)
    return _page(hits[:1], len(hits), 1)


def response_examples(catalog: Catalog) -> dict[str, Any]:
    kg = catalog.by_id["countries"].get("kg") or catalog.countries[0]
    kg_priorities = [p for p in catalog.priorities if p["country"]["id"] == kg["id"]]
    summit = catalog.summits[0]
    theme = catalog.themes[0]
    return {
        "list_summits": _page(catalog.summits),
        "get_summit": summit,
        "get_summit_agreements": _page(catalog.agreements[:1], summit["agreement_count"], 1),
        "list_countries": _page(catalog.countries[:1], len(catalog.countries), 1),
        "get_country": kg,
        "get_country_priorities": _page(kg_priorities[:1], len(kg_priorities), 1),
        "list_leaders": _page(catalog.leaders[:1], len(catalog.leaders), 1),
        "get_leader": catalog.by_id["leaders"].get("sadyr-japarov") or catalog.leaders[0],
        "list_priorities": _page(catalog.priorities[:1], len(catalog.priorities), 1),
        "get_priority": kg_priorities[0] if kg_priorities else catalog.priorities[0],
        "list_agreements": _page(catalog.agreements[:1], len(catalog.agreements), 1),
        "get_agreement": catalog.agreements[0],
        "list_themes": _page(catalog.themes[:1], len(catalog.themes), 1),
        "get_theme": catalog.theme_details[theme["id"]],
        "list_statements": _page(catalog.statements[:1], len(catalog.statements), 1),
        "get_statement": catalog.statements[0],
        "list_sources": _page(catalog.sources[:1], len(catalog.sources), 1),
        "get_source": catalog.sources[0],
        "get_index": index_body(catalog),
        "get_meta": meta_body(catalog),
        "get_health": {
            "status": "ok",
            "dataset_version": catalog.meta["version"],
            "checksum": catalog.meta["checksum"],
        },
    }
