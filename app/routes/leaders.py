"""Leaders: the heads of state, with the source's spellings and the common aliases."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "name", "country", "priority_count")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/leaders", tags=["leaders"])
    add_collection(
        r,
        ctx,
        name="leaders",
        model=schemas.Leader,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.leaders,
        summary="List leaders",
        description="The heads of state at the summits, with the primary source's spelling of "
        "each name and the common aliases.",
    )
    add_item(
        r,
        ctx,
        name="leader",
        collection="leaders",
        model=schemas.Leader,
        example="sadyr-japarov",
        summary="Get a leader",
        description="One head of state, by the slug of the common romanisation.",
    )
    return r
