"""Rows of the read-only database -> response objects (app/schemas.py), one function each.

`Tables` reads every table once; each `*_of` function turns its rows into the documented
objects, joining through the look-ups `Tables` holds. Orders are the documented ones.
"""

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson

from app import schemas
from app.dataset import cldr
from app.vocabulary import SpeakerType

Row = sqlite3.Row


def summary(collection: str, id_: str, name: str) -> schemas.Summary:
    return schemas.Summary(id=id_, name=name, url=f"/{collection}/{id_}")


CLAIM_KEYS = ("attribute", "value", "preferred", "source_id", "excerpt")


def claim(r: Row) -> schemas.AttributeClaim:
    return schemas.AttributeClaim(**{k: r[k] for k in CLAIM_KEYS})


def rows(conn: sqlite3.Connection, sql: str) -> list[Row]:
    return conn.execute(sql).fetchall()


def grouped(conn: sqlite3.Connection, table: str, key: str) -> dict[str, list[Row]]:
    """The rows of a relation table by their record's id, in their stored order."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows(conn, f"SELECT * FROM {table} ORDER BY {key}, position"):
        groups[r[key]].append(r)
    return groups


@dataclass
class Tables:
    """Every table, read once, and the summaries the representations embed."""

    conn: sqlite3.Connection
    countries: list[Row] = field(init=False)
    summits: list[Row] = field(init=False)
    leaders: list[Row] = field(init=False)
    themes: list[Row] = field(init=False)
    country: dict[str, schemas.Summary] = field(init=False)
    summit: dict[str, schemas.Summary] = field(init=False)
    leader: dict[str, schemas.Summary] = field(init=False)
    theme: dict[str, schemas.Summary] = field(init=False)
    event: dict[str, schemas.Summary] = field(init=False)
    citations: dict[tuple[str, str], list[schemas.Citation]] = field(init=False)
    claims: dict[tuple[str, str], list[schemas.AttributeClaim]] = field(init=False)

    def __post_init__(self) -> None:
        conn = self.conn
        self.countries = rows(conn, "SELECT * FROM countries ORDER BY position")
        self.summits = rows(conn, "SELECT * FROM summits ORDER BY ordinal DESC")
        self.leaders = rows(conn, "SELECT * FROM leaders ORDER BY position")
        self.themes = rows(conn, "SELECT * FROM themes ORDER BY position")
        self.country = {r["id"]: summary("countries", r["id"], r["name"]) for r in self.countries}
        self.summit = {r["id"]: summary("summits", r["id"], r["name"]) for r in self.summits}
        self.leader = {r["id"]: summary("leaders", r["id"], r["name"]) for r in self.leaders}
        self.theme = {r["id"]: summary("themes", r["id"], r["name"]) for r in self.themes}
        events = rows(conn, "SELECT id, name FROM events")
        self.event = {r["id"]: summary("events", r["id"], r["name"]) for r in events}
        self.citations = defaultdict(list)
        sql = (
            "SELECT c.*, s.title, s.publisher, s.published, s.url web_url FROM citations c "
            "JOIN sources s ON s.id = c.source_id ORDER BY record_type, record_id, c.position"
        )
        keys = ("source_id", "excerpt", "title", "publisher", "published", "web_url")
        for r in rows(conn, sql):
            self.citations[(r["record_type"], r["record_id"])].append(
                schemas.Citation(**{k: r[k] for k in keys}, url=f"/sources/{r['source_id']}")
            )
        self.claims = defaultdict(list)
        sql = "SELECT * FROM claims ORDER BY record_type, record_id, position"
        for r in rows(conn, sql):
            self.claims[(r["record_type"], r["record_id"])].append(claim(r))

    def facts(self, record_type: str, r: Row) -> dict[str, Any]:
        """The fields every fact-bearing record shares: sources, claims, dispute, changes."""
        key = (record_type, r["id"])
        return {
            "sources": self.citations[key],
            "claims": self.claims[key],
            "disputed": r["dispute"] is not None,
            "dispute": r["dispute"],
            "changes_url": f"/changes?record={r['id']}",
        }

    @cached_property
    def roles(self) -> tuple[dict[str, list[schemas.CountryRole]], dict[str, list[Any]]]:
        """Participants per summit (host first) and summits per country (newest first):
        one query, shared by the summits and the countries."""
        per_summit: dict[str, list[schemas.CountryRole]] = defaultdict(list)
        per_country: dict[str, list[schemas.CountryRole]] = defaultdict(list)
        sql = (
            "SELECT p.* FROM summit_participants p JOIN countries c ON c.id = p.country_id "
            "JOIN summits s ON s.id = p.summit_id "
            "ORDER BY s.ordinal DESC, p.role = 'participant', c.position"
        )
        for r in rows(self.conn, sql):
            country, summit = self.country[r["country_id"]], self.summit[r["summit_id"]]
            role = r["role"]
            per_summit[r["summit_id"]].append(schemas.CountryRole(**dict(country), role=role))
            per_country[r["country_id"]].append(schemas.CountryRole(**dict(summit), role=role))
        return per_summit, per_country


def priorities_of(t: Tables) -> list[schemas.Priority]:
    themes = grouped(t.conn, "priority_themes", "priority_id")
    sql = (
        "SELECT p.*, l.country_id FROM priorities p JOIN leaders l ON l.id = p.leader_id "
        "JOIN countries c ON c.id = l.country_id ORDER BY c.position, p.summit_id, p.position"
    )
    return [
        schemas.Priority(
            id=r["id"],
            url=f"/priorities/{r['id']}",
            kind=r["kind"],
            position=r["position"],
            title=r["title"],
            description=r["description"],
            leader=t.leader[r["leader_id"]],
            country=t.country[r["country_id"]],
            summit=t.summit[r["summit_id"]],
            themes=[t.theme[x["theme_id"]] for x in themes[r["id"]]],
            note=r["note"],
            event=t.event.get(r["event_id"]),
            **t.facts("priority", r),
        )
        for r in rows(t.conn, sql)
    ]


def agreements_of(t: Tables) -> list[schemas.Agreement]:
    parties = grouped(t.conn, "agreement_parties", "agreement_id")
    themes = grouped(t.conn, "agreement_themes", "agreement_id")
    values = grouped(t.conn, "agreement_values", "agreement_id")
    claims = grouped(t.conn, "agreement_claims", "agreement_id")
    value_keys = ("amount", "currency", "qualifier", "note", "preferred", "source_id", "excerpt")
    sql = (
        "SELECT a.* FROM agreements a JOIN summits s ON s.id = a.summit_id "
        "ORDER BY s.ordinal DESC, a.position"
    )
    return [
        schemas.Agreement(
            id=r["id"],
            url=f"/agreements/{r['id']}",
            kind=r["kind"],
            position=r["position"],
            title=r["title"],
            also_known_as=orjson.loads(r["also_known_as"]),
            description=r["description"],
            summit=t.summit[r["summit_id"]],
            parties=[
                schemas.Party(**dict(t.country[x["country_id"]]), role=x["role"])
                for x in parties[r["id"]]
            ],
            count=r["count"],
            fields=orjson.loads(r["fields"]),
            themes=[t.theme[x["theme_id"]] for x in themes[r["id"]]],
            values=[schemas.ValueClaim(**{k: v[k] for k in value_keys}) for v in values[r["id"]]],
            note=r["note"],
            event=t.event.get(r["event_id"]),
            **{
                **t.facts("agreement", r),
                "claims": [claim(c) for c in claims[r["id"]]],
            },
        )
        for r in rows(t.conn, sql)
    ]


def statements_of(t: Tables) -> list[schemas.Statement]:
    sql = (
        "SELECT st.* FROM statements st JOIN summits s ON s.id = st.summit_id "
        "ORDER BY s.ordinal DESC, st.position"
    )
    statements = []
    for r in rows(t.conn, sql):
        leader = r["leader_id"]
        speaker = schemas.Speaker(
            id=r["speaker_id"],
            name=r["speaker_name"],
            type=SpeakerType.leader if leader is not None else SpeakerType.person,
            role=r["speaker_role"],
            aliases=orjson.loads(r["speaker_aliases"]),
            url=f"/leaders/{leader}" if leader is not None else None,
            kind=r["speaker_kind"],
        )
        statements.append(
            schemas.Statement(
                id=r["id"],
                url=f"/statements/{r['id']}",
                kind=r["kind"],
                position=r["position"],
                text=r["text"],
                context=r["context"],
                speaker=speaker,
                country=t.country.get(r["speaker_country_id"]),
                summit=t.summit[r["summit_id"]],
                note=r["note"],
                event=t.event.get(r["event_id"]),
                **t.facts("statement", r),
            )
        )
    return statements


def countries_of(t: Tables, priorities: list[schemas.Priority]) -> list[schemas.Country]:
    _, summits_of_country = t.roles
    leader_of = {r["country_id"]: r["id"] for r in t.leaders}
    count = Counter(p.country.id for p in priorities)
    endorsed = Counter(p.country.id for p in priorities if p.endorses)
    return [
        schemas.Country(
            id=r["id"],
            url=f"/countries/{r['id']}",
            name=r["name"],
            alpha2=r["alpha2"],
            alpha3=r["alpha3"],
            numeric=r["numeric"],
            capital=r["capital"],
            region=r["region"],
            leader=t.leader.get(leader_of.get(r["id"], "")),
            summits=summits_of_country[r["id"]],
            priority_count=count[r["id"]],
            priorities_url=f"/countries/{r['id']}/priorities",
            endorsement_count=endorsed[r["id"]],
            flag=cldr.flag(r["alpha2"]),
            names=cldr.names(r["alpha2"]),
            languages=cldr.official_languages(r["alpha2"]),
        )
        for r in t.countries
    ]


def leaders_of(t: Tables, priorities: list[schemas.Priority]) -> list[schemas.Leader]:
    count = Counter(p.leader.id for p in priorities)
    endorsed = Counter(p.leader.id for p in priorities if p.endorses)
    return [
        schemas.Leader(
            id=r["id"],
            url=f"/leaders/{r['id']}",
            name=r["name"],
            source_spelling=r["source_spelling"],
            aliases=orjson.loads(r["aliases"]),
            title=r["title"],
            country=t.country[r["country_id"]],
            priority_count=count[r["id"]],
            sources=t.citations[("leader", r["id"])],
            endorsement_count=endorsed[r["id"]],
        )
        for r in t.leaders
    ]


def summits_of(t: Tables, agreements: list[schemas.Agreement]) -> list[schemas.Summit]:
    participants, _ = t.roles
    count = Counter(a.summit.id for a in agreements if a.event is None)
    return [
        schemas.Summit(
            id=r["id"],
            url=f"/summits/{r['id']}",
            name=r["name"],
            ordinal=r["ordinal"],
            city=r["city"],
            date=r["date"],
            host=t.country[r["host_id"]],
            participants=participants[r["id"]],
            agreement_count=count[r["id"]],
            agreements_url=f"/summits/{r['id']}/agreements",
            **t.facts("summit", r),
        )
        for r in t.summits
    ]


def events_of(t: Tables) -> list[schemas.Event]:
    sql = (
        "SELECT e.* FROM events e JOIN summits s ON s.id = e.summit_id "
        "ORDER BY s.ordinal DESC, e.date, e.position"
    )
    return [
        schemas.Event(
            id=r["id"],
            url=f"/events/{r['id']}",
            kind=r["kind"],
            name=r["name"],
            date=r["date"],
            place=r["place"],
            summit=t.summit[r["summit_id"]],
            participants=[t.country[c] for c in orjson.loads(r["participants"])],
            description=r["description"],
            note=r["note"],
            **t.facts("event", r),
        )
        for r in rows(t.conn, sql)
    ]


def changes_of(t: Tables) -> list[schemas.Change]:
    keys = ("version", "collection", "record", "field", "before", "after", "why", "source_id")
    return [
        schemas.Change(
            **{k: r[k] for k in keys},
            record_url=f"/{r['collection']}/{r['record']}",
            source_url=f"/sources/{r['source_id']}",
        )
        for r in rows(t.conn, "SELECT * FROM changes ORDER BY position")
    ]


def sources_of(t: Tables) -> list[schemas.Source]:
    cited: dict[str, int] = defaultdict(int)
    for table in ("citations", "agreement_values", "agreement_claims", "claims"):
        for r in rows(t.conn, f"SELECT source_id, count(*) n FROM {table} GROUP BY source_id"):
            cited[r["source_id"]] += r["n"]
    return [
        schemas.Source(
            id=r["id"],
            url=f"/sources/{r['id']}",
            kind=r["kind"],
            directness=r["directness"],
            title=r["title"],
            author=r["author"],
            publisher=r["publisher"],
            published=r["published"],
            published_inferred=bool(r["published_inferred"]),
            section=r["section"],
            web_url=r["url"],
            note=r["note"],
            citation_count=cited[r["id"]],
        )
        for r in rows(t.conn, "SELECT * FROM sources ORDER BY position")
    ]
