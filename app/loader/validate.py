"""Seed files -> validated records: TOML reading, per-record validation, cross-references
between files, and excerpts checked verbatim against the source texts when given.

Every error names its file, record and field, on one line.
"""

from __future__ import annotations

import hashlib
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import ValidationError
from sqlalchemy import inspect

from app.loader import changes, retired
from app.loader.changes import ChangeSeed
from app.loader.retired import RetiredSeed
from app.loader.seeds import COLLECTION, MODELS, DatasetSeed, Record, SeedModel
from app.models import Country
from app.vocabulary import RESOURCE, RESOURCES

R = TypeVar("R", bound=Record)
M = TypeVar("M", bound=SeedModel)


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
    """Validated seeds, in file order, keyed by collection, ready to insert."""

    meta: DatasetSeed
    records: dict[str, list[Record]] = field(default_factory=dict)
    retired: list[RetiredSeed] = field(default_factory=list)
    changes: list[ChangeSeed] = field(default_factory=list)
    _checksum: str | None = field(default=None, init=False, repr=False)

    def of(self, model: type[R]) -> list[R]:
        """The records of `model`'s collection."""
        return [r for r in self.records[COLLECTION[model]] if isinstance(r, model)]

    def by_id(self, model: type[R]) -> dict[str, R]:
        return {r.id: r for r in self.of(model)}

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.records.items()}

    def checksum(self) -> str:
        """sha256 of the canonical JSON of every validated record: same seeds, same checksum.
        (Worked out once: the records do not change after validation.)"""
        if self._checksum is None:
            payload = {
                "dataset": self.meta.model_dump(mode="json"),
                **{k: [r.model_dump(mode="json") for r in v] for k, v in self.records.items()},
                retired.KEY: [r.model_dump(mode="json") for r in self.retired],
                changes.KEY: [c.model_dump(mode="json") for c in self.changes],
            }
            canonical = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
            self._checksum = hashlib.sha256(canonical).hexdigest()
        return self._checksum


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(record)"


