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
    # One pass over the records per index, so that building is linear in the dataset.
    under: dict[str, list[schemas.Priority]] = defaultdict(list)
    agreed: dict[str, int] = defaultdict(int)

    def group(theme_id: str, country_id: str) -> dict[str, list[Any]]:
        empty: dict[str, list[Any]] = {"priorities": [], "agreements": []}
        return groups[theme_id].setdefault(country_id, empty)

    for p in priorities:
        for theme in p.themes:
            under[theme.id].append(p)
            group(theme.id, p.country.id)["priorities"].append(p)
    for a in agreements:
        for theme in a.themes:
            agreed[theme.id] += 1
            for party in a.parties:
                group(theme.id, party.id)["agreements"].append(a)
    rank = {cid: i for i, cid in enumerate(t.country)}
    return [_theme(t, r, groups[r["id"]], under[r["id"]], agreed[r["id"]], rank) for r in t.themes]


def _theme(
    t: Tables,
    r: Row,
    by_country: dict[str, dict[str, list[Any]]],
    under: list[schemas.Priority],
    agreement_count: int,
    rank: dict[str, int],
) -> schemas.ThemeDetail:
    """One theme: `under` its priorities, `by_country` its groups, in countries' order."""
    ordered = [(cid, by_country[cid]) for cid in sorted(by_country, key=rank.__getitem__)]
    return schemas.ThemeDetail(
        id=r["id"],
        url=f"/themes/{r['id']}",
        name=r["name"],
        description=r["description"],
        priority_count=sum(not p.endorses for p in under),
        endorsement_count=sum(p.endorses for p in under),
        agreement_count=agreement_count,
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
