"""create_app(settings) -> the ASGI application: middleware, error handlers, routers."""

from __future__ import annotations

import gc
import sqlite3
from functools import partial
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Receive, Scope, Send

from app import problems, schemas
from app.catalog import Catalog, build_catalog
from app.db import DatabaseUnavailable, open_readonly
from app.edge import edge
from app.examples import response_examples, search_example
from app.fast_lane import FastLane
from app.listing import reject_unknown_params
from app.routes import (
    agreements,
    countries,
    index,
    leaders,
    priorities,
    search,
    sources,
    statements,
    summits,
    themes,
)
from app.settings import Settings

ROUTERS = (
    index.router,
    summits.router,
    countries.router,
    leaders.router,
    priorities.router,
    agreements.router,
    themes.router,
    statements.router,
    sources.router,
    search.router,
)

# The fields each collection sorts by, named in its `sort` parameter's documentation.
SORTABLE = {
    "list_summits": summits.SORTABLE,
    "get_summit_agreements": agreements.SORTABLE,
    "list_countries": countries.SORTABLE,
    "get_country_priorities": priorities.SORTABLE,
    "list_leaders": leaders.SORTABLE,
    "list_priorities": priorities.SORTABLE,
    "list_agreements": agreements.SORTABLE,
    "list_themes": themes.SORTABLE,
    "list_statements": statements.SORTABLE,
    "list_sources": sources.SORTABLE,
    "search": search.SORTABLE,
}

DESCRIPTION = """\
A read-only REST API over a curated, source-backed dataset of the Central Asia–China
summits (Xi'an 2023, Astana 2025): the six countries, their leaders, each leader's
priorities and proposals, the agreements and commitments, quotes, and the sources behind
every fact.

Every fact-bearing object carries `sources`: the document it comes from and the sentence
that states it, verbatim. Where sources disagree, each claim is kept with its own source;
what no source states stays `null`.

**Sources.** Primary: Vladimir Rozanskij, "Central Asia and Beijing after the Astana
summit", AsiaNews, 26 June 2025. Corroborating: newscentralasia.net and The Astana Times
(18 June 2025) and sr-center.info. See `GET /sources`.

**Licence.** The curated data is CC BY 4.0; quoted excerpts remain their publishers' and are
quoted for citation. The code is MIT-licensed.

**Conventions.** Errors are RFC 9457 `application/problem+json`. Collections are
`{items, total, limit, offset}` with `Link` headers; `?fields=`, `?sort=` and CSV
(`?format=csv` or `Accept: text/csv`) work on every collection. Every `200` carries a strong
`ETag` and `Cache-Control`; send `If-None-Match` for a `304`.
"""

TAGS = [
    {"name": "summits", "description": "The summits: Xi'an 2023 and Astana 2025."},
    {"name": "countries", "description": "The six participants, by any ISO code or name."},
    {"name": "leaders", "description": "Heads of state, with spellings and aliases."},
    {"name": "priorities", "description": "What each leader proposed, in the source's order."},
    {"name": "agreements", "description": "Treaties, declarations, deals and commitments."},
    {"name": "themes", "description": "The theme taxonomy as a country x theme matrix."},
    {"name": "statements", "description": "Quotes and attributed positions."},
    {"name": "sources", "description": "The documents every fact cites."},
    {"name": "search", "description": "One full-text search over everything."},
    {"name": "meta", "description": "Index, dataset metadata and health."},
]


