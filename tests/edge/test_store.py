"""The response store (app/edge/store.py): its bounds in entries and bytes, LRU eviction,
admission on the second request; on its own and as the real app's cache over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.edge.http_cache import HttpCache
from app.edge.store import DOORKEEPER_SLOTS, Store, make_entry
from tests.conftest import build
from tests.support import IDENTITY, STRONG_ETAG, cache_of


def entry(body: bytes = b"x" * 100) -> Any:
    return make_entry([(b"content-type", b"text/plain")], [], body, b'"e"', key_bytes=10)


# entry()'s size, written out: 400 per entry, the key's 10 bytes, the body, and per header 100
# plus its bytes (12 + 10).
SIZE_100 = 400 + 10 + 100 + 100 + 22  # 632
SIZE_300 = SIZE_100 + 200  # 832


def test_an_entrys_size_counts_key_body_headers_and_overhead() -> None:
    assert entry().size == 632
    assert entry(b"x" * 300).size == 832
    headers = [(b"content-type", b"text/csv"), (b"etag", b'"e"')]  # 12 + 8, 4 + 3 bytes
    two = make_entry(headers, headers[1:], b"", b'"e"', key_bytes=0)
    assert two.size == 400 + 0 + 0 + 2 * 100 + 27 + 8  # a 304's header is counted 8 more
    assert two.headers == tuple(headers)
    assert two.not_modified_headers == ((b"etag", b'"e"'),)
    assert (two.body, two.etag) == (b"", b'"e"')


# --- the store on its own ----------------------------------------------------------------


def test_the_least_recently_used_entry_goes_first() -> None:
    store: Store[str] = Store(max_entries=2, max_bytes=100_000, admit_on_second=False)
    store.put("a", entry())
    store.put("b", entry())
    assert store.get("a") is not None  # now b is the least recently used
    store.put("c", entry())
    assert list(store.entries) == ["a", "c"]
    assert store.get("b") is None


def test_the_byte_total_is_kept_and_bounded() -> None:
    one = entry()
    store: Store[int] = Store(max_entries=100, max_bytes=3 * one.size, admit_on_second=False)
    for key in range(10):
        store.put(key, entry())
        assert store.total_bytes == sum(e.size for e in store.entries.values())
        assert store.total_bytes <= store.max_bytes
    assert list(store.entries) == [7, 8, 9]
    assert store.evictions == 7
    store.put(9, entry())  # the same key again replaces, not adds
    assert store.total_bytes == 3 * one.size
    assert store.evictions == 7


def test_replacing_a_key_keeps_the_byte_total_right() -> None:
    store: Store[str] = Store(max_entries=10, max_bytes=100_000, admit_on_second=False)
    store.put("a", entry())
    store.put("b", entry())
    assert store.total_bytes == 2 * SIZE_100
    store.put("a", entry(b"x" * 300))  # a larger body for the same key
    assert store.total_bytes == SIZE_100 + SIZE_300
    store.put("a", entry())  # and a smaller one again
    assert store.total_bytes == 2 * SIZE_100
    assert list(store.entries) == ["b", "a"]  # the replaced key is the most recent
    got = store.get("a")
    assert got is not None
    assert got.size == SIZE_100


def test_a_store_exactly_at_its_bounds_keeps_everything() -> None:
    store: Store[str] = Store(max_entries=2, max_bytes=SIZE_100 + SIZE_300, admit_on_second=False)
    store.put("a", entry())
    store.put("b", entry(b"x" * 300))
    assert list(store.entries) == ["a", "b"]
    assert store.total_bytes == 1464
    store.put("c", entry())  # one entry and 632 bytes over: "a" goes
    assert list(store.entries) == ["b", "c"]
    assert store.total_bytes == 1464
    store.put("d", entry(b"x" * 301))  # 833 bytes: "b" and "c" both go
    assert list(store.entries) == ["d"]
    assert store.total_bytes == 833


def test_bounds_below_zero_are_zero() -> None:
    store: Store[str] = Store(max_entries=-5, max_bytes=-1, admit_on_second=False)
    assert (store.max_entries, store.max_bytes, store.max_entry_bytes) == (0, 0, 0)
    assert not store.admit("a")
    one: Store[str] = Store(max_entries=1, max_bytes=100_000, admit_on_second=False)
    assert one.admit("a")  # one entry is enough to store


def test_an_entry_of_exactly_an_eighth_of_the_bytes_fits() -> None:
    store: Store[str] = Store(max_entries=10, max_bytes=8 * SIZE_100 + 7, admit_on_second=False)
    assert store.max_entry_bytes == 632
    assert store.fits(entry())
    assert not store.fits(entry(b"x" * 101))


def test_the_doorkeeper_has_8192_slots() -> None:
    store: Store[int] = Store(max_entries=10, max_bytes=100_000, admit_on_second=True)
    assert DOORKEEPER_SLOTS == 8192
    assert len(store.doorkeeper or ()) == 8192
    # Small ints hash to themselves: 5 and 8197 share slot 5, 5 and 8196 do not.
    assert not store.admit(5)
    assert not store.admit(8196)
    assert store.admit(5)
    assert not store.admit(8197)  # takes slot 5
    assert not store.admit(5)
    assert store.admit(8196)


def test_get_makes_an_entry_the_most_recent_and_misses_change_nothing() -> None:
    store: Store[str] = Store(max_entries=3, max_bytes=100_000, admit_on_second=False)
    for key in "abc":
        store.put(key, entry())
    assert store.get("z") is None
    assert list(store.entries) == ["a", "b", "c"]
    assert store.get("a") is not None
    assert list(store.entries) == ["b", "c", "a"]


def test_an_entry_over_an_eighth_of_the_bytes_does_not_fit() -> None:
    small, big = entry(b"x" * 100), entry(b"x" * 2000)
    store: Store[object] = Store(max_entries=10, max_bytes=8 * small.size, admit_on_second=True)
    assert store.fits(small)
    assert not store.fits(big)


def test_the_doorkeeper_admits_a_key_on_its_second_request() -> None:
    store: Store[object] = Store(max_entries=10, max_bytes=100_000, admit_on_second=True)
    assert not store.admit("a")
    assert not store.admit("b")
    assert store.admit("a")
    assert store.admit("b")
    # Two keys in one slot: the later one takes it, so the earlier one starts again.
    first, second = 1, 1 + DOORKEEPER_SLOTS
    assert not store.admit(first)
    assert not store.admit(second)
    assert not store.admit(first)


def test_no_entries_means_nothing_is_admitted() -> None:
    store: Store[object] = Store(max_entries=0, max_bytes=100_000, admit_on_second=False)
    assert not store.admit("a")


# --- the real app's cache ----------------------------------------------------------------


def test_the_cache_stays_within_its_entry_bound(db_path: Path) -> None:
    with TestClient(build(db_path, response_cache_entries=5)) as test_client:
        for limit in range(1, 41):
            for _ in range(2):  # stored on the second request
                assert test_client.get(f"/priorities?limit={limit}").status_code == 200
                stats = cache_of(test_client.app).stats()
                assert stats["entries"] <= 5
        assert stats["entries"] == 5
        # Least recently used goes first: the last five are still there.
        test_client.get("/priorities?limit=40")
        assert cache_of(test_client.app).stats()["hits"] == 1
        test_client.get("/priorities?limit=1")
        assert cache_of(test_client.app).stats()["hits"] == 1


def test_the_cache_stays_within_its_byte_bound(db_path: Path) -> None:
    max_bytes = 80_000
    app = build(db_path, response_cache_entries=10_000, response_cache_bytes=max_bytes)
    with TestClient(app) as test_client:
        for limit in range(1, 201, 3):
            for offset in range(0, 30, 7):
                url = f"/priorities?limit={limit}&offset={offset}"
                for _ in range(2):  # stored on the second request
                    assert test_client.get(url, headers=IDENTITY).status_code == 200
                    stats = cache_of(test_client.app).stats()
                    assert stats["bytes"] <= max_bytes
        assert stats["entries"] >= 5
        assert stats["bytes"] == sum(entry.size for entry in cache_of(app).store.entries.values())


def test_a_response_is_stored_on_its_second_request_and_one_offs_never_evict(
    db_path: Path,
) -> None:
    with TestClient(build(db_path, response_cache_entries=3)) as test_client:
        cache = cache_of(test_client.app)
        hot = ["/countries", "/leaders", "/summits"]
        for url in hot:
            test_client.get(url)
        assert cache.stats()["entries"] == 0  # asked for once: served, not stored
        for url in hot:
            test_client.get(url)
        assert cache.stats()["entries"] == 3
        # A stream of URLs asked for once each, as a crawler or an attacker sends them.
        for limit in range(1, 201):
            assert test_client.get(f"/priorities?limit={limit}").status_code == 200
        assert sorted(key[0] for key in cache.store.entries) == sorted(hot)
        hits = cache.stats()["hits"]
        for url in hot:
            test_client.get(url)
        assert cache.stats()["hits"] == hits + 3


def test_admission_on_the_first_request_when_asked() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:  # HTTP only: no lifespan
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x"})

    cache = HttpCache(app, max_entries=10, max_bytes=10_000, admit_on_second=False)
    assert TestClient(cache).get("/a").content == b"x"
    assert cache.stats()["entries"] == 1


def test_a_response_larger_than_an_eighth_of_the_bound_is_served_not_stored(
    db_path: Path,
) -> None:
    app = build(db_path, response_cache_entries=100, response_cache_bytes=40_000)
    with TestClient(app) as test_client:
        for _ in range(2):  # the second request would store it, were it small enough
            big = test_client.get("/priorities?limit=200", headers=IDENTITY)
            assert len(big.content) > 40_000 // 8
            assert STRONG_ETAG.match(big.headers["etag"])
            assert cache_of(app).stats()["entries"] == 0
        for _ in range(2):
            assert test_client.get("/countries/kg?fields=id", headers=IDENTITY).status_code == 200
        assert cache_of(app).stats()["entries"] == 1
