"""Every error class, as RFC 9457 problem+json, and the HTTP methods: 405, HEAD, OPTIONS, CORS."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import PROBLEM, assert_problem

ALLOW = "GET, HEAD, OPTIONS"
ORIGIN = "https://newsroom.example"

ITEMS = [
    ("/summits/beijing-2027", "summit", "beijing-2027"),
    ("/summits/beijing-2027/agreements", "summit", "beijing-2027"),
    ("/countries/atlantis", "country", "atlantis"),
    ("/countries/atlantis/priorities", "country", "atlantis"),
    ("/leaders/nobody", "leader", "nobody"),
    ("/priorities/nothing", "priority", "nothing"),
    ("/agreements/nothing", "agreement", "nothing"),
    ("/themes/nothing", "theme", "nothing"),
    ("/statements/nothing", "statement", "nothing"),
    ("/sources/nothing", "source", "nothing"),
]
UNKNOWN_PATHS = ["/nope", "/countries/kg/leaders", "/v1/countries", "/admin"]


# --- 404 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "what", "id_"), ITEMS)
def test_404_names_the_unknown_id(client: TestClient, url: str, what: str, id_: str) -> None:
    assert assert_problem(client.get(url), 404) == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": f"No {what} with id {id_!r}.",
        "instance": url,
    }


@pytest.mark.parametrize("url", UNKNOWN_PATHS)
def test_404_for_a_path_that_is_not_in_the_api(client: TestClient, url: str) -> None:
    assert assert_problem(client.get(url), 404) == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": f"No resource at {url!r}. GET / lists the collections.",
        "instance": url,
    }


# --- 400: unknown query parameters -----------------------------------------------------


def test_unknown_parameter_names_the_accepted_ones(client: TestClient) -> None:
    assert assert_problem(client.get("/countries?colour=red&limt=5"), 400) == {
        "type": "/problems/bad-request",
        "title": "Bad request",
        "status": 400,
        "detail": "Unknown query parameter(s): 'colour', 'limt'. This operation takes facet, "
        "fields, format, limit, offset, region, sort.",
        "instance": "/countries",
        "errors": [
            {
                "location": "query",
                "name": name,
                "message": f"{name} is not a parameter of this operation.",
                "accepted": ["facet", "fields", "format", "limit", "offset", "region", "sort"],
            }
            for name in ("colour", "limt")
        ],
    }


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("/?q=x", "none"),
        ("/health?verbose=1", "none"),
        ("/meta?pretty=1", "none"),
        ("/countries/kg?expand=leader", "fields"),
        ("/leaders/sadyr-japarov?expand=country", "fields"),
        (
            "/priorities?q=energy",
            "country, disputed, facet, fields, format, kind, leader, limit, offset, sort, source, "
            "summit, theme",
        ),
        (
            "/agreements?country=kg",
            "disputed, event, facet, fields, format, kind, limit, offset, party, sort, source, "
            "summit, theme",
        ),
        (
            "/statements?leader=xi-jinping",
            "country, disputed, event, facet, fields, format, kind, limit, offset, sort, source, "
            "speaker, speaker_kind, summit",
        ),
        (
            "/countries/kg/priorities?country=kg",
            "disputed, facet, fields, format, kind, limit, offset, sort, source, summit, theme",
        ),
        ("/sources?publisher=AsiaNews", "facet, fields, format, kind, limit, offset, sort"),
        (
            "/summits/astana-2025/agreements?summit=xian-2023",
            "disputed, facet, fields, format, kind, limit, offset, party, sort, source, theme",
        ),
        (
            "/events?country=kz",
            "facet, fields, format, kind, limit, offset, sort, source, summit",
        ),
        ("/events/astana-2025-xi-tokayev-talks?expand=summit", "fields"),
        (
            "/changes?field=speaker",
            "collection, facet, fields, format, limit, offset, record, sort, version",
        ),
    ],
)
def test_unknown_parameter_on_every_kind_of_endpoint(
    client: TestClient, url: str, accepted: str
) -> None:
    body = assert_problem(client.get(url), 400)
    [error] = body["errors"]
    name = url.split("?")[1].split("=")[0]
    assert error["message"] == f"{name} is not a parameter of this operation."
    assert error["accepted"] == ([] if accepted == "none" else accepted.split(", "))
    assert error["name"] == name


def test_a_parameter_given_twice_is_400(client: TestClient) -> None:
    # A filter takes several values (`country=kg&country=tj`); a page size takes one.
    body = assert_problem(client.get("/priorities?limit=5&limit=6"), 400)
    assert body["errors"] == [
        {
            "location": "query",
            "name": "limit",
            "message": "limit takes one value: send it once.",
            "accepted": ["an integer from 1 to 200"],
        }
    ]
    assert body["detail"] == "limit takes one value: send it once."


# --- 422: bad values -------------------------------------------------------------------


def test_422_names_the_parameter_and_what_it_accepts(client: TestClient) -> None:
    body = assert_problem(client.get("/priorities?limit=201"), 422)
    assert body["type"] == "/problems/invalid-parameter"
    assert body["title"] == "Invalid parameter"
    assert body["instance"] == "/priorities"
    [error] = body["errors"]
    assert (error["location"], error["name"]) == ("query", "limit")
    assert error["accepted"] == ["an integer from 1 to 200"]
    assert body["detail"] == "limit must be 200 or less, not '201'. Send an integer from 1 to 200."


def test_422_names_every_bad_parameter(client: TestClient) -> None:
    body = assert_problem(
        client.get("/priorities?country=atlantis&theme=fisheries&summit=rome-2030"), 422
    )
    assert [e["name"] for e in body["errors"]] == ["country", "theme", "summit"]
    assert body["detail"].startswith("country does not take 'atlantis'. Send one of: kz, uz, ")
    assert "theme does not take 'fisheries'. Send one of: energy, " in body["detail"]
    assert body["detail"].endswith(
        "summit does not take 'rome-2030'. Send astana-2025 or xian-2023."
    )
    accepted = {e["name"]: e["accepted"] for e in body["errors"]}
    assert "kg" in accepted["country"]
    assert "energy" in accepted["theme"]
    assert "astana-2025" in accepted["summit"]


def test_422_names_every_bad_paging_parameter(client: TestClient) -> None:
    body = assert_problem(client.get("/countries?limit=0&offset=-1"), 422)
    assert sorted(e["name"] for e in body["errors"]) == ["limit", "offset"]
    assert all(e["accepted"] for e in body["errors"])


def test_422_on_agreements_and_statements_name_every_bad_filter(client: TestClient) -> None:
    body = assert_problem(client.get("/agreements?summit=x&party=y&theme=z"), 422)
    assert [e["name"] for e in body["errors"]] == ["summit", "party", "theme"]
    body = assert_problem(client.get("/statements?speaker=x&country=y&summit=z"), 422)
    assert sorted(e["name"] for e in body["errors"]) == ["country", "speaker", "summit"]


def test_422_names_every_bad_new_filter(client: TestClient) -> None:
    """Issue 19's filters: `disputed` is a boolean, `speaker_kind` one of the speaker kinds
    (seeds/README), `event` an event id (seeds/events.toml); each error says what it takes."""
    body = assert_problem(
        client.get("/statements?disputed=maybe&event=nowhere&speaker_kind=alien"), 422
    )
    assert sorted(e["name"] for e in body["errors"]) == ["disputed", "event", "speaker_kind"]
    accepted = {e["name"]: e["accepted"] for e in body["errors"]}
    assert "true" in accepted["disputed"]
    assert "false" in accepted["disputed"]
    assert "head-of-state" in accepted["speaker_kind"]
    assert "analyst" in accepted["speaker_kind"]
    assert "astana-2025-xi-tokayev-talks" in accepted["event"]


def test_overlong_id_is_422_on_the_path(client: TestClient) -> None:
    body = assert_problem(client.get("/countries/" + "k" * 81), 422)
    [error] = body["errors"]
    assert (error["location"], error["name"]) == ("path", "country_id")
    assert error["accepted"] == ["text of at most 80 characters"]
    assert body["detail"] == (
        "country_id must be at most 80 characters long. Send text of at most 80 characters."
    )


# --- no input yields a 5xx -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/countries/%00",
        "/countries/%FF%FE",
        "/countries/" + "%C3%A9" * 40,
        "/priorities?country=%00",
        "/priorities?theme=" + "x" * 5000,
        "/priorities?limit=99999999999999999999999",
        "/priorities?offset=1e3",
        "/priorities?limit=",
        "/agreements?kind=%27%3B%20DROP%20TABLE%20agreements%3B--",
        "/statements?speaker=%22%3E%3Cscript%3E",
        "/summits/..%2F..%2Fetc%2Fpasswd",
        "/leaders/%2e%2e",
        "/themes/energy%0d%0aSet-Cookie:%20x=1",
        "/?" + "&".join(f"p{i}=1" for i in range(300)),
    ],
)
def test_malformed_input_never_yields_5xx(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_problem(response, response.status_code)
    assert "set-cookie" not in response.headers


# --- 405 -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT", "BREW"])
@pytest.mark.parametrize("url", ["/countries", "/countries/kg", "/", "/nope", "/docs"])
def test_405_with_allow_for_every_other_method(client: TestClient, method: str, url: str) -> None:
    response = client.request(method, url, content=b'{"name": "x"}')
    assert response.headers["allow"] == ALLOW
    assert assert_problem(response, 405) == {
        "type": "/problems/method-not-allowed",
        "title": "Method not allowed",
        "status": 405,
        "detail": f"Method {method} is not allowed. This API is read-only: use {ALLOW}.",
        "instance": url,
    }


def test_a_write_changes_nothing(client: TestClient) -> None:
    before = client.get("/countries/kg").json()
    client.put("/countries/kg", json={**before, "name": "Kirghizia"})
    client.delete("/countries/kg")
    assert client.get("/countries/kg").json() == before


# --- HEAD ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/countries", "/countries/kg", "/countries/KGZ/priorities", "/health", "/docs"]
)
def test_head_answers_like_get_without_a_body(client: TestClient, url: str) -> None:
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers.get("link") == get.headers.get("link")
    assert head.headers.get("content-length") == get.headers.get("content-length")


@pytest.mark.parametrize(("url", "status"), [("/countries/atlantis", 404), ("/nope", 404)])
def test_head_of_an_error(client: TestClient, url: str, status: int) -> None:
    head = client.head(url)
    assert head.status_code == status
    assert head.headers["content-type"] == PROBLEM
    assert head.content == b""


# --- OPTIONS and CORS ------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/countries", "/countries/kg/priorities", "/openapi.json"])
def test_options_is_204_with_allow(client: TestClient, url: str) -> None:
    response = client.options(url)
    assert response.status_code == 204
    assert response.headers["allow"] == ALLOW
    assert response.content == b""


def test_cors_preflight(client: TestClient) -> None:
    response = client.options(
        "/countries/kg/priorities",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == "*"
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers


def test_cors_preflight_for_a_write_is_not_allowed(client: TestClient) -> None:
    response = client.options(
        "/countries", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"}
    )
    assert response.status_code < 500
    methods = response.headers.get("access-control-allow-methods", "")
    assert "DELETE" not in methods


@pytest.mark.parametrize("url", ["/countries", "/countries/kg", "/countries/atlantis", "/nope"])
def test_simple_cors_any_origin_may_read(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "link", "x-total-count"} <= exposed


def test_any_origin_is_allowed_without_an_origin_too(client: TestClient) -> None:
    """So a shared cache may hand the same answer to every caller (no `Vary: Origin`)."""
    response = client.get("/countries")
    assert response.headers["access-control-allow-origin"] == "*"
    assert "origin" not in response.headers["vary"].lower()
