"""A server pointed at a bad database refuses to start, with one line naming the file.

`summit-api serve` builds the app before it hands over to uvicorn, so a missing, corrupt
or foreign file stops the start-up with exit status 1 and a message on stderr, for one
worker or several (uvicorn would otherwise respawn failing workers forever), instead of
a server that answers 5xx. Plain `uvicorn app.main:app` fails at start-up as well.
What the loader does when it is killed mid-way is tests/test_loader.py's business.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import live_server, raw_request

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60  # a hang (a server that never exits) fails the test instead


def _missing(path: Path, good: Path) -> None:
    pass


def _directory(path: Path, good: Path) -> None:
    path.mkdir()


def _empty(path: Path, good: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path, good: Path) -> None:
    path.write_text("this is not a database\n")


def _truncated(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[:8192])


def _half(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zeroed_pages(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    data[4096:] = bytes(len(data) - 4096)
    path.write_bytes(bytes(data))


def _foreign(path: Path, good: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()


def _table_dropped(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE themes")
    conn.close()


def _no_schema_revision(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM alembic_version")
    conn.close()


BAD_DATABASES: dict[str, Callable[[Path, Path], None]] = {
    "missing": _missing,
    "a directory": _directory,
    "empty": _empty,
    "text": _text,
    "truncated to 8 KiB": _truncated,
    "truncated to half": _half,
    "pages zeroed": _zeroed_pages,
    "another app's SQLite": _foreign,
    "a table dropped": _table_dropped,
    "no schema revision": _no_schema_revision,
}


def _start(command: list[str], database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )


def _serve(workers: int) -> list[str]:
    return [sys.executable, "-m", "app.cli", "serve", "--port", "0", "--workers", str(workers)]


CASES = [(kind, 1) for kind in BAD_DATABASES] + [
    (kind, 2) for kind in ("missing", "truncated to half", "a table dropped")
]


@pytest.mark.parametrize(("kind", "workers"), CASES)
def test_serve_refuses_a_bad_database(
    kind: str, workers: int, db_path: Path, tmp_path: Path
) -> None:
    database = tmp_path / "summit.db"
    BAD_DATABASES[kind](database, db_path)
    result = _start(_serve(workers), database)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one clear line, no traceback
    assert str(database) in lines[0]
    assert "Uvicorn running" not in result.stderr
    assert "summit-api load" in lines[0] or "not usable" in lines[0] or "not a usable" in lines[0]
    print(f"\n{kind}: {lines[0]}")


@pytest.mark.parametrize("kind", ["missing", "truncated to 8 KiB", "another app's SQLite"])
def test_plain_uvicorn_fails_at_start_up(kind: str, db_path: Path, tmp_path: Path) -> None:
    database = tmp_path / "summit.db"
    BAD_DATABASES[kind](database, db_path)
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", "0"]
    result = _start(command, database)
    assert result.returncode != 0
    assert str(database) in result.stderr
    assert "Application startup complete" not in result.stderr


def test_a_database_removed_under_a_running_server(db_path: Path, tmp_path: Path) -> None:
    """The loader replaces the file; a running server keeps the one it opened."""
    database = tmp_path / "summit.db"
    shutil.copyfile(db_path, database)
    with live_server(database, tmp_path / "serve.log") as server:
        database.unlink()
        for target in (b"/countries/kg", b"/search?q=glacier", b"/health"):
            request = b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n\r\n"
            assert raw_request(server, request).status_code == 200, target
