"""Spec quality gates: openapi-spec-validator accepts the document; Spectral's `spectral:oas`
ruleset reports nothing at all (not even a warning).

Spectral lints a pretty-printed copy, so that a finding points at a useful line.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from tests.support import CLIENT, ensure_node_modules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_openapi_spec_validator_accepts_the_document(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_spectral_reports_nothing(spec: dict[str, Any], tmp_path: Path) -> None:
    ensure_node_modules()
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n")
    ruleset = CLIENT / ".spectral.yaml"
    assert ruleset.read_text().strip() == 'extends: ["spectral:oas"]'
    result = subprocess.run(
        [
            "npx",
            "--no-install",
            "--prefix",
            str(CLIENT),
            "spectral",
            "lint",
            "--ruleset",
            str(ruleset),
            "--fail-severity=warn",
            str(document),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No results with a severity of 'warn' or higher found!" in result.stdout
