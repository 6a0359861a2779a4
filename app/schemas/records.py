"""The dataset's records as the API serves them, written out field by field."""

from typing import Annotated

from pydantic import Field

from app.schemas.base import Out
from app.vocabulary import (
    AgreementKind,
    Directness,
    EventKind,
    ParticipantRole,
    PartyRole,
    PriorityKind,
    Qualifier,
    SourceKind,
    SpeakerKind,
    SpeakerType,
    StatementKind,
)


class Summary(Out):
    """A related object, embedded: enough to show it and follow it."""

    id: str = Field(description="The related object's id.")
    name: str = Field(description="Its name or title.")
    url: str = Field(description="Its own path in this API.")


class Citation(Out):
    """A source of the fact, with its sentence verbatim."""

    source_id: str = Field(description="The id of the source document.")
    excerpt: str
    """The sentence (or clause) of the source that states it, verbatim."""
    url: str = Field(description="The source's own resource in this API.")
    title: str = Field(description="The source's title, to print the citation.")
    publisher: str = Field(description="Who published it.")
    published: str | None = Field(description="ISO 8601 date; null where unknown.")
    web_url: str | None = Field(description="Where the source is published.")


class AttributeClaim(Out):
    """One source's version of an attribute (who said it, the parties, a date, a kind, loan
    or grant): where sources differ, each is kept and the most direct is `preferred`."""

    attribute: str = Field(description="What is described, e.g. `speaker` or `instrument`.")
    value: str = Field(description="The source's version.")
    preferred: bool
    """Whether this is the version the record's main fields follow (the most direct
    source's)."""
    source_id: str = Field(description="The source that states it.")
    excerpt: str = Field(description="The sentence that states it, verbatim.")


# The fields every fact-bearing record ends with (summits, events, priorities, agreements,
# statements): its claims, whether they disagree, and its published corrections.
Disputed = Annotated[
    bool,
    Field(description="Whether the sources disagree on this record (`claims` keeps each)."),
]
Dispute = Annotated[
    str | None,
    Field(description="One line: what differs, and who says what; null where undisputed."),
]
Claims = Annotated[
    list[AttributeClaim],
    Field(description="Each source's version of an attribute, where sources differ."),
]
ChangesUrl = Annotated[
    str, Field(description="The corrections published for this record, at `/changes`.")
]


class CountryRole(Summary):
    """A country at a summit, or a summit a country attended, with the country's role."""

    role: ParticipantRole = Field(description="Host or participant.")


class CountryNames(Out):
    """A country's name in English, Russian and Chinese and in each participant's official
    languages, as CLDR (Unicode's locale data) gives it."""

    en: str = Field(description="English.")
    ru: str = Field(description="Russian.")
    zh: str = Field(description="Chinese (simplified).")
    kk: str = Field(description="Kazakh.")
    ky: str = Field(description="Kyrgyz.")
    tg: str = Field(description="Tajik.")
    tk: str = Field(description="Turkmen.")
    uz: str = Field(description="Uzbek (Latin script).")


class Country(Out):
    """A participating country."""

    id: str = Field(examples=["kg"])
    """ISO 3166-1 alpha-2, lower case: the canonical id."""
    url: str = Field(description="This country's path.")
    name: str = Field(description="The English short name.")
    alpha2: str = Field(description="ISO 3166-1 alpha-2.")
    alpha3: str = Field(description="ISO 3166-1 alpha-3.")
    numeric: str = Field(examples=["417"])
    """ISO 3166-1 numeric, as a 3-digit string."""
    capital: str = Field(description="The capital city.")
    region: str = Field(description="The region the dataset groups it in.")
    leader: Summary | None
    """The head of state at the summits; null if the dataset has none."""
    summits: list[CountryRole] = Field(description="Summits attended, with the country's role.")
    priority_count: int
    """How many records its leader has at `priorities_url`, of every kind (endorsements
    included: see `endorsement_count`)."""
    priorities_url: str = Field(description="The path of its leader's priorities.")
    endorsement_count: int
    """How many of those are endorsements of another leader's priorities
    (`priority_count - endorsement_count` is what the leader stated himself)."""
    flag: str = Field(examples=["🇰🇬"])
    """The flag emoji: the alpha-2 code as regional indicator symbols."""
    names: CountryNames = Field(description="The name in the region's languages (CLDR).")
    languages: list[str] = Field(examples=[["ky", "ru"]])
    """The country's official languages as CLDR lists them: codes of `names`."""


class Leader(Out):
    """A head of state."""

    id: str = Field(description="Slug of the common romanisation.")
    url: str = Field(description="This leader's path.")
    name: str = Field(description="The common romanisation.")
    source_spelling: str = Field(description="The name as the primary source writes it.")
    aliases: list[str] = Field(description="Other spellings, searchable.")
    title: str = Field(description="The office held.")
    country: Summary = Field(description="The leader's country.")
    priority_count: int
    """How many priorities the leader has, of every kind (endorsements included: see
    `endorsement_count`)."""
    sources: list[Citation] = Field(description="Where the dataset has it from.")
    endorsement_count: int
    """How many of those are endorsements of another leader's priorities."""


