"""The database file, opened read-only for serving; only the build writes it (app/build/)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

# "retired" came with migration 0003 (with the notes): a file built before it is refused.
REQUIRED_TABLES = {"dataset_meta", "countries", "leaders", "priorities", "agreements", "search"}
REQUIRED_TABLES |= {"retired"}


class DatabaseUnavailable(RuntimeError):
    """The configured database is missing, corrupt or not built by our loader."""


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open `path` read-only and immutable: SQLite refuses writes and skips locking.

    Immutable is safe because the loader never modifies a file in place: it replaces it
    with `os.replace`, and a running process keeps reading the file it opened.
    """
    if not path.is_file():
        raise DatabaseUnavailable(f"database file {path} does not exist: run `summit-api load`")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseUnavailable(
            f"database file {path} is not a usable SQLite file: {exc}"
        ) from exc
    missing = REQUIRED_TABLES - tables
    if missing:
        conn.close()
        raise DatabaseUnavailable(
            f"database file {path} lacks tables {sorted(missing)}: "
            "rebuild it with `summit-api load`"
        )
    return conn
