"""Validated records -> rows: the SQLModel tables of app.models, filled column by column
by name, and the rows of the full-text search index.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import SQLModel

from app import models
from app.loader.seeds import (
    COLLECTION,
    AgreementSeed,
    Cited,
    CountrySeed,
    Disputable,
    EventSeed,
    LeaderSeed,
    PrioritySeed,
    Record,
    SourceSeed,
    StatementSeed,
    SummitSeed,
    ThemeSeed,
)
from app.loader.validate import Dataset
from app.vocabulary import RESOURCE, SpeakerKind


def _citations(record: Cited) -> Iterator[models.Citation]:
    record_type = RESOURCE[COLLECTION[type(record)]].type
    for i, c in enumerate(record.sources):
        yield models.Citation(
            record_type=record_type,
            record_id=record.id,
            position=i,
            source_id=c.source_id,
            excerpt=c.excerpt,
        )


def _claims(record: Disputable) -> Iterator[models.Claim]:
    record_type = RESOURCE[COLLECTION[type(record)]].type
    for i, c in enumerate(record.claims):
        yield models.Claim(record_type=record_type, record_id=record.id, position=i, **dict(c))


def _meta(d: Dataset) -> Iterator[SQLModel]:
    meta = {
        "version": d.meta.version,
        "checksum": d.checksum(),
        "title": d.meta.title,
        "description": d.meta.description,
        "licence": d.meta.licence,
        "licence_note": d.meta.licence_note,
    }
    for key, value in meta.items():
        yield models.DatasetMeta(key=key, value=value)


def _sources(d: Dataset) -> Iterator[SQLModel]:
    for i, s in enumerate(d.of(SourceSeed)):
        yield models.Source(
            id=s.id,
            position=i,
            kind=s.kind,
            directness=s.directness,
            title=s.title,
            author=s.author,
            publisher=s.publisher,
            published=s.published.isoformat() if s.published else None,
            published_inferred=s.published_inferred,
            section=s.section,
            url=s.url,
            note=s.note,
        )


def _themes(d: Dataset) -> Iterator[SQLModel]:
    for i, t in enumerate(d.of(ThemeSeed)):
        yield models.Theme(id=t.id, position=i, name=t.name, description=t.description)


def _countries(d: Dataset) -> Iterator[SQLModel]:
    for i, c in enumerate(d.of(CountrySeed)):
        yield models.Country(
            id=c.id,
            position=i,
            alpha2=c.alpha2,
            alpha3=c.alpha3,
            numeric=c.numeric,
            name=c.name,
            capital=c.capital,
            region=c.region,
        )


def _summits(d: Dataset) -> Iterator[SQLModel]:
    for s in d.of(SummitSeed):
        yield models.Summit(
            id=s.id,
            ordinal=s.ordinal,
            name=s.name,
            city=s.city,
            host_id=s.host,
            date=s.date,
            dispute=s.dispute,
        )
        for p in s.participants:
            yield models.SummitParticipant(summit_id=s.id, country_id=p.country, role=p.role)
        yield from _citations(s)
        yield from _claims(s)


def _events(d: Dataset) -> Iterator[SQLModel]:
    for i, e in enumerate(d.of(EventSeed)):
        fields = e.model_dump(exclude={"summit", "participants", "sources", "claims"})
        yield models.Event(
            **fields, position=i, summit_id=e.summit, participants=list(e.participants)
        )
        yield from _citations(e)
        yield from _claims(e)


def _leaders(d: Dataset) -> Iterator[SQLModel]:
    for i, x in enumerate(d.of(LeaderSeed)):
        yield models.Leader(
            id=x.id,
            position=i,
            name=x.name,
            source_spelling=x.source_spelling,
            aliases=list(x.aliases),
            title=x.title,
            country_id=x.country,
        )
        yield from _citations(x)


def _priorities(d: Dataset) -> Iterator[SQLModel]:
    leaders = d.by_id(LeaderSeed)
    for p in d.of(PrioritySeed):
        yield models.Priority(
            id=p.id,
            leader_id=p.leader,
            country_id=leaders[p.leader].country,
            summit_id=p.summit,
            event_id=p.event,
            position=p.position,
            kind=p.kind,
            title=p.title,
            description=p.description,
            note=p.note,
            dispute=p.dispute,
        )
        for i, t in enumerate(p.themes):
            yield models.PriorityTheme(priority_id=p.id, theme_id=t, position=i)
        yield from _citations(p)
        yield from _claims(p)


def _agreements(d: Dataset) -> Iterator[SQLModel]:
    for a in d.of(AgreementSeed):
        yield models.Agreement(
            id=a.id,
            summit_id=a.summit,
            event_id=a.event,
            position=a.position,
            kind=a.kind,
            title=a.title,
            also_known_as=list(a.also_known_as),
            description=a.description,
            count=a.count,
            fields=list(a.fields),
            note=a.note,
            dispute=a.dispute,
        )
        for i, c in enumerate(a.parties):
            yield models.AgreementParty(
                agreement_id=a.id, country_id=c.country, position=i, role=c.role
            )
        for i, t in enumerate(a.themes):
            yield models.AgreementTheme(agreement_id=a.id, theme_id=t, position=i)
        # The claims' keys are the tables' columns.
        for i, v in enumerate(a.values):
            yield models.AgreementValue(agreement_id=a.id, position=i, **v.model_dump())
        for i, cl in enumerate(a.claims):
            yield models.AgreementClaim(agreement_id=a.id, position=i, **cl.model_dump())
        yield from _citations(a)


def _statements(d: Dataset) -> Iterator[SQLModel]:
    leaders = d.by_id(LeaderSeed)
    for st in d.of(StatementSeed):
        speaker: tuple[str, str, list[str], str, str, str | None]
        if st.leader is not None:
            who = leaders[st.leader]
            head = SpeakerKind.head_of_state
            speaker = (st.leader, who.name, [], who.title, head, who.country)
        else:
            assert st.speaker is not None
            sp = st.speaker
            speaker = (sp.slug, sp.name, list(sp.aliases), sp.role, sp.kind, sp.country)
        speaker_id, name, aliases, role, kind, country = speaker
        yield models.Statement(
            id=st.id,
            summit_id=st.summit,
            event_id=st.event,
            position=st.position,
            kind=st.kind,
            text=st.text,
            context=st.context,
            leader_id=st.leader,
            speaker_id=speaker_id,
            speaker_name=name,
            speaker_aliases=aliases,
            speaker_role=role,
            speaker_kind=kind,
            speaker_country_id=country,
            note=st.note,
            dispute=st.dispute,
        )
        yield from _citations(st)
        yield from _claims(st)


def _retired(d: Dataset) -> Iterator[SQLModel]:
    for i, r in enumerate(d.retired):  # the seed's keys are the table's columns
        yield models.Retired(position=i, **r.model_dump())


def _changes(d: Dataset) -> Iterator[SQLModel]:
    for i, c in enumerate(d.changes):  # the seed's keys are the table's columns
        fields = c.model_dump(exclude={"before", "after"})
        yield models.Change(position=i, **fields, before=c.before or None, after=c.after or None)


TABLE_ROWS = (_meta, _sources, _themes, _countries, _summits, _events, _leaders, _priorities)


def table_rows(dataset: Dataset) -> Iterator[SQLModel]:
    """Every row of every table of app.models, each table's rows in seed order."""
    for rows in (*TABLE_ROWS, _agreements, _statements, _retired, _changes):
        yield from rows(dataset)


