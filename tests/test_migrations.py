"""The Alembic history and the SQLModel models describe the same schema, both ways."""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine

from app.models import DatasetMeta
from tests.conftest import ROOT

ENV_PY = ROOT / "migrations" / "env.py"
METADATA = DatasetMeta.metadata  # app.models' SQLModel.metadata, every table registered
IncludeObject = Callable[[Any, str | None, str, bool, Any], bool]


def env_include_object() -> IncludeObject:
    """The `include_object` of migrations/env.py itself, compiled from its source.

    Importing env.py would run the migrations, so only its imports and that one
    function are taken from it.
    """
    tree = ast.parse(ENV_PY.read_text(encoding="utf-8"), filename=str(ENV_PY))
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "include_object"]
    assert len(found) == 1, "migrations/env.py defines include_object"
    namespace: dict[str, Any] = {}
    module = ast.Module(body=[*imports, *found], type_ignores=[])
    exec(compile(module, str(ENV_PY), "exec"), namespace)
    return cast(IncludeObject, namespace["include_object"])


def alembic_config() -> Config:
    return Config(toml_file=str(ROOT / "pyproject.toml"))


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def schema(path: Path) -> dict[str, str]:
    """name -> CREATE statement of every table, index and trigger in the file."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return {str(name): str(sql) for name, sql in rows}


def version(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[Connection]:
    """A connection to an empty SQLite file upgraded to head through the loader's route."""
    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    try:
        with engine.connect() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
            yield conn
    finally:
        engine.dispose()


def diff(conn: Connection, include_object: IncludeObject | None) -> list[Any]:
    opts: dict[str, Any] = {"compare_type": True}
    if include_object is not None:
        opts["include_object"] = include_object
    context = MigrationContext.configure(conn, opts=opts)
    return list(compare_metadata(context, METADATA))


def test_models_and_migrations_agree(migrated: Connection) -> None:
    include = env_include_object()
    # the filter keeps every model table (else "no diff" would prove nothing) ...
    for name, table in METADATA.tables.items():
        assert include(table, name, "table", False, None), name
    # ... and drops the FTS5 index and its shadow tables
    assert not include(None, "search", "table", True, None)
    assert not include(None, "search_content", "table", True, None)
    assert diff(migrated, include) == []


def test_only_the_search_index_is_left_out_of_the_comparison(migrated: Connection) -> None:
    """Unfiltered, the only difference is the FTS5 index (and its shadow tables)."""
    assert not [t for t in METADATA.tables if t.startswith("search")]
    unfiltered = diff(migrated, None)
    assert unfiltered, "the FTS5 search index is in the database, not in the models"
    assert {d[0] for d in unfiltered} == {"remove_table"}
    removed = {d[1].name for d in unfiltered}
    assert "search" in removed
    assert all(name.startswith("search") for name in removed), removed


def test_upgrade_downgrade_upgrade_on_an_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through env.py's own DATABASE_URL route, as `alembic upgrade head` would run it."""
    path = tmp_path / "roundtrip.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    model_tables = set(METADATA.tables)

    command.upgrade(alembic_config(), "head")
    first = schema(path)
    assert model_tables <= set(first), model_tables - set(first)
    assert "USING fts5" in first["search"]
    assert version(path) == [head_revision()]

    command.downgrade(alembic_config(), "base")
    after_downgrade = schema(path)
    assert "search" not in after_downgrade
    assert not model_tables & set(after_downgrade), model_tables & set(after_downgrade)
    assert set(after_downgrade) <= {"alembic_version"}
    assert version(path) == []

    command.upgrade(alembic_config(), "head")
    assert schema(path) == first
    assert version(path) == [head_revision()]


def test_the_search_index_folds_case_and_diacritics(migrated: Connection) -> None:
    raw = migrated.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    raw.execute(
        "INSERT INTO search (type, id, url, position, title, aliases, body) "
        "VALUES ('leader', 'sadyr-japarov', '/leaders/sadyr-japarov', 0, 'Sadyr Japarov', "
        "'Sadyr Žaparov', 'President of Kyrgyzstan')"
    )
    hits = raw.execute("SELECT id FROM search WHERE search MATCH 'zaparov'").fetchall()
    assert hits == [("sadyr-japarov",)]
    prefix = raw.execute("SELECT id FROM search WHERE search MATCH 'kyrg*'").fetchall()
    assert prefix == [("sadyr-japarov",)]
