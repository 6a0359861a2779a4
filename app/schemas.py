"""Response models: the public contract, written out field by field.

Keys are only ever added, never renamed or removed. Every representation is built once at
start-up as one of these objects (construction validates it) and keeps its own JSON bytes.
"""

from functools import cached_property
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from app.vocabulary import (
    AgreementKind,
    ParticipantRole,
    PriorityKind,
    Qualifier,
    ResourceType,
    SourceKind,
    SpeakerType,
    StatementKind,
)

T = TypeVar("T")


def no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(description: str | None = None) -> Any:
    """An optional field left out when it has no value: no `null`, no default, in the
    document."""
    return Field(None, description=description, json_schema_extra=no_default)


def _no_null_defaults(schema: dict[str, Any]) -> None:
    """An absent field has no value, so no `default: null` (its type is not nullable)."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class Out(BaseModel):
    """A response object: closed, immutable, documented by its attribute docstrings."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        json_schema_extra=_no_null_defaults,
    )

    @cached_property
    def json_bytes(self) -> bytes:
        """The object's compact JSON, encoded once."""
        return self.model_dump_json().encode()


class Summary(Out):
    """A related object, embedded: enough to show it and follow it."""

    id: str
    """The related object's id."""
    name: str
    """Its name or title."""
    url: str
    """Its own path in this API."""


class Citation(Out):
    """A source of the fact, with its sentence verbatim."""

    source_id: str
    """The id of the source document."""
    excerpt: str
    """The sentence (or clause) of the source that states it, verbatim."""
    url: str
    """The source's own resource in this API."""


class CountryRole(Summary):
    """A country at a summit, or a summit a country attended, with the country's role."""

    role: ParticipantRole
    """Host or participant."""


class Country(Out):
    """A participating country."""

    id: str = Field(examples=["kg"])
    """ISO 3166-1 alpha-2, lower case: the canonical id."""
    url: str
    """This country's path."""
    name: str
    """The English short name."""
    alpha2: str
    """ISO 3166-1 alpha-2."""
    alpha3: str
    """ISO 3166-1 alpha-3."""
    numeric: str = Field(examples=["417"])
    """ISO 3166-1 numeric, as a 3-digit string."""
    capital: str
    """The capital city."""
    region: str
    """The region the dataset groups it in."""
    leader: Summary | None
    """The head of state at the summits; null if the dataset has none."""
    summits: list[CountryRole]
    """Summits attended, with the country's role."""
    priority_count: int
    """How many priorities and proposals its leader stated (endorsements included)."""
    priorities_url: str
    """The path of its leader's priorities."""


class Leader(Out):
    """A head of state."""

    id: str
    """Slug of the common romanisation."""
    url: str
    """This leader's path."""
    name: str
    """The common romanisation."""
    source_spelling: str
    """The name as the primary source writes it."""
    aliases: list[str]
    """Other spellings, searchable."""
    title: str
    """The office held."""
    country: Summary
    """The leader's country."""
    priority_count: int
    """How many priorities and proposals the leader stated."""
    sources: list[Citation]
    """Where the dataset has it from."""


class Summit(Out):
    """A Central Asia–China summit."""

    id: str
    """`city-year`."""
    url: str
    """This summit's path."""
    name: str
    """The summit's name."""
    ordinal: int
    """1 for the first summit, 2 for the second."""
    city: str
    """Where it was held."""
    date: str
    """ISO 8601, reduced precision where only the month is known."""
    host: Summary
    """The host country."""
    participants: list[CountryRole]
    """Every participating country, host first."""
    agreement_count: int
    """How many agreements and commitments it produced in this dataset."""
    agreements_url: str
    """The path of its agreements."""
    sources: list[Citation]
    """Where the dataset has it from."""


