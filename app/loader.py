"""Seeds -> validated records -> a brand-new SQLite file -> os.replace over the target.

The database is a build artifact. It is built whole in memory through the Alembic
migrations, written to a temporary file beside the target and moved into place with
`os.replace`, so a reader sees either the old file or the new one, never a mix. Any
error leaves the target byte-for-byte as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import sqlite3
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

TEMP_PREFIX = ".summit-build-"
TEMP_SUFFIX = ".tmp"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = PROJECT_ROOT / "seeds"
DEFAULT_SOURCE_TEXTS = PROJECT_ROOT.parent / "shared" / "sources"

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _distinct(items: list[str]) -> list[str]:
    """A list of ids stored as rows keyed by (record, id): a repeated id is an error."""
    duplicates = sorted({x for x in items if items.count(x) > 1})
    if duplicates:
        raise ValueError(f"duplicate entries {duplicates}")
    return items


def _calendar_date(value: str) -> str:
    """A full YYYY-MM-DD date must exist in the calendar (no 2025-06-31)."""
    if len(value) == 10:
        date.fromisoformat(value)
    return value


Slugs = Annotated[list[Slug], AfterValidator(_distinct)]


class SeedModel(BaseModel):
    """Strict: unknown keys are typos, and types are not coerced (\"24\" is not 24)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Citation(SeedModel):
    source_id: Slug
    excerpt: Text


class Cited(SeedModel):
    sources: list[Citation] = Field(min_length=1)


class DatasetSeed(SeedModel):
    version: Name
    title: Name
    description: Text
    licence: Name
    licence_note: Text


class SourceSeed(SeedModel):
    id: Slug
    kind: Literal["primary", "corroborating", "related"]
    title: Name
    author: Name | None = None
    publisher: Name
    published: date | None = None
    section: Name | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    note: Text | None = None


class ThemeSeed(SeedModel):
    id: Slug
    name: Name
    description: Text


class CountrySeed(SeedModel):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    alpha2: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    alpha3: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    numeric: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    name: Name
    capital: Name
    region: Name

    @model_validator(mode="after")
    def _id_is_alpha2(self) -> CountrySeed:
        if self.id != self.alpha2.lower():
            raise ValueError(f"id must be the lower-case alpha2 code {self.alpha2.lower()!r}")
        return self


class Participant(SeedModel):
    country: Slug
    role: Literal["host", "participant"]


class SummitSeed(Cited):
    id: Slug
    name: Name
    ordinal: int = Field(ge=1)
    city: Name
    host: Slug
    date: Annotated[
        str,
        StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"),
        AfterValidator(_calendar_date),
    ]
    participants: list[Participant] = Field(min_length=1)

    @field_validator("participants")
    @classmethod
    def _one_role_per_country(cls, value: list[Participant]) -> list[Participant]:
        _distinct([p.country for p in value])
        return value


class LeaderSeed(Cited):
    id: Slug
    name: Name
    source_spelling: Name
    aliases: list[Name] = Field(default_factory=list)
    title: Name
    country: Slug


class PrioritySeed(Cited):
    id: Slug
    leader: Slug
    summit: Slug
    position: int = Field(ge=1)
    kind: Literal["priority", "proposal", "position", "endorsement"]
    title: Name
    description: Text
    themes: Slugs = Field(min_length=1)
    # Why an excerpt does not name the leader ("he", "the Chinese president"). Validated
    # and in the checksum; not yet stored or served (seeds/README.md, "Speakers").
    note: Text | None = None


class ValueClaim(SeedModel):
    amount: float | int | None = Field(default=None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    qualifier: Literal["over", "nearly", "about"] | None = None
    note: Text | None = None
    source_id: Slug
    excerpt: Text


class AttributeClaim(SeedModel):
    attribute: Slug
    value: Name
    source_id: Slug
    excerpt: Text


class AgreementSeed(Cited):
    id: Slug
    summit: Slug
    position: int = Field(ge=1)
    kind: Literal[
        "treaty",
        "declaration",
        "intergovernmental-documents",
        "business-agreements",
        "financial-commitment",
        "training-commitment",
        "joint-position",
    ]
    title: Name
    also_known_as: list[Name] = Field(default_factory=list)
    description: Text
    parties: Slugs = Field(min_length=1)
    count: int | None = Field(default=None, ge=1)
    fields: list[Name] = Field(default_factory=list)
    themes: Slugs = Field(min_length=1)
    note: Text | None = None
    values: list[ValueClaim] = Field(default_factory=list)
    claims: list[AttributeClaim] = Field(default_factory=list)


class Speaker(SeedModel):
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    role: Name
    country: Slug | None = None  # left out where the source gives none (the author, experts)


class StatementSeed(Cited):
    id: Slug
    summit: Slug
    position: int = Field(ge=1)
    kind: Literal["quote", "paraphrase"]
    text: Text
    context: Text | None = None
    # Why the excerpt does not name the speaker (the author's own sentence, "according to
    # experts"). Validated and in the checksum; not yet stored or served.
    note: Text | None = None
    leader: Slug | None = None
    speaker: Speaker | None = None

    @model_validator(mode="after")
    def _one_speaker(self) -> StatementSeed:
        if (self.leader is None) == (self.speaker is None):
            raise ValueError("give exactly one of 'leader' (a leader id) or 'speaker' (a table)")
        return self


@dataclass(frozen=True)
class SeedFile:
    """Where a collection lives and how each record is checked."""

    name: str  # file stem and top-level key
    singular: str  # one record, in messages
    model: type[SeedModel]


SEED_FILES = (
    SeedFile("sources", "source", SourceSeed),
    SeedFile("themes", "theme", ThemeSeed),
    SeedFile("countries", "country", CountrySeed),
    SeedFile("summits", "summit", SummitSeed),
    SeedFile("leaders", "leader", LeaderSeed),
    SeedFile("priorities", "priority", PrioritySeed),
    SeedFile("agreements", "agreement", AgreementSeed),
    SeedFile("statements", "statement", StatementSeed),
)
SINGULAR = {f.name: f.singular for f in SEED_FILES}


@dataclass(frozen=True)
class SeedError:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: record {self.record}: field {self.field}: {self.message}"


class SeedsRefused(Exception):
    """The seeds are invalid; nothing was built."""

    def __init__(self, errors: list[SeedError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Dataset:
    """Validated seeds, in file order, ready to insert."""

    meta: DatasetSeed
    records: dict[str, list[Any]] = field(default_factory=dict)
    _checksum: str | None = field(default=None, init=False, repr=False)

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.records.items()}

    def checksum(self) -> str:
        """sha256 of the canonical JSON of every validated record: same seeds, same checksum.
        (Worked out once: the records do not change after validation.)"""
        if self._checksum is None:
            payload = {
                "dataset": self.meta.model_dump(mode="json"),
                **{k: [r.model_dump(mode="json") for r in v] for k, v in self.records.items()},
            }
            canonical = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
            self._checksum = hashlib.sha256(canonical).hexdigest()
        return self._checksum


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(record)"


def _read_toml(path: Path, display: str) -> dict[str, Any]:
    if not path.is_file():
        raise SeedsRefused([SeedError(display, "-", "-", "file is missing")])
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SeedsRefused([SeedError(display, "-", "-", f"not UTF-8: {exc}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SeedsRefused([SeedError(display, "-", "-", f"invalid TOML: {exc}")]) from exc


def _validate_records(
    display: str, key: str, raw: dict[str, Any], model: type[SeedModel]
) -> tuple[list[Any], list[SeedError]]:
    errors: list[SeedError] = []
    items = raw.get(key)
    extra = sorted(set(raw) - {key})
    if extra:
        errors.append(
            SeedError(
                display, "-", ", ".join(extra), f"unknown top-level key; expected only [[{key}]]"
            )
        )
    if not isinstance(items, list) or not items:
        errors.append(
            SeedError(display, "-", key, f"expected a non-empty array of [[{key}]] tables")
        )
        return [], errors
    records: list[Any] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        record_id = item.get("id") if isinstance(item, dict) else None
        label = f"{record_id!r}" if isinstance(record_id, str) else f"#{index + 1}"
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                errors.append(SeedError(display, label, _field_path(err["loc"]), err["msg"]))
            continue
        rid = record.id  # type: ignore[attr-defined]
        if rid in seen:
            errors.append(SeedError(display, label, "id", f"duplicate id {rid!r}"))
        seen.add(rid)
        records.append(record)
    return records, errors


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _source_texts(source_texts: Path | None, sources: list[SourceSeed]) -> dict[str, str]:
    """The full texts we hold (`<source id>.txt`), to check excerpts against, verbatim."""
    if source_texts is None or not source_texts.is_dir():
        return {}
    texts = {}
    for source in sources:
        path = source_texts / f"{source.id}.txt"
        if path.is_file():
            texts[source.id] = _normalise(path.read_text(encoding="utf-8"))
    return texts


def _cross_check(dataset: Dataset, source_texts: Path | None) -> list[SeedError]:
    """Every reference resolves; excerpts of the sources we hold occur in them verbatim."""
    errors: list[SeedError] = []
    ids = {name: {r.id for r in recs} for name, recs in dataset.records.items()}
    texts = _source_texts(source_texts, dataset.records["sources"])

    def ref(file: str, record: str, path: str, kind: str, value: str | None) -> None:
        if value is not None and value not in ids[kind]:
            errors.append(
                SeedError(
                    f"{file}.toml",
                    repr(record),
                    path,
                    f"unknown {SINGULAR[kind]} {value!r}; known: {', '.join(sorted(ids[kind]))}",
                )
            )

    def cite(file: str, record: str, path: str, source_id: str, excerpt: str) -> None:
        ref(file, record, f"{path}.source_id", "sources", source_id)
        text = texts.get(source_id)
        if text is not None and _normalise(excerpt) not in text:
            errors.append(
                SeedError(
                    f"{file}.toml",
                    repr(record),
                    f"{path}.excerpt",
                    f"excerpt does not occur verbatim in source {source_id!r}: {excerpt[:80]!r}",
                )
            )

    for file, records in dataset.records.items():
        for r in records:
            for i, c in enumerate(getattr(r, "sources", [])):
                cite(file, r.id, f"sources[{i}]", c.source_id, c.excerpt)
    from app.models import Country

    # The columns the countries table declares UNIQUE: a clash named here, not at insert.
    for column in [c.name for c in Country.__table__.columns if c.unique]:  # type: ignore[attr-defined]
        owner: dict[str, str] = {}
        for c in dataset.records["countries"]:
            value = getattr(c, column)
            if value in owner:
                errors.append(
                    SeedError(
                        "countries.toml",
                        repr(c.id),
                        column,
                        f"{value!r} is already the {column} of country {owner[value]!r}",
                    )
                )
            owner.setdefault(value, c.id)
    for s in dataset.records["summits"]:
        ref("summits", s.id, "host", "countries", s.host)
        for i, p in enumerate(s.participants):
            ref("summits", s.id, f"participants[{i}].country", "countries", p.country)
    for leader in dataset.records["leaders"]:
        ref("leaders", leader.id, "country", "countries", leader.country)
    for p in dataset.records["priorities"]:
        ref("priorities", p.id, "leader", "leaders", p.leader)
        ref("priorities", p.id, "summit", "summits", p.summit)
        for i, t in enumerate(p.themes):
            ref("priorities", p.id, f"themes[{i}]", "themes", t)
    for a in dataset.records["agreements"]:
        ref("agreements", a.id, "summit", "summits", a.summit)
        for i, c in enumerate(a.parties):
            ref("agreements", a.id, f"parties[{i}]", "countries", c)
        for i, t in enumerate(a.themes):
            ref("agreements", a.id, f"themes[{i}]", "themes", t)
        for i, v in enumerate(a.values):
            cite("agreements", a.id, f"values[{i}]", v.source_id, v.excerpt)
        for i, cl in enumerate(a.claims):
            cite("agreements", a.id, f"claims[{i}]", cl.source_id, cl.excerpt)
    for st in dataset.records["statements"]:
        ref("statements", st.id, "summit", "summits", st.summit)
        ref("statements", st.id, "leader", "leaders", st.leader)
        if st.speaker is not None:
            ref("statements", st.id, "speaker.country", "countries", st.speaker.country)
    return errors


def read_seeds(seeds: Path, source_texts: Path | None = DEFAULT_SOURCE_TEXTS) -> Dataset:
    """Parse and validate every seed file; raise SeedsRefused naming file, record and field."""
    errors: list[SeedError] = []
    meta_raw = _read_toml(seeds / "dataset.toml", "dataset.toml")
    try:
        meta = DatasetSeed.model_validate(meta_raw)
    except ValidationError as exc:
        raise SeedsRefused(
            [SeedError("dataset.toml", "-", _field_path(e["loc"]), e["msg"]) for e in exc.errors()]
        ) from exc
    dataset = Dataset(meta=meta)
    for seed_file in SEED_FILES:
        display = f"{seed_file.name}.toml"
        try:
            raw = _read_toml(seeds / display, display)
        except SeedsRefused as exc:
            errors.extend(exc.errors)
            dataset.records[seed_file.name] = []
            continue
        records, record_errors = _validate_records(display, seed_file.name, raw, seed_file.model)
        errors.extend(record_errors)
        dataset.records[seed_file.name] = records
    if not errors:
        errors.extend(_cross_check(dataset, source_texts))
    if errors:
        raise SeedsRefused(errors)
    return dataset


# --- building -----------------------------------------------------------------------------


def _pause(stage: str) -> None:
    """Test hook: SUMMIT_LOADER_PAUSE_AT=<stage> stops here so a test can kill the loader."""
    if os.environ.get("SUMMIT_LOADER_PAUSE_AT") == stage:
        print(f"paused at {stage}", flush=True)
        time.sleep(60)


def _citation_rows(record_type: str, record: Any) -> Iterator[tuple[str, str, int, str, str]]:
    for i, c in enumerate(record.sources):
        yield (record_type, record.id, i, c.source_id, c.excerpt)


_APOSTROPHE_IN_WORD = re.compile(r"(?<=\w)['’](?=\w)")


def _distinct_words(*names: str) -> str:
    """The words of `names`, each once (ignoring case), in order: "Sadyr Žaparov Zhaparov"."""
    seen: dict[str, str] = {}
    for name in names:
        for word in name.split():
            seen.setdefault(word.casefold(), word)
    return " ".join(seen.values())


def _search_rows(dataset: Dataset) -> Iterator[tuple[str, str, str, int, str, str, str]]:
    """One row per resource: (type, id, url, position, title, aliases, body).

    `title` is the record's own name or title and `aliases` its own other names (the
    columns search weighs most); names of *related* records (a priority's leader and
    country, a leader's statements) go in `body`, so a query for a person ranks the person
    first and the things by or about them after.
    """
    countries = {c.id: c for c in dataset.records["countries"]}
    leaders = {x.id: x for x in dataset.records["leaders"]}
    for i, c in enumerate(dataset.records["countries"]):
        yield (
            "country",
            c.id,
            f"/countries/{c.id}",
            i,
            c.name,
            f"{c.alpha2} {c.alpha3} {c.numeric}",
            f"{c.capital} {c.region}",
        )
    for i, x in enumerate(dataset.records["leaders"]):
        yield (
            "leader",
            x.id,
            f"/leaders/{x.id}",
            i,
            x.name,
            _distinct_words(x.source_spelling, *x.aliases),
            f"{x.title} of {countries[x.country].name}",
        )
    for i, s in enumerate(dataset.records["summits"]):
        # A summit is also known by its city ("Astana"), written without the apostrophe too
        # ("Xi'an" -> "Xian", as in the id `xian-2023`).
        city_forms = dict.fromkeys([s.city, _APOSTROPHE_IN_WORD.sub("", s.city)])
        yield (
            "summit",
            s.id,
            f"/summits/{s.id}",
            i,
            s.name,
            " ".join(city_forms),
            f"{countries[s.host].name} {s.date}",
        )
    for i, p in enumerate(dataset.records["priorities"]):
        leader = leaders[p.leader]
        related = _distinct_words(
            leader.name, leader.source_spelling, *leader.aliases, countries[leader.country].name
        )
        body = f"{p.description} {related}"
        yield ("priority", p.id, f"/priorities/{p.id}", i, p.title, "", body)
    for i, a in enumerate(dataset.records["agreements"]):
        yield (
            "agreement",
            a.id,
            f"/agreements/{a.id}",
            i,
            a.title,
            " ".join(a.also_known_as),
            " ".join([a.description, *a.fields]),
        )
    for i, st in enumerate(dataset.records["statements"]):
        if st.leader is not None:
            # The leader has a record of their own: their names are related, not the statement's.
            speaker = leaders[st.leader]
            own_names: list[str] = []
            related_names = [speaker.name, speaker.source_spelling, *speaker.aliases]
        else:
            # A speaker with no record of their own is found through their statements.
            assert st.speaker is not None
            own_names = [st.speaker.name, *st.speaker.aliases]
            related_names = [st.speaker.role]
        yield (
            "statement",
            st.id,
            f"/statements/{st.id}",
            i,
            st.text,
            _distinct_words(*own_names),
            " ".join([st.context or "", _distinct_words(*related_names)]),
        )
    for i, t in enumerate(dataset.records["themes"]):
        yield ("theme", t.id, f"/themes/{t.id}", i, t.name, "", t.description)
    for i, src in enumerate(dataset.records["sources"]):
        yield (
            "source",
            src.id,
            f"/sources/{src.id}",
            i,
            src.title,
            src.author or "",
            " ".join(filter(None, [src.publisher, src.section, src.note])),
        )


def _insert(conn: sqlite3.Connection, dataset: Dataset) -> None:
    r = dataset.records
    meta = {
        "version": dataset.meta.version,
        "checksum": dataset.checksum(),
        "title": dataset.meta.title,
        "description": dataset.meta.description,
        "licence": dataset.meta.licence,
        "licence_note": dataset.meta.licence_note,
    }
    conn.executemany("INSERT INTO dataset_meta (key, value) VALUES (?, ?)", meta.items())
    conn.executemany(
        "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (
                s.id,
                i,
                s.kind,
                s.title,
                s.author,
                s.publisher,
                s.published.isoformat() if s.published else None,
                s.section,
                s.url,
                s.note,
            )
            for i, s in enumerate(r["sources"])
        ],
    )
    conn.executemany(
        "INSERT INTO themes VALUES (?,?,?,?)",
        [(t.id, i, t.name, t.description) for i, t in enumerate(r["themes"])],
    )
    conn.executemany(
        "INSERT INTO countries VALUES (?,?,?,?,?,?,?,?)",
        [
            (c.id, i, c.alpha2, c.alpha3, c.numeric, c.name, c.capital, c.region)
            for i, c in enumerate(r["countries"])
        ],
    )
    citations: list[tuple[str, str, int, str, str]] = []
    for s in r["summits"]:
        conn.execute(
            "INSERT INTO summits VALUES (?,?,?,?,?,?)",
            (s.id, s.ordinal, s.name, s.city, s.host, s.date),
        )
        conn.executemany(
            "INSERT INTO summit_participants VALUES (?,?,?)",
            [(s.id, p.country, p.role) for p in s.participants],
        )
        citations.extend(_citation_rows("summit", s))
    _pause("insert")
    for i, x in enumerate(r["leaders"]):
        conn.execute(
            "INSERT INTO leaders VALUES (?,?,?,?,?,?,?)",
            (
                x.id,
                i,
                x.name,
                x.source_spelling,
                orjson.dumps(list(x.aliases)).decode(),
                x.title,
                x.country,
            ),
        )
        citations.extend(_citation_rows("leader", x))
    for p in r["priorities"]:
        conn.execute(
            "INSERT INTO priorities VALUES (?,?,?,?,?,?,?)",
            (p.id, p.leader, p.summit, p.position, p.kind, p.title, p.description),
        )
        conn.executemany(
            "INSERT INTO priority_themes VALUES (?,?,?)",
            [(p.id, t, i) for i, t in enumerate(p.themes)],
        )
        citations.extend(_citation_rows("priority", p))
    for a in r["agreements"]:
        conn.execute(
            "INSERT INTO agreements VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                a.id,
                a.summit,
                a.position,
                a.kind,
                a.title,
                orjson.dumps(list(a.also_known_as)).decode(),
                a.description,
                a.count,
                orjson.dumps(list(a.fields)).decode(),
                a.note,
            ),
        )
        conn.executemany(
            "INSERT INTO agreement_parties VALUES (?,?,?)",
            [(a.id, c, i) for i, c in enumerate(a.parties)],
        )
        conn.executemany(
            "INSERT INTO agreement_themes VALUES (?,?,?)",
            [(a.id, t, i) for i, t in enumerate(a.themes)],
        )
        conn.executemany(
            "INSERT INTO agreement_values VALUES (?,?,?,?,?,?,?,?)",
            [
                (a.id, i, v.amount, v.currency, v.qualifier, v.note, v.source_id, v.excerpt)
                for i, v in enumerate(a.values)
            ],
        )
        conn.executemany(
            "INSERT INTO agreement_claims VALUES (?,?,?,?,?,?)",
            [
                (a.id, i, c.attribute, c.value, c.source_id, c.excerpt)
                for i, c in enumerate(a.claims)
            ],
        )
        citations.extend(_citation_rows("agreement", a))
    leaders = {x.id: x for x in r["leaders"]}
    for st in r["statements"]:
        speaker: tuple[str, str, list[str], str, str]
        if st.leader is not None:
            who = leaders[st.leader]
            speaker = (st.leader, who.name, [], who.title, who.country)
        else:
            assert st.speaker is not None
            sp = st.speaker
            slug = "-".join(
                re.findall(
                    r"[a-z0-9]+",
                    unicodedata.normalize("NFKD", sp.name)
                    .encode("ascii", "ignore")
                    .decode()
                    .lower(),
                )
            )
            speaker = (slug, sp.name, list(sp.aliases), sp.role, sp.country)
        conn.execute(
            "INSERT INTO statements VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                st.id,
                st.summit,
                st.position,
                st.kind,
                st.text,
                st.context,
                st.leader,
                speaker[0],
                speaker[1],
                orjson.dumps(speaker[2]).decode(),
                speaker[3],
                speaker[4],
            ),
        )
        citations.extend(_citation_rows("statement", st))
    conn.executemany("INSERT INTO citations VALUES (?,?,?,?,?)", citations)
    conn.executemany(
        "INSERT INTO search (type, id, url, position, title, aliases, body) VALUES (?,?,?,?,?,?,?)",
        _search_rows(dataset),
    )


def build_bytes(dataset: Dataset) -> bytes:
    """Run the Alembic migrations on an in-memory database, insert everything, serialise it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.connect() as conn:
            cfg = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.execute("PRAGMA foreign_keys = ON")
            with raw:
                _insert(raw, dataset)
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign key check failed: {problems}")
            raw.execute("VACUUM")
            return raw.serialize()
    finally:
        engine.dispose()


def sweep_stale(directory: Path) -> None:
    """Remove temporary files a killed loader (SIGKILL) may have left beside the target."""
    for stale in directory.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def _terminate_as_exception() -> Iterator[None]:
    """SIGTERM/SIGHUP unwind like Ctrl-C, so the `finally` below removes the temporary file."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def write_database(data: bytes, target: Path) -> None:
    """Write beside the target, fsync, then os.replace: the swap is atomic."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(target.parent)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        _pause("swap")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def load(seeds: Path, target: Path, source_texts: Path | None = DEFAULT_SOURCE_TEXTS) -> Dataset:
    """Validate the seeds and atomically replace `target` with a freshly built database."""
    with _terminate_as_exception():
        dataset = read_seeds(seeds, source_texts)
        _pause("validate")
        write_database(build_bytes(dataset), target)
    return dataset


def main_check(seeds: Path) -> int:
    try:
        dataset = read_seeds(seeds)
    except SeedsRefused as exc:
        return _refused(exc, "")
    return _summary("seeds OK", dataset)


def main_load(seeds: Path, target: Path) -> int:
    try:
        dataset = load(seeds, target)
    except SeedsRefused as exc:
        return _refused(exc, f"; {target} left unchanged")
    return _summary(f"loaded {target}", dataset)


def _refused(exc: SeedsRefused, note: str) -> int:
    print(f"seeds refused ({len(exc.errors)} error(s)){note}:", file=sys.stderr)
    for e in exc.errors:
        print(f"  {e}", file=sys.stderr)
    return 1


def _summary(what: str, dataset: Dataset) -> int:
    print(f"{what}: version {dataset.meta.version}, checksum {dataset.checksum()}")
    for name, n in dataset.counts().items():
        print(f"  {name:<12}{n:>4}")
    return 0
