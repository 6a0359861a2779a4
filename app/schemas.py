"""Response models: the public contract, written out field by field.

Keys are only ever added, never renamed or removed. The app builds every
representation once at start-up and validates it against these models there, so
the documented contract and the served JSON cannot drift apart.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Summary(Out):
    """A related object, embedded: enough to show it and follow it."""

    id: str
    name: str
    url: str


class Citation(Out):
    """A source of the fact, with its sentence verbatim."""

    source_id: str
    excerpt: str = Field(description="The sentence (or clause) of the source that states it.")
    url: str = Field(description="The source's own resource in this API.")


class CountryRole(Summary):
    role: Literal["host", "participant"]


class Country(Out):
    id: str = Field(description="ISO 3166-1 alpha-2, lower case", examples=["kg"])
    url: str
    name: str
    alpha2: str
    alpha3: str
    numeric: str = Field(description="ISO 3166-1 numeric, as a 3-digit string", examples=["417"])
    capital: str
    region: str
    leader: Summary | None
    summits: list[CountryRole] = Field(description="Summits attended, with the country's role.")
    priority_count: int
    priorities_url: str


class Leader(Out):
    id: str
    url: str
    name: str = Field(description="The common romanisation.")
    source_spelling: str = Field(description="The name as the primary source writes it.")
    aliases: list[str]
    title: str
    country: Summary
    priority_count: int
    sources: list[Citation]


class Summit(Out):
    id: str
    url: str
    name: str
    ordinal: int
    city: str
    date: str = Field(description="ISO 8601, reduced precision where only the month is known.")
    host: Summary
    participants: list[CountryRole]
    agreement_count: int
    agreements_url: str
    sources: list[Citation]


class Priority(Out):
    id: str
    url: str
    kind: Literal["priority", "proposal", "position", "endorsement"]
    position: int = Field(description="Order within the leader's list, as the source gives it.")
    title: str
    description: str
    leader: Summary
    country: Summary
    summit: Summary
    themes: list[Summary]
    sources: list[Citation]


class ValueClaim(Out):
    """One source's statement of a value. `amount` is null where that source omits the figure."""

    amount: float | None
    currency: str | None
    qualifier: Literal["over", "nearly", "about"] | None
    note: str | None
    source_id: str
    excerpt: str


class AttributeClaim(Out):
    """One source's description where sources differ (e.g. a loan in one, a grant in another)."""

    attribute: str
    value: str
    source_id: str
    excerpt: str


class Agreement(Out):
    id: str
    url: str
    kind: Literal[
        "treaty",
        "declaration",
        "intergovernmental-documents",
        "business-agreements",
        "financial-commitment",
        "training-commitment",
        "joint-position",
    ]
    position: int
    title: str
    also_known_as: list[str]
    description: str
    summit: Summary
    parties: list[Summary]
    count: int | None = Field(description="How many documents, where a source states it.")
    fields: list[str] = Field(description="The fields as the source lists them.")
    themes: list[Summary]
    values: list[ValueClaim]
    claims: list[AttributeClaim]
    note: str | None
    sources: list[Citation]


class Speaker(Out):
    id: str
    name: str
    type: Literal["leader", "person"]
    role: str
    aliases: list[str]
    url: str | None = Field(description="The leader's resource; null for other speakers.")


class Statement(Out):
    id: str
    url: str
    kind: Literal["quote", "paraphrase"]
    position: int
    text: str
    context: str | None
    speaker: Speaker
    country: Summary | None = Field(
        description="The speaker's country; null where the source gives none."
    )
    summit: Summary
    sources: list[Citation]


class ThemeCountry(Summary):
    """One cell row of the country x theme matrix."""

    priority_count: int
    agreement_count: int


class Theme(Out):
    id: str
    url: str
    name: str
    description: str
    priority_count: int
    agreement_count: int
    countries: list[ThemeCountry] = Field(
        description="Countries naming this theme, with how many priorities/agreements each has."
    )


class ThemeGroup(Out):
    country: Summary
    priorities: list[Summary]
    agreements: list[Summary]


class ThemeDetail(Theme):
    by_country: list[ThemeGroup] = Field(
        description="The priorities and agreements under this theme, grouped by country."
    )


class Source(Out):
    id: str
    url: str
    kind: Literal["primary", "corroborating", "related"]
    title: str
    author: str | None
    publisher: str
    published: str | None = Field(description="ISO 8601 date")
    section: str | None
    web_url: str | None = Field(description="Where the document is published, if known.")
    note: str | None
    citation_count: int = Field(description="How many facts of the dataset cite it.")


class SearchHit(Out):
    type: Literal[
        "country", "leader", "summit", "priority", "agreement", "statement", "theme", "source"
    ]
    id: str
    title: str
    snippet: str = Field(description="Matching words marked with <mark>…</mark>.")
    url: str
    score: float = Field(description="bm25 relevance; lower is better (SQLite FTS5 convention)")


class Page(Out, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class DatasetInfo(Out):
    version: str
    checksum: str = Field(description="sha256 of the validated seed records")
    title: str
    description: str
    licence: str
    licence_note: str
    schema_revision: str


class Meta(Out):
    dataset: DatasetInfo
    counts: dict[str, int]
    sources: list[Summary]


class Health(Out):
    status: Literal["ok"]
    dataset_version: str
    checksum: str


class Index(Out):
    name: str
    description: str
    dataset_version: str
    links: dict[str, str]


class ProblemError(Out):
    """One bad part of the request."""

    location: Literal["path", "query", "header"]
    name: str
    message: str
    accepted: str | None = Field(default=None, description="What the parameter accepts.")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemError] | None = None