class Summit(Out):
    """A Central Asia–China summit."""

    id: str = Field(description="`city-year`.")
    url: str = Field(description="This summit's path.")
    name: str = Field(description="The summit's name.")
    ordinal: int = Field(description="1 for the first summit, 2 for the second.")
    city: str = Field(description="Where it was held.")
    date: str = Field(description="ISO 8601, reduced precision where only the month is known.")
    host: Summary = Field(description="The host country.")
    participants: list[CountryRole] = Field(description="Every participating country, host first.")
    agreement_count: int
    """How many agreements and commitments it produced in this dataset."""
    agreements_url: str = Field(description="The path of its agreements.")
    sources: list[Citation] = Field(description="Where the dataset has it from.")
    disputed: Disputed
    dispute: Dispute
    claims: Claims
    changes_url: ChangesUrl


class Priority(Out):
    """A priority, proposal, position or endorsement a leader stated at a summit."""

    id: str = Field(description="The priority's id.")
    url: str = Field(description="This priority's path.")
    kind: PriorityKind = Field(description="What kind of statement it is.")
    position: int = Field(description="Order within the leader's list, as the source gives it.")
    title: str = Field(description="A short title that says no more than the excerpt.")
    description: str = Field(description="What the source says, in a sentence or two.")
    leader: Summary = Field(description="Who stated it.")
    country: Summary = Field(description="The leader's country.")
    summit: Summary = Field(description="Where it was stated.")
    themes: list[Summary] = Field(description="The themes it touches.")
    sources: list[Citation] = Field(description="Where the dataset has it from.")
    note: str | None
    """A curator's note: why an excerpt does not name the leader, or what an endorsement
    endorses; null where there is none."""
    event: Summary | None
    """The meeting on the summit's occasion where it was stated (the talks on its eve);
    null where it was stated at the summit session itself."""

    disputed: Disputed
    dispute: Dispute
    claims: Claims
    changes_url: ChangesUrl

    @property
    def endorses(self) -> bool:
        """Whether this is an endorsement of another leader's priorities."""
        return self.kind is PriorityKind.endorsement


class ValueClaim(Out):
    """One source's statement of a value. `amount` is null where that source omits it."""

    amount: float | None = Field(description="The amount; null where the source omits the figure.")
    currency: str | None = Field(description="ISO 4217 currency code.")
    qualifier: Qualifier | None = Field(description="How the source qualifies the amount.")
    note: str | None = Field(description="A curator's note, e.g. on a missing figure.")
    preferred: bool
    """Whether a sum should count this value: one per agreement and currency, the most
    direct source's."""
    source_id: str = Field(description="The source that states it.")
    excerpt: str = Field(description="The sentence that states it, verbatim.")


class Party(Summary):
    """A country party to an agreement, with its part as the source gives it."""

    role: PartyRole = Field(description="Signatory, donor, recipient, witness, …")


class Agreement(Out):
    """An agreement, declaration, deal or commitment of a summit."""

    id: str = Field(description="The agreement's id.")
    url: str = Field(description="This agreement's path.")
    kind: AgreementKind = Field(description="What kind of agreement it is.")
    position: int = Field(description="Order within the summit, as the source gives it.")
    title: str = Field(description="Its title or a short description.")
    also_known_as: list[str] = Field(description="Other names, each from a cited source.")
    description: str = Field(description="What the sources say of it.")
    summit: Summary = Field(description="The summit it belongs to.")
    parties: list[Party] = Field(description="The countries party to it, with their roles.")
    count: int | None = Field(description="How many documents, where a source states it.")
    fields: list[str] = Field(description="The fields as the source lists them.")
    themes: list[Summary] = Field(description="The themes it touches.")
    values: list[ValueClaim] = Field(description="Each source's statement of its value.")
    note: str | None = Field(description="A curator's note.")
    sources: list[Citation] = Field(description="Where the dataset has it from.")
    event: Summary | None
    """The meeting on the summit's occasion where it was signed or announced; null where it
    is an outcome of the summit session itself."""
    disputed: Disputed
    dispute: Dispute
    claims: Claims
    changes_url: ChangesUrl

    @property
    def own_summit(self) -> Summary | None:
        """The summit whose own outcome it is: none for a meeting's on its occasion."""
        return self.summit if self.event is None else None


class Speaker(Out):
    """Who made a statement: a leader, or another person or group the source names."""

    id: str = Field(description="The leader's id, or a slug of the speaker's name.")
    name: str = Field(description="The speaker's name.")
    type: SpeakerType = Field(description="A leader or another person.")
    role: str = Field(description="The speaker's role.")
    aliases: list[str] = Field(description="Other spellings, searchable.")
    url: str | None = Field(description="The leader's resource; null for other speakers.")
    kind: SpeakerKind = Field(description="Head of state, official, analyst, author or experts.")


