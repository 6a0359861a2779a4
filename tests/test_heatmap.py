"""examples/heatmap.py, the README's newsroom chart (issue 22): run as a reader would, on
the `.db` the server downloads, it writes the PNG and plots the counts GET /themes gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "examples" / "heatmap.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_heatmap_is_drawn_from_the_downloaded_database(db_path: Path, tmp_path: Path) -> None:
    downloaded = tmp_path / "summit-2026-12-02.db"
    downloaded.write_bytes(db_path.read_bytes())  # /dataset.db is the file's very bytes
    out = tmp_path / "heatmap.png"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(downloaded), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Each country's own priorities, counted once per theme (59 in all, as theme_matrix's
    # priority_count sums): Tokayev's 8 touch 16 themes, Japarov's 10 touch 13, ...
    assert result.stdout.splitlines() == [
        "Kazakhstan: 16",
        "Uzbekistan: 13",
        "Kyrgyzstan: 13",
        "Tajikistan: 3",
        "Turkmenistan: 10",
        "China: 4",
    ]
    png = out.read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    assert png == (ROOT / "docs" / "heatmap.png").read_bytes(), "docs/heatmap.png is stale"


def test_the_heatmaps_cells_are_the_theme_matrix(db_path: Path) -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import heatmap
    finally:
        sys.path.remove(str(SCRIPT.parent))
    cells = heatmap.counts(db_path)
    assert sum(cells.values()) == 59
    assert len(cells) == 44
    assert cells[("Kazakhstan", "Industry")] == 3
    assert cells[("Uzbekistan", "Trade")] == 3
    assert cells[("China", "Security")] == 3
    assert cells[("Turkmenistan", "Energy")] == 2
    assert ("Tajikistan", "Energy") in cells
    assert ("China", "Energy") not in cells  # an agreement's theme, not a priority's