class Priority(Out):
    """A priority, proposal, position or endorsement a leader stated at a summit."""

    id: str
    """The priority's id."""
    url: str
    """This priority's path."""
    kind: PriorityKind
    """What kind of statement it is."""
    position: int
    """Order within the leader's list, as the source gives it."""
    title: str
    """A short title that says no more than the excerpt."""
    description: str
    """What the source says, in a sentence or two."""
    leader: Summary
    """Who stated it."""
    country: Summary
    """The leader's country."""
    summit: Summary
    """Where it was stated."""
    themes: list[Summary]
    """The themes it touches."""
    sources: list[Citation]
    """Where the dataset has it from."""


class ValueClaim(Out):
    """One source's statement of a value. `amount` is null where that source omits it."""

    amount: float | None
    """The amount; null where the source omits the figure."""
    currency: str | None
    """ISO 4217 currency code."""
    qualifier: Qualifier | None
    """How the source qualifies the amount."""
    note: str | None
    """A curator's note, e.g. on a missing figure."""
    source_id: str
    """The source that states it."""
    excerpt: str
    """The sentence that states it, verbatim."""


class AttributeClaim(Out):
    """One source's description where sources differ (a loan in one, a grant in another)."""

    attribute: str
    """What is described, e.g. `form`."""
    value: str
    """The source's description."""
    source_id: str
    """The source that states it."""
    excerpt: str
    """The sentence that states it, verbatim."""


class Agreement(Out):
    """An agreement, declaration, deal or commitment of a summit."""

    id: str
    """The agreement's id."""
    url: str
    """This agreement's path."""
    kind: AgreementKind
    """What kind of agreement it is."""
    position: int
    """Order within the summit, as the source gives it."""
    title: str
    """Its title or a short description."""
    also_known_as: list[str]
    """Other names, each from a cited source."""
    description: str
    """What the sources say of it."""
    summit: Summary
    """The summit it belongs to."""
    parties: list[Summary]
    """The countries party to it."""
    count: int | None
    """How many documents, where a source states it."""
    fields: list[str]
    """The fields as the source lists them."""
    themes: list[Summary]
    """The themes it touches."""
    values: list[ValueClaim]
    """Each source's statement of its value."""
    claims: list[AttributeClaim]
    """Each source's description where sources differ."""
    note: str | None
    """A curator's note."""
    sources: list[Citation]
    """Where the dataset has it from."""


class Speaker(Out):
    """Who made a statement: a leader, or another person or group the source names."""

    id: str
    """The leader's id, or a slug of the speaker's name."""
    name: str
    """The speaker's name."""
    type: SpeakerType
    """A leader or another person."""
    role: str
    """The speaker's role."""
    aliases: list[str]
    """Other spellings, searchable."""
    url: str | None
    """The leader's resource; null for other speakers."""


class Statement(Out):
    """A quote or an attributed position."""

    id: str
    """The statement's id."""
    url: str
    """This statement's path."""
    kind: StatementKind
    """A quote (the speaker's own words) or a paraphrase."""
    position: int
    """Order within the summit, as the source gives it."""
    text: str
    """The quote, or the paraphrased position."""
    context: str | None
    """What the statement answers or refers to."""
    speaker: Speaker
    """Who made it."""
    country: Summary | None
    """The speaker's country; null where the source gives none."""
    summit: Summary
    """The summit it concerns."""
    sources: list[Citation]
    """Where the dataset has it from."""


class ThemeCountry(Summary):
    """One row of the country x theme matrix."""

    priority_count: int
    """The country's priorities under this theme (its own statements)."""
    endorsement_count: int
    """The country's endorsements of others' priorities under this theme."""
    agreement_count: int
    """Agreements under this theme the country is party to."""


class Theme(Out):
    """A theme of the taxonomy, with which countries name it and how often."""

    id: str
    """A short slug."""
    url: str
    """This theme's path."""
    name: str
    """The theme's name."""
    description: str
    """What the theme covers."""
    priority_count: int
    """Priorities under this theme, endorsements excluded."""
    endorsement_count: int
    """Endorsements under this theme."""
    agreement_count: int
    """Agreements under this theme."""
    countries: list[ThemeCountry]
    """Countries naming or endorsing this theme, with their counts."""


