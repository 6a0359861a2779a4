"""Serving for real: uvicorn and `summit-api serve` over HTTP, and refusing a bad database."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.dataset.db import DatabaseUnavailable, open_snapshot, read_snapshot
from app.main import create_app
from app.settings import Settings
from tests.expected import page, priorities_of
from tests.support import PROBLEM, ROOT, env_for, free_port, running, uvicorn_command


def summit_api() -> list[str]:
    """The installed console script, or the same entry point through the module."""
    script = Path(sys.executable).parent / "summit-api"
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


def test_uvicorn_serves_country_priorities_over_http(db_path: Path, tmp_path: Path) -> None:
    port = free_port()
    with (
        running(uvicorn_command(port), db_path, port, tmp_path / "uvicorn.log") as base,
        httpx.Client(base_url=base, trust_env=False) as http,
    ):
        response = http.get("/countries/kg/priorities")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json() == page(priorities_of("kg"))

        alias = http.get("/countries/KGZ/priorities")
        assert alias.json() == response.json()
        assert '</countries/kg/priorities>; rel="canonical"' in alias.headers["link"]

        head = http.head("/countries/kg/priorities")
        assert (head.status_code, head.content) == (200, b"")
        missing = http.get("/countries/atlantis/priorities")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == PROBLEM
        assert http.post("/countries/kg/priorities").status_code == 405


def test_summit_api_serve(db_path: Path, tmp_path: Path) -> None:
    port = free_port()
    command = [*summit_api(), "serve", "--port", str(port)]
    with (
        running(command, db_path, port, tmp_path / "serve.log") as base,
        httpx.Client(base_url=base, trust_env=False) as http,
    ):
        assert http.get("/countries/kg").json()["leader"]["id"] == "sadyr-japarov"


def test_summit_api_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "summit.db"
    result = subprocess.run(
        [*summit_api(), "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env_for(missing),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"cannot serve: database file {missing} does not exist: run `summit-api load`"
    )
    assert "Traceback" not in result.stderr
    assert not missing.exists()


def test_summit_api_serve_refuses_a_corrupt_database(tmp_path: Path) -> None:
    corrupt = tmp_path / "summit.db"
    corrupt.write_bytes(b"\0garbage" * 1000)
    result = subprocess.run(
        [*summit_api(), "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env_for(corrupt),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("cannot serve: ")
    assert str(corrupt) in line


def test_create_app_refuses_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "summit.db"
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        create_app(Settings(database_url=f"sqlite:///{missing}"))
    assert not missing.exists(), "opening read-only must not create the file"


def test_create_app_refuses_a_corrupt_file(tmp_path: Path) -> None:
    corrupt = tmp_path / "summit.db"
    corrupt.write_bytes(b"this is not a database\n" * 200)
    with pytest.raises(DatabaseUnavailable, match="not a usable SQLite file"):
        create_app(Settings(database_url=f"sqlite:///{corrupt}"))


def test_create_app_refuses_a_truncated_database(db_path: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "summit.db"
    truncated.write_bytes(db_path.read_bytes()[:4096])
    with pytest.raises(DatabaseUnavailable):
        create_app(Settings(database_url=f"sqlite:///{truncated}"))


def test_create_app_refuses_a_database_it_did_not_build(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    with pytest.raises(DatabaseUnavailable):
        create_app(Settings(database_url=f"sqlite:///{other}"))


def test_create_app_refuses_a_database_missing_a_table_the_catalog_reads(
    db_path: Path, tmp_path: Path
) -> None:
    """A table only the catalog reads: the start-up schema check (SCHEMA) finds it gone."""
    older = tmp_path / "summit.db"
    shutil.copyfile(db_path, older)
    with sqlite3.connect(older) as conn:
        conn.execute("DROP TABLE citations")
    conn.close()
    with pytest.raises(DatabaseUnavailable, match=r"lacks tables \['citations'\]"):
        create_app(Settings(database_url=f"sqlite:///{older}"))


def test_the_serving_connection_cannot_write(db_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "summit.db"
    shutil.copyfile(db_path, copy)
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    app = create_app(Settings(database_url=f"sqlite:///{copy}"))
    db = open_snapshot(read_snapshot(copy))  # the serving side's one way of opening the file
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("UPDATE countries SET name = 'Kirghizia' WHERE id = 'kg'")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("CREATE TABLE scratch (x)")
    with TestClient(app) as client:
        assert client.get("/countries/kg").json()["name"] == "Kyrgyzstan"
        client.delete("/countries/kg")
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summit.db"]  # no journal, no WAL
