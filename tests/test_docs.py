"""/docs, /redoc and /openapi.json: a valid, complete document, and docs that render offline."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from openapi_schema_validator import OAS31Validator
from openapi_schema_validator import validate as validate_schema
from openapi_spec_validator import validate as validate_spec

from tests.support import PROBLEM, free_port, running, uvicorn_command

CHROMIUM = Path("/usr/bin/chromium")
CONTENT_TYPES = {
    ".css": ("text/css",),
    ".js": ("text/javascript", "application/javascript"),
    ".png": ("image/png",),
    ".json": ("application/json",),
}
# Path parameters for trying each operation's example against the real endpoint.
PATH_VALUES = {"summit_id": "astana-2025", "country_id": "kg", "table": "summits"}
PATH_VALUES |= {"problem_type": "not-found"}
EXPECTED_OPERATIONS = {
    ("/", "get_index"),
    ("/meta", "get_meta"),
    ("/health", "get_health"),
    ("/summits", "list_summits"),
    ("/summits/{summit_id}", "get_summit"),
    ("/summits/{summit_id}/agreements", "get_summit_agreements"),
    ("/events", "list_events"),  # issue 19: the talks and forums held alongside a summit
    ("/events/{event_id}", "get_event"),
    ("/changes", "list_changes"),  # issue 19: the corrections between dataset versions
    ("/countries", "list_countries"),
    ("/countries/{country_id}", "get_country"),
    ("/countries/{country_id}/priorities", "get_country_priorities"),
    ("/leaders", "list_leaders"),
    ("/leaders/{leader_id}", "get_leader"),
    ("/priorities", "list_priorities"),
    ("/priorities/{priority_id}", "get_priority"),
    ("/agreements", "list_agreements"),
    ("/agreements/{agreement_id}", "get_agreement"),
    ("/themes", "list_themes"),
    ("/themes/{theme_id}", "get_theme"),
    ("/statements", "list_statements"),
    ("/statements/{statement_id}", "get_statement"),
    ("/sources", "list_sources"),
    ("/sources/{source_id}", "get_source"),
    ("/search", "search"),
    ("/problems/{problem_type}", "get_problem_type"),  # issue 20: each problem type's page
}
DOWNLOAD_OPERATIONS = {
    ("/dataset.db", "get_database"),
    ("/datapackage.json", "get_datapackage"),
    ("/datapackage.zip", "get_datapackage_zip"),
    ("/datapackage.xlsx", "get_datapackage_xlsx"),
    ("/datapackage/{table}.csv", "get_datapackage_table"),
    ("/themes/matrix.csv", "get_theme_matrix"),
}
# Every collection is also a CSV at its own path (README: "CSV").
EXPECTED_OPERATIONS |= {
    (f"{path}.csv", f"{op}_csv")
    for path, op in list(EXPECTED_OPERATIONS)
    if op.startswith("list_") or op in ("search", "get_summit_agreements", "get_country_priorities")
}


class AssetRefs(HTMLParser):
    """Every URL an HTML page makes the browser load: src, href, spec-url, url: '...'."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "spec-url") and value:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        self.urls += re.findall(r"""\burl:\s*['"]([^'"]+)['"]""", data)


def asset_urls(html: str) -> list[str]:
    parser = AssetRefs()
    parser.feed(html)
    return parser.urls


def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


# --- 1: the pages reference only their own assets --------------------------------------


@pytest.mark.parametrize(("url", "title"), [("/docs", "Swagger UI"), ("/redoc", "ReDoc")])
def test_docs_pages_load_only_same_origin_assets(client: TestClient, url: str, title: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert f"<title>Summit API - {title}</title>" in html
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html), "a CDN or absolute URL"
    urls = asset_urls(html)
    assert "/openapi.json" in urls
    assert any(u.endswith(".js") for u in urls)
    for asset in urls:
        assert asset.startswith("/"), asset
        assert not asset.startswith("//"), asset
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        suffix = Path(urlsplit(asset).path).suffix
        assert fetched.headers["content-type"].split(";")[0] in CONTENT_TYPES[suffix], asset
        assert fetched.content, asset


def test_the_redoc_bundle_fetches_nothing_elsewhere(client: TestClient) -> None:
    """app/docs.py: the one off-host load in ReDoc's bundle, its sidebar logo, made an empty
    inline image; the bundle is otherwise fastapi_offline's, byte for byte."""
    [bundle] = [u for u in asset_urls(client.get("/redoc").text) if u.endswith(".js")]
    served = client.get(bundle)
    assert served.status_code == 200
    assert b"cdn.redoc.ly" not in served.content
    assert b'src:"data:image/svg+xml,' in served.content
    original = client.get("/static-offline-docs/redoc.standalone.js").content
    logo, empty = b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:image/svg+xml,%3Csvg"
    assert original.count(logo) == 1
    before, after = original.split(logo)
    assert served.content.startswith(before)
    assert served.content.endswith(after)
    assert served.content[len(before) :].startswith(empty)
    assert client.get(bundle + "?v=2").status_code == 400  # a fixed file, like the others


