"""create_app(settings) -> the ASGI application: catalog, FastAPI, edge layers.

`uvicorn --factory app.main:create_app` serves it; tests build theirs with explicit settings.
"""

import gc
import multiprocessing
import sqlite3
import sys
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from starlette.types import ASGIApp
from uvicorn.config import STARTUP_FAILURE

from app import docs, openapi, problems
from app.dataset.catalog import Catalog, open_catalog
from app.dataset.db import DatabaseUnavailable, read_snapshot
from app.edge import DOCS_ASSETS, edge
from app.routes import (
    agreements,
    changes,
    countries,
    downloads,
    events,
    index,
    leaders,
    priorities,
    problem_types,
    search,
    sources,
    statements,
    summits,
    themes,
)
from app.routes.context import Context
from app.routes.querystring import query_model
from app.settings import ConfigurationError, Settings, load_settings
from app.vocabulary import RESOURCES

# Every router, in the order the document lists them.
ROUTERS = (
    index.router,
    downloads.router,  # before themes: /themes/matrix.csv is not a theme's id
    summits.router,
    events.router,
    countries.router,
    leaders.router,
    priorities.router,
    agreements.router,
    themes.router,
    statements.router,
    sources.router,
    changes.router,
    search.router,
    problem_types.router,
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
id or, case-insensitively, the alpha-3 code, numeric code or English name. A filter takes
several values (repeated or comma-separated), any of which matches; `facet=` counts values.
Every `200` but `/health`'s (`no-store`) carries a strong `ETag` and `Cache-Control`;
send `If-None-Match` for a `304`.
"""
TAGS = [{"name": r.collection, "description": r.tag_description} for r in RESOURCES]
TAGS += [
    {"name": "changes", "description": "The corrections each dataset version published."},
    {"name": "search", "description": "One full-text search over everything."},
    {"name": "meta", "description": "Index, dataset metadata and health."},
    {
        "name": "downloads",
        "description": "The whole dataset: the SQLite file, a Frictionless data package of "
        "flat CSVs, and the theme matrix in long form.",
    },
]
EDGE_ERRORS = {
    414: openapi.problem_example(414, "The request URI is too long.", "/search"),
    431: openapi.problem_example(431, "The request headers are too large.", "/search"),
}


def _operation_id(route: APIRoute) -> str:
    return route.name


def load_catalog(settings: Settings) -> tuple[sqlite3.Connection, Catalog]:
    """The database snapshot and its catalog (app/dataset/catalog.py `open_catalog`)."""
    return open_catalog(read_snapshot(settings.database_path, settings.database_sha256))


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
        redoc_url=None,  # app/docs.py serves it, from this host alone
    )
    docs.install(api, favicon=f"{DOCS_ASSETS}favicon.png")
    problems.install(api)
    queries: dict[str, type[BaseModel]] = {}  # each operation's query model, for the document
    for build in ROUTERS:
        router = build(ctx)
        for route in router.routes:
            if isinstance(route, APIRoute) and (model := query_model(route.endpoint)):
                queries[route.name] = model
        api.include_router(router)
    # Made on first request (it is most of the start-up's work), then kept.
    generate = api.openapi
    finished: list[dict[str, Any]] = []

    def document() -> dict[str, Any]:
        if not finished:
            document = openapi.finish(generate(), EDGE_ERRORS, ctx.components, queries)
            finished.append(document)
        return finished[0]

    api.openapi = document  # type: ignore[method-assign]
    return api


def create_app(settings: Settings | None = None) -> ASGIApp:
    """The served application: the edge layers (app/edge/), outermost first, around FastAPI.

    Given settings, a bad database raises DatabaseUnavailable. Without (uvicorn's
    `--factory`), the settings come from the environment and any start-up failure is one
    line on stderr and an exit (`exit_for`)."""
    if settings is None:
        try:
            settings = load_settings()
            return create_app(settings)
        except (ConfigurationError, DatabaseUnavailable) as exc:
            print(f"cannot serve: {exc}", file=sys.stderr, flush=True)
            raise SystemExit(exit_for(exc)) from None
    db, catalog = load_catalog(settings)
    api = create_api(Context(catalog, db, settings.public_url))
    app = edge(api, api, settings, openapi.HEADERS, dataset_labels(catalog))
    # Everything built so far lives as long as the process: out of the collector's view.
    gc.collect()
    gc.freeze()
    return app


def dataset_labels(catalog: Catalog) -> dict[str, str]:
    """What `/metrics` says this process serves (`summit_dataset_info`)."""
    return {"version": catalog.info.version, "database_sha256": catalog.database_sha256}


def exit_for(exc: Exception) -> int:
    """2 for a configuration error, 1 for a data error; in a worker process, uvicorn's
    STARTUP_FAILURE, so that its supervisor stops instead of respawning it for ever."""
    if multiprocessing.parent_process() is not None:
        return STARTUP_FAILURE
    return 2 if isinstance(exc, ConfigurationError) else 1


def openapi_document(settings: Settings) -> dict[str, Any]:
    db, catalog = load_catalog(settings)
    return create_api(Context(catalog, db, settings.public_url)).openapi()
