"""The loader end to end: the real seeds, the real CLI, real SQLite files.

Expected counts come from the seed files parsed here with tomllib; corrupted seeds are
copies of seeds/ with one file changed; killed loaders are real processes, killed.
"""

from __future__ import annotations

import hashlib
import os
import re
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app import loader
from app.db import DatabaseUnavailable, open_readonly
from tests.conftest import PRIMARY_SOURCE, REQUIRE_SOURCES, ROOT, SEEDS

# retired.toml lists ids no longer served: not an entity the loader builds.
ENTITIES = sorted(p.stem for p in SEEDS.glob("*.toml") if p.stem not in {"dataset", "retired"})
TEMP_GLOB = ".summit-build-*.tmp"
CLI_TIMEOUT = 120


# --- helpers --------------------------------------------------------------------------------


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


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SUMMIT_LOADER_PAUSE_AT"}}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "app.cli", *map(str, args)]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(*args),
        cwd=ROOT,
        env=cli_env(),
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


def line_of(file: str, text: str) -> int:
    lines = (SEEDS / file).read_text(encoding="utf-8").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if text in line]
    assert len(found) == 1, (file, text, found)
    return found[0]


# --- the real seeds -------------------------------------------------------------------------


def test_cli_load_prints_counts_matching_the_seed_files(tmp_path: Path) -> None:
    target = tmp_path / "summit.db"
    result = run_cli("load", "--seeds", SEEDS, "--db", target)
    assert result.returncode == 0, result.stderr
    expected = seed_counts()
    assert printed_counts(result.stdout) == expected
    for table, n in expected.items():
        assert query(target, f"SELECT count(*) FROM {table}") == [(n,)], table
    assert printed_checksum(result.stdout) == db_checksum(target)
    version = parse_seed(SEEDS, "dataset")["version"]
    assert query(target, "SELECT value FROM dataset_meta WHERE key = 'version'") == [(version,)]
    assert temp_files(tmp_path) == []


def test_loaded_rows_match_the_nested_seed_tables(db_path: Path) -> None:
    """Citations, participants, values, claims, themes and parties: one row per seed entry."""
    expected = {
        "citations": sum(nested_count(name, "sources") for name in ENTITIES),
        "summit_participants": nested_count("summits", "participants"),
        "agreement_values": nested_count("agreements", "values"),
        "agreement_claims": nested_count("agreements", "claims"),
        "agreement_parties": nested_count("agreements", "parties"),
        "agreement_themes": nested_count("agreements", "themes"),
        "priority_themes": nested_count("priorities", "themes"),
        "search": sum(seed_counts().values()),
    }
    assert all(expected.values())
    actual = {t: query(db_path, f"SELECT count(*) FROM {t}")[0][0] for t in expected}
    assert actual == expected


