"""The HTTP cache layer (app/edge/http_cache.py): ETag, 304, Vary, gzip, HEAD, which request
headers select a stored response, and what a route can ask of the cache; over HTTP against
the real app."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.edge.http_cache import HttpCache
from tests.conftest import build
from tests.support import (
    GZIP,
    IDENTITY,
    PROBLEM,
    STRONG_ETAG,
    STRONG_GZIP_ETAG,
    cache_of,
    free_port,
    raw_get,
    running,
    uvicorn_command,
)

URL = "/countries/kg/priorities"
DEFAULT_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=60"


@pytest.fixture
def fresh(db_path: Path) -> Iterator[TestClient]:
    """An app of its own, with an empty cache."""
    with TestClient(build(db_path)) as test_client:
        yield test_client


def comparable(response: httpx2.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers (less Date, which the server adds, and X-Request-ID, new for each
    request) and the body as sent."""
    per_request = ("date", "x-request-id")
    headers = [(k, v) for k, v in response.headers.multi_items() if k not in per_request]
    return response.status_code, headers, response.content


# --- ETag, Cache-Control, Vary -----------------------------------------------------------


# What changes the bytes of each: Accept where a collection may answer 303 to its CSV,
# Accept-Encoding where a gzip variant exists; never Origin, which every origin gets as `*`.
VARY = {
    URL: "Accept, Accept-Encoding",
    "/countries": "Accept, Accept-Encoding",
    "/countries.csv": "Accept-Encoding",
    "/": "Accept-Encoding",
    "/countries/kg": "Accept-Encoding",
    "/docs": "Accept-Encoding",
    "/openapi.json": "Accept-Encoding",
    "/countries/kg?fields=id": None,  # under 500 bytes: no gzip variant
}


