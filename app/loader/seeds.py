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
    BeforeValidator,
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
    Directness,
    EventKind,
    ParticipantRole,
    PartyRole,
    PriorityKind,
    Qualifier,
    ResourceType,
    SourceKind,
    SpeakerKind,
    StatementKind,
)

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
# One line: what the sources disagree on.
Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400, pattern=r"^[^\n]+$")
]
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
    directness: Annotated[Directness, Lax]
    title: Title
    author: Name | None = None
    publisher: Name
    published: date | None = None
    published_inferred: bool = False  # the date is not on the page (the source notes say how)
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


IsoDate = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"),
    AfterValidator(_calendar_date),
]


class AttributeClaim(SeedModel):
    """One source's version of one attribute (who said it, the parties, a date, a kind)."""

    attribute: Slug
    value: Name
    preferred: bool = False
    source_id: Slug
    excerpt: Text


class Disputable(Cited):
    """A fact-bearing record: its claims where sources differ, the preferred one marked, and
    a one-line `dispute` exactly when they disagree (seeds/README.md)."""

    claims: list[AttributeClaim] = Field(default_factory=list)
    dispute: Line | None = None

    @model_validator(mode="after")
    def _dispute_matches_claims(self) -> Disputable:
        disagreeing = []
        for attribute in dict.fromkeys(c.attribute for c in self.claims):
            mine = [c for c in self.claims if c.attribute == attribute]
            preferred = sum(c.preferred for c in mine)
            if preferred > 1:
                raise ValueError(f"claims on {attribute!r}: more than one is preferred")
            differ = len({c.value for c in mine}) > 1
            if differ:
                disagreeing.append(attribute)
            # A lone or agreed claim is preferred too: `WHERE preferred` counts each fact once.
            if preferred != 1:
                how = "differ" if differ else "agree (or stand alone)"
                raise ValueError(f"claims on {attribute!r} {how}: mark one preferred")
        if disagreeing and self.dispute is None:
            raise ValueError(f"claims on {', '.join(disagreeing)} differ: say how in 'dispute'")
        if self.dispute is not None and not disagreeing:
            raise ValueError("'dispute' needs claims that differ on some attribute")
        return self

    def excerpts(self) -> Iterator[Excerpt]:
        yield from super().excerpts()
        for i, cl in enumerate(self.claims):
            yield f"claims[{i}]", cl.source_id, cl.excerpt


class SummitSeed(Disputable):
    name: Name
    ordinal: int = Field(ge=1)
    city: Name
    host: Slug
    date: IsoDate
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


class EventSeed(Disputable):
    """A meeting held on a summit's occasion: a fact there is not the summit's."""

    summit: Slug
    kind: Annotated[EventKind, Lax]
    name: Name
    date: IsoDate
    place: Name
    participants: Slugs = Field(min_length=1)
    description: Text
    note: Text | None = None

    def references(self) -> Iterator[Reference]:
        yield "summit", "summits", self.summit
        for i, c in enumerate(self.participants):
            yield f"participants[{i}]", "countries", c


class LeaderSeed(Cited):
    name: Name
    source_spelling: Name
    aliases: list[Name] = Field(default_factory=list)
    title: Name
    country: Slug

    def references(self) -> Iterator[Reference]:
        yield "country", "countries", self.country


class PrioritySeed(Disputable):
    leader: Slug
    summit: Slug
    event: Slug | None = None  # absent: stated at the summit session itself
    position: int = Field(ge=1)
    kind: Annotated[PriorityKind, Lax]
    title: Name
    description: Text
    themes: Slugs = Field(min_length=1)
    note: Text | None = None  # why an excerpt does not name the leader (seeds/README.md)

    def references(self) -> Iterator[Reference]:
        yield "leader", "leaders", self.leader
        yield "summit", "summits", self.summit
        yield "event", "events", self.event
        for i, t in enumerate(self.themes):
            yield f"themes[{i}]", "themes", t


class ValueClaim(SeedModel):
    amount: float | int | None = Field(default=None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    qualifier: Annotated[Qualifier, Lax] | None = None
    note: Text | None = None
    preferred: bool = False  # per currency, the one a sum should count
    source_id: Slug
    excerpt: Text


class Party(SeedModel):
    country: Slug
    role: Annotated[PartyRole, Lax] = PartyRole.party


def _party(value: object) -> object:
    """A bare country id is a party of no more specific role."""
    return {"country": value} if isinstance(value, str) else value


def _distinct_parties(value: list[Party]) -> list[Party]:
    _distinct([p.country for p in value])
    return value


Parties = Annotated[
    list[Annotated[Party, BeforeValidator(_party)]], AfterValidator(_distinct_parties)
]


class AgreementSeed(Disputable):
    summit: Slug
    event: Slug | None = None  # absent: an outcome of the summit session itself
    position: int = Field(ge=1)
    kind: Annotated[AgreementKind, Lax]
    title: Name
    also_known_as: list[Name] = Field(default_factory=list)
    description: Text
    parties: Parties = Field(min_length=1)
    count: int | None = Field(default=None, ge=1)
    fields: list[Name] = Field(default_factory=list)
    themes: Slugs = Field(min_length=1)
    note: Text | None = None
    values: list[ValueClaim] = Field(default_factory=list)

    @field_validator("values")
    @classmethod
    def _one_preferred_per_currency(cls, value: list[ValueClaim]) -> list[ValueClaim]:
        for currency in {v.currency for v in value if v.amount is not None}:
            mine = [v for v in value if v.currency == currency and v.amount is not None]
            if sum(v.preferred for v in mine) != 1:
                raise ValueError(f"mark exactly one {currency} value preferred")
        return value

    def references(self) -> Iterator[Reference]:
        yield "summit", "summits", self.summit
        yield "event", "events", self.event
        for i, c in enumerate(self.parties):
            yield f"parties[{i}].country", "countries", c.country
        for i, t in enumerate(self.themes):
            yield f"themes[{i}]", "themes", t

    def excerpts(self) -> Iterator[Excerpt]:
        yield from super().excerpts()
        for i, v in enumerate(self.values):
            yield f"values[{i}]", v.source_id, v.excerpt


class Speaker(SeedModel):
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    role: Name
    kind: Annotated[SpeakerKind, Lax]
    country: Slug | None = None  # left out where the source gives none (the author, experts)

    @property
    def slug(self) -> str:
        """The name in lower-case ASCII words joined by hyphens: "andrej-cebotarev"."""
        ascii_name = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


class StatementSeed(Disputable):
    summit: Slug
    event: Slug | None = None  # absent: said at the summit session itself
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
        yield "event", "events", self.event
        yield "leader", "leaders", self.leader
        if self.speaker is not None:
            yield "speaker.country", "countries", self.speaker.country


MODELS: dict[ResourceType, type[Record]] = {
    ResourceType.source: SourceSeed,
    ResourceType.theme: ThemeSeed,
    ResourceType.country: CountrySeed,
    ResourceType.summit: SummitSeed,
    ResourceType.event: EventSeed,
    ResourceType.leader: LeaderSeed,
    ResourceType.priority: PrioritySeed,
    ResourceType.agreement: AgreementSeed,
    ResourceType.statement: StatementSeed,
}
COLLECTION = {MODELS[r.type]: r.collection for r in RESOURCES}
