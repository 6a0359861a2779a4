"""Leaders: the six heads of state, with the source's spelling and common romanisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from app import schemas
from app.deps import CatalogDep, CountryQuery, country_filter, lookup
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses

router = APIRouter(prefix="/leaders", tags=["leaders"])

SORTABLE = ("id", "name", "title", "country", "priority_count")


@router.get(
    "",
    response_model=schemas.Page[schemas.Leader],
    summary="List leaders",
    description="The heads of state at the summit, each with country, title, the primary "
    "source's spelling and the common romanisations (aliases).",
    responses=openapi_responses(400, 422),
)
async def list_leaders(
    request: Request,
    catalog: CatalogDep,
    params: ListQuery,
    country: CountryQuery = None,
) -> Response:
    cid = country_filter(catalog, "country", country)
    items = [x for x in catalog.leaders if cid is None or x["country"]["id"] == cid]
    return collection_response(request, items, params, SORTABLE, "leaders")


@router.get(
    "/{leader_id}",
    response_model=schemas.Leader,
    summary="Get a leader",
    description="One head of state by slug of the common romanisation, e.g. `sadyr-japarov`.",
    responses=openapi_responses(400, 404, 422),
)
async def get_leader(
    catalog: CatalogDep,
    leader_id: Annotated[str, Path(max_length=80, examples=["sadyr-japarov"])],
    fields: FieldsQuery = None,
) -> Response:
    return item_response(lookup(catalog, "leaders", "leader", leader_id), fields)
