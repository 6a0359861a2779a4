"""The API's expected bodies, built from seeds/*.toml alone.

Nothing here imports the app: each representation is written out from the contract
(`/work/shared/api-contract.md`) and the seed files, so a test comparing a whole response
body with these objects checks the app's joins, counts and orderings rather than echoing
them. Orderings are the documented ones: countries, leaders, themes and sources in file
order; summits, agreements and statements newest summit first, then the source's order;
priorities grouped by country (in countries.toml order), then the source's order.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

Item = dict[str, Any]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _read(name: str) -> Any:
    with (SEEDS / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


DATASET: Item = _read("dataset")
COUNTRY_SEEDS: list[Item] = _read("countries")["countries"]
LEADER_SEEDS: list[Item] = _read("leaders")["leaders"]
SUMMIT_SEEDS: list[Item] = _read("summits")["summits"]
PRIORITY_SEEDS: list[Item] = _read("priorities")["priorities"]
AGREEMENT_SEEDS: list[Item] = _read("agreements")["agreements"]
STATEMENT_SEEDS: list[Item] = _read("statements")["statements"]
THEME_SEEDS: list[Item] = _read("themes")["themes"]
SOURCE_SEEDS: list[Item] = _read("sources")["sources"]
RETIRED_SEEDS: list[Item] = _read("retired")["retired"]
EVENT_SEEDS: list[Item] = _read("events")["events"]

COUNTRY = {c["id"]: c for c in COUNTRY_SEEDS}
LEADER = {x["id"]: x for x in LEADER_SEEDS}
SUMMIT = {s["id"]: s for s in SUMMIT_SEEDS}
THEME = {t["id"]: t for t in THEME_SEEDS}
EVENT = {e["id"]: e for e in EVENT_SEEDS}
SOURCE = {s["id"]: s for s in SOURCE_SEEDS}
LEADER_OF_COUNTRY = {x["country"]: x["id"] for x in LEADER_SEEDS}
COUNTRY_RANK = {c["id"]: i for i, c in enumerate(COUNTRY_SEEDS)}


def summary(collection: str, id_: str, name: str) -> Item:
    return {"id": id_, "name": name, "url": f"/{collection}/{id_}"}


def country_summary(cid: str) -> Item:
    return summary("countries", cid, COUNTRY[cid]["name"])


def leader_summary(lid: str) -> Item:
    return summary("leaders", lid, LEADER[lid]["name"])


def summit_summary(sid: str) -> Item:
    return summary("summits", sid, SUMMIT[sid]["name"])


def theme_summary(tid: str) -> Item:
    return summary("themes", tid, THEME[tid]["name"])


def event_summary(eid: str | None) -> Item | None:
    return summary("events", eid, EVENT[eid]["name"]) if eid else None


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def citations(record: Item) -> list[Item]:
    return [
        {
            "source_id": s["source_id"],
            "excerpt": s["excerpt"],
            "url": f"/sources/{s['source_id']}",
            "title": SOURCE[s["source_id"]]["title"],
            "publisher": SOURCE[s["source_id"]]["publisher"],
            "published": _date(SOURCE[s["source_id"]].get("published")),
            "web_url": SOURCE[s["source_id"]].get("url"),
        }
        for s in record.get("sources", [])
    ]


def claims(record: Item) -> list[Item]:
    keys = ("attribute", "value", "preferred", "source_id", "excerpt")
    return [{k: c.get(k, False) for k in keys} for c in record.get("claims", [])]


def facts(record: Item) -> Item:
    """The fields every fact-bearing record ends with."""
    return {
        "disputed": "dispute" in record,
        "dispute": record.get("dispute"),
        "claims": claims(record),
        "changes_url": f"/changes?record={record['id']}",
    }


def page(items: list[Item], limit: int = 50, offset: int = 0) -> Item:
    """The collection envelope around a full list, sliced to one page."""
    return {
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


def _country_of_priority(p: Item) -> str:
    country: str = LEADER[p["leader"]]["country"]
    return country


def _newest_first(records: list[Item]) -> list[Item]:
    return sorted(records, key=lambda r: (-SUMMIT[r["summit"]]["ordinal"], r["position"]))


# --- priorities --------------------------------------------------------------------------


def priority(p: Item) -> Item:
    return {
        "id": p["id"],
        "url": f"/priorities/{p['id']}",
        "kind": p["kind"],
        "position": p["position"],
        "title": p["title"],
        "description": p["description"],
        "leader": leader_summary(p["leader"]),
        "country": country_summary(_country_of_priority(p)),
        "summit": summit_summary(p["summit"]),
        "themes": [theme_summary(t) for t in p["themes"]],
        "sources": citations(p),
        "note": p.get("note"),
        "event": event_summary(p.get("event")),
        **facts(p),
    }


PRIORITIES: list[Item] = [
    priority(p)
    for p in sorted(
        PRIORITY_SEEDS,
        key=lambda p: (COUNTRY_RANK[_country_of_priority(p)], p["summit"], p["position"]),
    )
]


def priorities_of(cid: str) -> list[Item]:
    return [p for p in PRIORITIES if p["country"]["id"] == cid]


# --- agreements --------------------------------------------------------------------------


def _value(v: Item) -> Item:
    return {
        "amount": v.get("amount"),
        "currency": v.get("currency"),
        "qualifier": v.get("qualifier"),
        "note": v.get("note"),
        "preferred": v.get("preferred", False),
        "source_id": v["source_id"],
        "excerpt": v["excerpt"],
    }


def party(p: Any) -> Item:
    country, role = (p, "party") if isinstance(p, str) else (p["country"], p.get("role", "party"))
    return {**country_summary(country), "role": role}


def agreement(a: Item) -> Item:
    return {
        "id": a["id"],
        "url": f"/agreements/{a['id']}",
        "kind": a["kind"],
        "position": a["position"],
        "title": a["title"],
        "also_known_as": a.get("also_known_as", []),
        "description": a["description"],
        "summit": summit_summary(a["summit"]),
        "parties": [party(c) for c in a["parties"]],
        "count": a.get("count"),
        "fields": a.get("fields", []),
        "themes": [theme_summary(t) for t in a["themes"]],
        "values": [_value(v) for v in a.get("values", [])],
        "note": a.get("note"),
        "sources": citations(a),
        "event": event_summary(a.get("event")),
        **facts(a),
    }


AGREEMENTS: list[Item] = [agreement(a) for a in _newest_first(AGREEMENT_SEEDS)]


# --- summits, countries, leaders --------------------------------------------------------


def summit(s: Item) -> Item:
    return {
        "id": s["id"],
        "url": f"/summits/{s['id']}",
        "name": s["name"],
        "ordinal": s["ordinal"],
        "city": s["city"],
        "date": s["date"],
        "host": country_summary(s["host"]),
        "participants": [
            {**country_summary(p["country"]), "role": p["role"]} for p in s["participants"]
        ],
        "agreement_count": sum(
            1 for a in AGREEMENT_SEEDS if a["summit"] == s["id"] and "event" not in a
        ),
        "agreements_url": f"/summits/{s['id']}/agreements",
        "sources": citations(s),
        **facts(s),
    }


SUMMITS: list[Item] = [summit(s) for s in sorted(SUMMIT_SEEDS, key=lambda s: -s["ordinal"])]


def _priority_count(cid: str, kinds: tuple[str, ...] | None = None) -> int:
    """A country's priorities (of `kinds`, or of every kind: endorsements included)."""
    return sum(
        1
        for p in PRIORITY_SEEDS
        if _country_of_priority(p) == cid and (kinds is None or p["kind"] in kinds)
    )