def test_every_200_has_a_strong_etag_cache_control_and_vary(client: TestClient) -> None:
    """All but /health's, which is `no-store` (tests/test_index.py)."""
    for url, vary in VARY.items():
        for headers in (IDENTITY, GZIP, {**GZIP, "Origin": "https://app.example"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            assert STRONG_ETAG.match(response.headers["etag"].replace('-gz"', '"')), url
            assert response.headers["cache-control"] == DEFAULT_CACHE_CONTROL
            assert response.headers.get("vary") == vary, url


def test_cache_control_comes_from_the_settings(db_path: Path) -> None:
    app = build(db_path, cache_max_age=60, cache_stale_while_revalidate=5)
    with TestClient(app) as test_client:
        response = test_client.get(URL)
    assert response.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=5"


def test_the_etag_is_the_same_across_processes_and_after_a_restart(
    client: TestClient, db_path: Path, tmp_path: Path
) -> None:
    urls = [(URL, IDENTITY), (URL, GZIP), ("/countries.csv", IDENTITY), ("/", IDENTITY)]

    def etags(base: str) -> list[str]:
        with httpx.Client(base_url=base, trust_env=False) as http:
            return [http.get(url, headers=headers).headers["etag"] for url, headers in urls]

    here = [client.get(url, headers=headers).headers["etag"] for url, headers in urls]
    first_port, second_port = free_port(), free_port()
    with running(uvicorn_command(first_port), db_path, first_port, tmp_path / "a.log") as base:
        first = etags(base)
    with running(uvicorn_command(second_port), db_path, second_port, tmp_path / "b.log") as base:
        second = etags(base)
    with running(uvicorn_command(first_port), db_path, first_port, tmp_path / "c.log") as base:
        restarted = etags(base)
    assert first == second == restarted == here
    assert len(set(first)) == len(urls)


# --- If-None-Match -> 304 ----------------------------------------------------------------


def test_if_none_match_answers_304_with_no_body(client: TestClient) -> None:
    etag = client.get(URL, headers=IDENTITY).headers["etag"]
    response = client.get(URL, headers={**IDENTITY, "If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content-encoding" not in response.headers
    assert response.headers["etag"] == etag
    assert response.headers["cache-control"] == DEFAULT_CACHE_CONTROL
    assert response.headers["vary"] == "Accept, Accept-Encoding"


def test_if_none_match_on_a_miss_answers_304_too(fresh: TestClient, db_path: Path) -> None:
    with TestClient(build(db_path)) as other:
        etag = other.get(URL, headers=IDENTITY).headers["etag"]
    response = fresh.get(URL, headers={**IDENTITY, "If-None-Match": etag})
    assert (response.status_code, response.content) == (304, b"")
    assert cache_of(fresh.app).stats()["misses"] == 1


@pytest.mark.parametrize(
    "template",
    [
        '"0000", {etag}',
        '{etag}, "0000"',
        '"a","b",{etag}',
        "W/{etag}",
        'W/"0000", W/{etag}',
        "*",
    ],
)
def test_if_none_match_lists_weak_tags_and_star(client: TestClient, template: str) -> None:
    etag = client.get(URL, headers=IDENTITY).headers["etag"]
    response = client.get(URL, headers={**IDENTITY, "If-None-Match": template.format(etag=etag)})
    assert (response.status_code, response.content) == (304, b"")


@pytest.mark.parametrize(
    "value",
    ['"0000"', "W/", "", ",,,", '"', "x" * 8000, ('"0000", ' * 1500).rstrip(", "), "W/W/W/"],
)
def test_if_none_match_that_does_not_match_answers_200(client: TestClient, value: str) -> None:
    response = client.get(URL, headers={**IDENTITY, "If-None-Match": value})
    assert response.status_code == 200
    assert response.content == client.get(URL, headers=IDENTITY).content


def test_the_gzip_etag_does_not_revalidate_the_identity_representation(
    client: TestClient,
) -> None:
    gzip_etag = client.get(URL, headers=GZIP).headers["etag"]
    assert client.get(URL, headers={**IDENTITY, "If-None-Match": gzip_etag}).status_code == 200
    assert client.get(URL, headers={**GZIP, "If-None-Match": gzip_etag}).status_code == 304


# --- gzip --------------------------------------------------------------------------------


def test_gzip_when_accepted_and_worth_it(client: TestClient) -> None:
    identity_headers, identity = raw_get(client, URL, IDENTITY)
    headers, compressed = raw_get(client, URL, GZIP)
    assert "content-encoding" not in identity_headers
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(compressed) < len(identity)
    assert gzip.decompress(compressed) == identity
    assert STRONG_GZIP_ETAG.match(headers["etag"])
    assert STRONG_ETAG.match(identity_headers["etag"])
    assert headers["etag"] != identity_headers["etag"]
    assert headers["etag"].removesuffix('-gz"') == identity_headers["etag"].removesuffix('"')
    assert headers["content-type"] == identity_headers["content-type"]


def test_the_gzip_body_is_the_same_every_time(fresh: TestClient, db_path: Path) -> None:
    with TestClient(build(db_path, response_cache_entries=0)) as uncached:
        assert raw_get(fresh, URL, GZIP)[1] == raw_get(uncached, URL, GZIP)[1]


def test_no_gzip_for_a_small_body(client: TestClient) -> None:
    headers, body = raw_get(client, "/countries/kg?fields=id", GZIP)
    assert len(body) < 500
    assert "content-encoding" not in headers
    assert STRONG_ETAG.match(headers["etag"])
    assert "vary" not in headers  # no other variant: the same bytes for every request


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("GZIP", True),
        ("*", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("*;q=0", False),
        ("br", False),
        ("gzip;q=abc", False),
        ("*, gzip;q=0", False),
        ("x" * 5000, False),
        (",;=;q,q=" * 500, False),
    ],
)
def test_accept_encoding(client: TestClient, accept_encoding: str, gzipped: bool) -> None:
    headers, _ = raw_get(client, URL, {"Accept-Encoding": accept_encoding})
    assert ("content-encoding" in headers) is gzipped


def test_docs_assets_are_compressed_and_revalidated(client: TestClient) -> None:
    url = "/static-offline-docs/swagger-ui.css"
    headers, compressed = raw_get(client, url, GZIP)
    _, identity = raw_get(client, url, IDENTITY)
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(compressed) == identity
    assert "last-modified" not in headers  # file times differ between installs
    revalidated = client.get(url, headers={**GZIP, "If-None-Match": headers["etag"]})
    assert revalidated.status_code == 304


def test_range_is_ignored_the_whole_representation_is_served(client: TestClient) -> None:
    url = "/static-offline-docs/swagger-ui.css"
    whole = client.get(url, headers=IDENTITY)
    ranged = client.get(url, headers={**IDENTITY, "Range": "bytes=0-9"})
    assert ranged.status_code == 200
    assert ranged.content == whole.content
    assert "accept-ranges" not in ranged.headers


# --- HEAD --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", [IDENTITY, GZIP])
@pytest.mark.parametrize("head_first", [True, False])
def test_head_has_the_get_headers_and_no_body(
    db_path: Path, encoding: dict[str, str], head_first: bool
) -> None:
    with TestClient(build(db_path)) as test_client:
        if head_first:
            head = test_client.head(URL, headers=encoding)
            get = test_client.get(URL, headers=encoding)
        else:
            get = test_client.get(URL, headers=encoding)
            head = test_client.head(URL, headers=encoding)
        assert head.status_code == 200
        assert head.content == b""
        assert comparable(head)[1] == comparable(get)[1]
        assert cache_of(test_client.app).stats()["entries"] == 1


def test_head_revalidates_and_a_missing_resource_has_no_body(client: TestClient) -> None:
    etag = client.get(URL, headers=IDENTITY).headers["etag"]
    head = client.head(URL, headers={**IDENTITY, "If-None-Match": etag})
    assert (head.status_code, head.content) == (304, b"")
    missing = client.head("/countries/atlantis")
    assert (missing.status_code, missing.content) == (404, b"")
    assert "etag" not in missing.headers


# --- the cache ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [URL, "/countries?limit=2&offset=1&sort=-name", "/countries?format=csv", "/docs", "/"],
)
@pytest.mark.parametrize("encoding", [IDENTITY, GZIP])
def test_a_cached_response_is_byte_identical_to_an_uncached_one(
    db_path: Path, url: str, encoding: dict[str, str]
) -> None:
    with (
        TestClient(build(db_path)) as cached,
        TestClient(build(db_path, response_cache_entries=0)) as uncached,
    ):
        # A miss, a miss that is stored (admission on the second request), a hit.
        first, second, third = (comparable(cached.get(url, headers=encoding)) for _ in "123")
        without = comparable(uncached.get(url, headers=encoding))
        assert first[0] == 200
        assert first == second == third == without
        assert cache_of(cached.app).stats()["hits"] == 1
        assert cache_of(uncached.app).stats()["entries"] == 0


def test_equivalent_query_strings_share_an_entry(fresh: TestClient) -> None:
    for _ in range(2):  # stored on the second request
        first = fresh.get("/countries?limit=2&offset=1&fields=id,url", headers=IDENTITY)
    stats = cache_of(fresh.app).stats()
    for url in (
        "/countries?offset=1&limit=2&fields=id,url",
        "/countries?fields=id%2Curl&offset=1&limit=2",
        "/countries?fields=id%2curl&limit=%32&offset=1",
    ):
        response = fresh.get(url, headers=IDENTITY)
        assert response.content == first.content
        assert response.headers["etag"] == first.headers["etag"]
    after = cache_of(fresh.app).stats()
    assert after["entries"] == stats["entries"]
    assert after["hits"] == stats["hits"] + 3


def test_the_representation_headers_select_the_variant(fresh: TestClient) -> None:
    for _ in range(2):  # each variant stored on its second request
        json_response = fresh.get("/countries", headers=IDENTITY)
        csv_response = fresh.get("/countries", headers={**IDENTITY, "Accept": "text/csv"})
        gzipped = fresh.get("/countries", headers=GZIP)
    both = fresh.get("/countries", headers={**IDENTITY, "Accept": "text/csv, application/json"})
    assert json_response.headers["content-type"] == "application/json"
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert csv_response.headers["etag"] != json_response.headers["etag"]
    assert both.content == json_response.content
    assert both.headers["etag"] == json_response.headers["etag"]
    assert gzipped.headers["content-encoding"] == "gzip"
    # JSON, CSV, gzipped JSON: three entries; `both` was a hit on the JSON one.
    assert cache_of(fresh.app).stats()["entries"] == 3
    assert cache_of(fresh.app).stats()["hits"] == 1


def test_csv_by_accept_and_by_format_are_the_same_representation(client: TestClient) -> None:
    by_accept = client.get("/countries", headers={**IDENTITY, "Accept": "text/csv"})
    by_format = client.get("/countries?format=csv", headers=IDENTITY)
    assert by_accept.headers["etag"] == by_format.headers["etag"]
    assert by_accept.content == by_format.content


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv;q=0", "application/json"),
        ("text/csv;q=0, application/json", "application/json"),
        ("TEXT/CSV", "text/csv; charset=utf-8"),
        ("Text/Csv;q=0.9, application/json;q=0.5", "text/csv; charset=utf-8"),
        ("text/csv;q=0.2, */*", "application/json"),
    ],
)
def test_accept_honours_q_values_and_any_case(db_path: Path, accept: str, media_type: str) -> None:
    """RFC 9110, section 12.5.1; the cache key and the app read Accept the same way, so
    neither variant is ever stored under the other's key (app/edge/negotiation.py)."""
    with TestClient(build(db_path)) as fresh:
        for _ in range(3):  # a miss, a stored miss, a hit
            response = fresh.get("/countries", headers={**IDENTITY, "Accept": accept})
            assert response.headers["content-type"] == media_type
        for plain, expected in (("application/json", "application/json"), ("text/csv", "text/")):
            response = fresh.get("/countries", headers={**IDENTITY, "Accept": plain})
            assert response.headers["content-type"].startswith(expected)
        assert cache_of(fresh.app).stats()["entries"] == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/countries/atlantis", 404),
        ("/countries?limit=0", 422),
        ("/countries?colour=red", 400),
        ("/nowhere", 404),
    ],
)
def test_errors_are_not_cached_and_have_no_etag(fresh: TestClient, url: str, status: int) -> None:
    for _ in range(2):
        response = fresh.get(url, headers=IDENTITY)
        assert response.status_code == status
        assert response.headers["content-type"] == PROBLEM
        assert "etag" not in response.headers
        assert "cache-control" not in response.headers
    stats = cache_of(fresh.app).stats()
    assert (stats["entries"], stats["hits"], stats["misses"]) == (0, 0, 2)