class ThemeGroup(Out):
    """What one country has under a theme."""

    country: Summary
    """The country."""
    priorities: list[Summary]
    """Its priorities under the theme (endorsements included, by kind)."""
    agreements: list[Summary]
    """Agreements under the theme it is party to."""


class ThemeDetail(Theme):
    """A theme with its records grouped by country."""

    by_country: list[ThemeGroup]
    """The priorities and agreements under this theme, grouped by country."""


class Source(Out):
    """A document the dataset cites."""

    id: str
    """The source's id."""
    url: str
    """This source's path."""
    kind: SourceKind
    """Primary, corroborating or related."""
    title: str
    """The document's title."""
    author: str | None
    """Its author, where known."""
    publisher: str
    """Who published it."""
    published: str | None
    """ISO 8601 date."""
    section: str | None
    """The publisher's section, where known."""
    web_url: str | None
    """Where the document is published, if known."""
    note: str | None
    """A curator's note."""
    citation_count: int
    """How many facts of the dataset cite it."""


class SearchHit(Out):
    """One search result."""

    type: ResourceType
    """The kind of record."""
    id: str
    """The record's id."""
    title: str
    """The record's name or title, plain text."""
    snippet: str
    """HTML: the matching text escaped, matching words in <mark>…</mark>."""
    url: str
    """The record's path."""
    score: float
    """bm25 relevance; lower is better (SQLite FTS5 convention)."""


class Page(Out, Generic[T]):
    """One page of a collection."""

    items: list[T]
    """The records of this page."""
    total: int
    """How many records match, on all pages."""
    limit: int
    """The page size asked for."""
    offset: int
    """How many matching records come before this page."""


class DatasetInfo(Out):
    """The dataset's identity."""

    version: str
    """The dataset version; bumped whenever a record changes."""
    checksum: str
    """sha256 of the validated seed records."""
    title: str
    """The dataset's title."""
    description: str
    """What it holds."""
    licence: str
    """The data licence."""
    licence_note: str
    """What the licence covers and what it does not."""
    schema_revision: str
    """The Alembic revision of the database schema."""


class Meta(Out):
    """Dataset metadata."""

    dataset: DatasetInfo
    """The dataset's identity."""
    counts: dict[str, int]
    """Records per collection."""
    sources: list[Summary]
    """Every source document."""


class Health(Out):
    """The process is up and reads the dataset it names."""

    status: str = Field(examples=["ok"])
    """`ok`."""
    dataset_version: str
    """The dataset version this process serves."""
    checksum: str
    """The checksum of the dataset this process serves (of its records, as `/meta` gives)."""
    database_sha256: str
    """The sha256 of the database file's bytes this process read at start-up and serves."""


class Index(Out):
    """The API's front page."""

    name: str
    """The API's name."""
    description: str
    """What it serves."""
    dataset_version: str
    """The dataset version served."""
    links: dict[str, str]
    """Paths of every collection, the search, the metadata and the docs."""


class ProblemDetail(Out):
    """One bad part of the request."""

    location: str
    """`path`, `query` or `header`."""
    name: str
    """The parameter's name."""
    message: str
    """What is wrong with it."""
    accepted: str | SkipJsonSchema[None] = absent()
    """What the parameter accepts, where it can be said."""


class Problem(Out):
    """RFC 9457 problem details."""

    type: str
    """A relative URI naming the kind of problem."""
    title: str
    """A short summary of the kind."""
    status: int
    """The HTTP status code."""
    detail: str
    """What went wrong with this request."""
    instance: str
    """The path that was requested."""
    errors: list[ProblemDetail] | SkipJsonSchema[None] = absent()
    """Each bad parameter; absent when the problem is not about parameters."""
