"""Rows -> a brand-new SQLite file -> os.replace over the target.

The database is built whole in memory through the Alembic migrations, checked, written to
a temporary file beside the target and moved into place with `os.replace`: a reader sees
the old file or the new one, never a mix, and an error leaves the target as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, column, create_engine, insert, inspect, table
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

from app.loader.rows import SearchRow, search_rows, table_rows
from app.loader.validate import Dataset, read_seeds

TEMP_PREFIX = ".summit-build-"
TEMP_SUFFIX = ".tmp"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEARCH = table("search", *(column(f.name) for f in dataclasses.fields(SearchRow)))

# Called with "validate", "insert" and "swap" as the build reaches each stage.
OnStage = Callable[[str], None]


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def no_stage(stage: str) -> None:
    """The default `OnStage`: nothing to do."""


def _insert(conn: Connection, dataset: Dataset, on_stage: OnStage) -> None:
    """Every table's rows, referenced tables first, then the search index."""
    by_model: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)
    for row in table_rows(dataset):
        by_model[type(row)].append(row.model_dump())
    order = SQLModel.metadata.sorted_tables
    for model in sorted(by_model, key=lambda m: order.index(inspect(m).tables[0])):
        conn.execute(insert(model), by_model[model])
    on_stage("insert")
    conn.execute(insert(SEARCH), [dataclasses.asdict(r) for r in search_rows(dataset)])


def build_bytes(dataset: Dataset, on_stage: OnStage = no_stage) -> bytes:
    """Run the migrations on an in-memory database, insert everything, check, serialise."""
    engine = create_engine("sqlite://", poolclass=StaticPool, json_serializer=_json)
    try:
        with engine.connect() as conn:
            cfg = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            _insert(conn, dataset, on_stage)
            conn.commit()
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign key check failed: {problems}")
            conn.exec_driver_sql("VACUUM")
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            return raw.serialize()
    finally:
        engine.dispose()


def sweep_stale(directory: Path) -> None:
    """Remove temporary files a killed loader (SIGKILL) may have left beside the target."""
    for stale in directory.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def _terminate_as_exception() -> Iterator[None]:
    """SIGTERM/SIGHUP unwind like Ctrl-C, so `write_database` removes its temporary file."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def write_database(data: bytes, target: Path, on_stage: OnStage = no_stage) -> None:
    """Write beside the target, fsync, then os.replace: the swap is atomic."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(target.parent)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        on_stage("swap")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def load(
    seeds: Path,
    target: Path,
    source_texts: Path | None = None,
    on_stage: OnStage = no_stage,
) -> Dataset:
    """Validate the seeds and atomically replace `target` with a freshly built database."""
    with _terminate_as_exception():
        dataset = read_seeds(seeds, source_texts)
        on_stage("validate")
        write_database(build_bytes(dataset, on_stage), target, on_stage)
    return dataset