def test_swagger_css_embeds_its_images(client: TestClient) -> None:
    html = client.get("/docs").text
    [css] = [u for u in asset_urls(html) if u.endswith(".css")]
    for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", client.get(css).text):
        assert ref.startswith("data:"), ref


def test_docs_pages_have_a_content_security_policy_of_self(client: TestClient) -> None:
    for url in ("/docs", "/redoc"):
        policy = client.get(url).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'none'"
        for name in ("script-src", "style-src", "connect-src", "img-src", "font-src"):
            assert not re.search(r"https?:|\*", directives[name]), (name, directives[name])


# --- 2: the OpenAPI document ------------------------------------------------------------


def test_openapi_document_is_valid(client: TestClient) -> None:
    document = spec(client)
    validate_spec(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"].startswith("3.1")


def test_info_describes_the_api_the_data_and_its_licence(client: TestClient) -> None:
    info = spec(client)["info"]
    assert info["title"] == "Summit API"
    assert info["version"] == "2026.12.02"
    assert info["contact"]["name"]
    assert info["license"]["identifier"] == "CC-BY-4.0"
    assert info["license"]["name"]
    for needle in ("AsiaNews", "Astana Times", "CC BY 4.0", "MIT", "problem+json"):
        assert needle in info["description"], needle


def test_every_contract_path_is_documented_once(client: TestClient) -> None:
    found = {(path, op["operationId"]) for path, _, op in operations(spec(client))}
    assert found == EXPECTED_OPERATIONS | DOWNLOAD_OPERATIONS
    assert {method for _, method, _ in operations(spec(client))} == {"get"}


def test_operation_ids_are_unique_and_each_tag_is_a_router_module(client: TestClient) -> None:
    """`list_countries` is in app/routes/countries.py's router: one router module per tag."""
    found = [op["operationId"] for _, _, op in operations(spec(client))]
    assert len(found) == len(set(found))
    for path, _, operation in operations(spec(client)):
        [tag] = operation["tags"]
        module = importlib.import_module(f"app.routes.{'index' if tag == 'meta' else tag}")
        assert callable(getattr(module, "router", None)), (path, tag)
        assert re.fullmatch(r"(get|list|search)(_[a-z]+)*", operation["operationId"]), path


@pytest.mark.parametrize(("path", "operation_id"), sorted(EXPECTED_OPERATIONS))
def test_every_operation_is_documented(client: TestClient, path: str, operation_id: str) -> None:
    document = spec(client)
    operation = document["paths"][path]["get"]
    assert operation["operationId"] == operation_id
    assert operation["summary"].strip()
    assert len(operation["description"]) > 20
    [tag] = operation["tags"]
    assert tag in {t["name"] for t in document["tags"]}
    media = "text/csv; charset=utf-8" if path.endswith(".csv") else "application/json"
    content = operation["responses"]["200"]["content"][media]
    assert "example" in content, f"{operation_id} has no 200 example"
    schema = {**content["schema"], "components": document["components"]}
    validate_schema(content["example"], schema, cls=OAS31Validator)
    declared = operation["responses"]
    errors = {s: r for s, r in declared.items() if s.startswith("4")}
    assert {"400", "414", "431"} <= set(errors)  # unknown parameters, the edge's limits
    if operation.get("parameters"):
        assert "422" in errors, operation_id
    cached = "ETag" in declared["200"].get("headers", {})  # not /health: never cached
    assert ("304" in declared) == cached
    if "{" in path:
        assert "404" in errors
    problem = {**document["components"]["schemas"]["Problem"], "components": document["components"]}
    for status, response in errors.items():
        [(media_type, problem_content)] = response["content"].items()
        assert media_type == PROBLEM, (operation_id, status)
        assert problem_content["schema"] == {"$ref": "#/components/schemas/Problem"}
        example = problem_content["example"]  # a real one: no placeholders
        validate_schema(example, problem, cls=OAS31Validator)
        assert example["status"] == int(status), (operation_id, status, example)
        assert response["description"]


def test_examples_are_taken_from_the_real_data(client: TestClient) -> None:
    """Each example is what the endpoint really answers (collections: with its `limit`)."""
    for path, _, operation in operations(spec(client)):
        if path.endswith(".csv"):
            table = operation["responses"]["200"]["content"]["text/csv; charset=utf-8"]["example"]
            url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)
            paged = any(p["name"] == "limit" for p in operation.get("parameters", []))
            url += "?limit=2" if paged else ""  # a package table's example is the whole table
            url += "&q=japarov" if path == "/search.csv" else ""
            answer = client.get(url).text
            # A whole table's example is its header and first rows.
            assert answer == table if paged else answer.startswith(table), operation["operationId"]
            continue
        content = operation["responses"]["200"]["content"]
        if "application/json" not in content:
            continue  # a file (the database, the package's tables): tests/test_downloads.py
        example = content["application/json"]["example"]
        if operation["operationId"] == "search":
            url = "/search?q=japarov&limit=1"  # the query app/examples.py runs
        elif "url" in example:
            url = example["url"]
        else:
            url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)
            if "items" in example:
                url += f"?limit={example['limit']}"
        assert client.get(url).json() == example, operation["operationId"]


