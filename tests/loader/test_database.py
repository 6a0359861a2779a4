"""app/loader/database.py: the migrations and the models agree, the CLI builds a database
whose counts and checksum match the seeds, and a loader killed at any stage leaves the
previous database as it was (killed loaders are real processes, killed).
"""

from __future__ import annotations

import ast
import re
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
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

from app.loader import load, read_seeds
from app.models import DatasetMeta
from tests.conftest import ROOT, SEEDS
from tests.loader.conftest import (
    cli_env,
    copy_seeds,
    db_checksum,
    edit_text,
    parse_seed,
    previous_db,
    printed_checksum,
    printed_counts,
    query,
    run_cli,
    seed_counts,
    sha256,
    sources_option,
    temp_files,
)

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
    """A connection to an empty SQLite file upgraded to head through the build's route."""
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


# --- building -------------------------------------------------------------------------------


def test_cli_load_prints_counts_matching_the_seed_files(tmp_path: Path) -> None:
    target = tmp_path / "summit.db"
    result = run_cli("load", "--seeds", SEEDS, "--db", target, *sources_option())
    assert result.returncode == 0, result.stderr
    expected = seed_counts()
    assert printed_counts(result.stdout) == expected
    for table, n in expected.items():
        assert query(target, f"SELECT count(*) FROM {table}") == [(n,)], table
    assert printed_checksum(result.stdout) == db_checksum(target)
    version = parse_seed(SEEDS, "dataset")["version"]
    assert query(target, "SELECT value FROM dataset_meta WHERE key = 'version'") == [(version,)]
    assert temp_files(tmp_path) == []


def test_loading_twice_gives_the_same_checksum(tmp_path: Path, db_path: Path) -> None:
    target = tmp_path / "summit.db"
    first = load(SEEDS, target)
    first_checksum = db_checksum(target)
    second = load(SEEDS, target)
    assert db_checksum(target) == first_checksum
    assert first.checksum() == second.checksum() == first_checksum
    assert db_checksum(db_path) == first_checksum  # the session's build, another process time
    assert re.fullmatch(r"[0-9a-f]{64}", first_checksum)
    assert temp_files(tmp_path) == []


def test_a_changed_seed_changes_the_checksum(tmp_path: Path, db_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    target = tmp_path / "summit.db"
    # a comment is not content
    edit_text(
        seeds / "themes.toml", '[[themes]]\nid = "energy"', '# note\n[[themes]]\nid = "energy"'
    )
    load(seeds, target)
    assert db_checksum(target) == db_checksum(db_path)
    # a description is
    edit_text(seeds / "themes.toml", "natural gas, electricity", "natural gas, oil, electricity")
    load(seeds, target)
    assert db_checksum(target) != db_checksum(db_path)
    assert query(target, "SELECT description FROM themes WHERE id = 'energy'")[0][0].count("oil")


def test_the_stages_are_reported_in_order(tmp_path: Path) -> None:
    stages: list[str] = []
    load(SEEDS, tmp_path / "summit.db", on_stage=stages.append)
    assert stages == ["validate", "insert", "swap"]


# --- killed mid-build -----------------------------------------------------------------------

# The loader in a process of its own, with an `on_stage` that stops at the stage named.
PAUSING_LOAD = """
import sys, time
from pathlib import Path
from app.loader import load

def pause(stage: str) -> None:
    if stage == sys.argv[1]:
        print(f"paused at {stage}", flush=True)
        time.sleep(60)

load(Path(sys.argv[2]), Path(sys.argv[3]), on_stage=pause)
print("loaded")
"""


def wait_for_line(proc: subprocess.Popen[str], wanted: str, timeout: float) -> list[str]:
    """Read stdout until `wanted`; fail on EOF (the process finished) or on timeout."""
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                continue
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"loader finished without pausing at {wanted!r}: {seen}")
            seen.append(line.rstrip("\n"))
            if seen[-1] == wanted:
                return seen
    pytest.fail(f"no {wanted!r} within {timeout} s: {seen}")


@pytest.mark.parametrize(
    ("stage", "sig"),
    [
        ("validate", signal.SIGKILL),
        ("insert", signal.SIGKILL),
        ("swap", signal.SIGTERM),
        ("swap", signal.SIGKILL),
    ],
    ids=["validate-SIGKILL", "insert-SIGKILL", "swap-SIGTERM", "swap-SIGKILL"],
)
def test_a_killed_loader_leaves_the_previous_database(
    stage: str, sig: signal.Signals, tmp_path: Path, db_path: Path
) -> None:
    # valid seeds that differ from the previous build: a finished swap would show
    seeds = copy_seeds(tmp_path)
    edit_text(seeds / "themes.toml", "natural gas, electricity", "natural gas, oil, electricity")
    assert read_seeds(seeds).checksum() != db_checksum(db_path)
    target = previous_db(tmp_path, db_path)
    before = sha256(target)

    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSING_LOAD, stage, str(seeds), str(target)],
        cwd=ROOT,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_line(proc, f"paused at {stage}", timeout=60)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()

    assert proc.returncode != 0
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    assert "loaded" not in out
    assert sha256(target) == before, "the previous database was modified"
    leftovers = temp_files(target.parent)
    if stage == "swap" and sig == signal.SIGKILL:
        # nothing can clean up after SIGKILL: the written temporary file stays ...
        assert len(leftovers) == 1, leftovers
        # ... until the next successful load sweeps it away
        result = run_cli("load", "--seeds", seeds, "--db", target)
        assert result.returncode == 0, result.stderr
        assert temp_files(target.parent) == []
        assert sha256(target) != before
        assert db_checksum(target) == printed_checksum(result.stdout)
    else:
        assert leftovers == [], err