def _read_toml(path: Path) -> dict[str, Any]:
    def refused(message: str) -> SeedsRefused:
        return SeedsRefused([SeedError(path.name, "-", "-", message)])

    if not path.is_file():
        raise refused("file is missing")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise refused(f"not UTF-8: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise refused(f"invalid TOML: {exc}") from exc


def _validate(model: type[M], item: Any, file: str, label: str) -> M:
    """`item` as a `model`, or SeedsRefused with one error per field."""
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        errors = [SeedError(file, label, _field_path(e["loc"]), e["msg"]) for e in exc.errors()]
        raise SeedsRefused(errors) from exc


def _validate_records(
    file: str, key: str, raw: dict[str, Any], model: type[Record]
) -> tuple[list[Record], list[SeedError]]:
    errors: list[SeedError] = []
    items = raw.get(key)
    extra = sorted(set(raw) - {key})
    if extra:
        message = f"unknown top-level key; expected only [[{key}]]"
        errors.append(SeedError(file, "-", ", ".join(extra), message))
    if not isinstance(items, list) or not items:
        errors.append(SeedError(file, "-", key, f"expected a non-empty array of [[{key}]] tables"))
        return [], errors
    records: list[Record] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        record_id = item.get("id") if isinstance(item, dict) else None
        label = f"{record_id!r}" if isinstance(record_id, str) else f"#{index + 1}"
        try:
            record = _validate(model, item, file, label)
        except SeedsRefused as exc:
            errors.extend(exc.errors)
            continue
        if record.id in seen:
            errors.append(SeedError(file, label, "id", f"duplicate id {record.id!r}"))
        seen.add(record.id)
        records.append(record)
    return records, errors


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _page_text(text: str) -> str:
    """A stored file's page text: after its header's `---` line, where it has one."""
    _, sep, body = text.partition("\n---\n")
    return body if sep else text


def _source_texts(source_texts: Path | None, dataset: Dataset) -> dict[str, str]:
    """The texts we hold (`<source id>.txt`), to check excerpts against, verbatim."""
    if source_texts is None:
        return {}
    texts = {}
    for source in dataset.records["sources"]:
        path = source_texts / f"{source.id}.txt"
        if path.is_file():
            texts[source.id] = _normalise(_page_text(path.read_text(encoding="utf-8")))
    return texts


def _unheld(record: Record, texts: dict[str, str]) -> Iterator[tuple[str, str]]:
    """With source texts given, a cited source must be one of them: nothing goes unchecked."""
    for path, source_id, _ in record.excerpts():
        if source_id not in texts:
            yield f"{path}.source_id", f"no stored text {source_id}.txt to check the excerpt"


def _unique_countries(dataset: Dataset) -> list[SeedError]:
    """The columns the countries table declares UNIQUE: a clash named here, not at insert."""
    errors: list[SeedError] = []
    for column in [c.name for c in inspect(Country).columns if c.unique]:
        owner: dict[str, str] = {}
        for c in dataset.records["countries"]:
            value = getattr(c, column)
            if value in owner:
                message = f"{value!r} is already the {column} of country {owner[value]!r}"
                errors.append(SeedError("countries.toml", repr(c.id), column, message))
            owner.setdefault(value, c.id)
    return errors


def _problems(
    record: Record, ids: dict[str, set[str]], texts: dict[str, str]
) -> Iterator[tuple[str, str]]:
    """(field path, message) for each reference of `record` that does not resolve and each
    excerpt missing from the source text it cites."""
    cited = [(f"{path}.source_id", "sources", source) for path, source, _ in record.excerpts()]
    for path, kind, value in [*record.references(), *cited]:
        if value is not None and value not in ids[kind]:
            known = ", ".join(sorted(ids[kind]))
            yield path, f"unknown {RESOURCE[kind].type} {value!r}; known: {known}"
    for path, source_id, excerpt in record.excerpts():
        text = texts.get(source_id)
        if text is not None and _normalise(excerpt) not in text:
            message = f"excerpt does not occur verbatim in source {source_id!r}: {excerpt[:80]!r}"
            yield f"{path}.excerpt", message


def _cross_check(dataset: Dataset, source_texts: Path | None) -> list[SeedError]:
    """Every reference resolves; excerpts of the sources we hold occur in them verbatim."""
    ids = {name: {r.id for r in records} for name, records in dataset.records.items()}
    texts = _source_texts(source_texts, dataset)
    errors = _unique_countries(dataset)
    for name, records in dataset.records.items():
        for r in records:
            unheld = list(_unheld(r, texts)) if texts else []
            for path, message in [*_problems(r, ids, texts), *unheld]:
                errors.append(SeedError(f"{name}.toml", repr(r.id), path, message))
    known = {name: set(found) for name, found in ids.items()}
    for x in dataset.retired:
        known[x.collection].add(x.id)
    for i, c in enumerate(dataset.changes):
        wrong = changes.problems(c, known, ids["sources"], dataset.meta.version)
        errors.extend(SeedError(changes.FILE, f"#{i + 1}", path, msg) for path, msg in wrong)
    for x in dataset.retired:
        found = [*_problems(x, ids, texts), *retired.problems(x, ids, dataset.meta.version)]
        errors.extend(SeedError(retired.FILE, repr(x.id), path, msg) for path, msg in found)
    return errors


def _read_changes(seeds: Path, dataset: Dataset) -> list[SeedError]:
    """seeds/changes.toml, one entry per change (the file is optional: no changes yet)."""
    path = seeds / changes.FILE
    if not path.exists():
        return []
    try:
        raw = _read_toml(path)
    except SeedsRefused as exc:
        return exc.errors
    errors: list[SeedError] = []
    for i, item in enumerate(changes.entries(raw)):
        try:
            dataset.changes.append(_validate(ChangeSeed, item, changes.FILE, f"#{i + 1}"))
        except SeedsRefused as exc:
            errors.extend(exc.errors)
    return errors


def read_seeds(seeds: Path, source_texts: Path | None = None) -> Dataset:
    """Parse and validate every seed file; raise SeedsRefused naming file, record and field.

    With `source_texts` (a directory of `<source id>.txt`), every excerpt of a source held
    there must occur in it verbatim; without, excerpts are not checked against texts.
    """
    meta = _validate(DatasetSeed, _read_toml(seeds / "dataset.toml"), "dataset.toml", "-")
    dataset = Dataset(meta=meta)
    errors: list[SeedError] = []
    for resource in RESOURCES:
        file = f"{resource.collection}.toml"
        dataset.records[resource.collection] = []
        try:
            raw = _read_toml(seeds / file)
        except SeedsRefused as exc:
            errors.extend(exc.errors)
            continue
        model = MODELS[resource.type]
        records, record_errors = _validate_records(file, resource.collection, raw, model)
        errors.extend(record_errors)
        dataset.records[resource.collection] = records
    try:
        raw = _read_toml(seeds / retired.FILE)
        found, record_errors = _validate_records(retired.FILE, retired.KEY, raw, RetiredSeed)
        dataset.retired = [r for r in found if isinstance(r, RetiredSeed)]
        errors.extend(record_errors)
    except SeedsRefused as exc:
        errors.extend(exc.errors)
    errors.extend(_read_changes(seeds, dataset))
    if not errors:
        errors.extend(_cross_check(dataset, source_texts))
    if errors:
        raise SeedsRefused(errors)
    return dataset
