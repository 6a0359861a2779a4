"""The response store (no ASGI): a least-recently-used map bounded by entry count and by bytes,
and the doorkeeper that admits a key on its second request. bench/README.md has the design.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Generic, TypeVar

DOORKEEPER_SLOTS = 8192
# Python's own cost of an entry beyond its bytes (measured with tracemalloc): the entry, its
# key and the LRU's links; and per header, a tuple and two bytes objects.
ENTRY_OVERHEAD = 400
HEADER_OVERHEAD = 100

Header = tuple[bytes, bytes]
K = TypeVar("K", bound=Hashable)


@dataclass(slots=True)
class Entry:
    """One stored representation with its header lists built once."""

    headers: tuple[Header, ...]
    not_modified_headers: tuple[Header, ...]
    body: bytes
    etag: bytes
    size: int
    route: str | None  # the route template that made it, for the metrics of its hits


def make_entry(
    headers: Sequence[Header],
    not_modified: Sequence[Header],
    body: bytes,
    etag: bytes,
    key_bytes: int,
    route: str | None = None,
) -> Entry:
    """An entry with its size: key, body, headers and Python's per-object overhead."""
    size = (
        ENTRY_OVERHEAD
        + key_bytes
        + len(body)
        + HEADER_OVERHEAD * len(headers)
        + sum(map(len, chain.from_iterable(headers)))
        + 8 * len(not_modified)  # the same tuples again, in a second tuple
    )
    return Entry(tuple(headers), tuple(not_modified), body, etag, size, route)


class Store(Generic[K]):
    """At most `max_entries` entries and `max_bytes` bytes; least recently used go first. An
    entry over `max_bytes / 8` is never stored; `max_entries=0` stores nothing."""

    def __init__(self, max_entries: int, max_bytes: int, *, admit_on_second: bool) -> None:
        self.max_entries = max(0, max_entries)
        self.max_bytes = max(0, max_bytes)
        self.max_entry_bytes = self.max_bytes // 8
        self.entries: OrderedDict[K, Entry] = OrderedDict()
        self.total_bytes = 0
        self.evictions = 0
        # Hashes of keys asked for once (a direct-mapped table, 64 KB); None admits at once.
        self.doorkeeper = array("q", bytes(8 * DOORKEEPER_SLOTS)) if admit_on_second else None

    def get(self, key: K) -> Entry | None:
        """The entry for `key`, now the most recently used, or None."""
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def admit(self, key: K) -> bool:
        """Whether a response for `key` may be stored: with the doorkeeper, only when the key
        was asked for before (and its slot not taken since by another key)."""
        if self.max_entries == 0:
            return False
        if self.doorkeeper is None:
            return True
        digest = hash(key)
        slot = digest % DOORKEEPER_SLOTS
        if self.doorkeeper[slot] == digest:
            return True
        self.doorkeeper[slot] = digest
        return False

    def fits(self, entry: Entry) -> bool:
        """Whether an entry is small enough to be stored at all."""
        return entry.size <= self.max_entry_bytes

    def put(self, key: K, entry: Entry) -> None:
        """Store `entry` (replacing one for the same key), then evict down to the bounds."""
        previous = self.entries.pop(key, None)  # two concurrent misses for one key
        if previous is not None:
            self.total_bytes -= previous.size
        self.entries[key] = entry
        self.total_bytes += entry.size
        while len(self.entries) > self.max_entries or self.total_bytes > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.total_bytes -= evicted.size
            self.evictions += 1
