"""Statements: quotes and attributed positions, with their speaker."""

from fastapi import APIRouter

from app import schemas
from app.dataset.catalog import statements_where
from app.routes.context import Context
from app.routes.params import optional
from app.routes.resource import add_collection, add_item
from app.vocabulary import SpeakerKind, StatementKind

SORTABLE = ("id", "position", "kind", "speaker", "country", "summit")


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/statements", tags=["statements"])
    t = ctx.types
    add_collection(
        r,
        ctx,
        name="statements",
        model=schemas.Statement,
        sortable=SORTABLE,
        filters={
            "speaker": optional(t.SpeakerId, "Only this speaker's statements."),
            "country": t.country("Only statements by a speaker of this country."),
            "summit": optional(t.SummitId, "Only statements about this summit."),
            "kind": optional(StatementKind, "Only quotes, or only paraphrases."),
            "disputed": optional(bool, "Only statements whose sources disagree (or agree)."),
            "speaker_kind": optional(
                SpeakerKind, "Only speakers of this kind (`head-of-state` leaves out analysts)."
            ),
            "event": optional(t.EventId, "Only what was said at this meeting (see /events)."),
        },
        select=lambda q, _: statements_where(
            ctx.catalog,
            q.speaker,
            q.country,
            q.summit,
            q.kind,
            q.disputed,
            q.speaker_kind,
            q.event,
        ),
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
