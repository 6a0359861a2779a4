"""Agreements and commitments: treaties, declarations, deals, money and training quotas."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app import schemas
from app.catalog import Catalog, Item
from app.deps import CatalogDep, checked, country_filter, id_filter, lookup
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses

router = APIRouter(prefix="/agreements", tags=["agreements"])

SORTABLE = ("id", "position", "kind", "title", "summit", "count")
AgreementKind = Literal[
    "treaty",
    "declaration",
    "intergovernmental-documents",
    "business-agreements",
    "financial-commitment",
    "training-commitment",
    "joint-position",
]
KindQuery = Annotated[AgreementKind | None, Query(description="The kind of agreement.")]
PartyQuery = Annotated[
    str | None,
    Query(max_length=80, description="A party country: alpha-2, alpha-3, numeric code or name."),
]
ThemeQuery = Annotated[str | None, Query(max_length=80, description="A theme id, e.g. `energy`.")]


def filter_agreements(
    catalog: Catalog,
    summit: str | None = None,
    kind: str | None = None,
    party: str | None = None,
    theme: str | None = None,
) -> list[Item]:
    summit, party, theme = checked(
        lambda: id_filter(catalog, "summit", "summits", summit),
        lambda: country_filter(catalog, "party", party),
        lambda: id_filter(catalog, "theme", "themes", theme),
    )
    return [
        a
        for a in catalog.agreements
        if (summit is None or a["summit"]["id"] == summit)
        and (kind is None or a["kind"] == kind)
        and (party is None or any(c["id"] == party for c in a["parties"]))
        and (theme is None or any(t["id"] == theme for t in a["themes"]))
    ]


@router.get(
    "",
    response_model=schemas.Page[schemas.Agreement],
    summary="List agreements",
    description="Agreements and commitments. Where sources disagree (a loan or a grant; a "
    "value missing from the primary source) each claim is kept with its own source in "
    "`values` and `claims`. Filters combine: `/agreements?summit=astana-2025&party=kg`.",
    responses=openapi_responses(400, 422),
)
async def list_agreements(
    request: Request,
    catalog: CatalogDep,
    params: ListQuery,
    summit: Annotated[
        str | None, Query(max_length=80, description="A summit id, e.g. `astana-2025`.")
    ] = None,
    kind: KindQuery = None,
    party: PartyQuery = None,
    theme: ThemeQuery = None,
) -> Response:
    items = filter_agreements(catalog, summit, kind, party, theme)
    return collection_response(request, items, params, SORTABLE, "agreements")


@router.get(
    "/{agreement_id}",
    response_model=schemas.Agreement,
    summary="Get an agreement",
    description="One agreement or commitment, with parties, count, value claims and sources.",
    responses=openapi_responses(400, 404, 422),
)
async def get_agreement(
    catalog: CatalogDep,
    agreement_id: Annotated[str, Path(max_length=80)],
    fields: FieldsQuery = None,
) -> Response:
    return item_response(lookup(catalog, "agreements", "agreement", agreement_id), fields)
