"""Retired ids over HTTP (app/routes/deps.py decides): `410 Gone` naming where the fact now
lives, with a `rel="successor-version"` link; `301` for a record renamed in its own
collection; `404` only for an id never published; and the document declares what is real.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.loader import load
from tests.conftest import SEEDS, build, ids
from tests.expected import RETIRED_SEEDS
from tests.support import assert_problem

BELT_AND_ROAD = "astana-2025-cn-belt-and-road-integration"
SUPPORT_FOR_CHINA = "astana-2025-central-asian-support-for-china"
WHAT = {"priorities": "priority", "agreements": "agreement", "countries": "country"}


def test_the_retired_belt_and_road_priority_is_gone(client: TestClient) -> None:
    response = client.get(f"/priorities/{BELT_AND_ROAD}")
    assert assert_problem(response, 410) == {
        "type": "/problems/gone",
        "title": "Gone",
        "status": 410,
        "detail": f"The priority '{BELT_AND_ROAD}' was retired in dataset version 2026.12.01; "
        "its fact now lives at /statements/experts-great-friendship-may-hide-risks. Its only "
        "source is the author's and unnamed experts' analysis (“… according to experts”), not "
        "a position Xi Jinping took, so it now lives only in the experts' statement.",
        "instance": f"/priorities/{BELT_AND_ROAD}",
    }
    link = '</statements/experts-great-friendship-may-hide-risks>; rel="successor-version"'
    assert response.headers["link"] == link


def test_the_retired_agreement_names_the_authors_statement(client: TestClient) -> None:
    response = client.get(f"/agreements/{SUPPORT_FOR_CHINA}?fields=id")
    body = assert_problem(response, 410)
    successor = "/statements/rozanskij-central-asia-intends-to-support-china"
    assert f"its fact now lives at {successor}." in body["detail"]
    assert response.headers["link"] == f'<{successor}>; rel="successor-version"'


MOVED = [r for r in RETIRED_SEEDS if r.get("successor_collection") != r["collection"]]
RENAMED_IN_PLACE = [r for r in RETIRED_SEEDS if r.get("successor_collection") == r["collection"]]


def test_the_seeds_retire_both_ways() -> None:
    assert (len(RETIRED_SEEDS), len(MOVED), len(RENAMED_IN_PLACE)) == (8, 3, 5)


@pytest.mark.parametrize("r", MOVED, ids=[r["id"] for r in MOVED])
def test_every_moved_id_is_gone_its_successor_served(client: TestClient, r: Any) -> None:
    url = f"/{r['collection']}/{r['id']}"
    response = client.get(url, follow_redirects=False)
    body = assert_problem(response, 410)
    successor = f"/{r['successor_collection']}/{r['successor']}"
    assert (body["instance"], r["reason"] in body["detail"]) == (url, True)
    assert response.headers["link"] == f'<{successor}>; rel="successor-version"'
    assert client.get(successor).status_code == 200
    assert r["id"] not in ids(f"/{r['collection']}?limit=200", client)


@pytest.mark.parametrize("r", RENAMED_IN_PLACE, ids=[r["id"] for r in RENAMED_IN_PLACE])
def test_every_id_renamed_in_its_collection_redirects(client: TestClient, r: Any) -> None:
    url = f"/{r['collection']}/{r['id']}"
    response = client.get(f"{url}?fields=id", follow_redirects=False)
    assert (response.status_code, response.content) == (301, b"")
    location = f"/{r['collection']}/{r['successor']}?fields=id"
    assert response.headers["location"] == location
    assert client.get(location).json() == {"id": r["successor"]}
    assert r["id"] not in ids(f"/{r['collection']}?limit=200", client)


def test_the_tokayev_statements_take_the_ids_once_given_to_xi(client: TestClient) -> None:
    response = client.get("/statements/xi-no-political-conditions-on-cooperation")
    assert response.history[0].status_code == 301
    assert str(response.url).endswith("/statements/tokayev-china-never-sets-political-conditions")
    assert response.json()["speaker"]["id"] == "kassym-jomart-tokayev"


def test_an_id_never_published_is_still_404(client: TestClient) -> None:
    assert_problem(client.get("/priorities/astana-2025-cn-belt-and-road"), 404)


def test_meta_counts_the_retired_ids(client: TestClient) -> None:
    counts = client.get("/meta").json()["retired_counts"]
    assert {k: v for k, v in counts.items() if v} == {
        "priorities": 3,
        "agreements": 1,
        "statements": 4,
    }


# --- the document ----------------------------------------------------------------------------


def operation(client: TestClient, path: str) -> dict[str, Any]:
    op: dict[str, Any] = client.get("/openapi.json").json()["paths"][path]["get"]
    return op


@pytest.mark.parametrize(
    ("path", "retired"),
    [
        ("/priorities/{priority_id}", BELT_AND_ROAD),
        ("/agreements/{agreement_id}", SUPPORT_FOR_CHINA),
    ],
)
def test_the_document_declares_410_with_a_real_answer(
    client: TestClient, path: str, retired: str
) -> None:
    declared = operation(client, path)["responses"]["410"]
    example = declared["content"]["application/problem+json"]["example"]
    assert example["instance"] == path.split("{")[0] + retired
    assert client.get(example["instance"]).json() == example
    assert declared["headers"] == {
        "Link": {"$ref": "#/components/headers/Link"},
        "X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"},
    }


def test_no_410_where_nothing_was_retired(client: TestClient) -> None:
    assert not {"301", "410"} & set(operation(client, "/countries/{country_id}")["responses"])


def test_the_document_declares_301_only_where_a_record_was_renamed(client: TestClient) -> None:
    declared = {
        path: {"301", "410"} & set(operation(client, path)["responses"])
        for path in (
            "/priorities/{priority_id}",
            "/agreements/{agreement_id}",
            "/statements/{statement_id}",
        )
    }
    assert declared == {
        "/priorities/{priority_id}": {"301", "410"},
        "/agreements/{agreement_id}": {"410"},
        "/statements/{statement_id}": {"301"},
    }
    moved = operation(client, "/statements/{statement_id}")["responses"]["301"]
    assert moved["headers"] == {
        "Location": {"$ref": "#/components/headers/Location"},
        "X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"},
    }


# --- a renamed record and a record gone for good, in a copy of the seeds -------------------

RENAMED = """
[[retired]]
id = "astana-2025-kg-rare-earths"
collection = "priorities"
successor = "astana-2025-kg-rare-earth-processing"
successor_collection = "priorities"
reason = "Renamed after its excerpt."
retired_in = "2026.12.01"

