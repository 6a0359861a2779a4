"""Agreements and commitments: treaties, declarations, deals, money and training quotas."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "position", "kind", "title", "summit", "count")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/agreements", tags=["agreements"])
    add_collection(
        r,
        ctx,
        name="agreements",
        model=schemas.Agreement,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.agreements,
        summary="List agreements",
        description="Treaties, declarations, intergovernmental and business agreements, and "
        "commitments, newest summit first, in the source's order. Where sources disagree "
        "(a loan or a grant; a missing figure), each claim keeps its own source.",
    )
    add_item(
        r,
        ctx,
        name="agreement",
        collection="agreements",
        model=schemas.Agreement,
        example="astana-declaration",
        summary="Get an agreement",
        description="One agreement or commitment, with parties, values and sources.",
    )
    return r