def test_problem_schema_is_rfc_9457(client: TestClient) -> None:
    problem = spec(client)["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance"}
    assert problem["properties"]["status"]["type"] == "integer"
    real = client.get("/countries/atlantis").json()
    validate_schema(real, {**problem, "components": spec(client)["components"]}, cls=OAS31Validator)


# --- 3: a real browser renders the docs with nothing fetched from elsewhere ------------


def page_requests(net_log: Path, origin: str) -> list[str]:
    """URLs the page asked for, from Chromium's net log: the navigation and every request
    the page initiated. Requests of the browser's own services (time sync, sign-in) carry
    no page initiator; the host resolver rules keep them on the machine too."""
    log = json.loads(net_log.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] != start_job or "url" not in params:
            continue
        navigation = params["url"].startswith(f"{origin}/") and "not an origin" in str(
            params.get("initiator")
        )
        if params.get("initiator") == origin or navigation:
            urls.append(params["url"])
    return urls


# CI (.ci/run) installs Chromium and sets SUMMIT_REQUIRE_BROWSER=1: there, a missing browser
# fails the test instead of skipping it.
@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("SUMMIT_REQUIRE_BROWSER"),
    reason="Debian package chromium is not installed",
)
@pytest.mark.parametrize(
    ("page", "rendered", "script"),
    [
        (
            "/docs",
            [
                'class="opblock opblock-get',
                'id="operations-countries-get_country_priorities"',
                'id="operations-countries-list_countries"',
                'data-path="/countries/{country_id}/priorities"',
            ],
            "/static-offline-docs/swagger-ui-bundle.js",
        ),
        (
            "/redoc",
            ['id="operation/get_country_priorities"', 'id="operation/list_countries"'],
            "/docs-assets/redoc.standalone.js",  # app/docs.py: its logo on this host
        ),
    ],
)
def test_headless_chromium_renders_the_docs_offline(
    db_path: Path, tmp_path: Path, page: str, rendered: list[str], script: str
) -> None:
    """Served under a non-local name, with every other host unresolvable: the page must
    render from this server alone, and every request it makes must go to this server."""
    port = free_port()
    origin = f"http://summit.test:{port}"
    net_log = tmp_path / "net-log.json"
    server_log = tmp_path / "uvicorn.log"
    with running(uvicorn_command(port), db_path, port, server_log):
        browser = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--disable-features=AutofillServerCommunication,OptimizationHints,Translate",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--host-resolver-rules=MAP summit.test 127.0.0.1, MAP * ~NOTFOUND",
                f"--log-net-log={net_log}",
                "--enable-logging=stderr",
                "--virtual-time-budget=10000",
                "--dump-dom",
                f"{origin}{page}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    dom = browser.stdout
    assert browser.returncode == 0, browser.stderr[-3000:]
    for needle in rendered:
        assert needle in dom, f"{needle!r} not rendered; DOM starts {dom[:500]!r}"
    for operation_id in ("list_summits", "get_theme", "get_health", "search"):
        assert operation_id in dom

    requested = page_requests(net_log, origin)
    assert {f"{origin}{page}", f"{origin}{script}", f"{origin}/openapi.json"} <= set(requested)
    elsewhere = [u for u in requested if not u.startswith(f"{origin}/")]
    assert elsewhere == [], f"the page fetched from other hosts: {elsewhere}"

    served = server_log.read_text()
    for path in (page, script, "/openapi.json"):
        assert f'"GET {path} HTTP/1.1" 200' in served, path

    # A load the page attempted elsewhere would be refused by its CSP before it reached the
    # network, with an error in the console: there is none (ReDoc's CDN logo is gone).
    refused = [line for line in browser.stderr.splitlines() if "Content Security Policy" in line]
    assert refused == []
    assert "cdn.redoc.ly" not in dom
