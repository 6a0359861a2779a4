"""Priorities and proposals: what each leader said their country wants, in the source's order."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app import schemas
from app.catalog import Catalog, Item
from app.deps import CatalogDep, CountryQuery, checked, country_filter, id_filter, lookup
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses

router = APIRouter(prefix="/priorities", tags=["priorities"])

SORTABLE = ("id", "position", "kind", "title", "country", "leader", "summit")
Kind = Literal["priority", "proposal", "position", "endorsement"]
ThemeQuery = Annotated[str | None, Query(max_length=80, description="A theme id, e.g. `energy`.")]
SummitQuery = Annotated[
    str | None, Query(max_length=80, description="A summit id, e.g. `astana-2025`.")
]
KindQuery = Annotated[Kind | None, Query(description="The kind of statement.")]


def filter_priorities(
    catalog: Catalog,
    country: str | None = None,
    theme: str | None = None,
    summit: str | None = None,
    kind: str | None = None,
    leader: str | None = None,
) -> list[Item]:
    """Filters combine with AND; each value is checked first (an unknown one is a 422)."""
    country, theme, summit, leader = checked(
        lambda: country_filter(catalog, "country", country),
        lambda: id_filter(catalog, "theme", "themes", theme),
        lambda: id_filter(catalog, "summit", "summits", summit),
        lambda: id_filter(catalog, "leader", "leaders", leader),
    )
    return [
        p
        for p in catalog.priorities
        if (country is None or p["country"]["id"] == country)
        and (leader is None or p["leader"]["id"] == leader)
        and (kind is None or p["kind"] == kind)
        and (summit is None or p["summit"]["id"] == summit)
        and (theme is None or any(t["id"] == theme for t in p["themes"]))
    ]


@router.get(
    "",
    response_model=schemas.Page[schemas.Priority],
    summary="List priorities",
    description="All priorities and proposals, grouped by country in the source's order. "
    "Filters combine: `/priorities?country=kg&theme=energy&summit=astana-2025`.",
    responses=openapi_responses(400, 422),
)
async def list_priorities(
    request: Request,
    catalog: CatalogDep,
    params: ListQuery,
    country: CountryQuery = None,
    theme: ThemeQuery = None,
    summit: SummitQuery = None,
    kind: KindQuery = None,
    leader: Annotated[str | None, Query(max_length=80, description="A leader id.")] = None,
) -> Response:
    items = filter_priorities(catalog, country, theme, summit, kind, leader)
    return collection_response(request, items, params, SORTABLE, "priorities")


@router.get(
    "/{priority_id}",
    response_model=schemas.Priority,
    summary="Get a priority",
    description="One priority or proposal, with its leader, country, summit, themes and sources.",
    responses=openapi_responses(400, 404, 422),
)
async def get_priority(
    catalog: CatalogDep,
    priority_id: Annotated[str, Path(max_length=80, examples=["kg-rare-earth-processing"])],
    fields: FieldsQuery = None,
) -> Response:
    return item_response(lookup(catalog, "priorities", "priority", priority_id), fields)
