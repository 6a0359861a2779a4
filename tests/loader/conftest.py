"""Helpers of the build's tests: the seed files read with tomllib, the CLI run as a real
process, copies of seeds/ with one file changed, and looks into real SQLite files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SEEDS, SHARED_SOURCES, have_source_text

ENTITIES = sorted(
    p.stem for p in SEEDS.glob("*.toml") if p.stem not in {"dataset", "retired", "changes"}
)
TEMP_GLOB = ".summit-build-*.tmp"
CLI_TIMEOUT = 120


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_seed(seeds: Path, name: str) -> dict[str, Any]:
    with (seeds / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def seed_counts(seeds: Path = SEEDS) -> dict[str, int]:
    return {name: len(parse_seed(seeds, name)[name]) for name in ENTITIES}


def nested_count(name: str, key: str) -> int:
    """How many entries of `key` (an array inside each record) the seed file holds."""
    return sum(len(r.get(key, [])) for r in parse_seed(SEEDS, name)[name])


def sources_option() -> list[str]:
    """`--sources DIR` when the source texts are here (required under SUMMIT_REQUIRE_SOURCES)."""
    return ["--sources", str(SHARED_SOURCES)] if have_source_text() else []


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "app.cli", *map(str, args)]


def run_cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The CLI run to its end in `cwd` (where a relative default database path would land)."""
    return subprocess.run(
        cli(*args),
        cwd=cwd,
        env=cli_env(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def printed_counts(stdout: str) -> dict[str, int]:
    """The `  <entity>  <n>` lines the CLI prints."""
    return {m[1]: int(m[2]) for m in re.finditer(r"^\s+([a-z_]+)\s+(\d+)\s*$", stdout, re.M)}


def printed_checksum(stdout: str) -> str:
    match = re.search(r"checksum ([0-9a-f]{64})", stdout)
    assert match is not None, stdout
    return match[1]


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def db_checksum(path: Path) -> str:
    rows = query(path, "SELECT value FROM dataset_meta WHERE key = 'checksum'")
    assert len(rows) == 1
    return str(rows[0][0])


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob(TEMP_GLOB))


def copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def previous_db(tmp_path: Path, db_path: Path) -> Path:
    """A directory holding only a copy of a real, previously built database."""
    directory = tmp_path / "served"
    directory.mkdir()
    target = directory / "summit.db"
    shutil.copyfile(db_path, target)
    return target


def edit_text(path: Path, old: str, new: str, after: str | None = None) -> None:
    """Replace the first `old` following the (unique) anchor `after`; fail if not found."""
    text = path.read_text(encoding="utf-8")
    start = 0
    if after is not None:
        assert text.count(after) == 1, f"anchor {after!r} not unique in {path.name}"
        start = text.index(after)
    else:
        assert text.count(old) == 1, f"{old!r} not unique in {path.name}"
    at = text.find(old, start)
    assert at >= 0, f"{old!r} not found in {path.name} after {after!r}"
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