# CLDR 47's names (Babel 2.18), written out: en, ru, zh, kk, ky, tg, tk, uz.
COUNTRY_NAMES = {
    "kz": "Kazakhstan Казахстан 哈萨克斯坦 Қазақстан Казакстан Қазоқистон Gazagystan Qozogʻiston",
    "uz": "Uzbekistan Узбекистан 乌兹别克斯坦 Өзбекстан Өзбекстан Ӯзбекистон Özbegistan "
    "Oʻzbekiston",
    "kg": "Kyrgyzstan Киргизия 吉尔吉斯斯坦 Қырғызстан Кыргызстан Қирғизистон Gyrgyzystan "
    "Qirgʻiziston",
    "tj": "Tajikistan Таджикистан 塔吉克斯坦 Тәжікстан Тажикстан Тоҷикистон Täjigistan Tojikiston",
    "tm": "Turkmenistan Туркменистан 土库曼斯坦 Түрікменстан Түркмөнстан Туркманистон Türkmenistan "
    "Turkmaniston",
    "cn": "China Китай 中国 Қытай Кытай Хитой Hytaý Xitoy",
}
LANGUAGES = ("en", "ru", "zh", "kk", "ky", "tg", "tk", "uz")
# CLDR's official languages of each, in its order (Russian is official in KZ and KG).
OFFICIAL = {"kz": ["ru", "kk"], "uz": ["uz"], "kg": ["ky", "ru"], "tj": ["tg"], "tm": ["tk"]}
OFFICIAL |= {"cn": ["zh"]}
FLAGS = {"kz": "🇰🇿", "uz": "🇺🇿", "kg": "🇰🇬", "tj": "🇹🇯", "tm": "🇹🇲", "cn": "🇨🇳"}


