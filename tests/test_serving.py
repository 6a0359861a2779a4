"""app/serving.py: `summit-api serve` serves one dataset for its life, whatever happens to the
file, its parent stays small, and every start-up failure is one line and an exit code."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.support import ROOT, env_for, free_port, http_get, running, serve_command
from tests.support import uvicorn_command as uvicorn_one_worker

COLLECTIONS = (
    "/summits",
    "/countries",
    "/leaders",
    "/priorities",
    "/agreements",
    "/themes",
    "/statements",
    "/sources",
)


def children(pid: int) -> list[int]:
    """The uvicorn workers of `pid` (not multiprocessing's resource tracker)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [
        int(p) for p in text.split() if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
    ]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def health_sha(port: int) -> str:
    import json

    status, _, body = http_get(port, "/health")
    assert status == 200, body
    return str(json.loads(body)["database_sha256"])


def server_pid(port: int) -> int:
    """The process listening on `port` that has worker children: the serve parent."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmdline and str(port).encode() in cmdline:
            return int(entry.name)
    raise AssertionError("no serve process found")


def other_seeds(tmp_path: Path) -> Path:
    """The seeds with another dataset version: a different database from the same code."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    dataset = seeds / "dataset.toml"
    text = dataset.read_text()
    current = re.search(r'^version = "([^"]+)"$', text, re.MULTILINE)
    assert current is not None, "seeds/dataset.toml names its version"
    changed = text.replace(current.group(0), 'version = "2099.01.01"')
    assert changed != text
    dataset.write_text(changed)
    return seeds


def started(log: Path) -> int:
    """Workers that built their app (uvicorn logs this after the factory returns)."""
    return log.read_text().count("Started server process")


def wait_for(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_two_workers_serve_one_dataset_whatever_happens_to_the_file(
    db_path: Path, tmp_path: Path
) -> None:
    served = tmp_path / "data" / "summit.db"
    served.parent.mkdir()
    shutil.copyfile(db_path, served)
    other = tmp_path / "other.db"
    load = [sys.executable, "-m", "app.cli", "load", "--seeds", str(other_seeds(tmp_path))]
    port = free_port()
    log = tmp_path / "serve.log"
    with running(serve_command(port, workers=2), served, port, log):
        parent = server_pid(port)
        wait_for(lambda: len(children(parent)) == 2 and started(log) >= 2)
        first = health_sha(port)
        # `summit-api load` replaces the file (os.replace); then `cp` overwrites it in place.
        subprocess.run([*load, "--db", str(served)], cwd=ROOT, check=True, capture_output=True)
        subprocess.run([*load, "--db", str(other)], cwd=ROOT, check=True, capture_output=True)
        shutil.copyfile(other, served)  # same inode, new bytes
        assert os.stat(served).st_size > 0
        victim = children(parent)[0]
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: victim not in children(parent) and len(children(parent)) == 2)
        wait_for(lambda: started(log) >= 3)

        with ThreadPoolExecutor(8) as pool:
            shas = set(pool.map(lambda _: health_sha(port), range(80)))
        assert shas == {first}
        for path in ("/search?q=japarov", "/search?q=glacier", *COLLECTIONS):
            with ThreadPoolExecutor(4) as pool:
                statuses = set(pool.map(lambda p: http_get(port, p)[0], [path] * 8))
            assert statuses == {200}, path
        # The parent checked and snapshotted; only the workers built the app.
        workers = children(parent)
        assert all(rss_kib(parent) < rss_kib(w) for w in workers), (
            rss_kib(parent),
            [rss_kib(w) for w in workers],
        )
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"summit-api-*/{first}.db"))


PREPARE = """
import sys
from app.serving import prepare
from app.settings import load_settings

prepared = prepare(load_settings())
print(prepared.copy, oct(prepared.copy.stat().st_mode & 0o777),
      oct(prepared.copy.parent.stat().st_mode & 0o777), prepared.snapshot.sha256)
print(" ".join(m for m in ("fastapi", "starlette", "uvicorn") if m in sys.modules))
prepared.remove()
"""


