"""Priorities and proposals: what each leader put forward, in the source's order."""

from typing import Any

from fastapi import APIRouter

from app import schemas
from app.dataset.catalog import priorities_where
from app.routes.context import Context
from app.routes.params import Types, optional
from app.routes.resource import add_collection, add_item
from app.vocabulary import PriorityKind

SORTABLE = ("id", "position", "kind", "title", "country", "leader", "summit")


def filters(types: Types) -> dict[str, Any]:
    """The filters a country's own list shares with the whole list."""
    return {
        "theme": optional(types.ThemeId, "Only priorities under this theme."),
        "summit": optional(types.SummitId, "Only priorities stated at this summit."),
        "kind": optional(PriorityKind, "Only priorities of this kind."),
        "disputed": optional(bool, "Only priorities whose sources disagree (or agree)."),
    }


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/priorities", tags=["priorities"])
    t = ctx.types
    add_collection(
        r,
        ctx,
        name="priorities",
        model=schemas.Priority,
        sortable=SORTABLE,
        filters={
            "country": t.country("Only the priorities of this country's leader."),
            "leader": optional(t.LeaderId, "Only this leader's priorities."),
            **filters(t),
        },
        select=lambda q, _: priorities_where(
            ctx.catalog, q.country, q.theme, q.summit, q.kind, q.leader, q.disputed
        ),
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
