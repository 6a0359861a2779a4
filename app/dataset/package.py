"""The whole dataset as a Frictionless Data Package: one CSV per table of the normalised data,
read from the served database once at start-up, with each Table Schema taken from SQLite's
own catalogue (`PRAGMA table_info`, `foreign_key_list`) and the words in app/dataset/fields.py;
plus the theme matrix in long form, and the lot as one zip.

No cell holds JSON: a JSON list column of the database becomes `; `-joined text.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import sqlite3
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from app.dataset.catalog import Catalog
from app.dataset.fields import EXCLUDED, LIST_SEPARATOR, MATRIX, TABLES, TableText

NAME = "central-asia-china-summits"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
CONTRIBUTORS = [{"title": "Summit API maintainers", "role": "author"}]
# SQLite's declared types, as the build's migrations write them, in Table Schema's words.
SQL_TYPES = {
    **{"VARCHAR": "string", "INTEGER": "integer", "FLOAT": "number", "JSON": "string"},
    "BOOLEAN": "boolean",
}
# A fixed time in the zip, so the same data is the same bytes (and ETag) in every process.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Table:
    """One resource: its name, where the API serves it (relative to the package) and its CSV."""

    name: str
    path: str
    csv: bytes
    rows: int


@dataclass(frozen=True)
class Package:
    descriptor: dict[str, Any]
    json: bytes
    tables: dict[str, Table]

    @functools.cached_property
    def zip(self) -> bytes:
        """The package as one zip, made when first asked for (most processes never are)."""
        return _zip(self.json, self.tables.values())


def table_path(name: str) -> str:
    return f"datapackage/{name}.csv"


MATRIX_NAME = "theme_matrix"
MATRIX_PATH = "themes/matrix.csv"


def tables_of(db: sqlite3.Connection) -> list[str]:
    """Every table of the database, the package's or the build's own."""
    query = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [row[0] for row in db.execute(query)]


def schema_of(db: sqlite3.Connection, name: str, text: TableText) -> dict[str, Any]:
    """The Table Schema of table `name`: fields, primary key and foreign keys from SQLite."""
    columns = list(db.execute(f'PRAGMA table_info("{name}")'))
    if not columns:
        raise ValueError(f"the database has no table {name!r}")
    fields = [_field(name, col["name"], col["type"], bool(col["notnull"]), text) for col in columns]
    primary = [col["name"] for col in sorted(columns, key=lambda c: c["pk"]) if col["pk"]]
    schema: dict[str, Any] = {"fields": fields, "primaryKey": primary}
    references: dict[int, list[sqlite3.Row]] = {}
    for fk in db.execute(f'PRAGMA foreign_key_list("{name}")'):
        references.setdefault(fk["id"], []).append(fk)
    schema["foreignKeys"] = [
        {
            "fields": [fk["from"] for fk in parts],
            "reference": {"resource": parts[0]["table"], "fields": [fk["to"] for fk in parts]},
        }
        for _, parts in sorted(references.items(), key=lambda item: item[1][0]["from"])
    ]
    return schema


def _field(table: str, column: str, sql_type: str, required: bool, text: TableText) -> Any:
    said = text.columns.get(column)
    if said is None:
        raise ValueError(f"app/dataset/fields.py says nothing of column {table}.{column}")
    if sql_type not in SQL_TYPES:
        raise ValueError(f"column {table}.{column} has SQL type {sql_type!r}, not one of ours")
    field: dict[str, Any] = {
        "name": column,
        "type": said.type or SQL_TYPES[sql_type],
        "description": said.description,
    }
    # An empty list is an empty cell, so a list column is never required.
    required = (required or said.required) and sql_type != "JSON"
    constraints: dict[str, Any] = {"required": True} if required else {}
    if said.values is not None:
        constraints["enum"] = [v.value for v in said.values]
    if constraints:
        field["constraints"] = constraints
    return field


def _text(value: Any, sql_type: str) -> str:
    if value is None:
        return ""
    if sql_type == "JSON":
        return LIST_SEPARATOR.join(json.loads(value))
    if sql_type == "BOOLEAN":  # SQLite stores 0 and 1
        return "true" if value else "false"
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return out.getvalue().encode("utf-8"), count


def table_csv(db: sqlite3.Connection, name: str, schema: dict[str, Any]) -> tuple[bytes, int]:
    """Every row of table `name`, in primary-key order, as CSV."""
    types = {col["name"]: col["type"] for col in db.execute(f'PRAGMA table_info("{name}")')}
    header = [f["name"] for f in schema["fields"]]
    order = ", ".join(f'"{c}"' for c in schema["primaryKey"]) or "rowid"
    columns = ", ".join(f'"{c}"' for c in header)
    rows = db.execute(f'SELECT {columns} FROM "{name}" ORDER BY {order}')
    return to_csv(header, ([_text(row[c], types[c]) for c in header] for row in rows))


def matrix_rows(catalog: Catalog) -> list[list[Any]]:
    """One row per theme and country that names, endorses or signs up to it (the countries
    of `/themes`): a missing pair is zero, so the table grows with the records, not with
    themes x countries."""
    counts = ("priority_count", "endorsement_count", "agreement_count")
    return [
        [theme.id, theme.name, c.id, c.name, *(getattr(c, k) for k in counts)]
        for theme in catalog.theme_rows
        for c in theme.countries
    ]


def matrix_schema() -> dict[str, Any]:
    fields = [
        {
            "name": name,
            "type": "integer" if name.endswith("_count") else "string",
            "description": column.description,
            "constraints": {"required": True},
        }
        for name, column in MATRIX.columns.items()
    ]
    references = (("theme_id", "themes"), ("country_id", "countries"))
    return {
        "fields": fields,
        "primaryKey": ["theme_id", "country_id"],
        "foreignKeys": [
            {"fields": [f], "reference": {"resource": r, "fields": ["id"]}} for f, r in references
        ],
    }


def resource(table: Table, text: TableText, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": table.name,
        "path": table.path,
        "title": text.title,
        "description": text.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(table.csv),
        "hash": f"sha256:{hashlib.sha256(table.csv).hexdigest()}",
        "schema": schema,
    }


def build_package(db: sqlite3.Connection, catalog: Catalog) -> Package:
    """The package of the database `db` (the served one) and its catalog."""
    unsaid = set(tables_of(db)) - set(TABLES) - EXCLUDED
    if unsaid:
        raise ValueError(f"app/dataset/fields.py says nothing of tables {sorted(unsaid)}")
    tables: dict[str, Table] = {}
    resources = []
    for name, text in TABLES.items():
        schema = schema_of(db, name, text)
        body, count = table_csv(db, name, schema)
        tables[name] = Table(name, table_path(name), body, count)
        resources.append(resource(tables[name], text, schema))
    schema = matrix_schema()
    body, count = to_csv(list(MATRIX.columns), matrix_rows(catalog))
    tables[MATRIX_NAME] = Table(MATRIX_NAME, MATRIX_PATH, body, count)
    resources.append(resource(tables[MATRIX_NAME], MATRIX, schema))
    descriptor = _descriptor(db, catalog, resources)
    encoded = orjson.dumps(descriptor, option=orjson.OPT_INDENT_2)
    return Package(descriptor, encoded, tables)


def _descriptor(
    db: sqlite3.Connection, catalog: Catalog, resources: list[dict[str, Any]]
) -> dict[str, Any]:
    info = catalog.info
    sources = [
        {
            "title": f"{row['publisher']}: {row['title']}",
            **({"path": row["url"]} if row["url"] else {}),
        }
        for row in db.execute("SELECT publisher, title, url FROM sources ORDER BY position")
    ]
    return {
        "name": NAME,
        "title": info.title,
        "description": f"{info.description}\n\n{info.licence_note}",
        "version": info.version,
        "licenses": [LICENCE],
        "sources": sources,
        "contributors": CONTRIBUTORS,
        "keywords": ["Central Asia", "China", "summits", "diplomacy", "agreements"],
        "resources": resources,
    }


def _zip(descriptor: bytes, tables: Iterable[Table]) -> bytes:
    """datapackage.json and every CSV at its path: the package for offline use."""
    return fixed_zip([("datapackage.json", descriptor), *((t.path, t.csv) for t in tables)])


def fixed_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of `members`, each dated ZIP_TIME: the same members are the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in members:
            member = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, data)
    return out.getvalue()
