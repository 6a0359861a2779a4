"""Spec quality gates: openapi-spec-validator accepts the document; Spectral's `spectral:oas`
ruleset reports nothing at all (not even a warning); Redocly CLI's `recommended` ruleset
reports no error and no warning; every parameter and schema property has a description and
every path parameter an example.

The linters read a pretty-printed copy, so that a finding points at a useful line.
"""

from __future__ import annotations

import json
import os
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


@pytest.fixture(scope="module")
def document(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    ensure_node_modules()
    path = tmp_path_factory.mktemp("spec") / "openapi.json"
    path.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n")
    return path


def test_redocly_recommended_reports_nothing(document: Path) -> None:
    config = CLIENT / "redocly.yaml"
    assert config.read_text().split() == ["extends:", "-", "recommended"]
    result = subprocess.run(
        [CLIENT / "node_modules" / ".bin" / "redocly", "lint", "--config", config, document],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Your API description is valid" in result.stderr + result.stdout
    assert "You have" not in result.stderr + result.stdout  # "You have N warnings."


def test_every_parameter_and_property_has_a_description(spec: dict[str, Any]) -> None:
    missing = []
    for path, item in spec["paths"].items():
        for parameter in item["get"].get("parameters", []):
            where = f"{path} {parameter['name']}"
            if not parameter.get("description"):
                missing.append(where)
            if parameter["in"] == "path" and not parameter.get(
                "examples", parameter.get("example")
            ):
                missing.append(f"{where}: no example")
    for name, schema in spec["components"]["schemas"].items():
        if not schema.get("description"):
            missing.append(name)
        missing += [
            f"{name}.{p}"
            for p, s in schema.get("properties", {}).items()
            if not s.get("description")
        ]
    assert missing == []


def test_spectral_reports_nothing(document: Path) -> None:
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
