"""Countries: the six participants, looked up by any ISO code or name."""

from typing import Annotated, Any

from fastapi import APIRouter
from starlette.responses import Response

from app import schemas
from app.routes import priorities
from app.routes.context import Context
from app.routes.deps import FoundCountry, country_dep
from app.routes.listing import item_response
from app.routes.querystring import query
from app.routes.resource import Within, add_collection

SORTABLE = ("id", "name", "alpha3", "numeric", "capital", "region", "priority_count")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/countries", tags=["countries"])
    add_collection(
        r,
        ctx,
        name="countries",
        model=schemas.Country,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.countries,
        summary="List countries",
        description="The six participating countries, each with its leader embedded as a summary.",
    )
    add_country(r, ctx)
    add_country_priorities(r, ctx)
    return r


def add_country(r: APIRouter, ctx: Context) -> None:
    found = country_dep(ctx.catalog)
    item_query = ctx.types.item("Country", schemas.Country)
    kg = ctx.catalog.get("countries", "kg") or ctx.catalog.countries[0]

    @r.get(
        "/{country_id}",
        summary="Get a country",
        description="Look a country up by its alpha-2 code (canonical), alpha-3 code, numeric "
        "code or English name, case-insensitively. An alias answers with the same "
        'representation and a `Link: <…>; rel="canonical"` header.',
        responses=ctx.item_responses(
            "/countries/{country_id}", item_query, schemas.Country, kg, "country", "countries"
        ),
    )
    @query(item_query)
    async def get_country(
        country: Annotated[FoundCountry, found],
        q: Any,
    ) -> Response:
        canonical = country.item.url if country.alias else None
        return item_response(country.item, q.fields, canonical)


def add_country_priorities(r: APIRouter, ctx: Context) -> None:
    add_collection(
        r,
        ctx,
        name="country_priorities",
        model=schemas.Priority,
        sortable=priorities.SORTABLE,
        base=lambda q, country: ctx.catalog.priorities_by_country[country.item.id],
        collection="priorities",
        left_out=("country", "leader"),
        summary="List a country's priorities",
        description="The priorities and proposals the country's leader stated, in the order "
        "the source gives them. An empty list is a valid answer: the source states none for "
        "Kazakhstan.",
        within=Within(
            path="/{country_id}/priorities",
            parent=country_dep(ctx.catalog),
            operation="get_country_priorities",
            filename=lambda country: f"{country.item.id}-priorities",
            # rel="canonical" names this list's own preferred URL, not the country's.
            canonical=lambda country: country.item.priorities_url if country.alias else None,
            errors=(404,),
            what="country",
            example=[p for p in ctx.catalog.priorities if p.country.id == "kg"],
        ),
    )
