"""Themes: the taxonomy, as a country x theme matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from app import schemas
from app.deps import CatalogDep, lookup
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses

router = APIRouter(prefix="/themes", tags=["themes"])

SORTABLE = ("id", "name", "priority_count", "agreement_count")


@router.get(
    "",
    response_model=schemas.Page[schemas.Theme],
    summary="List themes",
    description="The theme taxonomy. Each theme lists the countries that name it with their "
    "priority and agreement counts, so one call draws a country x theme heatmap. A priority "
    "counts for its leader's country, an agreement for each of its parties.",
    responses=openapi_responses(400, 422),
)
async def list_themes(request: Request, catalog: CatalogDep, params: ListQuery) -> Response:
    return collection_response(request, catalog.themes, params, SORTABLE, "themes")


@router.get(
    "/{theme_id}",
    response_model=schemas.ThemeDetail,
    summary="Get a theme",
    description="One theme with its priorities and agreements, grouped by country.",
    responses=openapi_responses(400, 404, 422),
)
async def get_theme(
    catalog: CatalogDep,
    theme_id: Annotated[str, Path(max_length=80, examples=["energy"])],
    fields: FieldsQuery = None,
) -> Response:
    lookup(catalog, "themes", "theme", theme_id)
    return item_response(catalog.theme_details[theme_id], fields)
