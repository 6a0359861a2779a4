"""Shared fixtures: the real seeds, loaded by the real loader, into a real SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import ASGIApp

from app.loader import load

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
PRIMARY_SOURCE = SHARED_SOURCES / "asianews-2025-06-26-astana-summit.txt"
# The source texts live beside the repository (../shared), not in it: a clone on its own
# skips the checks against them; CI (.ci/run) sets this so that their absence fails.
REQUIRE_SOURCES = bool(os.environ.get("SUMMIT_REQUIRE_SOURCES"))


def have_source_text(path: Path = PRIMARY_SOURCE) -> bool:
    """Whether a source text is here to check against; absent under REQUIRE_SOURCES fails."""
    if path.is_file():
        return True
    if REQUIRE_SOURCES:
        pytest.fail(f"{path} is absent, and SUMMIT_REQUIRE_SOURCES is set")
    return False


def ids(url: str, client: TestClient) -> list[str]:
    """The ids of a collection page, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database built from seeds/ through the migrations, once per test session."""
    path = tmp_path_factory.mktemp("db") / "summit.db"
    load(SEEDS, path, SHARED_SOURCES if have_source_text() else None)
    return path


def build(db_path: Path, **settings: Any) -> ASGIApp:
    """The real app over the database at `db_path`, with any settings changed."""
    from app.main import create_app
    from app.settings import Settings

    return create_app(Settings(database_url=f"sqlite:///{db_path}", **settings))


@pytest.fixture(scope="session")
def client(db_path: Path) -> Iterator[TestClient]:
    with TestClient(build(db_path)) as test_client:
        yield test_client
