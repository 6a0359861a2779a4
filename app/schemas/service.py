"""What the service answers besides records: pages, search hits, index, metadata, health."""

from typing import Any, Generic

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from app.schemas.base import Out, T
from app.schemas.records import Summary
from app.vocabulary import ResourceType


class SearchHit(Out):
    """One search result."""

    type: ResourceType = Field(description="The kind of record.")
    id: str = Field(description="The record's id.")
    title: str = Field(description="The record's name or title, plain text.")
    snippet: str
    """HTML: the matching text escaped, matching words in <mark>…</mark>."""
    url: str = Field(description="The record's path.")
    score: float = Field(description="bm25 relevance; lower is better (SQLite FTS5 convention).")


class FacetCount(Out):
    """How many matching records carry one value of a faceted field."""

    value: str = Field(description="The value, as a filter of the same name takes it.")
    name: str = Field(description="Its name (a record's name or title; a kind as itself).")
    count: int = Field(description="How many matching records carry it.")


Absent: Any = SkipJsonSchema[None]  # type: ignore[misc]


class Page(Out, Generic[T]):
    """One page of a collection."""

    # Its pages are made per app (app/openapi.py): no source to read docstrings from.
    model_config = ConfigDict(use_attribute_docstrings=False)

    items: list[T] = Field(description="The records of this page.")
    total: int = Field(description="How many records match, on all pages.")
    limit: int = Field(description="The page size asked for.")
    offset: int = Field(description="How many matching records come before this page.")
    facets: dict[str, list[FacetCount]] | Absent = Field(
        None,
        description="Only with `facet=`: per faceted field, the count of matching records "
        "(on all pages) for each value, most first.",
    )


class DatasetInfo(Out):
    """The dataset's identity."""

    version: str = Field(description="The dataset version; bumped whenever a record changes.")
    checksum: str = Field(description="sha256 of the validated seed records.")
    title: str = Field(description="The dataset's title.")
    description: str = Field(description="What it holds.")
    licence: str = Field(description="The data licence.")
    licence_note: str = Field(description="What the licence covers and what it does not.")
    schema_revision: str = Field(description="The Alembic revision of the database schema.")


class Meta(Out):
    """Dataset metadata."""

    dataset: DatasetInfo = Field(
        description="The dataset this API serves: its version, checksum and licence."
    )
    counts: dict[str, int] = Field(description="Records per collection.")
    sources: list[Summary] = Field(description="Every source document.")
    downloads: dict[str, str]
    """The whole dataset: the SQLite file, the data package (descriptor and zip), the theme
    matrix."""
    disputed_counts: dict[str, int]
    """Records per collection whose sources disagree (`disputed: true`; list them with
    `?disputed=true`)."""
    change_count: int = Field(description="Published corrections, at `/changes`.")
    retired_counts: dict[str, int]
    """Retired ids per collection they lived in: each answers `410 Gone` (or `301` to a
    successor in the same collection), and none is counted in `counts`."""


class Health(Out):
    """The process is up and reads the dataset it names."""

    status: str = Field(examples=["ok"])
    """`ok`."""
    dataset_version: str = Field(description="The dataset version this process serves.")
    checksum: str = Field(description="The records' checksum, as `/meta` gives it.")
    database_sha256: str = Field(description="The sha256 of the database bytes it serves.")


class Index(Out):
    """The API's front page."""

    name: str = Field(description="The API's name.")
    description: str = Field(description="What it serves.")
    dataset_version: str = Field(description="The dataset version served.")
    links: dict[str, str]
    """Paths of every collection, the search, the metadata and the docs."""


class ProblemType(Out):
    """What one kind of problem means: the page its `type` URI answers."""

    type: str = Field(description="The problem type's URI, as problems carry it.")
    title: str = Field(description="Its title, as problems carry it.")
    status: int | None
    """The HTTP status it comes with; null for `/problems/error`, which any other has."""
    description: str = Field(description="When it happens and what to do about it.")
