"""app/dataset/spreadsheet.py: the package as one workbook, read back by openpyxl (issue 22):
names intact, one sheet per table, cells typed, the same bytes every time."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl

from app.dataset.catalog import open_catalog
from app.dataset.db import read_snapshot
from app.dataset.package import ZIP_TIME, Package, build_package
from app.dataset.spreadsheet import workbook


def built(db_path: Path) -> Package:
    db, catalog = open_catalog(read_snapshot(db_path))
    return build_package(db, catalog)


def test_the_workbook_keeps_the_names_a_bomless_csv_garbles(db_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook(built(db_path))), read_only=True)
    leaders = list(book["leaders"].iter_rows(values_only=True))
    assert leaders[0] == (
        *("id", "position", "name", "source_spelling", "aliases", "title", "country_id"),
    )
    japarov = next(row for row in leaders if row[0] == "sadyr-japarov")
    assert japarov[:4] == ("sadyr-japarov", 2, "Sadyr Japarov", "Sadyr Žaparov")
    statements = list(book["statements"].iter_rows(values_only=True))
    name = statements[0].index("speaker_name")
    assert "Andrej Čebotarev" in {row[name] for row in statements[1:]}


def test_one_sheet_per_table_typed_as_its_schema(db_path: Path) -> None:
    package = built(db_path)
    book = openpyxl.load_workbook(io.BytesIO(workbook(package)), read_only=True)
    names = [r["name"] for r in package.descriptor["resources"]]
    assert book.sheetnames == ["about", *names]
    for name in names:
        assert book[name].max_row == package.tables[name].rows + 1, name  # and the header
    values = list(book["agreement_values"].iter_rows(values_only=True))
    header = values[0]
    usd = [dict(zip(header, row, strict=True)) for row in values[1:]]
    preferred = [v["amount"] for v in usd if v["currency"] == "USD" and v["preferred"] is True]
    assert sorted(preferred) == [208_000_000, 24_000_000_000]
    about = list(book["about"].iter_rows(values_only=True))
    assert about[0] == ("table", "title", "description", "rows")
    assert ("version", "2026.12.02", None, None) in about


def test_the_same_data_is_the_same_bytes(db_path: Path) -> None:
    package = built(db_path)
    first = workbook(package)
    time.sleep(2.1)  # past a zip time's two-second resolution
    assert workbook(package) == first
    members = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {m.date_time for m in members} == {ZIP_TIME}
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "2026-12-02T00:00:00Z" in core
