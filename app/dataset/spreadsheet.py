"""The data package as one workbook (`GET /datapackage.xlsx`): what Excel and LibreOffice open
right by default, where a BOM-less UTF-8 CSV turns `Žaparov` into `Å½aparov`.

One sheet per table of the package, typed as its Table Schema says, after an `about` sheet;
every date inside the file fixed (the workbook's properties from the dataset version, the
zip's members at ZIP_TIME), so the same data is the same bytes, and ETag, in every process.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.dataset.package import Package, fixed_zip

# A cell from its CSV text, by the column's Table Schema type; an empty cell stays empty.
CELL: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "number": float,
    "boolean": lambda text: text == "true",
}
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(package: Package) -> bytes:
    """The package's tables as an .xlsx; openpyxl is imported here, on the first request
    for it, not at every process's start-up."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    descriptor = package.descriptor
    book = Workbook()
    about = book.active
    about.title = "about"
    about.append(["table", "title", "description", "rows"])
    about.freeze_panes = "A2"
    for resource in descriptor["resources"]:
        table = package.tables[resource["name"]]
        about.append([table.name, resource["title"], resource["description"], table.rows])
        sheet = book.create_sheet(table.name)
        _fill(sheet, table.csv, resource["schema"]["fields"])
    about.append([])
    about.append(["dataset", descriptor["title"], descriptor["description"]])
    about.append(["version", descriptor["version"]])
    created = datetime.strptime(descriptor["version"], "%Y.%m.%d")  # YYYY.MM.DD (loader)
    book.properties.title = descriptor["title"]
    book.properties.creator = "Summit API"
    book.properties.created = book.properties.modified = created
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # closes the archive
    # openpyxl dates each member now: rewritten at ZIP_TIME, in the same order.
    written = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    return fixed_zip((name, written.read(name)) for name in written.namelist())


def _fill(sheet: Any, body: bytes, fields: list[dict[str, Any]]) -> None:
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    sheet.append(next(reader))
    sheet.freeze_panes = "A2"
    convert = [CELL.get(f["type"], str) for f in fields]
    for row in reader:
        sheet.append(
            [make(text) if text else None for make, text in zip(convert, row, strict=True)]
        )
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
