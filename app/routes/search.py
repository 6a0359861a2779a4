"""One search over every resource: SQLite FTS5, case-, diacritic- and alias-insensitive."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from app import schemas
from app.dataset.search import search as run_search
from app.routes.context import Context
from app.routes.resource import Within, add_collection

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
    add_collection(
        r,
        ctx,
        name="search",
        model=schemas.SearchHit,
        sortable=SORTABLE,
        base=lambda q, _: run_search(ctx.db, q.q),
        extra={"q": (text, Field(description="What to look for, e.g. `japarov` or `glac`."))},
        summary="Search everything",
        description=DESCRIPTION,
        within=Within(path="/search", operation="search", example=run_search(ctx.db, "japarov")),
    )
    return r
