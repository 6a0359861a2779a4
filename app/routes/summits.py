"""Summits: Astana 2025 (the second) and Xi'an 2023 (the first), and their agreements."""

from typing import Annotated, Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app import schemas
from app.dataset.catalog import agreements_where
from app.routes import agreements
from app.routes.context import Context
from app.routes.deps import lookup, path_id
from app.routes.listing import page_response, table_response
from app.routes.params import guard, query
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "name", "ordinal", "date", "city")
EXAMPLE = "astana-2025"


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/summits", tags=["summits"])
    add_collection(
        r,
        ctx,
        name="summits",
        model=schemas.Summit,
        sortable=SORTABLE,
        select=lambda q: ctx.catalog.summits,
        summary="List summits",
        description="The Central Asia–China summits, newest first.",
    )
    add_item(
        r,
        ctx,
        name="summit",
        collection="summits",
        model=schemas.Summit,
        example=EXAMPLE,
        summary="Get a summit",
        description="One summit (`city-year`), with host, participants and sources.",
    )
    add_summit_agreements(r, ctx)
    return r


def add_summit_agreements(r: APIRouter, ctx: Context) -> None:
    t, model, sortable = ctx.types, schemas.Agreement, agreements.SORTABLE
    page_query = t.collection("SummitAgreement", model, sortable, **agreements.filters(t))
    table_query = t.table("SummitAgreement", model, sortable, **agreements.filters(t))
    path = "/summits/{summit_id}/agreements"
    SummitId = Annotated[str, path_id(EXAMPLE, "summit")]
    first = [a for a in ctx.catalog.agreements if a.summit.id == EXAMPLE]

    def select(summit_id: str, q: Any) -> list[schemas.Agreement]:
        summit = lookup(ctx.catalog, "summits", "summit", summit_id)
        return agreements_where(ctx.catalog, summit.id, q.kind, q.party, q.theme)

    @r.get(
        "/{summit_id}/agreements",
        response_model=ctx.page(model),
        summary="List a summit's agreements",
        description="The agreements and commitments of one summit, in the source's order.",
        responses=ctx.list_responses(path, page_query, first, 404, what="summit"),
        dependencies=[guard(page_query)],
    )
    @query(page_query)
    async def get_summit_agreements(
        request: Request,
        summit_id: SummitId,
        q: Any,
    ) -> Response:
        return page_response(request, select(summit_id, q), q)

    @r.get(
        "/{summit_id}/agreements.csv",
        response_class=Response,
        summary="List a summit's agreements (CSV)",
        description="The summit's agreements as CSV: every matching row unless `limit`/"
        "`offset` ask for a page.",
        responses=ctx.table_responses(path + ".csv", table_query, model, first, 404, what="summit"),
        dependencies=[guard(table_query)],
    )
    @query(table_query)
    async def get_summit_agreements_csv(
        request: Request,
        summit_id: SummitId,
        q: Any,
    ) -> Response:
        agreements_ = select(summit_id, q)
        return table_response(request, agreements_, q, model, f"{summit_id}-agreements")