class Statement(Out):
    """A quote or an attributed position."""

    id: str = Field(description="The statement's id.")
    url: str = Field(description="This statement's path.")
    kind: StatementKind = Field(description="A quote (the speaker's own words) or a paraphrase.")
    position: int = Field(description="Order within the summit, as the source gives it.")
    text: str = Field(description="The quote, or the paraphrased position.")
    context: str | None = Field(description="What the statement answers or refers to.")
    speaker: Speaker = Field(description="Who made it.")
    country: Summary | None
    """The speaker's country; null where the source gives none."""
    summit: Summary = Field(description="The summit it concerns.")
    sources: list[Citation] = Field(description="Where the dataset has it from.")
    note: str | None
    """A curator's note: why the excerpt does not name the speaker, naming them; null where
    there is none."""
    event: Summary | None
    """The meeting on the summit's occasion where it was said (the talks on its eve); null
    where it was said at the summit session itself."""
    disputed: Disputed
    dispute: Dispute
    claims: Claims
    changes_url: ChangesUrl


class Event(Out):
    """A meeting held on a summit's occasion: what happened there is not the summit's."""

    id: str = Field(description="The event's id.")
    url: str = Field(description="This event's path.")
    kind: EventKind = Field(description="Bilateral talks, a bilateral meeting, a forum, …")
    name: str = Field(description="The event's name.")
    date: str = Field(description="ISO 8601 date.")
    place: str = Field(description="Where it was held.")
    summit: Summary = Field(description="The summit it was held on the occasion of.")
    participants: list[Summary] = Field(description="The countries taking part.")
    description: str = Field(description="What the sources say of it.")
    sources: list[Citation] = Field(description="Where the dataset has it from.")
    note: str | None = Field(description="A curator's note; null where there is none.")
    disputed: Disputed
    dispute: Dispute
    claims: Claims
    changes_url: ChangesUrl


class ThemeCountry(Summary):
    """One row of the country x theme matrix."""

    priority_count: int
    """The country's priorities under this theme (its own statements)."""
    endorsement_count: int
    """The country's endorsements of others' priorities under this theme."""
    agreement_count: int = Field(description="Agreements under this theme the country is party to.")


class Theme(Out):
    """A theme of the taxonomy, with which countries name it and how often."""

    id: str = Field(description="A short slug.")
    url: str = Field(description="This theme's path.")
    name: str = Field(description="The theme's name.")
    description: str = Field(description="What the theme covers.")
    priority_count: int = Field(description="Priorities under this theme, endorsements excluded.")
    endorsement_count: int = Field(description="Endorsements under this theme.")
    agreement_count: int = Field(description="Agreements under this theme.")
    countries: list[ThemeCountry]
    """Countries naming or endorsing this theme, with their counts."""


class ThemeGroup(Out):
    """What one country has under a theme."""

    country: Summary = Field(description="The country.")
    priorities: list[Summary]
    """Its priorities under the theme (endorsements included, by kind)."""
    agreements: list[Summary] = Field(description="Agreements under the theme it is party to.")


class ThemeDetail(Theme):
    """A theme with its records grouped by country."""

    by_country: list[ThemeGroup]
    """The priorities and agreements under this theme, grouped by country."""


class Source(Out):
    """A document the dataset cites."""

    id: str = Field(description="The source's id.")
    url: str = Field(description="This source's path.")
    kind: SourceKind = Field(description="Primary, corroborating or related.")
    directness: Directness
    """How close it stands to what it reports: a leader's own text, his press service's
    readout, an agency's report, a later analysis (or a related article, not cited)."""
    title: str = Field(description="The document's title.")
    author: str | None = Field(description="Its author, where known.")
    publisher: str = Field(description="Who published it.")
    published: str | None = Field(description="ISO 8601 date.")
    published_inferred: bool
    """Whether `published` is inferred (the page shows no date)."""
    section: str | None = Field(description="The publisher's section, where known.")
    web_url: str | None = Field(description="Where the document is published, if known.")
    note: str | None = Field(description="A curator's note.")
    citation_count: int = Field(description="How many facts of the dataset cite it.")


class Change(Out):
    """A published correction: what a dataset version changed in a record, and why."""

    version: str = Field(description="The dataset version that made the change.")
    collection: str = Field(description="The record's collection.")
    record: str = Field(description="The record's id (a retired id keeps its entries).")
    record_url: str = Field(description="The record's path (a retired id answers 410 or 301).")
    field: str = Field(description="The field changed; `id` where the id was retired.")
    before: str | None = Field(description="What the field said; null: it is new.")
    after: str | None = Field(description="What it says now; null: it is gone.")
    why: str = Field(description="Why, in one sentence.")
    source_id: str = Field(description="The source that shows it.")
    source_url: str = Field(description="That source's path.")
