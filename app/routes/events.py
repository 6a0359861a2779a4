"""Events: the meetings held on a summit's occasion, where facts happened that are not the
summit session's own (the talks on its eve, a bilateral meeting on its sidelines)."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "kind", "name", "date", "summit")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/events", tags=["events"])
    events = ctx.catalog.events
    add_collection(
        r,
        ctx,
        name="events",
        model=schemas.Event,
        sortable=SORTABLE,
        base=lambda q, _: events,
        summary="List events",
        description="Meetings held on a summit's occasion, newest summit first, by date. "
        "What was said or signed there names its event (`event`) and is not the summit's own "
        "(`/summits/{summit_id}/agreements` leaves it out).",
    )
    add_item(
        r,
        ctx,
        name="event",
        collection="events",
        model=schemas.Event,
        example=events[0].id,
        summary="Get an event",
        description="One meeting: when, where, who took part, and its sources.",
    )
    return r