[[retired]]
id = "su"
collection = "countries"
reason = "Never a participant."
retired_in = "2026.12.01"
"""


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    directory = tmp_path_factory.mktemp("renamed")
    seeds = directory / "seeds"
    seeds.mkdir()
    for path in SEEDS.glob("*.toml"):
        (seeds / path.name).write_bytes(path.read_bytes())
    with (seeds / "retired.toml").open("a", encoding="utf-8") as fh:
        fh.write(RENAMED)
    load(seeds, directory / "summit.db")
    with TestClient(build(directory / "summit.db"), follow_redirects=False) as test_client:
        yield test_client


def test_a_renamed_record_redirects_permanently_keeping_the_query(renamed: TestClient) -> None:
    response = renamed.get("/priorities/astana-2025-kg-rare-earths?fields=id&fields=title")
    assert response.status_code == 301
    location = "/priorities/astana-2025-kg-rare-earth-processing?fields=id&fields=title"
    assert response.headers["location"] == location
    assert renamed.get(location).json()["id"] == "astana-2025-kg-rare-earth-processing"


def test_a_record_with_no_successor_is_gone_without_a_link(renamed: TestClient) -> None:
    for url in ("/countries/su", "/countries/su/priorities"):
        response = renamed.get(url)
        body = assert_problem(response, 410)
        assert body["detail"].startswith("The country 'su' was retired in dataset version")
        assert "its fact is no longer served. Never a participant." in body["detail"]
        assert "link" not in response.headers
    assert_problem(renamed.get("/countries/sv"), 404)


def test_the_document_declares_the_301_where_a_record_was_renamed(renamed: TestClient) -> None:
    declared = operation(renamed, "/priorities/{priority_id}")["responses"]
    assert declared["301"]["headers"] == {
        "Location": {"$ref": "#/components/headers/Location"},
        "X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"},
    }
    assert "410" in declared  # the belt-and-road priority is still gone
    assert "410" in operation(renamed, "/countries/{country_id}")["responses"]