def test_an_absurd_request_never_yields_a_5xx(client: TestClient) -> None:
    headers = {
        "If-None-Match": 'W/"' + "a" * 5000 + '", *' * 2,
        "Accept-Encoding": ";q=" * 1500,
        "Accept": "text/csv" * 500,
    }
    response = client.get(URL, headers=headers)
    assert response.status_code < 500
    repeated = [("If-None-Match", '"x"')] * 200 + [("Accept-Encoding", "gzip;q=0")] * 200
    response = client.get(URL, headers=repeated)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers


# --- what a route can ask of the cache ---------------------------------------------------


def _route_app() -> HttpCache:
    async def no_store(request: Request) -> Response:
        return Response("x" * 1000, media_type="text/plain", headers={"Cache-Control": "no-store"})

    async def cookie(request: Request) -> Response:
        response = Response("x" * 1000, media_type="text/plain")
        response.set_cookie("session", "1")
        return response

    async def encoded(request: Request) -> Response:
        body = gzip.compress(b"y" * 1000, mtime=0)
        return Response(body, media_type="text/plain", headers={"Content-Encoding": "gzip"})

    async def varies(request: Request) -> Response:
        return Response("z" * 1000, media_type="image/png", headers={"Vary": "Origin, accept"})

    routes = [
        Route("/no-store", no_store),
        Route("/cookie", cookie),
        Route("/encoded", encoded),
        Route("/varies", varies),
    ]
    return HttpCache(Starlette(routes=routes), max_entries=10, max_bytes=100_000)


