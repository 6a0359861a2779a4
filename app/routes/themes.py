"""Themes: the taxonomy, as a country x theme matrix."""

from fastapi import APIRouter

from app import schemas
from app.routes.context import Context
from app.routes.resource import add_collection, add_item

SORTABLE = ("id", "name", "priority_count", "endorsement_count", "agreement_count")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/themes", tags=["themes"])
    add_collection(
        r,
        ctx,
        name="themes",
        model=schemas.Theme,
        sortable=SORTABLE,
        base=lambda q, _: ctx.catalog.theme_rows,
        summary="List themes",
        description="The theme taxonomy. Each theme lists the countries that name it with "
        "their counts, so one call draws a country x theme heatmap. A priority counts for its "
        "leader's country: as `priority_count` when the country states it, as "
        "`endorsement_count` when it endorses another's; an agreement counts for each party.",
    )
    add_item(
        r,
        ctx,
        name="theme",
        collection="themes",
        model=schemas.ThemeDetail,
        example="energy",
        summary="Get a theme",
        description="One theme with its priorities and agreements, grouped by country.",
    )
    return r
