"""Every closed value set of the dataset, written once, and the one list of resources.

The seed models (app/loader), the response models (app/schemas.py), the query models
(app/routes) and the OpenAPI document all take their kinds from here, so a new kind is
one line in one place.
"""

from dataclasses import dataclass
from enum import StrEnum


class SourceKind(StrEnum):
    """How a source stands to the dataset: the commissioned text, a corroboration, or a
    related article it lists."""

    primary = "primary"
    corroborating = "corroborating"
    related = "related"


class Directness(StrEnum):
    """How close a source stands to what it reports, most direct first
    (seeds/README.md, "How the sources are weighed")."""

    official_text = "official-text"
    official_readout = "official-readout"
    agency_report = "agency-report"
    analysis = "analysis"
    related = "related"


class EventKind(StrEnum):
    """Where a fact happened: the summit session itself, or a meeting on its occasion."""

    summit_session = "summit-session"
    bilateral_talks = "bilateral-talks"
    bilateral_meeting = "bilateral-meeting"
    forum = "forum"


class PartyRole(StrEnum):
    """A country's part in an agreement or commitment, as the source gives it."""

    signatory = "signatory"
    party = "party"
    donor = "donor"
    recipient = "recipient"
    witness = "witness"
    participant = "participant"


class SpeakerKind(StrEnum):
    """What a speaker is: a head of state, an official, an analyst, the article's author,
    or experts the source does not name."""

    head_of_state = "head-of-state"
    official = "official"
    analyst = "analyst"
    author = "author"
    experts = "experts"


class ParticipantRole(StrEnum):
    """A country's role at a summit."""

    host = "host"
    participant = "participant"


class PriorityKind(StrEnum):
    """What a leader put forward (criteria in seeds/README.md)."""

    priority = "priority"
    proposal = "proposal"
    position = "position"
    endorsement = "endorsement"


class AgreementKind(StrEnum):
    """What was signed, announced or committed (criteria in seeds/README.md)."""

    treaty = "treaty"
    declaration = "declaration"
    intergovernmental_documents = "intergovernmental-documents"
    business_agreements = "business-agreements"
    financial_commitment = "financial-commitment"
    training_commitment = "training-commitment"
    joint_position = "joint-position"
    joint_decision = "joint-decision"


class StatementKind(StrEnum):
    """`quote`: the speaker's own words, in quotation marks in the source; `paraphrase`:
    what the source reports the speaker said or held."""

    quote = "quote"
    paraphrase = "paraphrase"


class SpeakerType(StrEnum):
    """A statement's speaker: one of the leaders, or another person or group."""

    leader = "leader"
    person = "person"


class Qualifier(StrEnum):
    """How a source qualifies an amount ("over", "nearly", "about")."""

    over = "over"
    nearly = "nearly"
    about = "about"


class Format(StrEnum):
    """A collection's representation: JSON (the default) or CSV."""

    json = "json"
    csv = "csv"


class Links(StrEnum):
    """How a CSV writes its link cells: root-relative paths (the default) or absolute URLs."""

    relative = "relative"
    absolute = "absolute"


class RelativeLinks(StrEnum):
    """How a CSV writes its link cells: root-relative paths (a server without PUBLIC_URL)."""

    relative = "relative"


class ResourceType(StrEnum):
    """The kinds of record: search hits' `type` and the `type=` filter."""

    country = "country"
    leader = "leader"
    summit = "summit"
    event = "event"
    priority = "priority"
    agreement = "agreement"
    statement = "statement"
    theme = "theme"
    source = "source"


@dataclass(frozen=True)
class Resource:
    """One resource of the dataset: its collection name (seed file, table, path) and type."""

    collection: str
    type: ResourceType
    tag_description: str

    @property
    def path(self) -> str:
        return f"/{self.collection}"


# The one list of resources, in the order the data is built (what is referenced first);
# the index, /meta's counts, the seed files and the OpenAPI tags all follow it.
RESOURCES = (
    Resource("sources", ResourceType.source, "The documents every fact cites."),
    Resource("themes", ResourceType.theme, "The theme taxonomy as a country x theme matrix."),
    Resource("countries", ResourceType.country, "The six participants, by any ISO code or name."),
    Resource("summits", ResourceType.summit, "The summits: Xi'an 2023 and Astana 2025."),
    Resource("events", ResourceType.event, "Meetings on a summit's occasion (its eve's talks)."),
    Resource("leaders", ResourceType.leader, "Heads of state, with spellings and aliases."),
    Resource("priorities", ResourceType.priority, "What each leader proposed, in source order."),
    Resource("agreements", ResourceType.agreement, "Treaties, declarations, deals, commitments."),
    Resource("statements", ResourceType.statement, "Quotes and attributed positions."),
)
RESOURCE = {r.collection: r for r in RESOURCES}
