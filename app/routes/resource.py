"""The three operations every collection has: its page (JSON), its table (`.csv`), and
one record by id; each module adds its own with `add_collection` and `add_item`."""

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app import schemas
from app.routes.context import Context
from app.routes.deps import lookup, path_id
from app.routes.listing import item_response, page_response, table_response
from app.routes.params import guard, query

Select = Callable[[Any], Sequence[schemas.Out]]


def add_collection(
    r: APIRouter,
    ctx: Context,
    *,
    name: str,
    model: type[schemas.Out],
    sortable: tuple[str, ...],
    select: Select,
    summary: str,
    description: str,
    filters: dict[str, Any] | None = None,
) -> None:
    """`GET {prefix}` (a page of JSON) and `GET {prefix}.csv` (every matching row)."""
    title = model.__name__.removesuffix("Detail")
    page_query = ctx.types.collection(title, model, sortable, **(filters or {}))
    table_query = ctx.types.table(title, model, sortable, **(filters or {}))
    everything = list(select(page_query()))

    @query(page_query)
    async def page(request: Request, q: Any) -> Response:
        return page_response(request, select(q), q)

    @query(table_query)
    async def table(request: Request, q: Any) -> Response:
        return table_response(request, select(q), q, model, name)

    r.add_api_route(
        "",
        page,
        name=f"list_{name}",
        summary=summary,
        description=description,
        response_model=ctx.page(model),
        responses=ctx.list_responses(r.prefix, page_query, everything),
        dependencies=[guard(page_query)],
    )
    r.add_api_route(
        ".csv",
        table,
        name=f"list_{name}_csv",
        summary=f"{summary} (CSV)",
        description=f"{description}\n\nAs CSV: every matching row unless `limit`/`offset` ask "
        "for a page.",
        response_class=Response,
        responses=ctx.table_responses(r.prefix, table_query, model, everything),
        dependencies=[guard(table_query)],
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
        response_model=ctx.item(model),
        responses=ctx.item_responses(
            r.prefix + path, item_query, ctx.catalog.get(collection, example), what, collection
        ),
        dependencies=[guard(item_query)],
    )
