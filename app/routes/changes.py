"""Changes: the corrections each dataset version published, record by record."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from app import schemas
from app.routes.context import Context
from app.routes.params import id_enum, optional
from app.routes.resource import add_collection
from app.vocabulary import RESOURCES

SORTABLE = ("version", "collection", "record", "field")
RecordId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/changes", tags=["changes"])
    changes = ctx.catalog.changes
    versions = sorted({c.version for c in changes}) or [ctx.catalog.info.version]
    version = id_enum("ChangeVersion", versions, "A dataset version that published changes.")
    collection = id_enum(
        "ChangeCollection", [x.collection for x in RESOURCES], "A collection of records."
    )
    add_collection(
        r,
        ctx,
        name="changes",
        model=schemas.Change,
        sortable=SORTABLE,
        filters={
            "version": optional(version, "Only the changes of this dataset version."),
            "collection": optional(collection, "Only changes to records of this collection."),
            "record": optional(RecordId, "Only the changes to this record (a retired id too)."),
        },
        select=lambda q, _: [
            c
            for c in changes
            if (q.version is None or c.version == q.version)
            and (q.collection is None or c.collection == q.collection)
            and (q.record is None or c.record == q.record)
        ],
        summary="List changes",
        description="What changed between dataset versions: per record and field, before and "
        "after, why, and the source that shows it. A record's `changes_url` lists its own; "
        "a client that cited a record can learn here that it changed.",
    )
    return r
