"""create_app(settings) -> the ASGI application: catalog, FastAPI, edge layers.

`uvicorn --factory app.main:create_app` serves it; tests build theirs with explicit settings.
"""

import gc
import sqlite3
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp

from app import openapi, problems
from app.dataset.catalog import Catalog, build_catalog
from app.dataset.db import DatabaseUnavailable, open_readonly
from app.edge import edge
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
from app.routes.context import Context
from app.settings import Settings
from app.vocabulary import RESOURCES

# Every router, in the order the document lists them.
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
`{items, total, limit, offset}` with `Link` headers. `fields` and `sort` are arrays: repeat
the parameter (`fields=id&fields=name`, the declared style) or separate names by commas
(`fields=id,name`). With `fields=`, the answer's items have only those fields (the `…Fields`
schemas). Every collection is also a CSV at its own path (`/priorities.csv`); `format=csv`
or `Accept: text/csv` answers `303 See Other` there. Country parameters take the canonical
id (`CountryId`) or, case-insensitively, the alpha-3 code, numeric code or English name.
Every `200` carries a strong `ETag` and `Cache-Control`; send `If-None-Match` for a `304`.
"""
TAGS = [{"name": r.collection, "description": r.tag_description} for r in RESOURCES]
TAGS += [
    {"name": "search", "description": "One full-text search over everything."},
    {"name": "meta", "description": "Index, dataset metadata and health."},
]
EDGE_ERRORS = {
    414: openapi.problem_example(414, "The request URI is too long.", "/search"),
    431: openapi.problem_example(431, "The request headers are too large.", "/search"),
}


def _operation_id(route: APIRoute) -> str:
    return route.name


def load_catalog(settings: Settings) -> tuple[sqlite3.Connection, Catalog]:
    """Open the database read-only and build every representation; a file without the
    schema this code reads stops the start-up with DatabaseUnavailable, never a 5xx."""
    db = open_readonly(settings.database_path)
    try:
        return db, build_catalog(db)
    except (sqlite3.Error, KeyError, ValueError) as exc:
        raise DatabaseUnavailable(
            f"database file {settings.database_path} does not have the schema this code "
            f"reads ({exc}): rebuild it with `summit-api load`"
        ) from exc


def create_api(ctx: Context) -> FastAPI:
    """FastAPI with every router, the problem handlers and the finished document."""
    api = FastAPIOffline(
        title="Summit API",
        version=ctx.catalog.info.version,
        description=DESCRIPTION,
        contact={"name": "Summit API maintainers"},
        license_info={"name": "Data: CC BY 4.0; code: MIT", "identifier": "CC-BY-4.0"},
        openapi_tags=TAGS,
        generate_unique_id_function=_operation_id,
        swagger_ui_parameters={"defaultModelsExpandDepth": 0},
        servers=[{"url": "/", "description": "The server that serves this document"}],
        redirect_slashes=False,  # app/edge/limits.py redirects, never naming the Host
    )
    problems.install(api)
    for router in ROUTERS:
        api.include_router(router(ctx))
    # Built on first use: with the dataset's id sets as enums it is the largest thing a
    # start-up would make (bench/README.md, "Growth"), and most workers never serve it.
    generate, document = api.openapi, dict[str, Any]()

    def finished() -> dict[str, Any]:
        if not document:
            document.update(openapi.finish(generate(), EDGE_ERRORS))
        return document

    api.openapi = finished  # type: ignore[method-assign]
    return api


def create_app(settings: Settings | None = None) -> ASGIApp:
    """The served application: the edge layers (app/edge/), outermost first, around FastAPI."""
    settings = settings or Settings()
    db, catalog = load_catalog(settings)
    api = create_api(Context(catalog, db))
    app = edge(api, api, settings)
    # Everything built so far lives as long as the process: out of the collector's view.
    gc.collect()
    gc.freeze()
    return app


def openapi_document(settings: Settings) -> dict[str, Any]:
    db, catalog = load_catalog(settings)
    return create_api(Context(catalog, db)).openapi()
