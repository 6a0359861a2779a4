"""One search over every resource: SQLite FTS5, case-, diacritic- and alias-insensitive."""

from __future__ import annotations

import html
import re
import sqlite3
import unicodedata
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
# A word: letters and digits (not `_`, which FTS5's unicode61 tokenizer splits on) with any
# combining marks, so a decomposed "Z\u030caparov" stays one word; words joined by an
# apostrophe ("Xi'an", "Beijing's") form one group.
_LETTER = r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
WORD_GROUP = re.compile(rf"{_LETTER}+(?:['’]{_LETTER}+)*")
APOSTROPHE = re.compile(r"['’]")
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
# bm25 weights per column (type, id, url, position, title, aliases, body): a record's own
# name or title counts ten times a description, its own aliases eight. Sources (the documents
# cited) rank a little below the records they support. Ties fall back to the order of TYPES,
# then the record's order in its seed file, then id: the order is total, so stable.
SOURCE_WEIGHT = 0.8
_TYPE_RANK = " ".join(f"WHEN '{t}' THEN {i}" for i, t in enumerate(TYPES))
SEARCH_SQL = f"""
SELECT type, id, url, title,
       snippet(search, -1, ?, ?, '…', 12) AS snippet,
       bm25(search, 0, 0, 0, 0, 10.0, 8.0, 1.0)
         * (CASE type WHEN 'source' THEN {SOURCE_WEIGHT} ELSE 1.0 END) AS score
FROM search
WHERE search MATCH ? {{type_filter}}
ORDER BY score, CASE type {_TYPE_RANK} END, CAST(position AS INTEGER), id
"""


def fts_query(q: str) -> str | None:
    """User text -> an FTS5 query of quoted prefix terms joined by AND.

    Only runs of letters and digits survive, each inside double quotes, so FTS5 syntax in
    the input (quotes, `*`, NEAR, OR, NOT, `-`, `^`, parentheses, column filters) is plain
    words. Words joined by an apostrophe match as a phrase or written together:
    `Xi'an` -> `("xi an"* OR "xian"*)`.
    """
    groups = WORD_GROUP.findall(unicodedata.normalize("NFKC", q))[:MAX_TERMS]
    if not groups:
        return None
    terms = []
    for group in groups:
        parts = APOSTROPHE.split(group)
        if len(parts) == 1:
            terms.append(f'"{group}"*')
        else:
            terms.append(f'("{" ".join(parts)}"* OR "{"".join(parts)}"*)')
    return " AND ".join(terms)


def _html_snippet(raw: str) -> str:
    """The snippet as HTML: the text escaped, the matched words in <mark>…</mark>."""
    return html.escape(raw, quote=False).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def run_search(db: sqlite3.Connection, q: str, types: set[str] | None) -> list[dict[str, object]]:
    query = fts_query(q)
    if query is None:
        return []
    type_filter = ""
    args: list[str] = [MARK_OPEN, MARK_CLOSE, query]
    if types is not None:
        wanted = sorted(types & set(TYPES))
        type_filter = f"AND type IN ({', '.join('?' for _ in wanted)})"
        args += wanted
    rows = db.execute(SEARCH_SQL.format(type_filter=type_filter), args).fetchall()
    return [
        {
            "type": r["type"],
            "id": r["id"],
            "title": r["title"],
            "snippet": _html_snippet(r["snippet"]),
            "url": r["url"],
            "score": round(r["score"], 6),
        }
        for r in rows
    ]


@router.get(
    "/search",
    response_model=schemas.Page[schemas.SearchHit],
    summary="Search everything",
    description="Full-text search over countries, leaders, summits, priorities, agreements, "
    "statements, themes and sources. Case- and diacritic-insensitive (`zaparov` = `Žaparov`), "
    "alias-aware (`Japarov`, `Zhaparov`), prefix-matching for typeahead (`glac`, `mirz`). "
    "Every word must match (as a prefix); punctuation and FTS operators in `q` (quotes, `*`, "
    "`OR`, `NEAR`, `-`, parentheses, `col:`) are plain text.\n\n"
    "**Ranking**: bm25, lower `score` first. A record's own name or title weighs ten times a "
    "description, its own aliases eight; names of related records (a priority's leader and "
    "country) count as description, so `japarov` finds the leader first, then what is by or "
    "about him. Sources rank slightly below the records they support. Ties: by type (in the "
    "order of `type`'s list), then the seed order, then id.\n\n"
    "**Hits**: `title` is plain text; `snippet` is HTML: the text escaped, the matching words "
    "in `<mark>…</mark>`.\n\n"
    "Default order: relevance (`sort=` names the other orders).",
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
        raise bad_parameter(
            "q", "must contain something to search for", f"1 to {MAX_QUERY} characters", 422
        )
    types = None
    if type is not None:
        types = {t.strip() for t in type.split(",") if t.strip()}
        unknown = sorted(types - set(TYPES))
        if unknown or not types:
            raise bad_parameter(
                "type",
                f"unknown type(s) {', '.join(unknown)}" if unknown else "names no type",
                "comma-separated: " + ", ".join(TYPES),
                422,
            )
    hits = run_search(request.app.state.db, q, types)
    return collection_response(request, hits, params, SORTABLE, "search")
