"""The deploy checks: real nginx, podman and wrk. `.ci/deploy-check` runs them (it sets
SUMMIT_DEPLOY_CHECK=1, and then a missing tool fails); under a plain `make test` they skip."""

from __future__ import annotations

import os
import resource
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.harness import Stack, running_stack

HERE = Path(__file__).resolve().parent
DEPLOY_CHECK = bool(os.environ.get("SUMMIT_DEPLOY_CHECK"))
TOOLS = ("nginx", "podman", "runc", "debootstrap", "wrk")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if DEPLOY_CHECK:
        return
    skip = pytest.mark.skip(reason="deploy check: run by .ci/deploy-check (SUMMIT_DEPLOY_CHECK=1)")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"missing for the deploy checks: {', '.join(missing)} (.ci/deploy-check)")
    # 6,000 sockets at once in one flood: the test process needs the descriptors.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 16384 <= hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (16384, hard))


@pytest.fixture(scope="module")
def stack(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """nginx and two replicas whose answers expire after 1 s (max-age=1, then 2 s of
    stale-while-revalidate), so a test sees every cache state within seconds."""
    env = {"CACHE_MAX_AGE": "1", "CACHE_STALE_WHILE_REVALIDATE": "2"}
    with running_stack(db_path, tmp_path_factory.mktemp("stack") / "stack.log", env) as s:
        yield s
