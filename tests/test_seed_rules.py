"""Who said what, and of what kind (issue 12): the rules of seeds/README.md, "Speakers and
kinds", held where a machine can hold them.

Read straight from seeds/*.toml and the primary source's text (no app import). A record's
*speaker* is the one the source makes the grammatical subject of what it cites: a leader
(priorities, a leader's statements), another person or group (a statement's `speaker`
table: the author, unnamed experts, a political scientist), or the parties of a joint
position ("the six leaders"). Agreements of other kinds, summits and leaders narrate
events and may share a leader's sentence, never another speaker's.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PRIMARY_SOURCE, SEEDS, have_source_text

PRIMARY_ID = PRIMARY_SOURCE.stem
SEEDS_README = SEEDS / "README.md"
COLLECTIONS = ("priorities", "agreements", "statements")

# A quotation is the speaker's words only where the source introduces it as speech: one
# of these within the four words before the opening mark ("stressed that ‘…", "noting the
# importance of “…"). "his condemnation of all forms of ‘…’" is a scare quote.
SAYING = frozenset(
    {
        *("said", "says", "stated", "stressed", "recalled", "affirmed", "declared"),
        *("noted", "noting", "added", "insisted", "argued", "warned", "told", "asked"),
        *("explained", "emphasised", "emphasized", "promised", "announced"),
    }
)
QUOTE_MARKS = (("‘", "’"), ("“", "”"), ("'", "'"), ('"', '"'))

# Each kind's one-line criterion (seeds/README.md, "Kinds"), as the words that must state
# it in at least one of the record's excerpts (matched at a word's start).
CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "priorities": {
        # The leaders' own texts and readouts say it in their words ("key areas", "we count
        # on", "we support", "we welcome", "I suggest").
        "priority": (
            *("importance", "need", "priorit", "important", "hope", "count on"),
            *("key area", "imperative"),
        ),
        "proposal": ("propos", "offer", "willingness", "suggest"),
        "position": ("affirm", "condemn", "oppos", "support", "welcome", "opinion"),
        "endorsement": ("agree",),
    },
    "agreements": {
        "treaty": ("agreement signed", "treaty"),
        "declaration": ("declaration",),
        "intergovernmental-documents": ("intergovernmental documents",),
        "business-agreements": ("agreements",),
        "financial-commitment": ("loan", "grant", "yuan"),
        "training-commitment": ("training",),
        "joint-position": ("declared", "condemned", "opposed"),
        "joint-decision": ("decided",),
    },
}

# Where every excerpt only declares a willingness or an intention, the title says so.
HEDGES = {"willingness to": "willingness", "intends to": "intend"}

# A joint position's parties, as the source names groups of them.
GROUP_NAMES = ("six leaders", "heads of state", "presidents")


# --- reading ----------------------------------------------------------------------------


@cache
def records(name: str) -> list[dict[str, Any]]:
    with (SEEDS / f"{name}.toml").open("rb") as fh:
        items = tomllib.load(fh)[name]
    assert isinstance(items, list)
    return items


def fold(text: str) -> str:
    """Case-, diacritic- and whitespace-insensitive form ("Žaparov" ~ "zaparov")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def names_in(names: tuple[str, ...], text: str) -> bool:
    """Whether `text` names one of `names` as a whole word ("Xi", not "Xi'an")."""
    folded = fold(text)
    return any(re.search(rf"(?<![\w'’]){re.escape(fold(n))}(?![\w'’])", folded) for n in names if n)


def primary_excerpts(record: dict[str, Any]) -> list[str]:
    return [c["excerpt"] for c in record.get("sources", []) if c["source_id"] == PRIMARY_ID]


def primary_text() -> str:
    if not have_source_text():
        pytest.skip(f"{PRIMARY_SOURCE} is absent")
    return " ".join(PRIMARY_SOURCE.read_text(encoding="utf-8").split())


def leader_names(leader_id: str) -> tuple[str, ...]:
    x = next(x for x in records("leaders") if x["id"] == leader_id)
    return (x["name"], x["source_spelling"], *x.get("aliases", []))


def source_author() -> str:
    author = next(s for s in records("sources") if s["id"] == PRIMARY_ID)["author"]
    assert isinstance(author, str)
    return author


