"""The published corrections of seeds/changes.toml: each record and field a dataset version
changed, before and after, why, and the source that shows it. Checked against the records:
a change names a live or retired record, a known source, and a version no later than the
one being built.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import StringConstraints

from app.loader.retired import Collection, Version, version_key
from app.loader.seeds import SeedModel, Slug, Text

# What a field said (empty where it did not exist yet) or says now (empty where it is gone).
FieldText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]

FILE = "changes.toml"
KEY = "changes"


class ChangeSeed(SeedModel):
    version: Version
    collection: Collection
    record: Slug
    field: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_.]*$", max_length=80)]
    before: FieldText
    after: FieldText
    why: Text
    source_id: Slug


def problems(
    change: ChangeSeed, known: dict[str, set[str]], sources: set[str], version: str
) -> Iterator[tuple[str, str]]:
    """(field, message) for a change that names nothing the dataset holds."""
    if change.record not in known[change.collection]:
        yield "record", f"no live or retired record {change.record!r} in {change.collection}"
    if change.source_id not in sources:
        yield "source_id", f"unknown source {change.source_id!r}"
    if version_key(change.version) > version_key(version):
        yield "version", f"{change.version!r} is after the dataset version {version!r}"


def entries(raw: dict[str, object]) -> list[object]:
    """The `[[changes]]` tables of the file (an absent file has none)."""
    items = raw.get(KEY, [])
    return items if isinstance(items, list) else [items]
