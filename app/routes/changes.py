"""Changes: the corrections each dataset version published, record by record."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection

SORTABLE = ("version", "collection", "record", "field")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/changes", tags=["changes"])
    add_collection(
        r,
        ctx,
        name="changes",
        model=schemas.Change,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.changes,
        summary="List changes",
        description="What changed between dataset versions: per record and field, before and "
        "after, why, and the source that shows it. A record's `changes_url` lists its own; "
        "a client that cited a record can learn here that it changed.",
    )
    return r
