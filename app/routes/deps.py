"""Look-ups shared by several routes, as dependencies that raise the 404, and the one place
that decides what an unknown id answers: 404, or for a retired id 410 Gone or 301."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path

from app import schemas
from app.dataset.catalog import Catalog, Record, Retired
from app.problems import Moved, ProblemError, not_found

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


def gone(retired: Retired, what: str) -> ProblemError:
    """The 410 of a retired id: since when, where its fact now lives, and why."""
    said = f"The {what} {retired.id!r} was retired in dataset version {retired.retired_in}"
    url = retired.successor_url
    if url is None:
        return ProblemError(410, f"{said}; its fact is no longer served. {retired.reason}")
    link = {"Link": f'<{url}>; rel="successor-version"'}
    return ProblemError(410, f"{said}; its fact now lives at {url}. {retired.reason}", headers=link)


def missing(catalog: Catalog, collection: str, what: str, id_: str) -> Exception:
    """What to raise for an id `collection` does not serve: a 301 to a renamed record's new
    id, a 410 for another retired id, a 404 for an id never published."""
    retired = catalog.gone(collection, id_)
    if retired is None:
        return not_found(what, id_)
    if retired.renamed and retired.successor_url is not None:
        return Moved(f"/{collection}/{id_}", retired.successor_url)
    return gone(retired, what)


def lookup(catalog: Catalog, collection: str, what: str, id_: str) -> Record:
    item = catalog.get(collection, id_)
    if item is None:
        raise missing(catalog, collection, what, id_)
    return item


def country_dep(catalog: Catalog) -> Any:
    """The dependency (`Annotated[FoundCountry, country_dep(catalog)]`) resolving the
    `country_id` path parameter of this catalog, or raising the 404."""

    async def resolve_country(country_id: Annotated[str, COUNTRY_ID]) -> FoundCountry:
        cid = catalog.country_id(country_id)
        if cid is None:
            raise missing(catalog, "countries", "country", country_id)
        item = catalog.by_id["countries"][cid]
        assert isinstance(item, schemas.Country)
        return FoundCountry(item, country_id != cid)

    return Depends(resolve_country)


def path_id(example: str, what: str, alias: str | None = None) -> Any:
    return Path(max_length=80, alias=alias, description=f"The {what}'s id.", examples=[example])
