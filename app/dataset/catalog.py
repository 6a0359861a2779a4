"""The typed catalog: every representation of the dataset, built once at start-up.

The database never changes under a running process, so each resource is a pure function
of the file: it is read once, and requests are answered from these objects (and their JSON
bytes, made once). Search is the exception: it queries the FTS5 index per request.
"""

import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app import schemas
from app.dataset import represent
from app.dataset.db import DatabaseUnavailable, Snapshot, open_snapshot
from app.dataset.represent import Tables
from app.dataset.themes import themes_of
from app.vocabulary import RESOURCES

Record = (
    schemas.Country
    | schemas.Leader
    | schemas.Summit
    | schemas.Event
    | schemas.Priority
    | schemas.Agreement
    | schemas.Statement
    | schemas.ThemeDetail
    | schemas.Source
)


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a name, for look-ups."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@dataclass(frozen=True)
class Retired:
    """An id that was published and is no longer served (seeds/retired.toml)."""

    collection: str
    id: str
    successor: str | None
    successor_collection: str | None
    reason: str
    retired_in: str

    @property
    def successor_url(self) -> str | None:
        """The path where its fact now lives, if it lives anywhere."""
        if self.successor is None:
            return None
        return f"/{self.successor_collection}/{self.successor}"

    @property
    def renamed(self) -> bool:
        """Its successor is in its own collection: the same kind of record under a new id."""
        return self.successor is not None and self.successor_collection == self.collection


def retired_of(conn: sqlite3.Connection) -> dict[str, dict[str, Retired]]:
    """The retired ids of each collection (every collection has a key), in file order."""
    retired: dict[str, dict[str, Retired]] = {r.collection: {} for r in RESOURCES}
    keys = ("collection", "id", "successor", "successor_collection", "reason", "retired_in")
    for r in conn.execute("SELECT * FROM retired ORDER BY position"):
        retired[r["collection"]][r["id"]] = Retired(**{k: r[k] for k in keys})
    return retired


class Catalog:
    """The dataset's representations, in their documented orders, with look-ups."""

    def __init__(
        self,
        *,
        info: schemas.DatasetInfo,
        countries: list[schemas.Country],
        leaders: list[schemas.Leader],
        summits: list[schemas.Summit],
        events: list[schemas.Event],
        priorities: list[schemas.Priority],
        agreements: list[schemas.Agreement],
        statements: list[schemas.Statement],
        themes: list[schemas.ThemeDetail],
        sources: list[schemas.Source],
        retired: dict[str, dict[str, Retired]],
        changes: list[schemas.Change],
        database_sha256: str = "",
    ) -> None:
        self.info = info
        self.countries = countries
        self.leaders = leaders
        self.summits = summits
        self.events = events
        self.priorities = priorities
        self.agreements = agreements
        self.statements = statements
        self.themes = themes
        self.sources = sources
        self.retired = retired
        self.changes = changes
        # sha256 of the database file's bytes as this process read them (its snapshot).
        self.database_sha256 = database_sha256
        # The list form of a theme is the detail without its grouping.
        self.theme_rows = [schemas.Theme(**t.model_dump(exclude={"by_country"})) for t in themes]
        self.by_id: dict[str, dict[str, Record]] = {
            r.collection: {item.id: item for item in self.collection(r.collection)}
            for r in RESOURCES
        }
        self.country_keys = {
            fold(key): c.id for c in countries for key in (c.id, c.alpha3, c.numeric, c.name)
        }
        # The indexes the nested collections filter by, so their cost does not grow with the data.
        self.priorities_by_country: dict[str, list[schemas.Priority]] = {
            c.id: [] for c in countries
        }
        for p in priorities:
            self.priorities_by_country[p.country.id].append(p)
        self.agreements_by_summit: dict[str, list[schemas.Agreement]] = {s.id: [] for s in summits}
        for a in agreements:
            if a.event is None:  # a meeting's outcome on the summit's occasion is not its own
                self.agreements_by_summit[a.summit.id].append(a)

    def collection(self, name: str) -> Sequence[Record]:
        records: Sequence[Record] = getattr(self, name)
        return records

    def get(self, collection: str, id_: str) -> Record | None:
        return self.by_id[collection].get(id_)

    def country_id(self, key: str) -> str | None:
        """Resolve alpha-2, alpha-3, numeric code or English name, case-insensitively."""
        return self.country_keys.get(fold(key))

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.by_id.items()}

    def disputed_counts(self) -> dict[str, int]:
        return {
            name: sum(bool(getattr(item, "disputed", False)) for item in items.values())
            for name, items in self.by_id.items()
        }

    def retired_counts(self) -> dict[str, int]:
        return {name: len(ids) for name, ids in self.retired.items()}

    def gone(self, collection: str, id_: str) -> Retired | None:
        """The retired record `id_` of `collection`, if it is one."""
        return self.retired[collection].get(id_)

    def speaker_ids(self) -> list[str]:
        return list(dict.fromkeys(s.speaker.id for s in self.statements))


def build_catalog(conn: sqlite3.Connection, database_sha256: str = "") -> Catalog:
    """Read every table once and build every representation (construction validates it)."""
    meta = {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM dataset_meta")}
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    keys = ("version", "checksum", "title", "description", "licence", "licence_note")
    info = schemas.DatasetInfo(**{k: meta[k] for k in keys}, schema_revision=revision)
    tables = Tables(conn)
    priorities = represent.priorities_of(tables)
    agreements = represent.agreements_of(tables)
    return Catalog(
        info=info,
        countries=represent.countries_of(tables, priorities),
        leaders=represent.leaders_of(tables, priorities),
        summits=represent.summits_of(tables, agreements),
        events=represent.events_of(tables),
        priorities=priorities,
        agreements=agreements,
        statements=represent.statements_of(tables),
        themes=themes_of(tables, priorities, agreements),
        sources=represent.sources_of(tables),
        retired=retired_of(conn),
        changes=represent.changes_of(tables),
        database_sha256=database_sha256,
    )


def open_catalog(snapshot: Snapshot) -> tuple[sqlite3.Connection, Catalog]:
    """The snapshot (app/dataset/db.py) in memory and every representation built from it; a
    file this code cannot serve is a DatabaseUnavailable at start-up, never a 5xx later."""
    db = open_snapshot(snapshot)
    try:
        return db, build_catalog(db, snapshot.sha256)
    except (sqlite3.Error, LookupError, ValueError, TypeError) as exc:
        db.close()
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        raise DatabaseUnavailable(
            f"database file {snapshot.path} does not hold what this code reads "
            f"({type(exc).__name__}: {first_line}): rebuild it with `summit-api load`"
        ) from None
