"""A typed client of the Summit API on the package openapi-python-client generates from
/openapi.json (generated/python/summit_client, made by tests/test_typed_client.py, not
committed). `mypy --strict` checks this file with the package.

Each call's `parsed` is the union of what its statuses carry (the page, the problem, and
`Any` for the bodiless 303/304): `isinstance` picks the answer, as with any Python union;
no cast anywhere.

Run: python python/use_client.py BASE_URL — prints the same JSON object as
fetch/client.ts and orval/client.ts.
"""

from __future__ import annotations

import json
import re
import sys
from http import HTTPStatus
from typing import Any, NoReturn
from urllib.parse import parse_qs, urlsplit

from summit_client import Client
from summit_client.api.countries import get_country, get_country_priorities, list_countries
from summit_client.api.priorities import list_priorities
from summit_client.models import (
    Country,
    CountryPage,
    CountrySort,
    PriorityField,
    PriorityFieldsPage,
    PriorityPage,
    Problem,
    ThemeId,
)
from summit_client.types import UNSET

LINK = re.compile(r'<([^>]*)>\s*;\s*rel="([^"]+)"')


def fail(what: str, seen: object) -> NoReturn:
    raise SystemExit(f"{what}: {seen!r}")


def main(base_url: str) -> dict[str, Any]:
    api = Client(base_url=base_url)

    countries = list_countries.sync(client=api, limit=200, sort=[CountrySort.NAME])
    if not isinstance(countries, CountryPage):
        fail("GET /countries", countries)

    first = get_country_priorities.sync_detailed("kg", client=api, limit=2)
    if not isinstance(first.parsed, PriorityPage):
        fail("GET /countries/kg/priorities", first)
    links = {rel: target for target, rel in LINK.findall(first.headers.get("link", ""))}
    next_link = links.get("next") or fail("no next link", first.headers)
    query = parse_qs(urlsplit(next_link).query)
    second = get_country_priorities.sync_detailed(
        "kg", client=api, limit=int(query["limit"][0]), offset=int(query["offset"][0])
    )
    if not isinstance(second.parsed, PriorityPage):
        fail(next_link, second)

    sparse = list_priorities.sync(
        client=api, fields=[PriorityField.ID, PriorityField.TITLE], limit=3
    )
    if not isinstance(sparse, PriorityFieldsPage):
        fail("GET /priorities?fields=id,title", sparse)

    energy = list_priorities.sync(client=api, theme=[ThemeId.ENERGY])
    if not isinstance(energy, PriorityPage):
        fail("GET /priorities?theme=energy", energy)

    missing = get_country.sync_detailed("atlantis", client=api)
    if not isinstance(missing.parsed, Problem):
        fail("GET /countries/atlantis", missing)
    problem = missing.parsed

    kg = get_country.sync_detailed("kg", client=api)
    if not isinstance(kg.parsed, Country):
        fail("GET /countries/kg", kg)
    etag = kg.headers.get("etag") or fail("no ETag", kg.headers)
    again = get_country.sync_detailed("kg", client=api.with_headers({"If-None-Match": etag}))
    if again.status_code != HTTPStatus.NOT_MODIFIED:
        fail("If-None-Match did not give 304", again.status_code)

    return {
        "countries": countries.total,
        "country_ids": [c.id for c in countries.items],
        "leaders": [
            f"{c.name}: {c.leader.name if c.leader is not None else 'none'}"
            for c in countries.items
        ],
        "first_page": {"total": first.parsed.total, "ids": [p.id for p in first.parsed.items]},
        "next_link": next_link,
        "second_page": {
            "status": int(second.status_code),
            "offset": second.parsed.offset,
            "limit": second.parsed.limit,
            "ids": [p.id for p in second.parsed.items],
            "countries": sorted({p.country.id for p in second.parsed.items}),
        },
        "sparse": [sorted(p.to_dict()) for p in sparse.items],
        "theme": {"total": energy.total, "ids": [p.id for p in energy.items]},
        "problem": {
            "http_status": int(missing.status_code),
            "content_type": missing.headers.get("content-type"),
            "status": problem.status,
            "type": problem.type_,
            "detail": problem.detail,
            "errors": "absent" if problem.errors is UNSET else problem.to_dict()["errors"],
        },
        "not_modified": {"status": int(again.status_code), "name": kg.parsed.name, "etag": etag},
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