# --- the search index ---------------------------------------------------------------------


@dataclass(frozen=True)
class SearchRow:
    """One row of the FTS5 `search` table (migration 0002): one per record."""

    type: str
    id: str
    url: str
    position: int
    title: str
    aliases: str
    body: str


# (title, aliases, body) per record: `title` and `aliases` are the record's own names (what
# search weighs most), names of related records go in `body`, so a query for a person
# ranks the person first and the things by or about them after.
Texts = tuple[str, str, str]
_APOSTROPHE_IN_WORD = re.compile(r"(?<=\w)['’](?=\w)")


def _distinct_words(*names: str) -> str:
    """The words of `names`, each once (ignoring case), in order: "Sadyr Žaparov Zhaparov"."""
    seen: dict[str, str] = {}
    for name in names:
        for word in name.split():
            seen.setdefault(word.casefold(), word)
    return " ".join(seen.values())


def _search_texts(d: Dataset) -> Iterator[tuple[Record, Texts]]:
    """Every record with its search texts, resource by resource."""
    countries = d.by_id(CountrySeed)
    leaders = d.by_id(LeaderSeed)
    for c in d.of(CountrySeed):
        yield c, (c.name, f"{c.alpha2} {c.alpha3} {c.numeric}", f"{c.capital} {c.region}")
    for x in d.of(LeaderSeed):
        aliases = _distinct_words(x.source_spelling, *x.aliases)
        yield x, (x.name, aliases, f"{x.title} of {countries[x.country].name}")
    for s in d.of(SummitSeed):
        # Known by its city too, also without the apostrophe ("Xi'an" -> "Xian").
        city_forms = dict.fromkeys([s.city, _APOSTROPHE_IN_WORD.sub("", s.city)])
        yield s, (s.name, " ".join(city_forms), f"{countries[s.host].name} {s.date}")
    for e in d.of(EventSeed):
        names = " ".join(countries[c].name for c in e.participants)
        yield e, (e.name, "", f"{e.description} {e.place} {e.date} {names}")
    for p in d.of(PrioritySeed):
        who = leaders[p.leader]
        country = countries[who.country].name
        related = _distinct_words(who.name, who.source_spelling, *who.aliases, country)
        yield p, (p.title, "", f"{p.description} {related}")
    for a in d.of(AgreementSeed):
        yield a, (a.title, " ".join(a.also_known_as), " ".join([a.description, *a.fields]))
    for st in d.of(StatementSeed):
        yield st, _statement_texts(st, leaders)
    for t in d.of(ThemeSeed):
        yield t, (t.name, "", t.description)
    for src in d.of(SourceSeed):
        body = " ".join(filter(None, [src.publisher, src.section, src.note]))
        yield src, (src.title, src.author or "", body)


def _statement_texts(st: StatementSeed, leaders: dict[str, LeaderSeed]) -> Texts:
    if st.leader is not None:
        # The leader has a record of their own: their names are related, not the statement's.
        who = leaders[st.leader]
        own, related = [], [who.name, who.source_spelling, *who.aliases]
    else:
        # A speaker with no record of their own is found through their statements.
        assert st.speaker is not None
        own, related = [st.speaker.name, *st.speaker.aliases], [st.speaker.role]
    return st.text, _distinct_words(*own), " ".join([st.context or "", _distinct_words(*related)])


def search_rows(dataset: Dataset) -> Iterator[SearchRow]:
    """One row per record; `position` is the record's place in its own seed file."""
    positions: Counter[str] = Counter()
    for record, (title, aliases, body) in _search_texts(dataset):
        resource = RESOURCE[COLLECTION[type(record)]]
        position = positions[resource.collection]
        positions[resource.collection] += 1
        url = f"{resource.path}/{record.id}"
        yield SearchRow(resource.type, record.id, url, position, title, aliases, body)
