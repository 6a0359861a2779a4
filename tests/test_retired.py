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


@pytest.mark.parametrize("r", RETIRED_SEEDS, ids=[r["id"] for r in RETIRED_SEEDS])
def test_every_retired_id_is_gone_its_successor_served(client: TestClient, r: Any) -> None:
    url = f"/{r['collection']}/{r['id']}"
    body = assert_problem(client.get(url), 410)
    successor = f"/{r['successor_collection']}/{r['successor']}"
    assert (body["instance"], r["reason"] in body["detail"]) == (url, True)
    assert client.get(successor).status_code == 200
    assert r["id"] not in ids(f"/{r['collection']}?limit=200", client)


def test_an_id_never_published_is_still_404(client: TestClient) -> None:
    assert_problem(client.get("/priorities/astana-2025-cn-belt-and-road"), 404)


def test_meta_counts_the_retired_ids(client: TestClient) -> None:
    counts = client.get("/meta").json()["retired_counts"]
    assert {k: v for k, v in counts.items() if v} == {"priorities": 1, "agreements": 1}


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
    assert declared["headers"] == {"Link": {"$ref": "#/components/headers/Link"}}


def test_no_410_where_nothing_was_retired(client: TestClient) -> None:
    for path in ("/countries/{country_id}", "/statements/{statement_id}"):
        assert not {"301", "410"} & set(operation(client, path)["responses"]), path


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
    assert declared["301"]["headers"] == {"Location": {"$ref": "#/components/headers/Location"}}
    assert "410" in declared  # the belt-and-road priority is still gone
    assert "410" in operation(renamed, "/countries/{country_id}")["responses"]