@dataclass(frozen=True)
class Credited:
    """A record that credits what it cites to a speaker."""

    label: str  # "priorities/astana-2025-kg-energy"
    speaker: str  # "leader:sadyr-japarov", "speaker:Unnamed experts", "parties:cn,kg,…"
    names: tuple[str, ...]  # how the source may name that speaker
    record: dict[str, Any]


def credited() -> Iterator[Credited]:
    for p in records("priorities"):
        yield Credited(
            f"priorities/{p['id']}", f"leader:{p['leader']}", leader_names(p["leader"]), p
        )
    for st in records("statements"):
        if "leader" in st:
            key, names = f"leader:{st['leader']}", leader_names(st["leader"])
        else:
            sp = st["speaker"]
            key, names = f"speaker:{sp['name']}", (sp["name"], *sp.get("aliases", []))
        yield Credited(f"statements/{st['id']}", key, names, st)
    leader_of = {x["country"]: x["id"] for x in records("leaders")}
    for a in records("agreements"):
        if a["kind"] == "joint-position":
            parties = sorted(party_ids(a))
            names = tuple(n for c in parties for n in leader_names(leader_of[c]))
            yield Credited(
                f"agreements/{a['id']}", f"parties:{','.join(parties)}", GROUP_NAMES + names, a
            )


def all_citations() -> Iterator[tuple[str, str, str]]:
    """(record label, speaker key, excerpt) for every primary citation of every record;
    a record that credits no speaker narrates ("narration")."""
    speakers = {c.label: c.speaker for c in credited()}
    for name in ("summits", "leaders", *COLLECTIONS):
        for r in records(name):
            label = f"{name}/{r['id']}"
            for excerpt in primary_excerpts(r):
                yield label, speakers.get(label, "narration"), excerpt


# --- quotes -----------------------------------------------------------------------------


def _quoted_as_speech(text: str, excerpt: str) -> bool:
    body = " ".join(excerpt.split())
    for opening, closing in QUOTE_MARKS:
        at = body.find(f"{opening}{text}{closing}")
        if at >= 0:
            before = re.findall(r"\w+", body[:at].casefold())[-4:]
            if SAYING & set(before):
                return True
    return False


def test_a_quote_is_the_speakers_words_in_quotation_marks() -> None:
    quotes = [st for st in records("statements") if st["kind"] == "quote"]
    assert quotes
    wrong = [
        f"{st['id']}: {st['text']!r} is not quoted as speech in {excerpt!r}"
        for st in quotes
        if "dispute" not in st  # a disputed quote's text follows its preferred source
        for excerpt in primary_excerpts(st)
        if not _quoted_as_speech(st["text"], excerpt)
    ]
    assert not wrong, "a quote's every excerpt quotes its text as speech:\n" + "\n".join(wrong)
    # A disputed quote's text is its government's own text of his words (oilgas.gov.tm).
    for st in (q for q in quotes if "dispute" not in q):
        excerpts = [c["excerpt"] for c in st["sources"]]
        assert any(_inside_quotes(st["text"], e) for e in excerpts), st["id"]


def _inside_quotes(text: str, excerpt: str) -> bool:
    """The words stand in the excerpt after an opening quotation mark."""
    at = fold(excerpt).find(fold(text).rstrip("."))
    return at > 0 and any(mark in excerpt[: at + 1] for mark, _ in QUOTE_MARKS)


def test_quote_excerpts_occur_in_the_source_with_their_quotation_marks() -> None:
    text = primary_text()
    for st in records("statements"):
        if st["kind"] == "quote":
            for excerpt in primary_excerpts(st):
                assert " ".join(excerpt.split()) in text, (st["id"], excerpt)


# --- speakers ---------------------------------------------------------------------------


def test_every_excerpt_names_its_speaker_or_a_note_says_why() -> None:
    wrong = []
    for c in credited():
        unnamed = [e for e in primary_excerpts(c.record) if not names_in(c.names, e)]
        if unnamed and not names_in(c.names, c.record.get("note", "")):
            wrong.append(f"{c.label} ({c.speaker}): {unnamed}")
    assert not wrong, (
        "excerpts that do not name the speaker, with no note naming them:\n" + "\n".join(wrong)
    )


