"""Priorities and proposals: what each leader put forward, in the source's order."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "position", "kind", "title", "country", "leader", "summit")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/priorities", tags=["priorities"])
    add_collection(
        r,
        ctx,
        name="priorities",
        model=schemas.Priority,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.priorities,
        summary="List priorities",
        description="All priorities and proposals, grouped by country in the source's order. "
        "Filters combine: `/priorities?country=kg&theme=energy&summit=astana-2025`.",
    )
    add_item(
        r,
        ctx,
        name="priority",
        collection="priorities",
        model=schemas.Priority,
        example="astana-2025-kg-rare-earth-processing",
        summary="Get a priority",
        description="One priority or proposal, with its leader, country, summit, themes and "
        "sources.",
    )
    return r
