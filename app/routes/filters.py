"""Every collection's filters, in one place: what each filter is named, what it accepts,
which field of a record it reads, and the facet counts over the same fields.

A filter takes one value or several (`theme=energy&theme=transport`, or `theme=energy,
transport`): a record matches when any of its values is one of them; different filters
combine with AND. `facet=theme` counts the matching records per value of that field.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from app import schemas
from app.dataset.catalog import Catalog
from app.routes.params import Types, facet_names, optional, several
from app.vocabulary import (
    RESOURCES,
    AgreementKind,
    EventKind,
    PriorityKind,
    ResourceType,
    SourceKind,
    SpeakerKind,
    StatementKind,
)

# A field's values as (value, name) pairs: an embedded record by its id and name, a citation
# by its source, a kind or a text as itself.
Value = tuple[str, str]


@dataclass(frozen=True)
class Filter:
    """One filter: the record field it reads (a dotted path) and its query parameter."""

    path: str
    kind: str  # a Types attribute (`ThemeId`), or "country", "bool", or a vocabulary name
    description: str
    facet: bool = True
    fold: bool = False  # matched case-insensitively
    of_hit: bool = False  # read from a search hit's record

    def declare(self, types: Types) -> tuple[Any, Any]:
        if self.kind == "bool":
            return optional(bool, self.description)
        if self.kind == "country":
            return several(types.country_key, self.description)
        annotation = FIXED.get(self.kind) or getattr(types, self.kind)
        return several(annotation, self.description)


FIXED: dict[str, Any] = {
    "PriorityKind": PriorityKind,
    "AgreementKind": AgreementKind,
    "StatementKind": StatementKind,
    "SpeakerKind": SpeakerKind,
    "EventKind": EventKind,
    "SourceKind": SourceKind,
    "ResourceType": ResourceType,
    # No comma in a value (it separates values), and something besides spaces.
    "Region": Annotated[
        str, Field(max_length=80, pattern=r"^[^,]*[^,\s][^,]*$", description="A region, any case.")
    ],
    "RecordId": Annotated[
        str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80, title="RecordId")
    ],
}
SOURCE = "Only those citing this source (see /sources)."
DISPUTED = "Only those whose sources disagree (`true`) or agree (`false`)."

FILTERS: dict[str, dict[str, Filter]] = {
    "priorities": {
        "country": Filter("country", "country", "Only the priorities of this country's leader."),
        "leader": Filter("leader", "LeaderId", "Only this leader's priorities."),
        "theme": Filter("themes", "ThemeId", "Only priorities under this theme."),
        "summit": Filter("summit", "SummitId", "Only priorities stated at this summit."),
        "kind": Filter("kind", "PriorityKind", "Only priorities of this kind."),
        "source": Filter("sources", "SourceId", SOURCE),
        "disputed": Filter("disputed", "bool", DISPUTED),
    },
    "agreements": {
        "summit": Filter(
            "own_summit",
            "SummitId",
            "Only this summit's own agreements (not those of a meeting on its occasion).",
        ),
        "event": Filter("event", "EventId", "Only those of this meeting (see /events)."),
        "kind": Filter("kind", "AgreementKind", "Only agreements of this kind."),
        "party": Filter("parties", "country", "Only agreements this country is party to."),
        "theme": Filter("themes", "ThemeId", "Only agreements under this theme."),
        "source": Filter("sources", "SourceId", SOURCE),
        "disputed": Filter("disputed", "bool", DISPUTED),
    },
    "statements": {
        "speaker": Filter("speaker", "SpeakerId", "Only this speaker's statements."),
        "country": Filter("country", "country", "Only statements by a speaker of this country."),
        "summit": Filter("summit", "SummitId", "Only statements about this summit."),
        "kind": Filter("kind", "StatementKind", "Only quotes, or only paraphrases."),
        "speaker_kind": Filter(
            "speaker.kind",
            "SpeakerKind",
            "Only speakers of this kind (`head-of-state` leaves out analysts).",
        ),
        "event": Filter("event", "EventId", "Only what was said at this meeting (see /events)."),
        "source": Filter("sources", "SourceId", SOURCE),
        "disputed": Filter("disputed", "bool", DISPUTED),
    },
    "events": {
        "summit": Filter("summit", "SummitId", "Only meetings on this summit's occasion."),
        "kind": Filter("kind", "EventKind", "Only meetings of this kind."),
        "source": Filter("sources", "SourceId", SOURCE),
    },
    "summits": {"source": Filter("sources", "SourceId", SOURCE)},
    "leaders": {
        "country": Filter("country", "country", "Only this country's leader."),
        "source": Filter("sources", "SourceId", SOURCE),
    },
    "countries": {
        "region": Filter(
            "region", "Region", "Exact region, any case, e.g. `Central Asia`.", fold=True
        )
    },
    "sources": {"kind": Filter("kind", "SourceKind", "Only sources of this kind.")},
    "search": {
        "type": Filter("type", "ResourceType", "Only hits of these types."),
        "source": Filter("sources", "SourceId", "Only records citing this source.", of_hit=True),
    },
    "changes": {
        "version": Filter("version", "ChangeVersion", "Only the changes of this dataset version."),
        "collection": Filter(
            "collection", "ChangeCollection", "Only changes to records of this collection."
        ),
        "record": Filter(
            "record", "RecordId", "Only the changes to this record (a retired id too).", False
        ),
    },
}


def declared(
    types: Types, collection: str, name: str, left_out: tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query parameters of a collection's filters (less those its parent fixes), and
    (for its JSON pages) `facet` over those that can be counted, named `{name}Facet`."""
    chosen = {n: f for n, f in FILTERS.get(collection, {}).items() if n not in left_out}
    params = {n: f.declare(types) for n, f in chosen.items()}
    counted = [n for n, f in chosen.items() if f.facet]
    return params, ({"facet": facet_names(f"{name}Facet", counted)} if counted else {})


