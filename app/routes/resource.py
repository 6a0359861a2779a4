"""The three operations every collection has: its page (JSON), its table (`.csv`), and
one record by id; each module adds its own with `add_collection` and `add_item`."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app import schemas
from app.routes.context import Context
from app.routes.deps import lookup, path_id
from app.routes.filters import declared, facet_counts, matching
from app.routes.listing import item_response, page_response, table_response
from app.routes.querystring import query

Base = Callable[[Any, Any], Sequence[schemas.Out]]  # (query, parent) -> records


async def no_parent() -> None:
    """A top-level collection has no parent record."""


@dataclass(frozen=True)
class Within:
    """Where a collection hangs: under its router's prefix, or under one record of it
    (`/countries/{country_id}/priorities`), resolved (or 404) by `parent`."""

    path: str = ""
    parent: Any = field(default_factory=lambda: Depends(no_parent))
    operation: str | None = None  # the page's operation id; `list_<name>` by default
    filename: Callable[[Any], str] | None = None  # the CSV's name for that parent
    canonical: Callable[[Any], str | None] = lambda parent: None
    errors: tuple[int, ...] = ()
    what: str = ""
    example: Sequence[schemas.Out] | None = None


def add_collection(
    r: APIRouter,
    ctx: Context,
    *,
    name: str,
    model: type[schemas.Out],
    sortable: tuple[str, ...],
    base: Base,
    summary: str,
    description: str,
    collection: str | None = None,
    left_out: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
    within: Within = Within(),
) -> None:
    """`GET {path}` (a page of JSON) and `GET {path}.csv` (every matching row): the records
    `base(q, parent)` gives, less those the collection's filters (app/routes/filters.py)
    leave out; `extra` are parameters `base` reads itself (search's `q`)."""
    collection = collection or name
    title = model.__name__.removesuffix("Detail")
    if within.what:  # a nested list: `CountryPriority`
        title = f"{within.what.title()}{model.__name__}"
    filters, facet = declared(ctx.types, collection, title, left_out)
    filters = (extra or {}) | filters
    page_query = ctx.types.collection(title, model, sortable, **filters, **facet)
    table_query = ctx.types.table(title, model, sortable, **filters)
    example = list(within.example if within.example is not None else base(None, None))
    path = r.prefix + within.path
    operation = within.operation or f"list_{name}"
    catalog = ctx.catalog

    @query(page_query)
    async def page(request: Request, q: Any, parent: Annotated[Any, within.parent]) -> Response:
        items = matching(catalog, collection, base(q, parent), q)
        counted = getattr(q, "facet", None)  # only where some filter can be counted
        facets = facet_counts(catalog, collection, items, counted) if counted else None
        return page_response(request, items, q, within.canonical(parent), facets)

    @query(table_query)
    async def table(request: Request, q: Any, parent: Annotated[Any, within.parent]) -> Response:
        filename = within.filename(parent) if within.filename else name
        items = matching(catalog, collection, base(q, parent), q)
        return table_response(request, items, q, model, filename, ctx.public_url)

    statuses = {"what": within.what}
    r.add_api_route(
        within.path,
        page,
        name=operation,
        summary=summary,
        description=description,
        responses=ctx.list_responses(path, page_query, model, example, *within.errors, **statuses),
    )
    r.add_api_route(
        f"{within.path}.csv",
        table,
        name=f"{operation}_csv",
        summary=f"{summary} (CSV)",
        description=f"{description}\n\nAs CSV: every matching row unless `limit`/`offset` ask "
        "for a page.",
        response_class=Response,
        responses=ctx.table_responses(
            f"{path}.csv", table_query, model, example, *within.errors, **statuses
        ),
    )


def add_item(
    r: APIRouter,
    ctx: Context,
    *,
    name: str,
    collection: str,
    model: type[schemas.Out],
    example: str,
    summary: str,
    description: str,
) -> None:
    """`GET {prefix}/{id}`: one record, or only some of its fields."""
    what = name.replace("_", " ")
    if ctx.catalog.get(collection, example) is None:  # the example is always a real id
        example = ctx.catalog.collection(collection)[0].id
    item_query = ctx.types.item(model.__name__.removesuffix("Detail"), model)

    @query(item_query)
    async def get(
        q: Any,
        id_: Annotated[str, path_id(example, what, alias=f"{name}_id")],
    ) -> Response:
        return item_response(lookup(ctx.catalog, collection, what, id_), q.fields)

    path = f"/{{{name}_id}}"
    r.add_api_route(
        path,
        get,
        name=f"get_{name}",
        summary=summary,
        description=description,
        responses=ctx.item_responses(
            r.prefix + path,
            item_query,
            model,
            ctx.catalog.get(collection, example),
            what,
            collection,
        ),
    )
