"""Every answer validates against the schema the document declares for it.

A table of URLs, made from the document itself: each operation (its path ids from their
examples), without and with `fields=` (the first two of its field names), and each error
class (400 unknown parameter, 404 unknown id, 422 bad value, 414 long URL, 431 large
headers), plus a 303 to a `.csv` and a 304 revalidation. Each answer's status must be
declared for its operation, with the answer's media type, and its body must validate
(jsonschema, draft 2020-12) against that response's schema; its declared headers are sent.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

Case = tuple[str, str, dict[str, str], int]  # operation path, URL, request headers, status


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/openapi.json").json()
    return body


def concrete(path: str, operation: dict[str, Any]) -> str:
    """The path with each id replaced by its documented example."""
    examples = {
        p["name"]: p["example"] for p in operation.get("parameters", []) if p["in"] == "path"
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(examples[m[1]]), path)


def field_names(operation: dict[str, Any], document: dict[str, Any]) -> list[str]:
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "fields":
            ref = parameter["schema"]["items"]["$ref"].rsplit("/", 1)[1]
            names: list[str] = document["components"]["schemas"][ref]["enum"]
            return names
    return []


def cases(document: dict[str, Any]) -> list[Case]:
    table: list[Case] = []
    for path, item in document["paths"].items():
        operation = item["get"]
        url = concrete(path, operation)
        query = "?q=japarov" if path.startswith("/search") else ""
        join = "&" if query else "?"
        table.append((path, url + query, {}, 200))
        table.append((path, f"{url}{query}{join}colour=red", {}, 400))
        if "{" in path:
            table.append((path, re.sub(r"\{\w+\}", "no-such-id", path) + query, {}, 404))
        if "422" in operation["responses"] and any(
            p["name"] == "limit" for p in operation.get("parameters", [])
        ):
            table.append((path, f"{url}{query}{join}limit=0", {}, 422))
        if names := field_names(operation, document):
            table.append((path, f"{url}{query}{join}fields={','.join(names[:2])}", {}, 200))
        table.append((path, f"{url}{query}{join}x={'a' * 9000}", {}, 414))
        table.append((path, url + query, {"X-Big": "b" * 70000}, 431))
    table.append(("/countries", "/countries?format=csv", {}, 303))
    table.append(("/countries", "/countries", {"Accept": "text/csv"}, 303))
    # The test sends the ETag the URL has now.
    table.append(("/countries/{country_id}", "/countries/kg", {"If-None-Match": "now"}, 304))
    table.append(("/priorities", "/priorities", {"If-None-Match": "now"}, 304))
    return table


def validator(schema: dict[str, Any], document: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]})


def test_the_table_covers_every_operation_and_error_class(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    table = cases(document)
    assert {path for path, *_ in table} == set(document["paths"])
    assert {status for *_, status in table} == {200, 303, 304, 400, 404, 414, 422, 431}
    assert sum(1 for _, url, _, status in table if status == 200 and "fields=" in url) >= 20
    print(f"{len(table)} URLs")


def test_every_answer_validates_against_its_declared_schema(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    checked = 0
    for path, url, headers, status in cases(document):
        if "If-None-Match" in headers:
            headers = {"If-None-Match": client.get(url).headers["etag"]}
        response = client.get(url, headers=headers, follow_redirects=False)
        where = (url[:80], status, response.status_code, response.content[:200])
        assert response.status_code == status, where
        declared = document["paths"][path]["get"]["responses"][str(status)]
        for name in declared.get("headers", {}):
            # With explicit paging; for an alias; where some request header changes the bytes.
            optional = name in ("X-Rows", "Link", "Vary")
            assert optional or name.lower() in response.headers, (where, name)
        content = declared.get("content")
        if content is None:
            assert response.content == b"", where
            continue
        media = response.headers["content-type"]
        assert media in content, (where, media, list(content))
        schema = content[media]["schema"]
        body = json.loads(response.content) if "json" in media else response.text
        errors = [e.message for e in validator(schema, document).iter_errors(body)]
        assert errors == [], where
        checked += 1
    assert checked >= 100
