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
from app.vocabulary import SpeakerType

Row = sqlite3.Row


def summary(collection: str, id_: str, name: str) -> schemas.Summary:
    return schemas.Summary(id=id_, name=name, url=f"/{collection}/{id_}")


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
    citations: dict[tuple[str, str], list[schemas.Citation]] = field(init=False)

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
        self.citations = defaultdict(list)
        sql = "SELECT * FROM citations ORDER BY record_type, record_id, position"
        for r in rows(conn, sql):
            self.citations[(r["record_type"], r["record_id"])].append(
                schemas.Citation(
                    source_id=r["source_id"],
                    excerpt=r["excerpt"],
                    url=f"/sources/{r['source_id']}",
                )
            )

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
            sources=t.citations[("priority", r["id"])],
            note=r["note"],
        )
        for r in rows(t.conn, sql)
    ]


def agreements_of(t: Tables) -> list[schemas.Agreement]:
    parties = grouped(t.conn, "agreement_parties", "agreement_id")
    themes = grouped(t.conn, "agreement_themes", "agreement_id")
    values = grouped(t.conn, "agreement_values", "agreement_id")
    claims = grouped(t.conn, "agreement_claims", "agreement_id")
    value_keys = ("amount", "currency", "qualifier", "note", "source_id", "excerpt")
    claim_keys = ("attribute", "value", "source_id", "excerpt")
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
            parties=[t.country[x["country_id"]] for x in parties[r["id"]]],
            count=r["count"],
            fields=orjson.loads(r["fields"]),
            themes=[t.theme[x["theme_id"]] for x in themes[r["id"]]],
            values=[schemas.ValueClaim(**{k: v[k] for k in value_keys}) for v in values[r["id"]]],
            claims=[
                schemas.AttributeClaim(**{k: c[k] for k in claim_keys}) for c in claims[r["id"]]
            ],
            note=r["note"],
            sources=t.citations[("agreement", r["id"])],
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
                sources=t.citations[("statement", r["id"])],
                note=r["note"],
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
    count = Counter(a.summit.id for a in agreements)
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
            sources=t.citations[("summit", r["id"])],
        )
        for r in t.summits
    ]


def sources_of(t: Tables) -> list[schemas.Source]:
    cited: dict[str, int] = defaultdict(int)
    for table in ("citations", "agreement_values", "agreement_claims"):
        for r in rows(t.conn, f"SELECT source_id, count(*) n FROM {table} GROUP BY source_id"):
            cited[r["source_id"]] += r["n"]
    return [
        schemas.Source(
            id=r["id"],
            url=f"/sources/{r['id']}",
            kind=r["kind"],
            title=r["title"],
            author=r["author"],
            publisher=r["publisher"],
            published=r["published"],
            section=r["section"],
            web_url=r["url"],
            note=r["note"],
            citation_count=cited[r["id"]],
        )
        for r in rows(t.conn, "SELECT * FROM sources ORDER BY position")
    ]
