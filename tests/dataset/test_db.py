"""app/dataset/db.py: serving reads the database once into a read-only in-memory snapshot, and
refuses a missing, corrupt, torn or foreign file with a message naming it.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest

from app.dataset.db import (
    FTS_PROBE,
    SCHEMA,
    DatabaseUnavailable,
    open_snapshot,
    private_copy,
    probe,
    read_snapshot,
)
from tests.conftest import SEEDS


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def theme_count() -> int:
    with (SEEDS / "themes.toml").open("rb") as fh:
        return len(tomllib.load(fh)["themes"])


def test_open_snapshot_refuses_writes(db_path: Path) -> None:
    before = sha256(db_path)
    conn = open_snapshot(read_snapshot(db_path))
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


def test_open_snapshot_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    with pytest.raises(DatabaseUnavailable, match="does not exist") as info:
        open_snapshot(read_snapshot(missing))
    assert str(missing) in str(info.value)
    assert not missing.exists()


def test_open_snapshot_corrupt_file(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(bytes(range(256)) * 64)
    before = sha256(garbage)
    with pytest.raises(DatabaseUnavailable, match="not a usable SQLite file") as info:
        open_snapshot(read_snapshot(garbage))
    assert str(garbage) in str(info.value)
    assert sha256(garbage) == before


def test_open_snapshot_foreign_sqlite_file(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseUnavailable) as info:
        open_snapshot(read_snapshot(other))
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
        open_snapshot(read_snapshot(old))


def test_schema_is_what_the_migrations_build(db_path: Path) -> None:
    """SCHEMA (what serving checks at start-up) stays equal to the loader's tables."""
    conn = sqlite3.connect(db_path)
    names = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search\\_%' "
        "ESCAPE '\\'"
    ).fetchall()
    built = {n: tuple(c[1] for c in conn.execute(f'PRAGMA table_info("{n}")')) for (n,) in names}
    conn.close()
    assert built == SCHEMA


def test_the_snapshot_outlives_any_change_to_the_file(db_path: Path, tmp_path: Path) -> None:
    """Read once into memory: an in-place overwrite (`cp`) or a removal changes nothing."""
    served = tmp_path / "summit.db"
    shutil.copyfile(db_path, served)
    conn = open_snapshot(read_snapshot(served))
    served.write_bytes(b"\0" * served.stat().st_size)  # same inode, bytes gone
    assert conn.execute(FTS_PROBE).fetchall()
    served.unlink()
    assert conn.execute("SELECT count(*) FROM themes").fetchone()[0] == theme_count()
    probe(conn)
    conn.close()


def test_a_pinned_sha256_refuses_other_bytes(db_path: Path, tmp_path: Path) -> None:
    digest = sha256(db_path)
    assert read_snapshot(db_path, digest.upper()).sha256 == digest
    with pytest.raises(DatabaseUnavailable, match="DATABASE_SHA256"):
        read_snapshot(db_path, "0" * 64)


def test_a_torn_file_is_refused(db_path: Path, tmp_path: Path) -> None:
    """What a reader may see mid-`cp`: the first pages of one file, zeros after."""
    torn = tmp_path / "torn.db"
    data = db_path.read_bytes()
    torn.write_bytes(data[: len(data) // 2] + b"\0" * (len(data) - len(data) // 2))
    with pytest.raises(DatabaseUnavailable, match=str(torn)):
        open_snapshot(read_snapshot(torn))


def test_the_private_copy_is_named_by_its_sha256_and_read_only(db_path: Path) -> None:
    snapshot = read_snapshot(db_path)
    copy = private_copy(snapshot)
    try:
        assert copy.name == f"{snapshot.sha256}.db"
        assert copy.read_bytes() == db_path.read_bytes()
        assert copy.stat().st_mode & 0o777 == 0o400
        assert copy.parent.stat().st_mode & 0o777 == 0o700
    finally:
        shutil.rmtree(copy.parent)
