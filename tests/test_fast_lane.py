"""The fast lane (app/fast_lane.py) answers exactly as FastAPI's own stack does.

Two real apps over the same database, both with the response cache off so that every
request reaches them: one with the lane, one without (`FAST_LANE=false`). Every URL the
API links to, under a table of query strings that succeed and fail in every way, and then
query strings hypothesis builds from every parameter name the API declares, must give
the same status, headers and body from both. The lane's counters show that it answered
the successes itself and handed every error on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from app.fast_lane import FastLane
from app.problems import declared_params
from app.routes.index import COLLECTIONS
from tests.conftest import build

QUERIES = (
    "",
    "?limit=1",
    "?limit=2&offset=1",
    "?offset=3&limit=2",
    "?limit=200&offset=0",
    "?sort=-id",
    "?sort=id,-id",
    "?fields=id",
    "?fields=id,url",
    "?format=csv",
    "?format=json",
    "?limit=0",
    "?limit=201",
    "?limit=abc",
    "?offset=-1",
    "?limit=",
    "?format=xml",
    "?fields=nope",
    "?sort=nope",
    "?bogus=1",
    "?limit=1&limit=2",
    "?country=kg",
    "?country=KGZ&theme=energy",
    "?country=atlantis",
    "?summit=astana-2025&kind=proposal",
    "?kind=wish",
    "?leader=nobody",
    "?theme=energy&fields=id&sort=-id&limit=1",
)

ITEM_QUERIES = ("", "?fields=id", "?fields=id,url", "?fields=nope", "?bogus=1", "?limit=1")
LISTS = ("/priorities", "/agreements")


def _app(db_path: Path, fast_lane: bool) -> Any:
    """Without the response cache, so that every request reaches the app."""
    return build(db_path, response_cache_entries=0, fast_lane=fast_lane)


@pytest.fixture(scope="module")
def lane_app(db_path: Path) -> Any:
    return _app(db_path, True)


@pytest.fixture(scope="module")
def lane(lane_app: Any) -> Iterator[TestClient]:
    with TestClient(lane_app) as client:
        yield client


@pytest.fixture(scope="module")
def stack(db_path: Path) -> Iterator[TestClient]:
    with TestClient(_app(db_path, False)) as client:
        yield client


@pytest.fixture(scope="module")
def urls(stack: TestClient) -> list[str]:
    """Every collection and every object the API links to, plus the meta paths."""
    found = {"/", "/health", "/meta"}
    for name in COLLECTIONS:  # the index's list of collections
        collection = f"/{name}"
        found.add(collection)
        for item in stack.get(collection, params={"limit": 200}).json()["items"]:
            found.add(item["url"])
            found.update(v for k, v in item.items() if k.endswith("_url") and v)
    return sorted(url for url in found if url.startswith("/"))  # not the sources' web pages


def counters(app: Any) -> tuple[int, int]:
    lane: FastLane = app.state.fast_lane
    return lane.served, lane.handed_on


def same(lane: TestClient, stack: TestClient, url: str, **kwargs: Any) -> int:
    a = lane.get(url, **kwargs)
    b = stack.get(url, **kwargs)
    assert (a.status_code, a.headers.raw, a.content) == (
        b.status_code,
        b.headers.raw,
        b.content,
    ), url
    return a.status_code


def test_every_documented_operation_is_in_the_lane_and_nothing_else(lane_app: Any) -> None:
    lane: FastLane = lane_app.state.fast_lane
    in_lane = {plan.route.path for plan in lane.plans if plan.step is not None and plan.route}
    assert in_lane == set(lane_app.openapi()["paths"])
    assert all(isinstance(plan.route, APIRoute) for plan in lane.plans if plan.step)


def test_the_url_table_is_answered_alike(
    lane: TestClient, stack: TestClient, lane_app: Any, urls: list[str]
) -> None:
    assert len(urls) > 80
    statuses: set[int] = set()
    served, handed_on = counters(lane_app)
    for url in urls:
        # Collections take the whole table; an object takes `fields` and nothing else.
        queries = QUERIES if url.count("/") == 1 or url.endswith(LISTS) else ITEM_QUERIES
        for query in queries:
            statuses.add(same(lane, stack, url + query))
    assert statuses == {200, 400, 422}
    now_served, now_handed_on = counters(lane_app)
    assert now_served > served
    assert now_handed_on > handed_on


@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("/countries/kg/priorities", {"headers": {"accept": "text/csv"}}),
        ("/countries/KYRGYZSTAN", {}),
        ("/countries/Kyrgyz%20Republic/priorities?limit=1", {}),
        ("/countries/%20kg", {}),
        ("/priorities?limit=1", {"headers": {"origin": "https://example.org"}}),
        ("/search?q=rare", {}),
        ("/search?q=rare%20earth&type=priority&limit=1", {}),
        ("/search?q=", {}),
        ("/search", {}),
        ("/statements?speaker=xi-jinping", {}),
        ("/countries/", {}),
        ("/nowhere", {}),
        ("/openapi.json", {}),
        ("/docs", {}),
    ],
)
def test_odd_requests_are_answered_alike(
    lane: TestClient, stack: TestClient, url: str, kwargs: dict[str, Any]
) -> None:
    same(lane, stack, url, **kwargs)


def test_a_success_is_served_by_the_lane_and_an_error_handed_on(
    lane: TestClient, lane_app: Any
) -> None:
    served, handed_on = counters(lane_app)
    assert lane.get("/countries/kg/priorities?limit=1").status_code == 200
    assert counters(lane_app) == (served + 1, handed_on)
    assert lane.get("/countries/atlantis/priorities").status_code == 404
    assert counters(lane_app) == (served + 1, handed_on + 1)
    assert lane.head("/countries/kg").status_code == 200  # the cache asks for a GET
    assert counters(lane_app) == (served + 2, handed_on + 1)


def test_dependency_overrides_send_everything_to_fastapi(db_path: Path) -> None:
    from app.deps import get_catalog

    app = _app(db_path, True)
    real = app.state.catalog

    async def same_catalog() -> Any:
        return real

    app.dependency_overrides[get_catalog] = same_catalog
    with TestClient(app) as client:
        assert client.get("/countries/kg").status_code == 200
    assert counters(app) == (0, 1)


def _names(app: Any) -> list[str]:
    names: set[str] = set()
    for plan in app.state.fast_lane.plans:
        if plan.route is not None:
            names.update(declared_params(plan.route))
    return [*sorted(names), "bogus"]


VALUES = st.sampled_from(
    ["", "1", "0", "-1", "2", "200", "abc", "id", "-id", "id,url", "csv", "json", "kg", "KGZ",
     "energy", "astana-2025", "proposal", "xi-jinping", "rare", "%", "%ZZ", "\u00e9", "a,,b"]
)  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_query_string_is_answered_alike(
    lane: TestClient, stack: TestClient, lane_app: Any, urls: list[str], data: st.DataObject
) -> None:
    url = data.draw(st.sampled_from([*urls, "/search"]))
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(_names(lane_app)), VALUES), max_size=5))
    query = "&".join(f"{name}={value}" for name, value in pairs)
    same(lane, stack, f"{url}?{query}" if query else url)