def test_the_parent_checks_and_snapshots_without_building_the_app(db_path: Path) -> None:
    import hashlib

    result = subprocess.run(
        [sys.executable, "-c", PREPARE],
        cwd=ROOT,
        env=env_for(db_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    copy_line, imported = [*result.stdout.splitlines(), ""][:2]
    copy, mode, directory_mode, sha = copy_line.split()
    assert Path(copy).name == f"{sha}.db"
    assert sha == hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert (mode, directory_mode) == ("0o400", "0o700")
    assert imported == ""
    assert not Path(copy).exists()


def serve_fails(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port()), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "garbage"),
        ("CORS_ORIGINS", "foo"),
        ("CORS_ORIGINS", '["https://a.example"'),
        ("RESPONSE_CACHE_ENTRIES", "abc"),
        ("CACHE_MAX_AGE", "-1"),
        ("WORKERS", "0"),
        ("DATABASE_SHA256", "not-a-digest"),
        ("PUBLIC_URL", "api.example.org"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(db_path: Path, variable: str, value: str) -> None:
    result = serve_fails({**env_for(db_path), variable: value})
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"cannot serve: {variable}=")
    assert f"fix the environment variable {variable}" in line


def damaged(db_path: Path, tmp_path: Path, *sql: str) -> Path:
    copy = tmp_path / "summit.db"
    shutil.copyfile(db_path, copy)
    conn = sqlite3.connect(copy)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return copy


DRIFTS = {
    "a missing table": (("DROP TABLE citations",), "lacks tables ['citations']"),
    "a missing column": (("ALTER TABLE countries DROP COLUMN capital",), "lacks columns"),
    "a search table that is not FTS": (
        (
            "DROP TABLE search",
            "CREATE TABLE search (type, id, url, position, title, aliases, body)",
        ),
        "'search' is not the FTS5 index",
    ),
}


@pytest.mark.parametrize("drift", sorted(DRIFTS))
@pytest.mark.parametrize("workers", [1, 2])
def test_a_database_this_code_cannot_serve_is_one_line_and_exit_1(
    db_path: Path, tmp_path: Path, drift: str, workers: int
) -> None:
    sql, said = DRIFTS[drift]
    copy = damaged(db_path, tmp_path, *sql)
    result = serve_fails(env_for(copy), "--workers", str(workers))
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"cannot serve: database file {copy}")
    assert said in line
    assert "summit-api load" in line


def test_uvicorn_workers_stop_instead_of_respawning_on_a_bad_file(tmp_path: Path) -> None:
    """uvicorn's own `--workers`: a worker that cannot start exits with uvicorn's
    STARTUP_FAILURE, one line each, and the supervisor stops (it respawned them for ever)."""
    corrupt = tmp_path / "summit.db"
    corrupt.write_bytes(b"\0garbage" * 1000)
    command = [*uvicorn_one_worker(free_port()), "--workers", "2"]
    result = subprocess.run(
        command, cwd=ROOT, env=env_for(corrupt), capture_output=True, text=True, timeout=60
    )
    failures = [line for line in result.stderr.splitlines() if "cannot serve" in line]
    assert 1 <= len(failures) <= 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "failed to start, stopping the parent process" in result.stderr


def test_uvicorn_factory_exits_2_on_a_bad_setting(db_path: Path) -> None:
    env = {**env_for(db_path), "CACHE_MAX_AGE": "-1"}
    result = subprocess.run(
        uvicorn_one_worker(free_port()),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if "cannot serve" in line] == [
        "cannot serve: CACHE_MAX_AGE='-1': Input should be greater than or equal to 0; fix the "
        "environment variable CACHE_MAX_AGE"
    ]
    assert "Traceback" not in result.stderr


def test_the_readme_offers_several_workers_only_through_serve() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "uvicorn --factory app.main:create_app --workers" not in readme
    assert "summit-api serve --workers N" in readme
