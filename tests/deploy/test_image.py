"""The image, built by podman from the Dockerfile unchanged, and run the way it ships."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.expected import page, priorities_of
from tests.support import ROOT, free_port

HERE = Path(__file__).resolve().parent
# CI's own base (.ci/base-image): registries for base images are unreachable here.
BASE_IMAGE = os.environ.get("SUMMIT_BASE_IMAGE", "localhost/summit-base:bookworm")
IMAGE = "localhost/summit-api:ci"
CONTEXT = ("pyproject.toml", "constraints.txt", "README.md", "Dockerfile", ".dockerignore")
CONTEXT_DIRS = ("app", "migrations", "seeds")


def podman(
    *args: str, timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONTAINERS_CONF": str(HERE / "containers.conf")}
    return subprocess.run(
        ["podman", *args], capture_output=True, text=True, timeout=timeout, check=check, env=env
    )


def build(context: Path, tag: str = IMAGE) -> str:
    """`podman build` of `context`; its output (the steps, and which came from cache)."""
    result = podman(
        "build",
        "--format=docker",  # OCI images drop HEALTHCHECK
        f"--build-arg=BASE_IMAGE={BASE_IMAGE}",
        f"--tag={tag}",
        str(context),
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def image() -> str:
    subprocess.run([str(ROOT / ".ci" / "base-image"), BASE_IMAGE], check=True, timeout=900)
    build(ROOT)
    return IMAGE


@pytest.fixture(scope="module")
def container(image: str) -> Iterator[tuple[str, str]]:
    """The image run read-only, with every capability dropped; (name, base URL)."""
    name = f"summit-ci-{uuid.uuid4().hex[:8]}"
    port = free_port()
    podman(
        "run",
        "--detach",
        f"--name={name}",
        "--read-only",
        "--cap-drop=ALL",
        f"--publish=127.0.0.1:{port}:8000",
        image,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("container never answered /health: " + podman("logs", name).stdout)
        yield name, base
    finally:
        podman("rm", "--force", "--time=2", name, check=False)


def test_the_container_serves(container: tuple[str, str]) -> None:
    _, base = container
    with httpx.Client(base_url=base, trust_env=False) as http:
        assert http.get("/health").json()["status"] == "ok"
        priorities = http.get("/countries/kg/priorities")
        assert priorities.status_code == 200
        assert priorities.json() == page(priorities_of("kg"))


def test_the_container_runs_locked_down(container: tuple[str, str]) -> None:
    name, _ = container
    assert podman("exec", name, "id", "-u").stdout.strip() == "10001"
    write = podman("exec", name, "touch", "/srv/summit-api/data/x", check=False)
    assert write.returncode != 0
    assert "Read-only file system" in write.stderr
    caps = podman("exec", name, "grep", "CapEff", "/proc/1/status").stdout.split()
    assert caps[1] == "0000000000000000"


def test_the_healthcheck_reports_healthy(container: tuple[str, str]) -> None:
    name, _ = container
    assert podman("healthcheck", "run", name, check=False).returncode == 0
    assert podman("inspect", "--format={{.State.Health.Status}}", name).stdout.strip() == "healthy"


def test_no_installer_and_compiled_bytecode_at_run_time(container: tuple[str, str]) -> None:
    name, _ = container
    for module in ("pip", "setuptools"):
        found = podman("exec", name, "python", "-c", f"import {module}", check=False)
        assert found.returncode != 0, f"{module} is importable in the image"
    assert podman("exec", name, "sh", "-c", "command -v pip", check=False).returncode != 0
    missing = podman(
        "exec",
        name,
        "python",
        "-c",
        "import pathlib, importlib.util as u; print([str(p) for p in "
        "pathlib.Path('/srv/summit-api/app').rglob('*.py') "
        "if not pathlib.Path(u.cache_from_source(str(p))).is_file()])",
    )
    assert missing.stdout.strip() == "[]"


def test_a_code_change_does_not_reinstall_the_dependencies(image: str, tmp_path: Path) -> None:
    context = tmp_path / "context"
    context.mkdir()
    for name in CONTEXT:
        shutil.copy2(ROOT / name, context / name)
    for name in CONTEXT_DIRS:
        shutil.copytree(ROOT / name, context / name, ignore=shutil.ignore_patterns("__pycache__"))
    with (context / "app" / "__init__.py").open("a", encoding="utf-8") as f:
        f.write(f"# a code change never built before: {uuid.uuid4()}\n")
    output = build(context, tag=f"{IMAGE}-change")
    podman("rmi", f"{IMAGE}-change", check=False)
    steps = output.split("STEP ")
    install = next(s for s in steps if "pip install -c constraints.txt -r" in s)
    project = next(s for s in steps if "pip install -c constraints.txt -e ." in s)
    assert "Using cache" in install, install
    assert "Using cache" not in project, project
