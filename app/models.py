"""SQLModel tables: the storage shape of the dataset.

The public representation lives in `schemas.py`; these tables may change without
changing the API. Ordered lists keep the source's order in a `position` column.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class DatasetMeta(SQLModel, table=True):
    """Key/value facts about the build: version, checksum, licence."""

    __tablename__ = "dataset_meta"
    key: str = Field(primary_key=True)
    value: str


class Source(SQLModel, table=True):
    __tablename__ = "sources"
    id: str = Field(primary_key=True)
    position: int
    kind: str
    directness: str
    title: str
    author: str | None = None
    publisher: str
    published: str | None = None
    published_inferred: bool = False
    section: str | None = None
    url: str | None = None
    note: str | None = None


class Theme(SQLModel, table=True):
    __tablename__ = "themes"
    id: str = Field(primary_key=True)
    position: int
    name: str
    description: str


class Country(SQLModel, table=True):
    __tablename__ = "countries"
    id: str = Field(primary_key=True)
    position: int
    alpha2: str = Field(unique=True)
    alpha3: str = Field(unique=True)
    numeric: str = Field(unique=True)
    name: str = Field(unique=True)
    capital: str
    region: str


class Summit(SQLModel, table=True):
    __tablename__ = "summits"
    id: str = Field(primary_key=True)
    ordinal: int
    name: str
    city: str
    host_id: str = Field(foreign_key="countries.id")
    date: str
    dispute: str | None = None


class Event(SQLModel, table=True):
    """A meeting on a summit's occasion (the talks on its eve): its facts are not the
    summit's."""

    __tablename__ = "events"
    id: str = Field(primary_key=True)
    position: int
    summit_id: str = Field(foreign_key="summits.id", index=True)
    kind: str
    name: str
    date: str
    place: str
    participants: list[str] = Field(sa_column=Column(JSON, nullable=False))
    description: str
    note: str | None = None
    dispute: str | None = None


class SummitParticipant(SQLModel, table=True):
    __tablename__ = "summit_participants"
    summit_id: str = Field(foreign_key="summits.id", primary_key=True)
    country_id: str = Field(foreign_key="countries.id", primary_key=True)
    role: str


class Leader(SQLModel, table=True):
    __tablename__ = "leaders"
    id: str = Field(primary_key=True)
    position: int
    name: str
    source_spelling: str
    aliases: list[str] = Field(sa_column=Column(JSON, nullable=False))
    title: str
    country_id: str = Field(foreign_key="countries.id", index=True)


class Priority(SQLModel, table=True):
    __tablename__ = "priorities"
    id: str = Field(primary_key=True)
    leader_id: str = Field(foreign_key="leaders.id", index=True)
    summit_id: str = Field(foreign_key="summits.id", index=True)
    event_id: str | None = Field(default=None, foreign_key="events.id")
    position: int
    kind: str
    title: str
    description: str
    note: str | None = None
    dispute: str | None = None
    # The leader's country, so that a table or a view needs no join to say whose it is.
    # Nullable only because SQLite adds a referencing column so (migration 0005); always set.
    country_id: str | None = Field(default=None, foreign_key="countries.id", index=True)


class PriorityTheme(SQLModel, table=True):
    __tablename__ = "priority_themes"
    priority_id: str = Field(foreign_key="priorities.id", primary_key=True)
    theme_id: str = Field(foreign_key="themes.id", primary_key=True, index=True)
    position: int


class Agreement(SQLModel, table=True):
    __tablename__ = "agreements"
    id: str = Field(primary_key=True)
    summit_id: str = Field(foreign_key="summits.id", index=True)
    event_id: str | None = Field(default=None, foreign_key="events.id")
    position: int
    kind: str
    title: str
    also_known_as: list[str] = Field(sa_column=Column(JSON, nullable=False))
    description: str
    count: int | None = None
    fields: list[str] = Field(sa_column=Column(JSON, nullable=False))
    note: str | None = None
    dispute: str | None = None


class AgreementParty(SQLModel, table=True):
    __tablename__ = "agreement_parties"
    agreement_id: str = Field(foreign_key="agreements.id", primary_key=True)
    country_id: str = Field(foreign_key="countries.id", primary_key=True, index=True)
    position: int
    role: str


class AgreementTheme(SQLModel, table=True):
    __tablename__ = "agreement_themes"
    agreement_id: str = Field(foreign_key="agreements.id", primary_key=True)
    theme_id: str = Field(foreign_key="themes.id", primary_key=True, index=True)
    position: int


class AgreementValue(SQLModel, table=True):
    """One source's claim about an agreement's monetary value; amount is NULL when unstated."""

    __tablename__ = "agreement_values"
    agreement_id: str = Field(foreign_key="agreements.id", primary_key=True)
    position: int = Field(primary_key=True)
    amount: float | None = None
    currency: str | None = None
    qualifier: str | None = None
    note: str | None = None
    preferred: bool
    source_id: str = Field(foreign_key="sources.id")
    excerpt: str


class AgreementClaim(SQLModel, table=True):
    """One source's description of an attribute where sources differ (a loan or a grant)."""

    __tablename__ = "agreement_claims"
    agreement_id: str = Field(foreign_key="agreements.id", primary_key=True)
    position: int = Field(primary_key=True)
    attribute: str
    value: str
    preferred: bool
    source_id: str = Field(foreign_key="sources.id")
    excerpt: str


class Claim(SQLModel, table=True):
    """One source's version of an attribute of a summit, event, priority or statement
    (agreements keep theirs in agreement_claims); `preferred` marks the most direct."""

    __tablename__ = "claims"
    record_type: str = Field(primary_key=True)
    record_id: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    attribute: str
    value: str
    preferred: bool
    source_id: str = Field(foreign_key="sources.id", index=True)
    excerpt: str


class Statement(SQLModel, table=True):
    """A quote or attributed position. The speaker is a leader, or a person named inline."""

    __tablename__ = "statements"
    id: str = Field(primary_key=True)
    summit_id: str = Field(foreign_key="summits.id", index=True)
    event_id: str | None = Field(default=None, foreign_key="events.id")
    position: int
    kind: str
    text: str
    context: str | None = None
    leader_id: str | None = Field(default=None, foreign_key="leaders.id", index=True)
    speaker_id: str
    speaker_name: str
    speaker_aliases: list[str] = Field(sa_column=Column(JSON, nullable=False))
    speaker_role: str
    speaker_kind: str
    speaker_country_id: str | None = Field(default=None, foreign_key="countries.id", index=True)
    note: str | None = None
    dispute: str | None = None


class Citation(SQLModel, table=True):
    """The sources of a fact-bearing record: which document, and its verbatim sentence."""

    __tablename__ = "citations"
    record_type: str = Field(primary_key=True)
    record_id: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    source_id: str = Field(foreign_key="sources.id", index=True)
    excerpt: str


class Retired(SQLModel, table=True):
    """An id that was published and is no longer served, and where its fact now lives.

    No foreign key to the successor: it may be in any collection (checked by the build).
    """

    __tablename__ = "retired"
    collection: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    position: int
    successor_collection: str | None = None
    successor: str | None = None
    reason: str
    retired_in: str


class Change(SQLModel, table=True):
    """A published correction: what a dataset version changed in a record, and why."""

    __tablename__ = "changes"
    position: int = Field(primary_key=True)
    version: str = Field(index=True)
    collection: str
    record: str = Field(index=True)
    field: str
    before: str | None = None  # none: the field is new
    after: str | None = None  # none: the field is gone
    why: str
    source_id: str = Field(foreign_key="sources.id")
