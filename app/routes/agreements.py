"""Agreements and commitments: treaties, declarations, deals, money and training quotas."""

from typing import Any

from fastapi import APIRouter

from app import schemas
from app.dataset.catalog import agreements_where
from app.routes.context import Context
from app.routes.params import Types, optional
from app.routes.resource import add_collection, add_item
from app.vocabulary import AgreementKind

SORTABLE = ("id", "position", "kind", "title", "summit", "count")


def filters(types: Types) -> dict[str, Any]:
    """The filters a summit's own list shares with the whole list."""
    return {
        "kind": optional(AgreementKind, "Only agreements of this kind."),
        "party": types.country("Only agreements this country is party to."),
        "theme": optional(types.ThemeId, "Only agreements under this theme."),
        "disputed": optional(bool, "Only agreements whose sources disagree (or agree)."),
    }


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/agreements", tags=["agreements"])
    add_collection(
        r,
        ctx,
        name="agreements",
        model=schemas.Agreement,
        sortable=SORTABLE,
        filters={
            "summit": optional(
                ctx.types.SummitId,
                "Only this summit's own agreements (not those of a meeting on its occasion).",
            ),
            "event": optional(ctx.types.EventId, "Only those of this meeting (see /events)."),
            **filters(ctx.types),
        },
        select=lambda q, _: agreements_where(
            ctx.catalog, q.summit, q.kind, q.party, q.theme, q.disputed, q.event
        ),
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
