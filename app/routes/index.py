"""The index, dataset metadata and the health check."""

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app import schemas
from app.dataset.catalog import Catalog
from app.openapi import responses
from app.routes.context import Context
from app.routes.downloads import DOWNLOADS
from app.routes.listing import json_response
from app.routes.params import QueryBase
from app.routes.querystring import query
from app.vocabulary import RESOURCES


def index_of(catalog: Catalog) -> schemas.Index:
    links = {r.collection: r.path for r in RESOURCES}
    links |= {"search": "/search?q={query}", "meta": "/meta", "health": "/health"}
    links |= {"docs": "/docs", "redoc": "/redoc", "openapi": "/openapi.json"}
    links |= DOWNLOADS
    return schemas.Index(
        name="Summit API",
        description="A read-only API over a curated, source-backed dataset of the "
        "Central Asia–China summits (Xi'an 2023, Astana 2025).",
        dataset_version=catalog.info.version,
        links=links,
    )


def meta_of(catalog: Catalog) -> schemas.Meta:
    sources = [schemas.Summary(id=s.id, name=s.title, url=s.url) for s in catalog.sources]
    return schemas.Meta(
        dataset=catalog.info,
        counts=catalog.counts(),
        sources=sources,
        retired_counts=catalog.retired_counts(),
        downloads=DOWNLOADS,
    )


def health_of(catalog: Catalog) -> schemas.Health:
    return schemas.Health(
        status="ok", dataset_version=catalog.info.version, checksum=catalog.info.checksum
    )


def router(ctx: Context) -> APIRouter:
    r = APIRouter(tags=["meta"])
    index, meta, health = index_of(ctx.catalog), meta_of(ctx.catalog), health_of(ctx.catalog)

    def declared(path: str, body: schemas.Out) -> dict[int | str, Any]:
        errors = {400: ctx.errors(path, QueryBase)[400]}
        return responses(errors, ctx.single(type(body)), body.model_dump(mode="json"))

    @r.get(
        "/",
        summary="API index",
        description="The API's name, the dataset version, and links to every collection and "
        "the docs.",
        responses=declared("/", index),
    )
    @query(QueryBase)
    async def get_index(q: Any) -> Response:
        return json_response(index)

    @r.get(
        "/meta",
        summary="Dataset metadata",
        description="Dataset version, content checksum, record counts, sources and licence.",
        responses=declared("/meta", meta),
    )
    @query(QueryBase)
    async def get_meta(q: Any) -> Response:
        return json_response(meta)

    @r.get(
        "/health",
        summary="Health check",
        description="Liveness and readiness in one cheap call: the process is up and serves "
        "the dataset it names.",
        responses=declared("/health", health),
    )
    @query(QueryBase)
    async def get_health(q: Any) -> Response:
        return json_response(health)

    return r
