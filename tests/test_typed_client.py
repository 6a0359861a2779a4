"""A frontend team's view: clients generated from the live server's /openapi.json.

Three generators, from the one npm folder clients/ (its lock file pins them) and PyPI:
openapi-typescript + openapi-fetch in its default setup (`createClient<paths>()`), orval's
fetch client, and openapi-python-client. For each: the small client written against it
type-checks strictly (`tsc` strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes;
`mypy --strict` over the generated package and the script), every marked misuse fails the
type check on its line and nowhere else, and the client runs against a live uvicorn and
prints what it saw, which must be what the API answers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import CLIENT, LiveServer, ensure_node_modules, live_server

BIN = CLIENT / "node_modules" / ".bin"
GENERATED = CLIENT / "generated"
VENV_BIN = Path(sys.executable).parent
TSC_ERROR = re.compile(r"^(\w+/misuse\.ts)\((\d+),\d+\): error (TS\d+): (.*)$")
MYPY_ERROR = re.compile(r"^(python/misuse\.py):(\d+): error: (.*)$")
RUNS = {
    "openapi-fetch": ["node", "dist/fetch/client.js"],
    "orval": ["node", "dist/orval/client.js"],
    "openapi-python-client": [sys.executable, "python/use_client.py"],
}


def run(
    *command: str | Path, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def server(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    ensure_node_modules()
    with live_server(db_path, tmp_path_factory.mktemp("typed") / "serve.log") as live:
        yield live


@pytest.fixture(scope="module")
def generated(server: LiveServer, client: TestClient) -> Path:
    """The three clients, generated from the document the live server serves."""
    shutil.rmtree(GENERATED, ignore_errors=True)
    GENERATED.mkdir()
    document = GENERATED / "openapi.json"
    document.write_bytes(client.get("/openapi.json").content)
    ok(run(BIN / "openapi-typescript", document, "-o", GENERATED / "openapi.ts"))
    env = {"SUMMIT_OPENAPI": str(document), "SUMMIT_BASE_URL": server.url}
    ok(run(BIN / "orval", "--config", "orval.config.mjs", env=env))
    # Its post-generation hook runs ruff, which is in the venv beside this interpreter.
    path = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    python = GENERATED / "python" / "summit_client"
    generate: list[str | Path] = ["generate", "--path", document, "--output-path", python]
    ok(run(VENV_BIN / "openapi-python-client", *generate, "--meta", "none", env=path))
    assert "export interface paths" in (GENERATED / "openapi.ts").read_text()
    assert "export const listCountries" in (GENERATED / "orval" / "summit.ts").read_text()
    assert (python / "api" / "countries" / "list_countries.py").is_file()
    return GENERATED


def mypy(*files: str) -> subprocess.CompletedProcess[str]:
    cache = ["--cache-dir", str(GENERATED / ".mypy_cache")]
    return run(VENV_BIN / "mypy", "--config-file", "python/mypy.ini", *cache, *files)


def test_the_typescript_clients_type_check(generated: Path) -> None:
    ok(run(BIN / "tsc", "--noEmit", "-p", "tsconfig.json"))


def test_the_python_client_and_its_use_pass_mypy_strict(generated: Path) -> None:
    ok(mypy("python/use_client.py", "generated/python/summit_client"))


def marked(*files: str) -> dict[tuple[str, int], str]:
    """(file, line) -> what the MISUSE comment says the line does wrong."""
    found = {}
    for name in files:
        for n, line in enumerate((CLIENT / name).read_text().splitlines(), start=1):
            for mark in ("// MISUSE:", "# MISUSE:"):
                if mark in line:
                    found[(name, n)] = line.split(mark)[1].strip()
    return found


def assert_misuses_rejected(
    expected: dict[tuple[str, int], str], errors: dict[tuple[str, int], str]
) -> None:
    for where, message in sorted(errors.items()):
        print(f"{where[0]}:{where[1]} ({expected.get(where)}): {message[:100]}")
    assert set(errors) == set(expected)
    for what in ("unknown theme", "unknown fields name", "unknown sort key", "misspelled field"):
        assert what in expected.values()
    by_what = {(file, what): errors[file, n] for (file, n), what in expected.items()}
    for file in {file for file, _ in expected}:
        assert "atlantis" in by_what[file, "unknown theme"].lower()
        assert "colour" in by_what[file, "unknown fields name"].lower()
        assert "population" in by_what[file, "unknown sort key"].lower()
        assert "nmae" in by_what[file, "misspelled field"]


def test_every_typescript_misuse_fails_the_type_check_on_its_line(generated: Path) -> None:
    expected = marked("fetch/misuse.ts", "orval/misuse.ts")
    result = run(BIN / "tsc", "--noEmit", "-p", "tsconfig.misuse.json")
    assert result.returncode != 0
    matches = [m for m in map(TSC_ERROR.match, result.stdout.splitlines()) if m]
    errors = {(m.group(1), int(m.group(2))): m.group(4) for m in matches}
    assert_misuses_rejected(expected, errors)
    assert "'\"/countrys\"'" in errors[next(k for k, v in expected.items() if v == "unknown path")]


def test_every_python_misuse_fails_mypy_strict_on_its_line(generated: Path) -> None:
    expected = marked("python/misuse.py")
    result = mypy("python/misuse.py")
    assert result.returncode != 0
    matches = [m for m in map(MYPY_ERROR.match, result.stdout.splitlines()) if m]
    assert_misuses_rejected(expected, {(m.group(1), int(m.group(2))): m.group(3) for m in matches})


@pytest.fixture(scope="module")
def built(generated: Path) -> Path:
    shutil.rmtree(CLIENT / "dist", ignore_errors=True)
    ok(run(BIN / "tsc", "-p", "tsconfig.json"))
    return CLIENT / "dist"


def expected_run(client: TestClient) -> dict[str, Any]:
    """What each client must print: the API's own answers, asked for directly."""
    countries = client.get("/countries", params={"sort": "name", "limit": 200}).json()
    kg = client.get("/countries/kg/priorities").json()
    energy = client.get("/priorities", params={"theme": "energy"}).json()
    kg_response = client.get("/countries/kg")
    missing = client.get("/countries/atlantis").json()
    leaders = [f"{c['name']}: {c['leader']['name']}" for c in countries["items"]]
    ids = [p["id"] for p in kg["items"]]
    return {
        "countries": countries["total"],
        "country_ids": [c["id"] for c in countries["items"]],
        "leaders": leaders,
        "first_page": {"total": kg["total"], "ids": ids[:2]},
        "next_link": "/countries/kg/priorities?limit=2&offset=2",
        "second_page": {
            "status": 200,
            "offset": 2,
            "limit": 2,
            "ids": ids[2:4],
            "countries": ["kg"],
        },
        "sparse": [["id", "title"]] * 3,
        "theme": {"total": energy["total"], "ids": [p["id"] for p in energy["items"]]},
        "problem": {
            "http_status": 404,
            "content_type": "application/problem+json",
            "status": 404,
            "type": "/problems/not-found",
            "detail": missing["detail"],
            "errors": "absent",
        },
        # gzip, as node's fetch and httpx ask for it; the ETag names the encoding
        "not_modified": {
            "status": 304,
            "name": "Kyrgyzstan",
            "etag": kg_response.headers["etag"].removesuffix('"').removesuffix("-gz") + '-gz"',
        },
    }


@pytest.mark.parametrize("generator", RUNS)
def test_each_client_runs_against_a_live_server(
    generator: str, built: Path, server: LiveServer, client: TestClient
) -> None:
    env = {"PYTHONPATH": str(GENERATED / "python")}  # the generated package, for Python
    output = ok(run(*RUNS[generator], server.url, timeout=60, env=env))
    seen = json.loads(output)
    assert seen == expected_run(client)
    assert "Kyrgyzstan: Sadyr Japarov" in seen["leaders"]
    assert seen["theme"]["total"] >= 1
