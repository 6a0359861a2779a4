"""One search over every resource: SQLite FTS5, case-, diacritic- and alias-insensitive."""

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.responses import Response

from app import schemas
from app.dataset.search import search as run_search
from app.routes.context import Context
from app.routes.listing import page_response, table_response
from app.routes.params import names
from app.routes.querystring import query
from app.vocabulary import ResourceType

SORTABLE = ("score", "type", "id", "title")
MAX_QUERY = 200
DESCRIPTION = (
    "Full-text search over countries, leaders, summits, priorities, agreements, statements, "
    "themes and sources. Case- and diacritic-insensitive (`zaparov` = `Žaparov`), alias-aware "
    "(`Japarov`, `Zhaparov`), prefix-matching for typeahead (`glac`, `mirz`). Every word must "
    "match (as a prefix); punctuation and FTS operators in `q` (quotes, `*`, `OR`, `NEAR`, "
    "`-`, parentheses, `col:`) are plain text.\n\n"
    "**Ranking**: bm25, lower `score` first. A record's own name or title weighs ten times a "
    "description, its own aliases eight; names of related records (a priority's leader and "
    "country) count as description, so `japarov` finds the leader first, then what is by or "
    "about him. Sources rank slightly below the records they support. Ties: by type (in the "
    "order of `ResourceType`), then the seed order, then id.\n\n"
    "**Hits**: `title` is plain text; `snippet` is HTML: the text escaped, the matching words "
    "in `<mark>…</mark>`.\n\nDefault order: relevance (`sort=` names the other orders)."
)


def router(ctx: Context) -> APIRouter:
    r = APIRouter(tags=["search"])
    text = Annotated[str, Field(min_length=1, max_length=MAX_QUERY, pattern=r"\S")]
    filters: dict[str, Any] = {
        "q": (text, Field(description="What to look for, e.g. `japarov` or `glac`.")),
        "type": names(ResourceType, "Only hits of these types."),
    }
    model = schemas.SearchHit
    page_query = ctx.types.collection("Search", model, SORTABLE, **filters)
    table_query = ctx.types.table("Search", model, SORTABLE, **filters)
    example = run_search(ctx.db, "japarov")

    def select(q: Any) -> list[schemas.SearchHit]:
        return run_search(ctx.db, q.q, q.type or ())

    @r.get(
        "/search",
        summary="Search everything",
        description=DESCRIPTION,
        responses=ctx.list_responses("/search", page_query, model, example),
    )
    @query(page_query)
    async def search(
        request: Request,
        q: Any,
    ) -> Response:
        return page_response(request, select(q), q)

    @r.get(
        "/search.csv",
        response_class=Response,
        summary="Search everything (CSV)",
        description="Every hit as CSV, unless `limit`/`offset` ask for a page.",
        responses=ctx.table_responses("/search.csv", table_query, model, example),
    )
    @query(table_query)
    async def search_csv(
        request: Request,
        q: Any,
    ) -> Response:
        return table_response(request, select(q), q, model, "search", ctx.public_url)

    return r
