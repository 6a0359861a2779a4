"""What the data package says of each table and column, written once: titles, descriptions,
closed value sets and the few types SQLite does not declare. The tables' columns, SQL types,
keys and references come from the database itself (app/dataset/package.py)."""

from dataclasses import dataclass, field
from enum import StrEnum

from app.vocabulary import (
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

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    description: str
    values: type[StrEnum] | None = None  # a closed value set
    type: str | None = None  # a Table Schema type where the SQL type says less
    required: bool = False  # where SQLite's column is nullable only for how it was added


@dataclass(frozen=True)
class TableText:
    title: str
    description: str
    columns: dict[str, Column] = field(default_factory=dict)


C = Column
POSITION = C("Order, as the source gives it (0-based).")
# The seeds number these themselves, from 1 (seeds/README.md): the package says so.
PRIORITY_POSITION = C("Order within the leader's list at that summit (1-based).")
RECORD_POSITION = C("Order, as the article reports it (1-based).")
EVENT = C("The meeting on the summit's occasion where it happened; empty: the summit session.")
DISPUTE = C("One line: what the sources disagree on; empty where nothing is disputed.")
PREFERRED = C("Whether this is the preferred (most direct) claim: sum or count only these.")
LIST = f"a list, `{LIST_SEPARATOR}`-separated"

# The package's tables, in its order: every table of the database but the build's own
# (EXCLUDED); tests/test_downloads.py checks that no table is left out unsaid.
TABLES: dict[str, TableText] = {
    "summits": TableText(
        "Summits",
        "One row per summit.",
        {
            "id": C("The summit's id."),
            "ordinal": C("1 for the first summit, 2 for the second."),
            "name": C("The summit's name."),
            "city": C("The host city."),
            "host_id": C("The host country."),
            "date": C("ISO 8601: a day (YYYY-MM-DD) or, where only that is known, a month."),
            "dispute": DISPUTE,
        },
    ),
    "events": TableText(
        "Events",
        "One row per meeting held on a summit's occasion (the talks on its eve, a bilateral "
        "meeting on its sidelines): what happened there is not the summit session's.",
        {
            "id": C("The event's id."),
            "position": POSITION,
            "summit_id": C("The summit it was held on the occasion of."),
            "kind": C("What kind of meeting it was.", EventKind),
            "name": C("The event's name."),
            "date": C("ISO 8601 date."),
            "place": C("Where it was held."),
            "participants": C(f"The countries taking part, {LIST}."),
            "description": C("What the sources say of it."),
            "note": C("A curator's note; or empty."),
            "dispute": DISPUTE,
        },
    ),
    "countries": TableText(
        "Countries",
        "One row per participating country.",
        {
            "id": C("ISO 3166-1 alpha-2, lower case: the canonical id."),
            "position": POSITION,
            "alpha2": C("ISO 3166-1 alpha-2."),
            "alpha3": C("ISO 3166-1 alpha-3."),
            "numeric": C("ISO 3166-1 numeric, three digits (text: leading zeros kept)."),
            "name": C("The English short name."),
            "capital": C("The capital."),
            "region": C("The region."),
        },
    ),
    "leaders": TableText(
        "Leaders",
        "One row per head of state.",
        {
            "id": C("The leader's id."),
            "position": POSITION,
            "name": C("The name in the dataset's transliteration."),
            "source_spelling": C("The name as the primary source spells it."),
            "aliases": C(f"Other spellings, {LIST}."),
            "title": C("The office held."),
            "country_id": C("The leader's country."),
        },
    ),
    "priorities": TableText(
        "Priorities",
        "One row per priority, proposal, position or endorsement a leader put forward.",
        {
            "id": C("The priority's id."),
            "leader_id": C("The leader who put it forward."),
            "summit_id": C("The summit."),
            "position": PRIORITY_POSITION,
            "kind": C("What the leader put forward.", PriorityKind),
            "title": C("A short title."),
            "description": C("What the sources say of it."),
            "note": C("A curator's note: why an excerpt does not name the leader; or empty."),
            "event_id": EVENT,
            "dispute": DISPUTE,
            "country_id": C(
                "The leader's country (the `.db` view `priorities_by_country` names it).",
                required=True,
            ),
        },
    ),
    "agreements": TableText(
        "Agreements",
        "One row per agreement, declaration, deal or commitment of a summit.",
        {
            "id": C("The agreement's id."),
            "summit_id": C("The summit."),
            "position": RECORD_POSITION,
            "kind": C("What kind of agreement it is.", AgreementKind),
            "title": C("Its title or a short description."),
            "also_known_as": C(f"Other names, each from a cited source, {LIST}."),
            "description": C("What the sources say of it."),
            "count": C("How many documents, where a source states it; empty otherwise."),
            "fields": C(f"The fields as the source lists them, {LIST}."),
            "note": C("A curator's note."),
            "event_id": EVENT,
            "dispute": DISPUTE,
        },
    ),
    "statements": TableText(
        "Statements",
        "One row per quote or attributed position.",
        {
            "id": C("The statement's id."),
            "summit_id": C("The summit it concerns."),
            "position": RECORD_POSITION,
            "kind": C("A quote (the speaker's own words) or a paraphrase.", StatementKind),
            "text": C("The quote, or the paraphrased position."),
            "context": C("What the statement answers or refers to."),
            "leader_id": C("The speaker, where the speaker is one of the leaders."),
            "speaker_id": C("The speaker's id (a leader's id, or a slug of the name)."),
            "speaker_name": C("The speaker's name as the dataset gives it."),
            "speaker_aliases": C(f"Other spellings of the speaker's name, {LIST}."),
            "speaker_role": C("The speaker's role."),
            "speaker_country_id": C("The speaker's country; empty where the source gives none."),
            "note": C("A curator's note: why the excerpt does not name the speaker; or empty."),
            "event_id": EVENT,
            "speaker_kind": C("Head of state, official, analyst, author or experts.", SpeakerKind),
            "dispute": DISPUTE,
        },
    ),
    "themes": TableText(
        "Themes",
        "One row per theme of the taxonomy.",
        {
            "id": C("A short slug."),
            "position": POSITION,
            "name": C("The theme's name."),
            "description": C("What the theme covers."),
        },
    ),
    "sources": TableText(
        "Sources",
        "One row per document the dataset cites.",
        {
            "id": C("The source's id."),
            "position": POSITION,
            "kind": C("Primary, corroborating or related.", SourceKind),
            "title": C("The document's title."),
            "author": C("The author, where named."),
            "publisher": C("The publisher."),
            "published": C("The publication date.", type="date"),
            "section": C("The section or rubric."),
            "url": C("The document's address."),
            "note": C("A curator's note."),
            "directness": C("How close it stands to what it reports.", Directness),
            "published_inferred": C("Whether the date is inferred (the page shows none)."),
        },
    ),
    "citations": TableText(
        "Citations",
        "One row per source of a fact-bearing record: which document, and the sentence that "
        "states it, verbatim. The excerpts remain their publishers' and are quoted for "
        "citation; they are not covered by the data's licence.",
        {
            "record_type": C("The kind of record cited for.", ResourceType),
            "record_id": C("The record's id in the table of its `record_type` (plural)."),
            "position": POSITION,
            "source_id": C("The source document."),
            "excerpt": C("The sentence (or clause) of the source that states it, verbatim."),
        },
    ),
    "agreement_values": TableText(
        "Agreement values",
        "One row per source's statement of an agreement's monetary value.",
        {
            "agreement_id": C("The agreement."),
            "position": POSITION,
            "amount": C("The amount; empty where the source omits the figure."),
            "currency": C("ISO 4217 currency code; empty where the source gives none."),
            "qualifier": C("How the source qualifies the amount.", Qualifier),
            "note": C("A curator's note, e.g. on a missing figure."),
            "source_id": C("The source that states it."),
            "excerpt": C("The sentence that states it, verbatim (its publisher's)."),
            "preferred": PREFERRED,
        },
    ),
    "agreement_claims": TableText(
        "Agreement claims",
        "One row per source's description of an agreement where sources differ.",
        {
            "agreement_id": C("The agreement."),
            "position": POSITION,
            "attribute": C("What is described, e.g. `form`."),
            "value": C("The source's description."),
            "source_id": C("The source that states it."),
            "excerpt": C("The sentence that states it, verbatim (its publisher's)."),
            "preferred": PREFERRED,
        },
    ),
    "claims": TableText(
        "Claims",
        "One row per source's version of an attribute of a summit, event, priority or "
        "statement (who said it, where, a date, a kind) where the record keeps more than one "
        "(agreements keep theirs in agreement_claims).",
        {
            "record_type": C("The kind of record.", ResourceType),
            "record_id": C("The record's id in the table of its `record_type` (plural)."),
            "position": POSITION,
            "attribute": C("What is described, e.g. `speaker`."),
            "value": C("The source's version."),
            "preferred": PREFERRED,
            "source_id": C("The source that states it."),
            "excerpt": C("The sentence that states it, verbatim (its publisher's)."),
        },
    ),
    "agreement_parties": TableText(
        "Agreement parties",
        "One row per country party to an agreement.",
        {
            "agreement_id": C("The agreement."),
            "country_id": C("A country party to it."),
            "position": POSITION,
            "role": C("Its part, as the source gives it.", PartyRole),
        },
    ),
    "agreement_themes": TableText(
        "Agreement themes",
        "One row per theme an agreement touches.",
        {
            "agreement_id": C("The agreement."),
            "theme_id": C("A theme it touches."),
            "position": POSITION,
        },
    ),
    "priority_themes": TableText(
        "Priority themes",
        "One row per theme a priority falls under.",
        {
            "priority_id": C("The priority."),
            "theme_id": C("A theme it falls under."),
            "position": POSITION,
        },
    ),
    "summit_participants": TableText(
        "Summit participants",
        "One row per country at a summit.",
        {
            "summit_id": C("The summit."),
            "country_id": C("A country at it."),
            "role": C("Host or participant.", ParticipantRole),
        },
    ),
    "retired": TableText(
        "Retired ids",
        "One row per id that was published and is no longer served (it answers 410 Gone, or "
        "301 to a renamed record), with where its fact now lives.",
        {
            "collection": C("The collection the id lived in."),
            "id": C("The retired id."),
            "position": POSITION,
            "successor_collection": C("The collection its fact now lives in; or empty."),
            "successor": C("The id its fact now lives under; or empty."),
            "reason": C("Why it was retired."),
            "retired_in": C("The dataset version that retired it."),
        },
    ),
    "changes": TableText(
        "Changes",
        "One row per published correction: what a dataset version changed in a record's "
        "field, before and after, why, and the source that shows it.",
        {
            "position": POSITION,
            "version": C("The dataset version that made the change."),
            "collection": C("The record's collection."),
            "record": C("The record's id (a retired id keeps its entries)."),
            "field": C("The field changed; `id` where the id was retired."),
            "before": C("What the field said; empty: the field is new."),
            "after": C("What it says now; empty: the field is gone."),
            "why": C("Why, in one sentence."),
            "source_id": C("The source that shows it."),
        },
    ),
}
# The build's own tables: its metadata (in the package's own properties), the migration
# revision, and the full-text index with SQLite's shadow tables.
EXCLUDED = frozenset(
    {"dataset_meta", "alembic_version"}
    | {"search", *(f"search_{s}" for s in ("config", "content", "data", "docsize", "idx"))}
)

MATRIX = TableText(
    "Theme matrix",
    "The country x theme matrix in long form (the heatmap of GET /themes): one row per "
    "theme and country that has it; a missing pair is zero. A priority counts for its "
    "leader's country; an agreement for each party.",
    {
        "theme_id": C("The theme."),
        "theme_name": C("The theme's name."),
        "country_id": C("The country."),
        "country_name": C("The country's name."),
        "priority_count": C("The country's priorities under this theme (its own)."),
        "endorsement_count": C("The country's endorsements of others' priorities here."),
        "agreement_count": C("Agreements under this theme the country is party to."),
    },
)