class SummitAPI(FastAPI):
    """FastAPI with an edge in front of its whole stack (see create_app).

    `fastapi_offline.FastAPIOffline` builds a plain FastAPI (it takes no class), so
    create_app re-classes that instance; this adds nothing but `__call__`.
    """

    edge: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.edge(scope, receive, send)


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    """Open the database read-only, build every representation, and assemble the app.

    Fails here (at start-up) with DatabaseUnavailable if the file is missing or unusable,
    so a broken deployment never serves 5xx.
    """
    settings = settings or Settings()
    db = open_readonly(settings.database_path)
    try:
        catalog = build_catalog(db)
    except sqlite3.Error as exc:  # a table or column this code reads is missing
        raise DatabaseUnavailable(
            f"database file {settings.database_path} does not have the schema this code "
            f"reads ({exc}): rebuild it with `summit-api load`"
        ) from exc

    app = FastAPIOffline(
        title="Summit API",
        version=catalog.meta["version"],
        description=DESCRIPTION,
        contact={"name": "Summit API maintainers"},
        license_info={"name": "Data: CC BY 4.0; code: MIT", "identifier": "CC-BY-4.0"},
        openapi_tags=TAGS,
        generate_unique_id_function=_operation_id,
        dependencies=[Depends(reject_unknown_params)],
        swagger_ui_parameters={"defaultModelsExpandDepth": 0},
        redirect_slashes=False,  # app/edge/limits.py redirects, never naming the Host
    )
    app.state.db = db
    app.state.catalog = catalog
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = lambda: _openapi(app, catalog)  # type: ignore[method-assign]

    # The edge (app/edge/): request limits and the edge's own answers, the response cache,
    # security headers and CORS; then the fast lane (app/fast_lane.py), which answers
    # successful GETs from FastAPI's own routes and validators without FastAPI's per-request
    # machinery and hands everything else to FastAPI.
    fastapi_stack = partial(FastAPI.__call__, app)
    inner: ASGIApp = fastapi_stack
    if settings.fast_lane:
        inner = app.state.fast_lane = FastLane(app, fastapi_stack)
    app.__class__ = SummitAPI
    assert isinstance(app, SummitAPI)
    app.edge = edge(app, inner, settings)
    return app


def _openapi(app: FastAPI, catalog: Catalog) -> dict[str, Any]:
    """FastAPI's document, plus the problem schema and examples drawn from the real data."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    spec = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        contact=app.contact,
        license_info=app.license_info,
        # Relative: the API is wherever this document was fetched from.
        servers=[{"url": "/", "description": "The server that serves this document"}],
    )
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = schemas.Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    for name, definition in components["Problem"].pop("$defs", {}).items():
        components.setdefault(name, definition)
    examples = response_examples(catalog) | {"search": search_example(app.state.db)}
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            example = examples.get(operation.get("operationId"))
            if example is not None:
                content = operation["responses"]["200"]["content"]["application/json"]
                content["example"] = example
            if any(p["name"] == "format" for p in operation.get("parameters", [])):
                # Every collection also answers CSV (`?format=csv` or `Accept: text/csv`).
                operation["responses"]["200"]["content"]["text/csv"] = {
                    "schema": {"type": "string", "description": "One row per item."}
                }
            sortable = SORTABLE.get(operation.get("operationId", ""))
            for param in operation.get("parameters", []):
                if param["name"] == "sort" and sortable:
                    param["description"] += " Sortable: " + ", ".join(f"`{f}`" for f in sortable)
            # RequestLimits answers an over-long URL on every path (app/middleware.py).
            operation["responses"].setdefault("414", problems.openapi_responses(414)[414])
    app.openapi_schema = spec
    return spec


def serving(app: FastAPI) -> ASGIApp:
    """What a server runs: the app's edge (app.edge: the request limits, then the response
    cache, then everything else), called directly rather than through the app's `__call__`.

    Everything built so far (the catalog, the routes, the fast lane, FastAPI and pydantic
    themselves) lives as long as the process and never becomes garbage, so it leaves the
    garbage collector's view: a full collection then looks only at what requests create,
    instead of pausing about 60 ms over some 60,000 start-up objects."""
    assert isinstance(app, SummitAPI)
    gc.collect()
    gc.freeze()
    return app.edge


def __getattr__(name: str) -> Any:
    """`uvicorn app.main:app`: built on first access, not at import (see `serving`)."""
    if name == "app":
        application = serving(create_app())
        globals()["app"] = application
        return application
    raise AttributeError(name)
