"""app/cli.py: only `load` and `check` import the build; serving imports none of it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BUILD_ONLY = ("sqlalchemy", "alembic", "sqlmodel", "app.loader", "app.models")

# `summit-api openapi`, then the app serving a request, in a fresh interpreter; prints
# every build-only module they imported.
SERVE = f"""
import contextlib, io, sys
from fastapi.testclient import TestClient
from app.cli import main
from app.main import create_app
from app.settings import Settings

with contextlib.redirect_stdout(io.StringIO()):
    assert main(["openapi"]) == 0
with TestClient(create_app(Settings())) as client:
    assert client.get("/countries/kg").status_code == 200
loaded = [m for m in sys.modules if m.startswith({BUILD_ONLY!r})]
print(" ".join(sorted(loaded)))
"""


def test_serving_imports_nothing_of_the_build(db_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SERVE],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
