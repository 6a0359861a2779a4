"""One search over every resource: SQLite FTS5, case-, diacritic- and alias-insensitive."""

from __future__ import annotations

import re
import sqlite3
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app import schemas
from app.listing import ListQuery, collection_response
from app.problems import bad_parameter, openapi_responses

router = APIRouter(tags=["search"])

TYPES = ("country", "leader", "summit", "priority", "agreement", "statement", "theme", "source")
SORTABLE = ("score", "type", "id", "title")
MAX_QUERY = 200
MAX_TERMS = 12
WORD = re.compile(r"\w+")
# bm25 weights per column (type, id, url, position, title, aliases, body): names and titles
# count ten times a description, aliases eight; ties fall back to type and source order.
SEARCH_SQL = """
SELECT type, id, url, title,
       snippet(search, -1, '<mark>', '</mark>', '…', 12) AS snippet,
       bm25(search, 0, 0, 0, 0, 10.0, 8.0, 1.0) AS score
FROM search
WHERE search MATCH ?
ORDER BY score, type, CAST(position AS INTEGER), id
"""


def fts_query(q: str) -> str | None:
    """User text -> an FTS5 query of quoted prefix terms, ANDed.

    Only runs of word characters survive, each inside double quotes, so FTS5 syntax in the
    input (quotes, `*`, NEAR, OR, NOT, `-`, parentheses, column filters) is plain words.
    """
    terms = WORD.findall(q)[:MAX_TERMS]
    if not terms:
        return None
    return " ".join(f'"{t}"*' for t in terms)


def run_search(db: sqlite3.Connection, q: str, types: set[str] | None) -> list[dict[str, object]]:
    query = fts_query(q)
    if query is None:
        return []
    rows = db.execute(SEARCH_SQL, (query,)).fetchall()
    return [
        {
            "type": r["type"],
            "id": r["id"],
            "title": r["title"],
            "snippet": r["snippet"],
            "url": r["url"],
            "score": round(r["score"], 6),
        }
        for r in rows
        if types is None or r["type"] in types
    ]


@router.get(
    "/search",
    response_model=schemas.Page[schemas.SearchHit],
    summary="Search everything",
    description="Full-text search over countries, leaders, summits, priorities, agreements, "
    "statements, themes and sources. Case- and diacritic-insensitive (`zaparov` = `Žaparov`), "
    "alias-aware (`Japarov`, `Zhaparov`), prefix-matching for typeahead (`glac`), ranked by "
    "relevance (bm25; names and titles weigh more than descriptions). Every word must match; "
    "punctuation and FTS operators in `q` are treated as plain text.",
    responses=openapi_responses(400, 422),
)
async def search(
    request: Request,
    params: ListQuery,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY,
            description="What to look for, e.g. `japarov` or `glac`.",
            examples=["japarov"],
        ),
    ],
    type: Annotated[
        str | None,
        Query(
            max_length=MAX_QUERY,
            description="Comma-separated resource types to keep: " + ", ".join(TYPES),
        ),
    ] = None,
) -> Response:
    if not q.strip():
        raise bad_parameter("q", "must contain something to search for", "1 to 200 characters", 422)
    types = None
    if type is not None:
        types = {t.strip() for t in type.split(",") if t.strip()}
        unknown = sorted(types - set(TYPES))
        if unknown or not types:
            raise bad_parameter(
                "type",
                f"unknown type(s) {', '.join(unknown)}",
                "comma-separated: " + ", ".join(TYPES),
                422,
            )
    hits = run_search(request.app.state.db, q, types)
    return collection_response(request, hits, params, SORTABLE, "search")
