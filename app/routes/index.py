"""The index, dataset metadata and the health check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app import schemas
from app.catalog import Catalog
from app.deps import CatalogDep
from app.listing import json_response
from app.problems import openapi_responses

router = APIRouter(tags=["meta"])

COLLECTIONS = (
    "summits",
    "countries",
    "leaders",
    "priorities",
    "agreements",
    "themes",
    "statements",
    "sources",
)


@router.get(
    "/",
    response_model=schemas.Index,
    summary="API index",
    description="The API's name, the dataset version, and links to every collection and the docs.",
    responses=openapi_responses(400),
)
async def get_index(catalog: CatalogDep) -> Response:
    return json_response(index_body(catalog))


def index_body(catalog: Catalog) -> dict[str, Any]:
    links = {name: f"/{name}" for name in COLLECTIONS}
    links |= {"search": "/search?q={query}", "meta": "/meta", "health": "/health"}
    links |= {"docs": "/docs", "redoc": "/redoc", "openapi": "/openapi.json"}
    return {
        "name": "Summit API",
        "description": "A read-only API over a curated, source-backed dataset of the "
        "Central Asia–China summits (Xi'an 2023, Astana 2025).",
        "dataset_version": catalog.meta["version"],
        "links": links,
    }


@router.get(
    "/meta",
    response_model=schemas.Meta,
    summary="Dataset metadata",
    description="Dataset version, content checksum, record counts, sources and licence.",
    responses=openapi_responses(400),
)
async def get_meta(catalog: CatalogDep) -> Response:
    return json_response(meta_body(catalog))


def meta_body(catalog: Catalog) -> dict[str, Any]:
    m = catalog.meta
    keys = ("version", "checksum", "title", "description", "licence", "licence_note")
    dataset = {k: m[k] for k in keys} | {"schema_revision": m["schema_revision"]}
    sources = [{"id": s["id"], "name": s["title"], "url": s["url"]} for s in catalog.sources]
    return {"dataset": dataset, "counts": catalog.counts(), "sources": sources}


@router.get(
    "/health",
    response_model=schemas.Health,
    summary="Health check",
    description="Liveness and readiness in one cheap call: the process is up and its database "
    "was opened and read at start-up.",
    responses=openapi_responses(400),
)
async def get_health(catalog: CatalogDep) -> Response:
    m = catalog.meta
    return json_response(
        {"status": "ok", "dataset_version": m["version"], "checksum": m["checksum"]}
    )
