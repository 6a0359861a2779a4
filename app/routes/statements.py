"""Statements: quotes and attributed positions, with their speaker."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app import schemas
from app.deps import CatalogDep, checked, country_filter, id_filter, lookup, one_of
from app.listing import FieldsQuery, ListQuery, collection_response, item_response
from app.problems import openapi_responses

router = APIRouter(prefix="/statements", tags=["statements"])

SORTABLE = ("id", "position", "kind", "speaker", "country", "summit")


@router.get(
    "",
    response_model=schemas.Page[schemas.Statement],
    summary="List statements",
    description="Quotes (the source's words, verbatim) and paraphrased positions, each with its "
    "speaker: one of the leaders, or another person the source quotes.",
    responses=openapi_responses(400, 422),
)
async def list_statements(
    request: Request,
    catalog: CatalogDep,
    params: ListQuery,
    speaker: Annotated[
        str | None,
        Query(max_length=80, description="A speaker id: a leader id, or e.g. `andrej-cebotarev`."),
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=80, description="The speaker's country: any code or the name."),
    ] = None,
    summit: Annotated[str | None, Query(max_length=80, description="A summit id.")] = None,
    kind: Annotated[Literal["quote", "paraphrase"] | None, Query()] = None,
) -> Response:
    cid, summit, speaker = checked(
        lambda: country_filter(catalog, "country", country),
        lambda: id_filter(catalog, "summit", "summits", summit),
        lambda: one_of("speaker", speaker, catalog.speaker_ids),
    )
    items = [
        s
        for s in catalog.statements
        if (speaker is None or s["speaker"]["id"] == speaker)
        and (cid is None or (s["country"] or {}).get("id") == cid)
        and (summit is None or s["summit"]["id"] == summit)
        and (kind is None or s["kind"] == kind)
    ]
    return collection_response(request, items, params, SORTABLE, "statements")


@router.get(
    "/{statement_id}",
    response_model=schemas.Statement,
    summary="Get a statement",
    description="One quote or attributed position (the target of each statement's `url`).",
    responses=openapi_responses(400, 404, 422),
)
async def get_statement(
    catalog: CatalogDep,
    statement_id: Annotated[str, Path(max_length=80)],
    fields: FieldsQuery = None,
) -> Response:
    return item_response(lookup(catalog, "statements", "statement", statement_id), fields)
