"""The seed models: one strict pydantic model per seed file, its closed value sets taken
from app.vocabulary, and what each record references and cites.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.vocabulary import (
    RESOURCES,
    AgreementKind,
    ParticipantRole,
    PriorityKind,
    Qualifier,
    ResourceType,
    SourceKind,
    StatementKind,
)

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# The models are strict; an enum field takes its value from the TOML string.
Lax = Strict(False)

# (field path, collection referred to, id or None) and (field path, source id, excerpt)
Reference = tuple[str, str, str | None]
Excerpt = tuple[str, str, str]


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


class Record(SeedModel):
    """One record of a seed file, known by its id."""

    id: Slug

    def references(self) -> Iterator[Reference]:
        """The ids of other records this one names."""
        return iter(())

    def excerpts(self) -> Iterator[Excerpt]:
        """The verbatim sentences this record cites."""
        return iter(())


class Citation(SeedModel):
    source_id: Slug
    excerpt: Text


class Cited(Record):
    sources: list[Citation] = Field(min_length=1)

    def excerpts(self) -> Iterator[Excerpt]:
        for i, c in enumerate(self.sources):
            yield f"sources[{i}]", c.source_id, c.excerpt


class DatasetSeed(SeedModel):
    version: Name
    title: Name
    description: Text
    licence: Name
    licence_note: Text


class SourceSeed(Record):
    kind: Annotated[SourceKind, Lax]
    title: Name
    author: Name | None = None
    publisher: Name
    published: date | None = None
    section: Name | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    note: Text | None = None


class ThemeSeed(Record):
    name: Name
    description: Text


class CountrySeed(Record):
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
    role: Annotated[ParticipantRole, Lax]


class SummitSeed(Cited):
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

    def references(self) -> Iterator[Reference]:
        yield "host", "countries", self.host
        for i, p in enumerate(self.participants):
            yield f"participants[{i}].country", "countries", p.country


class LeaderSeed(Cited):
    name: Name
    source_spelling: Name
    aliases: list[Name] = Field(default_factory=list)
    title: Name
    country: Slug

    def references(self) -> Iterator[Reference]:
        yield "country", "countries", self.country


class PrioritySeed(Cited):
    leader: Slug
    summit: Slug
    position: int = Field(ge=1)
    kind: Annotated[PriorityKind, Lax]
    title: Name
    description: Text
    themes: Slugs = Field(min_length=1)
    note: Text | None = None  # why an excerpt does not name the leader (seeds/README.md)

    def references(self) -> Iterator[Reference]:
        yield "leader", "leaders", self.leader
        yield "summit", "summits", self.summit
        for i, t in enumerate(self.themes):
            yield f"themes[{i}]", "themes", t


class ValueClaim(SeedModel):
    amount: float | int | None = Field(default=None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    qualifier: Annotated[Qualifier, Lax] | None = None
    note: Text | None = None
    source_id: Slug
    excerpt: Text


class AttributeClaim(SeedModel):
    attribute: Slug
    value: Name
    source_id: Slug
    excerpt: Text


class AgreementSeed(Cited):
    summit: Slug
    position: int = Field(ge=1)
    kind: Annotated[AgreementKind, Lax]
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

    def references(self) -> Iterator[Reference]:
        yield "summit", "summits", self.summit
        for i, c in enumerate(self.parties):
            yield f"parties[{i}]", "countries", c
        for i, t in enumerate(self.themes):
            yield f"themes[{i}]", "themes", t

    def excerpts(self) -> Iterator[Excerpt]:
        yield from super().excerpts()
        for i, v in enumerate(self.values):
            yield f"values[{i}]", v.source_id, v.excerpt
        for i, cl in enumerate(self.claims):
            yield f"claims[{i}]", cl.source_id, cl.excerpt


class Speaker(SeedModel):
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    role: Name
    country: Slug | None = None  # left out where the source gives none (the author, experts)

    @property
    def slug(self) -> str:
        """The name in lower-case ASCII words joined by hyphens: "andrej-cebotarev"."""
        ascii_name = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


class StatementSeed(Cited):
    summit: Slug
    position: int = Field(ge=1)
    kind: Annotated[StatementKind, Lax]
    text: Text
    context: Text | None = None
    note: Text | None = None  # why the excerpt does not name the speaker
    leader: Slug | None = None
    speaker: Speaker | None = None

    @model_validator(mode="after")
    def _one_speaker(self) -> StatementSeed:
        if (self.leader is None) == (self.speaker is None):
            raise ValueError("give exactly one of 'leader' (a leader id) or 'speaker' (a table)")
        return self

    def references(self) -> Iterator[Reference]:
        yield "summit", "summits", self.summit
        yield "leader", "leaders", self.leader
        if self.speaker is not None:
            yield "speaker.country", "countries", self.speaker.country


MODELS: dict[ResourceType, type[Record]] = {
    ResourceType.source: SourceSeed,
    ResourceType.theme: ThemeSeed,
    ResourceType.country: CountrySeed,
    ResourceType.summit: SummitSeed,
    ResourceType.leader: LeaderSeed,
    ResourceType.priority: PrioritySeed,
    ResourceType.agreement: AgreementSeed,
    ResourceType.statement: StatementSeed,
}
COLLECTION = {MODELS[r.type]: r.collection for r in RESOURCES}
