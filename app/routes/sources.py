"""Sources: the documents every fact cites."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "kind", "title", "publisher", "published", "citation_count")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/sources", tags=["sources"])
    add_collection(
        r,
        ctx,
        name="sources",
        model=schemas.Source,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.sources,
        summary="List sources",
        description="The primary article, the corroborating reports and the related articles.",
    )
    add_item(
        r,
        ctx,
        name="source",
        collection="sources",
        model=schemas.Source,
        example="asianews-2025-06-26-astana-summit",
        summary="Get a source",
        description="One source document: title, author, publisher, date, and where it is "
        "published.",
    )
    return r