def test_no_excerpt_is_credited_to_two_speakers() -> None:
    """An author's, an expert's or a commentator's sentence is cited only by their
    statements; a leader's sentence only by that leader's records (and by narration);
    the six leaders' joint words only by their joint positions."""
    cited = list(all_citations())
    clashes = set()
    for (la, ka, ea), (lb, kb, eb) in combinations(cited, 2):
        if ka == kb:
            continue
        fa, fb = fold(ea), fold(eb)
        if fa not in fb and fb not in fa:
            continue
        person = ka.startswith("speaker:") or kb.startswith("speaker:")
        if person or "narration" not in (ka, kb):
            clashes.add(f"{la} ({ka}) and {lb} ({kb}): {ea[:70]!r}")
    assert not clashes, "one sentence, two speakers:\n" + "\n".join(sorted(clashes))


def test_the_leads_summary_of_priorities_is_the_authors() -> None:
    """'Among the priorities are …' summarises the summit: credited to no leader."""
    match = re.search(r"Among the priorities [^.]*\.", primary_text())
    assert match is not None
    lead = fold(match.group(0))
    citing = [
        label
        for label, _, excerpt in all_citations()
        if lead in fold(excerpt) or fold(excerpt) in lead
    ]
    author = f"speaker:{source_author()}"
    speakers = {c.label: c.speaker for c in credited()}
    assert citing, "the summit-wide priorities have a record"
    assert {speakers.get(label) for label in citing} == {author}, citing


def test_the_authors_assessments_are_his_statements_only() -> None:
    """An excerpt of a statement of the article's author is no agreement or priority."""
    author = f"speaker:{source_author()}"
    mine = {fold(e) for c in credited() if c.speaker == author for e in primary_excerpts(c.record)}
    assert mine
    others = [
        label
        for label, key, excerpt in all_citations()
        if key != author and any(fold(excerpt) in m or m in fold(excerpt) for m in mine)
    ]
    assert not others, others


# --- kinds ------------------------------------------------------------------------------


def _cued(cues: tuple[str, ...], record: dict[str, Any]) -> bool:
    excerpts = [fold(c["excerpt"]) for c in record.get("sources", [])]
    return any(re.search(rf"\b{re.escape(cue)}", e) for cue in cues for e in excerpts)


@pytest.mark.parametrize("collection", sorted(CUES))
def test_every_kind_meets_its_criterion(collection: str) -> None:
    wrong = [
        f"{r['id']}: kind {r['kind']!r} wants one of {CUES[collection][r['kind']]}"
        for r in records(collection)
        if not _cued(CUES[collection][r["kind"]], r)
    ]
    assert not wrong, "\n".join(wrong)


def test_every_kind_has_a_one_line_criterion_in_the_readme() -> None:
    readme = SEEDS_README.read_text(encoding="utf-8")
    section = readme.split("## Speakers and kinds", 1)[-1].split("\n## ", 1)[0]
    used = {(c, r["kind"]) for c in COLLECTIONS for r in records(c)}
    kinds = {k for c in CUES.values() for k in c} | {"quote", "paraphrase"}
    for kind in kinds | {k for _, k in used}:
        assert re.search(rf"^- `{re.escape(kind)}`: \S", section, re.M), kind


def test_an_endorsement_counts_no_theme_its_leader_states_in_the_same_sentence() -> None:
    """'emphasised the importance of the energy sector, agreeing with the other needs':
    the other needs, not energy again."""
    priorities = records("priorities")
    wrong = []
    for e in (p for p in priorities if p["kind"] == "endorsement"):
        for p in priorities:
            if p is e or p["leader"] != e["leader"] or p["kind"] == "endorsement":
                continue
            shared = [
                (a, b)
                for a in primary_excerpts(e)
                for b in primary_excerpts(p)
                if fold(a) in fold(b) or fold(b) in fold(a)
            ]
            twice = set(e["themes"]) & set(p["themes"])
            if shared and twice:
                wrong.append(f"{e['id']} repeats {sorted(twice)} of {p['id']}")
    assert not wrong, "\n".join(wrong)


# --- titles and descriptions ------------------------------------------------------------


