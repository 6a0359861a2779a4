"""Misuses of the API that `mypy --strict` must reject on the generated Python client: an
error on exactly the lines marked MISUSE (tests/test_typed_client.py)."""

from __future__ import annotations

from summit_client import Client
from summit_client.api.countries import list_countries
from summit_client.api.priorities import list_priorities
from summit_client.models import CountryPage, CountrySort, PriorityField, ThemeId


def misuse(api: Client) -> list[object]:
    seen: list[object] = []
    countries = list_countries.sync(client=api, limit=10)
    if not isinstance(countries, CountryPage) or not countries.items:
        return seen
    first = countries.items[0]
    seen.append(list_priorities.sync(client=api, theme=[ThemeId.ATLANTIS]))  # MISUSE: unknown theme
    seen.append(list_priorities.sync(client=api, fields=[PriorityField.COLOUR]))  # MISUSE: unknown fields name
    seen.append(list_countries.sync(client=api, sort=[CountrySort.POPULATION]))  # MISUSE: unknown sort key
    seen.append(first.nmae)  # MISUSE: misspelled field
    seen.append(list_priorities.sync(client=api, theme=["energy"]))  # MISUSE: a str, not a ThemeId
    seen.append(list_countries.sync(client=api, limit="ten"))  # MISUSE: wrong parameter type
    seen.append(list_countries.sync(client=api, colour="red"))  # MISUSE: unknown query parameter
    total: str = countries.total  # MISUSE: total is a number
    seen.append(total)
    return seen
