"""Countries: the six participants, looked up by any ISO code or name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app import schemas
from app.deps import CatalogDep, CountryDep
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses
from app.routes.priorities import SORTABLE as PRIORITY_SORTABLE
from app.routes.priorities import KindQuery, SummitQuery, ThemeQuery, filter_priorities

router = APIRouter(prefix="/countries", tags=["countries"])

SORTABLE = ("id", "name", "alpha3", "numeric", "capital", "region", "priority_count")


@router.get(
    "",
    response_model=schemas.Page[schemas.Country],
    summary="List countries",
    description="The six participating countries, each with its leader embedded as a summary.",
    responses=openapi_responses(400, 422),
)
async def list_countries(
    request: Request,
    catalog: CatalogDep,
    params: ListQuery,
    region: Annotated[
        str | None, Query(max_length=80, description="Exact region, e.g. `Central Asia`.")
    ] = None,
) -> Response:
    items = catalog.countries
    if region is not None:
        items = [c for c in items if c["region"].casefold() == region.casefold()]
    return collection_response(request, items, params, SORTABLE, "countries")


@router.get(
    "/{country_id}",
    response_model=schemas.Country,
    summary="Get a country",
    description="Look a country up by its alpha-2 code (canonical), alpha-3 code, numeric code "
    "or English name, case-insensitively. An alias answers with the same representation and "
    'a `Link: <…>; rel="canonical"` header.',
    responses=openapi_responses(400, 404, 422),
)
async def get_country(country: CountryDep, fields: FieldsQuery = None) -> Response:
    return item_response(country.item, fields, country.headers)


@router.get(
    "/{country_id}/priorities",
    response_model=schemas.Page[schemas.Priority],
    summary="List a country's priorities",
    description="The priorities and proposals the country's leader stated, in the order the "
    "source gives them. An empty list is a valid answer: the source states none for Kazakhstan.",
    responses=openapi_responses(400, 404, 422),
)
async def get_country_priorities(
    request: Request,
    catalog: CatalogDep,
    country: CountryDep,
    params: ListQuery,
    theme: ThemeQuery = None,
    kind: KindQuery = None,
    summit: SummitQuery = None,
) -> Response:
    cid = country.item["id"]
    items = filter_priorities(catalog, cid, theme, summit, kind)
    # rel="canonical" names this list's own preferred URL, not the country's.
    canonical = country.item["priorities_url"] if country.canonical else None
    return collection_response(
        request, items, params, PRIORITY_SORTABLE, f"{cid}-priorities", canonical
    )