@pytest.mark.parametrize("collection", ["priorities", "agreements"])
def test_a_title_keeps_the_excerpts_hedge(collection: str) -> None:
    wrong = []
    for r in records(collection):
        excerpts = [fold(e) for e in primary_excerpts(r)]
        for hedge, word in HEDGES.items():
            if excerpts and all(hedge in e for e in excerpts) and word not in fold(r["title"]):
                wrong.append(f"{r['id']}: {r['title']!r} drops {hedge!r}")
    assert not wrong, "\n".join(wrong)


def test_a_record_naming_another_leader_carries_his_spellings() -> None:
    """Search finds the Tajik endorsement by 'zaparov', 'Žaparov' and 'Japarov' alike."""
    wrong = []
    for c in credited():
        own = c.speaker.removeprefix("leader:")
        r = c.record
        words = " ".join(r.get(k, "") for k in ("title", "description", "text", "context"))
        for x in records("leaders"):
            if x["id"] == own or not any(
                names_in(leader_names(x["id"]), e) for e in primary_excerpts(r)
            ):
                continue
            forms = (x["source_spelling"].split()[-1], x["name"].split()[-1])
            missing = [f for f in forms if not names_in((f,), words)]
            if missing:
                wrong.append(f"{c.label} names {x['id']} but not {missing}")
    assert not wrong, "\n".join(wrong)


def test_the_ongoing_wars_have_a_record_of_their_own() -> None:
    own = [
        r["id"]
        for c in COLLECTIONS
        for r in records(c)
        if "ongoing wars" in fold(r.get("title", r.get("text", "")))
        and any("ongoing wars" in fold(e) for e in primary_excerpts(r))
    ]
    assert own


def test_every_sentence_of_the_article_is_cited() -> None:
    text = primary_text()
    body = text.split("Astana (AsiaNews) - ", 1)[1].split(" TAGs", 1)[0]
    sentences = re.split(r"(?<=[.’”])\s+(?=[A-Z])", body)
    cited = [fold(e) for _, _, e in all_citations()]
    missing = [s for s in sentences if not any(e in fold(s) or fold(s) in e for e in cited)]
    assert not missing, missing


# --- retired ids ------------------------------------------------------------------------


def retired() -> list[dict[str, Any]]:
    path: Path = SEEDS / "retired.toml"
    with path.open("rb") as fh:
        items = tomllib.load(fh)["retired"]
    assert isinstance(items, list)
    return items


def test_retired_ids_are_well_formed_and_gone() -> None:
    keys = {"id", "collection", "successor", "successor_collection", "reason", "retired_in"}
    version = tuple(int(x) for x in records_version().split("."))
    seen = set()
    for r in retired():
        assert set(r) <= keys, r
        assert {"id", "collection", "reason", "retired_in"} <= set(r), r
        assert r["collection"] in COLLECTIONS, r
        assert (r["collection"], r["id"]) not in seen, f"retired twice: {r['id']}"
        seen.add((r["collection"], r["id"]))
        live = {x["id"] for x in records(r["collection"])}
        assert r["id"] not in live, f"{r['id']} is retired and still in {r['collection']}"
        assert ("successor" in r) == ("successor_collection" in r), r
        if "successor" in r:
            assert r["successor_collection"] in COLLECTIONS, r
            target = {x["id"] for x in records(r["successor_collection"])}
            assert r["successor"] in target, f"{r['id']}: successor {r['successor']} unknown"
        reason = r["reason"].strip()
        assert reason.endswith("."), reason
        assert not re.search(r"\.\s+[A-Z]", reason), f"one sentence: {reason}"
        assert tuple(int(x) for x in r["retired_in"].split(".")) <= version, r


def records_version() -> str:
    with (SEEDS / "dataset.toml").open("rb") as fh:
        version = tomllib.load(fh)["version"]
    assert isinstance(version, str)
    return version


# --- how the sources are weighed (seeds/README.md, from ../shared/sources/README.md) -------

# Directness, most direct first: a leader's own text, his press service's readout, an agency's
# report, a later analysis (the primary source is one).
DIRECTNESS = ("official-text", "official-readout", "agency-report", "analysis")
FACT_FILES = ("summits", "events", "priorities", "agreements", "statements")


def party_ids(agreement: dict[str, Any]) -> list[str]:
    return [p if isinstance(p, str) else p["country"] for p in agreement["parties"]]


