"""Summits: Astana 2025 (the second) and Xi'an 2023 (the first)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from app import schemas
from app.deps import CatalogDep, lookup
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses
from app.routes.agreements import SORTABLE as AGREEMENT_SORTABLE
from app.routes.agreements import KindQuery, PartyQuery, ThemeQuery, filter_agreements

router = APIRouter(prefix="/summits", tags=["summits"])

SORTABLE = ("id", "name", "ordinal", "date", "city")
SummitId = Annotated[str, Path(max_length=80, examples=["astana-2025"])]


@router.get(
    "",
    response_model=schemas.Page[schemas.Summit],
    summary="List summits",
    description="The Central Asia–China summits, newest first.",
    responses=openapi_responses(400, 422),
)
async def list_summits(request: Request, catalog: CatalogDep, params: ListQuery) -> Response:
    return collection_response(request, catalog.summits, params, SORTABLE, "summits")


@router.get(
    "/{summit_id}",
    response_model=schemas.Summit,
    summary="Get a summit",
    description="One summit (`city-year`), with host, participants and sources.",
    responses=openapi_responses(400, 404, 422),
)
async def get_summit(
    catalog: CatalogDep, summit_id: SummitId, fields: FieldsQuery = None
) -> Response:
    return item_response(lookup(catalog, "summits", "summit", summit_id), fields)


@router.get(
    "/{summit_id}/agreements",
    response_model=schemas.Page[schemas.Agreement],
    summary="List a summit's agreements",
    description="The agreements and commitments of one summit, in the source's order.",
    responses=openapi_responses(400, 404, 422),
)
async def get_summit_agreements(
    request: Request,
    catalog: CatalogDep,
    summit_id: SummitId,
    params: ListQuery,
    kind: KindQuery = None,
    party: PartyQuery = None,
    theme: ThemeQuery = None,
) -> Response:
    summit = lookup(catalog, "summits", "summit", summit_id)
    items = filter_agreements(catalog, summit["id"], kind, party, theme)
    return collection_response(
        request, items, params, AGREEMENT_SORTABLE, f"{summit['id']}-agreements"
    )
