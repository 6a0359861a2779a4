"""The whole dataset in one download (issue 13): /dataset.db, the Frictionless data package
(validated by the `frictionless` library and read by pandas, from a live uvicorn), the theme
matrix in long form, and complete, flat collection CSVs."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
import tracemalloc
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import frictionless
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from starlette.types import Message

from app.dataset.fields import EXCLUDED, TABLES
from app.vocabulary import RESOURCES
from tests.conftest import build
from tests.support import ROOT, STRONG_ETAG, LiveServer, live_server

RECORDS = [r.collection for r in RESOURCES]
# pandas' dtype for each Table Schema type (nullable integers: a column may have blanks).
DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}
VERSION = "2026.12.02"  # seeds/dataset.toml (issue 19)
# Issue 22: no dot in a file name's version (Datasette answered 500 for `summit-2026.12.02.db`).
DB_NAME = "summit-2026-12-02.db"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def server(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(db_path, tmp_path_factory.mktemp("downloads") / "server.log") as live:
        yield live


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode(), newline="")))


def db_count(db_path: Path, table: str) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        count: int = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return count


# --- /dataset.db ---------------------------------------------------------------------------


def test_the_database_downloads_and_holds_the_meta_counts(
    server: LiveServer, db_path: Path, tmp_path: Path
) -> None:
    status, headers, body = fetch(f"{server.url}/dataset.db")
    assert status == 200
    assert headers["content-type"] == "application/vnd.sqlite3"
    assert headers["content-disposition"] == f'attachment; filename="{DB_NAME}"'
    assert STRONG_ETAG.match(headers["etag"]), headers["etag"]
    assert headers["cache-control"].startswith("public, max-age=")
    assert body == db_path.read_bytes()  # the very file the server reads
    saved = tmp_path / "downloaded.db"
    saved.write_bytes(body)
    counts = json.loads(fetch(f"{server.url}/meta")[2])["counts"]
    with sqlite3.connect(f"file:{saved}?mode=ro", uri=True) as db:
        found = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in counts}
    assert found == counts
    status, head, empty = fetch(f"{server.url}/dataset.db", method="HEAD")
    assert (status, empty) == (200, b"")
    assert head["content-length"] == str(len(body))
    assert head["etag"] == headers["etag"]


def test_the_database_etag_is_stable_across_restarts(
    server: LiveServer, db_path: Path, tmp_path: Path
) -> None:
    first = fetch(f"{server.url}/dataset.db", method="HEAD")[1]["etag"]
    with live_server(db_path, tmp_path / "again.log") as again:
        second = fetch(f"{again.url}/dataset.db", method="HEAD")[1]["etag"]
        request = urllib.request.Request(f"{again.url}/dataset.db")
        request.add_header("If-None-Match", first)
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(request, timeout=10)
        not_modified.value.close()
    assert second == first
    assert not_modified.value.code == 304


def test_the_edge_cache_stores_the_database_without_a_copy(db_path: Path) -> None:
    """The second GET stores the response (the doorkeeper admits on a second request); the
    bytes it keeps are the app's own object, so storing costs headers, not 340 KB."""
    app = build(db_path)
    size = db_path.stat().st_size

    async def get() -> bytes:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/dataset.db",
            "raw_path": b"/dataset.db",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }
        await app(scope, receive, send)
        body: bytes = sent[-1]["body"]
        return body

    assert len(asyncio.run(get())) == size  # asked once: not stored yet
    tracemalloc.start()
    try:
        stored = asyncio.run(get())
        grown, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(stored) == size
    assert grown < size / 4, f"storing the response kept {grown} bytes"


# --- the data package ----------------------------------------------------------------------


def package(server: LiveServer) -> dict[str, Any]:
    descriptor: dict[str, Any] = json.loads(fetch(f"{server.url}/datapackage.json")[2])
    return descriptor


def expected_rows(server: LiveServer, db_path: Path) -> dict[str, int]:
    """Each resource's rows: a record table has its `/meta` count, a relation its table's,
    the theme matrix one row per theme and country that has it (the countries of /themes)."""
    counts = json.loads(fetch(f"{server.url}/meta")[2])["counts"]
    expected = {t: counts.get(t, db_count(db_path, t)) for t in TABLES}
    themes = json.loads(fetch(f"{server.url}/themes?limit=200")[2])["items"]
    return expected | {"theme_matrix": sum(len(t["countries"]) for t in themes)}


def test_frictionless_validates_the_live_package(server: LiveServer, db_path: Path) -> None:
    report = frictionless.validate(f"{server.url}/datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type"])
    assert report.stats["errors"] == 0
    found = {task.name: task.stats["rows"] for task in report.tasks}
    assert found == expected_rows(server, db_path)


