"""Sources: the documents every fact cites."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app import schemas
from app.deps import CatalogDep, lookup
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses

router = APIRouter(prefix="/sources", tags=["sources"])

SORTABLE = ("id", "kind", "title", "publisher", "published", "citation_count")


@router.get(
    "",
    response_model=schemas.Page[schemas.Source],
    summary="List sources",
    description="The primary article, the corroborating reports and the related articles.",
    responses=openapi_responses(400, 422),
)
async def list_sources(
    request: Request,
    catalog: CatalogDep,
    params: ListQuery,
    kind: Annotated[Literal["primary", "corroborating", "related"] | None, Query()] = None,
) -> Response:
    items = [s for s in catalog.sources if kind is None or s["kind"] == kind]
    return collection_response(request, items, params, SORTABLE, "sources")


@router.get(
    "/{source_id}",
    response_model=schemas.Source,
    summary="Get a source",
    description="One source document: title, author, publisher, date, and where it is published.",
    responses=openapi_responses(400, 404, 422),
)
async def get_source(
    catalog: CatalogDep,
    source_id: Annotated[str, Path(max_length=80)],
    fields: FieldsQuery = None,
) -> Response:
    return item_response(lookup(catalog, "sources", "source", source_id), fields)
