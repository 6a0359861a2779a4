"""Synthetic datasets: today's seeds replicated `scale` times, ids and references renamed,
with a source text for every source so that every excerpt verifies.

Replica 0 is today's dataset unchanged; replica r (1 ≤ r < scale) copies every record of
every seed file with `-x<r>` appended to its id and to every id it references, so the entity
mix and the text lengths are today's exactly (events, claims and the changelog included:
a claim naming a leader or countries names the replica's). Countries need ISO-shaped codes
instead: each replica's six get unused two-letter ids, alpha-3 and numeric codes and a
numbered name.
Summits are renumbered after the real ones; speakers who are not leaders get a numbered
name (their id is a slug of the name). The texts repeat, so a word matches `scale` times as
many records: the worst case for search, where every term's hit list grows with the data.

    .venv/bin/python -m bench.synthetic SCALE SEEDS_OUT SOURCES_OUT
"""

from __future__ import annotations

import itertools
import string
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
FILES = (
    *("sources", "themes", "countries", "summits", "events", "leaders"),
    *("priorities", "agreements", "statements", "retired", "changes"),
)
# Claims whose value is a reference: a leader id, or comma-separated country ids.
LEADER_CLAIMS = {"speaker"}
COUNTRY_CLAIMS = {"parties"}
Doc = dict[str, Any]


def read_seeds(seeds: Path = SEEDS) -> dict[str, Doc]:
    return {name: tomllib.loads((seeds / f"{name}.toml").read_text()) for name in FILES}


def country_codes(taken: list[Doc]) -> Iterator[tuple[str, str, str]]:
    """(alpha-2, alpha-3, numeric) triples none of the real countries uses."""
    used2 = {c["alpha2"] for c in taken}
    used3 = {c["alpha3"] for c in taken}
    used_numeric = {c["numeric"] for c in taken}
    letters = string.ascii_uppercase
    pairs = ("".join(p) for p in itertools.product(letters, repeat=2) if "".join(p) not in used2)
    numerics = (f"{n:03d}" for n in range(1, 1000) if f"{n:03d}" not in used_numeric)
    for a2, numeric in zip(pairs, numerics, strict=False):
        a3 = next(a2 + x for x in "QXZJ" if a2 + x not in used3)
        yield a2, a3, numeric


class Replica:
    """The renaming of one replica: ids get a suffix, countries new codes."""

    def __init__(self, r: int, countries: list[Doc], codes: Iterator[tuple[str, str, str]]):
        self.r = r
        self.suffix = f"-x{r}" if r else ""
        self.country: dict[str, Doc] = {}
        for c in countries:
            if r == 0:
                self.country[c["id"]] = c
                continue
            a2, a3, numeric = next(codes)
            name = f"{c['name']} {r + 1}"
            new = {**c, "id": a2.lower(), "alpha2": a2, "alpha3": a3, "numeric": numeric}
            self.country[c["id"]] = {**new, "name": name}

    def id(self, value: str) -> str:
        return value + self.suffix

    def cc(self, value: str) -> str:
        return str(self.country[value]["id"])

    def cited(self, record: Doc) -> Doc:
        """Every `source_id` in the record's own sources, values and claims renamed (and a
        change's own `source_id`)."""
        out = dict(record)
        for key in ("sources", "values", "claims"):
            if key in out:
                out[key] = [{**c, "source_id": self.id(c["source_id"])} for c in out[key]]
        if "source_id" in out:
            out["source_id"] = self.id(out["source_id"])
        if "claims" in out:
            out["claims"] = [self.claim(c) for c in out["claims"]]
        return out

    def claim(self, claim: Doc) -> Doc:
        if claim["attribute"] in LEADER_CLAIMS:
            return {**claim, "value": self.id(claim["value"])}
        if claim["attribute"] in COUNTRY_CLAIMS:
            value = ",".join(self.cc(c.strip()) for c in claim["value"].split(","))
            return {**claim, "value": value}
        return claim

    def party(self, party: str | Doc) -> str | Doc:
        """A party: a country id, or an inline table {country, role}."""
        if isinstance(party, str):
            return self.cc(party)
        return {**party, "country": self.cc(party["country"])}

    def record(self, file: str, rec: Doc) -> Doc:
        """`rec` of `file` as this replica has it."""
        if file == "countries":
            return dict(self.country[rec["id"]])
        out = self.cited(rec)
        for key in ("id", "leader", "summit", "event", "successor", "record"):
            if key in out:
                out[key] = self.id(out[key])
        if file == "changes" and rec["collection"] == "countries":
            out["record"] = self.cc(rec["record"])
        for key in ("country", "host"):
            if key in out:
                out[key] = self.cc(out[key])
        if "themes" in out:
            out["themes"] = [self.id(t) for t in out["themes"]]
        if "parties" in out:
            out["parties"] = [self.party(c) for c in out["parties"]]
        if "participants" in out:  # a summit's {country, role}, an event's country ids
            out["participants"] = [
                self.cc(p) if isinstance(p, str) else {**p, "country": self.cc(p["country"])}
                for p in rec["participants"]
            ]
        if file == "summits":
            out["ordinal"] = rec["ordinal"] + self.r * self.summits
        if "speaker" in out and self.r:
            out["speaker"] = self.speaker(out["speaker"])
        return out

    def speaker(self, speaker: Doc) -> Doc:
        """A speaker who is not a leader: a numbered name (their id is its slug)."""
        out = {**speaker, "name": f"{speaker['name']} {self.r + 1}"}
        if "country" in out:
            out["country"] = self.cc(out["country"])
        return out

    summits = 0


