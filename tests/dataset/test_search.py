"""app/dataset/search.py on its own: user text -> the FTS5 query (written out), the snippet's
HTML, and `search` over the real database (its types, its order, its rounding).
/search over HTTP is tests/test_search.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.dataset.db import open_snapshot, read_snapshot
from app.dataset.search import fts_query, html_snippet, search
from app.vocabulary import ResourceType


@pytest.fixture(scope="module")
def db(db_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_snapshot(read_snapshot(db_path))
    yield conn
    conn.close()


# --- the FTS5 query ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "query"),
    [
        ("zaparov", '"zaparov"*'),
        ("Sadyr Japarov", '"Sadyr"* AND "Japarov"*'),
        # Words joined by an apostrophe: the phrase, or the word written together.
        ("Xi'an", '("Xi an"* OR "Xian"*)'),
        ("Beijing’s ties", '("Beijing s"* OR "Beijings"*) AND "ties"*'),
        ("a'b'c", '("a b c"* OR "abc"*)'),
        ("'quoted'", '"quoted"*'),  # an apostrophe at an edge joins nothing
        ("rock 'n' roll", '"rock"* AND "n"* AND "roll"*'),
        # FTS5 syntax is plain words; `_` splits words, as FTS5's tokenizer does.
        (
            'NEAR(a b) OR "c" -d* ^e',
            '"NEAR"* AND "a"* AND "b"* AND "OR"* AND "c"* AND "d"* AND "e"*',
        ),
        ("snake_case", '"snake"* AND "case"*'),
        ("title:energy", '"title"* AND "energy"*'),
        # NFKC: fullwidth letters and a decomposed Ž are the plain word.
        ("ｘｉａｎ", '"xian"*'),
        ("Z\u030caparov", '"Žaparov"*'),
        ("2025", '"2025"*'),
    ],
)
def test_fts_query(q: str, query: str) -> None:
    assert fts_query(q) == query


@pytest.mark.parametrize("q", ["", "   ", "!!! --- ***", "_", "'", "’’"])
def test_text_without_a_word_is_no_query(q: str) -> None:
    assert fts_query(q) is None


def test_only_the_first_12_words_count() -> None:
    twelve = '"a"* AND "b"* AND "c"* AND "d"* AND "e"* AND "f"* AND "g"* AND "h"* AND "i"*'
    twelve += ' AND "j"* AND "k"* AND "l"*'
    assert fts_query("a b c d e f g h i j k l") == twelve
    assert fts_query("a b c d e f g h i j k l m n") == twelve
    assert fts_query("a b c d e f g h i j k Xi'an m") == twelve.replace(
        '"l"*', '("Xi an"* OR "Xian"*)'
    )


# --- the snippet -------------------------------------------------------------------------


def test_the_snippet_is_escaped_html_with_marks() -> None:
    raw = "<b>Tom & \x02Jerry\x03</b> said \"hi\" and 'bye' \x02again\x03"
    assert html_snippet(raw) == (
        "&lt;b&gt;Tom &amp; <mark>Jerry</mark>&lt;/b&gt; said \"hi\" and 'bye' <mark>again</mark>"
    )
    assert html_snippet("") == ""


# --- search over the real database ----------------------------------------------------------


def test_the_leader_is_the_first_hit_for_his_spelling(db: sqlite3.Connection) -> None:
    first = search(db, "zaparov")[0]
    assert first.model_dump(exclude={"score"}) == {
        "type": ResourceType.leader,
        "id": "sadyr-japarov",
        "title": "Sadyr Japarov",
        "snippet": "Sadyr <mark>Žaparov</mark> Zhaparov Japarov",
        "url": "/leaders/sadyr-japarov",
    }


def test_types_keep_only_those_types_in_the_same_order(db: sqlite3.Connection) -> None:
    every = search(db, "kyrgyz")
    assert {hit.type for hit in every} > {ResourceType.leader, ResourceType.country}
    wanted = {ResourceType.leader, ResourceType.country}
    narrowed = search(db, "kyrgyz", wanted)
    assert narrowed == [hit for hit in every if hit.type in wanted]
    assert [hit.id for hit in narrowed] == ["kg", "sadyr-japarov"]
    assert search(db, "kyrgyz", {ResourceType.theme}) == []


def test_hits_are_ordered_by_score_and_rounded_to_six_places(db: sqlite3.Connection) -> None:
    hits = search(db, "energy")
    assert len(hits) > 3
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores)
    assert all(score < 0 for score in scores)  # bm25: lower is better
    assert all(abs(score * 1e6 - round(score * 1e6)) < 1e-6 for score in scores)
    assert any(abs(score * 1e5 - round(score * 1e5)) > 1e-6 for score in scores)


def test_no_word_no_hits_and_no_query(db: sqlite3.Connection) -> None:
    assert search(db, "***") == []
    assert search(db, "zzzzzzzz") == []