def country(c: Item) -> Item:
    lid = LEADER_OF_COUNTRY.get(c["id"])
    return {
        "id": c["id"],
        "url": f"/countries/{c['id']}",
        "name": c["name"],
        "alpha2": c["alpha2"],
        "alpha3": c["alpha3"],
        "numeric": c["numeric"],
        "capital": c["capital"],
        "region": c["region"],
        "leader": leader_summary(lid) if lid else None,
        "summits": [
            {**summit_summary(s["id"]), "role": p["role"]}
            for s in sorted(SUMMIT_SEEDS, key=lambda s: -s["ordinal"])
            for p in s["participants"]
            if p["country"] == c["id"]
        ],
        "priority_count": _priority_count(c["id"]),
        "priorities_url": f"/countries/{c['id']}/priorities",
        "endorsement_count": _priority_count(c["id"], ("endorsement",)),
        "flag": FLAGS[c["id"]],
        "names": dict(zip(LANGUAGES, COUNTRY_NAMES[c["id"]].split(" "), strict=True)),
        "languages": OFFICIAL[c["id"]],
    }


COUNTRIES: list[Item] = [country(c) for c in COUNTRY_SEEDS]


def leader(x: Item) -> Item:
    return {
        "id": x["id"],
        "url": f"/leaders/{x['id']}",
        "name": x["name"],
        "source_spelling": x["source_spelling"],
        "aliases": x["aliases"],
        "title": x["title"],
        "country": country_summary(x["country"]),
        "priority_count": sum(1 for p in PRIORITY_SEEDS if p["leader"] == x["id"]),
        "sources": citations(x),
        "endorsement_count": sum(
            1 for p in PRIORITY_SEEDS if p["leader"] == x["id"] and p["kind"] == "endorsement"
        ),
    }


LEADERS: list[Item] = [leader(x) for x in LEADER_SEEDS]


# --- statements --------------------------------------------------------------------------


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


def statement(st: Item) -> Item:
    if "leader" in st:
        who = LEADER[st["leader"]]
        # A leader's spellings live on the leader resource the speaker links to.
        speaker = {
            "id": who["id"],
            "name": who["name"],
            "type": "leader",
            "role": who["title"],
            "aliases": [],
            "url": f"/leaders/{who['id']}",
            "kind": "head-of-state",
        }
        cid = who["country"]
    else:
        sp = st["speaker"]
        speaker = {
            "id": slug(sp["name"]),
            "name": sp["name"],
            "type": "person",
            "role": sp["role"],
            "aliases": sp.get("aliases", []),
            "url": None,
            "kind": sp["kind"],
        }
        cid = sp.get("country")
    return {
        "id": st["id"],
        "url": f"/statements/{st['id']}",
        "kind": st["kind"],
        "position": st["position"],
        "text": st["text"],
        "context": st.get("context"),
        "speaker": speaker,
        "country": country_summary(cid) if cid else None,
        "summit": summit_summary(st["summit"]),
        "sources": citations(st),
        "note": st.get("note"),
        "event": event_summary(st.get("event")),
        **facts(st),
    }


STATEMENTS: list[Item] = [statement(st) for st in _newest_first(STATEMENT_SEEDS)]


# --- themes ------------------------------------------------------------------------------


def _title_summary(item: Item) -> Item:
    return {"id": item["id"], "name": item["title"], "url": item["url"]}


def _endorsements(priorities: list[Item]) -> int:
    return sum(1 for p in priorities if p["kind"] == "endorsement")


