"""The query conventions clients follow by themselves (app/routes/querystring.py, with the
cache key's app/edge/negotiation.py): `name[]` is `name`; `_` and `utm_*` are no parameters
and no part of the cache key; anything else unknown is still a 400 naming what is accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import build
from tests.support import IDENTITY, assert_problem, cache_of

COUNTRIES_BY_NAME = ["cn", "kz", "kg", "tj", "tm", "uz"]


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text[:300]
    return [item["id"] for item in response.json()["items"]]


def test_brackets_utm_and_cache_busters_share_the_cache_entry(db_path: Path) -> None:
    app = build(db_path)
    cache = cache_of(app)
    with TestClient(app) as client:
        plain = [client.get("/countries?sort=name", headers=IDENTITY) for _ in "12"]
        assert cache.stats()["entries"] == 1
        axios = client.get("/countries?sort[]=name&utm_source=x&_=1733", headers=IDENTITY)
        encoded = client.get("/countries?sort%5B%5D=name&utm_campaign=y", headers=IDENTITY)
    assert ids(axios) == ids(encoded) == ids(plain[0]) == COUNTRIES_BY_NAME
    assert axios.headers["etag"] == plain[0].headers["etag"] == encoded.headers["etag"]
    assert axios.content == plain[1].content
    assert cache.stats()["entries"] == 1
    assert cache.stats()["hits"] == 2


@pytest.mark.parametrize(
    ("url", "same_as"),
    [
        ("/countries?sort[]=-id&sort[]=name", "/countries?sort=-id&sort=name"),
        ("/countries?fields[]=id&fields[]=capital", "/countries?fields=id,capital"),
        ("/priorities?limit[]=3&offset=2", "/priorities?limit=3&offset=2"),
        ("/search?q=glac&_=1", "/search?q=glac"),
        ("/countries/kg?fields[]=name&utm_content=hero", "/countries/kg?fields=name"),
    ],
)
def test_a_convention_answers_as_the_plain_query(
    client: TestClient, url: str, same_as: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.content == client.get(same_as).content


def test_links_carry_the_parameters_as_read(client: TestClient) -> None:
    response = client.get("/priorities?sort[]=id&limit=2&utm_source=newsletter&_=9")
    link = response.headers["link"]
    assert '</priorities?sort=id&limit=2&offset=2>; rel="next"' in link
    assert "utm" not in link
    assert "_=" not in link


def test_an_unknown_parameter_is_still_a_400_naming_what_is_accepted(client: TestClient) -> None:
    body = assert_problem(client.get("/countries?colour[]=red&_=1&utm_source=x"), 400, "colour[]")
    (error,) = body["errors"]
    assert error["name"] == "colour[]"
    assert "region" in error["accepted"]
    assert "_" not in error["accepted"]


def test_a_single_valued_parameter_with_brackets_twice(client: TestClient) -> None:
    assert_problem(client.get("/countries?limit[]=2&limit=3"), 400, "limit")


def test_a_fixed_file_takes_a_cache_buster(client: TestClient) -> None:
    assert client.get("/openapi.json?_=1733").status_code == 200
    assert_problem(client.get("/openapi.json?_=1&v=2"), 400, "v")


def test_format_is_accepted_and_not_declared(client: TestClient) -> None:
    """A typed client can never ask a JSON operation for CSV (README, "CSV")."""
    document = client.get("/openapi.json").json()
    for path, item in document["paths"].items():
        names = {p["name"] for p in item["get"].get("parameters", [])}
        assert "format" not in names, path
    redirect = client.get("/countries?format=csv", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/countries.csv"


def test_array_parameters_say_brackets_are_accepted(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    (sort,) = [
        p for p in document["paths"]["/countries"]["get"]["parameters"] if p["name"] == "sort"
    ]
    assert sort["description"].endswith("send `sort[]`.")
