"""Alembic environment: the loader passes a connection; the CLI falls back to DATABASE_URL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from app import models  # noqa: F401 - registers the tables
from app.settings import Settings

target_metadata = SQLModel.metadata


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Skip the FTS5 search index: a virtual table (and shadow tables) no model declares."""
    return not (type_ == "table" and name is not None and name.startswith("search"))


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = Settings().database_url
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; use a database file")
run_migrations_online()
