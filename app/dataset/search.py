"""Search: user text -> an FTS5 query -> typed hits, ranked by bm25.

The index (the `search` table) is built by the loader; here it is only read.
"""

import html
import re
import sqlite3
import unicodedata
from collections.abc import Collection

from app import schemas
from app.vocabulary import ResourceType

MAX_TERMS = 12
# A word: letters and digits (not `_`, which FTS5's unicode61 tokenizer splits on) with any
# combining marks, so a decomposed "Z\u030caparov" stays one word; words joined by an
# apostrophe ("Xi'an", "Beijing's") form one group.
_LETTER = r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
WORD_GROUP = re.compile(rf"{_LETTER}+(?:['’]{_LETTER}+)*")
APOSTROPHE = re.compile(r"['’]")
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
# bm25 weights per column (type, id, url, position, title, aliases, body): a record's own
# name or title counts ten times a description, its own aliases eight. Sources rank a little
# below the records they support. Ties: the order of ResourceType, the seed order, the id.
SOURCE_WEIGHT = 0.8
_TYPE_RANK = " ".join(f"WHEN '{t.value}' THEN {i}" for i, t in enumerate(ResourceType))
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


def html_snippet(raw: str) -> str:
    """The snippet as HTML: the text escaped, the matched words in <mark>…</mark>."""
    return html.escape(raw, quote=False).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def search(
    db: sqlite3.Connection, q: str, types: Collection[ResourceType] = ()
) -> list[schemas.SearchHit]:
    """Every hit for `q`, best first; only the given types, if any are given."""
    query = fts_query(q)
    if query is None:
        return []
    type_filter = ""
    args: list[str] = [MARK_OPEN, MARK_CLOSE, query]
    if types:
        wanted = sorted({t.value for t in types})
        type_filter = f"AND type IN ({', '.join('?' for _ in wanted)})"
        args += wanted
    found = db.execute(SEARCH_SQL.format(type_filter=type_filter), args).fetchall()
    return [
        schemas.SearchHit(
            type=r["type"],
            id=r["id"],
            title=r["title"],
            snippet=html_snippet(r["snippet"]),
            url=r["url"],
            score=round(r["score"], 6),
        )
        for r in found
    ]
