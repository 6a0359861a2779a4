"""Every representation of the dataset, built once from the read-only database at start-up.

The database never changes under a running process, so each resource is a pure function
of the file: reading it once (a few milliseconds for a few hundred rows) and serving
filtered views of the result removes all per-request SQL from the read paths. Search is
the exception: it queries the FTS5 index per request. Each object is validated against
its response model (`schemas.py`) here, so the served JSON is the documented contract.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel

from app import schemas

Item = dict[str, Any]


def _summary(kind: str, id_: str, name: str) -> Item:
    return {"id": id_, "name": name, "url": f"/{kind}/{id_}"}


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a name, for look-ups."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@dataclass
class Catalog:
    meta: Item
    countries: list[Item]
    leaders: list[Item]
    summits: list[Item]
    priorities: list[Item]
    agreements: list[Item]
    statements: list[Item]
    themes: list[Item]
    theme_details: dict[str, Item]
    sources: list[Item]
    country_keys: dict[str, str] = field(default_factory=dict)
    speaker_ids: list[str] = field(default_factory=list)
    by_id: dict[str, dict[str, Item]] = field(default_factory=dict)
    # Each collection item's JSON, encoded once (by id(), with the item kept to check it).
    encoded: dict[int, tuple[Item, bytes]] = field(default_factory=dict)

    def encode_list(self, items: list[Item]) -> bytes:
        """Exactly `orjson.dumps(items)`, from each catalog item's bytes made at start-up
        (any other item, such as a search hit, is encoded here)."""
        parts = []
        for item in items:
            known = self.encoded.get(id(item))
            parts.append(known[1] if known is not None and known[0] is item else orjson.dumps(item))
        return b"[" + b",".join(parts) + b"]"

    def get(self, collection: str, id_: str) -> Item | None:
        return self.by_id[collection].get(id_)

    def country_id(self, key: str) -> str | None:
        """Resolve alpha-2, alpha-3, numeric code or English name, case-insensitively."""
        return self.country_keys.get(fold(key))

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.by_id.items()}


def _rows(conn: sqlite3.Connection, sql: str, *args: Any) -> list[sqlite3.Row]:
    return conn.execute(sql, args).fetchall()


def build_catalog(conn: sqlite3.Connection) -> Catalog:
    meta = {r["key"]: r["value"] for r in _rows(conn, "SELECT key, value FROM dataset_meta")}
    revision = _rows(conn, "SELECT version_num FROM alembic_version")[0][0]
    meta["schema_revision"] = revision

    citations: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for r in _rows(conn, "SELECT * FROM citations ORDER BY record_type, record_id, position"):
        citations[(r["record_type"], r["record_id"])].append(
            {
                "source_id": r["source_id"],
                "excerpt": r["excerpt"],
                "url": f"/sources/{r['source_id']}",
            }
        )
    cited_count: dict[str, int] = defaultdict(int)
    for r in _rows(conn, "SELECT source_id, count(*) n FROM citations GROUP BY source_id"):
        cited_count[r["source_id"]] += r["n"]
    for table in ("agreement_values", "agreement_claims"):
        for r in _rows(conn, f"SELECT source_id, count(*) n FROM {table} GROUP BY source_id"):
            cited_count[r["source_id"]] += r["n"]

    country_rows = _rows(conn, "SELECT * FROM countries ORDER BY position")
    country_summary = {r["id"]: _summary("countries", r["id"], r["name"]) for r in country_rows}
    theme_rows = _rows(conn, "SELECT * FROM themes ORDER BY position")
    theme_summary = {r["id"]: _summary("themes", r["id"], r["name"]) for r in theme_rows}
    summit_rows = _rows(conn, "SELECT * FROM summits ORDER BY ordinal DESC")
    summit_summary = {r["id"]: _summary("summits", r["id"], r["name"]) for r in summit_rows}
    leader_rows = _rows(conn, "SELECT * FROM leaders ORDER BY position")
    leader_summary = {r["id"]: _summary("leaders", r["id"], r["name"]) for r in leader_rows}
    leader_of_country = {r["country_id"]: r["id"] for r in leader_rows}

    participants: dict[str, list[Item]] = defaultdict(list)
    summits_of_country: dict[str, list[Item]] = defaultdict(list)
    for r in _rows(
        conn,
        "SELECT p.* FROM summit_participants p JOIN countries c ON c.id = p.country_id "
        "JOIN summits s ON s.id = p.summit_id ORDER BY s.ordinal DESC, p.role = 'participant', "
        "c.position",
    ):
        participants[r["summit_id"]].append({**country_summary[r["country_id"]], "role": r["role"]})
        summits_of_country[r["country_id"]].append(
            {**summit_summary[r["summit_id"]], "role": r["role"]}
        )

    priority_themes: dict[str, list[Item]] = defaultdict(list)
    for r in _rows(conn, "SELECT * FROM priority_themes ORDER BY priority_id, position"):
        priority_themes[r["priority_id"]].append(theme_summary[r["theme_id"]])
    priorities = []
    for r in _rows(
        conn,
        "SELECT p.*, l.country_id FROM priorities p JOIN leaders l ON l.id = p.leader_id "
        "JOIN countries c ON c.id = l.country_id ORDER BY c.position, p.summit_id, p.position",
    ):
        priorities.append(
            {
                "id": r["id"],
                "url": f"/priorities/{r['id']}",
                "kind": r["kind"],
                "position": r["position"],
                "title": r["title"],
                "description": r["description"],
                "leader": leader_summary[r["leader_id"]],
                "country": country_summary[r["country_id"]],
                "summit": summit_summary[r["summit_id"]],
                "themes": priority_themes[r["id"]],
                "sources": citations[("priority", r["id"])],
            }
        )
    priority_count: dict[str, int] = defaultdict(int)
    for p in priorities:
        priority_count[p["country"]["id"]] += 1

    parties: dict[str, list[Item]] = defaultdict(list)
    for r in _rows(conn, "SELECT * FROM agreement_parties ORDER BY agreement_id, position"):
        parties[r["agreement_id"]].append(country_summary[r["country_id"]])
    agreement_themes: dict[str, list[Item]] = defaultdict(list)
    for r in _rows(conn, "SELECT * FROM agreement_themes ORDER BY agreement_id, position"):
        agreement_themes[r["agreement_id"]].append(theme_summary[r["theme_id"]])
    values: dict[str, list[Item]] = defaultdict(list)
    for r in _rows(conn, "SELECT * FROM agreement_values ORDER BY agreement_id, position"):
        values[r["agreement_id"]].append(
            {k: r[k] for k in ("amount", "currency", "qualifier", "note", "source_id", "excerpt")}
        )
    claims: dict[str, list[Item]] = defaultdict(list)
    for r in _rows(conn, "SELECT * FROM agreement_claims ORDER BY agreement_id, position"):
        claims[r["agreement_id"]].append(
            {k: r[k] for k in ("attribute", "value", "source_id", "excerpt")}
        )
    agreements = [
        {
            "id": r["id"],
            "url": f"/agreements/{r['id']}",
            "kind": r["kind"],
            "position": r["position"],
            "title": r["title"],
            "also_known_as": orjson.loads(r["also_known_as"]),
            "description": r["description"],
            "summit": summit_summary[r["summit_id"]],
            "parties": parties[r["id"]],
            "count": r["count"],
            "fields": orjson.loads(r["fields"]),
            "themes": agreement_themes[r["id"]],
            "values": values[r["id"]],
            "claims": claims[r["id"]],
            "note": r["note"],
            "sources": citations[("agreement", r["id"])],
        }
        for r in _rows(
            conn,
            "SELECT a.* FROM agreements a JOIN summits s ON s.id = a.summit_id "
            "ORDER BY s.ordinal DESC, a.position",
        )
    ]
    agreement_count: dict[str, int] = defaultdict(int)
    for a in agreements:
        agreement_count[a["summit"]["id"]] += 1

    countries = [
        {
            "id": r["id"],
            "url": f"/countries/{r['id']}",
            "name": r["name"],
            "alpha2": r["alpha2"],
            "alpha3": r["alpha3"],
            "numeric": r["numeric"],
            "capital": r["capital"],
            "region": r["region"],
            "leader": leader_summary.get(leader_of_country.get(r["id"], "")),
            "summits": summits_of_country[r["id"]],
            "priority_count": priority_count[r["id"]],
            "priorities_url": f"/countries/{r['id']}/priorities",
        }
        for r in country_rows
    ]
    leaders = [
        {
            "id": r["id"],
            "url": f"/leaders/{r['id']}",
            "name": r["name"],
            "source_spelling": r["source_spelling"],
            "aliases": orjson.loads(r["aliases"]),
            "title": r["title"],
            "country": country_summary[r["country_id"]],
            "priority_count": priority_count[r["country_id"]],
            "sources": citations[("leader", r["id"])],
        }
        for r in leader_rows
    ]
    summits = [
        {
            "id": r["id"],
            "url": f"/summits/{r['id']}",
            "name": r["name"],
            "ordinal": r["ordinal"],
            "city": r["city"],
            "date": r["date"],
            "host": country_summary[r["host_id"]],
            "participants": participants[r["id"]],
            "agreement_count": agreement_count[r["id"]],
            "agreements_url": f"/summits/{r['id']}/agreements",
            "sources": citations[("summit", r["id"])],
        }
        for r in summit_rows
    ]
    statements = []
    for r in _rows(
        conn,
        "SELECT st.* FROM statements st JOIN summits s ON s.id = st.summit_id "
        "ORDER BY s.ordinal DESC, st.position",
    ):
        is_leader = r["leader_id"] is not None
        statements.append(
            {
                "id": r["id"],
                "url": f"/statements/{r['id']}",
                "kind": r["kind"],
                "position": r["position"],
                "text": r["text"],
                "context": r["context"],
                "speaker": {
                    "id": r["speaker_id"],
                    "name": r["speaker_name"],
                    "type": "leader" if is_leader else "person",
                    "role": r["speaker_role"],
                    "aliases": orjson.loads(r["speaker_aliases"]),
                    "url": f"/leaders/{r['leader_id']}" if is_leader else None,
                },
                "country": country_summary.get(r["speaker_country_id"]),
                "summit": summit_summary[r["summit_id"]],
                "sources": citations[("statement", r["id"])],
            }
        )

    themes, theme_details = _themes(theme_rows, priorities, agreements, list(country_summary))
    sources = [
        {
            "id": r["id"],
            "url": f"/sources/{r['id']}",
            "kind": r["kind"],
            "title": r["title"],
            "author": r["author"],
            "publisher": r["publisher"],
            "published": r["published"],
            "section": r["section"],
            "web_url": r["url"],
            "note": r["note"],
            "citation_count": cited_count[r["id"]],
        }
        for r in _rows(conn, "SELECT * FROM sources ORDER BY position")
    ]

    country_keys: dict[str, str] = {}
    for r in country_rows:
        for key in (r["id"], r["alpha3"], r["numeric"], r["name"]):
            country_keys[fold(key)] = r["id"]

    catalog = Catalog(
        meta=meta,
        countries=countries,
        leaders=leaders,
        summits=summits,
        priorities=priorities,
        agreements=agreements,
        statements=statements,
        themes=themes,
        theme_details=theme_details,
        sources=sources,
        country_keys=country_keys,
        speaker_ids=list(dict.fromkeys(s["speaker"]["id"] for s in statements)),
    )
    catalog.by_id = {
        name: {item["id"]: item for item in getattr(catalog, name)}
        for name in (
            "countries",
            "leaders",
            "summits",
            "priorities",
            "agreements",
            "statements",
            "themes",
            "sources",
        )
    }
    _validate(catalog)
    catalog.encoded = {
        id(item): (item, orjson.dumps(item))
        for items in catalog.by_id.values()
        for item in items.values()
    }
    return catalog


def _themes(
    theme_rows: list[sqlite3.Row],
    priorities: list[Item],
    agreements: list[Item],
    country_order: list[str],
) -> tuple[list[Item], dict[str, Item]]:
    """The country x theme matrix: per theme, which countries name it and how often.

    A priority counts for its leader's country; an agreement counts for each party.
    """
    rank = {cid: i for i, cid in enumerate(country_order)}
    groups: dict[str, dict[str, Item]] = defaultdict(dict)

    def group(theme_id: str, country: Item) -> Item:
        return groups[theme_id].setdefault(
            country["id"], {"country": country, "priorities": [], "agreements": []}
        )

    for p in priorities:
        for t in p["themes"]:
            group(t["id"], p["country"])["priorities"].append(_summary_of(p))
    for a in agreements:
        for t in a["themes"]:
            for party in a["parties"]:
                group(t["id"], party)["agreements"].append(_summary_of(a))

    themes, details = [], {}
    for r in theme_rows:
        ordered = sorted(groups[r["id"]].values(), key=lambda g: rank[g["country"]["id"]])
        theme = {
            "id": r["id"],
            "url": f"/themes/{r['id']}",
            "name": r["name"],
            "description": r["description"],
            "priority_count": sum(1 for p in priorities if _has_theme(p, r["id"])),
            "agreement_count": sum(1 for a in agreements if _has_theme(a, r["id"])),
            "countries": [
                {
                    **g["country"],
                    "priority_count": len(g["priorities"]),
                    "agreement_count": len(g["agreements"]),
                }
                for g in ordered
            ],
        }
        themes.append(theme)
        details[r["id"]] = {**theme, "by_country": ordered}
    return themes, details


def _summary_of(item: Item) -> Item:
    return {"id": item["id"], "name": item["title"], "url": item["url"]}


def _has_theme(item: Item, theme_id: str) -> bool:
    return any(t["id"] == theme_id for t in item["themes"])


def _validate(catalog: Catalog) -> None:
    """Fail start-up, not a request, if a representation strays from its documented model."""
    checks: list[tuple[type[BaseModel], list[Item]]] = [
        (schemas.Country, catalog.countries),
        (schemas.Leader, catalog.leaders),
        (schemas.Summit, catalog.summits),
        (schemas.Priority, catalog.priorities),
        (schemas.Agreement, catalog.agreements),
        (schemas.Statement, catalog.statements),
        (schemas.Theme, catalog.themes),
        (schemas.ThemeDetail, list(catalog.theme_details.values())),
        (schemas.Source, catalog.sources),
    ]
    for model, items in checks:
        for item in items:
            model.model_validate(item)