def theme_detail(t: Item) -> Item:
    """A theme with the country x theme row: a priority counts for its leader's country (as
    `priority_count` when the country states it, as `endorsement_count` when it endorses
    another's), an agreement for each of its parties; countries that name it none are left
    out. `by_country` lists both kinds of priority."""
    tid = t["id"]
    with_theme = [p for p in PRIORITIES if any(x["id"] == tid for x in p["themes"])]
    agreements = [a for a in AGREEMENTS if any(x["id"] == tid for x in a["themes"])]
    groups: list[Item] = []
    counts: list[tuple[int, int]] = []  # (own priorities, endorsements) per group
    for c in COUNTRY_SEEDS:
        own = [p for p in with_theme if p["country"]["id"] == c["id"]]
        ps = [_title_summary(p) for p in own]
        as_ = [_title_summary(a) for a in agreements if c["id"] in {x["id"] for x in a["parties"]}]
        if ps or as_:
            groups.append(
                {"country": country_summary(c["id"]), "priorities": ps, "agreements": as_}
            )
            counts.append((len(own) - _endorsements(own), _endorsements(own)))
    return {
        "id": tid,
        "url": f"/themes/{tid}",
        "name": t["name"],
        "description": t["description"],
        "priority_count": len(with_theme) - _endorsements(with_theme),
        "endorsement_count": _endorsements(with_theme),
        "agreement_count": len(agreements),
        "countries": [
            {
                **g["country"],
                "priority_count": own,
                "endorsement_count": endorsed,
                "agreement_count": len(g["agreements"]),
            }
            for g, (own, endorsed) in zip(groups, counts, strict=True)
        ],
        "by_country": groups,
    }


THEME_DETAILS: list[Item] = [theme_detail(t) for t in THEME_SEEDS]
THEMES: list[Item] = [{k: v for k, v in t.items() if k != "by_country"} for t in THEME_DETAILS]


# --- sources -----------------------------------------------------------------------------


def _citation_count(source_id: str) -> int:
    """Every fact citing it: `sources` of every record, plus agreement value/claim claims."""
    records = [*LEADER_SEEDS, *SUMMIT_SEEDS, *EVENT_SEEDS, *PRIORITY_SEEDS, *AGREEMENT_SEEDS]
    records += STATEMENT_SEEDS
    cited = [c for r in records for c in (*r.get("sources", []), *r.get("claims", []))]
    cited += [c for a in AGREEMENT_SEEDS for c in a.get("values", [])]
    return sum(1 for c in cited if c["source_id"] == source_id)


def source(s: Item) -> Item:
    published = s.get("published")
    return {
        "id": s["id"],
        "url": f"/sources/{s['id']}",
        "kind": s["kind"],
        "directness": s["directness"],
        "title": s["title"],
        "author": s.get("author"),
        "publisher": s["publisher"],
        "published": published.isoformat() if published is not None else None,
        "published_inferred": s.get("published_inferred", False),
        "section": s.get("section"),
        "web_url": s.get("url"),
        "note": s.get("note"),
        "citation_count": _citation_count(s["id"]),
    }


SOURCES: list[Item] = [source(s) for s in SOURCE_SEEDS]


# --- events --------------------------------------------------------------------------------


def event(e: Item) -> Item:
    return {
        "id": e["id"],
        "url": f"/events/{e['id']}",
        "kind": e["kind"],
        "name": e["name"],
        "date": e["date"],
        "place": e["place"],
        "summit": summit_summary(e["summit"]),
        "participants": [country_summary(c) for c in e["participants"]],
        "description": e["description"],
        "sources": citations(e),
        "note": e.get("note"),
        **facts(e),
    }


EVENTS: list[Item] = [
    event(e)
    for _, e in sorted(
        enumerate(EVENT_SEEDS),
        key=lambda ie: (-SUMMIT[ie[1]["summit"]]["ordinal"], ie[1]["date"], ie[0]),
    )
]


# --- retired ids ---------------------------------------------------------------------------

COLLECTIONS = ["sources", "themes", "countries", "summits", "events", "leaders", "priorities"]
COLLECTIONS += ["agreements", "statements"]
RETIRED_COUNTS = {
    name: sum(1 for r in RETIRED_SEEDS if r["collection"] == name) for name in COLLECTIONS
}


def by_id(items: list[Item]) -> dict[str, Item]:
    return {item["id"]: item for item in items}
