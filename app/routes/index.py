"""The index, dataset metadata and the health check."""

import sqlite3
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app import schemas
from app.dataset.catalog import Catalog
from app.dataset.db import probe
from app.openapi import error_responses, problem_example, responses
from app.problems import problem, problem_response
from app.routes.context import Context
from app.routes.downloads import DOWNLOADS
from app.routes.listing import json_response
from app.routes.params import QueryBase
from app.routes.querystring import query
from app.vocabulary import RESOURCES


def index_of(catalog: Catalog) -> schemas.Index:
    links = {r.collection: r.path for r in RESOURCES}
    links |= {"changes": "/changes", "search": "/search?q={query}", "meta": "/meta"}
    links |= {"health": "/health"}
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
        disputed_counts=catalog.disputed_counts(),
        change_count=len(catalog.changes),
        retired_counts=catalog.retired_counts(),
        downloads=DOWNLOADS,
    )


# A health answer is about this moment: no cache (ours, nginx's, a CDN's) may keep it.
NO_STORE = {"Cache-Control": "no-store"}
HEALTH_DESCRIPTION = (
    "Liveness and readiness in one cheap call: one query over every table requests read and "
    "over the search index, then the dataset this process serves (version, checksum of its "
    "records, sha256 of the database file it read at start-up). Never cached "
    "(`Cache-Control: no-store`, no `ETag`); `503` if a query fails."
)


def health_of(catalog: Catalog) -> schemas.Health:
    return schemas.Health(
        status="ok",
        dataset_version=catalog.info.version,
        checksum=catalog.info.checksum,
        database_sha256=catalog.database_sha256,
    )


def health_responses(ctx: Context, health: schemas.Health) -> dict[int | str, Any]:
    no_store = {"description": "`no-store`.", "schema": {"type": "string", "const": "no-store"}}
    ok = {
        "description": "OK",
        "headers": {"Cache-Control": no_store},
        "content": {"application/json": {"example": health.model_dump(mode="json")}},
    }
    down = problem_example(503, "The dataset store failed a query: …", "/health")
    errors = {400: ctx.errors("/health", QueryBase)[400], 503: down}
    declared = error_responses(errors)
    declared[503]["headers"] = {"Cache-Control": no_store}
    return {200: ok} | declared


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
        description=HEALTH_DESCRIPTION,
        responses=health_responses(ctx, health),
    )
    @query(QueryBase)
    async def get_health(q: Any) -> Response:
        try:
            probe(ctx.db)
        except sqlite3.Error as exc:
            failed = problem(503, f"The dataset store failed a query: {exc}.", "/health")
            return problem_response(failed, NO_STORE)
        response = json_response(health)
        response.headers.update(NO_STORE)
        return response

    return r