def excerpts_by_source(docs: dict[str, Doc]) -> dict[str, list[tuple[str, str]]]:
    """Each source id -> (excerpt, the citing record's description or title), in file order."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for file, doc in docs.items():
        for rec in doc.get(file, []):
            context = str(rec.get("description") or rec.get("text") or rec.get("name") or "")
            for key in ("sources", "values", "claims"):
                for c in rec.get(key, []):
                    found[c["source_id"]].append((c["excerpt"], context))
    return found


def source_text(cited: list[tuple[str, str]]) -> str:
    """An article that contains every excerpt verbatim, each in a paragraph of its own with
    the citing record's description after it (about the real article's length)."""
    paragraphs = dict.fromkeys(f"{excerpt}. {context}" for excerpt, context in cited)
    return "\n\n".join(paragraphs) + "\n"


def generate(scale: int, seeds_out: Path, sources_out: Path, seeds: Path = SEEDS) -> int:
    """Write the dataset at `scale` × today's to `seeds_out` and a text per source to
    `sources_out`; return the number of records (retired ids and changes not counted)."""
    docs = read_seeds(seeds)
    countries = docs["countries"]["countries"]
    codes = country_codes(countries)
    Replica.summits = len(docs["summits"]["summits"])
    replicas = [Replica(r, countries, codes) for r in range(scale)]
    out: dict[str, Doc] = {
        file: {file: [rp.record(file, rec) for rp in replicas for rec in doc[file]]}
        for file, doc in docs.items()
    }
    seeds_out.mkdir(parents=True, exist_ok=True)
    sources_out.mkdir(parents=True, exist_ok=True)
    (seeds_out / "dataset.toml").write_bytes((seeds / "dataset.toml").read_bytes())
    for file, doc in out.items():
        (seeds_out / f"{file}.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
    held = {p.stem: p.read_text() for p in SHARED_SOURCES.glob("*.txt")}
    cited = excerpts_by_source(docs)
    for rp in replicas:
        for source in docs["sources"]["sources"]:
            text = held.get(source["id"]) or source_text(cited[source["id"]])
            (sources_out / f"{rp.id(source['id'])}.txt").write_text(text, encoding="utf-8")
    return sum(len(doc[file]) for file, doc in out.items() if file not in ("retired", "changes"))


if __name__ == "__main__":
    n = generate(int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    print(f"{n} records")
