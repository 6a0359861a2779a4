"""Look-ups shared by several routes, as dependencies that raise the 404."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path

from app import schemas
from app.dataset.catalog import Catalog, Record
from app.problems import not_found

COUNTRY_ID = Path(
    max_length=80,
    description="ISO alpha-2 (canonical, e.g. `kg`), alpha-3 (`KGZ`), numeric (`417`) or "
    "English name (`kyrgyzstan`), case-insensitive.",
    examples=["kg"],
)


@dataclass(frozen=True)
class FoundCountry:
    """A country resolved from any of its keys; `alias` when the key was not canonical."""

    item: schemas.Country
    alias: bool


def lookup(catalog: Catalog, collection: str, what: str, id_: str) -> Record:
    item = catalog.get(collection, id_)
    if item is None:
        raise not_found(what, id_)
    return item


def country_dep(catalog: Catalog) -> Any:
    """The dependency (`Annotated[FoundCountry, country_dep(catalog)]`) resolving the
    `country_id` path parameter of this catalog, or raising the 404."""

    async def resolve_country(country_id: Annotated[str, COUNTRY_ID]) -> FoundCountry:
        cid = catalog.country_id(country_id)
        if cid is None:
            raise not_found("country", country_id)
        item = catalog.by_id["countries"][cid]
        assert isinstance(item, schemas.Country)
        return FoundCountry(item, country_id != cid)

    return Depends(resolve_country)


def path_id(example: str, what: str, alias: str | None = None) -> Any:
    return Path(max_length=80, alias=alias, description=f"The {what}'s id.", examples=[example])
