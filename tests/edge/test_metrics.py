"""`GET /metrics` (app/edge/metrics.py), read as Prometheus reads it: counts by route template
and status, the latency histogram, the response cache's figures and the dataset served.
Each test builds its own app, so the counts start at nothing."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import SEEDS, build
from tests.support import IDENTITY, PROBLEM

VERSION = tomllib.loads((SEEDS / "dataset.toml").read_text("utf-8"))["version"]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient) -> Samples:
    """Every sample of `/metrics`, by name and sorted labels."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def requests_by_route(samples: Samples) -> dict[tuple[str, str], float]:
    return {
        (dict(labels)["route"], dict(labels)["status"]): value
        for (name, labels), value in samples.items()
        if name == "summit_http_requests_total"
    }


@pytest.fixture
def fresh(db_path: Path) -> Iterator[TestClient]:
    with TestClient(build(db_path)) as client:
        yield client


def test_requests_are_counted_by_route_template_and_status(fresh: TestClient) -> None:
    for _ in range(3):
        assert fresh.get("/countries").status_code == 200
    assert fresh.get("/countries/kg").status_code == 200
    assert fresh.get("/countries/KGZ").status_code == 200  # an alias: the same template
    assert fresh.get("/countries/no-such-id").status_code == 404
    assert fresh.get("/nowhere/at/all").status_code == 404
    assert fresh.post("/countries").status_code == 405
    assert fresh.get("/countries?colour=red").status_code == 400
    etag = fresh.get("/countries").headers["etag"]
    assert fresh.get("/countries", headers={"If-None-Match": etag}).status_code == 304
    assert fresh.get("/health").status_code == 200
    assert requests_by_route(scrape(fresh)) == {
        ("/countries", "200"): 4.0,
        ("/countries", "304"): 1.0,
        ("/countries", "400"): 1.0,
        ("/countries/{country_id}", "200"): 2.0,
        ("/countries/{country_id}", "404"): 1.0,
        ("(unmatched)", "404"): 1.0,  # never the raw path: bounded labels
        ("(edge)", "405"): 1.0,
        ("/health", "200"): 1.0,
    }
    # The first scrape is counted once it is answered.
    assert requests_by_route(scrape(fresh))[("/metrics", "200")] == 1.0


def test_the_latency_histogram_counts_every_answer_of_a_route(fresh: TestClient) -> None:
    for url in ("/leaders", "/leaders", "/leaders/sadyr-japarov"):
        assert fresh.get(url).status_code == 200
    samples = scrape(fresh)
    name = "summit_http_request_duration_seconds"
    for route, count in (("/leaders", 2.0), ("/leaders/{leader_id}", 1.0)):
        labels = (("route", route),)
        assert samples[(f"{name}_count", labels)] == count
        assert samples[(f"{name}_bucket", (("le", "+Inf"), ("route", route)))] == count
        assert 0 < samples[(f"{name}_sum", labels)] < 10
        buckets = [
            value
            for (sample, labelled), value in samples.items()
            if sample == f"{name}_bucket" and dict(labelled)["route"] == route
        ]
        assert len(buckets) == 13
        assert buckets == sorted(buckets)  # cumulative


def cache_counts(samples: Samples) -> dict[str, float]:
    prefix = "summit_response_cache_"
    return {name.removeprefix(prefix): v for (name, _), v in samples.items() if prefix in name}


def test_the_cache_counters_move_with_hits_and_misses(fresh: TestClient) -> None:
    # A URL is stored on its second request (the doorkeeper), answered from store after.
    for _ in range(4):
        assert fresh.get("/themes", headers=IDENTITY).status_code == 200
    assert fresh.get("/themes/energy", headers=IDENTITY).status_code == 200
    assert fresh.get("/themes/no-such-theme").status_code == 404
    counts = cache_counts(scrape(fresh))
    assert {k: v for k, v in counts.items() if k != "bytes"} == {
        "hits_total": 2.0,
        "misses_total": 5.0,  # /themes twice, the theme, the 404, and this scrape
        "evictions_total": 0.0,
        "entries": 1.0,
    }
    assert counts["bytes"] > len(fresh.get("/themes", headers=IDENTITY).content)


def test_evictions_are_counted(db_path: Path) -> None:
    with TestClient(build(db_path, response_cache_entries=1)) as client:
        for url in ("/summits", "/summits", "/sources", "/sources", "/summits", "/summits"):
            assert client.get(url).status_code == 200
        counts = cache_counts(scrape(client))
    # /summits stored on its second request, evicted by /sources on its second, stored
    # again on its third (the doorkeeper remembers it), evicting /sources; then a hit.
    assert counts["evictions_total"] == 2.0
    assert counts["entries"] == 1.0
    assert counts["misses_total"] == 6.0  # five, and the scrape
    assert counts["hits_total"] == 1.0


def test_the_dataset_served_is_a_label(fresh: TestClient, db_path: Path) -> None:
    sha256 = hashlib.sha256(db_path.read_bytes()).hexdigest()
    labels = (("database_sha256", sha256), ("version", VERSION))
    assert scrape(fresh)[("summit_dataset_info", labels)] == 1.0


def test_metrics_are_never_stored_and_not_in_the_document(fresh: TestClient) -> None:
    for _ in range(3):  # what the cache would have stored by now
        response = fresh.get("/metrics")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers
        assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
        assert response.headers["x-content-type-options"] == "nosniff"
    head = fresh.head("/metrics")
    assert (head.status_code, head.content) == (200, b"")
    assert "/metrics" not in fresh.get("/openapi.json").json()["paths"]
    assert "/metrics" not in fresh.get("/").text


def test_metrics_take_no_query_and_only_read_methods(fresh: TestClient) -> None:
    refused = fresh.get("/metrics?format=json")
    assert refused.status_code == 400
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["errors"][0]["name"] == "format"
    assert fresh.post("/metrics").status_code == 405


def test_each_app_counts_its_own(db_path: Path) -> None:
    """No registry at import: two apps in one process count apart."""
    with TestClient(build(db_path)) as one, TestClient(build(db_path)) as two:
        assert one.get("/sources").status_code == 200
        assert requests_by_route(scrape(one)) == {("/sources", "200"): 1.0}
        assert requests_by_route(scrape(two)) == {}
