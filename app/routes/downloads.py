"""The whole dataset in one download: the SQLite file the server reads, the Frictionless data
package (its descriptor, one CSV per table, a zip of it all), and the theme matrix as CSV.

Every body is made once (the package's tables when the app is built, the file's bytes and the
zip on first request): the database never changes under a running process (app/dataset/db.py).
"""

import functools
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path
from starlette.responses import Response

from app.dataset.package import MATRIX_NAME, MATRIX_PATH, Package, build_package
from app.dataset.spreadsheet import XLSX_MEDIA_TYPE, workbook
from app.openapi import download_responses, problem_example
from app.problems import not_found
from app.routes.context import Context, overlong_id
from app.routes.listing import CSV_MEDIA_TYPE
from app.routes.params import QueryBase
from app.routes.querystring import query

SQLITE_MEDIA_TYPE = "application/vnd.sqlite3"
ZIP_MEDIA_TYPE = "application/zip"
BINARY = {"type": "string", "format": "binary"}
# Linked from `/` and `/meta`.
DOWNLOADS = {
    "database": "/dataset.db",
    "datapackage": "/datapackage.json",
    "datapackage_zip": "/datapackage.zip",
    "datapackage_xlsx": "/datapackage.xlsx",
    "theme_matrix": f"/{MATRIX_PATH}",
}


def first_rows(csv: bytes, rows: int = 3) -> str:
    """A CSV's header and first rows: an example that does not grow with the dataset."""
    return "".join(csv.decode().splitlines(keepends=True)[: rows + 1])


def file_version(version: str) -> str:
    """The dataset version as a file name's part: `2026.12.02` -> `2026-12-02` (a dot in a
    name reads as an extension to Datasette and file managers)."""
    return version.replace(".", "-")


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def router(ctx: Context) -> APIRouter:
    r = APIRouter(tags=["downloads"])
    version = file_version(ctx.catalog.info.version)
    # The very bytes the server reads (its snapshot, app/dataset/db.py), held once: the edge
    # cache stores this object itself, not a copy (app/edge/http_cache.py).
    database = functools.cache(ctx.db.serialize)  # made on the first download, then kept
    package = build_package(ctx.db, ctx.catalog)
    bad_query = {400: ctx.errors("/dataset.db", QueryBase)[400]}

    @r.get(
        "/dataset.db",
        response_class=Response,
        summary="Download the SQLite database",
        description="The very SQLite file the server reads (read-only, immutable while this "
        "process runs): every table of the normalised data, with amounts as real columns. "
        "`HEAD` answers the same headers without the body.",
        responses=download_responses(bad_query, SQLITE_MEDIA_TYPE, BINARY, "The SQLite file."),
    )
    @query(QueryBase)
    async def get_database(q: Any) -> Response:
        headers = attachment(f"summit-{version}.db")
        return Response(database(), media_type=SQLITE_MEDIA_TYPE, headers=headers)

    @r.get(
        "/datapackage.json",
        response_class=Response,
        summary="The Frictionless data package",
        description="A Frictionless Data Package (datapackage.org) describing the dataset as "
        "one CSV resource per table, each with its Table Schema (types, descriptions, primary "
        "and foreign keys), served at the path it names (relative to this document).",
        responses=download_responses(
            bad_query,
            "application/json",
            {"type": "object"},
            "The package descriptor.",
            attachment=False,
            example=json.loads(package.json),
        ),
    )
    @query(QueryBase)
    async def get_datapackage(q: Any) -> Response:
        return Response(package.json, media_type="application/json")

    @r.get(
        "/datapackage.zip",
        response_class=Response,
        summary="The data package as one zip",
        description="`datapackage.json` and every CSV it names, at its path: the package "
        "for offline use.",
        responses=download_responses(bad_query, ZIP_MEDIA_TYPE, BINARY, "The zip."),
    )
    @query(QueryBase)
    async def get_datapackage_zip(q: Any) -> Response:
        headers = attachment(f"summit-{version}-datapackage.zip")
        return Response(package.zip, media_type=ZIP_MEDIA_TYPE, headers=headers)

    # Made on the first download (openpyxl: about 0.3 s), then kept.
    spreadsheet = functools.cache(functools.partial(workbook, package))

    @r.get(
        "/datapackage.xlsx",
        response_class=Response,
        summary="The data package as one spreadsheet",
        description="Every table of the package as a sheet of one Excel workbook (after an "
        "`about` sheet: each table's title, description and row count), typed as its Table "
        "Schema says: what Excel and LibreOffice open right by default, names and all.",
        responses=download_responses(bad_query, XLSX_MEDIA_TYPE, BINARY, "The workbook."),
    )
    @query(QueryBase)
    async def get_datapackage_xlsx(q: Any) -> Response:
        headers = attachment(f"summit-{version}-datapackage.xlsx")
        return Response(spreadsheet(), media_type=XLSX_MEDIA_TYPE, headers=headers)

    add_tables(r, ctx, package)
    return r


def add_tables(r: APIRouter, ctx: Context, package: Package) -> None:
    """`/datapackage/{table}.csv` for every table, and the theme matrix at its own path."""
    path = "/datapackage/{table}.csv"
    errors = {
        400: ctx.errors(path, QueryBase)[400],
        404: problem_example(404, "No table with id 'colours'.", "/datapackage/colours.csv"),
        422: overlong_id("table", path),
    }
    example = first_rows(package.tables["summits"].csv)

    @r.get(
        path,
        response_class=Response,
        summary="One table of the data package (CSV)",
        description="Every row of one table of the normalised data, as the package's "
        "Table Schema for it describes. Lists are `; `-joined; empty is null.",
        responses=download_responses(
            errors, CSV_MEDIA_TYPE, {"type": "string"}, "The table.", example=example
        ),
    )
    @query(QueryBase)
    async def get_datapackage_table(
        table: Annotated[
            str,
            Path(max_length=80, description="The table's name.", examples=["summits"]),
        ],
        q: Any,
    ) -> Response:
        found = package.tables.get(table) if table != MATRIX_NAME else None
        if found is None:
            raise not_found("table", table)
        # Not the collection's `priorities.csv`: the package's table is shaped differently.
        headers = attachment(f"datapackage-{table}.csv")
        return Response(found.csv, media_type=CSV_MEDIA_TYPE, headers=headers)

    matrix = package.tables[MATRIX_NAME]

    @r.get(
        f"/{MATRIX_PATH}",
        response_class=Response,
        summary="The theme matrix (CSV, long form)",
        description="One row per theme and country that names, endorses or signs up to it (a "
        "missing pair is zero): `priority_count`, "
        "`endorsement_count` and `agreement_count`, as `GET /themes` counts them. A resource "
        "of the data package too.",
        responses=download_responses(
            {400: ctx.errors(f"/{MATRIX_PATH}", QueryBase)[400]},
            CSV_MEDIA_TYPE,
            {"type": "string"},
            "The matrix.",
            example=first_rows(matrix.csv),
        ),
    )
    @query(QueryBase)
    async def get_theme_matrix(q: Any) -> Response:
        headers = attachment("theme-matrix.csv")
        return Response(matrix.csv, media_type=CSV_MEDIA_TYPE, headers=headers)