def disputable() -> Iterator[tuple[str, dict[str, Any]]]:
    for name in FACT_FILES:
        for r in records(name):
            yield f"{name}/{r['id']}", r


def test_every_stored_text_is_a_source_record() -> None:
    if not have_source_text():
        pytest.skip("the source texts are absent")
    stored = {p.stem for p in PRIMARY_SOURCE.parent.glob("*.txt")}
    ids = {s["id"] for s in records("sources")}
    assert stored <= ids, f"stored texts without a record: {sorted(stored - ids)}"


def test_sources_carry_their_directness_and_address() -> None:
    for s in records("sources"):
        if s["kind"] == "related":
            assert s["directness"] == "related", s["id"]
        else:
            assert s["directness"] in DIRECTNESS, s["id"]
            assert s.get("url", "").startswith("http"), f"{s['id']} has no web address"
    primary = next(s for s in records("sources") if s["id"] == PRIMARY_ID)
    assert primary["directness"] == "analysis"


def test_the_preferred_claim_is_the_most_direct() -> None:
    rank = {
        s["id"]: DIRECTNESS.index(s["directness"])
        for s in records("sources")
        if s["directness"] in DIRECTNESS
    }
    wrong = []
    for label, r in disputable():
        claims = r.get("claims", [])
        for attribute in {c["attribute"] for c in claims}:
            mine = [c for c in claims if c["attribute"] == attribute]
            if len({c["value"] for c in mine}) < 2:
                continue
            (best,) = [c for c in mine if c.get("preferred")]
            if rank[best["source_id"]] > min(rank[c["source_id"]] for c in mine):
                wrong.append(f"{label}: {attribute} prefers {best['source_id']}")
    assert not wrong, "\n".join(wrong)


def test_disagreement_is_data_a_dispute_is_one_line_over_differing_claims() -> None:
    """Nothing dropped: a record whose claims differ keeps each with its excerpt and says how
    in one line; a record with no differing claims has no dispute."""
    for label, r in disputable():
        values: dict[str, set[str]] = {}
        for c in r.get("claims", []):
            assert c["excerpt"].strip(), label
            values.setdefault(c["attribute"], set()).add(c["value"])
        differ = any(len(v) > 1 for v in values.values())
        assert differ == ("dispute" in r), f"{label}: dispute without differing claims or v.v."
        if "dispute" in r:
            assert "\n" not in r["dispute"], label
            assert len(r["dispute"]) <= 400, label


def test_main_fields_follow_the_preferred_claim() -> None:
    follow: dict[str, Callable[[dict[str, Any]], str | None]] = {
        "speaker": lambda r: r.get("leader"),
        "parties": lambda r: ",".join(sorted(party_ids(r))) if "parties" in r else None,
        "date": lambda r: r.get("date"),
        "kind": lambda r: r.get("kind"),
        "event": lambda r: r.get("event"),
    }
    wrong = []
    for label, r in disputable():
        for c in r.get("claims", []):
            field = {"speaker": "leader"}.get(c["attribute"], c["attribute"])
            if c.get("preferred") and c["attribute"] in follow and field in r:
                value = c["value"]
                if c["attribute"] == "parties":
                    value = ",".join(sorted(value.replace(" ", "").split(",")))
                if follow[c["attribute"]](r) != value:
                    wrong.append(f"{label}: {c['attribute']} is not the preferred {value!r}")
    assert not wrong, "\n".join(wrong)


def test_a_retired_id_is_never_reused_and_its_change_is_published() -> None:
    live = {(name, r["id"]) for name in COLLECTIONS for r in records(name)}
    with (SEEDS / "retired.toml").open("rb") as fh:
        retired = tomllib.load(fh)["retired"]
    assert not [r["id"] for r in retired if (r["collection"], r["id"]) in live]
    version = tomllib.loads((SEEDS / "dataset.toml").read_text())["version"]
    path = SEEDS / "changes.toml"
    changes = tomllib.loads(path.read_text())["changes"] if path.exists() else []
    published = {(c["collection"], c["record"]) for c in changes if c["field"] == "id"}
    unpublished = [
        r["id"]
        for r in retired
        if r["retired_in"] == version and (r["collection"], r["id"]) not in published
    ]
    assert not unpublished, f"retired in {version} with no `id` change: {unpublished}"
