"""The country x theme matrix: per theme, who states, endorses or signs up to it, how often."""

from collections import defaultdict
from typing import Any

from app import schemas
from app.dataset.represent import Row, Tables, summary


def themes_of(
    t: Tables, priorities: list[schemas.Priority], agreements: list[schemas.Agreement]
) -> list[schemas.ThemeDetail]:
    """The country x theme matrix: a priority counts for its leader's country (as an
    endorsement if it is one), an agreement for each party."""
    groups: dict[str, dict[str, dict[str, list[Any]]]] = defaultdict(dict)

    def group(theme_id: str, country_id: str) -> dict[str, list[Any]]:
        empty: dict[str, list[Any]] = {"priorities": [], "agreements": []}
        return groups[theme_id].setdefault(country_id, empty)

    for p in priorities:
        for theme in p.themes:
            group(theme.id, p.country.id)["priorities"].append(p)
    for a in agreements:
        for theme in a.themes:
            for party in a.parties:
                group(theme.id, party.id)["agreements"].append(a)
    return [_theme(t, r, groups[r["id"]], priorities, agreements) for r in t.themes]


def _theme(
    t: Tables,
    r: Row,
    by_country: dict[str, dict[str, list[Any]]],
    priorities: list[schemas.Priority],
    agreements: list[schemas.Agreement],
) -> schemas.ThemeDetail:
    under = [p for p in priorities if any(x.id == r["id"] for x in p.themes)]
    ordered = [(cid, by_country[cid]) for cid in t.country if cid in by_country]
    return schemas.ThemeDetail(
        id=r["id"],
        url=f"/themes/{r['id']}",
        name=r["name"],
        description=r["description"],
        priority_count=sum(not p.endorses for p in under),
        endorsement_count=sum(p.endorses for p in under),
        agreement_count=sum(any(x.id == r["id"] for x in a.themes) for a in agreements),
        countries=[
            schemas.ThemeCountry(
                **dict(t.country[cid]),
                priority_count=sum(not p.endorses for p in g["priorities"]),
                endorsement_count=sum(p.endorses for p in g["priorities"]),
                agreement_count=len(g["agreements"]),
            )
            for cid, g in ordered
        ],
        by_country=[
            schemas.ThemeGroup(
                country=t.country[cid],
                priorities=[summary("priorities", p.id, p.title) for p in g["priorities"]],
                agreements=[summary("agreements", a.id, a.title) for a in g["agreements"]],
            )
            for cid, g in ordered
        ],
    )
