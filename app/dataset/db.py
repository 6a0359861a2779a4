"""The database for serving: a private in-memory snapshot of the file, checked at start-up.

Only the build writes the file (app/loader/). A serving process reads its bytes once, checks
them (integrity, every table and column this code reads, the FTS5 index) and serves that copy
from memory for its whole life: replacing or overwriting the file later changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Every table and column the serving side reads (app/dataset/represent.py, search.py);
# tests/dataset/test_db.py keeps it equal to what the migrations build.
SCHEMA: dict[str, tuple[str, ...]] = {
    "agreement_claims": (
        *("agreement_id", "position", "attribute", "value", "source_id", "excerpt"),
        "preferred",
    ),
    "agreement_parties": ("agreement_id", "country_id", "position", "role"),
    "agreement_themes": ("agreement_id", "theme_id", "position"),
    "agreement_values": (
        *("agreement_id", "position", "amount", "currency", "qualifier", "note"),
        *("source_id", "excerpt", "preferred"),
    ),
    "agreements": (
        *("id", "summit_id", "position", "kind", "title", "also_known_as", "description"),
        *("count", "fields", "note", "event_id", "dispute"),
    ),
    "alembic_version": ("version_num",),
    "citations": ("record_type", "record_id", "position", "source_id", "excerpt"),
    "countries": ("id", "position", "alpha2", "alpha3", "numeric", "name", "capital", "region"),
    "dataset_meta": ("key", "value"),
    "leaders": ("id", "position", "name", "source_spelling", "aliases", "title", "country_id"),
    "priorities": (
        *("id", "leader_id", "summit_id", "position", "kind", "title", "description"),
        *("note", "event_id", "dispute"),
        "country_id",  # migration 0005 (issue 22): for the downloads' readers
    ),
    "priority_themes": ("priority_id", "theme_id", "position"),
    "search": ("type", "id", "url", "position", "title", "aliases", "body"),
    "sources": (
        *("id", "position", "kind", "title", "author", "publisher", "published", "section"),
        *("url", "note", "directness", "published_inferred"),
    ),
    "statements": (
        *("id", "summit_id", "position", "kind", "text", "context", "leader_id", "speaker_id"),
        *("speaker_name", "speaker_aliases", "speaker_role", "speaker_country_id", "note"),
        *("event_id", "speaker_kind", "dispute"),
    ),
    # Migration 0003 (retired ids, notes): a file built before it is refused.
    "retired": (
        *("collection", "id", "position", "successor_collection", "successor"),
        *("reason", "retired_in"),
    ),
    "summit_participants": ("summit_id", "country_id", "role"),
    "summits": ("id", "ordinal", "name", "city", "host_id", "date", "dispute"),
    "themes": ("id", "position", "name", "description"),
    # Migration 0004 (events, claims on every record, changes).
    "changes": (
        *("position", "version", "collection", "record", "field", "before", "after", "why"),
        "source_id",
    ),
    "claims": (
        *("record_type", "record_id", "position", "attribute", "value", "preferred"),
        *("source_id", "excerpt"),
    ),
    "events": (
        *("id", "position", "summit_id", "kind", "name", "date", "place", "participants"),
        *("description", "note", "dispute"),
    ),
}
# What /search runs (bm25, snippet, MATCH): a plain table named `search` fails it.
FTS_PROBE = "SELECT bm25(search), snippet(search, -1, '', '', '', 1) FROM search "
FTS_PROBE += "WHERE search MATCH '\"a\"*' LIMIT 1"
REBUILD = "rebuild it with `summit-api load`"


class DatabaseUnavailable(RuntimeError):
    """The configured database is missing, corrupt or not built by our loader."""


@dataclass(frozen=True)
class Snapshot:
    """The bytes of a database file as read once, and their sha256."""

    path: Path
    data: bytes
    sha256: str


def read_snapshot(path: Path, expected_sha256: str | None = None) -> Snapshot:
    """The file's bytes; with `expected_sha256`, only if they are exactly those bytes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatabaseUnavailable(
            f"database file {path} does not exist: run `summit-api load`"
        ) from None
    except OSError as exc:
        raise DatabaseUnavailable(
            f"database file {path} cannot be read ({exc.strerror}): point DATABASE_URL at the "
            "file `summit-api load` builds"
        ) from None
    if not data:
        raise DatabaseUnavailable(f"database file {path} is empty: {REBUILD}")
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 is not None and digest != expected_sha256.lower():
        raise DatabaseUnavailable(
            f"database file {path} has sha256 {digest}, not the {expected_sha256} "
            "DATABASE_SHA256 names: restart the server to serve the new file"
        )
    return Snapshot(path, data, digest)


def open_snapshot(snapshot: Snapshot) -> sqlite3.Connection:
    """The snapshot as an in-memory database that refuses writes, once it passes `check`."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        try:
            conn.deserialize(snapshot.data)
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(
                f"database file {snapshot.path} is not a usable SQLite file: {exc}"
            ) from None
        conn.execute("PRAGMA query_only = ON")
        check(conn, snapshot.path)
    except BaseException:
        conn.close()
        raise
    return conn


def check(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not intact or lacks what the serving side reads."""
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        tables = {
            name: {c[1] for c in conn.execute(f'PRAGMA table_info("{name}")')}
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(
            f"database file {path} is not a usable SQLite file: {exc}"
        ) from None
    if verdict != "ok":
        raise DatabaseUnavailable(f"database file {path} is damaged ({verdict}): {REBUILD}")
    missing = sorted(set(SCHEMA) - set(tables))
    if missing:
        raise DatabaseUnavailable(f"database file {path} lacks tables {missing}: {REBUILD}")
    for table, columns in SCHEMA.items():
        lacking = [c for c in columns if c not in tables[table]]
        if lacking:
            raise DatabaseUnavailable(
                f"database file {path}: table {table!r} lacks columns {lacking}: {REBUILD}"
            )
    try:
        conn.execute(FTS_PROBE).fetchall()
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(
            f"database file {path}: table 'search' is not the FTS5 index /search queries "
            f"({exc}): {REBUILD}"
        ) from None


def probe(conn: sqlite3.Connection) -> None:
    """One cheap query over every table requests read and the FTS5 index (for /health)."""
    counts = ", ".join(f'(SELECT 1 FROM "{table}" LIMIT 1)' for table in SCHEMA)
    conn.execute(f"SELECT {counts}").fetchone()
    conn.execute(FTS_PROBE).fetchall()


def private_copy(snapshot: Snapshot) -> Path:
    """The snapshot written to a new directory only this user can enter, named by its
    sha256 and read-only: what the workers of one server open (app/serving.py)."""
    directory = Path(tempfile.mkdtemp(prefix="summit-api-"))
    target = directory / f"{snapshot.sha256}.db"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
    with os.fdopen(fd, "wb") as fh:
        fh.write(snapshot.data)
    return target