def test_cli_check_validates_without_building(tmp_path: Path) -> None:
    result = subprocess.run(
        cli("check", "--seeds", SEEDS),
        cwd=tmp_path,  # a relative default database path would land here
        env=cli_env(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert printed_counts(result.stdout) == seed_counts()
    assert list(tmp_path.iterdir()) == []


def test_loading_twice_gives_the_same_checksum(tmp_path: Path, db_path: Path) -> None:
    target = tmp_path / "summit.db"
    first = loader.load(SEEDS, target)
    first_checksum = db_checksum(target)
    second = loader.load(SEEDS, target)
    assert db_checksum(target) == first_checksum
    assert first.checksum() == second.checksum() == first_checksum
    assert db_checksum(db_path) == first_checksum  # the session's build, another process time
    assert re.fullmatch(r"[0-9a-f]{64}", first_checksum)
    assert temp_files(tmp_path) == []


def test_a_changed_seed_changes_the_checksum(tmp_path: Path, db_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    target = tmp_path / "summit.db"
    # a comment is not content
    edit_text(
        seeds / "themes.toml", '[[themes]]\nid = "energy"', '# note\n[[themes]]\nid = "energy"'
    )
    loader.load(seeds, target)
    assert db_checksum(target) == db_checksum(db_path)
    # a description is
    edit_text(seeds / "themes.toml", "natural gas, electricity", "natural gas, oil, electricity")
    loader.load(seeds, target)
    assert db_checksum(target) != db_checksum(db_path)
    assert query(target, "SELECT description FROM themes WHERE id = 'energy'")[0][0].count("oil")


# --- corrupted seeds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    id: str
    mutate: Callable[[Path], None]
    expect: tuple[str, ...]  # all on one line of stderr: file, record, field (or line)
    needs_source_text: bool = False


def replace(file: str, old: str, new: str, after: str | None = None) -> Callable[[Path], None]:
    def mutate(seeds: Path) -> None:
        edit_text(seeds / file, old, new, after)

    return mutate


def write(file: str, data: bytes) -> Callable[[Path], None]:
    def mutate(seeds: Path) -> None:
        (seeds / file).write_bytes(data)

    return mutate


def delete(file: str) -> Callable[[Path], None]:
    def mutate(seeds: Path) -> None:
        (seeds / file).unlink()

    return mutate


def latin1(file: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(seeds: Path) -> None:
        path = seeds / file
        data = path.read_bytes()
        assert data.count(old.encode()) == 1
        path.write_bytes(data.replace(old.encode(), new.encode("latin-1")))

    return mutate


KG_AGRICULTURE = 'id = "astana-2025-kg-agriculture"'
TJ_GLACIERS = 'id = "astana-2025-tj-glacier-protection"'
DECLARATION = 'id = "astana-declaration"'
TRADE_DEALS = 'id = "astana-2025-trade-and-investment-agreements"'
ENERGY_LINE = line_of("themes.toml", 'id = "energy"')
PUBLISHED_LINE = line_of("sources.toml", "published = 2025-06-26")

VARIANTS = [
    Variant(
        "malformed-toml",
        replace("themes.toml", 'id = "energy"', 'id = "energy'),
        ("themes.toml", "invalid TOML", f"line {ENERGY_LINE}"),
    ),
    Variant(
        "invalid-toml-date",
        replace("sources.toml", "published = 2025-06-26", "published = 2025-06-31"),
        ("sources.toml", "invalid TOML", f"line {PUBLISHED_LINE}"),
    ),
    Variant("empty-file", write("leaders.toml", b""), ("leaders.toml", "field leaders")),
    Variant("missing-file", delete("statements.toml"), ("statements.toml", "missing")),
    Variant(
        "non-utf8",
        latin1("countries.toml", 'name = "Kazakhstan"', 'name = "Kazakhstän"'),
        ("countries.toml", "UTF-8"),
    ),
    Variant(
        "unknown-top-level-table",
        replace("themes.toml", '[[themes]]\nid = "finance"', '[[theme]]\nid = "finance"'),
        ("themes.toml", "theme", "unknown top-level key"),
    ),
    Variant(
        "missing-field",
        replace("priorities.toml", 'title = "Agriculture"\n', "", after=KG_AGRICULTURE),
        ("priorities.toml", "'astana-2025-kg-agriculture'", "field title", "required"),
    ),
    Variant(
        "missing-dataset-field",
        replace("dataset.toml", 'licence = "CC-BY-4.0"\n', ""),
        ("dataset.toml", "field licence", "required"),
    ),
    Variant(
        "wrong-type-count",
        replace("agreements.toml", "count = 24", 'count = "24"'),
        ("agreements.toml", "'astana-2025-intergovernmental-documents'", "field count"),
    ),
    Variant(
        "negative-count",
        replace("agreements.toml", "count = 24", "count = -24"),
        ("agreements.toml", "'astana-2025-intergovernmental-documents'", "field count"),
    ),
    Variant(
        "unknown-kind",
        replace("priorities.toml", 'kind = "priority"', 'kind = "wish"', after=TJ_GLACIERS),
        ("priorities.toml", "'astana-2025-tj-glacier-protection'", "field kind"),
    ),
    Variant(
        "bad-id-format",
        replace("themes.toml", 'id = "energy"', 'id = "Bad Id"'),
        ("themes.toml", "'Bad Id'", "field id"),
    ),
    Variant(
        "duplicate-id",
        replace("priorities.toml", KG_AGRICULTURE, 'id = "astana-2025-kg-energy"'),
        ("priorities.toml", "'astana-2025-kg-energy'", "field id", "duplicate"),
    ),
    Variant(
        "unknown-key-typo",
        replace("leaders.toml", 'aliases = ["Xi"]', 'alias = ["Xi"]'),
        ("leaders.toml", "'xi-jinping'", "field alias"),
    ),
    Variant(
        "unknown-theme",
        replace("priorities.toml", '["agriculture"]', '["farming"]', after=KG_AGRICULTURE),
        ("priorities.toml", "'astana-2025-kg-agriculture'", "field themes[0]", "'farming'"),
    ),
    Variant(
        "unknown-leader",
        replace("statements.toml", 'leader = "serdar-berdimuhamedow"', 'leader = "berdy"'),
        ("statements.toml", "'berdimuhamedow-geography-and-volumes-of-electricity'", "leader"),
    ),
    Variant(
        "unknown-country",
        replace("summits.toml", 'host = "kz"', 'host = "kk"'),
        ("summits.toml", "'astana-2025'", "field host", "'kk'"),
    ),
    Variant(
        "unknown-summit",
        replace("agreements.toml", "astana-2025", "astana-2024", after=DECLARATION + "\n"),
        ("agreements.toml", "'astana-declaration'", "field summit", "'astana-2024'"),
    ),
    Variant(
        "unknown-source",
        replace("leaders.toml", '"newscentralasia-2025-06-18"', '"newscentralasia-2025-06-19"'),
        ("leaders.toml", "'kassym-jomart-tokayev'", "field sources[1].source_id"),
    ),
    Variant(
        "excerpt-not-in-source",
        replace("priorities.toml", "glaciers, proposing", "rivers, proposing", after=TJ_GLACIERS),
        ("priorities.toml", "'astana-2025-tj-glacier-protection'", "field sources[0].excerpt"),
        needs_source_text=True,
    ),
    Variant(
        "invented-figure-in-value-excerpt",
        replace(
            "agreements.toml", "worth over billion.", "worth over 25 billion.", after=TRADE_DEALS
        ),
        ("agreements.toml", "'astana-2025-trade-and-investment-agreements'", "values[0].excerpt"),
        needs_source_text=True,
    ),
    Variant(
        "leader-and-speaker",
        replace("statements.toml", 'country = "kz" }', 'country = "kz" }\nleader = "xi-jinping"'),
        (
            "statements.toml",
            "'cebotarev-first-international-legal-document'",
            "'leader'",
            "'speaker'",
        ),
    ),
    Variant(
        "country-id-not-alpha2",
        replace("countries.toml", 'id = "kg"', 'id = "ky"'),
        ("countries.toml", "'ky'", "id must be the lower-case alpha2 code 'kg'"),
    ),
    Variant(
        "impossible-date",
        replace("summits.toml", 'date = "2025-06-17"', 'date = "2025-06-31"'),
        ("summits.toml", "'astana-2025'", "field date"),
    ),
    Variant(
        "date-not-a-string",
        replace("summits.toml", 'date = "2025-06-17"', "date = 2025-06-17"),
        ("summits.toml", "'astana-2025'", "field date", "string"),
    ),
    Variant(
        "bad-currency",
        replace("agreements.toml", 'currency = "USD"', 'currency = "usd"', after=TRADE_DEALS),
        ("agreements.toml", "'astana-2025-trade-and-investment-agreements'", "values[1].currency"),
    ),
    Variant(
        "duplicate-party",
        replace("agreements.toml", '["kz", "uz",', '["kz", "kz",', after=DECLARATION),
        ("agreements.toml", "'astana-declaration'", "field parties", "duplicate"),
    ),
    Variant(
        "duplicate-country-code",
        replace("countries.toml", 'alpha3 = "KGZ"', 'alpha3 = "KAZ"'),
        ("countries.toml", "'kg'", "field alpha3", "'KAZ'"),
    ),
]

# Under SUMMIT_REQUIRE_SOURCES (CI) these run, and fail, when the source text is absent.
NO_SOURCE_TEXT = pytest.mark.skipif(
    not PRIMARY_SOURCE.is_file() and not REQUIRE_SOURCES, reason="source text absent"
)


def test_the_table_is_large_and_its_ids_unique() -> None:
    assert len(VARIANTS) >= 15
    assert len({v.id for v in VARIANTS}) == len(VARIANTS)


def error_lines(stderr: str, expect: tuple[str, ...]) -> list[str]:
    return [line for line in stderr.splitlines() if all(e in line for e in expect)]


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(v, id=v.id, marks=[NO_SOURCE_TEXT] if v.needs_source_text else [])
        for v in VARIANTS
    ],
)
def test_corrupted_seeds_are_refused(variant: Variant, tmp_path: Path, db_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    variant.mutate(seeds)
    target = previous_db(tmp_path, db_path)
    before = sha256(target)

    def start(*args: str | Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            cli(*args),
            cwd=ROOT,
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    # `load` and `check` run side by side: one file each, nothing shared
    procs = {
        "load": start("load", "--seeds", seeds, "--db", target),
        "check": start("check", "--seeds", seeds),
    }
    results = {name: (p, *p.communicate(timeout=CLI_TIMEOUT)) for name, p in procs.items()}

    for name, (proc, out, err) in results.items():
        assert proc.returncode != 0, f"{name} accepted {variant.id}:\n{out}"
        assert error_lines(err, variant.expect), (
            f"{name}: {variant.expect} not on a line of:\n{err}"
        )
        assert "Traceback" not in err
    assert sha256(target) == before, "the previous database was modified"
    assert sorted(p.name for p in target.parent.iterdir()) == ["summit.db"]


# --- killed mid-build -----------------------------------------------------------------------


def wait_for_line(proc: subprocess.Popen[str], wanted: str, timeout: float) -> list[str]:
    """Read stdout until `wanted`; fail on EOF (the process finished) or on timeout."""
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                continue
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"loader finished without pausing at {wanted!r}: {seen}")
            seen.append(line.rstrip("\n"))
            if seen[-1] == wanted:
                return seen
    pytest.fail(f"no {wanted!r} within {timeout} s: {seen}")


@pytest.mark.parametrize(
    ("stage", "sig"),
    [
        ("validate", signal.SIGKILL),
        ("insert", signal.SIGKILL),
        ("swap", signal.SIGTERM),
        ("swap", signal.SIGKILL),
    ],
    ids=["validate-SIGKILL", "insert-SIGKILL", "swap-SIGTERM", "swap-SIGKILL"],
)
def test_a_killed_loader_leaves_the_previous_database(
    stage: str, sig: signal.Signals, tmp_path: Path, db_path: Path
) -> None:
    # valid seeds that differ from the previous build: a finished swap would show
    seeds = copy_seeds(tmp_path)
    edit_text(seeds / "themes.toml", "natural gas, electricity", "natural gas, oil, electricity")
    assert loader.read_seeds(seeds).checksum() != db_checksum(db_path)
    target = previous_db(tmp_path, db_path)
    before = sha256(target)

    proc = subprocess.Popen(
        cli("load", "--seeds", seeds, "--db", target),
        cwd=ROOT,
        env=cli_env(SUMMIT_LOADER_PAUSE_AT=stage),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_line(proc, f"paused at {stage}", timeout=60)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()

    assert proc.returncode != 0
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    assert "loaded" not in out
    assert sha256(target) == before, "the previous database was modified"
    leftovers = temp_files(target.parent)
    if stage == "swap" and sig == signal.SIGKILL:
        # nothing can clean up after SIGKILL: the written temporary file stays ...
        assert len(leftovers) == 1, leftovers
        # ... until the next successful load sweeps it away
        result = run_cli("load", "--seeds", seeds, "--db", target)
        assert result.returncode == 0, result.stderr
        assert temp_files(target.parent) == []
        assert sha256(target) != before
        assert db_checksum(target) == printed_checksum(result.stdout)
    else:
        assert leftovers == [], err


# --- serving opens read-only ----------------------------------------------------------------


def test_open_readonly_refuses_writes(db_path: Path) -> None:
    before = sha256(db_path)
    conn = open_readonly(db_path)
    try:
        n = conn.execute("SELECT count(*) FROM themes").fetchone()[0]
        assert n == seed_counts()["themes"]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("INSERT INTO themes VALUES ('x', 99, 'X', 'x')")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM search")
    finally:
        conn.close()
    assert sha256(db_path) == before


def test_open_readonly_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    with pytest.raises(DatabaseUnavailable, match="does not exist") as info:
        open_readonly(missing)
    assert str(missing) in str(info.value)
    assert not missing.exists()


def test_open_readonly_corrupt_file(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(bytes(range(256)) * 64)
    before = sha256(garbage)
    with pytest.raises(DatabaseUnavailable, match="not a usable SQLite file") as info:
        open_readonly(garbage)
    assert str(garbage) in str(info.value)
    assert sha256(garbage) == before


def test_open_readonly_foreign_sqlite_file(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseUnavailable) as info:
        open_readonly(other)
    assert str(other) in str(info.value)
