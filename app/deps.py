"""Look-ups shared by several routes, as dependencies that raise the 404 or the 422."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from app.catalog import Catalog, Item
from app.problems import ProblemError, bad_parameter, not_found


async def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


class FoundCountry:
    """A country resolved from any of its keys; `canonical` is set when the key was an alias."""

    def __init__(self, item: Item, canonical: str | None) -> None:
        self.item = item
        self.canonical = canonical

    @property
    def headers(self) -> dict[str, str]:
        return {"Link": f'<{self.canonical}>; rel="canonical"'} if self.canonical else {}


async def resolve_country(
    catalog: CatalogDep,
    country_id: Annotated[
        str,
        Path(
            max_length=80,
            description="ISO alpha-2 (canonical, e.g. `kg`), alpha-3 (`KGZ`), numeric (`417`) "
            "or English name (`kyrgyzstan`), case-insensitive.",
            examples=["kg"],
        ),
    ],
) -> FoundCountry:
    cid = catalog.country_id(country_id)
    if cid is None:
        raise not_found("country", country_id)
    item = catalog.by_id["countries"][cid]
    return FoundCountry(item, None if country_id == cid else item["url"])


CountryDep = Annotated[FoundCountry, Depends(resolve_country)]
CountryQuery = Annotated[
    str | None,
    Query(max_length=80, description="A country: alpha-2, alpha-3, numeric code or name."),
]


def country_filter(catalog: Catalog, name: str, value: str | None) -> str | None:
    """A country query parameter: any key form; an unknown one is a 422 naming the choices."""
    if value is None:
        return None
    cid = catalog.country_id(value)
    if cid is None:
        raise bad_parameter(
            name,
            f"unknown country {value[:80]!r}",
            "a country's alpha-2, alpha-3, numeric code or name: "
            + ", ".join(c["id"] for c in catalog.countries),
            status=422,
        )
    return cid


def id_filter(catalog: Catalog, name: str, collection: str, value: str | None) -> str | None:
    """A query parameter naming a record of `collection`; an unknown id is a 422."""
    return one_of(name, value, catalog.by_id[collection])


def one_of(name: str, value: str | None, choices: Collection[str]) -> str | None:
    if value is not None and value not in choices:
        raise bad_parameter(
            name, f"unknown {name} {value[:80]!r}", "one of: " + ", ".join(choices), status=422
        )
    return value


def checked(*checks: Callable[[], str | None]) -> list[str | None]:
    """Run every filter check, so that one 422 names each bad parameter, not just the first."""
    values: list[str | None] = []
    problems: list[ProblemError] = []
    for check in checks:
        try:
            values.append(check())
        except ProblemError as exc:
            problems.append(exc)
            values.append(None)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        errors = [error for problem in problems for error in problem.errors or []]
        names = ", ".join(str(error["name"]) for error in errors)
        raise ProblemError(422, f"Invalid parameter(s): {names}.", errors)
    return values


def lookup(catalog: Catalog, collection: str, what: str, id_: str) -> Item:
    item = catalog.get(collection, id_)
    if item is None:
        raise not_found(what, id_)
    return item
