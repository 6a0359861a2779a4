"""Issue 19's "Done when", over HTTP: the summit in its leaders' own words, every fact
weighed against the sources that saw it. Expected values are the stored texts' facts."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import SHARED_SOURCES, have_source_text

DIRECT = {"official-text", "official-readout", "agency-report"}
AKORDA = {
    "tokayev-chinese-people-never-harmed-kazakh-people": "The Chinese people have never harmed",
    "tokayev-china-never-sets-political-conditions": "political conditions",
    "tokayev-relations-free-from-geopolitical-impacts": "geopolitical",
    "tokayev-supports-china-peace-initiatives": "peace",
}
# 24.kg (the Kyrgyz presidential press service): Japarov's six key areas, in order.
JAPAROV_AREAS = (
    "Transport and transit connectivity",
    "Energy",
    "Finance and e-commerce",
    "Education and science",
    "Tourism",
    "Security",
)


def directness(client: TestClient) -> dict[str, str]:
    return {s["id"]: s["directness"] for s in client.get("/sources?limit=200").json()["items"]}


def test_the_host_s_priorities_cite_direct_sources(client: TestClient) -> None:
    items = client.get("/countries/kz/priorities").json()["items"]
    assert len(items) >= 7
    rank = directness(client)
    for p in items:
        assert p["leader"]["id"] == "kassym-jomart-tokayev"
        assert {rank[c["source_id"]] for c in p["sources"]} & DIRECT, p["id"]
    titles = " ".join(p["title"] + " " + p["description"] for p in items).lower()
    for words in ("high-tech", "water", "khorgos", "2026", "logistics"):
        assert words in titles, words


def test_the_akorda_statements_are_tokayev_s_with_xi_kept_as_a_claim(
    client: TestClient,
) -> None:
    for sid, words in AKORDA.items():
        st = client.get(f"/statements/{sid}").json()
        assert st["speaker"]["id"] == "kassym-jomart-tokayev", sid
        assert words.lower() in (st["text"] + " ".join(c["excerpt"] for c in st["sources"])).lower()
        speakers = [c for c in st["claims"] if c["attribute"] == "speaker"]
        assert [c["value"] for c in speakers if c["preferred"]] == ["kassym-jomart-tokayev"]
        xi = [c for c in speakers if c["value"] == "xi-jinping"]
        assert [(c["source_id"], c["preferred"]) for c in xi] == [
            ("asianews-2025-06-26-astana-summit", False)
        ]
        assert st["disputed"] is True
        assert st["dispute"]


def test_japarov_s_own_six_areas_come_first(client: TestClient) -> None:
    items = client.get("/countries/kg/priorities?sort=position").json()["items"]
    own = [p["title"] for p in items if p["kind"] != "endorsement"][:6]
    assert tuple(own) == JAPAROV_AREAS


def test_every_stored_text_is_a_source_with_an_address(client: TestClient) -> None:
    if not have_source_text():
        return
    served = {s["id"]: s for s in client.get("/sources?limit=200").json()["items"]}
    stored = {p.stem for p in Path(SHARED_SOURCES).glob("*.txt")}
    assert len(stored) == 27
    assert stored <= set(served)
    for sid in stored:
        assert served[sid]["web_url"].startswith("http"), sid
    related = [s for s in served.values() if s["kind"] == "related"]
    assert len(related) == 5


def test_the_named_disputes_are_marked_with_both_claims(client: TestClient) -> None:
    grant = client.get("/agreements/astana-2025-cny-1-5-billion-for-central-asia").json()
    instruments = [c for c in grant["claims"] if c["attribute"] == "instrument"]
    assert [c["value"] for c in instruments if c["preferred"]] == ["grant"]
    assert "loan" in {c["value"] for c in instruments if not c["preferred"]}
    roles = {p["id"]: p["role"] for p in grant["parties"]}
    assert roles == {
        "cn": "donor",
        "kz": "recipient",
        "uz": "recipient",
        "kg": "recipient",
        "tj": "recipient",
        "tm": "recipient",
    }
    deals = client.get("/agreements/astana-2025-trade-and-investment-agreements").json()
    usd = {v["amount"]: v["preferred"] for v in deals["values"] if v["currency"] == "USD"}
    assert usd == {24_000_000_000: True, 25_000_000_000: False}
    assert deals["disputed"] is True
    disputed = client.get("/statements?disputed=true&limit=200").json()["items"]
    assert {"tokayev-chinese-people-never-harmed-kazakh-people"} <= {s["id"] for s in disputed}
    meta = client.get("/meta").json()
    assert meta["disputed_counts"]["statements"] == len(disputed)


def test_a_sum_over_preferred_values_counts_each_fact_once(client: TestClient) -> None:
    items = client.get("/agreements?limit=200").json()["items"]
    for a in items:
        for currency in {v["currency"] for v in a["values"] if v["amount"] is not None}:
            preferred = [v for v in a["values"] if v["currency"] == currency and v["preferred"]]
            assert len(preferred) == 1, (a["id"], currency)


def test_statements_filter_on_the_speaker_s_kind(client: TestClient) -> None:
    heads = client.get("/statements?country=kz&speaker_kind=head-of-state&limit=200").json()
    assert heads["items"]
    assert all(s["speaker"]["kind"] == "head-of-state" for s in heads["items"])
    everyone = client.get("/statements?country=kz&limit=200").json()
    analysts = [s for s in everyone["items"] if s["speaker"]["kind"] == "analyst"]
    assert analysts, "the Kazakh political scientist speaks for kz but is no head of state"
    assert heads["total"] + len(analysts) <= everyone["total"]


def test_every_citation_prints_its_publisher_and_date(client: TestClient) -> None:
    for path in ("/priorities", "/statements", "/agreements"):
        for item in client.get(f"{path}?limit=200").json()["items"]:
            for c in item["sources"]:
                assert c["publisher"], (item["id"], c["source_id"])
                assert c["title"]
                assert c["web_url"] is not None