def test_no_store_and_set_cookie_are_not_stored_encoded_bodies_not_recompressed() -> None:
    cache = _route_app()
    with TestClient(cache) as test_client:
        for _ in range(2):
            no_store = test_client.get("/no-store", headers=GZIP)
            # passed through as the app sent it: no ETag, not compressed here
            assert no_store.headers["cache-control"] == "no-store"
            assert "content-encoding" not in no_store.headers
            assert "etag" not in no_store.headers
            cookie = test_client.get("/cookie", headers=IDENTITY)
            assert "set-cookie" in cookie.headers
        assert cache.stats()["entries"] == 0
        for _ in range(2):  # stored on the second request
            headers, body = raw_get(test_client, "/encoded", GZIP)
            assert gzip.decompress(body) == b"y" * 1000
            assert STRONG_ETAG.match(headers["etag"])
            varies = test_client.get("/varies", headers=GZIP)
        assert varies.headers["vary"] == "Origin, accept"  # the app's own, no gzip variant
        assert "content-encoding" not in varies.headers  # PNG is not worth compressing
        assert cache.stats()["entries"] == 2


def test_key_headers_select_the_response_when_cors_runs_inside(db_path: Path) -> None:
    """The cache runs in front of CORS (app/main.py), so CORS's headers are cached too: with
    a list of origins the cache keys on Origin and says so (Vary), and a 304 keeps the
    `access-control-*` headers."""
    listed = "https://example.org"
    api = build(
        db_path, response_cache_entries=10, response_cache_bytes=1_000_000, cors_origins=[listed]
    )
    cache = cache_of(api)
    origin = {**IDENTITY, "Origin": listed}
    with TestClient(api) as test_client:
        for _ in range(3):  # a miss, a stored miss, a hit: each variant
            plain = test_client.get(URL, headers=IDENTITY)
            cors = test_client.get(URL, headers=origin)
            assert "access-control-allow-origin" not in plain.headers
            assert cors.headers["access-control-allow-origin"] == listed
            assert "ETag" in cors.headers["access-control-expose-headers"]
            assert (
                plain.headers["vary"] == cors.headers["vary"] == "Accept, Origin, Accept-Encoding"
            )
        assert cache.stats()["entries"] == 2
        assert cache.stats()["hits"] == 2
        revalidated = test_client.get(
            URL, headers={**origin, "If-None-Match": cors.headers["etag"]}
        )
        assert revalidated.status_code == 304
        assert revalidated.headers["access-control-allow-origin"] == listed
        long_origin = {**IDENTITY, "Origin": "https://" + "a" * 300 + ".org"}
        for _ in range(2):
            assert test_client.get(URL, headers=long_origin).status_code == 200
        assert cache.stats()["entries"] == 2  # served, not stored


