"""Statements: quotes and attributed positions, with their speaker."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "position", "kind", "speaker", "country", "summit")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/statements", tags=["statements"])
    add_collection(
        r,
        ctx,
        name="statements",
        model=schemas.Statement,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.statements,
        summary="List statements",
        description="Quotes (the source's words, verbatim) and paraphrased positions, each with "
        "its speaker: one of the leaders, or another person or group the source names.",
    )
    add_item(
        r,
        ctx,
        name="statement",
        collection="statements",
        model=schemas.Statement,
        example=ctx.catalog.statements[0].id,
        summary="Get a statement",
        description="One quote or attributed position (the target of each statement's `url`).",
    )
    return r