def test_the_package_says_what_it_is(server: LiveServer) -> None:
    descriptor = package(server)
    assert descriptor["version"] == VERSION
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]
    assert "remain the property of their publishers" in descriptor["description"]
    assert descriptor["contributors"]
    assert len(descriptor["sources"]) == len(json.loads(fetch(f"{server.url}/sources")[2])["items"])
    by_name = {r["name"]: r for r in descriptor["resources"]}
    assert by_name["citations"]["schema"]["primaryKey"] == ["record_type", "record_id", "position"]
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["id"]}} in (
        by_name["agreement_values"]["schema"]["foreignKeys"]
    )
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["description"], (resource["name"], field["name"])


def test_every_table_of_the_database_is_in_the_package_or_the_builds_own(
    db_path: Path,
) -> None:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == set(TABLES) | EXCLUDED


def test_pandas_reads_every_table_with_the_declared_dtypes(
    server: LiveServer, db_path: Path
) -> None:
    expected = expected_rows(server, db_path)
    for resource in package(server)["resources"]:
        fields = resource["schema"]["fields"]
        dates = [f["name"] for f in fields if f["type"] == "date"]
        frame = pd.read_csv(
            f"{server.url}/{resource['path']}",
            dtype={f["name"]: DTYPES[f["type"]] for f in fields if f["type"] != "date"},
            parse_dates=dates,
            keep_default_na=False,
            na_values=[""],
        )
        assert list(frame.columns) == [f["name"] for f in fields]
        for field in fields:
            dtype = str(frame[field["name"]].dtype)
            wanted = DTYPES.get(field["type"], "datetime64")
            assert dtype.startswith(wanted), (resource["name"], field["name"], dtype)
        assert len(frame) == expected[resource["name"]], resource["name"]


def test_no_cell_of_the_package_holds_json(server: LiveServer) -> None:
    for resource in package(server)["resources"]:
        for row in rows(fetch(f"{server.url}/{resource['path']}")[2]):
            for name, value in row.items():
                assert not value.startswith(("[", "{")), (resource["name"], name, value)


def test_the_zip_holds_the_package_and_every_table(server: LiveServer) -> None:
    status, headers, body = fetch(f"{server.url}/datapackage.zip")
    assert status == 200
    assert headers["content-type"] == "application/zip"
    disposition = 'attachment; filename="summit-2026-12-02-datapackage.zip"'
    assert headers["content-disposition"] == disposition
    archive = zipfile.ZipFile(io.BytesIO(body))
    descriptor = package(server)
    assert json.loads(archive.read("datapackage.json")) == descriptor
    for resource in descriptor["resources"]:
        assert archive.read(resource["path"]) == fetch(f"{server.url}/{resource['path']}")[2]


def test_the_spreadsheet_downloads_named_with_a_stable_etag(
    server: LiveServer, db_path: Path, tmp_path: Path
) -> None:
    """Issue 22: /datapackage.xlsx, what Excel and LibreOffice open right (its content is
    tests/dataset/test_spreadsheet.py's), the same bytes and ETag from another process."""
    status, headers, body = fetch(f"{server.url}/datapackage.xlsx")
    assert status == 200
    assert headers["content-type"] == XLSX
    disposition = 'attachment; filename="summit-2026-12-02-datapackage.xlsx"'
    assert headers["content-disposition"] == disposition
    assert STRONG_ETAG.match(headers["etag"]), headers["etag"]
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    with live_server(db_path, tmp_path / "again.log") as again:
        _, second, same = fetch(f"{again.url}/datapackage.xlsx")
    assert (second["etag"], same) == (headers["etag"], body)
    index = json.loads(fetch(f"{server.url}/")[2])
    assert index["links"]["datapackage_xlsx"] == "/datapackage.xlsx"
    document = json.loads(fetch(f"{server.url}/openapi.json")[2])
    ok = document["paths"]["/datapackage.xlsx"]["get"]["responses"]["200"]
    assert list(ok["content"]) == [XLSX]
    assert "Content-Disposition" in ok["headers"]


def test_a_package_table_is_named_apart_from_the_collection_csv(client: TestClient) -> None:
    """Issue 22: the package's priorities table and the collection are shaped differently,
    so they save under different names."""
    table = client.get("/datapackage/priorities.csv").headers["content-disposition"]
    collection = client.get("/priorities.csv").headers["content-disposition"]
    assert table == 'attachment; filename="datapackage-priorities.csv"'
    assert collection == 'attachment; filename="priorities.csv"'


def test_an_unknown_table_is_a_404_naming_it(client: TestClient) -> None:
    response = client.get("/datapackage/colours.csv")
    assert response.status_code == 404
    assert response.json()["detail"] == "No table with id 'colours'."


# --- the theme matrix and the collection CSVs ----------------------------------------------


def test_the_theme_matrix_is_the_themes_counts_in_long_form(client: TestClient) -> None:
    matrix = rows(client.get("/themes/matrix.csv").content)
    themes = client.get("/themes", params={"limit": 200}).json()["items"]
    countries = client.get("/countries").json()["items"]
    cells = {(r["theme_id"], r["country_id"]): r for r in matrix}
    assert len(cells) == len(matrix) == sum(len(t["countries"]) for t in themes)
    for theme in themes:
        named = {c["id"]: c for c in theme["countries"]}
        for country in countries:  # a pair with no row is zero
            row = cells.get((theme["id"], country["id"]), {})
            for count in ("priority_count", "endorsement_count", "agreement_count"):
                assert int(row.get(count, 0)) == named.get(country["id"], {}).get(count, 0)