COLLECTION = {r.type: r.collection for r in RESOURCES}


def values_of(catalog: Catalog, record: Any, f: Filter) -> list[Value]:
    """The (value, name) pairs of the filter's field of a record (or of a search hit's
    record); none when it is null or empty, or the record has no such field."""
    if f.of_hit:
        record = catalog.get(COLLECTION[record.type], record.id)
    value = record
    path = f.path
    for part in path.split("."):
        value = getattr(value, part, None)
    items: Iterable[Any] = value if isinstance(value, list) else [value]
    return [pair for item in items if (pair := _pair(item)) is not None]


def _pair(item: Any) -> Value | None:
    if item is None:
        return None
    if isinstance(item, schemas.Citation):
        return item.source_id, item.title
    if isinstance(item, bool):
        return ("true", "true") if item else ("false", "false")
    if isinstance(item, schemas.Out):
        return item.id, item.name  # type: ignore[attr-defined]
    return str(item), str(item)


def matching(
    catalog: Catalog, collection: str, items: Sequence[schemas.Out], q: Any
) -> Sequence[schemas.Out]:
    """The items every given filter matches (any of its values); unfiltered, `items` itself
    (so that the catalog's sorted orders are kept: app/routes/listing.py)."""
    tests = [
        _test(catalog, f, _accepted(catalog, f, wanted))
        for name, f in FILTERS.get(collection, {}).items()
        if (wanted := getattr(q, name, None)) is not None
    ]
    if not tests:
        return items
    return [r for r in items if all(test(r) for test in tests)]


def _test(catalog: Catalog, f: Filter, accepted: set[str]) -> Callable[[Any], bool]:
    return lambda record: any(v in accepted for v in _values(catalog, record, f))


def _values(catalog: Catalog, record: Any, f: Filter) -> list[str]:
    values = [v for v, _ in values_of(catalog, record, f)]
    return [v.casefold() for v in values] if f.fold else values


def _accepted(catalog: Catalog, f: Filter, wanted: Any) -> set[str]:
    if f.fold:
        return {str(v).casefold() for v in wanted}
    if f.kind == "bool":
        return {"true" if wanted else "false"}
    if f.kind == "country":  # any key form, canonical here (each matched the pattern)
        return {catalog.country_id(str(k)) or str(k) for k in wanted}
    return {str(v) for v in wanted}


def facet_counts(
    catalog: Catalog, collection: str, items: Sequence[schemas.Out], names: list[str]
) -> dict[str, list[schemas.FacetCount]]:
    """Per named field, how many of `items` carry each value: most first, then by value."""
    counted = {}
    for name in names:
        f = FILTERS[collection][name]
        counts: Counter[Value] = Counter(
            pair for r in items for pair in set(values_of(catalog, r, f))
        )
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
        counted[str(name)] = [schemas.FacetCount(value=v, name=n, count=c) for (v, n), c in ordered]
    return counted
