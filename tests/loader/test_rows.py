"""app/loader/rows.py: one row per seed record and per nested seed entry, every column of
every table filled by name, and one search row per record.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import inspect

from app.loader import read_seeds
from app.loader.rows import SearchRow, search_rows, table_rows
from app.models import DatasetMeta
from tests.conftest import SEEDS
from tests.loader.conftest import ENTITIES, nested_count, parse_seed, query, seed_counts

TABLES = set(DatasetMeta.metadata.tables)  # app.models' SQLModel.metadata, every table


def test_loaded_rows_match_the_nested_seed_tables(db_path: Path) -> None:
    """Citations, participants, values, claims, themes and parties: one row per seed entry."""
    expected = {
        "citations": sum(nested_count(name, "sources") for name in ENTITIES),
        "summit_participants": nested_count("summits", "participants"),
        "agreement_values": nested_count("agreements", "values"),
        "agreement_claims": nested_count("agreements", "claims"),
        "agreement_parties": nested_count("agreements", "parties"),
        "agreement_themes": nested_count("agreements", "themes"),
        "priority_themes": nested_count("priorities", "themes"),
        "search": sum(seed_counts().values()),
    }
    assert all(expected.values())
    actual = {t: query(db_path, f"SELECT count(*) FROM {t}")[0][0] for t in expected}
    assert actual == expected


def test_every_row_names_every_column_of_its_table() -> None:
    filled: set[str] = set()
    for row in table_rows(read_seeds(SEEDS)):
        table = inspect(type(row)).tables[0]
        assert set(row.model_dump()) == set(table.columns.keys()), table.name
        filled.add(table.name)
    assert filled == TABLES


def test_statements_name_their_speaker(db_path: Path) -> None:
    """A leader by their id; anyone else by the slug of their name, with their aliases."""
    rows = query(db_path, "SELECT id, leader_id, speaker_id, speaker_aliases FROM statements")
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id["xi-condemns-trade-wars"] == ("xi-jinping", "xi-jinping", "[]")
    assert by_id["cebotarev-first-international-legal-document"] == (
        None,
        "andrej-cebotarev",
        '["Andrei Chebotarev","Andrej Cebotarev"]',
    )
    assert by_id["experts-great-friendship-may-hide-risks"] == (None, "unnamed-experts", "[]")


def test_list_columns_hold_the_seed_lists_as_json(db_path: Path) -> None:
    stored = dict(query(db_path, "SELECT id, aliases FROM leaders"))
    seeded = {x["id"]: x.get("aliases", []) for x in parse_seed(SEEDS, "leaders")["leaders"]}
    assert {k: orjson.loads(v) for k, v in stored.items()} == seeded
    assert "Žaparov" in stored["sadyr-japarov"], "UTF-8, not \\u escapes"


def test_one_search_row_per_record_in_seed_order() -> None:
    rows = list(search_rows(read_seeds(SEEDS)))
    for name in ENTITIES:
        mine = [r for r in rows if r.url.startswith(f"/{name}/")]
        ids = [r["id"] for r in parse_seed(SEEDS, name)[name]]
        assert [r.id for r in mine] == ids, name
        assert [r.position for r in mine] == list(range(len(ids))), name
        assert all(r.url == f"/{name}/{r.id}" for r in mine)
    assert len(rows) == sum(seed_counts().values())


def test_search_rows_carry_own_names_as_title_and_aliases() -> None:
    rows = {(r.type, r.id): r for r in search_rows(read_seeds(SEEDS))}
    assert rows["leader", "sadyr-japarov"] == SearchRow(
        "leader",
        "sadyr-japarov",
        "/leaders/sadyr-japarov",
        2,
        "Sadyr Japarov",
        "Sadyr Žaparov Zhaparov Japarov",
        "President of Kyrgyzstan",
    )
    assert rows["summit", "xian-2023"].aliases == "Xi'an Xian"
    cebotarev = rows["statement", "cebotarev-first-international-legal-document"]
    assert cebotarev.aliases == "Andrej Čebotarev Andrei Chebotarev Cebotarev"
    assert cebotarev.body.endswith(" Kazakh political scientist")
    xi = rows["statement", "xi-condemns-trade-wars"]
    assert xi.aliases == ""
    assert xi.body.endswith(" Xi Jinping")
