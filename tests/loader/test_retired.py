"""seeds/retired.toml through the build: read, validated against the live records, stored
in the `retired` table (migration 0003); a bad entry refused by `check` and `load` in one
line naming file, record and field, with the previous database untouched.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from app.loader import read_seeds
from tests.conftest import SEEDS
from tests.loader.conftest import (
    copy_seeds,
    edit_text,
    previous_db,
    query,
    run_cli,
    sha256,
    sources_option,
)

BELT_AND_ROAD = 'id = "astana-2025-cn-belt-and-road-integration"'
SUPPORT_FOR_CHINA = 'id = "astana-2025-central-asian-support-for-china"'
EXPERTS = 'successor = "experts-great-friendship-may-hide-risks"'


def retired_seeds() -> list[dict[str, object]]:
    with (SEEDS / "retired.toml").open("rb") as fh:
        items: list[dict[str, object]] = tomllib.load(fh)["retired"]
    return items


def test_the_retired_ids_are_read_and_stored_in_file_order(db_path: Path) -> None:
    keys = ("collection", "id", "successor_collection", "successor", "reason", "retired_in")
    expected = [tuple(r.get(k) for k in keys) for r in retired_seeds()]
    assert [r.model_dump() for r in read_seeds(SEEDS).retired] == [
        dict(zip(keys, row, strict=True)) for row in expected
    ]
    stored = query(db_path, f"SELECT {', '.join(keys)} FROM retired ORDER BY position")
    assert stored == expected
    assert len(stored) == 8  # 2 of 2026.12.01, 6 of 2026.12.02 (issue 19)


def test_the_notes_of_priorities_and_statements_are_stored(db_path: Path) -> None:
    for table in ("priorities", "statements"):
        with (SEEDS / f"{table}.toml").open("rb") as fh:
            seeds = {r["id"]: r.get("note") for r in tomllib.load(fh)[table]}
        assert dict(query(db_path, f"SELECT id, note FROM {table}")) == seeds
        assert any(seeds.values()), table


def test_a_changed_retired_entry_changes_the_checksum(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    old, new = 'retired_in = "2026.12.01"', 'retired_in = "2026.11.30"'
    edit_text(seeds / "retired.toml", old, new, after=SUPPORT_FOR_CHINA)
    assert read_seeds(seeds).checksum() != read_seeds(SEEDS).checksum()


# (variant, old text, new text, anchor, what one line of stderr names)
REFUSED = [
    (
        "retired-id-is-live",
        BELT_AND_ROAD,
        'id = "astana-2025-kg-energy"',
        None,
        ("retired.toml", "'astana-2025-kg-energy'", "field id", "priorities.toml"),
    ),
    (
        "unknown-successor",
        EXPERTS,
        'successor = "no-such-statement"',
        None,
        ("retired.toml", "'astana-2025-cn-belt-and-road-integration'", "field successor"),
    ),
    (
        "successor-in-another-collection",
        'successor_collection = "statements"',
        'successor_collection = "agreements"',
        BELT_AND_ROAD,
        ("retired.toml", "field successor", "unknown agreement"),
    ),
    (
        "successor-is-itself-retired",
        'successor = "rozanskij-central-asia-intends-to-support-china"\n'
        'successor_collection = "statements"',
        'successor = "astana-2025-cn-belt-and-road-integration"\n'
        'successor_collection = "priorities"',
        None,
        ("retired.toml", "'astana-2025-central-asian-support-for-china'", "field successor"),
    ),
    (
        "unknown-collection",
        'collection = "priorities"',
        'collection = "priority"',
        BELT_AND_ROAD,
        ("retired.toml", "field collection", "unknown collection 'priority'"),
    ),
    (
        "successor-without-its-collection",
        'successor_collection = "statements"\n',
        "",
        BELT_AND_ROAD,
        ("retired.toml", "'astana-2025-cn-belt-and-road-integration'", "successor_collection"),
    ),
    (
        "retired-after-the-dataset-version",
        'retired_in = "2026.12.01"',
        'retired_in = "2027.01.01"',
        SUPPORT_FOR_CHINA,
        ("retired.toml", "field retired_in", "after the dataset version"),
    ),
    (
        "unknown-key",
        'reason = "Its only source is the article',
        'reson = "Its only source is the article',
        None,
        ("retired.toml", "'astana-2025-central-asian-support-for-china'", "field reson"),
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "after", "expect"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_a_bad_retired_entry_is_refused_in_one_line(
    old: str,
    new: str,
    after: str | None,
    expect: tuple[str, ...],
    tmp_path: Path,
    db_path: Path,
) -> None:
    seeds = copy_seeds(tmp_path)
    edit_text(seeds / "retired.toml", old, new, after)
    target = previous_db(tmp_path, db_path)
    before = sha256(target)
    for command in (["check"], ["load", "--db", str(target)]):
        result = run_cli(*command, "--seeds", seeds, *sources_option())
        assert result.returncode != 0, result.stdout
        lines = [line for line in result.stderr.splitlines() if all(e in line for e in expect)]
        assert lines, f"{command[0]}: {expect} not on a line of:\n{result.stderr}"
        assert "Traceback" not in result.stderr
    assert sha256(target) == before


def test_a_missing_retired_file_is_refused(tmp_path: Path) -> None:
    """Retired ids stay for good: losing the file would turn their 410s into 404s."""
    seeds = copy_seeds(tmp_path)
    (seeds / "retired.toml").unlink()
    result = run_cli("check", "--seeds", seeds)
    assert result.returncode != 0
    assert [
        line for line in result.stderr.splitlines() if "retired.toml" in line and "missing" in line
    ]
