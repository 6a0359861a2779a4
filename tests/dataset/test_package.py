"""app/dataset/package.py: the package's words checked against its data (issue 22): each
`position` column says the base its rows start from."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from app.dataset.catalog import open_catalog
from app.dataset.db import read_snapshot
from app.dataset.package import Package, build_package


def built(db_path: Path) -> Package:
    db, catalog = open_catalog(read_snapshot(db_path))
    return build_package(db, catalog)


def test_every_position_column_says_the_base_its_data_starts_from(db_path: Path) -> None:
    package = built(db_path)
    bases = {}
    for resource in package.descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            if field["name"] == "position":
                said = re.search(r"\(([01])-based\)", field["description"])
                assert said, (resource["name"], field["description"])
                body = package.tables[resource["name"]].csv.decode()
                least = min(int(r["position"]) for r in csv.DictReader(io.StringIO(body)))
                assert int(said.group(1)) == least, resource["name"]
                bases[resource["name"]] = least
    # The seeds number priorities, agreements and statements from 1 (seeds/README.md).
    assert {name for name, base in bases.items() if base == 1} == {
        "priorities",
        "agreements",
        "statements",
    }
    assert len(bases) == 17
