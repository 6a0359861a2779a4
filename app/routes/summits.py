"""Summits: Astana 2025 (the second) and Xi'an 2023 (the first), and their agreements."""

from typing import Annotated

from fastapi import APIRouter, Depends

from app import schemas
from app.dataset.catalog import Record
from app.routes import agreements
from app.routes.context import Context
from app.routes.deps import lookup, path_id
from app.routes.resource import Within, add_collection, add_item

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
        base=lambda q, _: ctx.catalog.summits,
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
    async def summit_of(summit_id: Annotated[str, path_id(EXAMPLE, "summit")]) -> Record:
        return lookup(ctx.catalog, "summits", "summit", summit_id)

    add_collection(
        r,
        ctx,
        name="summit_agreements",
        model=schemas.Agreement,
        sortable=agreements.SORTABLE,
        base=lambda q, summit: ctx.catalog.agreements_by_summit[summit.id],
        collection="agreements",
        left_out=("summit", "event"),
        summary="List a summit's agreements",
        description="The agreements and commitments of one summit, in the source's order: "
        "those of a meeting on its occasion (the talks on its eve) are at `/events`.",
        within=Within(
            path="/{summit_id}/agreements",
            parent=Depends(summit_of),
            operation="get_summit_agreements",
            filename=lambda summit: f"{summit.id}-agreements",
            errors=(404,),
            what="summit",
            example=ctx.catalog.agreements_by_summit[EXAMPLE],
        ),
    )