# Five browsers' Accept for a fetch or a navigation (Chrome, Firefox, Safari, curl, fetch()).
BROWSER_ACCEPTS = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8,image/webp",
    "*/*",
    "application/json",
)


def test_every_origin_and_browser_shares_one_entry_per_url_and_encoding(db_path: Path) -> None:
    """With every origin allowed (`*`, the default): 100 origins x 5 browsers' Accept, gzip
    and not, keep one entry per URL and encoding, and every answer allows any origin."""
    api = build(db_path, response_cache_entries=100, response_cache_bytes=1_000_000)
    cache = cache_of(api)
    urls = (URL, "/countries/kg")
    with TestClient(api) as test_client:
        for n in range(100):
            for accept in BROWSER_ACCEPTS:
                for url in urls:
                    for encoding in ("gzip", "identity"):
                        headers = {
                            "Origin": f"https://site{n}.example",
                            "Accept": accept,
                            "Accept-Encoding": encoding,
                        }
                        answer = test_client.get(url, headers=headers)
                        assert answer.status_code == 200
                        assert answer.headers["access-control-allow-origin"] == "*"
                        assert "origin" not in answer.headers["vary"].lower()
        no_origin = test_client.get(URL, headers=IDENTITY)
    assert no_origin.headers["access-control-allow-origin"] == "*"
    assert cache.stats()["entries"] == len(urls) * 2


def test_other_methods_pass_through_untouched() -> None:
    cache = _route_app()
    with TestClient(cache) as test_client:
        response = test_client.post("/varies")
        assert response.status_code == 405  # Starlette's own answer
        assert "etag" not in response.headers
    assert cache.stats()["misses"] == 0
