"""app/dataset/db.py: serving opens the database read-only, and refuses a missing, corrupt or
foreign file with a message naming it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tomllib
from pathlib import Path

import pytest

from app.dataset.db import DatabaseUnavailable, open_readonly
from tests.conftest import SEEDS


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def theme_count() -> int:
    with (SEEDS / "themes.toml").open("rb") as fh:
        return len(tomllib.load(fh)["themes"])


def test_open_readonly_refuses_writes(db_path: Path) -> None:
    before = sha256(db_path)
    conn = open_readonly(db_path)
    try:
        n = conn.execute("SELECT count(*) FROM themes").fetchone()[0]
        assert n == theme_count()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("INSERT INTO themes VALUES ('x', 99, 'X', 'x')")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM search")
    finally:
        conn.close()
    assert sha256(db_path) == before


def test_open_readonly_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    with pytest.raises(DatabaseUnavailable, match="does not exist") as info:
        open_readonly(missing)
    assert str(missing) in str(info.value)
    assert not missing.exists()


def test_open_readonly_corrupt_file(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(bytes(range(256)) * 64)
    before = sha256(garbage)
    with pytest.raises(DatabaseUnavailable, match="not a usable SQLite file") as info:
        open_readonly(garbage)
    assert str(garbage) in str(info.value)
    assert sha256(garbage) == before


def test_open_readonly_foreign_sqlite_file(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseUnavailable) as info:
        open_readonly(other)
    assert str(other) in str(info.value)


def test_a_file_built_before_the_retired_table_is_refused(tmp_path: Path, db_path: Path) -> None:
    """A database of schema 0002 (no `retired` table, no notes) is refused at start-up with
    the table named, not served with 404s where retired ids should answer 410."""
    old = tmp_path / "old.db"
    old.write_bytes(db_path.read_bytes())
    conn = sqlite3.connect(old)
    conn.execute("DROP TABLE retired")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseUnavailable, match=r"lacks tables \['retired'\]"):
        open_readonly(old)
