"""bench/synthetic.py, the growth benchmark's generator: its ×1 and ×10 datasets pass
`summit-api check` with every excerpt verified, ×1 is today's seeds, ×10 ten times each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import loader
from bench import synthetic

ROOT = Path(__file__).resolve().parent.parent


def check(seeds: Path, sources: Path) -> str:
    argv = [sys.executable, "-m", "app.cli", "check", "--seeds", str(seeds), "--sources"]
    done = subprocess.run([*argv, str(sources)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("scale", [1, 10])
def test_generated_dataset_passes_check(tmp_path: Path, scale: int) -> None:
    seeds, sources = tmp_path / "seeds", tmp_path / "sources"
    records = synthetic.generate(scale, seeds, sources)
    assert check(seeds, sources).startswith("seeds OK")
    today = loader.read_seeds(synthetic.SEEDS).counts()
    grown = loader.read_seeds(seeds, sources)
    assert grown.counts() == {name: n * scale for name, n in today.items()}
    assert records == sum(today.values()) * scale
    # Every source has a text, so no excerpt went unchecked.
    assert {p.stem for p in sources.glob("*.txt")} == {s.id for s in grown.records["sources"]}


def test_scale_one_is_todays_dataset(tmp_path: Path) -> None:
    synthetic.generate(1, tmp_path / "seeds", tmp_path / "sources")
    today = loader.read_seeds(synthetic.SEEDS).checksum()
    assert loader.read_seeds(tmp_path / "seeds").checksum() == today


def test_a_wrong_excerpt_is_caught(tmp_path: Path) -> None:
    """The generated texts hold the excerpts, not everything: a changed excerpt fails."""
    seeds, sources = tmp_path / "seeds", tmp_path / "sources"
    synthetic.generate(2, seeds, sources)
    path = seeds / "priorities.toml"
    text = path.read_text()
    assert "Xi Jinping then noted" in text
    path.write_text(text.replace("Xi Jinping then noted", "Xi Jinping then denied", 1))
    with pytest.raises(loader.SeedsRefused, match="does not occur verbatim"):
        loader.read_seeds(seeds, sources)
