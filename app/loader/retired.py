"""The retired ids of seeds/retired.toml: their seed model and the checks that tie them to
the live records (a retired id is not live; a successor is).

Kept apart from app/loader/seeds.py, which holds the models of the records that are served.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, model_validator

from app.loader.seeds import Record, Reference, Slug, Text
from app.vocabulary import RESOURCES

FILE = "retired.toml"
KEY = "retired"
COLLECTIONS = tuple(r.collection for r in RESOURCES)


def _collection(value: str) -> str:
    if value not in COLLECTIONS:
        raise ValueError(f"unknown collection {value!r}; known: {', '.join(COLLECTIONS)}")
    return value


Collection = Annotated[str, AfterValidator(_collection)]
Version = Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{2}\.\d{2}$")]


class RetiredSeed(Record):
    """A published id that is no longer served: it answers 410 Gone, or a 301 to a successor
    in its own collection (README.md, "Retired ids")."""

    collection: Collection
    successor: Slug | None = None
    successor_collection: Collection | None = None
    reason: Text
    retired_in: Version

    @model_validator(mode="after")
    def _successor_with_its_collection(self) -> RetiredSeed:
        if (self.successor is None) != (self.successor_collection is None):
            raise ValueError("give 'successor' and 'successor_collection' together, or neither")
        return self

    def references(self) -> Iterator[Reference]:
        """The successor must be a live record (not another retired id)."""
        if self.successor is not None and self.successor_collection is not None:
            yield "successor", self.successor_collection, self.successor


def version_key(text: str) -> tuple[int, ...]:
    """`2026.12.01` -> (2026, 12, 1); a version of another form compares as the earliest."""
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return ()


def problems(
    retired: RetiredSeed, live: dict[str, set[str]], version: str
) -> Iterator[tuple[str, str]]:
    """(field, message) for a retired id that is still live, or retired in a dataset version
    after the one being built."""
    if retired.id in live[retired.collection]:
        message = f"{retired.id!r} is retired but is still a record of {retired.collection}.toml"
        yield "id", message
    if version_key(version) and version_key(retired.retired_in) > version_key(version):
        message = f"{retired.retired_in!r} is after the dataset version {version!r}"
        yield "retired_in", message