@pytest.mark.parametrize("collection", RECORDS)
def test_a_collection_csv_without_paging_has_every_row(client: TestClient, collection: str) -> None:
    response = client.get(f"/{collection}.csv")
    assert "x-rows" not in response.headers
    total = int(response.headers["x-total-count"])
    assert len(rows(response.content)) == total == client.get("/meta").json()["counts"][collection]


def test_agreement_values_are_package_rows_and_citations_source_ids(
    client: TestClient,
) -> None:
    """Issue 22: the agreements CSV has no numbered value columns; each value is one row of
    the package's agreement_values (the same amounts as the JSON), each citation a source id."""
    table = {r["id"]: r for r in rows(client.get("/agreements.csv").content)}
    values = rows(client.get("/datapackage/agreement_values.csv").content)
    for agreement in client.get("/agreements").json()["items"]:
        row = table[agreement["id"]]
        assert not [c for c in row if c.startswith("values")]
        mine = [v for v in values if v["agreement_id"] == agreement["id"]]
        assert [
            (float(v["amount"]) if v["amount"] else None, v["currency"] or None, v["preferred"])
            for v in mine
        ] == [
            (v["amount"], v["currency"], "true" if v["preferred"] else "false")
            for v in agreement["values"]
        ]
        sources = dict.fromkeys(c["source_id"] for c in agreement["sources"])
        assert row["sources"] == "; ".join(sources)
    assert not any("excerpt" in column for column in next(iter(table.values())))


def test_a_sum_over_the_preferred_values_counts_each_figure_once(server: LiveServer) -> None:
    """Issue 19: every claim row says whether it is preferred, so that a `SUM` over the
    preferred rows counts each fact once: per agreement, one preferred amount a currency
    (the 58 deals: kt.kz's 24 billion US dollars, not nCa's "nearly 25 billion" as well;
    the 1.5 billion yuan: Daryo's CNY and USD figures)."""
    values = rows(fetch(f"{server.url}/datapackage/agreement_values.csv")[2])
    assert {v["preferred"] for v in values} == {"true", "false"}
    preferred = [(v["agreement_id"], v["currency"]) for v in values if v["preferred"] == "true"]
    assert len(preferred) == len(set(preferred))
    assert all(currency for _, currency in preferred), "a missing figure is never preferred"
    deals = [
        (v["amount"], v["currency"])
        for v in values
        if v["agreement_id"] == "astana-2025-trade-and-investment-agreements"
        and v["preferred"] == "true"
    ]
    assert [(float(amount), currency) for amount, currency in deals] == [(24e9, "USD")]
    for table in ("claims", "agreement_claims"):
        claims = rows(fetch(f"{server.url}/datapackage/{table}.csv")[2])
        assert claims, table
        assert {c["preferred"] for c in claims} <= {"true", "false"}, table


def test_the_readmes_pandas_snippet_loads_every_table(server: LiveServer) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Download the data", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(snippet.replace("http://localhost:8000/", f"{server.url}/"), namespace)
    assert set(namespace["tables"]) == {r["name"] for r in package(server)["resources"]}
    assert len(namespace["values"]) == len(namespace["tables"]["agreement_values"])


def test_the_readmes_sql_examples_answer_with_names(server: LiveServer, tmp_path: Path) -> None:
    """Issue 22: each view of the downloaded `.db` answers its README example with names, and
    a sum over the preferred claims counts each figure once."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### In SQL: the `.db`'s views", 1)[1].split("\n### ", 1)[0]
    block = section.split("```sql\n", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in block.split(";") if s.strip()]
    saved = tmp_path / DB_NAME
    saved.write_bytes(fetch(f"{server.url}/dataset.db")[2])
    with sqlite3.connect(f"file:{saved}?mode=ro", uri=True) as db:
        answers = [db.execute(statement).fetchall() for statement in statements]
    assert answers == [
        [("Sadyr Japarov", 10)],
        [
            ("1.5 billion yuan for the five Central Asian countries", "China"),
            ("3,000 vocational training quotas for Central Asian citizens", "China"),
        ],
        [
            (
                "24.kg",
                "2025-06-18",
                "https://24.kg/english/333085_Sadyr_Japarov_names_six_key_areas_of_"
                "partnership_with_China/",
            ),
            (
                "AsiaNews",
                "2025-06-26",
                "https://www.asianews.it/news-en/Central-Asia-and-Beijing-after-the-Astana-"
                "summit-63374.html",
            ),
        ],
        # kt.kz's 24 billion for the 58 deals, Daryo's 208 million for the grant (not nCa's
        # 25 billion, nor the grant's dollars once per source: 49,616,000,000 in all rows)
        [(24_208_000_000.0,)],
    ]
