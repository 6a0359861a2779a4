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


def rows(package: Package, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(package.tables[table].csv.decode())))


def test_a_sum_over_preferred_values_counts_each_figure_once(db_path: Path) -> None:
    usd = [v for v in rows(built(db_path), "agreement_values") if v["currency"] == "USD"]
    assert sum(float(v["amount"]) for v in usd) == 49_616_000_000
    assert sum(float(v["amount"]) for v in usd if v["preferred"] == "true") == 24_208_000_000


def test_every_claimed_attribute_has_one_preferred_claim_a_lone_one_too(db_path: Path) -> None:
    package = built(db_path)
    for table, record in (("claims", ("record_type", "record_id")), ("agreement_claims", ())):
        preferred: dict[tuple[str, ...], int] = {}
        for claim in rows(package, table):
            key = (*(claim[k] for k in record or ("agreement_id",)), claim["attribute"])
            preferred[key] = preferred.get(key, 0) + (claim["preferred"] == "true")
        assert set(preferred.values()) == {1}, table
    # Xi'an 2023's opening and close: one source each, each preferred
    lone = [c for c in rows(package, "claims") if c["record_id"] == "xian-2023"]
    assert [(c["attribute"], c["preferred"]) for c in lone] == [
        ("opened", "true"),
        ("concluded", "true"),
    ]


def test_the_priorities_table_carries_its_country(db_path: Path) -> None:
    package = built(db_path)
    by_country: dict[str, int] = {}
    for priority in rows(package, "priorities"):
        by_country[priority["country_id"]] = by_country.get(priority["country_id"], 0) + 1
    # README, "The dataset": Kyrgyzstan 10, Kazakhstan 8, Turkmenistan 6, Uzbekistan 5, ...
    assert by_country == {"kg": 10, "kz": 8, "tm": 6, "uz": 5, "cn": 4, "tj": 4}
    (resource,) = [r for r in package.descriptor["resources"] if r["name"] == "priorities"]
    (field,) = [f for f in resource["schema"]["fields"] if f["name"] == "country_id"]
    assert field["constraints"] == {"required": True}
    assert {"fields": ["country_id"], "reference": {"resource": "countries", "fields": ["id"]}} in (
        resource["schema"]["foreignKeys"]
    )
