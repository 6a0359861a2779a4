"""Shared fixtures: the real seeds, loaded by the real loader, into a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import loader

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
PRIMARY_SOURCE = SHARED_SOURCES / "asianews-2025-06-26-astana-summit.txt"


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database built from seeds/ through the migrations, once per test session."""
    path = tmp_path_factory.mktemp("db") / "summit.db"
    loader.load(SEEDS, path)
    return path


@pytest.fixture(scope="session")
def client(db_path: Path) -> Iterator[TestClient]:
    from app.main import create_app
    from app.settings import Settings

    app = create_app(Settings(database_url=f"sqlite:///{db_path}"))
    with TestClient(app) as test_client:
        yield test_client
