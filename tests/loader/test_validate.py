"""app/loader/validate.py through the real CLI: `summit-api check` and `load` on the real
seeds and on copies of them with one file corrupted, each refused in one line naming
file, record and field, with the previous database untouched.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.loader import SeedError, SeedsRefused, read_seeds
from tests.conftest import PRIMARY_SOURCE, REQUIRE_SOURCES, ROOT, SEEDS, SHARED_SOURCES
from tests.loader.conftest import (
    CLI_TIMEOUT,
    cli,
    cli_env,
    copy_seeds,
    edit_text,
    previous_db,
    printed_counts,
    run_cli,
    seed_counts,
    sha256,
    sources_option,
)

UNCHECKED = "excerpts not checked against source texts (no --sources DIR)"


def line_of(file: str, text: str) -> int:
    lines = (SEEDS / file).read_text(encoding="utf-8").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if text in line]
    assert len(found) == 1, (file, text, found)
    return found[0]


def test_cli_check_validates_without_building(tmp_path: Path) -> None:
    result = run_cli("check", "--seeds", SEEDS, *sources_option(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert printed_counts(result.stdout) == seed_counts()
    assert list(tmp_path.iterdir()) == []


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


def first(file: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace only the first of many `old` (a file of like entries, such as changes.toml)."""

    def mutate(seeds: Path) -> None:
        path = seeds / file
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return mutate


KG_AGRICULTURE = 'id = "astana-2025-kg-agriculture"'
TJ_GLACIERS = 'id = "astana-2025-tj-glacier-protection"'
DECLARATION = 'id = "astana-declaration"'
TRADE_DEALS = 'id = "astana-2025-trade-and-investment-agreements"'
ENERGY_LINE = line_of("themes.toml", 'id = "energy"')
EXCERPT_NOT_IN_SOURCE = replace(
    "priorities.toml", "glaciers, proposing", "rivers, proposing", after=TJ_GLACIERS
)
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
        EXCERPT_NOT_IN_SOURCE,
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
        replace(
            "agreements.toml",
            '{ country = "uz", role = "signatory" }',
            '{ country = "kz", role = "signatory" }',
            after=DECLARATION,
        ),
        ("agreements.toml", "'astana-declaration'", "field parties", "duplicate"),
    ),
    Variant(
        "duplicate-country-code",
        replace("countries.toml", 'alpha3 = "KGZ"', 'alpha3 = "KAZ"'),
        ("countries.toml", "'kg'", "field alpha3", "'KAZ'"),
    ),
]

TOKAYEV_HARMED = 'id = "tokayev-chinese-people-never-harmed-kazakh-people"'
VARIANTS += [
    Variant(
        "dispute-without-a-preferred-claim",
        replace("statements.toml", "preferred = true\n", "", after=TOKAYEV_HARMED),
        ("statements.toml", "'tokayev-chinese-people-never-harmed-kazakh-people'", "preferred"),
    ),
    Variant(
        # Issue 22: a lone claim is preferred too, so `WHERE preferred` counts each fact once.
        "lone-claim-not-preferred",
        replace("summits.toml", "preferred = true\n", "", after='attribute = "opened"'),
        ("summits.toml", "'xian-2023'", "claims on 'opened' agree (or stand alone)"),
    ),
    Variant(
        "differing-claims-without-a-dispute",
        replace("statements.toml", "dispute = ", "note_ = ", after=TOKAYEV_HARMED),
        ("statements.toml", "'tokayev-chinese-people-never-harmed-kazakh-people'"),
    ),
    Variant(
        "unknown-event",
        replace(
            "statements.toml",
            'event = "astana-2025-xi-tokayev-talks"',
            'event = "astana-2025-tea"',
            after=TOKAYEV_HARMED,
        ),
        ("statements.toml", "'tokayev-chinese-people-never-harmed-kazakh-people'", "event"),
    ),
    Variant(
        "unknown-party-role",
        replace("agreements.toml", 'role = "signatory"', 'role = "host"', after=DECLARATION),
        ("agreements.toml", "'astana-declaration'", "role"),
    ),
    Variant(
        "change-of-an-unknown-record",
        first("changes.toml", "\nrecord = ", '\nrecord = "no-such-record"\n_old_record = '),
        ("changes.toml", "#1"),
    ),
    Variant(
        "unknown-speaker-kind",
        replace("statements.toml", 'kind = "analyst"', 'kind = "pundit"'),
        ("statements.toml", "'cebotarev-first-international-legal-document'", "kind"),
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
        "load": start("load", "--seeds", seeds, "--db", target, *sources_option()),
        "check": start("check", "--seeds", seeds, *sources_option()),
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


# --- the source texts -----------------------------------------------------------------------


def test_without_sources_excerpts_are_not_checked_and_the_command_says_so(
    tmp_path: Path,
) -> None:
    seeds = copy_seeds(tmp_path)
    EXCERPT_NOT_IN_SOURCE(seeds)
    result = run_cli("check", "--seeds", seeds)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [UNCHECKED]
    assert printed_counts(result.stdout) == seed_counts()


@pytest.mark.parametrize(
    "command", [["check"], ["load", "--db", "summit.db"]], ids=["check", "load"]
)
def test_sources_must_be_a_directory(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run_cli(*command, "--seeds", SEEDS, "--sources", missing, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1].endswith(f"--sources {missing}: not a directory")
    assert list(tmp_path.iterdir()) == []


def test_read_seeds_checks_excerpts_only_against_the_texts_given(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    EXCERPT_NOT_IN_SOURCE(seeds)
    assert read_seeds(seeds).counts() == seed_counts()
    if not PRIMARY_SOURCE.is_file() and not REQUIRE_SOURCES:
        pytest.skip("source text absent")
    with pytest.raises(SeedsRefused) as info:
        read_seeds(seeds, SHARED_SOURCES)
    [error] = info.value.errors
    assert error == SeedError(
        "priorities.toml",
        "'astana-2025-tj-glacier-protection'",
        "sources[0].excerpt",
        error.message,
    )
    assert error.message.startswith("excerpt does not occur verbatim in source")
