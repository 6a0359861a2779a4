"""The headers every response carries (app/edge/headers.py): the security headers, fitted to
the docs pages or the API, and CORS; on hits, misses and 304s alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import build
from tests.support import IDENTITY


def _csp(value: str) -> dict[str, list[str]]:
    directives = (part.split() for part in value.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def test_api_responses_have_a_closed_csp(client: TestClient) -> None:
    for url in ("/", "/countries", "/openapi.json", "/nowhere", "/countries?limit=0"):
        response = client.get(url)
        assert response.headers["x-content-type-options"] == "nosniff"
        csp = _csp(response.headers["content-security-policy"])
        assert csp == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}, url


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_csp_is_restrictive(client: TestClient, page: str) -> None:
    """What the pages need and no more; tests/test_docs.py renders them under it in
    headless Chromium and checks that nothing of theirs is refused."""
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "DENY"
    csp = _csp(response.headers["content-security-policy"])
    for directive in ("default-src", "frame-ancestors", "base-uri", "form-action"):
        assert csp[directive] == ["'none'"], directive
    for directive, sources in csp.items():
        # Nothing from elsewhere: no hosts, no schemes but data: and blob:.
        assert all(s.startswith("'") or s in ("data:", "blob:") for s in sources), directive
        assert "'unsafe-eval'" not in sources, directive
    assert "'self'" in csp["script-src"]
    assert "'self'" in csp["style-src"]


def test_docs_assets_are_not_sniffed(client: TestClient) -> None:
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        response = client.get(f"/static-offline-docs/{asset}")
        assert response.status_code == 200
        assert response.headers["x-content-type-options"] == "nosniff"


def test_cors_never_allows_credentials(db_path: Path) -> None:
    for origins in (["*"], ["https://app.example"]):
        app = build(db_path, cors_origins=origins)
        with TestClient(app) as client:
            simple = client.get(
                "/countries", headers={"Origin": "https://app.example", "Cookie": "a=b"}
            )
            preflight = client.options(
                "/countries",
                headers={
                    "Origin": "https://app.example",
                    "Access-Control-Request-Method": "GET",
                    "Access-Control-Request-Headers": "If-None-Match",
                },
            )
            assert (simple.status_code, preflight.status_code) == (200, 204)
            for response in (simple, preflight):
                assert "access-control-allow-credentials" not in response.headers
                assert response.headers["access-control-allow-origin"] == (
                    "*" if origins == ["*"] else "https://app.example"
                )
            exposed = simple.headers["access-control-expose-headers"].lower()
            assert {"etag", "link"} <= {h.strip() for h in exposed.split(",")}
            assert "POST" not in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize("url", ["/countries", "/static-offline-docs/swagger-ui.css", "/docs"])
def test_a_hit_and_a_304_carry_the_headers_of_the_miss(db_path: Path, url: str) -> None:
    origin = {**IDENTITY, "Origin": "https://app.example"}
    with TestClient(build(db_path)) as client:
        miss, _, hit = (client.get(url, headers=origin) for _ in "123")
        revalidated = client.get(url, headers={**origin, "If-None-Match": hit.headers["etag"]})
    assert revalidated.status_code == 304
    for name in ("x-content-type-options", "content-security-policy", "referrer-policy"):
        assert miss.headers[name] == hit.headers[name] == revalidated.headers[name], name
    for name in ("access-control-allow-origin", "access-control-expose-headers"):
        assert miss.headers[name] == hit.headers[name] == revalidated.headers[name], name
